"""The issuance plan, shared by issuing one certificate and by batches: which template revision a
course issues with, who is eligible (for many trainers at once), which trainers a batch covers
within its creator's scope, serial numbers, and the printed fields and row of one certificate.

Everything here only reads, except `serial_numbers_allocate` (which takes numbers); nothing here
renders a PDF or writes a certificate.
"""

import calendar
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Revision

from certificates import rendering
from certificates.codes import code_generate
from certificates.models import Certificate, CertificateTemplate, SerialCounter
from certificates.services.errors import CertificateError
from certificates.services.templates import shared_layer_for_revision
from courses.models import CoursePage, Enrolment, ServicePoint
from courses.people.scope import coordinator_scope, is_coordinator

User = get_user_model()


# --- The design a course issues with -------------------------------------------------------------


def course_template_require(*, course: CoursePage) -> None:
    """Raise CertificateError when the course has no certificate template. No query."""
    if course.certificate_template_id is None:
        raise CertificateError(_("Kursus ini belum memiliki templat sertifikat."))


@dataclass(frozen=True)
class CertificateDesign:
    """The template revision a course issues with now, and its shared layer (rendered once)."""

    template: CertificateTemplate
    revision: Revision
    template_object: CertificateTemplate  # the template as the revision has it
    shared: rendering.SharedLayer


def certificate_design_get(*, course: CoursePage) -> CertificateDesign:
    """The design of the course's certificates: the template and its latest revision in one query
    (the revision is created on first use), the revision's content applied to that same object, and
    its shared layer (cached per process). Raises CertificateError when the course has none."""
    course_template_require(course=course)
    template = CertificateTemplate.objects.select_related("latest_revision").get(
        pk=course.certificate_template_id
    )
    revision = template.latest_revision or template.save_revision(log_action=False)
    template_object = template.with_content_json(revision.content)
    return CertificateDesign(
        template=template,
        revision=revision,
        template_object=template_object,
        shared=shared_layer_for_revision(revision=revision, template_object=template_object),
    )


# --- Who may get one -----------------------------------------------------------------------------


def profile_incomplete_message() -> str:
    return _("Profil pelatih belum lengkap: nama lengkap untuk sertifikat belum diisi.")


def not_completed_message() -> str:
    return _("Pelatih belum menyelesaikan kursus ini.")


def already_holding_message() -> str:
    return _("Sudah memiliki sertifikat yang berlaku.")


def eligibility_errors(*, course: CoursePage, trainers: Iterable) -> dict[int, str]:
    """Why each of these trainers cannot get a certificate of the course (an Indonesian message
    by trainer id); trainers who can are absent. One query (completions), whatever their number;
    the trainers' profiles should be loaded (`select_related("trainer_profile")`). Whether a trainer
    already holds a valid certificate is not an eligibility question: see `valid_holder_ids`."""
    trainers = list(trainers)
    completed = set(
        Enrolment.objects.filter(
            course=course, trainer_id__in=[trainer.pk for trainer in trainers], completed_at__isnull=False
        ).values_list("trainer_id", flat=True)
    )
    errors = {}
    for trainer in trainers:
        profile = getattr(trainer, "trainer_profile", None)
        if profile is None or not profile.full_name.strip():
            errors[trainer.pk] = profile_incomplete_message()
        elif trainer.pk not in completed:
            errors[trainer.pk] = not_completed_message()
    return errors


def valid_holder_ids(*, course: CoursePage, trainer_ids: Iterable[int] | QuerySet) -> set[int]:
    """The trainers among these who already hold a valid certificate of the course. One query."""
    return set(
        Certificate.objects.filter(
            course=course, trainer_id__in=trainer_ids, status=Certificate.Status.VALID
        ).values_list("trainer_id", flat=True)
    )


# --- Whom a batch covers -------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchPlan:
    """The trainers a batch would cover: every trainer in scope (and of the chosen service points)
    who completed the course, holders of a valid certificate included (the batch skips them), and
    what would become of them: how many already hold a valid certificate, how many cannot get one
    for want of a full name, and so how many certificates it would issue."""

    course: CoursePage
    service_points: tuple[ServicePoint, ...]
    trainer_ids: tuple[int, ...]
    holding: int
    incomplete: int

    @property
    def total(self) -> int:
        return len(self.trainer_ids)

    @property
    def to_issue(self) -> int:
        return self.total - self.holding - self.incomplete


