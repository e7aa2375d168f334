"""Reads of certificates and batches. No writes here."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet, TextChoices
from django.utils import timezone

from certificates.codes import code_normalize_or_none
from certificates.models import Certificate, IssuanceBatch, IssuanceBatchItem
from courses.permissions import coordinator_service_points


def certificate_list_for_trainer(*, trainer) -> list[Certificate]:
    """The trainer's certificates, newest first (valid and revoked), in one query."""
    return list(
        Certificate.objects.filter(trainer=trainer)
        .select_related("course", "replaced_by")
        .order_by("-issued_at", "-id")
    )


class PendingState(TextChoices):
    # Auto-issued on completion and the worker has not finished yet: worth waiting for.
    ISSUING = "issuing"
    # No automatic issue (or it did not happen in time): the coordinator issues it.
    BY_COORDINATOR = "by_coordinator"
    # The certificate prints the full name; without it, nothing can be issued.
    PROFILE_INCOMPLETE = "profile_incomplete"


# Longer than the queue ever takes in normal running (seconds; a 10,000-certificate batch in front
# of it takes minutes). After it the dashboard stops promising and stops refreshing itself.
ISSUING_WAIT = timedelta(minutes=30)


@dataclass(frozen=True)
class PendingCertificate:
    course: object  # courses.models.CoursePage
    completed_at: datetime
    state: PendingState


def certificate_pending_list(
    *,
    completions: list[tuple[object, datetime]],
    certificates: list[Certificate],
    holder_name: str,
    now: datetime | None = None,
) -> list[PendingCertificate]:
    """The completed courses (course, completed_at) that have no certificate yet, each with what
    happens next. No query: works on what the caller already loaded (the courses' own fields,
    the trainer's certificates of any status, the name printed on certificates)."""
    now = now or timezone.now()
    with_certificate = {certificate.course_id for certificate in certificates}
    pending = []
    for course, completed_at in completions:
        if course.pk in with_certificate:
            continue
        if not holder_name.strip():
            state = PendingState.PROFILE_INCOMPLETE
        elif (
            course.auto_issue_certificate
            and course.certificate_template_id is not None
            and now - completed_at < ISSUING_WAIT
        ):
            state = PendingState.ISSUING
        else:
            state = PendingState.BY_COORDINATOR
        pending.append(PendingCertificate(course=course, completed_at=completed_at, state=state))
    return pending


def certificate_get_by_code(*, code: str) -> Certificate | None:
    """The certificate with this code, typed in any forgiving form; None when malformed or unknown."""
    normalized = code_normalize_or_none(code)
    if normalized is None:
        return None
    return (
        Certificate.objects.select_related("replaced_by", "course", "service_point")
        .filter(code=normalized)
        .first()
    )


def certificate_valid_for(*, trainer, course) -> Certificate | None:
    return Certificate.objects.filter(trainer=trainer, course=course, status=Certificate.Status.VALID).first()


def certificate_list_for_coordinator(*, user) -> QuerySet[Certificate]:
    """Certificates of the trainers of the coordinator's service points (all for a national one)."""
    queryset = Certificate.objects.select_related("course", "service_point", "trainer", "replaced_by")
    if user.is_superuser:
        return queryset
    points = coordinator_service_points(user)
    return queryset.filter(
        Q(trainer__trainer_profile__service_point__in=points) | Q(service_point__in=points)
    )


def batch_list_for_coordinator(*, user) -> QuerySet[IssuanceBatch]:
    queryset = IssuanceBatch.objects.select_related("course", "created_by")
    if user.is_superuser:
        return queryset
    in_scope = IssuanceBatch.objects.filter(
        Q(created_by=user) | Q(service_points__in=coordinator_service_points(user))
    ).values("pk")
    return queryset.filter(pk__in=in_scope)


def batch_counts(*, batch_id: int) -> dict[str, int]:
    """Counts of a batch derived from its items: exact whatever was retried or redelivered."""
    rows = (
        IssuanceBatchItem.objects.filter(batch_id=batch_id)
        .values("outcome")
        .annotate(n=Count("id"))
        .values_list("outcome", "n")
    )
    counts = {outcome: 0 for outcome in IssuanceBatchItem.Outcome.values}
    counts.update(dict(rows))
    return counts


def batch_errors(*, batch: IssuanceBatch) -> QuerySet[IssuanceBatchItem]:
    return (
        batch.items.filter(outcome=IssuanceBatchItem.Outcome.FAILED)
        .select_related("trainer", "trainer__trainer_profile")
        .order_by("trainer_id")
    )
