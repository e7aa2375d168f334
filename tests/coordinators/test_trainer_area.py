"""The trainers area ("Pelatih") for each role: nothing outside a coordinator's scope can be seen
or changed by changing ids in URLs or forms; editors and trainers get nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from wagtail.models import ModelLogEntry

from courses.models import Enrolment, TrainerProfile
from courses.people.scope import coordinator_scope
from tests.factories import (
    AdminFactory,
    CoordinatorFactory,
    EditorFactory,
    ServicePointFactory,
    TrainerFactory,
    build_course,
)

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def world():
    """SP001 and SP003 in Jawa Timur, SP002 in Jawa Tengah; one trainer at each."""
    sp1 = ServicePointFactory(code="SP001", province="Jawa Timur")
    sp2 = ServicePointFactory(code="SP002", province="Jawa Tengah")
    sp3 = ServicePointFactory(code="SP003", province="Jawa Timur")
    trainers = {
        code: TrainerFactory(service_point=point, profile__full_name=f"Pelatih {code}")
        for code, point in (("SP001", sp1), ("SP002", sp2), ("SP003", sp3))
    }
    roles = {
        "sp1": CoordinatorFactory(service_points=[sp1]),
        "sp2": CoordinatorFactory(service_points=[sp2]),
        "provincial": CoordinatorFactory(service_points__provinces=["Jawa Timur"]),
        "national": CoordinatorFactory(service_points__national=True),
        "admin": AdminFactory(),
    }
    return {"points": {"SP001": sp1, "SP002": sp2, "SP003": sp3}, "trainers": trainers, "roles": roles}


VISIBLE = {
    "sp1": {"SP001"},
    "sp2": {"SP002"},
    "provincial": {"SP001", "SP003"},
    "national": {"SP001", "SP002", "SP003"},
    "admin": {"SP001", "SP002", "SP003"},
}


def profile_pk(world, code):
    return world["trainers"][code].trainer_profile.pk


def test_a_provincial_scope_covers_every_service_point_of_the_province(world):
    scope = coordinator_scope(world["roles"]["provincial"])
    assert scope.service_point_ids == {world["points"]["SP001"].pk, world["points"]["SP003"].pk}
    later = ServicePointFactory(code="SP004", province="Jawa Timur")
    fresh = User.objects.get(pk=world["roles"]["provincial"].pk)
    assert coordinator_scope(fresh).includes_service_point(later.pk)


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_the_list_shows_exactly_the_scope(client, world, role):
    client.force_login(world["roles"][role])
    response = client.get("/admin/trainers/")
    assert response.status_code == 200
    content = response.content.decode()
    for code in ("SP001", "SP002", "SP003"):
        assert (f"Pelatih {code}" in content) == (code in VISIBLE[role])


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize(
    "url",
    [
        "/admin/trainers/inspect/{pk}/",
        "/admin/trainers/edit/{pk}/",
        "/admin/trainers/invite/{pk}/",
        "/admin/trainers/deactivate/{pk}/",
        "/admin/trainers/history/{pk}/",
        "/admin/trainers/usage/{pk}/",
    ],
)
def test_each_trainer_page_answers_only_within_the_scope(client, world, role, url):
    client.force_login(world["roles"][role])
    for code in ("SP001", "SP002", "SP003"):
        response = client.get(url.format(pk=profile_pk(world, code)))
        assert response.status_code == (200 if code in VISIBLE[role] else 404), (code, url)


def test_an_id_outside_the_scope_changes_nothing_by_post(client, world):
    client.force_login(world["roles"]["sp1"])
    foreign = world["trainers"]["SP002"]
    pk = foreign.trainer_profile.pk
    form = {
        "full_name": "Nama Diganti",
        "email": foreign.email,
        "phone": "",
        "service_point": world["points"]["SP001"].pk,
    }
    assert client.post(f"/admin/trainers/edit/{pk}/", form).status_code == 404
    assert client.post(f"/admin/trainers/deactivate/{pk}/").status_code == 404
    assert client.post(f"/admin/trainers/invite/{pk}/").status_code == 404
    # nobody deletes trainers (Wagtail answers a refused action with a redirect and a message)
    assert client.post(f"/admin/trainers/delete/{pk}/").status_code in (302, 403, 404)
    assert TrainerProfile.objects.filter(pk=pk).exists()
    foreign.refresh_from_db()
    assert foreign.is_active
    assert foreign.trainer_profile.full_name == "Pelatih SP002"
    assert mail.outbox == []
    assert not ModelLogEntry.objects.filter(object_id=str(pk), action__startswith="courses.trainer").exists()


def test_a_coordinator_cannot_move_a_trainer_or_create_one_outside_the_scope(client, world):
    client.force_login(world["roles"]["sp1"])
    own = world["trainers"]["SP001"]
    response = client.post(
        f"/admin/trainers/edit/{own.trainer_profile.pk}/",
        {
            "full_name": "Pelatih SP001",
            "email": own.email,
            "phone": "",
            "service_point": world["points"]["SP002"].pk,
        },
    )
    assert response.status_code == 200  # the form again, with the error
    own.trainer_profile.refresh_from_db()
    assert own.trainer_profile.service_point.code == "SP001"
    users = User.objects.count()
    response = client.post(
        "/admin/trainers/new/",
        {
            "full_name": "Ani Lestari",
            "email": "ani@example.org",
            "phone": "",
            "service_point": world["points"]["SP002"].pk,
        },
    )
    assert response.status_code == 200
    assert User.objects.count() == users


def test_creating_with_bad_input_shows_indonesian_errors_and_changes_nothing(client, world):
    client.force_login(world["roles"]["sp1"])
    users, profiles = User.objects.count(), TrainerProfile.objects.count()
    response = client.post(
        "/admin/trainers/new/",
        {
            "full_name": "X",
            "email": "bukan-email",
            "phone": "12",
            "service_point": world["points"]["SP001"].pk,
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nama terlalu pendek." in content
    assert "Alamat e-mail tidak valid." in content
    assert "Nomor telepon tidak valid" in content
    assert (User.objects.count(), TrainerProfile.objects.count()) == (users, profiles)


def test_creating_a_trainer_shows_the_invitation_with_a_qr_code(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.BASE_URL = "https://lms.example.id"
    client.force_login(world["roles"]["sp1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/trainers/new/",
            {
                "full_name": "Siti Aminah",
                "email": "siti@example.org",
                "phone": "0812-3456-7890",
                "service_point": world["points"]["SP001"].pk,
            },
        )
    assert response.status_code == 200
    content = response.content.decode()
    assert "<svg" in content
    assert "https://lms.example.id/accounts/invitation/" in content
    user = User.objects.get(email="siti@example.org")
    assert user.trainer_profile.phone == "6281234567890"
    assert not user.has_usable_password()
    assert [message.to for message in mail.outbox] == [["siti@example.org"]]


def test_re_inviting_a_trainer_who_has_a_password_sends_the_link_only_to_their_e_mail(
    client, world, settings, django_capture_on_commit_callbacks
):
    """A link shown to the coordinator would let them take over an account the trainer already
    uses; it goes to the trainer's e-mail only."""
    settings.BASE_URL = "https://lms.example.id"
    trainer = world["trainers"]["SP001"]
    assert trainer.has_usable_password()
    client.force_login(world["roles"]["sp1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/trainers/invite/{trainer.trainer_profile.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "/accounts/invitation/" not in content
    assert "coordinators-qr" not in content
    assert "tidak ditampilkan di sini" in content
    assert [message.to for message in mail.outbox] == [[trainer.email]]
    assert "https://lms.example.id/accounts/invitation/" in mail.outbox[0].body


def test_edit_saves_through_the_service_and_logs(client, world):
    client.force_login(world["roles"]["provincial"])
    trainer = world["trainers"]["SP001"]
    response = client.post(
        f"/admin/trainers/edit/{trainer.trainer_profile.pk}/",
        {
            "full_name": "Pelatih Pindah",
            "email": trainer.email,
            "phone": "+62 811 222 3333",
            "service_point": world["points"]["SP003"].pk,
        },
    )
    assert response.status_code == 302
    trainer.trainer_profile.refresh_from_db()
    assert trainer.trainer_profile.service_point.code == "SP003"
    assert trainer.trainer_profile.phone == "628112223333"
    assert ModelLogEntry.objects.filter(
        object_id=str(trainer.trainer_profile.pk), action="courses.trainer.update"
    ).exists()


def test_deactivate_and_activate_again(client, world):
    client.force_login(world["roles"]["sp1"])
    trainer = world["trainers"]["SP001"]
    url = f"/admin/trainers/deactivate/{trainer.trainer_profile.pk}/"
    assert client.post(url).status_code == 302
    trainer.refresh_from_db()
    assert not trainer.is_active
    # still listed (with "Nonaktif"), and the page shows the way back
    assert "Nonaktif" in client.get("/admin/trainers/").content.decode()
    assert client.post(url).status_code == 302
    trainer.refresh_from_db()
    assert trainer.is_active


def test_the_list_searches_name_email_and_phone_as_typed(client, world):
    client.force_login(world["roles"]["national"])
    TrainerProfile.objects.filter(pk=profile_pk(world, "SP002")).update(phone="6281234567890")
    for query in ("Pelatih SP002", world["trainers"]["SP002"].email, "0812-3456-7890"):
        content = client.get("/admin/trainers/", {"q": query}).content.decode()
        assert "Pelatih SP002" in content, query
        assert "Pelatih SP003" not in content, query


def test_the_filters_offer_only_the_scope_and_filter_by_status(client, world):
    course = build_course(slug="status", lessons=1).course
    Enrolment.objects.create(trainer=world["trainers"]["SP001"], course=course)
    client.force_login(world["roles"]["sp1"])
    response = client.get("/admin/trainers/")
    content = response.content.decode()
    assert "SP002" not in content
    response = client.get("/admin/trainers/", {"service_point": world["points"]["SP002"].pk})
    assert "Pelatih SP002" not in response.content.decode()
    client.force_login(world["roles"]["national"])
    completed = client.get("/admin/trainers/", {"status": "completed"}).content.decode()
    assert "Pelatih SP001" not in completed
    not_started = client.get(
        "/admin/trainers/", {"status": "not_started", "course": course.pk}
    ).content.decode()
    assert "Pelatih SP001" in not_started and "Pelatih SP002" in not_started
    enrolled = client.get("/admin/trainers/", {"course": course.pk}).content.decode()
    assert "Pelatih SP001" in enrolled and "Pelatih SP002" not in enrolled
    province = client.get("/admin/trainers/", {"province": "Jawa Tengah"}).content.decode()
    assert "Pelatih SP002" in province and "Pelatih SP001" not in province


# --- cohort enrolment -----------------------------------------------------------------------------


def test_cohort_confirmation_counts_new_and_already_enrolled_then_enrols_once(client, world):
    course = build_course(slug="angkatan", lessons=1).course
    sp1 = world["points"]["SP001"]
    TrainerFactory(service_point=sp1, is_active=False)  # inactive: not enrolled
    extra = TrainerFactory(service_point=sp1)
    Enrolment.objects.create(trainer=extra, course=course)
    client.force_login(world["roles"]["sp1"])
    response = client.post("/admin/trainers/cohort/", {"course": course.pk, "service_points": [sp1.pk]})
    content = response.content.decode()
    assert "<strong>1</strong> pelatih akan didaftarkan" in content
    assert "1 pelatih sudah terdaftar" in content
    assert Enrolment.objects.filter(course=course).count() == 1  # nothing yet
    data = {"course": course.pk, "service_points": [sp1.pk], "confirm": "1"}
    assert client.post("/admin/trainers/cohort/", data).status_code == 302
    assert set(Enrolment.objects.filter(course=course).values_list("trainer_id", flat=True)) == {
        extra.pk,
        world["trainers"]["SP001"].pk,
    }
    assert client.post("/admin/trainers/cohort/", data).status_code == 302  # idempotent
    assert Enrolment.objects.filter(course=course).count() == 2


def test_cohort_refuses_service_points_outside_the_scope(client, world):
    course = build_course(slug="angkatan", lessons=1).course
    client.force_login(world["roles"]["sp1"])
    data = {"course": course.pk, "service_points": [world["points"]["SP002"].pk], "confirm": "1"}
    response = client.post("/admin/trainers/cohort/", data)
    assert response.status_code == 200
    assert not Enrolment.objects.exists()


def test_cohort_refuses_a_closed_course(client, world):
    course = build_course(slug="tutup", lessons=1, open_for_enrolment=False).course
    client.force_login(world["roles"]["sp1"])
    data = {"course": course.pk, "service_points": [world["points"]["SP001"].pk], "confirm": "1"}
    response = client.post("/admin/trainers/cohort/", data)
    assert response.status_code == 200
    assert not Enrolment.objects.exists()


# --- other roles ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/admin/trainers/",
        "/admin/trainers/new/",
        "/admin/trainers/cohort/",
        "/admin/trainers/inspect/{pk}/",
        "/admin/trainers/edit/{pk}/",
        "/admin/trainers/invite/{pk}/",
        "/admin/trainers/deactivate/{pk}/",
        "/admin/trainers/history/{pk}/",
    ],
)
def test_an_editor_gets_nothing_of_the_trainers_area(client, world, url):
    client.force_login(EditorFactory())
    response = client.get(url.format(pk=profile_pk(world, "SP001")))
    assert response.status_code in (302, 403, 404)
    assert "Pelatih SP001" not in response.content.decode()
    assert client.post(url.format(pk=profile_pk(world, "SP001"))).status_code in (302, 403, 404)
    world["trainers"]["SP001"].refresh_from_db()
    assert world["trainers"]["SP001"].is_active


