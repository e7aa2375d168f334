"""The quiz attempt policy (limits, the wait after a failed attempt, when explanations and correct
answers are shown, a coordinator's extra attempts) and question pools with shuffled choices,
through the services, the lesson page's form, the API and offline sync alike."""

import re
import uuid
from datetime import UTC, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses import selectors, services
from courses.blocks import QuizReveal
from courses.models import LessonPage, QuizAttempt, QuizAttemptGrant, QuizDraw
from courses.people import services as people_services
from courses.quiz_policy import attempt_allowance, attempt_policy, retry_wait
from tests.courses.api_helpers import bearer, token_for
from tests.courses.learning_helpers import quiz_submit
from tests.factories import (
    EXPLANATION,
    CoordinatorFactory,
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    ServicePointFactory,
    TrainerFactory,
    build_course,
    course_index_page,
    quiz_block,
    right_answers,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------
# A course whose quiz is a pool: 6 questions, 2 drawn per attempt
# ---------------------------------------------------------------------------------------------


def pool_quiz(quiz_id: str, *, questions: int = 6, **settings) -> dict:
    """A quiz of `questions` single-answer questions ("<quiz>-p<i>", choices a right, b and c
    wrong), with the quiz settings given (e.g. draw_count=2)."""
    block = quiz_block(quiz_id, 1, **settings)
    block["value"]["questions"] = [
        {
            "type": "item",
            "id": f"{quiz_id}-p{i}",
            "value": {
                "text": f"Soal pool {i}?",
                "kind": "single",
                "explanation": f"Penjelasan rahasia pool {i}: {EXPLANATION.format(n=f'p{i}')}",
                "choices": [
                    {
                        "type": "item",
                        "id": f"{quiz_id}-p{i}-{letter}",
                        "value": {"text": f"Pilihan {letter}", "correct": letter == "a"},
                    }
                    for letter in "abc"
                ],
            },
        }
        for i in range(1, questions + 1)
    ]
    return block


def pool_course(**settings):
    course = CoursePageFactory(parent=course_index_page(), slug=f"pool-{uuid.uuid4().hex[:6]}")
    module = ModulePageFactory(parent=course, title="Modul 1", slug="modul-1")
    quiz_id = str(uuid.uuid4())
    lesson = LessonPageFactory(
        parent=module, title="Pelajaran kuis", slug="kuis", body=[pool_quiz(quiz_id, **settings)]
    )
    return course, lesson, quiz_id


def answers_for(question_ids, *, right=True) -> dict[str, list[str]]:
    return {question_id: [f"{question_id}-{'a' if right else 'b'}"] for question_id in question_ids}


@pytest.fixture
def trainer():
    return TrainerFactory()


@pytest.fixture
def api(trainer):
    client = Client()
    client.defaults.update(bearer(token_for(trainer)))
    return client


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


# ---------------------------------------------------------------------------------------------
# The policy itself (plain functions)
# ---------------------------------------------------------------------------------------------


class Settings:
    def __init__(self, **values):
        self.__dict__.update(
            {
                "max_attempts": None,
                "retry_wait_minutes": None,
                "reveal": "",
                "draw_count": None,
                "shuffle_choices": False,
                "questions": (1, 2, 3),
                **values,
            }
        )


class CourseSettings:
    quiz_max_attempts = 3
    quiz_retry_wait_minutes = 10
    quiz_reveal = QuizReveal.PASSED_OR_EXHAUSTED


def test_a_quiz_without_settings_follows_the_course_and_its_own_settings_win():
    policy = attempt_policy(quiz=Settings(), course=CourseSettings())
    assert (policy.max_attempts, policy.retry_wait_minutes, policy.reveal) == (3, 10, "passed_or_exhausted")
    own = attempt_policy(
        quiz=Settings(max_attempts=0, retry_wait_minutes=5, reveal="always", draw_count=2),
        course=CourseSettings(),
    )
    assert (own.max_attempts, own.retry_wait_minutes, own.reveal, own.draw_count) == (None, 5, "always", 2)
    # Drawing all of the questions (or more) is no pool.
    assert attempt_policy(quiz=Settings(draw_count=3), course=CourseSettings()).draw_count is None


def test_the_wait_doubles_with_each_failure_in_a_row_up_to_the_cap(settings):
    settings.QUIZ_RETRY_WAIT_CAP_MINUTES = 60
    policy = attempt_policy(quiz=Settings(), course=CourseSettings())
    waits = [retry_wait(policy=policy, failures_in_a_row=n).total_seconds() / 60 for n in range(6)]
    assert waits == [0, 10, 20, 40, 60, 60]
    assert retry_wait(policy=policy, failures_in_a_row=10**6) == timedelta(minutes=60)


def test_a_pass_ends_the_run_of_failures():
    policy = attempt_policy(quiz=Settings(max_attempts=0), course=CourseSettings())
    start = timezone.now() - timedelta(hours=1)
    history = [(start, False), (start + timedelta(minutes=1), False), (start + timedelta(minutes=2), True)]
    assert attempt_allowance(policy=policy, attempts=history, at=timezone.now()).next_attempt_at is None
    failed_now = [*history, (timezone.now(), False)]
    allowance = attempt_allowance(policy=policy, attempts=failed_now, at=timezone.now())
    # One failure since the pass: the first wait (10 minutes), not the third.
    assert timedelta(minutes=9) < allowance.next_attempt_at - timezone.now() <= timedelta(minutes=10)


@pytest.mark.parametrize(
    ("reveal", "passed", "exhausted", "shown"),
    [
        ("always", False, False, True),
        ("passed", False, True, False),
        ("passed", True, False, True),
        ("exhausted", True, False, False),
        ("exhausted", False, True, True),
        ("passed_or_exhausted", False, False, False),
        ("passed_or_exhausted", True, False, True),
        ("passed_or_exhausted", False, True, True),
    ],
)
def test_each_reveal_mode(reveal, passed, exhausted, shown):
    policy = attempt_policy(
        quiz=Settings(max_attempts=2, reveal=reveal, retry_wait_minutes=0), course=CourseSettings()
    )
    now = timezone.now()
    history = [(now, passed)] + ([(now, False)] if exhausted else [])
    assert attempt_allowance(policy=policy, attempts=history, at=now).reveals_answers is shown


# ---------------------------------------------------------------------------------------------
# Limits, through the services, the form, the API and sync
# ---------------------------------------------------------------------------------------------


def test_the_course_default_allows_three_attempts(trainer):
    built = build_course(lessons=1)
    services.enrolment_create(trainer=trainer, course=built.course)
    quiz_id = built.quiz_ids[0]
    for _ in range(3):
        quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=wrong_answers(quiz_id))
    with pytest.raises(services.QuizAttemptsExhausted) as refused:
        quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=right_answers(quiz_id))
    assert "Hubungi koordinator" in refused.value.message
    assert QuizAttempt.objects.count() == 3


