"""Helpers for the API tests: a content tree with quizzes whose ids are known, users and tokens."""

import json
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from wagtail.models import APIToken, Page, Site

from courses.models import CourseIndexPage, CoursePage, HomePage, LessonPage, ModulePage, TrainerProfile

PASSWORD = "kata-sandi-uji-123"
EXPLANATION = "Penjelasan rahasia {n}: jawabannya pilihan pertama."


def make_trainer(username: str = "andi", *, email: str | None = None, password: str = PASSWORD):
    user = get_user_model().objects.create_user(
        username=username, email=email or f"{username}@example.org", password=password
    )
    TrainerProfile.objects.create(user=user, full_name=username.title())
    return user


def token_for(user) -> str:
    _token, plaintext = APIToken.create_token(user=user, name="uji")
    return plaintext


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def make_image():
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    return get_image_model().objects.create(title="Gambar uji", file=get_test_image_file())


def home_page() -> HomePage:
    home = HomePage.objects.first()
    if home is not None:
        return home
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Beranda", slug="beranda-uji"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="testserver", root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.save()
    return home


def course_index() -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index is not None:
        return index
    return home_page().add_child(instance=CourseIndexPage(title="Kursus", slug="kursus"))


def quiz_block(*, quiz_id: str, n: int, questions: int = 2, pass_mark=None, max_attempts=None) -> dict:
    """A quiz block in raw StreamField JSON: question i has choices a (correct) and b; the last
    question of a quiz with more than one is a multiple-choice one with a and c correct."""
    items = []
    for q in range(1, questions + 1):
        multiple = questions > 1 and q == questions
        choices = [
            {"type": "item", "id": f"{quiz_id}-q{q}-a", "value": {"text": "Pilihan A", "correct": True}},
            {"type": "item", "id": f"{quiz_id}-q{q}-b", "value": {"text": "Pilihan B", "correct": False}},
        ]
        if multiple:
            choices.append(
                {"type": "item", "id": f"{quiz_id}-q{q}-c", "value": {"text": "Pilihan C", "correct": True}}
            )
        items.append(
            {
                "type": "item",
                "id": f"{quiz_id}-q{q}",
                "value": {
                    "text": f"Pertanyaan {q}?",
                    "kind": "multiple" if multiple else "single",
                    "explanation": EXPLANATION.format(n=f"{n}.{q}"),
                    "choices": choices,
                },
            }
        )
    return {
        "type": "quiz",
        "id": quiz_id,
        "value": {
            "title": f"Kuis {n}",
            "intro": "",
            "pass_mark": pass_mark,
            "max_attempts": max_attempts,
            "questions": items,
        },
    }


@dataclass
class BuiltCourse:
    course: CoursePage
    modules: list[ModulePage]
    lessons: list[LessonPage]
    quiz_ids: list[str] = field(default_factory=list)

    def right_answers(self, quiz_id: str, questions: int = 2) -> dict[str, list[str]]:
        answers = {f"{quiz_id}-q{q}": [f"{quiz_id}-q{q}-a"] for q in range(1, questions + 1)}
        if questions > 1:
            answers[f"{quiz_id}-q{questions}"] = [f"{quiz_id}-q{questions}-a", f"{quiz_id}-q{questions}-c"]
        return answers

    def wrong_answers(self, quiz_id: str, questions: int = 2) -> dict[str, list[str]]:
        return {f"{quiz_id}-q{q}": [f"{quiz_id}-q{q}-b"] for q in range(1, questions + 1)}


def build_course(
    *,
    slug: str = "kursus-uji",
    lessons: int = 3,
    modules: int = 1,
    quizzes: int = 1,
    max_attempts=None,
    open_for_enrolment: bool = True,
    image=None,
) -> BuiltCourse:
    """A live course with `lessons` lessons spread over `modules` modules; the first `quizzes`
    lessons end with a quiz of two questions. With `image`, every lesson shows that image."""
    course = course_index().add_child(
        instance=CoursePage(
            title=f"Kursus {slug}",
            slug=slug,
            summary="Ringkasan kursus uji.",
            pass_mark=70,
            open_for_enrolment=open_for_enrolment,
        )
    )
    built = BuiltCourse(course=course, modules=[], lessons=[])
    for m in range(modules):
        built.modules.append(
            course.add_child(instance=ModulePage(title=f"Modul {m + 1}", slug=f"modul-{m + 1}"))
        )
    for n in range(lessons):
        body = [{"type": "rich_text", "id": str(uuid.uuid4()), "value": f"<p>Isi pelajaran {n + 1}.</p>"}]
        if image is not None:
            body.append(
                {
                    "type": "image",
                    "id": str(uuid.uuid4()),
                    "value": {"image": image.pk, "alt_text": "Gambar", "caption": ""},
                }
            )
        if n < quizzes:
            quiz_id = str(uuid.uuid4())
            built.quiz_ids.append(quiz_id)
            body.append(quiz_block(quiz_id=quiz_id, n=n + 1, max_attempts=max_attempts))
        module = built.modules[n * modules // lessons]
        built.lessons.append(
            module.add_child(
                instance=LessonPage(
                    title=f"Pelajaran {n + 1}", slug=f"pelajaran-{n + 1}", body=json.dumps(body)
                )
            )
        )
    return built
