"""Editing quizzes in the admin: a new quiz block's starting shape, and a quiz the editor sees an
error on is never saved, not even as a draft."""

import re

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from courses.blocks import QuizBlock
from tests.factories import EnrolmentFactory, build_course

pytestmark = pytest.mark.django_db


def _list(items):
    data = {"count": len(items)}
    for index, value in enumerate(items):
        data[str(index)] = {"value": value, "deleted": "", "order": index, "id": ""}
    return data


def _edit_form(lesson, choices, **actions):
    question = {"text": "Apa tugas pelatih?", "kind": "single", "explanation": "", "choices": _list(choices)}
    quiz = {
        "title": "Kuis baru",
        "intro": "",
        "pass_mark": "",
        "max_attempts": "",
        "questions": _list([question]),
    }
    body = {"count": 1, "0": {"type": "quiz", "value": quiz, "deleted": "", "order": 0, "id": ""}}
    data = {
        "title": lesson.title,
        "slug": lesson.slug,
        "intro": "",
        "estimated_minutes": 10,
        "required": "on",
        "comments": inline_formset([]),
        "body": body,
    }
    return nested_form_data({**data, **actions})


def test_a_new_quiz_starts_with_one_question_and_two_empty_choices():
    default = QuizBlock().get_default()
    assert len(default["questions"]) == 1
    question = default["questions"][0]
    assert question["kind"] == "single"
    assert [(choice["text"], choice["correct"]) for choice in question["choices"]] == [
        ("", False),
        ("", False),
    ]


@pytest.mark.parametrize("action", [{}, {"action-submit": "1"}])
def test_a_question_with_one_choice_is_not_saved_even_as_a_draft(client, editor, action):
    lesson = build_course(lessons=1, quiz_lessons=()).lessons[0]
    revisions = lesson.revisions.count()
    client.force_login(editor)
    response = client.post(
        f"/admin/pages/{lesson.pk}/edit/",
        _edit_form(lesson, [{"text": "Membantu", "correct": "on"}], **action),
    )
    assert response.status_code == 200
    if not action:  # a draft: Wagtail skips the list's minimum, the question's own check does not
        assert "setidaknya 2 pilihan" in response.content.decode()
    assert lesson.revisions.count() == revisions


def test_a_question_with_two_choices_and_a_right_one_is_saved_as_a_draft(client, editor):
    lesson = build_course(lessons=1, quiz_lessons=()).lessons[0]
    client.force_login(editor)
    choices = [{"text": "Membantu", "correct": "on"}, {"text": "Menonton"}]
    response = client.post(f"/admin/pages/{lesson.pk}/edit/", _edit_form(lesson, choices))
    assert response.status_code == 302
    lesson.refresh_from_db()
    quiz = lesson.get_latest_revision_as_object().body[0].value
    assert [choice["text"] for choice in quiz["questions"][0]["choices"]] == ["Membantu", "Menonton"]


def _heading_levels(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_quiz_heading_follows_the_lesson_title_without_skipping_a_level(client, trainer, signed_in):
    built = build_course(lessons=1, quiz_lessons=(0,))
    if signed_in:
        EnrolmentFactory(trainer=trainer, course=built.course)
        client.force_login(trainer)
    html = client.get(built.lessons[0].url).content.decode()
    assert "Kuis 1" in html
    levels = _heading_levels(html[html.index("<main") :])
    assert levels[0] == 1
    assert all(later <= earlier + 1 for earlier, later in zip(levels, levels[1:], strict=False)), levels
