"""seed_demo loads a complete demo and is idempotent."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from courses.models import (
    CoordinatorProfile,
    CoursePage,
    FacilitatorGuidePage,
    HomePage,
    LessonPage,
    ModulePage,
    ServicePoint,
    TrainerProfile,
)
from courses.models.pages import LessonPage as LessonPageModel

pytestmark = pytest.mark.django_db

COURSE_TITLE = "Pendampingan Purna PMI dalam Program Kartu Prakerja"


def seed(**kwargs) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **kwargs)
    return out.getvalue()


def snapshot() -> dict:
    User = get_user_model()
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "service_points": ServicePoint.objects.count(),
        "users": User.objects.count(),
        "passwords": sorted(User.objects.values_list("password", flat=True)),
        "trainer_profiles": TrainerProfile.objects.count(),
        "coordinator_links": CoordinatorProfile.service_points.through.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
        "sites": list(Site.objects.values_list("root_page_id", flat=True)),
        "bodies": sorted((p.pk, str(p.body.raw_data)) for p in LessonPageModel.objects.all()),
    }


def test_seeding_twice_changes_nothing_and_builds_the_whole_demo(settings):
    settings.DEMO_PASSWORD = ""
    first_output = seed()
    first = snapshot()
    second_output = seed()
    assert snapshot() == first
    assert "nothing changed" in second_output
    # Refreshing from unchanged data publishes nothing new either.
    seed(refresh=True)
    assert snapshot() == first

    # 92 service points, SP001…SP092, in many real provinces.
    codes = list(ServicePoint.objects.values_list("code", flat=True))
    assert codes == [f"SP{n:03d}" for n in range(1, 93)]
    assert ServicePoint.objects.values("province").distinct().count() >= 30
    assert {kind for kind, _ in ServicePoint.Kind.choices} - {"other"} <= set(
        ServicePoint.objects.values_list("kind", flat=True)
    )

    # The site's root is the HomePage; Wagtail's welcome page is gone.
    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert not Page.objects.filter(depth=2).exclude(pk=home.pk).exists()

    # The course: ≥4 modules, ≥3 live lessons each, a quiz with explanations in every module.
    course = CoursePage.objects.get(title=COURSE_TITLE)
    assert course.live and not course.has_unpublished_changes
    assert course.certificate_template_id is not None and course.auto_issue_certificate
    modules = ModulePage.objects.child_of(course).live()
    assert modules.count() >= 4
    for module in modules:
        lessons = LessonPage.objects.child_of(module).live()
        assert lessons.count() >= 3
        quizzes = [block.value for lesson in lessons for block in lesson.body if block.block_type == "quiz"]
        assert quizzes, module.title
        for quiz in quizzes:
            for question in quiz["questions"]:
                assert question["explanation"]
                assert any(choice["correct"] for choice in question["choices"])
        for lesson in lessons.filter(assessment_role=""):
            text = " ".join(str(block.value) for block in lesson.body if block.block_type == "rich_text")
            assert len(text) > 500, lesson.title
            assert "lorem" not in text.lower()
    assert FacilitatorGuidePage.objects.live().count() >= 2
    assert all(guide.agenda and guide.course_id for guide in FacilitatorGuidePage.objects.all())

    # One account per role, in the right groups, and the output prints them with the password.
    User = get_user_model()
    pelatih = User.objects.get(username="pelatih")
    assert list(pelatih.groups.values_list("name", flat=True)) == ["Trainers"]
    assert pelatih.trainer_profile.service_point.code == "SP001"
    assert list(User.objects.get(username="editor").groups.values_list("name", flat=True)) == [
        "Content editors"
    ]
    koordinator = User.objects.get(username="koordinator")
    assert list(koordinator.groups.values_list("name", flat=True)) == ["Coordinators"]
    assert koordinator.coordinator_profile.service_points.count() >= 2
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.groups.filter(name="Moderators").exists()
    for username in ("pelatih", "editor", "koordinator", "admin"):
        assert User.objects.get(username=username).check_password("prakerja-demo-2026")
        assert username in first_output
    assert "prakerja-demo-2026" in first_output
    assert not any(user.is_staff for user in User.objects.exclude(username="admin"))
    assert Group.objects.filter(name__in=["Trainers", "Content editors", "Coordinators"]).count() == 3


def test_demo_password_comes_from_the_demo_password_setting(settings):
    settings.DEMO_PASSWORD = "sandi-dari-lingkungan-99"
    output = seed()
    assert "sandi-dari-lingkungan-99" in output
    assert get_user_model().objects.get(username="editor").check_password("sandi-dari-lingkungan-99")


def test_quiz_ids_are_derived_from_the_lesson_slug_and_position():
    """So that a fresh database gets the same quiz ids: offline clients and attempts keep matching."""
    from courses.demo.course import COURSE
    from courses.demo.seed import stable_id

    seed()
    ids = {
        block.id for lesson in LessonPage.objects.all() for block in lesson.body if block.block_type == "quiz"
    }
    expected = {
        stable_id(lesson["slug"], index)
        for module in COURSE["modules"]
        for lesson in module["lessons"]
        for index, (block_type, _) in enumerate(lesson["body"])
        if block_type == "quiz"
    }
    assert ids == expected
    assert len(ids) >= 5


def reading_order(course: CoursePage) -> list[LessonPage]:
    return [
        lesson
        for module in ModulePage.objects.child_of(course).live().order_by("path")
        for lesson in LessonPage.objects.child_of(module).live().order_by("path")
    ]


def test_the_demo_course_opens_with_the_pre_test_and_closes_with_the_post_test(client):
    from tests.factories import TrainerFactory

    seed()
    course = CoursePage.objects.get(title=COURSE_TITLE)
    lessons = reading_order(course)
    pre, post = lessons[0], lessons[-1]
    assert (pre.title, pre.assessment_role) == ("Tes awal", "pre_test")
    assert (post.title, post.assessment_role) == ("Tes akhir", "post_test")
    assert [lesson.assessment_role for lesson in lessons[1:-1]] == [""] * (len(lessons) - 2)
    for lesson in (pre, post):
        quizzes = [block for block in lesson.body if block.block_type == "quiz"]
        assert len(quizzes) == 1
        assert 3 <= len(quizzes[0].value["questions"]) <= 4

    client.force_login(TrainerFactory())
    listed = {item["id"]: item for item in client.get("/api/v1/courses").json()}[str(course.pk)]
    assert listed["pre_test_id"] == next(b.id for b in pre.body if b.block_type == "quiz")
    assert listed["post_test_id"] == next(b.id for b in post.body if b.block_type == "quiz")
    assert listed["pre_test_id"] != listed["post_test_id"]


def test_a_database_seeded_before_the_tests_gets_them_in_reading_order():
    seed()
    course = CoursePage.objects.get(title=COURSE_TITLE)
    LessonPage.objects.get(slug="tes-awal").delete()
    LessonPage.objects.get(slug="tes-akhir").delete()
    assert reading_order(course)[0].slug == "mengenal-program-kartu-prakerja"

    seed()
    lessons = reading_order(course)
    assert (lessons[0].slug, lessons[-1].slug) == ("tes-awal", "tes-akhir")
    before = snapshot()
    assert "nothing changed" in seed()
    assert snapshot() == before
