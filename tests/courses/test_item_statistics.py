"""Item statistics of a lesson's quizzes for editors: exact figures on a small hand-built set of
attempts (pools included), the discrimination index, and who may see the screen."""

import uuid

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from courses.models import CoursePage, LessonPage, QuizAttempt
from courses.selectors import item_statistics
from courses.selectors.item_statistics import lesson_item_statistics, upper_lower_shares
from tests.factories import (
    AdminFactory,
    EnrolmentFactory,
    LessonPageFactory,
    TrainerFactory,
    UserFactory,
    build_course,
    quiz_block,
)
from tests.queries import assert_database_query_count

pytestmark = pytest.mark.django_db

QUIZ = "kuis-statistik"


def _question(number: int, kind: str, correct: str) -> dict:
    return {
        "type": "item",
        "id": f"q{number}",
        "value": {
            "text": f"Pertanyaan {number}?",
            "kind": kind,
            "explanation": "",
            "choices": [
                {
                    "type": "item",
                    "id": f"q{number}-{letter}",
                    "value": {"text": f"{letter.upper()}{number}", "correct": letter in correct},
                }
                for letter in "abc"
            ],
        },
    }


def _quiz_body() -> list[dict]:
    """q1 single (a right), q2 single (a right), q3 multiple (a and c right)."""
    return [
        {
            "type": "quiz",
            "id": QUIZ,
            "value": {
                "title": "Kuis statistik",
                "intro": "",
                "pass_mark": None,
                "max_attempts": None,
                "questions": [
                    _question(1, "single", "a"),
                    _question(2, "single", "a"),
                    _question(3, "multiple", "ac"),
                ],
            },
        }
    ]


# Twelve attempts answered all three questions, two (pool draws) only q2 and q3. Per attempt the
# choices of q1, q2, q3; "." = the question was not drawn.
ATTEMPTS = [
    ("a", "a", "ac"),  # 1: right, right, right
    ("a", "a", "ac"),  # 2
    ("a", "a", "a"),  # 3: right, right, wrong
    ("a", "b", "ac"),  # 4: right, wrong, right
    ("b", "a", "ac"),  # 5: wrong, right, right
    ("a", "a", "b"),  # 6: right, right, wrong
    ("b", "b", "ac"),  # 7: wrong, wrong, right
    ("a", "b", "a"),  # 8: right, wrong, wrong
    ("c", "b", "b"),  # 9: wrong, wrong, wrong
    ("b", "b", "b"),  # 10
    ("b", "a", "ab"),  # 11: wrong, right, wrong
    ("a", "b", "a"),  # 12: right, wrong, wrong
    (".", "a", "ac"),  # 13: pool: right, right
    (".", "b", "b"),  # 14: pool: wrong, wrong
]


@pytest.fixture
def lesson():
    built = build_course(lessons=2, quiz_lessons=())
    lesson = built.lessons[0]
    lesson.body = _quiz_body()
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    return lesson


def _record(lesson, rows=ATTEMPTS, *, trainers=7):
    course = CoursePage.objects.ancestor_of(lesson).get()
    enrolments = [EnrolmentFactory(course=course) for _ in range(trainers)]
    for number, choices in enumerate(rows):
        answers = {
            f"q{q}": [f"q{q}-{letter}" for letter in chosen]
            for q, chosen in enumerate(choices, start=1)
            if chosen != "."
        }
        QuizAttempt.objects.create(
            enrolment=enrolments[number % trainers], lesson=lesson, quiz_id=QUIZ, answers=answers, score=0
        )
    return enrolments


def _by_id(stats):
    return {question.id: question for question in stats.questions}


def test_share_correct_and_choices_count_each_question_over_the_attempts_that_drew_it(lesson):
    _record(lesson)
    [stats] = lesson_item_statistics(lesson=lesson)
    assert (stats.quiz_id, stats.title, stats.attempts, stats.trainers) == (QUIZ, "Kuis statistik", 14, 7)
    q1, q2, q3 = (_by_id(stats)[key] for key in ("q1", "q2", "q3"))
    assert (q1.answered, q1.correct) == (12, 7)
    assert q1.correct_share == pytest.approx(7 / 12)
    assert [(choice.id, choice.picked) for choice in q1.choices] == [("q1-a", 7), ("q1-b", 4), ("q1-c", 1)]
    assert [choice.share for choice in q1.choices] == pytest.approx([7 / 12, 4 / 12, 1 / 12])
    assert (q2.answered, q2.correct) == (14, 7)
    assert [(choice.id, choice.picked) for choice in q2.choices] == [("q2-a", 7), ("q2-b", 7), ("q2-c", 0)]
    # Multiple answers: right only with exactly a and c; each choice counted wherever it was picked.
    assert (q3.answered, q3.correct) == (14, 6)
    assert [(choice.id, choice.picked) for choice in q3.choices] == [("q3-a", 10), ("q3-b", 5), ("q3-c", 6)]


