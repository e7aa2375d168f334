"""A trainer on a phone: sign in, enrol from a lesson, mark it done, fail then pass its quiz, finish
the course, get the certificate, open its verification page and download its PDF. Every screen is
saved under var/journeys/trainer/ and checked with axe-core (no serious or critical violation)."""

import re

import pytest

from certificates.services.templates import certificate_template_ensure_default
from tests.e2e.journey import Journey
from tests.factories import EXPLANATION, PASSWORD, TrainerFactory, build_course

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_trainer_learns_fails_then_passes_a_quiz_and_gets_a_certificate(live_server, journey_phone):
    built = build_course(
        slug="jalur-pelatih",
        lessons=2,
        quiz_lessons=(0,),
        auto_issue_certificate=True,
        certificate_template=certificate_template_ensure_default(),
    )
    TrainerFactory(username="rina", email="rina@example.org", profile__full_name="Rina Kartika")
    quiz_id = built.quiz_ids[0]
    lesson_url = live_server.url + built.lessons[0].url
    page = journey_phone
    journey = Journey("trainer")

    # Sign in with the e-mail address.
    page.goto(f"{live_server.url}/accounts/login/")
    journey.trainer_page(page, "sign-in")
    page.get_by_label("Nama pengguna atau e-mail").fill("rina@example.org")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    assert "Anda belum mengikuti kursus apa pun" in page.content()
    journey.trainer_page(page, "empty dashboard")

    # The course page, then the lesson; enrol from the lesson.
    page.goto(live_server.url + built.course.url)
    journey.trainer_page(page, "course")
    page.goto(lesson_url)
    assert "Pelajaran 1" in page.locator("h1").inner_text()
    assert EXPLANATION.format(n="1-1") not in page.content()
    page.get_by_role("button", name="Ikuti kursus").click()
    page.wait_for_url(lesson_url)
    assert "0%" in page.locator(".progress-line").inner_text()
    journey.trainer_page(page, "lesson")

    # Mark it done.
    page.get_by_role("button", name="Tandai selesai").click()
    page.locator(".done-state").wait_for()
    assert "Selesai" in page.locator(".done-state").inner_text()

    # Fail the quiz: the wrong choice of question 1, one right choice of question 2 only.
    quiz = page.locator(f"#quiz-{quiz_id}")
    quiz.locator(f'input[value="{quiz_id}-q1-b"]').check()
    quiz.locator(f'input[value="{quiz_id}-q2-a"]').check()
    quiz.get_by_role("button", name="Kirim jawaban").click()
    page.wait_for_url(re.compile(r"/learn/attempts/\d+/#hasil$"))
    assert page.locator(".score strong").inner_text() == "0"
    assert "Lulus" not in page.locator(".result").inner_text()
    assert EXPLANATION.format(n="1-1") not in page.content()  # revealed only once passed
    journey.trainer_page(page, "quiz failed")

    # Resume from the dashboard, then pass the quiz (the factory's course has no waiting time).
    page.goto(f"{live_server.url}/dashboard/")
    journey.trainer_page(page, "dashboard resume")
    page.goto(lesson_url)
    quiz = page.locator(f"#quiz-{quiz_id}")
    quiz.locator(f'input[value="{quiz_id}-q1-a"]').check()
    quiz.locator(f'input[value="{quiz_id}-q2-a"]').check()
    quiz.locator(f'input[value="{quiz_id}-q2-c"]').check()
    quiz.get_by_role("button", name="Kirim jawaban").click()
    page.wait_for_url(re.compile(r"/learn/attempts/\d+/#hasil$"))
    assert page.locator(".score strong").inner_text() == "100"
    assert "Lulus" in page.locator(".result").inner_text()
    assert EXPLANATION.format(n="1-2") in page.content()
    journey.trainer_page(page, "quiz passed")

    # The dashboard shows the new percentage: 1 of 2 lessons and 1 of 1 quiz = 2 of 3 steps.
    page.goto(f"{live_server.url}/dashboard/")
    card = page.locator(".course-list .card").first
    assert "66%" in card.inner_text()
    assert "1 dari 2 pelajaran" in card.inner_text()

    # The last lesson completes the course; the certificate is issued (tasks run eagerly here).
    page.goto(live_server.url + built.lessons[1].url)
    page.get_by_role("button", name="Tandai selesai").click()
    page.locator(".done-state").wait_for()
    journey.trainer_page(page, "course completed")
    page.goto(f"{live_server.url}/dashboard/")
    certificate = page.locator(".certificate-list .certificate-item").first
    assert "Berlaku" in certificate.inner_text()
    journey.trainer_page(page, "certificates")

    # Its verification page, as anyone who was given the link sees it.
    download_url = certificate.get_by_role("link", name="Unduh PDF").get_attribute("href")
    certificate.get_by_role("link", name="Tautan verifikasi (bagikan)").click()
    page.wait_for_url(re.compile(r"/certificates/verify/[^/]+/$"))
    assert "Rina Kartika" in page.content()
    journey.trainer_page(page, "verification")

    # The PDF downloads and is one.
    response = page.request.get(live_server.url + download_url)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    # The downloaded PDF checked on the verification page: it matches the issued one.
    page.get_by_label("Berkas PDF sertifikat").set_input_files(
        files=[{"name": "sertifikat.pdf", "mimeType": "application/pdf", "buffer": response.body()}]
    )
    page.get_by_role("button", name="Periksa berkas").click()
    page.wait_for_load_state()
    assert page.title().startswith("PDF cocok")
    journey.trainer_page(page, "pdf checked")