def batch_plan(
    *, course: CoursePage, service_points: Iterable[ServicePoint] = (), created_by=None
) -> BatchPlan:
    """Whom a batch of the course would cover, and how many certificates it would issue. Without
    service points: all of the creator's scope (`courses.people.scope.coordinator_scope`; everything
    for no creator, i.e. the shell). Raises CertificateError when the course has no template, the
    creator is not a coordinator, or a service point is outside their scope. Three queries (the
    trainers, the holders, the incomplete profiles), plus the scope's; no writes."""
    course_template_require(course=course)
    service_points = tuple(service_points or ())
    enrolments = Enrolment.objects.filter(course=course, completed_at__isnull=False)
    if created_by is not None:
        # A batch never reaches a trainer its creator could not see.
        if not is_coordinator(created_by):
            raise CertificateError(_("Anda tidak berwenang menerbitkan sertifikat."))
        scope = coordinator_scope(created_by)
        outside = [point for point in service_points if not scope.includes_service_point(point.pk)]
        if outside:
            raise CertificateError(
                _("Titik layanan di luar cakupan Anda: %(codes)s.")
                % {"codes": ", ".join(p.code for p in outside)}
            )
        enrolments = enrolments.filter(scope.trainer_q("trainer__"))
    if service_points:
        enrolments = enrolments.filter(
            trainer__trainer_profile__service_point_id__in=[point.pk for point in service_points]
        )
    trainer_ids = tuple(enrolments.order_by("trainer_id").values_list("trainer_id", flat=True).distinct())
    covered = enrolments.values("trainer_id")
    holders = Certificate.objects.filter(
        course=course, status=Certificate.Status.VALID, trainer_id__in=covered
    ).values("trainer_id")
    incomplete = (
        User.objects.filter(pk__in=covered)
        .exclude(pk__in=holders)
        .filter(Q(trainer_profile__isnull=True) | Q(trainer_profile__full_name__regex=r"^\s*$"))
    )
    return BatchPlan(
        course=course,
        service_points=service_points,
        trainer_ids=trainer_ids,
        holding=holders.count(),
        incomplete=incomplete.count(),
    )


# --- One certificate ----------------------------------------------------------------------------


def serial_numbers_allocate(*, course: CoursePage, year: int, count: int = 1) -> list[int]:
    """Take `count` consecutive serial numbers of a course and year.

    Safe under concurrency: one atomic UPDATE … SET last_number = last_number + count (a row lock on
    PostgreSQL, the write lock on SQLite). Numbers taken by a writer that then fails are not reused:
    serials may have gaps, never duplicates.
    """
    with transaction.atomic():
        SerialCounter.objects.bulk_create(
            [SerialCounter(course=course, year=year, last_number=0)], ignore_conflicts=True
        )
        SerialCounter.objects.filter(course=course, year=year).update(last_number=F("last_number") + count)
        last = (
            SerialCounter.objects.filter(course=course, year=year).values_list("last_number", flat=True).get()
        )
    return list(range(last - count + 1, last + 1))


def _add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _serial(prefix: str, year: int, service_point: ServicePoint | None, number: int) -> str:
    point = service_point.code.upper() if service_point else "NASIONAL"
    return f"{prefix or 'TOT'}/{year}/{point}/{number:05d}"


@dataclass
class PlannedCertificate:
    """One certificate before it is written: what it prints and the snapshot it keeps."""

    trainer: object  # the user
    service_point: ServicePoint | None
    fields: rendering.CertificateFields
    snapshot: dict
    issued_at: datetime
    expires_at: datetime | None


def certificate_plan(
    *, trainer, course: CoursePage, design: CertificateDesign, number: int, issued_at: datetime
) -> PlannedCertificate:
    """The printed fields and snapshot of one certificate, with a fresh code. No query (the
    trainer's profile and service point should be loaded)."""
    template_object = design.template_object
    profile = getattr(trainer, "trainer_profile", None)
    service_point = profile.service_point if profile else None
    code = code_generate()
    year = timezone.localtime(issued_at).year
    serial = _serial(template_object.serial_prefix, year, service_point, number)
    verify_url = settings.BASE_URL + reverse("certificates:verify_code", kwargs={"code": code})
    fields = rendering.CertificateFields(
        holder_name=profile.full_name.strip(),
        course_title=course.title,
        hours=rendering.hours_indonesian(course.estimated_hours),
        service_point=service_point.name if service_point else "",
        date=rendering.date_indonesian(issued_at),
        serial=serial,
        code=code,
        verify_url=verify_url,
    )
    expires_at = None
    if template_object.validity_months:
        expires_at = _add_months(issued_at, template_object.validity_months)
    snapshot = {
        "holder_name": fields.holder_name,
        "course_title": fields.course_title,
        "hours": fields.hours,
        "service_point": fields.service_point,
        "service_point_code": service_point.code if service_point else "",
        "date": fields.date,
        "serial": serial,
        "code": code,
        "verify_url": verify_url,
        "issuer": template_object.issuer,
        "signatories": [
            {"name": block.value.get("name", ""), "title": block.value.get("title", "")}
            for block in template_object.signatories
        ],
        "template_id": design.template.pk,
        "template_name": template_object.name,
        "template_revision_id": design.revision.pk,
    }
    return PlannedCertificate(trainer, service_point, fields, snapshot, issued_at, expires_at)


def certificate_row(
    planned: PlannedCertificate,
    *,
    course: CoursePage,
    design: CertificateDesign,
    issued_by,
    batch,
    pdf_name: str,
    pdf: bytes,
) -> Certificate:
    """The unsaved certificate row of a planned certificate and its stored PDF."""
    return Certificate(
        code=planned.fields.code,
        serial=planned.fields.serial,
        trainer=planned.trainer,
        course=course,
        service_point=planned.service_point,
        template=design.template,
        template_revision=design.revision,
        snapshot=planned.snapshot,
        batch=batch,
        issued_by=issued_by,
        issued_at=planned.issued_at,
        expires_at=planned.expires_at,
        pdf=pdf_name,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
    )
