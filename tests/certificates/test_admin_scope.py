"""A coordinator sees and receives nothing outside their service points, through every
coordinator URL: names, usernames, codes, serials, errors, counts and PDFs of other service points
never appear. One test per URL of certificates/admin_urls.py, plus the PDF download."""

import io
import zipfile
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model

from certificates import services
from certificates.models import Certificate, IssuanceBatch
from courses.models import Enrolment
from tests.factories import (
    CoordinatorFactory,
    EnrolmentFactory,
    ServicePointFactory,
    TrainerFactory,
    certified_course,
)

pytestmark = pytest.mark.django_db

User = get_user_model()


@dataclass
class World:
    course: object
    sp001: object
    sp003: object
    coordinator: object  # coordinates SP001 only
    mixed_batch: IssuanceBatch  # SP001 and SP003, created by a national coordinator
    sp003_batch: IssuanceBatch  # SP003 only
    mine: Certificate  # SP001 trainer's certificate from the mixed batch
    theirs: Certificate  # SP003 trainer's certificate from the mixed batch
    secrets: list[str]  # everything of SP003 that must never show to the SP001 coordinator


def _trainer(*, username: str, full_name: str, point, course):
    user = TrainerFactory(profile__full_name=full_name, service_point=point)
    User.objects.filter(pk=user.pk).update(username=username)
    user.refresh_from_db()
    EnrolmentFactory(trainer=user, course=course, completed=True)
    return user


def _uncomplete(users, course) -> None:
    """Completion withdrawn between the batch's creation and its run: the batch fails for these
    trainers, with a per-trainer error naming them."""
    Enrolment.objects.filter(trainer__in=users, course=course).update(completed_at=None)


@pytest.fixture
def world(django_capture_on_commit_callbacks) -> World:
    course = certified_course()
    sp001 = ServicePointFactory(code="SP001", name="UPT BP2MI Satu Serang")
    sp003 = ServicePointFactory(code="SP003", name="LTSA Tiga Tulungagung")
    ani = _trainer(username="ani-satu", full_name="Ani Satuwati", point=sp001, course=course)
    dedi = _trainer(username="dedi-satu-gagal", full_name="Dedi Satuwan", point=sp001, course=course)
    budi = _trainer(username="budi-tiga", full_name="Budi Tigawan", point=sp003, course=course)
    citra = _trainer(username="citra-tiga-gagal", full_name="Citra Tigawati", point=sp003, course=course)
    national = CoordinatorFactory(service_points__national=True)
    with django_capture_on_commit_callbacks() as callbacks:
        mixed = services.batch_create(course=course, service_points=[sp001, sp003], created_by=national)
    _uncomplete([dedi, citra], course)
    for callback in callbacks:
        callback()
    mixed.refresh_from_db()
    assert (mixed.total, mixed.issued, mixed.failed) == (4, 2, 2)  # the batch really mixes both

    other_course = certified_course(title="Pendampingan Purna PMI Lanjutan")
    eko = _trainer(username="eko-tiga", full_name="Eko Tigaputra", point=sp003, course=other_course)
    with django_capture_on_commit_callbacks(execute=True):
        sp003_only = services.batch_create(course=other_course, service_points=[sp003], created_by=national)
    sp003_only.refresh_from_db()
    assert sp003_only.issued == 1

    theirs = Certificate.objects.get(trainer=budi)
    eko_certificate = Certificate.objects.get(trainer=eko)
    secrets = [
        "Budi Tigawan",
        "budi-tiga",
        "Citra Tigawati",
        "citra-tiga-gagal",
        "Eko Tigaputra",
        "eko-tiga",
        "LTSA Tiga Tulungagung",
        theirs.code,
        theirs.serial,
        eko_certificate.code,
        eko_certificate.serial,
    ]
    return World(
        course=course,
        sp001=sp001,
        sp003=sp003,
        coordinator=CoordinatorFactory(service_points=[sp001]),
        mixed_batch=mixed,
        sp003_batch=sp003_only,
        mine=Certificate.objects.get(trainer=ani),
        theirs=theirs,
        secrets=secrets,
    )


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode()


def assert_shows_nothing_of_sp003(response, world: World) -> str:
    body = _body(response)
    leaked = [secret for secret in world.secrets if secret in body]
    assert not leaked, f"out-of-scope data in the response: {leaked}"
    return body


@pytest.fixture
def as_sp001(client, world):
    client.force_login(world.coordinator)
    return client


