"""Reads of certificates and batches. No writes here."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, TextChoices
from django.urls import reverse
from django.utils import timezone

from certificates.codes import code_normalize_or_none
from certificates.models import BatchCounts, Certificate, IssuanceBatch, IssuanceBatchItem
from courses.models import ServicePoint
from courses.people.scope import coordinator_scope, coordinator_service_points


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


def certificates_in_scope(*, user, queryset: QuerySet[Certificate] | None = None) -> QuerySet[Certificate]:
    """The certificates (of `queryset`, all by default) whose holder is in the user's coordinator
    scope (`courses.people.scope.coordinator_scope`): none for a user who coordinates nothing."""
    queryset = Certificate.objects.all() if queryset is None else queryset
    return queryset.filter(coordinator_scope(user).trainer_q("trainer__"))


def certificate_list_for_coordinator(*, user) -> QuerySet[Certificate]:
    """Certificates of the trainers of the coordinator's service points (all for a national one)."""
    return certificates_in_scope(
        user=user,
        queryset=Certificate.objects.select_related("course", "service_point", "trainer", "replaced_by"),
    )


def service_point_in_scope_get(*, user, pk) -> ServicePoint | None:
    """One service point of the user's scope, or None (unknown, or outside their scope)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return coordinator_service_points(user).filter(pk=pk).first()


def service_point_certificates_in_scope(*, user, service_point: ServicePoint) -> QuerySet[Certificate]:
    """The valid certificates held by the trainers of a service point (where they are now, as the
    scope counts them), within the user's scope: what the service point's ZIP holds."""
    return certificates_in_scope(
        user=user,
        queryset=Certificate.objects.filter(
            status=Certificate.Status.VALID, trainer__trainer_profile__service_point=service_point
        ),
    )


def service_points_search(
    *, user, query: str = "", exclude_ids=(), limit: int | None = 30
) -> tuple[list, int]:
    """Service points of the user's scope whose code, name, city or province contains the query
    (all of them for an empty query), by code: at most `limit` of them (all for None), and how many
    match. Two queries."""
    points = coordinator_service_points(user)
    query = (query or "").strip()
    if query:
        points = points.filter(
            Q(code__icontains=query)
            | Q(name__icontains=query)
            | Q(city__icontains=query)
            | Q(province__icontains=query)
        )
    if exclude_ids:
        points = points.exclude(pk__in=list(exclude_ids))
    points = points.order_by("code")
    found = list(points if limit is None else points[:limit])
    return found, len(found) if limit is None else points.count()


@dataclass(frozen=True)
class ServicePointCertificates:
    """A service point with the certificates of its trainers: valid and revoked."""

    service_point: ServicePoint
    valid: int
    revoked: int


def service_point_certificate_counts(*, user, query: str = "", limit: int = 100) -> tuple[list, int]:
    """The service points of the user's scope matching the query (`service_points_search`), each
    with the valid and revoked certificates of its trainers; and how many match. Three queries."""
    points, matching = service_points_search(user=user, query=query, limit=limit)
    path = "trainer__trainer_profile__service_point_id"
    rows = (
        certificates_in_scope(user=user)
        .filter(**{f"{path}__in": [point.pk for point in points]})
        .order_by()
        .values(path)
        .annotate(
            valid=Count("id", filter=Q(status=Certificate.Status.VALID)),
            revoked=Count("id", filter=Q(status=Certificate.Status.REVOKED)),
        )
    )
    counts = {row[path]: (row["valid"], row["revoked"]) for row in rows}
    return [ServicePointCertificates(point, *counts.get(point.pk, (0, 0))) for point in points], matching


def batch_items_in_scope(*, user, batch: IssuanceBatch) -> QuerySet[IssuanceBatchItem]:
    """The trainers of a batch that the user's coordinator scope covers."""
    return batch.items.filter(coordinator_scope(user).trainer_q("trainer__"))


def batches_in_scope(*, user) -> QuerySet[IssuanceBatch]:
    """The batches a coordinator may open: those with at least one trainer in their scope, and
    those they created (possibly empty). Everything for a superuser or a national coordinator."""
    scope = coordinator_scope(user)
    queryset = IssuanceBatch.objects.select_related("course", "created_by")
    if scope.everything:
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    has_trainer_in_scope = Exists(
        IssuanceBatchItem.objects.filter(batch=OuterRef("pk")).filter(scope.trainer_q("trainer__"))
    )
    return queryset.filter(Q(has_trainer_in_scope) | Q(created_by=user))