def test_discrimination_is_upper_minus_lower_27_percent_ranked_by_the_other_questions(lesson):
    _record(lesson)
    [stats] = lesson_item_statistics(lesson=lesson)
    q1 = _by_id(stats)["q1"]
    # q1's rest score is the share right of q2 and q3: 1 for attempts 1, 2, 5 (q1 right twice);
    # 0.5 for 3, 4, 6, 7, 11 (right three times); 0 for 8, 9, 10, 12 (right twice). A group is
    # 27 % of 12 = 3.24 attempts: the upper takes the three at 1 and 0.24 of the five at 0.5,
    # the lower 3.24 of the four at 0, each counted at 0.81.
    assert q1.upper_share == pytest.approx((2 + 0.24 * 3 / 5) / 3.24)
    assert q1.lower_share == pytest.approx(0.5)
    assert q1.discrimination == pytest.approx((2 + 0.24 * 3 / 5) / 3.24 - 0.5)
    assert round(q1.discrimination, 2) == 0.16
    assert any("Daya beda rendah" in warning for warning in q1.warnings)


def test_upper_lower_groups_do_not_depend_on_the_order_of_ties():
    pairs = [(0.5, True)] * 5 + [(0.5, False)] * 5 + [(1.0, True)] * 3 + [(0.0, False)] * 3
    shares = upper_lower_shares(pairs)
    assert shares == upper_lower_shares(list(reversed(pairs)))
    size = 0.27 * 16  # 4.32: three at 1.0, then 1.32 of the ten tied at 0.5, half of them right
    assert shares == pytest.approx(((3 + 1.32 / 2) / size, (1.32 / 2) / size))


def test_a_question_that_separates_perfectly_has_discrimination_one():
    pairs = [(index / 99, index >= 50) for index in range(100)]
    upper, lower = upper_lower_shares(pairs)
    assert (upper, lower) == (1.0, 0.0)


def test_too_few_answers_give_no_discrimination_and_no_warnings(lesson):
    _record(lesson, rows=ATTEMPTS[:9])
    [stats] = lesson_item_statistics(lesson=lesson)
    q1 = _by_id(stats)["q1"]
    assert q1.answered == 9 < item_statistics.MIN_ANSWERS
    assert (q1.upper_share, q1.lower_share, q1.discrimination, q1.warnings) == (None, None, None, ())


def test_warnings_name_an_unused_wrong_choice_and_a_key_that_favours_the_weak(lesson):
    # Everyone strong (right on q2 and q3) picks q1-b; everyone weak picks q1-a, the "right" one.
    rows = [("b", "a", "ac")] * 6 + [("a", "b", "b")] * 6
    _record(lesson, rows=rows)
    [stats] = lesson_item_statistics(lesson=lesson)
    q1, q2 = _by_id(stats)["q1"], _by_id(stats)["q2"]
    assert q1.discrimination == pytest.approx(-1.0)
    assert any("periksa kunci jawabannya" in warning for warning in q1.warnings)
    assert [choice.unused_distractor for choice in q2.choices] == [False, False, True]
    assert any("tidak pernah dipilih" in warning for warning in q2.warnings)


def test_answers_to_removed_questions_unknown_choices_and_other_lessons_are_left_out(lesson):
    enrolment = _record(lesson, rows=ATTEMPTS[:2])[0]
    QuizAttempt.objects.create(
        enrolment=enrolment,
        lesson=lesson,
        quiz_id=QUIZ,
        answers={"q1": ["q1-b"], "q9-dihapus": ["x"], "q2": 5, "q3": ["q3-zzz"]},
        score=0,
    )
    copy = LessonPageFactory(parent=lesson.get_parent(), title="Salinan", slug="salinan", body=_quiz_body())
    QuizAttempt.objects.create(
        enrolment=enrolment, lesson=copy, quiz_id=QUIZ, answers={"q1": ["q1-c"]}, score=0
    )
    [stats] = lesson_item_statistics(lesson=lesson)
    q1, q2, q3 = (_by_id(stats)[key] for key in ("q1", "q2", "q3"))
    assert stats.attempts == 3
    assert [(choice.id, choice.picked) for choice in q1.choices] == [("q1-a", 2), ("q1-b", 1), ("q1-c", 0)]
    assert (q2.answered, q3.answered, q3.correct) == (2, 3, 2)


def test_statistics_follow_the_published_answer_key(lesson):
    _record(lesson)
    body = _quiz_body()
    for choice in body[0]["value"]["questions"][0]["value"]["choices"]:
        choice["value"]["correct"] = choice["id"] == "q1-b"
    lesson.body = body
    lesson.save_revision().publish()
    [stats] = lesson_item_statistics(lesson=LessonPage.objects.get(pk=lesson.pk))
    assert _by_id(stats)["q1"].correct == 4


