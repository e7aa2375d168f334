"""The trainer's pages: lesson page, enrolment, completion, quizzes, results, dashboard."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from courses.models import Enrolment, LessonProgress, QuizAttempt
from tests.courses.learning_helpers import quiz_submit
from tests.factories import (
    ImageFactory,
    TrainerFactory,
    build_course,
    half_right_answers,
    quiz_block,
    right_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer():
    return TrainerFactory(username="sari")


@pytest.fixture
def other_trainer():
    return TrainerFactory(username="budi")


@pytest.fixture
def signed_in(client, trainer):
    client.force_login(trainer)
    return client


def as_post(answers: dict[str, list[str]]) -> dict[str, list[str]]:
    """Answers as the quiz form posts them."""
    return {f"q-{question_id}": choices for question_id, choices in answers.items()}


def enrol(trainer, course):
    services.enrolment_create(trainer=trainer, course=course)


# --- the lesson page ---------------------------------------------------------------------------


def test_lesson_page_for_an_enrolled_trainer_shows_progress_actions_and_data_cost(signed_in, trainer):
    built = build_course(lessons=4, modules=2)
    enrol(trainer, built.course)
    services.lesson_complete(trainer=trainer, lesson=built.lessons[0])
    response = signed_in.get(built.lessons[1].url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tandai selesai" in html
    assert reverse("lesson_complete", args=[built.lessons[1].pk]) in html
    assert "0 dari 2 modul selesai" in html
    assert "Kuota: ± " in html and " KB" in html
    # Previous and next across the module boundary: lesson 2 is the last of module 1.
    assert built.lessons[0].url in html and built.lessons[2].url in html
    assert "private" in response["Cache-Control"]


def test_lesson_page_for_a_visitor_invites_to_sign_in(client):
    built = build_course()
    html = client.get(built.lessons[0].url).content.decode()
    assert "Masuk untuk mencatat kemajuan" in html
    assert "Tandai selesai" not in html


def test_lesson_page_offers_enrolment_to_a_trainer_not_enrolled(signed_in):
    built = build_course()
    html = signed_in.get(built.lessons[0].url).content.decode()
    assert reverse("course_enrol", args=[built.course.pk]) in html
    assert "Tandai selesai" not in html


def test_lesson_page_never_contains_correct_flags_or_explanations_before_a_submission(signed_in, trainer):
    built = build_course(lessons=1)
    enrol(trainer, built.course)
    quiz_id = built.quiz_ids[0]
    html = signed_in.get(built.lessons[0].url).content.decode()
    assert f'action="{reverse("quiz_attempt_create", args=[quiz_id])}#quiz-{quiz_id}"' in html
    assert f'name="q-{quiz_id}-q1" value="{quiz_id}-q1-a"' in html
    assert 'type="radio"' in html and 'type="checkbox"' in html
    assert "PEMBAHASAN-RAHASIA" not in html
    assert "correct" not in html.lower()
    assert "Benar" not in html


# --- enrolment ---------------------------------------------------------------------------------


def test_enrolling_from_the_course_page_is_idempotent(signed_in, trainer):
    built = build_course()
    url = reverse("course_enrol", args=[built.course.pk])
    first = signed_in.post(url, follow=True)
    assert "Anda terdaftar di kursus" in first.content.decode()
    second = signed_in.post(url, follow=True)
    assert "Anda sudah terdaftar" in second.content.decode()
    assert Enrolment.objects.filter(trainer=trainer).count() == 1


def test_enrolling_in_a_closed_course_shows_a_clear_message(signed_in, trainer):
    built = build_course(open_for_enrolment=False)
    response = signed_in.post(reverse("course_enrol", args=[built.course.pk]), follow=True)
    assert "tidak sedang membuka pendaftaran" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_enrolment_redirects_to_a_safe_next_url_only(signed_in):
    built = build_course()
    url = reverse("course_enrol", args=[built.course.pk])
    response = signed_in.post(url, {"next": built.lessons[0].url})
    assert response["Location"] == built.lessons[0].url
    response = signed_in.post(url, {"next": "https://jahat.example/"})
    assert response["Location"] == built.course.url


def test_enrolment_needs_a_signed_in_user_and_post(client, signed_in):
    built = build_course()
    url = reverse("course_enrol", args=[built.course.pk])
    assert signed_in.get(url)["Location"] == built.course.url
    assert not Enrolment.objects.exists()
    client.logout()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_course_actions_include_offers_enrol_then_resume(rf, trainer):
    built = build_course(lessons=2)
    template = Template('{% include "courses/includes/course_actions.html" %}')
    request = rf.get(built.course.url)
    request.user = trainer
    html = template.render(Context({"page": built.course, "request": request, "user": trainer}))
    assert reverse("course_enrol", args=[built.course.pk]) in html and "Ikuti kursus" in html
    enrol(trainer, built.course)
    services.lesson_complete(trainer=trainer, lesson=built.lessons[0])
    html = template.render(Context({"page": built.course, "request": request, "user": trainer}))
    assert "Lanjutkan belajar" in html
    # Lesson 1 is done but its quiz is not passed yet: that is where to continue.
    assert built.lessons[0].url in html


# --- lesson completion -------------------------------------------------------------------------


def test_marking_a_lesson_done_twice_keeps_one_record_and_shows_it_done(signed_in, trainer):
    built = build_course(lessons=2, quiz_lessons=())
    enrol(trainer, built.course)
    url = reverse("lesson_complete", args=[built.lessons[0].pk])
    response = signed_in.post(url)
    assert response.status_code == 302 and response["Location"].startswith(built.lessons[0].url)
    signed_in.post(url)
    assert LessonProgress.objects.count() == 1
    html = signed_in.get(built.lessons[0].url).content.decode()
    assert "✓ Selesai" in html
    assert "Tandai selesai" not in html
    assert "Lanjutkan belajar" in html and built.lessons[1].url in html


def test_a_lesson_of_a_course_not_enrolled_in_cannot_be_completed(signed_in):
    built = build_course()
    response = signed_in.post(reverse("lesson_complete", args=[built.lessons[0].pk]), follow=True)
    assert "Anda belum terdaftar di kursus ini" in response.content.decode()
    assert not LessonProgress.objects.exists()


def test_completing_a_lesson_needs_sign_in(client):
    built = build_course()
    response = client.post(reverse("lesson_complete", args=[built.lessons[0].pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not LessonProgress.objects.exists()


def test_unknown_lesson_or_course_ids_are_404(signed_in):
    assert signed_in.post(reverse("lesson_complete", args=[999999])).status_code == 404
    assert signed_in.post(reverse("course_enrol", args=[999999])).status_code == 404
    assert signed_in.post(reverse("quiz_attempt_create", args=["tidak-ada"])).status_code == 404


def test_finishing_the_course_congratulates_the_trainer(signed_in, trainer):
    built = build_course(lessons=1, quiz_lessons=())
    enrol(trainer, built.course)
    response = signed_in.post(reverse("lesson_complete", args=[built.lessons[0].pk]), follow=True)
    html = response.content.decode()
    assert "Selamat! Anda telah menyelesaikan kursus" in html
    assert Enrolment.objects.get().completed_at is not None


# --- quizzes -----------------------------------------------------------------------------------


def test_submitting_a_quiz_shows_the_result_with_explanations(signed_in, trainer):
    built = build_course(lessons=2)
    enrol(trainer, built.course)
    quiz_id = built.quiz_ids[0]
    response = signed_in.post(
        reverse("quiz_attempt_create", args=[quiz_id]), as_post(half_right_answers(quiz_id))
    )
    attempt = QuizAttempt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("quiz_attempt_detail", args=[attempt.pk]) + "#hasil"
    html = signed_in.get(response["Location"]).content.decode()
    assert attempt.score == 50 and not attempt.passed
    assert "<strong>50</strong>" in html
    assert "Belum lulus" in html and "Nilai lulus 70" in html
    assert "✓ Benar" in html and "✗ Salah" in html
    # Not passed and attempts left: right or wrong per question, but no explanation yet.
    assert "PEMBAHASAN-RAHASIA" not in html and "Jawaban benar:" not in html
    assert (
        "Penjelasan dan jawaban yang benar ditampilkan setelah Anda lulus atau setelah percobaan habis."
        in html
    )
    assert "Coba lagi" in html

    # Back on the lesson page: best score and a link to the result, still no explanations.
    html = signed_in.get(built.lessons[0].url).content.decode()
    assert "Nilai terbaik: 50" in html and "Belum lulus" in html
    assert "PEMBAHASAN-RAHASIA" not in html


def test_a_passed_quiz_shows_the_badge(signed_in, trainer):
    built = build_course(lessons=2)
    enrol(trainer, built.course)
    quiz_id = built.quiz_ids[0]
    signed_in.post(reverse("quiz_attempt_create", args=[quiz_id]), as_post(right_answers(quiz_id)))
    html = signed_in.get(built.lessons[0].url).content.decode()
    assert "Lulus ✓" in html and "Nilai terbaik: 100" in html
    assert "Kerjakan lagi" in html


def test_missing_answers_show_the_form_again_with_errors_and_store_nothing(signed_in, trainer):
    built = build_course(lessons=1)
    enrol(trainer, built.course)
    quiz_id = built.quiz_ids[0]
    response = signed_in.post(
        reverse("quiz_attempt_create", args=[quiz_id]), {f"q-{quiz_id}-q1": f"{quiz_id}-q1-b"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Periksa kembali jawaban Anda." in html
    assert "Pertanyaan ini belum dijawab." in html
    # The trainer's choice is kept, and the answers are still not given away.
    assert f'value="{quiz_id}-q1-b" checked' in html
    assert "PEMBAHASAN-RAHASIA" not in html
    assert not QuizAttempt.objects.exists()


def test_unknown_choices_are_refused_and_store_nothing(signed_in, trainer):
    built = build_course(lessons=1)
    enrol(trainer, built.course)
    quiz_id = built.quiz_ids[0]
    response = signed_in.post(
        reverse("quiz_attempt_create", args=[quiz_id]),
        {f"q-{quiz_id}-q1": "palsu", f"q-{quiz_id}-q2": [f"{quiz_id}-q2-a"]},
    )
    assert "Pilihan tidak dikenal." in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_a_quiz_of_a_course_not_enrolled_in_is_refused(signed_in):
    built = build_course(lessons=1)
    quiz_id = built.quiz_ids[0]
    response = signed_in.post(
        reverse("quiz_attempt_create", args=[quiz_id]), as_post(right_answers(quiz_id)), follow=True
    )
    assert "Anda belum terdaftar di kursus ini" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_the_attempt_limit_is_respected(signed_in, trainer):
    built = build_course(lessons=1, max_attempts=1)
    enrol(trainer, built.course)
    quiz_id = built.quiz_ids[0]
    url = reverse("quiz_attempt_create", args=[quiz_id])
    html = signed_in.get(built.lessons[0].url).content.decode()
    assert "Sisa percobaan: 1 dari 1." in html
    signed_in.post(url, as_post(half_right_answers(quiz_id)))
    html = signed_in.get(built.lessons[0].url).content.decode()
    assert "Percobaan untuk kuis ini sudah habis." in html
    assert "Koordinator dapat memberi percobaan tambahan" in html
    assert f'action="{url}' not in html
    response = signed_in.post(url, as_post(right_answers(quiz_id)), follow=True)
    assert "Percobaan untuk kuis ini sudah habis (1 dari 1)." in response.content.decode()
    assert QuizAttempt.objects.count() == 1


def test_passing_the_last_quiz_congratulates_the_trainer(signed_in, trainer):
    built = build_course(lessons=1)
    enrol(trainer, built.course)
    services.lesson_complete(trainer=trainer, lesson=built.lessons[0])
    quiz_id = built.quiz_ids[0]
    response = signed_in.post(
        reverse("quiz_attempt_create", args=[quiz_id]), as_post(right_answers(quiz_id)), follow=True
    )
    assert "Selamat! Anda telah menyelesaikan kursus" in response.content.decode()


# --- nobody sees what is not theirs ------------------------------------------------------------


def test_another_trainers_attempt_is_404(client, trainer, other_trainer):
    built = build_course(lessons=1)
    enrol(trainer, built.course)
    quiz_id = built.quiz_ids[0]
    result = quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=right_answers(quiz_id))
    url = reverse("quiz_attempt_detail", args=[result.attempt.pk])
    client.force_login(other_trainer)
    assert client.get(url).status_code == 404
    # Even enrolled in the same course, B sees only B's progress.
    enrol(other_trainer, built.course)
    assert client.get(url).status_code == 404
    html = client.get(built.lessons[0].url).content.decode()
    assert "Nilai terbaik" not in html and "✓ Selesai" not in html
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "0%" in dashboard and "100%" not in dashboard
    client.force_login(trainer)
    assert client.get(url).status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(client):
    for name, args in [("dashboard", []), ("profile", []), ("quiz_attempt_detail", [1])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- dashboard ---------------------------------------------------------------------------------


def test_dashboard_empty_state_links_to_the_courses(signed_in):
    build_course()
    html = signed_in.get(reverse("dashboard")).content.decode()
    assert "Anda belum mengikuti kursus apa pun" in html
    assert 'href="/kursus/"' in html or "/kursus/" in html
    assert "Sertifikat saya" in html


def test_dashboard_shows_percent_modules_and_next_step(signed_in, trainer):
    built = build_course(lessons=4, modules=2, quiz_lessons=())
    enrol(trainer, built.course)
    for lesson in built.lessons[:2]:
        services.lesson_complete(trainer=trainer, lesson=lesson)
    html = signed_in.get(reverse("dashboard")).content.decode()
    assert "50%" in html
    assert "1 dari 2 modul selesai" in html
    assert "2 dari 4 pelajaran" in html
    assert "Lanjutkan belajar" in html and built.lessons[2].url in html


def test_dashboard_shows_the_completion_date(signed_in, trainer):
    built = build_course(lessons=1, quiz_lessons=())
    enrol(trainer, built.course)
    services.lesson_complete(trainer=trainer, lesson=built.lessons[0])
    html = signed_in.get(reverse("dashboard")).content.decode()
    assert "100%" in html and "Selesai pada" in html


def test_dashboard_says_start_learning_before_anything_is_done(signed_in, trainer):
    built = build_course(lessons=2, quiz_lessons=())
    enrol(trainer, built.course)
    html = signed_in.get(reverse("dashboard")).content.decode()
    assert "Mulai belajar" in html and "Lanjutkan belajar" not in html
    services.lesson_complete(trainer=trainer, lesson=built.lessons[0])
    html = signed_in.get(reverse("dashboard")).content.decode()
    assert "Lanjutkan belajar" in html and "Mulai belajar" not in html


def test_course_page_says_start_learning_before_anything_is_done(signed_in, trainer):
    built = build_course(lessons=2, quiz_lessons=())
    enrol(trainer, built.course)
    html = signed_in.get(built.course.url).content.decode()
    assert "Mulai belajar" in html and "Lanjutkan belajar" not in html


def _auto_issuing_course(**kwargs):
    from certificates.services import certificate_template_ensure_default

    return build_course(
        auto_issue_certificate=True, certificate_template=certificate_template_ensure_default(), **kwargs
    )


def test_dashboard_says_the_certificate_is_being_issued_until_it_exists(
    signed_in, trainer, django_capture_on_commit_callbacks
):
    built = _auto_issuing_course(lessons=1, quiz_lessons=())
    enrol(trainer, built.course)
    # The worker has not run yet: what the trainer sees right after finishing.
    with django_capture_on_commit_callbacks() as completion_callbacks:
        services.lesson_complete(trainer=trainer, lesson=built.lessons[0])
    html = signed_in.get(reverse("dashboard")).content.decode()
    assert "Sertifikat sedang diterbitkan" in html
    assert '<meta http-equiv="refresh" content="15">' in html
    assert 'href="/dashboard/">Muat ulang</a>' in html  # without JavaScript or meta refresh too
    assert "Sertifikat terbit setelah Anda menyelesaikan sebuah kursus" not in html

    # The worker issues it (Celery runs eagerly in the tests): the certificate replaces the notice.
    with django_capture_on_commit_callbacks(execute=True):
        for callback in completion_callbacks:
            callback()
    html = signed_in.get(reverse("dashboard")).content.decode()
    assert "Sertifikat sedang diterbitkan" not in html
    assert 'http-equiv="refresh"' not in html
    assert "Unduh PDF" in html


def test_dashboard_stops_waiting_for_an_automatic_certificate_that_did_not_come(signed_in, trainer):
    from datetime import timedelta

    from django.utils import timezone

    built = _auto_issuing_course(lessons=1, quiz_lessons=())
    enrol(trainer, built.course)
    services.lesson_complete(trainer=trainer, lesson=built.lessons[0])
    Enrolment.objects.filter(trainer=trainer).update(completed_at=timezone.now() - timedelta(hours=2))
    html = signed_in.get(reverse("dashboard")).content.decode()
    assert "Sertifikat sedang diterbitkan" not in html
    assert 'http-equiv="refresh"' not in html
    assert "diterbitkan oleh koordinator titik layanan Anda" in html


def test_dashboard_says_the_coordinator_issues_a_certificate_not_issued_automatically(signed_in, trainer):
    built = build_course(lessons=1, quiz_lessons=())  # auto_issue_certificate is off by default
    enrol(trainer, built.course)
    services.lesson_complete(trainer=trainer, lesson=built.lessons[0])
    html = signed_in.get(reverse("dashboard")).content.decode()
    assert "Menunggu penerbitan" in html
    assert "diterbitkan oleh koordinator titik layanan Anda" in html
    assert "Sertifikat sedang diterbitkan" not in html and 'http-equiv="refresh"' not in html
    assert "Sertifikat terbit setelah Anda menyelesaikan sebuah kursus" not in html


def test_dashboard_asks_for_the_full_name_a_certificate_needs(signed_in, trainer):
    trainer.trainer_profile.full_name = ""
    trainer.trainer_profile.save(update_fields=["full_name"])
    built = _auto_issuing_course(lessons=1, quiz_lessons=())
    enrol(trainer, built.course)
    services.lesson_complete(trainer=trainer, lesson=built.lessons[0])
    html = signed_in.get(reverse("dashboard")).content.decode()
    assert "Menunggu nama lengkap" in html and reverse("profile") in html
    assert "Sertifikat sedang diterbitkan" not in html and 'http-equiv="refresh"' not in html


def test_a_completed_course_stays_completed_when_a_lesson_is_added_and_names_it(signed_in, trainer):
    from tests.factories import LessonPageFactory

    built = build_course(lessons=9, quiz_lessons=())
    enrol(trainer, built.course)
    for lesson in built.lessons:
        services.lesson_complete(trainer=trainer, lesson=lesson)
    # An editor publishes a tenth lesson afterwards.
    new_lesson = LessonPageFactory(
        parent=built.modules[0], title="Pelajaran susulan", slug="susulan", live=False
    )
    new_lesson.save_revision().publish()

    enrolment = Enrolment.objects.get(trainer=trainer)
    assert enrolment.completed_at is not None
    assert services.course_completion_update(enrolment=enrolment) is False
    html = signed_in.get(reverse("dashboard")).content.decode()
    assert "Selesai pada" in html
    assert "100%" in html and "90%" not in html
    assert "1 pelajaran baru sejak Anda selesai" in html
    assert new_lesson.url in html and "Pelajaran susulan" in html
    course_html = signed_in.get(built.course.url).content.decode()
    assert "90%" not in course_html and "1 pelajaran baru sejak Anda selesai" in course_html


# --- query counts ------------------------------------------------------------------------------


def _lesson_page_queries(client, trainer, lessons: int, slug: str) -> int:
    # Every lesson has an image: reading the outline must not load each lesson's images.
    built = build_course(
        slug=slug, lessons=lessons, modules=5, quiz_lessons=(0, lessons - 1), image=ImageFactory()
    )
    enrol(trainer, built.course)
    for lesson in built.lessons[: lessons // 2]:
        services.lesson_complete(trainer=trainer, lesson=lesson)
    quiz_id = built.quiz_ids[0]
    quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=half_right_answers(quiz_id))
    url = built.lessons[lessons - 1].url
    client.get(url)  # warm the site and rendition caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_lesson_page_query_count_does_not_grow_with_lessons(signed_in, trainer):
    five = _lesson_page_queries(signed_in, trainer, 5, "lima")
    fifty = _lesson_page_queries(signed_in, trainer, 50, "lima-puluh")
    assert five == fifty, (five, fifty)


def test_dashboard_query_count_does_not_grow_with_lessons_or_courses(signed_in, trainer):
    def measure() -> int:
        signed_in.get(reverse("dashboard"))
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(reverse("dashboard")).status_code == 200
        return len(queries)

    small = build_course(slug="kecil", lessons=5, modules=2)
    enrol(trainer, small.course)
    services.lesson_complete(trainer=trainer, lesson=small.lessons[0])
    one_course = measure()
    for n in range(3):
        big = build_course(
            slug=f"besar-{n}", lessons=50, modules=5, quiz_lessons=(0, 10, 20), image=ImageFactory()
        )
        enrol(trainer, big.course)
        for lesson in big.lessons[:20]:
            services.lesson_complete(trainer=trainer, lesson=lesson)
    assert measure() == one_course


def test_dashboard_query_count_does_not_grow_with_completed_courses_awaiting_certificates(signed_in, trainer):
    def measure() -> int:
        signed_in.get(reverse("dashboard"))
        with CaptureQueriesContext(connection) as queries:
            html = signed_in.get(reverse("dashboard")).content.decode()
        assert "Sertifikat sedang diterbitkan" in html
        return len(queries)

    def completed_course(slug: str) -> None:
        built = _auto_issuing_course(slug=slug, lessons=3, quiz_lessons=())
        enrol(trainer, built.course)
        for lesson in built.lessons:
            services.lesson_complete(trainer=trainer, lesson=lesson)

    completed_course("selesai-0")
    one_course = measure()
    for n in range(1, 4):
        completed_course(f"selesai-{n}")
    assert measure() == one_course


def test_an_editors_preview_of_a_new_lesson_renders_without_progress(rf, trainer):
    from wagtail.models import Page

    from courses.models import LessonPage

    built = build_course(lessons=1)
    module = built.modules[0]
    # What Wagtail does to preview a page that is being created: a path under its parent, no pk.
    lesson = LessonPage(title="Draf", slug="draf", body=[quiz_block(quiz_id="draf-kuis", n=9)])
    lesson.depth = module.depth + 1
    lesson.path = Page._get_children_path_interval(module.path)[1]
    request = rf.get("/")
    request.user = trainer
    response = lesson.serve_preview(request, lesson.default_preview_mode)
    html = response.render().content.decode()
    assert "Pertanyaan satu kuis 9?" in html
    assert "PEMBAHASAN-RAHASIA" not in html
    assert "Tandai selesai" not in html


def test_a_lesson_is_served_at_its_url_and_an_unpublished_one_is_404(client):
    built = build_course(lessons=2)
    assert client.get(built.lessons[0].url).status_code == 200
    built.lessons[1].unpublish()
    assert client.get(built.lessons[1].url).status_code == 404
    assert client.get(built.lessons[0].url.rstrip("/") + "-tidak-ada/").status_code == 404
    # Other pages are routed as before.
    assert client.get(built.modules[0].url).status_code == 200
    assert client.get(built.course.url).status_code == 200


def test_the_userbar_is_for_editors_and_a_trainer_pays_for_the_check_once(client):
    """Wagtail's "edit this page" bar: shown to an editor, never to a trainer, whose permissions
    are read on the first page of a sign-in only."""
    from tests.factories import EditorFactory

    built = build_course(lessons=2)
    url = built.lessons[0].url
    editor = EditorFactory()
    client.force_login(editor)
    assert "wagtail-userbar" in client.get(url).content.decode()

    client.force_login(TrainerFactory())
    reads = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        assert "wagtail-userbar" not in html
        reads.append(sum("auth_permission" in query["sql"] for query in queries.captured_queries))
    assert reads == [2, 0]