@dataclass(frozen=True)
class BatchInScope(BatchCounts):
    """A batch as one coordinator sees it: counts and state cover only the trainers in their
    scope, so nothing about other service points shows through (not even how many failed)."""

    batch: IssuanceBatch
    total: int
    issued: int
    skipped: int
    failed: int

    @property
    def pk(self) -> int:
        return self.batch.pk

    @property
    def is_finished(self) -> bool:
        return self.batch.is_finished or self.processed >= self.total

    @property
    def status_label(self) -> str:
        if not self.is_finished:
            return self.batch.get_status_display()
        status = IssuanceBatch.Status.DONE_WITH_ERRORS if self.failed else IssuanceBatch.Status.DONE
        return status.label


def _batch_whole(batch: IssuanceBatch) -> BatchInScope:
    return BatchInScope(
        batch=batch, total=batch.total, issued=batch.issued, skipped=batch.skipped, failed=batch.failed
    )


_OUTCOME = IssuanceBatchItem.Outcome


def batch_list_for_coordinator(*, user, limit: int = 50) -> list[BatchInScope]:
    """The newest batches the user may open, each with its in-scope counts (one query; the
    stored counts when the scope is everything)."""
    scope = coordinator_scope(user)
    queryset = batches_in_scope(user=user)
    if scope.everything:
        return [_batch_whole(batch) for batch in queryset[:limit]]
    in_scope = scope.trainer_q("items__trainer__")
    queryset = queryset.annotate(
        scoped_total=Count("items", filter=in_scope),
        scoped_issued=Count("items", filter=in_scope & Q(items__outcome=_OUTCOME.ISSUED)),
        scoped_skipped=Count("items", filter=in_scope & Q(items__outcome=_OUTCOME.SKIPPED)),
        scoped_failed=Count("items", filter=in_scope & Q(items__outcome=_OUTCOME.FAILED)),
    )
    return [
        BatchInScope(
            batch=batch,
            total=batch.scoped_total,
            issued=batch.scoped_issued,
            skipped=batch.scoped_skipped,
            failed=batch.scoped_failed,
        )
        for batch in queryset[:limit]
    ]


def batch_in_scope_get(*, user, pk: int) -> BatchInScope | None:
    """One batch with its in-scope counts, or None when the user may not open it."""
    batch = batches_in_scope(user=user).filter(pk=pk).first()
    if batch is None:
        return None
    if coordinator_scope(user).everything:
        return _batch_whole(batch)
    counts = {outcome: 0 for outcome in _OUTCOME.values}
    counts.update(
        batch_items_in_scope(user=user, batch=batch)
        .order_by()
        .values("outcome")
        .annotate(n=Count("id"))
        .values_list("outcome", "n")
    )
    return BatchInScope(
        batch=batch,
        total=sum(counts.values()),
        issued=counts[_OUTCOME.ISSUED],
        skipped=counts[_OUTCOME.SKIPPED],
        failed=counts[_OUTCOME.FAILED],
    )


def batch_certificates_in_scope(*, user, batch: IssuanceBatch) -> QuerySet[Certificate]:
    """The certificates a batch issued to trainers in the user's scope (what its ZIP may hold)."""
    return certificates_in_scope(user=user, queryset=batch.certificates.all())


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


def batch_errors(*, user, batch: IssuanceBatch) -> QuerySet[IssuanceBatchItem]:
    """The failed trainers of a batch within the user's scope, with their messages."""
    return (
        batch_items_in_scope(user=user, batch=batch)
        .filter(outcome=IssuanceBatchItem.Outcome.FAILED)
        .select_related("trainer", "trainer__trainer_profile")
        .order_by("trainer_id")
    )


def certificate_verify_url_prefix() -> str:
    """The start of the verification link (and QR code) that a certificate issued now carries:
    BASE_URL, then the verification path; the code follows. No queries."""
    return settings.BASE_URL + reverse("certificates:verify")