def test_statistics_read_every_quiz_of_a_lesson_in_one_query(lesson):
    _record(lesson)
    lesson = LessonPage.objects.get(pk=lesson.pk)
    with assert_database_query_count(1):
        lesson_item_statistics(lesson=lesson)


# --- the admin screen ------------------------------------------------------------------------------


def _url(lesson, quiz_id=None):
    return f"/admin/statistik-butir/{lesson.pk}/" + (f"{quiz_id}/" if quiz_id else "")


def test_editor_sees_the_figures_of_each_question(client, editor, lesson):
    _record(lesson)
    client.force_login(editor)
    response = client.get(_url(lesson))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Statistik butir soal" in html and "Kuis statistik" in html and "Pertanyaan 1?" in html
    assert "58 %" in html  # q1: 7 of 12 right
    assert "0,16" in html  # q1's discrimination, written the Indonesian way
    assert "point-biserial" in html  # the help text says which index and why
    assert client.get(_url(lesson, QUIZ)).status_code == 200


def test_lesson_edit_page_links_to_the_statistics(client, editor, lesson):
    client.force_login(editor)
    html = client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert _url(lesson) in html
    explorer = client.get(f"/admin/pages/{lesson.get_parent().pk}/").content.decode()
    assert _url(lesson) in explorer


def test_administrator_sees_the_statistics(client, lesson):
    client.force_login(AdminFactory())
    assert client.get(_url(lesson)).status_code == 200


def test_trainers_and_coordinators_are_refused(client, coordinator, lesson):
    client.force_login(coordinator)
    assert client.get(_url(lesson)).status_code == 404
    assert client.get(_url(lesson, QUIZ)).status_code == 404
    # Without access to the admin, Wagtail sends a trainer to its sign-in page before any view runs.
    client.force_login(TrainerFactory())
    response = client.get(_url(lesson))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_editor_of_another_part_of_the_tree_is_refused(client, lesson):
    other_course = build_course(slug="lain", lessons=1, quiz_lessons=())
    group = Group.objects.create(name="Penyunting kursus lain")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for permission in Permission.objects.filter(codename__in=["add_page", "change_page"]):
        GroupPagePermission.objects.create(group=group, page=other_course.course, permission=permission)
    user = UserFactory()
    user.groups.add(group)
    client.force_login(user)
    assert client.get(_url(other_course.lessons[0])).status_code == 200
    assert client.get(_url(lesson)).status_code == 404
    html = client.get(f"/admin/pages/{other_course.lessons[0].get_parent().pk}/").content.decode()
    assert _url(other_course.lessons[0]) in html


@pytest.mark.parametrize(
    "path",
    [
        "{lesson}/tidak-ada/",
        "{lesson}/" + "x" * 5000 + "/",
        "{lesson}/%27%20OR%201=1--/",
        "{other}/" + QUIZ + "/",
        "{course}/",
        "99999999999999999999/",
        "0/",
    ],
)
def test_hostile_or_unknown_ids_are_not_found(client, editor, lesson, path):
    other = LessonPage.objects.exclude(pk=lesson.pk).first()
    course = CoursePage.objects.first()
    client.force_login(editor)
    response = client.get(
        "/admin/statistik-butir/" + path.format(lesson=lesson.pk, other=other.pk, course=course.pk)
    )
    assert response.status_code == 404


def test_a_nul_character_in_the_quiz_id_is_refused(client, editor, lesson):
    client.force_login(editor)
    assert client.get(_url(lesson) + "a%00b/").status_code == 400


def test_a_lesson_without_a_quiz_says_so(client, editor):
    built = build_course(lessons=1, quiz_lessons=())
    client.force_login(editor)
    response = client.get(_url(built.lessons[0]))
    assert response.status_code == 200
    assert "tidak memiliki kuis" in response.content.decode()


def test_a_real_quiz_submission_is_counted(client, editor):
    from tests.courses.learning_helpers import quiz_submit
    from tests.factories import half_right_answers

    quiz_id = str(uuid.uuid4())
    built = build_course(lessons=1, quiz_lessons=())
    lesson = built.lessons[0]
    lesson.body = [quiz_block(quiz_id, 1)]
    lesson.save_revision().publish()
    trainer = TrainerFactory()
    EnrolmentFactory(trainer=trainer, course=built.course)
    quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=half_right_answers(quiz_id))
    [stats] = lesson_item_statistics(lesson=LessonPage.objects.get(pk=lesson.pk))
    assert [(question.answered, question.correct) for question in stats.questions] == [(1, 1), (1, 0)]