def test_an_editor_sees_no_trainers_menu(client):
    client.force_login(EditorFactory())
    content = client.get("/admin/").content.decode()
    assert "/admin/trainers/" not in content


def test_a_coordinator_sees_the_trainers_menu(client, world):
    client.force_login(world["roles"]["sp1"])
    assert "/admin/trainers/" in client.get("/admin/").content.decode()


@pytest.mark.parametrize("url", ["/admin/", "/admin/trainers/", "/admin/trainers/cohort/"])
def test_a_trainer_has_no_admin_access(client, world, url):
    client.force_login(world["trainers"]["SP001"])
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert "Pelatih SP002" not in response.content.decode()


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/admin/trainers/", "/admin/trainers/?status=completed&activity=30"])
def test_the_list_needs_the_same_queries_for_more_trainers(client, world, url):
    client.force_login(world["roles"]["national"])
    client.get(url)  # warm caches (content types, site)
    few = _queries(client, url)
    for point in world["points"].values():
        for _n in range(5):
            TrainerFactory(service_point=point)
    assert _queries(client, url) == few


def test_the_trainer_page_needs_a_fixed_number_of_queries(client, world):
    course = build_course(slug="hitung", lessons=2).course
    trainer = world["trainers"]["SP001"]
    Enrolment.objects.create(trainer=trainer, course=course)
    client.force_login(world["roles"]["sp1"])
    url = f"/admin/trainers/inspect/{trainer.trainer_profile.pk}/"
    client.get(url)
    before = _queries(client, url)
    other = build_course(slug="hitung-dua", lessons=3).course
    Enrolment.objects.create(trainer=trainer, course=other)
    client.get(url)  # the new course moved the content version on: warm the shared cache again
    assert _queries(client, url) == before


