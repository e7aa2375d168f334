"""THE attempt policy of a quiz: how many attempts, how long to wait after a failed one, and when
the explanations and correct answers are shown. Plain functions over values the caller already
has (no query here); the lesson page, the result page, the API, offline sync and the coordinators'
trainer page all ask these, so a rule lives in one place.

A course sets the defaults (CoursePage.quiz_max_attempts, quiz_retry_wait_minutes, quiz_reveal);
a quiz block may override each. The wait after a failed attempt doubles with every further
failure in a row (10, 20, 40 … minutes), up to QUIZ_RETRY_WAIT_CAP_MINUTES (24 hours by default).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from django.conf import settings

from courses.blocks import QuizReveal

DEFAULT_RETRY_WAIT_CAP_MINUTES = 24 * 60


class QuizSettings(Protocol):
    """The overrides a quiz block holds (courses.selectors.Quiz): None follows the course."""

    max_attempts: int | None
    retry_wait_minutes: int | None
    reveal: str
    draw_count: int | None
    shuffle_choices: bool
    questions: tuple


class CourseSettings(Protocol):
    quiz_max_attempts: int
    quiz_retry_wait_minutes: int
    quiz_reveal: str


@dataclass(frozen=True)
class AttemptPolicy:
    max_attempts: int | None  # None: unlimited
    retry_wait_minutes: int  # 0: no wait
    reveal: str  # a QuizReveal value
    draw_count: int | None  # None: every question
    shuffle_choices: bool

    @property
    def needs_draw(self) -> bool:
        """Whether an attempt must be drawn before it is answered: with a pool the trainer cannot
        know which questions to answer otherwise. Shuffled choices alone need no draw to score."""
        return self.draw_count is not None


def attempt_policy(*, quiz: QuizSettings, course: CourseSettings) -> AttemptPolicy:
    """The policy of `quiz` in `course`: the quiz's own settings, else the course's."""
    max_attempts = quiz.max_attempts if quiz.max_attempts is not None else course.quiz_max_attempts
    wait = quiz.retry_wait_minutes if quiz.retry_wait_minutes is not None else course.quiz_retry_wait_minutes
    reveal = quiz.reveal or course.quiz_reveal or QuizReveal.PASSED_OR_EXHAUSTED
    if reveal not in QuizReveal.values:
        reveal = QuizReveal.PASSED_OR_EXHAUSTED
    total = len(quiz.questions)
    draw_count = quiz.draw_count if quiz.draw_count and quiz.draw_count < total else None
    return AttemptPolicy(
        max_attempts=max_attempts or None,
        retry_wait_minutes=max(int(wait or 0), 0),
        reveal=str(reveal),
        draw_count=draw_count,
        shuffle_choices=bool(quiz.shuffle_choices),
    )


def retry_wait(*, policy: AttemptPolicy, failures_in_a_row: int) -> timedelta:
    """The wait after the `failures_in_a_row`-th failed attempt in a row: the policy's wait,
    doubled for each further failure, capped."""
    if failures_in_a_row <= 0 or policy.retry_wait_minutes <= 0:
        return timedelta(0)
    cap = getattr(settings, "QUIZ_RETRY_WAIT_CAP_MINUTES", DEFAULT_RETRY_WAIT_CAP_MINUTES)
    # Capped before doubling far: 2**60 minutes is no datetime.
    minutes = policy.retry_wait_minutes * 2 ** min(failures_in_a_row - 1, 30)
    return timedelta(minutes=min(minutes, max(cap, policy.retry_wait_minutes)))


@dataclass(frozen=True)
class AttemptAllowance:
    """Where one trainer stands with one quiz at a moment."""

    used: int
    granted: int
    limit: int | None  # the policy's limit plus the grants; None: unlimited
    passed: bool
    next_attempt_at: datetime | None  # the end of the wait after a failed attempt, when still ahead
    policy: AttemptPolicy

    @property
    def left(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)

    @property
    def exhausted(self) -> bool:
        return self.left == 0

    @property
    def waiting(self) -> bool:
        return not self.exhausted and self.next_attempt_at is not None

    @property
    def refusal(self) -> str:
        """Why a new attempt is refused now: "attempts_exhausted", "attempt_wait" or ""."""
        if self.exhausted:
            return "attempts_exhausted"
        if self.next_attempt_at is not None:
            return "attempt_wait"
        return ""

    @property
    def reveals_answers(self) -> bool:
        """Whether explanations and correct answers may be shown (for any of the attempts)."""
        reveal = self.policy.reveal
        if reveal == QuizReveal.ALWAYS:
            return True
        if reveal == QuizReveal.PASSED:
            return self.passed
        if reveal == QuizReveal.EXHAUSTED:
            return self.exhausted
        return self.passed or self.exhausted


def attempt_allowance(
    *, policy: AttemptPolicy, attempts: Iterable[tuple[datetime, bool]], granted: int = 0, at: datetime
) -> AttemptAllowance:
    """Attempts used and left, and when the next one is allowed, judged at `at`.

    `attempts` are the trainer's (submitted_at, passed) for this quiz, in any order; `granted`
    the attempts coordinators added. The wait counts the failed attempts since the last pass."""
    ordered = sorted(attempts, key=lambda item: item[0])
    passed = any(ok for _when, ok in ordered)
    failures_in_a_row = 0
    for _when, ok in reversed(ordered):
        if ok:
            break
        failures_in_a_row += 1
    next_attempt_at = None
    if failures_in_a_row:
        until = ordered[-1][0] + retry_wait(policy=policy, failures_in_a_row=failures_in_a_row)
        if until > at:
            next_attempt_at = until
    limit = None if policy.max_attempts is None else policy.max_attempts + max(granted, 0)
    return AttemptAllowance(
        used=len(ordered),
        granted=max(granted, 0),
        limit=limit,
        passed=passed,
        next_attempt_at=next_attempt_at,
        policy=policy,
    )
