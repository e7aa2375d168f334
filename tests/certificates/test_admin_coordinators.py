"""Certificates for coordinators in the admin: a batch is confirmed with the number it will issue
before anything is written, service points are chosen with a searchable picker, every valid
certificate of a service point comes as one ZIP, a revoked certificate can be issued again, and
"issue one" says when the trainer already holds a certificate. Only within the scope; an editor
and a trainer get nothing."""

import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import ModelLogEntry

from certificates import services
from certificates.models import Certificate, IssuanceBatch
from courses.models import TrainerProfile
from tests.factories import (
    CoordinatorFactory,
    EditorFactory,
    EnrolmentFactory,
    ServicePointFactory,
    TrainerFactory,
    certified_course,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
BATCHES = "/admin/certificates/batches/"


def _completed(course, point, **profile):
    trainer = TrainerFactory(service_point=point, **{f"profile__{k}": v for k, v in profile.items()})
    EnrolmentFactory(trainer=trainer, course=course, completed=True)
    return trainer


def _zip_names(response) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()


@pytest.fixture
def course(db):
    return certified_course()


@pytest.fixture
def sp001(db):
    return ServicePointFactory(code="SP001", name="UPT BP2MI Serang", city="Serang", province="Banten")


@pytest.fixture
def sp002(db):
    return ServicePointFactory(code="SP002", name="LTSA Malang", city="Malang", province="Jawa Timur")


@pytest.fixture
def coordinator(client, sp001):
    user = CoordinatorFactory(service_points=[sp001])
    client.force_login(user)
    return user


# --- batch: review, then confirm ------------------------------------------------------------------


def test_a_batch_says_how_many_certificates_it_will_issue_and_writes_nothing_before_confirmation(
    client, coordinator, course, sp001, sp002, django_capture_on_commit_callbacks
):
    holder = _completed(course, sp001)
    services.certificate_issue(trainer=holder, course=course)
    _completed(course, sp001)
    _completed(course, sp001)
    nameless = _completed(course, sp001)
    TrainerProfile.objects.filter(user=nameless).update(full_name="")
    _completed(course, sp002)  # outside the scope: never counted
    before = Certificate.objects.count()

    response = client.post(BATCHES, {"course": course.pk})
    assert response.status_code == 200
    plan = response.context["plan"]
    assert (plan.total, plan.holding, plan.incomplete, plan.to_issue) == (4, 1, 1, 2)
    body = response.content.decode()
    assert "Ya, terbitkan 2 sertifikat" in body and "Belum ada yang diterbitkan" in body
    assert IssuanceBatch.objects.count() == 0 and Certificate.objects.count() == before

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(BATCHES, {"course": course.pk, "action": "confirm"})
    batch = IssuanceBatch.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/batches/{batch.pk}/")
    batch.refresh_from_db()
    assert (batch.total, batch.issued, batch.skipped, batch.failed) == (4, 2, 1, 1)
    assert Certificate.objects.count() == before + 2


def test_a_batch_with_nothing_to_issue_offers_no_confirmation(client, coordinator, course, sp001):
    holder = _completed(course, sp001)
    services.certificate_issue(trainer=holder, course=course)
    response = client.post(BATCHES, {"course": course.pk, "service_points": [sp001.pk]})
    body = response.content.decode()
    assert "Tidak ada sertifikat yang akan diterbitkan" in body
    assert 'value="confirm"' not in body


@pytest.mark.parametrize("action", ["review", "confirm"])
def test_a_batch_for_an_out_of_scope_service_point_is_refused_at_review_and_at_confirmation(
    client, coordinator, course, sp001, sp002, action
):
    _completed(course, sp002)
    response = client.post(BATCHES, {"course": course.pk, "service_points": [sp002.pk], "action": action})
    assert response.status_code == 200
    body = response.content.decode()
    assert "tidak ada dalam cakupan Anda" in body
    assert "LTSA Malang" not in body and "SP002" not in body
    assert "plan" not in response.context
    assert IssuanceBatch.objects.count() == 0 and Certificate.objects.count() == 0


def test_bad_service_point_values_are_a_form_error_not_a_crash(client, coordinator, course):
    for value in ("abc", "-1", "99999999999999999999", "1;DROP"):
        response = client.post(BATCHES, {"course": course.pk, "service_points": [value], "action": "confirm"})
        assert response.status_code == 200
        response = client.post(BATCHES, {"course": value, "action": "confirm"})
        assert response.status_code == 200
        response = client.post("/admin/certificates/issue/", {"course": value, "trainer": value})
        assert response.status_code == 200
    assert IssuanceBatch.objects.count() == 0 and Certificate.objects.count() == 0


# --- the service-point picker ----------------------------------------------------------------------


@pytest.fixture
def national(client, db):
    for n in range(1, 21):
        province = "Jawa Timur" if n <= 5 else "Nusa Tenggara Barat"
        ServicePointFactory(
            code=f"SP{n:03d}", name=f"UPT BP2MI Titik {n}", city=f"Kota {n}", province=province
        )
    user = CoordinatorFactory(service_points__national=True)
    client.force_login(user)
    return user


def test_the_picker_searches_service_points_instead_of_listing_them_all(client, national):
    page = client.get(BATCHES)
    picker = page.context["picker"]
    assert picker["searchable"] and picker["results"] == [] and picker["in_scope"] == 20
    assert page.content.decode().count('name="service_points"') == 0

    response = client.post(BATCHES, {"action": "search", "sp_q": "jawa timur"})
    picker = response.context["picker"]
    assert [point.code for point in picker["results"]] == ["SP001", "SP002", "SP003", "SP004", "SP005"]
    assert "plan" not in response.context and IssuanceBatch.objects.count() == 0


def test_the_picker_keeps_what_was_ticked_and_adds_every_result_at_once(client, national):
    sp010 = national.coordinator_profile.service_points.model.objects.get(code="SP010")
    response = client.post(
        BATCHES, {"action": "add_matches", "sp_q": "jawa timur", "service_points": [sp010.pk]}
    )
    picker = response.context["picker"]
    assert [point.code for point in picker["chosen"]] == [
        "SP001",
        "SP002",
        "SP003",
        "SP004",
        "SP005",
        "SP010",
    ]
    assert picker["results"] == []  # every match is chosen already
    body = response.content.decode()
    assert body.count('name="service_points"') == 6 and body.count("checked") >= 6


def test_the_picker_of_a_small_scope_lists_it_and_never_offers_other_service_points(
    client, coordinator, sp001, sp002
):
    picker = client.get(BATCHES).context["picker"]
    assert [point.code for point in picker["results"]] == ["SP001"] and not picker["searchable"]
    for query in ("SP002", "Malang", "Jawa"):
        response = client.post(BATCHES, {"action": "search", "sp_q": query, "service_points": [sp002.pk]})
        picker = response.context["picker"]
        assert picker["chosen"] == [] and picker["results"] == []
        assert "LTSA Malang" not in response.content.decode()


# --- ZIP of a service point -------------------------------------------------------------------------


def test_the_zip_of_a_service_point_holds_every_valid_certificate_of_its_trainers(
    client, coordinator, course, sp001, sp002, django_capture_on_commit_callbacks
):
    single = services.certificate_issue(trainer=_completed(course, sp001), course=course)
    revoked = services.certificate_issue(trainer=_completed(course, sp001), course=course)
    services.certificate_revoke(certificate=revoked, by=None, reason="Data palsu")
    other_course = certified_course(title="Pendampingan Lanjutan")
    from_batch = _completed(other_course, sp001)
    with django_capture_on_commit_callbacks(execute=True):
        services.batch_create(course=other_course, created_by=coordinator)
    batch_certificate = Certificate.objects.get(trainer=from_batch)
    theirs = services.certificate_issue(trainer=_completed(course, sp002), course=course)

    listing = client.get("/admin/certificates/service-points/")
    [row] = listing.context["rows"]
    assert (row.service_point, row.valid, row.revoked) == (sp001, 2, 1)
    assert "SP002" not in listing.content.decode()

    response = client.get(f"/admin/certificates/service-points/{sp001.pk}/zip/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    # both serials end in 00001 (serials count per course): a folder per course keeps them apart
    expected = sorted(
        f"{c.course.slug}/{c.serial.replace('/', '-')}.pdf" for c in (single, batch_certificate)
    )
    assert _zip_names(response) == expected and len(set(expected)) == 2
    assert theirs.serial not in str(expected)
    assert ModelLogEntry.objects.filter(
        action="certificates.service_point_download", user=coordinator
    ).exists()

    assert client.get(f"/admin/certificates/service-points/{sp002.pk}/zip/").status_code == 404
    assert client.get("/admin/certificates/service-points/999999/zip/").status_code == 404


def test_the_service_point_list_searches_within_the_scope(client, national):
    response = client.get("/admin/certificates/service-points/", {"q": "Nusa Tenggara"})
    assert response.context["matching"] == 15 and len(response.context["rows"]) == 15
    assert client.get("/admin/certificates/service-points/", {"q": "%"}).status_code == 200


# --- re-issue of a revoked certificate; issue one for a holder ---------------------------------------


def test_a_revoked_certificate_offers_reissue_and_is_replaced_by_the_new_one(
    client, coordinator, course, sp001
):
    old = services.certificate_issue(trainer=_completed(course, sp001), course=course)
    services.certificate_revoke(certificate=old, by=coordinator, reason="Salah nama")
    reissue_url = f"/admin/certificates/{old.pk}/reissue/"
    assert reissue_url in client.get("/admin/certificates/").content.decode()

    response = client.post(reissue_url, {"reason": "Nama sudah diperbaiki"})
    assert response.status_code == 302
    old.refresh_from_db()
    new = Certificate.objects.get(status=Certificate.Status.VALID)
    assert old.status == Certificate.Status.REVOKED and old.replaced_by == new
    assert ModelLogEntry.objects.filter(action="certificates.reissue", user=coordinator).exists()
    page = client.get("/admin/certificates/").content.decode()
    assert reissue_url not in page and f"Diganti oleh {new.serial}" in page


def test_reissue_of_a_revoked_certificate_is_refused_while_another_is_valid(
    client, coordinator, course, sp001
):
    trainer = _completed(course, sp001)
    old = services.certificate_issue(trainer=trainer, course=course)
    services.certificate_revoke(certificate=old, by=coordinator, reason="Salah nama")
    valid = services.certificate_issue(trainer=trainer, course=course)
    response = client.post(f"/admin/certificates/{old.pk}/reissue/", {"reason": "lagi"})
    assert response.status_code == 200
    assert valid.serial in response.content.decode() and "sudah memiliki sertifikat yang berlaku" in (
        response.content.decode()
    )
    assert Certificate.objects.count() == 2


def test_issue_one_for_a_trainer_who_holds_a_valid_certificate_says_so(client, coordinator, course, sp001):
    trainer = _completed(course, sp001)
    existing = services.certificate_issue(trainer=trainer, course=course)
    response = client.post(
        "/admin/certificates/issue/", {"course": course.pk, "trainer": trainer.pk}, follow=True
    )
    body = response.content.decode()
    assert "sudah memiliki sertifikat yang berlaku" in body and existing.serial in body
    assert "diterbitkan untuk" not in body
    assert Certificate.objects.count() == 1
    fresh = _completed(course, sp001)
    body = client.post(
        "/admin/certificates/issue/", {"course": course.pk, "trainer": fresh.pk}, follow=True
    ).content.decode()
    assert "diterbitkan untuk" in body and Certificate.objects.count() == 2


# --- no access for editors and trainers --------------------------------------------------------------


def _urls(certificate, batch, point) -> list[tuple[str, str]]:
    return [
        ("get", "/admin/certificates/"),
        ("get", "/admin/certificates/issue/"),
        ("get", BATCHES),
        ("post", BATCHES),
        ("get", f"/admin/certificates/batches/{batch.pk}/"),
        ("get", f"/admin/certificates/batches/{batch.pk}/zip/"),
        ("get", "/admin/certificates/service-points/"),
        ("get", f"/admin/certificates/service-points/{point.pk}/zip/"),
        ("post", f"/admin/certificates/{certificate.pk}/revoke/"),
        ("post", f"/admin/certificates/{certificate.pk}/reissue/"),
    ]


@pytest.mark.parametrize("role", ["editor", "trainer"])
def test_editors_and_trainers_get_no_certificate_screen(
    client, course, sp001, role, django_capture_on_commit_callbacks
):
    trainer = _completed(course, sp001)
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.batch_create(course=course)
    certificate = Certificate.objects.get(trainer=trainer)
    client.force_login(EditorFactory() if role == "editor" else trainer)
    for method, url in _urls(certificate, batch, sp001):
        data = {"course": course.pk, "action": "confirm", "reason": "x"} if method == "post" else None
        response = getattr(client, method)(url, data)
        if role == "editor":  # the admin's "no permission" answer: back to its home with a message
            assert response.status_code == 302 and response["Location"] == "/admin/", url
        else:  # no admin access at all: sent to the admin's sign-in
            assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    assert IssuanceBatch.objects.count() == 1 and Certificate.objects.count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "/admin/certificates/99999999999999999999/revoke/",
        "/admin/certificates/99999999999999999999/reissue/",
        "/admin/certificates/batches/99999999999999999999/",
        "/admin/certificates/batches/99999999999999999999/zip/",
        "/admin/certificates/service-points/99999999999999999999/zip/",
        "/admin/certificates/?sp=99999999999999999999",
        "/admin/certificates/?sp=abc",
    ],
)
def test_ids_too_large_for_the_database_are_not_found(client, coordinator, url):
    assert client.get(url).status_code == 404


