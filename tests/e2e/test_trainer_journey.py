"""A trainer on a phone: sign in, enrol from a lesson, mark it done, pass its quiz, see the dashboard."""

import os
import re

import pytest

from tests.factories import EXPLANATION, PASSWORD, TrainerFactory, build_course

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_trainer_signs_in_learns_passes_a_quiz_and_sees_progress(live_server, phone):
    built = build_course(slug="jalur-pelatih", lessons=2, quiz_lessons=(0,))
    TrainerFactory(username="rina", email="rina@example.org")
    quiz_id = built.quiz_ids[0]
    lesson_url = live_server.url + built.lessons[0].url
    page = phone

    # Sign in with the e-mail address.
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nama pengguna atau e-mail").fill("rina@example.org")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    assert "Anda belum mengikuti kursus apa pun" in page.content()

    # Open the lesson and enrol from it.
    page.goto(lesson_url)
    assert "Pelajaran 1" in page.locator("h1").inner_text()
    assert EXPLANATION.format(n="1-1") not in page.content()
    page.get_by_role("button", name="Ikuti kursus").click()
    page.wait_for_url(lesson_url)
    assert "0%" in page.locator(".progress-line").inner_text()

    # Mark it done.
    page.get_by_role("button", name="Tandai selesai").click()
    page.locator(".done-state").wait_for()
    assert "Selesai" in page.locator(".done-state").inner_text()

    # Answer the quiz: one single-choice and one multiple-choice question.
    quiz = page.locator(f"#quiz-{quiz_id}")
    quiz.locator(f'input[value="{quiz_id}-q1-a"]').check()
    quiz.locator(f'input[value="{quiz_id}-q2-a"]').check()
    quiz.locator(f'input[value="{quiz_id}-q2-c"]').check()
    quiz.get_by_role("button", name="Kirim jawaban").click()
    page.wait_for_url(re.compile(r"/learn/attempts/\d+/#hasil$"))
    assert page.locator(".score strong").inner_text() == "100"
    assert "Lulus" in page.locator(".result").inner_text()
    assert EXPLANATION.format(n="1-2") in page.content()

    # The dashboard shows the new percentage: 1 of 2 lessons and 1 of 1 quiz = 2 of 3 steps.
    page.goto(f"{live_server.url}/dashboard/")
    card = page.locator(".course-list .card").first
    assert "66%" in card.inner_text()
    assert "1 dari 2 pelajaran" in card.inner_text()
    if os.environ.get("E2E_SCREENSHOTS"):
        page.screenshot(path=os.environ["E2E_SCREENSHOTS"] + "/dashboard.png", full_page=True)
