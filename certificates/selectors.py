"""Reads of certificates and batches. No writes here."""

from django.db.models import Count, Q, QuerySet

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