def test_a_blank_quiz_limit_is_the_course_limit_and_zero_is_unlimited(trainer):
    built = build_course(lessons=1, quiz_max_attempts=1)
    services.enrolment_create(trainer=trainer, course=built.course)
    quiz_id = built.quiz_ids[0]
    quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=wrong_answers(quiz_id))
    with pytest.raises(services.QuizAttemptsExhausted):
        quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=wrong_answers(quiz_id))
    unlimited = build_course(lessons=1, max_attempts=0, quiz_max_attempts=1)
    services.enrolment_create(trainer=trainer, course=unlimited.course)
    for _ in range(5):
        quiz_submit(
            trainer=trainer, quiz_id=unlimited.quiz_ids[0], answers=wrong_answers(unlimited.quiz_ids[0])
        )


def test_the_api_refuses_an_attempt_beyond_the_limit_with_409(api):
    built = build_course(lessons=1, max_attempts=1)
    post(api, f"/api/v1/courses/{built.course.pk}/enrol")
    quiz_id = built.quiz_ids[0]
    url = f"/api/v1/quizzes/{quiz_id}/attempts"
    first = post(api, url, {"answers": wrong_answers(quiz_id)}).json()
    assert first["attempts_left"] == 0
    response = post(api, url, {"answers": right_answers(quiz_id)})
    assert response.status_code == 409
    assert response.json()["code"] == "attempts_exhausted" and response.json()["next_attempt_at"] is None
    assert "koordinator" in response.json()["detail"]
    draw = post(api, f"/api/v1/quizzes/{quiz_id}/draws")
    assert draw.status_code == 409 and draw.json()["code"] == "attempts_exhausted"
    assert api.get(f"/api/v1/quizzes/{quiz_id}").json()["attempts_left"] == 0
    assert QuizAttempt.objects.count() == 1