def test_a_provincial_coordinator_gets_the_service_points_of_their_province_only(
    client, course, sp001, sp002
):
    sp003 = ServicePointFactory(code="SP003", name="LTSA Surabaya", city="Surabaya", province="Jawa Timur")
    mine = services.certificate_issue(trainer=_completed(course, sp003), course=course)
    services.certificate_issue(trainer=_completed(course, sp001), course=course)  # Banten: not theirs
    client.force_login(CoordinatorFactory(service_points__provinces=["Jawa Timur"]))

    rows = client.get("/admin/certificates/service-points/").context["rows"]
    assert [row.service_point.code for row in rows] == ["SP002", "SP003"]
    assert [c.pk for c in client.get("/admin/certificates/").context["certificates"]] == [mine.pk]
    assert client.get(f"/admin/certificates/service-points/{sp001.pk}/zip/").status_code == 404
    response = client.get(f"/admin/certificates/service-points/{sp003.pk}/zip/")
    assert _zip_names(response) == [f"{course.slug}/{mine.serial.replace('/', '-')}.pdf"]
    response = client.post(BATCHES, {"course": course.pk, "service_points": [sp001.pk]})
    assert "plan" not in response.context and "UPT BP2MI Serang" not in response.content.decode()


def test_issue_one_in_a_large_scope_searches_trainers_instead_of_listing_them_all(
    client, coordinator, course, sp001, sp002, monkeypatch
):
    from certificates import admin_views

    monkeypatch.setattr(admin_views, "TRAINER_CHOICES", 2)
    ani = _completed(course, sp001, full_name="Ani Rahayu")
    _completed(course, sp001, full_name="Budi Hartono")
    _completed(course, sp001, full_name="Citra Ananda")
    outsider = _completed(course, sp002, full_name="Ani Luar Cakupan")

    page = client.get("/admin/certificates/issue/").content.decode()
    assert "terlalu banyak" in page and "Ani Rahayu" not in page
    page = client.get("/admin/certificates/issue/", {"q": "ani"}).content.decode()
    assert "Ani Rahayu" in page and "Budi Hartono" not in page and "Ani Luar Cakupan" not in page

    # whatever the list shows, any trainer of the scope is accepted, and nobody else
    response = client.post("/admin/certificates/issue/?q=budi", {"course": course.pk, "trainer": ani.pk})
    assert response.status_code == 302 and Certificate.objects.filter(trainer=ani).exists()
    response = client.post("/admin/certificates/issue/?q=ani", {"course": course.pk, "trainer": outsider.pk})
    assert response.status_code == 200 and not Certificate.objects.filter(trainer=outsider).exists()
    assert "Ani Luar Cakupan" not in response.content.decode()
