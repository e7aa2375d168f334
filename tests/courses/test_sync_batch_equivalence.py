"""Offline sync keeps each enrolment's progress in memory for the batch: random batches (lessons of
two courses and of one not enrolled in, quiz attempts right, wrong, half right and invalid, over
the attempt limit and within the wait, repeated events, unknown types, completions midway) give
the same outcomes and store the same rows as the same events sent one request each."""

import random
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone

from courses import services
from courses.models import Enrolment, LessonProgress, QuizAttempt, SyncEvent
from tests.factories import TrainerFactory, build_course, half_right_answers, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    pass


def _stored(trainer):
    return (
        sorted(
            LessonProgress.objects.filter(enrolment__trainer=trainer).values_list(
                "enrolment__course_id", "lesson_id", "completed_at"
            )
        ),
        sorted(
            QuizAttempt.objects.filter(enrolment__trainer=trainer).values_list(
                "quiz_id", "score", "passed", "submitted_at"
            )
        ),
        sorted(
            (course_id, completed_at is not None)
            for course_id, completed_at in Enrolment.objects.filter(trainer=trainer).values_list(
                "course_id", "completed_at"
            )
        ),
        sorted(SyncEvent.objects.filter(trainer=trainer).values_list("event_id", "status", "detail")),
    )


def _apply(trainer, events, *, one_by_one: bool):
    """(outcomes, rows stored), then everything undone."""
    seen = {}
    try:
        with transaction.atomic():
            if one_by_one:
                outcomes = [
                    o for event in events for o in services.sync_events_apply(trainer=trainer, events=[event])
                ]
            else:
                outcomes = services.sync_events_apply(trainer=trainer, events=events)
            seen["outcomes"] = [
                (o.id, o.status, o.code, o.score, o.passed, o.next_attempt_at, str(o.detail))
                for o in outcomes
            ]
            seen["stored"] = _stored(trainer)
            raise _Undo
    except _Undo:
        pass
    return seen


def _event(**fields):
    base = {"id": str(uuid.uuid4()), "lesson_id": None, "quiz_id": None, "draw_id": None, "answers": None}
    return SimpleNamespace(**{**base, **fields})


@pytest.mark.parametrize("seed", range(25))
def test_a_batch_gives_what_one_request_an_event_gives(seed):
    rng = random.Random(seed)
    trainer = TrainerFactory()
    first = build_course(
        slug=f"a{seed}",
        lessons=2,
        max_attempts=rng.choice([1, 2, 3]),
        quiz_retry_wait_minutes=rng.choice([0, 1, 2]),
    )
    second = build_course(
        slug=f"b{seed}",
        lessons=1,
        max_attempts=rng.choice([None, 2]),
        quiz_retry_wait_minutes=rng.choice([0, 1]),
    )
    not_enrolled = build_course(slug=f"c{seed}", lessons=1)
    services.enrolment_create(trainer=trainer, course=first.course)
    services.enrolment_create(trainer=trainer, course=second.course)
    now = timezone.now()
    times = [now - timedelta(seconds=seconds) for seconds in range(0, 280, 7)]  # out of order below
    events = []
    for _ in range(rng.randint(3, 14)):
        at, roll = rng.choice(times), rng.random()
        if events and roll < 0.15:
            events.append(rng.choice(events))
        elif roll < 0.45:
            lesson = rng.choice(rng.choice([first, second, not_enrolled]).lessons)
            events.append(_event(type="lesson_completed", at=at, lesson_id=str(lesson.pk)))
        elif roll < 0.95:
            quiz_id = rng.choice([first, first, second, not_enrolled]).quiz_ids[0]
            answers = rng.choice(
                [
                    right_answers(quiz_id),
                    wrong_answers(quiz_id),
                    half_right_answers(quiz_id),
                    {f"{quiz_id}-q1": ["x"]},
                ]
            )
            events.append(_event(type="quiz_attempt", at=at, quiz_id=quiz_id, answers=answers))
        else:
            events.append(_event(id=rng.choice(["bukan-uuid", str(uuid.uuid4())]), type="lain", at=at))

    batch = _apply(trainer, events, one_by_one=False)
    each = _apply(trainer, events, one_by_one=True)
    assert batch["outcomes"] == each["outcomes"]
    assert batch["stored"] == each["stored"]