def test_without_base_url_the_invitation_shows_the_address_in_use(client, world, settings):
    settings.BASE_URL = ""
    trainer = world["trainers"]["SP001"]
    trainer.set_unusable_password()  # invited, never signed in: the link may be shown
    trainer.save()
    client.force_login(world["roles"]["sp1"])
    pk = profile_pk(world, "SP001")
    content = client.post(f"/admin/trainers/invite/{pk}/").content.decode()
    assert 'value="http://testserver/accounts/invitation/' in content


@pytest.mark.parametrize(
    "params",
    [
        {"status": "bogus"},
        {"activity": "365"},
        {"course": "abc"},
        {"service_point": "99999999999999999999"},
        {"province": "<script>"},
        {"ordering": "user__password"},
        {"p": "9999"},
        {"q": "x" * 500},
    ],
)
def test_bad_list_parameters_never_crash_nor_widen_the_scope(client, world, params):
    client.force_login(world["roles"]["sp1"])
    response = client.get("/admin/trainers/", params)
    assert response.status_code in (200, 404)
    content = response.content.decode()
    assert "Pelatih SP002" not in content
    assert "<script>" not in content


@pytest.mark.parametrize("bad", ["abc", "99999999999999999999", "-1"])
def test_bad_cohort_input_is_a_form_error(client, world, bad):
    client.force_login(world["roles"]["sp1"])
    response = client.post(
        "/admin/trainers/cohort/", {"course": bad, "service_points": [bad], "confirm": "1"}
    )
    assert response.status_code == 200
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("bad", ["abc", "99999999999999999999"])
def test_a_bad_service_point_id_in_the_trainer_form_is_a_form_error(client, world, bad):
    client.force_login(world["roles"]["sp1"])
    users = User.objects.count()
    response = client.post(
        "/admin/trainers/new/",
        {"full_name": "Ani Lestari", "email": "ani@example.org", "phone": "", "service_point": bad},
    )
    assert response.status_code == 200
    assert User.objects.count() == users