def test_certificate_list_and_search_show_only_in_scope_certificates(as_sp001, world):
    body = assert_shows_nothing_of_sp003(as_sp001.get("/admin/certificates/"), world)
    assert world.mine.serial in body and "Ani Satuwati" in body
    for query in (world.theirs.serial, world.theirs.code, "Budi", "Tigawan"):
        response = as_sp001.get("/admin/certificates/", {"q": query})
        assert response.status_code == 200
        assert list(response.context["certificates"]) == []
        # The search box echoes what was typed; nothing else of SP003 may appear.
        response.content = response.content.replace(query.encode(), b"")
        assert_shows_nothing_of_sp003(response, world)


def test_issue_one_offers_and_accepts_only_in_scope_trainers(as_sp001, world):
    page = as_sp001.get("/admin/certificates/issue/")
    assert page.status_code == 200
    assert "Ani Satuwati" in assert_shows_nothing_of_sp003(page, world)
    eko_course = world.sp003_batch.course
    before = Certificate.objects.count()
    outsider = User.objects.get(username="budi-tiga")
    EnrolmentFactory(
        trainer=outsider, course=eko_course, completed=True
    )  # eligible, but not this coordinator's trainer
    response = as_sp001.post("/admin/certificates/issue/", {"course": eko_course.pk, "trainer": outsider.pk})
    assert response.status_code == 200  # the form refuses the choice
    assert_shows_nothing_of_sp003(response, world)
    assert Certificate.objects.count() == before


def test_revoke_of_an_out_of_scope_certificate_is_404_and_changes_nothing(as_sp001, world):
    url = f"/admin/certificates/{world.theirs.pk}/revoke/"
    assert as_sp001.get(url).status_code == 404
    response = as_sp001.post(url, {"reason": "Data palsu"})
    assert response.status_code == 404
    assert_shows_nothing_of_sp003(response, world)
    world.theirs.refresh_from_db()
    assert world.theirs.status == Certificate.Status.VALID


def test_reissue_of_an_out_of_scope_certificate_is_404_and_changes_nothing(as_sp001, world):
    url = f"/admin/certificates/{world.theirs.pk}/reissue/"
    assert as_sp001.get(url).status_code == 404
    before = Certificate.objects.count()
    response = as_sp001.post(url, {"reason": "Perbaikan nama"})
    assert response.status_code == 404
    assert_shows_nothing_of_sp003(response, world)
    assert Certificate.objects.count() == before
    world.theirs.refresh_from_db()
    assert world.theirs.status == Certificate.Status.VALID


def test_batch_list_shows_only_batches_with_in_scope_trainers_and_in_scope_counts(as_sp001, world):
    response = as_sp001.get("/admin/certificates/batches/")
    body = assert_shows_nothing_of_sp003(response, world)
    assert f"/admin/certificates/batches/{world.mixed_batch.pk}/" in body
    assert f"/admin/certificates/batches/{world.sp003_batch.pk}/" not in body
    [batch] = response.context["batches"]
    # SP001's part of the mixed batch: Ani issued, Dedi failed; not the whole batch's 4 / 2 / 2.
    assert (batch.total, batch.issued, batch.skipped, batch.failed) == (2, 1, 0, 1)
    assert "SP003" not in body  # the form offers only the coordinator's service points


def test_batch_create_refuses_out_of_scope_service_points(as_sp001, world):
    before = IssuanceBatch.objects.count()
    response = as_sp001.post(
        "/admin/certificates/batches/", {"course": world.course.pk, "service_points": [world.sp003.pk]}
    )
    assert response.status_code == 200
    assert_shows_nothing_of_sp003(response, world)
    assert IssuanceBatch.objects.count() == before


def test_batch_page_shows_only_the_in_scope_part(as_sp001, world):
    response = as_sp001.get(f"/admin/certificates/batches/{world.mixed_batch.pk}/")
    assert response.status_code == 200
    body = assert_shows_nothing_of_sp003(response, world)
    assert "Dedi Satuwan" in body and "belum menyelesaikan" in body  # the in-scope error is shown
    assert "2 / 2 (100%)" in body and "4 / 4" not in body
    batch = response.context["batch"]
    assert (batch.total, batch.issued, batch.failed) == (2, 1, 1)
    assert as_sp001.get(f"/admin/certificates/batches/{world.sp003_batch.pk}/").status_code == 404