def test_sync_rejects_an_attempt_beyond_the_limit(api):
    built = build_course(lessons=1, max_attempts=1)
    post(api, f"/api/v1/courses/{built.course.pk}/enrol")
    quiz_id = built.quiz_ids[0]
    at = (timezone.now() - timedelta(minutes=30)).isoformat()
    events = [
        {
            "id": str(uuid.uuid4()),
            "type": "quiz_attempt",
            "at": at,
            "quiz_id": quiz_id,
            "answers": wrong_answers(quiz_id),
        },
        {
            "id": str(uuid.uuid4()),
            "type": "quiz_attempt",
            "at": at,
            "quiz_id": quiz_id,
            "answers": right_answers(quiz_id),
        },
    ]
    results = post(api, "/api/v1/me/sync", {"events": events}).json()["results"]
    assert results[0]["status"] == "applied" and results[0]["score"] == 0 and results[0]["passed"] is False
    assert results[0]["attempt_id"] == str(QuizAttempt.objects.get().pk)
    assert results[1]["status"] == "rejected" and results[1]["code"] == "attempts_exhausted"
    assert QuizAttempt.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_sync_counts_an_attempt_another_request_made_after_a_rejected_event(monkeypatch):
    """A rejected event rolls back its savepoint, and with it the enrolment's lock: another
    request of the trainer (a second device) may add an attempt before the batch goes on. The
    next events still count it: the limit holds as if each event were its own request
    (PostgreSQL; SQLite serialises writers)."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    trainer = TrainerFactory()
    built = build_course(lessons=1, max_attempts=2)
    services.enrolment_create(trainer=trainer, course=built.course)
    quiz_id = built.quiz_ids[0]
    apply = services._sync_event_apply
    calls = []

    other_device = []

    def other_device_submits():
        try:
            quiz, lesson = selectors.quiz_get(quiz_id=quiz_id)
            services.quiz_attempt_submit(
                trainer=trainer, quiz=quiz, lesson=lesson, answers=right_answers(quiz_id)
            )
            other_device.append("applied")
        except services.LearningError as error:
            other_device.append(error.code)
        finally:
            connection.close()

    threads = []

    def apply_then_let_another_request_in(**kwargs):
        calls.append(kwargs["event"].id)
        try:
            return apply(**kwargs)
        finally:
            if len(calls) == 1:
                threads.append(threading.Thread(target=other_device_submits))
                threads[0].start()
                threads[0].join(1)  # it waits for the batch's lock on the enrolment

    monkeypatch.setattr(services, "_sync_event_apply", apply_then_let_another_request_in)
    at = (timezone.now() - timedelta(minutes=30)).isoformat()
    invalid = {f"{quiz_id}-q1": ["tidak-ada"]}
    events = [
        {"id": str(uuid.uuid4()), "type": "quiz_attempt", "at": at, "quiz_id": quiz_id, "answers": answers}
        for answers in (invalid, right_answers(quiz_id), right_answers(quiz_id))
    ]
    api = Client()
    api.defaults.update(bearer(token_for(trainer)))
    results = post(api, "/api/v1/me/sync", {"events": events}).json()["results"]
    threads[0].join(10)
    # The batch holds the trainer's enrolments to its end: the other device's attempt comes after
    # it, and is the one over the limit.
    assert [item["status"] for item in results] == ["rejected", "applied", "applied"]
    assert other_device == ["attempts_exhausted"]
    assert QuizAttempt.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_devices_syncing_two_courses_in_opposite_orders_do_not_deadlock(monkeypatch):
    """Each batch locks all the trainer's enrolments first, in one order (PostgreSQL)."""
    import threading
    import time

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    trainer = TrainerFactory()
    first, second = build_course(lessons=1), build_course(lessons=1)
    for built in (first, second):
        services.enrolment_create(trainer=trainer, course=built.course)
    apply = services._sync_event_apply

    def apply_slowly(**kwargs):
        result = apply(**kwargs)
        time.sleep(0.5)  # the other device's batch starts meanwhile
        return result

    monkeypatch.setattr(services, "_sync_event_apply", apply_slowly)

    def event(built):
        return {"id": str(uuid.uuid4()), "type": "lesson_completed", "lesson_id": str(built.lessons[0].pk)}

    answers = {}

    def device(name, courses):
        try:
            api = Client()
            api.defaults.update(bearer(token_for(trainer)))
            response = post(api, "/api/v1/me/sync", {"events": [event(built) for built in courses]})
            answers[name] = (response.status_code, [item["status"] for item in response.json()["results"]])
        finally:
            connection.close()

    threads = [
        threading.Thread(target=device, args=("a", (first, second))),
        threading.Thread(target=device, args=("b", (second, first))),
    ]
    for thread in threads:
        thread.start()
        time.sleep(0.1)
    for thread in threads:
        thread.join(30)
    assert answers["a"] == (200, ["applied", "applied"])
    assert answers["b"] == (200, ["applied", "applied"])


# ---------------------------------------------------------------------------------------------
# The wait after a failed attempt
# ---------------------------------------------------------------------------------------------


def test_the_wait_after_a_failed_attempt_through_the_service(trainer):
    built = build_course(lessons=1, quiz_retry_wait_minutes=10)
    services.enrolment_create(trainer=trainer, course=built.course)
    quiz_id = built.quiz_ids[0]
    failed = quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=wrong_answers(quiz_id))
    assert failed.allowance.next_attempt_at == failed.attempt.submitted_at + timedelta(minutes=10)
    with pytest.raises(services.QuizAttemptWait) as refused:
        quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=right_answers(quiz_id))
    assert refused.value.next_attempt_at == failed.allowance.next_attempt_at
    # Ten minutes later (the attempt moved back in time) it is allowed; the second failure waits 20.
    QuizAttempt.objects.update(submitted_at=timezone.now() - timedelta(minutes=11))
    second = quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=wrong_answers(quiz_id))
    assert second.allowance.next_attempt_at == second.attempt.submitted_at + timedelta(minutes=20)