@pytest.mark.parametrize("action", ["inspect", "edit", "invite", "deactivate", "history", "usage", "delete"])
def test_an_id_too_large_for_the_database_answers_404(client, world, action):
    client.force_login(world["roles"]["national"])
    assert client.get(f"/admin/trainers/{action}/99999999999999999999/").status_code in (302, 404)


def test_the_status_filter_follows_learning_and_certificates(client, world):
    from certificates.services import certificate_issue
    from courses.models import LessonProgress
    from tests.factories import certified_course

    built = build_course(slug="jalan", lessons=2)
    learner, finisher = world["trainers"]["SP001"], world["trainers"]["SP002"]
    enrolment = Enrolment.objects.create(trainer=learner, course=built.course)
    LessonProgress.objects.create(enrolment=enrolment, lesson=built.lessons[0])
    done = certified_course()
    Enrolment.objects.create(trainer=finisher, course=done, completed_at=enrolment.enrolled_at)
    certificate_issue(trainer=finisher, course=done)
    client.force_login(world["roles"]["national"])

    def names(**params):
        content = client.get("/admin/trainers/", params).content.decode()
        return {code for code in ("SP001", "SP002", "SP003") if f"Pelatih {code}" in content}

    assert names(status="in_progress") == {"SP001"}
    assert names(status="completed") == {"SP002"}
    assert names(status="certified") == {"SP002"}
    assert names(status="not_started") == {"SP002", "SP003"}
    assert names(status="certified", course=built.course.pk) == set()
    assert names(activity="7") == {"SP001"}
    assert names(activity="never") == {"SP002", "SP003"}
