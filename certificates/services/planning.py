"""Planning one certificate before it is written: eligibility, its template, serial numbers,
printed fields, snapshot and the unsaved row."""

import calendar
import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Revision

from certificates import rendering
from certificates.codes import code_generate
from certificates.models import Certificate, CertificateTemplate, SerialCounter
from certificates.services.errors import CertificateError
from certificates.services.templates import shared_layer_for_revision, template_revision_current
from courses.models import CoursePage, Enrolment, ServicePoint

User = get_user_model()


def _add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


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


def _serial(prefix: str, year: int, service_point: ServicePoint | None, number: int) -> str:
    point = service_point.code.upper() if service_point else "NASIONAL"
    return f"{prefix or 'TOT'}/{year}/{point}/{number:05d}"


@dataclass(frozen=True)
class _Design:
    """The template revision a course issues with now, and its shared layer (rendered once)."""

    template: CertificateTemplate
    revision: Revision
    template_object: CertificateTemplate
    shared: rendering.SharedLayer


def _design_for(course: CoursePage) -> _Design:
    template = _template_for(course)
    revision = template_revision_current(template=template)
    return _Design(
        template=template,
        revision=revision,
        template_object=revision.as_object(),
        shared=shared_layer_for_revision(revision=revision),
    )


@dataclass
class _Planned:
    trainer: User
    service_point: ServicePoint | None
    fields: rendering.CertificateFields
    snapshot: dict
    issued_at: datetime
    expires_at: datetime | None


def _plan(
    *,
    trainer,
    course: CoursePage,
    design: _Design,
    number: int,
    issued_at: datetime,
) -> _Planned:
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
        hours=rendering.hours_id(course.estimated_hours),
        service_point=service_point.name if service_point else "",
        date=rendering.date_id(issued_at),
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
    return _Planned(trainer, service_point, fields, snapshot, issued_at, expires_at)


def _eligibility_error(*, trainer, course: CoursePage) -> str | None:
    """Why the trainer cannot get a certificate for the course, or None."""
    profile = getattr(trainer, "trainer_profile", None)
    if profile is None or not profile.full_name.strip():
        return _("Profil pelatih belum lengkap: nama lengkap untuk sertifikat belum diisi.")
    if not Enrolment.objects.filter(trainer=trainer, course=course, completed_at__isnull=False).exists():
        return _("Pelatih belum menyelesaikan kursus ini.")
    return None


def _template_for(course: CoursePage) -> CertificateTemplate:
    if course.certificate_template_id is None:
        raise CertificateError(_("Kursus ini belum memiliki templat sertifikat."))
    return course.certificate_template


def _certificate_row(
    planned: _Planned, *, course, design: _Design, issued_by, batch, pdf_name, pdf
) -> Certificate:
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