def test_the_api_answers_429_with_the_next_attempt_time(api):
    built = build_course(lessons=1, quiz_retry_wait_minutes=10)
    post(api, f"/api/v1/courses/{built.course.pk}/enrol")
    quiz_id = built.quiz_ids[0]
    url = f"/api/v1/quizzes/{quiz_id}/attempts"
    first = post(api, url, {"answers": wrong_answers(quiz_id)}).json()
    assert first["next_attempt_at"] is not None
    response = post(api, url, {"answers": right_answers(quiz_id)})
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "attempt_wait" and body["next_attempt_at"] == first["next_attempt_at"]
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d", body["next_attempt_at"])
    detail = api.get(f"/api/v1/quizzes/{quiz_id}").json()
    assert detail["next_attempt_at"] == first["next_attempt_at"] and detail["retry_wait_minutes"] == 10
    assert QuizAttempt.objects.count() == 1


def test_the_form_says_when_the_next_attempt_is_allowed(client, trainer):
    built = build_course(lessons=1, quiz_retry_wait_minutes=10)
    services.enrolment_create(trainer=trainer, course=built.course)
    client.force_login(trainer)
    quiz_id = built.quiz_ids[0]
    url = reverse("quiz_attempt_create", args=[quiz_id])
    client.post(url, {f"q-{q}": c for q, c in wrong_answers(quiz_id).items()})
    html = client.get(built.lessons[0].url).content.decode()
    assert "Percobaan berikutnya bisa dimulai pada" in html and f'action="{url}' not in html
    response = client.post(url, {f"q-{q}": c for q, c in right_answers(quiz_id).items()}, follow=True)
    assert "Percobaan berikutnya bisa dimulai pada" in response.content.decode()
    assert QuizAttempt.objects.count() == 1


def test_sync_judges_the_wait_by_the_time_of_the_event(api):
    built = build_course(lessons=1, quiz_retry_wait_minutes=10)
    post(api, f"/api/v1/courses/{built.course.pk}/enrol")
    quiz_id = built.quiz_ids[0]
    now = timezone.now()

    def event(minutes_ago, answers):
        at = (now - timedelta(minutes=minutes_ago)).isoformat()
        return {
            "id": str(uuid.uuid4()),
            "type": "quiz_attempt",
            "at": at,
            "quiz_id": quiz_id,
            "answers": answers,
        }

    # Failed 60 minutes ago, tried again 55 minutes ago (too soon), then 45 minutes ago (fine).
    events = [
        event(60, wrong_answers(quiz_id)),
        event(55, right_answers(quiz_id)),
        event(45, right_answers(quiz_id)),
    ]
    results = post(api, "/api/v1/me/sync", {"events": events}).json()["results"]
    assert [result["status"] for result in results] == ["applied", "rejected", "applied"]
    assert results[1]["code"] == "attempt_wait"
    assert results[1]["next_attempt_at"].startswith(
        (now - timedelta(minutes=50)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M")
    )
    assert results[2]["passed"] is True


# ---------------------------------------------------------------------------------------------
# Reveal modes on the result page and in the API
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reveal", "after_fail", "after_pass"),
    [
        ("always", True, True),
        ("passed", False, True),
        ("exhausted", False, False),
        ("passed_or_exhausted", False, True),
    ],
)
def test_reveal_modes_through_the_api(api, reveal, after_fail, after_pass):
    course, lesson, quiz_id = pool_course(max_attempts=3, reveal=reveal, shuffle_choices=False)
    post(api, f"/api/v1/courses/{course.pk}/enrol")
    ids = [f"{quiz_id}-p{i}" for i in range(1, 7)]
    url = f"/api/v1/quizzes/{quiz_id}/attempts"
    failed = post(api, url, {"answers": answers_for(ids, right=False)}).json()
    assert all(item["correct"] is False for item in failed["results"])  # right or wrong: always
    assert bool(failed["results"][0]["explanation"]) is after_fail
    assert (failed["results"][0]["correct_choice_ids"] == [f"{ids[0]}-a"]) is after_fail
    passed = post(api, url, {"answers": answers_for(ids)}).json()
    assert bool(passed["results"][0]["explanation"]) is after_pass


