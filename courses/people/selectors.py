"""Reads about people. Every list of trainers a coordinator sees starts from `trainers_in_scope`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from wagtail.models import ModelLogEntry

from courses.models import Enrolment, LessonProgress, QuizAttempt
from courses.people.models import TrainerProfile
from courses.people.scope import coordinator_scope
from courses.selectors import progress_list_for_trainer
from courses.selectors.attempts import quiz_standings

User = get_user_model()


def trainers_in_scope(user) -> QuerySet:
    """The trainers' accounts (users with a trainer profile, active or not) that `user` may see
    as a coordinator, with their profile and service point loaded; none for anyone else. THE
    queryset of every trainers screen, built on `coordinator_scope` (its queries, then one)."""
    scope = coordinator_scope(user)
    if not scope.everything and not scope.service_point_ids:
        return User._default_manager.none()
    return (
        User._default_manager.filter(trainer_profile__isnull=False)
        .filter(scope.trainer_q())
        .select_related("trainer_profile", "trainer_profile__service_point")
    )


def user_by_email(email: str):
    """The account with this e-mail address (case-insensitive), or None. One query."""
    return (
        User._default_manager.select_related("trainer_profile")
        .filter(email__iexact=email.strip())
        .order_by("pk")
        .first()
    )


def user_is_trainer(user) -> bool:
    """A trainer: an account with a trainer profile (one query unless the profile is loaded)."""
    try:
        return user.trainer_profile is not None
    except User.trainer_profile.RelatedObjectDoesNotExist:
        return False


def trainer_profiles_in_scope(user) -> QuerySet[TrainerProfile]:
    """The trainers' profiles `user` may see as a coordinator (the rows of the trainers area),
    with account and service point loaded, and `last_activity` (the last lesson done or quiz
    submitted) annotated. Built on `coordinator_scope` like `trainers_in_scope`."""
    scope = coordinator_scope(user)
    if not scope.everything and not scope.service_point_ids:
        return TrainerProfile.objects.none()
    last_lesson = (
        LessonProgress.objects.filter(enrolment__trainer_id=OuterRef("user_id"))
        .order_by()
        .values("enrolment__trainer_id")
        .annotate(last=Max("completed_at"))
        .values("last")
    )
    return (
        TrainerProfile.objects.filter(scope.trainer_q("user__"))
        .select_related("user", "service_point")
        .annotate(last_activity=Subquery(last_lesson))
    )


class TrainerStatus:
    """The learning states the trainers list filters on (for one course, or any course)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CERTIFIED = "certified"


def trainer_profiles_with_status(queryset: QuerySet[TrainerProfile], *, status: str, course_id=None):
    """Keep the trainers in a learning state: not started (no lesson done yet), in progress (a
    lesson done, the course not completed), completed, certified (a valid certificate); in
    `course_id` when given, in any course otherwise."""
    from certificates.models import Certificate  # the certificates app builds on this one

    enrolments = Enrolment.objects.filter(trainer_id=OuterRef("user_id"))
    progress = LessonProgress.objects.filter(enrolment__trainer_id=OuterRef("user_id"))
    certificates = Certificate.objects.filter(trainer_id=OuterRef("user_id"), status=Certificate.Status.VALID)
    if course_id:
        enrolments = enrolments.filter(course_id=course_id)
        progress = progress.filter(enrolment__course_id=course_id)
        certificates = certificates.filter(course_id=course_id)
    completed = Exists(enrolments.filter(completed_at__isnull=False))
    if status == TrainerStatus.NOT_STARTED:
        return queryset.filter(~Exists(progress))
    if status == TrainerStatus.IN_PROGRESS:
        if course_id:
            return queryset.filter(Exists(progress), ~completed)
        return queryset.filter(
            Exists(enrolments.filter(completed_at__isnull=True, lesson_progress__isnull=False))
        )
    if status == TrainerStatus.COMPLETED:
        return queryset.filter(completed)
    if status == TrainerStatus.CERTIFIED:
        return queryset.filter(Exists(certificates))
    return queryset


def trainer_profile_in_scope_get(user, pk) -> TrainerProfile | None:
    """One trainer's profile if `user` may see it, else None (one query after the scope's)."""
    return trainer_profiles_in_scope(user).filter(pk=pk).first()


@dataclass
class TrainerRecord:
    """What a coordinator's page about one trainer shows."""

    profile: TrainerProfile
    progress: list = field(default_factory=list)
    attempts: list = field(default_factory=list)
    # Per quiz tried: attempts used and left under its policy (courses.selectors.attempts).
    quiz_standings: list = field(default_factory=list)
    certificates: list = field(default_factory=list)
    log_entries: list = field(default_factory=list)
    last_activity: datetime | None = None


def trainer_record(
    *, profile: TrainerProfile, attempts_limit: int = 50, log_limit: int = 50
) -> TrainerRecord:
    """Progress per course, the latest quiz attempts, certificates and the audit trail of one
    trainer whose profile the caller already took from `trainer_profiles_in_scope` (a fixed
    number of queries)."""
    # The certificates app builds on this one: imported here, not at the top.
    from certificates.selectors import certificate_list_for_trainer

    user = profile.user
    attempts = list(
        QuizAttempt.objects.filter(enrolment__trainer=user)
        .select_related("enrolment__course", "lesson")
        .order_by("-submitted_at")[:attempts_limit]
    )
    certificates = certificate_list_for_trainer(trainer=user)
    # The trail: what was done to the trainer's profile, and to their certificates.
    profile_type = ContentType.objects.get_for_model(TrainerProfile)
    trail = Q(content_type=profile_type, object_id=str(profile.pk))
    if certificates:
        certificate_type = ContentType.objects.get_for_model(type(certificates[0]))
        trail |= Q(content_type=certificate_type, object_id__in=[str(c.pk) for c in certificates])
    log_entries = list(
        ModelLogEntry.objects.filter(trail).select_related("user").order_by("-timestamp")[:log_limit]
    )
    progress = progress_list_for_trainer(trainer=user)
    return TrainerRecord(
        profile=profile,
        progress=progress,
        attempts=attempts,
        quiz_standings=quiz_standings(progress_list=progress),
        certificates=certificates,
        log_entries=log_entries,
        last_activity=getattr(profile, "last_activity", None),
    )


@dataclass(frozen=True)
class CohortPreview:
    """What enrolling the trainers of some service points in a course would do."""

    trainer_ids: list[int]
    already_enrolled: int

    @property
    def total(self) -> int:
        return len(self.trainer_ids)

    @property
    def to_enrol(self) -> int:
        return self.total - self.already_enrolled


def cohort_preview(*, user, course, service_point_ids) -> CohortPreview:
    """The active trainers of the given service points that `user` may see, and how many of them
    are already enrolled in `course` (two queries after the scope's). Service points outside the
    scope contribute nobody."""
    trainer_ids = list(
        trainers_in_scope(user)
        .filter(is_active=True, trainer_profile__service_point_id__in=list(service_point_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    already = (
        Enrolment.objects.filter(course=course, trainer_id__in=trainer_ids).count() if trainer_ids else 0
    )
    return CohortPreview(trainer_ids=trainer_ids, already_enrolled=already)
