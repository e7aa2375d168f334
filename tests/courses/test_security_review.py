"""Security review of the learning side: object access, hidden pages and odd input.

Self-contained on purpose: its own small content tree, so that it does not depend on the shared
test helpers."""

import json
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import APIToken, Page, PageViewRestriction, Site

from courses.models import (
    CourseIndexPage,
    CoursePage,
    Enrolment,
    HomePage,
    LessonPage,
    LessonProgress,
    ModulePage,
    QuizAttempt,
    SyncEvent,
)

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-tinjau-789"
SECRET_BODY = "ISI-PELAJARAN-TERBATAS"


def _home() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        home = Page.get_first_root_node().add_child(instance=HomePage(title="Beranda", slug="beranda-tinjau"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="testserver", root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    return home


def _quiz(quiz_id: str) -> dict:
    return {
        "type": "quiz",
        "id": quiz_id,
        "value": {
            "title": "Kuis tinjauan",
            "intro": "",
            "pass_mark": None,
            "max_attempts": None,
            "questions": [
                {
                    "type": "item",
                    "id": f"{quiz_id}-q1",
                    "value": {
                        "text": "Pertanyaan?",
                        "kind": "single",
                        "explanation": "PEMBAHASAN-TINJAU",
                        "choices": [
                            {"type": "item", "id": f"{quiz_id}-a", "value": {"text": "A", "correct": True}},
                            {"type": "item", "id": f"{quiz_id}-b", "value": {"text": "B", "correct": False}},
                        ],
                    },
                }
            ],
        },
    }


class Tree:
    def __init__(self, slug: str = "kursus-tinjau"):
        index = CourseIndexPage.objects.first() or _home().add_child(
            instance=CourseIndexPage(title="Kursus", slug="kursus")
        )
        self.course = index.add_child(
            instance=CoursePage(title=f"Kursus {slug}", slug=slug, summary="Ringkasan.", pass_mark=70)
        )
        self.module = self.course.add_child(instance=ModulePage(title="Modul 1", slug="modul-1"))
        self.quiz_id = str(uuid.uuid4())
        body = [
            {"type": "rich_text", "id": str(uuid.uuid4()), "value": f"<p>{SECRET_BODY}</p>"},
            _quiz(self.quiz_id),
        ]
        self.lesson = self.module.add_child(
            instance=LessonPage(title="Pelajaran 1", slug="pelajaran-1", body=json.dumps(body))
        )

    @property
    def right(self) -> dict[str, list[str]]:
        return {f"{self.quiz_id}-q1": [f"{self.quiz_id}-a"]}


def _trainer(username: str = "rina"):
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD
    )


def _restrict_to_group(page) -> Group:
    group = Group.objects.create(name=f"Pilot {page.pk}")
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(group)
    return group


@pytest.fixture
def tree():
    return Tree()


@pytest.fixture
def trainer():
    return _trainer()


@pytest.fixture
def browser(trainer):
    client = Client()
    client.force_login(trainer)
    return client


@pytest.fixture
def api(trainer):
    _token, plaintext = APIToken.create_token(user=trainer, name="tinjau")
    return Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")


def _sync(api, *events):
    return api.post("/api/v1/me/sync", {"events": list(events)}, content_type="application/json")


def _lesson_event(lesson_id) -> dict:
    return {"id": str(uuid.uuid4()), "type": "lesson_completed", "lesson_id": str(lesson_id)}


def _quiz_event(quiz_id, answers) -> dict:
    return {"id": str(uuid.uuid4()), "type": "quiz_attempt", "quiz_id": quiz_id, "answers": answers}


# ---------------------------------------------------------------------------------------------
# Ids that look like numbers to str.isdigit() but are not
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/lessons/%C2%B2/complete",
        "/api/v1/courses/%C2%B2/enrol",
    ],
)
def test_api_superscript_digit_id_is_not_found_not_a_crash(api, tree, path):
    response = api.post(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("path", ["/api/v1/me/attempts/%C2%B2", "/api/v1/me/progress/%C2%B2"])
def test_api_superscript_digit_id_in_reads_is_not_found(api, tree, path):
    response = api.get(path)
    assert response.status_code == 404


def test_sync_superscript_digit_lesson_id_is_rejected_not_a_crash(api, tree, trainer):
    Enrolment.objects.create(trainer=trainer, course=tree.course)
    response = _sync(api, _lesson_event("²"))
    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "rejected"
    assert not SyncEvent.objects.exists()


def test_sync_huge_lesson_id_is_rejected_not_a_crash(api, tree, trainer):
    Enrolment.objects.create(trainer=trainer, course=tree.course)
    response = _sync(api, _lesson_event("9" * 20))
    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "rejected"


def test_html_huge_ids_are_not_found(browser, tree):
    big = "9" * 25
    assert browser.post(f"/learn/lessons/{big}/complete/").status_code == 404
    assert browser.post(f"/learn/courses/{big}/enrol/").status_code == 404
    assert browser.get(f"/learn/attempts/{big}/").status_code == 404


# ---------------------------------------------------------------------------------------------
# Lessons and courses behind a view restriction
# ---------------------------------------------------------------------------------------------


def test_sync_cannot_complete_a_lesson_behind_a_view_restriction(api, tree, trainer):
    Enrolment.objects.create(trainer=trainer, course=tree.course)
    _restrict_to_group(tree.lesson)
    response = _sync(api, _lesson_event(tree.lesson.pk))
    assert response.json()["results"][0]["status"] == "rejected"
    assert not LessonProgress.objects.exists()
    assert not SyncEvent.objects.exists()


def test_sync_cannot_submit_a_quiz_of_a_lesson_behind_a_view_restriction(api, tree, trainer):
    Enrolment.objects.create(trainer=trainer, course=tree.course)
    _restrict_to_group(tree.module)
    response = _sync(api, _quiz_event(tree.quiz_id, tree.right))
    assert response.json()["results"][0]["status"] == "rejected"
    assert not QuizAttempt.objects.exists()


def test_sync_cannot_complete_a_lesson_of_an_unpublished_course(api, tree, trainer):
    Enrolment.objects.create(trainer=trainer, course=tree.course)
    CoursePage.objects.filter(pk=tree.course.pk).update(live=False)
    response = _sync(api, _lesson_event(tree.lesson.pk), _quiz_event(tree.quiz_id, tree.right))
    assert [item["status"] for item in response.json()["results"]] == ["rejected", "rejected"]
    assert not LessonProgress.objects.exists()
    assert not QuizAttempt.objects.exists()


def test_page_form_cannot_complete_a_lesson_behind_a_view_restriction(browser, tree, trainer):
    Enrolment.objects.create(trainer=trainer, course=tree.course)
    _restrict_to_group(tree.lesson)
    assert browser.get(tree.lesson.url).status_code in (302, 403)  # Wagtail's own answer
    response = browser.post(f"/learn/lessons/{tree.lesson.pk}/complete/")
    assert response.status_code == 404
    assert not LessonProgress.objects.exists()


def test_page_form_quiz_of_a_restricted_lesson_neither_shows_the_lesson_nor_stores(browser, tree, trainer):
    Enrolment.objects.create(trainer=trainer, course=tree.course)
    _restrict_to_group(tree.module)
    # Invalid answers used to render the lesson itself, bypassing the restriction.
    invalid = browser.post(f"/learn/quizzes/{tree.quiz_id}/attempts/", {})
    assert invalid.status_code == 404
    assert SECRET_BODY not in invalid.content.decode()
    valid = browser.post(
        f"/learn/quizzes/{tree.quiz_id}/attempts/", {f"q-{tree.quiz_id}-q1": f"{tree.quiz_id}-a"}
    )
    assert valid.status_code == 404
    assert not QuizAttempt.objects.exists()


def test_page_form_cannot_enrol_in_a_course_behind_a_view_restriction(browser, tree):
    _restrict_to_group(tree.course)
    response = browser.post(f"/learn/courses/{tree.course.pk}/enrol/")
    assert response.status_code == 404
    assert not Enrolment.objects.exists()


def test_members_of_the_restricting_group_still_learn(browser, tree, trainer):
    group = _restrict_to_group(tree.course)
    trainer.groups.add(group)
    assert browser.post(f"/learn/courses/{tree.course.pk}/enrol/").status_code == 302
    assert browser.post(f"/learn/lessons/{tree.lesson.pk}/complete/").status_code == 302
    response = browser.post(
        f"/learn/quizzes/{tree.quiz_id}/attempts/", {f"q-{tree.quiz_id}-q1": f"{tree.quiz_id}-a"}
    )
    assert response.status_code == 302
    assert LessonProgress.objects.count() == 1
    assert QuizAttempt.objects.get().passed


# ---------------------------------------------------------------------------------------------
# Bodies too large
# ---------------------------------------------------------------------------------------------


def test_api_body_over_the_upload_limit_is_a_json_error_in_indonesian(api, tree, trainer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    Enrolment.objects.create(trainer=trainer, course=tree.course)
    events = [_lesson_event(tree.lesson.pk) for _ in range(200)]
    response = _sync(api, *events)
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "too_large"
    assert "terlalu besar" in body["detail"]
    assert not SyncEvent.objects.exists()
    assert not LessonProgress.objects.exists()