def test_explanations_show_on_the_result_page_once_attempts_run_out(client, trainer):
    built = build_course(lessons=1, max_attempts=2)
    services.enrolment_create(trainer=trainer, course=built.course)
    client.force_login(trainer)
    quiz_id = built.quiz_ids[0]
    first = quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=wrong_answers(quiz_id))
    html = client.get(reverse("quiz_attempt_detail", args=[first.attempt.pk])).content.decode()
    assert "PEMBAHASAN-RAHASIA" not in html and "Jawaban benar:" not in html
    last = quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=wrong_answers(quiz_id))
    html = client.get(reverse("quiz_attempt_detail", args=[last.attempt.pk])).content.decode()
    assert EXPLANATION.format(n="1-1") in html and "Jawaban benar: Pilihan A" in html
    assert "Percobaan untuk kuis ini sudah habis." in html and "Hubungi koordinator" in html
    assert "Coba lagi</a>" not in html


# ---------------------------------------------------------------------------------------------
# A coordinator grants more attempts
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def exhausted(trainer):
    point = ServicePointFactory(code="SP010")
    trainer.trainer_profile.service_point = point
    trainer.trainer_profile.save(update_fields=["service_point"])
    built = build_course(lessons=1, max_attempts=1)
    enrolment, _ = services.enrolment_create(trainer=trainer, course=built.course)
    quiz_id = built.quiz_ids[0]
    quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=wrong_answers(quiz_id))
    return {"point": point, "built": built, "enrolment": enrolment, "quiz_id": quiz_id}


def grant_url(trainer):
    return reverse("trainers:grant_attempts", args=[trainer.trainer_profile.pk])


def test_a_coordinator_grants_attempts_from_the_trainer_page(client, trainer, exhausted):
    coordinator = CoordinatorFactory(service_points=[exhausted["point"]])
    client.force_login(coordinator)
    page = client.get(reverse("trainers:inspect", args=[trainer.trainer_profile.pk])).content.decode()
    assert "Habis" in page and grant_url(trainer) in page
    choice = f"{exhausted['enrolment'].pk}:{exhausted['quiz_id']}"
    assert client.get(grant_url(trainer), {"quiz": choice}).status_code == 200
    refused = client.post(grant_url(trainer), {"quiz": choice, "extra": "1", "reason": "  "})
    assert refused.status_code == 200 and not QuizAttemptGrant.objects.exists()
    response = client.post(
        grant_url(trainer), {"quiz": choice, "extra": "2", "reason": "Belajar ulang bersama fasilitator"}
    )
    assert response.status_code == 302
    grant = QuizAttemptGrant.objects.get()
    assert (grant.extra, grant.granted_by, grant.reason) == (
        2,
        coordinator,
        "Belajar ulang bersama fasilitator",
    )
    page = client.get(reverse("trainers:inspect", args=[trainer.trainer_profile.pk])).content.decode()
    assert "Percobaan kuis tambahan diberikan" in page  # the audit trail
    # The trainer may try again, through the service, the form and the API alike.
    quiz_id = exhausted["quiz_id"]
    result = quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=wrong_answers(quiz_id))
    assert result.allowance.left == 1


def test_the_grant_is_refused_outside_the_coordinators_scope(client, trainer, exhausted):
    other = CoordinatorFactory(service_points=[ServicePointFactory(code="SP011")])
    client.force_login(other)
    choice = f"{exhausted['enrolment'].pk}:{exhausted['quiz_id']}"
    assert client.get(grant_url(trainer)).status_code == 404
    assert client.post(grant_url(trainer), {"quiz": choice, "extra": "5", "reason": "x"}).status_code == 404
    with pytest.raises(people_services.TrainerInvalid):
        people_services.quiz_attempts_grant(
            enrolment=exhausted["enrolment"], quiz_id=exhausted["quiz_id"], extra=5, reason="x", by=other
        )
    assert not QuizAttemptGrant.objects.exists()


def test_the_grant_refuses_hostile_input(client, trainer, exhausted):
    coordinator = CoordinatorFactory(service_points=[exhausted["point"]])
    client.force_login(coordinator)
    choice = f"{exhausted['enrolment'].pk}:{exhausted['quiz_id']}"
    for data in (
        {"quiz": choice, "extra": "99999999999999999999", "reason": "x"},
        {"quiz": choice, "extra": "0", "reason": "x"},
        {"quiz": "1:bukan-kuis", "extra": "1", "reason": "x"},
        {"quiz": choice, "extra": "1", "reason": "a\x00b"},
    ):
        assert client.post(grant_url(trainer), data).status_code in (200, 400)
    assert not QuizAttemptGrant.objects.exists()


