"""Helpers for the learning tests: a live content tree whose quiz, question and choice ids are known."""

import json
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from wagtail.models import Page, Site

from courses.models import (
    CourseIndexPage,
    CoursePage,
    HomePage,
    LessonPage,
    ModulePage,
    ServicePoint,
    TrainerProfile,
)

PASSWORD = "kata-sandi-uji-456"
EXPLANATION = "PEMBAHASAN-RAHASIA-{n}"


def make_trainer(
    username: str = "sari", *, email: str | None = None, password: str = PASSWORD, service_point=None
):
    user = get_user_model().objects.create_user(
        username=username, email=email or f"{username}@example.org", password=password
    )
    TrainerProfile.objects.create(
        user=user, full_name=f"{username.title()} Lestari", service_point=service_point
    )
    return user


def make_service_point(code: str = "TL-001") -> ServicePoint:
    return ServicePoint.objects.create(
        code=code, name=f"UPT BP2MI {code}", province="Jawa Timur", city="Surabaya"
    )


def home_page() -> HomePage:
    home = HomePage.objects.first()
    if home is not None:
        return home
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Beranda", slug="beranda-belajar"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.save()
    return home


def course_index() -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index is not None:
        return index
    return home_page().add_child(instance=CourseIndexPage(title="Kursus", slug="kursus"))


def quiz_block(*, quiz_id: str, n: int, pass_mark=None, max_attempts=None) -> dict:
    """A quiz of two questions: q1 single (a right, b wrong); q2 multiple (a and c right, b wrong)."""
    questions = [
        {
            "type": "item",
            "id": f"{quiz_id}-q1",
            "value": {
                "text": f"Pertanyaan satu kuis {n}?",
                "kind": "single",
                "explanation": EXPLANATION.format(n=f"{n}-1"),
                "choices": [
                    {
                        "type": "item",
                        "id": f"{quiz_id}-q1-a",
                        "value": {"text": "Jawaban A", "correct": True},
                    },
                    {
                        "type": "item",
                        "id": f"{quiz_id}-q1-b",
                        "value": {"text": "Jawaban B", "correct": False},
                    },
                ],
            },
        },
        {
            "type": "item",
            "id": f"{quiz_id}-q2",
            "value": {
                "text": f"Pertanyaan dua kuis {n}?",
                "kind": "multiple",
                "explanation": EXPLANATION.format(n=f"{n}-2"),
                "choices": [
                    {
                        "type": "item",
                        "id": f"{quiz_id}-q2-a",
                        "value": {"text": "Pilihan A", "correct": True},
                    },
                    {
                        "type": "item",
                        "id": f"{quiz_id}-q2-b",
                        "value": {"text": "Pilihan B", "correct": False},
                    },
                    {
                        "type": "item",
                        "id": f"{quiz_id}-q2-c",
                        "value": {"text": "Pilihan C", "correct": True},
                    },
                ],
            },
        },
    ]
    return {
        "type": "quiz",
        "id": quiz_id,
        "value": {
            "title": f"Kuis {n}",
            "intro": "",
            "pass_mark": pass_mark,
            "max_attempts": max_attempts,
            "questions": questions,
        },
    }


def right_answers(quiz_id: str) -> dict[str, list[str]]:
    return {f"{quiz_id}-q1": [f"{quiz_id}-q1-a"], f"{quiz_id}-q2": [f"{quiz_id}-q2-a", f"{quiz_id}-q2-c"]}


def half_right_answers(quiz_id: str) -> dict[str, list[str]]:
    """q1 right; q2 with one right choice missing: scores 50."""
    return {f"{quiz_id}-q1": [f"{quiz_id}-q1-a"], f"{quiz_id}-q2": [f"{quiz_id}-q2-a"]}


def as_post(answers: dict[str, list[str]]) -> dict[str, list[str]]:
    """Answers as the quiz form posts them."""
    return {f"q-{question_id}": choices for question_id, choices in answers.items()}


@dataclass
class Course:
    course: CoursePage
    modules: list[ModulePage]
    lessons: list[LessonPage]
    quiz_ids: list[str] = field(default_factory=list)


def build_course(
    *,
    slug: str = "kursus-belajar",
    lessons: int = 3,
    modules: int = 1,
    quiz_lessons: tuple[int, ...] = (0,),
    max_attempts=None,
    pass_mark=None,
    open_for_enrolment: bool = True,
    image=None,
) -> Course:
    """A live course: `lessons` lessons spread over `modules` modules; the lessons whose index is
    in `quiz_lessons` end with a quiz. With `image`, every lesson shows that image too."""
    course = course_index().add_child(
        instance=CoursePage(
            title=f"Kursus {slug}",
            slug=slug,
            summary="Ringkasan kursus.",
            pass_mark=70,
            open_for_enrolment=open_for_enrolment,
        )
    )
    built = Course(course=course, modules=[], lessons=[])
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
        if n in quiz_lessons:
            quiz_id = str(uuid.uuid4())
            built.quiz_ids.append(quiz_id)
            body.append(quiz_block(quiz_id=quiz_id, n=n + 1, pass_mark=pass_mark, max_attempts=max_attempts))
        module = built.modules[n * modules // lessons]
        built.lessons.append(
            module.add_child(
                instance=LessonPage(
                    title=f"Pelajaran {n + 1}", slug=f"pelajaran-{n + 1}", body=json.dumps(body)
                )
            )
        )
    return built


def make_image(title: str = "Gambar uji"):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    return get_image_model().objects.create(title=title, file=get_test_image_file(size=(1200, 800)))