def test_batch_zip_contains_only_in_scope_pdfs(as_sp001, world):
    response = as_sp001.get(f"/admin/certificates/batches/{world.mixed_batch.pk}/zip/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == [f"{world.mine.serial.replace('/', '-')}.pdf"]
    assert archive.read(archive.namelist()[0]) == world.mine.pdf.read()
    assert as_sp001.get(f"/admin/certificates/batches/{world.sp003_batch.pk}/zip/").status_code == 404


def test_pdf_download_of_an_out_of_scope_certificate_is_404(as_sp001, world):
    response = as_sp001.get(world.theirs.download_url)
    assert response.status_code == 404
    assert_shows_nothing_of_sp003(response, world)
    assert as_sp001.get(world.mine.download_url).status_code == 200


def test_the_coordinators_of_sp003_and_national_ones_see_it_all_so_the_checks_above_can_fail(client, world):
    client.force_login(CoordinatorFactory(service_points__national=True))
    page = _body(client.get(f"/admin/certificates/batches/{world.mixed_batch.pk}/"))
    assert "Citra Tigawati" in page and "Dedi Satuwan" in page and "4 / 4" in page
    client.force_login(CoordinatorFactory(service_points=[world.sp003]))
    assert "Budi Tigawan" in _body(client.get("/admin/certificates/"))
    archive = zipfile.ZipFile(
        io.BytesIO(
            b"".join(client.get(f"/admin/certificates/batches/{world.mixed_batch.pk}/zip/").streaming_content)
        )
    )
    assert archive.namelist() == [f"{world.theirs.serial.replace('/', '-')}.pdf"]


def test_service_point_list_shows_only_in_scope_service_points_and_counts(as_sp001, world):
    response = as_sp001.get("/admin/certificates/service-points/")
    assert "SP003" not in assert_shows_nothing_of_sp003(response, world)
    assert [row.service_point for row in response.context["rows"]] == [world.sp001]
    assert (response.context["rows"][0].valid, response.context["rows"][0].revoked) == (1, 0)
    for query in ("SP003", "Tulungagung", "Tiga"):
        response = as_sp001.get("/admin/certificates/service-points/", {"q": query})
        assert response.context["rows"] == []
        response.content = response.content.replace(query.encode(), b"")
        assert "SP003" not in assert_shows_nothing_of_sp003(response, world)


def test_service_point_zip_of_another_service_point_is_404(as_sp001, world):
    response = as_sp001.get(f"/admin/certificates/service-points/{world.sp003.pk}/zip/")
    assert response.status_code == 404
    assert_shows_nothing_of_sp003(response, world)
    response = as_sp001.get(f"/admin/certificates/service-points/{world.sp001.pk}/zip/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == [f"{world.course.slug}/{world.mine.serial.replace('/', '-')}.pdf"]


def test_certificate_list_filtered_by_another_service_point_is_404(as_sp001, world):
    response = as_sp001.get("/admin/certificates/", {"sp": world.sp003.pk})
    assert response.status_code == 404
    assert_shows_nothing_of_sp003(response, world)


def test_batch_review_of_another_service_point_shows_no_count(as_sp001, world):
    response = as_sp001.post(
        "/admin/certificates/batches/",
        {"course": world.course.pk, "service_points": [world.sp001.pk, world.sp003.pk], "action": "review"},
    )
    assert response.status_code == 200 and "plan" not in response.context
    assert_shows_nothing_of_sp003(response, world)
    response = as_sp001.post("/admin/certificates/batches/", {"course": world.course.pk, "action": "review"})
    plan = response.context["plan"]
    assert (plan.total, plan.holding) == (1, 1)  # Ani holds one; Dedi's completion was withdrawn
    assert_shows_nothing_of_sp003(response, world)


def test_a_national_coordinator_sees_and_zips_sp003_so_the_checks_above_can_fail(client, world):
    client.force_login(CoordinatorFactory(service_points__national=True))
    response = client.get("/admin/certificates/service-points/", {"q": "SP003"})
    assert [row.service_point for row in response.context["rows"]] == [world.sp003]
    response = client.get(f"/admin/certificates/service-points/{world.sp003.pk}/zip/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    eko = Certificate.objects.get(code=world.secrets[9])
    assert sorted(archive.namelist()) == sorted(
        f"{c.course.slug}/{c.serial.replace('/', '-')}.pdf" for c in (world.theirs, eko)
    )