@pytest.mark.parametrize(
    ("field", "values"),
    [("extra", ["1", "9"]), ("reason", ["Belajar ulang", "Lain"]), ("quiz", None)],
)
def test_the_grant_refuses_a_field_sent_twice(client, trainer, exhausted, field, values):
    coordinator = CoordinatorFactory(service_points=[exhausted["point"]])
    client.force_login(coordinator)
    choice = f"{exhausted['enrolment'].pk}:{exhausted['quiz_id']}"
    data = {"quiz": choice, "extra": "1", "reason": "Belajar ulang bersama fasilitator"}
    data[field] = values or [choice, choice]
    response = client.post(grant_url(trainer), data)
    assert response.status_code == 200
    assert "Isian ini terkirim lebih dari sekali. Kirim satu nilai saja." in response.content.decode()
    assert not QuizAttemptGrant.objects.exists()


@pytest.mark.parametrize("extra", ["\u0663", "\u0661\u0660", "\uff13", "\u09e9", "1_0", "+3", "3.0"])
def test_the_grant_takes_the_digits_0_to_9_only(client, trainer, exhausted, extra):
    coordinator = CoordinatorFactory(service_points=[exhausted["point"]])
    client.force_login(coordinator)
    choice = f"{exhausted['enrolment'].pk}:{exhausted['quiz_id']}"
    response = client.post(grant_url(trainer), {"quiz": choice, "extra": extra, "reason": "Belajar ulang"})
    assert response.status_code == 200
    assert "Tulis angkanya dengan digit 0-9 saja." in response.content.decode()
    assert not QuizAttemptGrant.objects.exists()
    # A number written with 0-9 (spaces around it are fine) is granted.
    assert (
        client.post(
            grant_url(trainer), {"quiz": choice, "extra": " 3 ", "reason": "Belajar ulang"}
        ).status_code
        == 302
    )
    assert QuizAttemptGrant.objects.get().extra == 3


# ---------------------------------------------------------------------------------------------
# Pools and shuffled choices
# ---------------------------------------------------------------------------------------------


def test_a_draw_takes_n_of_m_questions_and_fetching_again_gives_the_same(api):
    course, _lesson, quiz_id = pool_course(draw_count=2)
    post(api, f"/api/v1/courses/{course.pk}/enrol")
    detail = api.get(f"/api/v1/quizzes/{quiz_id}").json()
    assert detail["draw_count"] == 2 and detail["shuffle_choices"] is True and len(detail["questions"]) == 6
    first = post(api, f"/api/v1/quizzes/{quiz_id}/draws")
    assert first.status_code == 201
    body = first.json()
    assert len(body["questions"]) == 2 and body["attempts_left"] == 3
    assert set(body) >= {"draw_id", "quiz_id", "lesson_id", "course_id", "created_at", "next_attempt_at"}
    assert all(
        "correct" not in str(choice) for question in body["questions"] for choice in question["choices"]
    )
    again = post(api, f"/api/v1/quizzes/{quiz_id}/draws")
    assert again.status_code == 200 and again.json() == body
    assert QuizDraw.objects.count() == 1


def test_answers_to_undrawn_questions_are_refused_and_only_drawn_ones_count(api):
    course, _lesson, quiz_id = pool_course(draw_count=2)
    post(api, f"/api/v1/courses/{course.pk}/enrol")
    draw = post(api, f"/api/v1/quizzes/{quiz_id}/draws").json()
    drawn = [question["id"] for question in draw["questions"]]
    undrawn = next(f"{quiz_id}-p{i}" for i in range(1, 7) if f"{quiz_id}-p{i}" not in drawn)
    url = f"/api/v1/quizzes/{quiz_id}/attempts"
    response = post(
        url=url,
        client=api,
        body={"answers": {**answers_for(drawn), undrawn: [f"{undrawn}-a"]}, "draw_id": draw["draw_id"]},
    )
    assert response.status_code == 422
    assert "tidak termasuk soal yang diundi" in response.json()["errors"][f"answers.{undrawn}"]
    assert not QuizAttempt.objects.exists()
    # One of two drawn questions right: 50, whatever the four others would have been.
    answers = {drawn[0]: [f"{drawn[0]}-a"], drawn[1]: [f"{drawn[1]}-b"]}
    result = post(api, url, {"answers": answers, "draw_id": draw["draw_id"]}).json()
    assert result["score"] == 50 and [item["question_id"] for item in result["results"]] == drawn
    attempt = QuizAttempt.objects.get()
    assert str(attempt.draw_id) == draw["draw_id"]
    again = post(api, url, {"answers": answers, "draw_id": draw["draw_id"]})
    assert again.status_code == 409 and again.json()["code"] == "draw_used"
    assert QuizAttempt.objects.count() == 1


def test_a_pool_quiz_needs_a_draw_and_another_trainers_draw_is_unknown(api):
    course, _lesson, quiz_id = pool_course(draw_count=2)
    post(api, f"/api/v1/courses/{course.pk}/enrol")
    url = f"/api/v1/quizzes/{quiz_id}/attempts"
    ids = [f"{quiz_id}-p{i}" for i in range(1, 7)]
    response = post(api, url, {"answers": answers_for(ids)})
    assert response.status_code == 409 and response.json()["code"] == "draw_required"
    other = TrainerFactory()
    services.enrolment_create(trainer=other, course=course)
    found = selectors.quiz_get(quiz_id=quiz_id)
    theirs = services.quiz_draw_get_or_create(trainer=other, quiz=found[0], lesson=found[1]).draw
    for draw_id in (str(theirs.pk), "bukan-uuid", "\u0000"):
        response = post(api, url, {"answers": answers_for(ids[:2]), "draw_id": draw_id})
        assert response.status_code in (400, 422)
    assert not QuizAttempt.objects.exists()


def test_each_draw_shuffles_the_choices_and_keeps_the_ids(trainer):
    course, lesson, quiz_id = pool_course(questions=6, shuffle_choices=True)
    services.enrolment_create(trainer=trainer, course=course)
    quiz = selectors.quiz_get(quiz_id=quiz_id)[0]
    orders = set()
    for _ in range(8):
        result = services.quiz_draw_get_or_create(trainer=trainer, quiz=quiz, lesson=lesson)
        drawn = result.quiz
        assert [question.id for question in drawn.questions] == [question.id for question in quiz.questions]
        for question in drawn.questions:
            assert {choice.id for choice in question.choices} == {
                f"{question.id}-{letter}" for letter in "abc"
            }
        orders.add(tuple(choice.id for question in drawn.questions for choice in question.choices))
        QuizDraw.objects.filter(pk=result.draw.pk).delete()  # the next fetch draws anew
    assert len(orders) > 1, "8 draws of 6 questions with 3 choices each all came out in one order"


def test_the_lesson_page_shows_the_trainers_draw_and_the_form_scores_it(client, trainer):
    course, lesson, quiz_id = pool_course(draw_count=2)
    services.enrolment_create(trainer=trainer, course=course)
    client.force_login(trainer)
    html = client.get(lesson.url).content.decode()
    draw = QuizDraw.objects.get()
    assert f'name="draw" value="{draw.pk}"' in html
    assert "Setiap percobaan berisi 2 soal yang diundi dari 6 soal." in html
    shown = re.findall(rf'name="q-({re.escape(quiz_id)}-p\d)"', html)
    assert sorted(set(shown)) == sorted(draw.question_ids)
    # Reloading shows the same draw; no new one is made.
    assert f'value="{draw.pk}"' in client.get(lesson.url).content.decode()
    assert QuizDraw.objects.count() == 1
    url = reverse("quiz_attempt_create", args=[quiz_id])
    undrawn = next(f"{quiz_id}-p{i}" for i in range(1, 7) if f"{quiz_id}-p{i}" not in draw.question_ids)
    data = {f"q-{q}": [f"{q}-a"] for q in draw.question_ids}
    refused = client.post(url, {**data, f"q-{undrawn}": [f"{undrawn}-a"], "draw": str(draw.pk)})
    assert refused.status_code == 200 and "tidak termasuk soal yang diundi" in refused.content.decode()
    response = client.post(url, {**data, "draw": str(draw.pk)})
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get()
    assert attempt.score == 100 and attempt.draw_id == draw.pk
    # The same form sent again (a double tap) is not scored twice.
    client.post(url, {**data, "draw": str(draw.pk)})
    assert QuizAttempt.objects.count() == 1


def questions_remove(lesson, question_ids) -> None:
    """An editor removes questions from the lesson's quiz and publishes the lesson."""
    lesson = LessonPage.objects.get(pk=lesson.pk)
    body = []
    for block in lesson.body.raw_data:
        block = dict(block)
        if block["type"] == "quiz":
            value = dict(block["value"])
            value["questions"] = [item for item in value["questions"] if item["id"] not in question_ids]
            block["value"] = value
        body.append(block)
    lesson.body = body
    lesson.save_revision().publish()


def test_a_draw_whose_questions_were_all_removed_is_redrawn_through_the_form(client, trainer):
    course, lesson, quiz_id = pool_course(draw_count=2, max_attempts=1)
    services.enrolment_create(trainer=trainer, course=course)
    client.force_login(trainer)
    client.get(lesson.url)
    stale = QuizDraw.objects.get()
    questions_remove(lesson, stale.question_ids)
    url = reverse("quiz_attempt_create", args=[quiz_id])
    # The form the trainer still has open: the old questions, or none once the page showed the draw
    # without them.
    for data in ({f"q-{q}": [f"{q}-a"] for q in stale.question_ids}, {}):
        response = client.post(url, {**data, "draw": str(stale.pk)})
        assert response.status_code == 302 and response.url.startswith(lesson.url)
        assert not QuizAttempt.objects.exists()
    html = client.get(response.url).content.decode()
    assert "Soal kuis ini sudah diubah sejak Anda membukanya" in html
    fresh = QuizDraw.objects.get()  # the stale draw is gone, a fresh one took its place
    assert fresh.pk != stale.pk and not set(fresh.question_ids) & set(stale.question_ids)
    assert f'name="draw" value="{fresh.pk}"' in html
    # The only attempt allowed is still there.
    response = client.post(url, {**{f"q-{q}": [f"{q}-a"] for q in fresh.question_ids}, "draw": str(fresh.pk)})
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get()
    assert (attempt.score, attempt.draw_id) == (100, fresh.pk)


def test_a_draw_whose_questions_were_all_removed_is_refused_and_redrawn_through_the_api(api):
    course, lesson, quiz_id = pool_course(draw_count=2, max_attempts=1)
    post(api, f"/api/v1/courses/{course.pk}/enrol")
    stale = post(api, f"/api/v1/quizzes/{quiz_id}/draws").json()
    drawn = [question["id"] for question in stale["questions"]]
    questions_remove(lesson, drawn)
    url = f"/api/v1/quizzes/{quiz_id}/attempts"
    for body in (
        {"answers": answers_for(drawn), "draw_id": stale["draw_id"]},
        {"answers": {}, "draw_id": stale["draw_id"]},
        {"answers": {}},  # on the open draw
    ):
        response = post(api, url, body)
        assert response.status_code == 409
        assert response.json()["code"] == "quiz_changed"
        assert "Soal kuis ini sudah diubah" in response.json()["detail"]
    event = {
        "id": str(uuid.uuid4()),
        "type": "quiz_attempt",
        "at": timezone.now().isoformat(),
        "quiz_id": quiz_id,
        "draw_id": stale["draw_id"],
        "answers": answers_for(drawn),
    }
    synced = post(api, "/api/v1/me/sync", {"events": [event]}).json()["results"][0]
    assert (synced["status"], synced["code"]) == ("rejected", "quiz_changed")
    assert not QuizAttempt.objects.exists()

    fresh = post(api, f"/api/v1/quizzes/{quiz_id}/draws")
    assert fresh.status_code == 201
    body = fresh.json()
    assert body["draw_id"] != stale["draw_id"] and body["attempts_left"] == 1
    fresh_ids = [question["id"] for question in body["questions"]]
    assert len(fresh_ids) == 2 and not set(fresh_ids) & set(drawn)
    assert QuizDraw.objects.count() == 1
    result = post(api, url, {"answers": answers_for(fresh_ids), "draw_id": body["draw_id"]})
    assert result.status_code == 201 and result.json()["score"] == 100


def test_an_offline_draw_is_scored_once_through_sync(api):
    course, _lesson, quiz_id = pool_course(draw_count=2)
    post(api, f"/api/v1/courses/{course.pk}/enrol")
    draw = post(api, f"/api/v1/quizzes/{quiz_id}/draws").json()
    drawn = [question["id"] for question in draw["questions"]]
    event = {
        "id": str(uuid.uuid4()),
        "type": "quiz_attempt",
        "at": timezone.now().isoformat(),
        "quiz_id": quiz_id,
        "draw_id": draw["draw_id"],
        "answers": answers_for(drawn),
    }
    first = post(api, "/api/v1/me/sync", {"events": [event]}).json()["results"][0]
    assert first["status"] == "applied" and first["score"] == 100 and first["passed"] is True
    replay = post(api, "/api/v1/me/sync", {"events": [event]}).json()["results"][0]
    assert replay["status"] == "duplicate"
    other_id = post(api, "/api/v1/me/sync", {"events": [{**event, "id": str(uuid.uuid4())}]}).json()[
        "results"
    ][0]
    assert other_id["status"] == "rejected" and other_id["code"] == "draw_used"
    assert QuizAttempt.objects.count() == 1


def test_an_offline_attempt_cannot_be_dated_before_its_draw(api):
    course, _lesson, quiz_id = pool_course(draw_count=2)
    post(api, f"/api/v1/courses/{course.pk}/enrol")
    draw = post(api, f"/api/v1/quizzes/{quiz_id}/draws").json()
    drawn = [question["id"] for question in draw["questions"]]
    event = {
        "id": str(uuid.uuid4()),
        "type": "quiz_attempt",
        "at": (timezone.now() - timedelta(days=2)).isoformat(),
        "quiz_id": quiz_id,
        "draw_id": draw["draw_id"],
        "answers": answers_for(drawn),
    }
    assert post(api, "/api/v1/me/sync", {"events": [event]}).json()["results"][0]["status"] == "applied"
    attempt = QuizAttempt.objects.get()
    assert attempt.submitted_at == QuizDraw.objects.get().created_at
