"""The filters every report takes: course, service point, province and a date range. The choices
are those of the coordinator's scope, so an id from another scope in the URL is refused as an
invalid choice and never widens what is shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage, ServicePoint
from courses.people.scope import coordinator_service_points

MAX_RANGE_DAYS = 366 * 5
DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2100, 12, 31)


@dataclass(frozen=True)
class ReportFilters:
    """What a report is asked for; the service points are already limited to the scope."""

    course: CoursePage | None = None
    service_point: ServicePoint | None = None
    province: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @property
    def start(self) -> datetime | None:
        if self.date_from is None:
            return None
        return timezone.make_aware(datetime.combine(self.date_from, time.min))

    @property
    def end(self) -> datetime | None:
        """The first instant after the range (the day after `date_to`, at midnight)."""
        if self.date_to is None:
            return None
        return timezone.make_aware(datetime.combine(self.date_to + timedelta(days=1), time.min))

    def as_query(self) -> dict[str, str]:
        """The filters as GET parameters, for the export links."""
        values = {
            "course": self.course.pk if self.course else "",
            "service_point": self.service_point.pk if self.service_point else "",
            "province": self.province,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
        }
        return {key: str(value) for key, value in values.items() if value != ""}


class ReportFilterForm(forms.Form):
    course = forms.ModelChoiceField(
        label=_("Kursus"), queryset=CoursePage.objects.none(), required=False, empty_label=_("Semua kursus")
    )
    service_point = forms.ModelChoiceField(
        label=_("Titik layanan"),
        queryset=ServicePoint.objects.none(),
        required=False,
        empty_label=_("Semua titik layanan"),
    )
    province = forms.ChoiceField(label=_("Provinsi"), required=False)
    date_from = forms.DateField(
        label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, require_course: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        points = coordinator_service_points(user).order_by("code")
        self.fields["service_point"].queryset = points
        self.fields["service_point"].label_from_instance = lambda point: f"{point.code} · {point.name}"
        provinces = points.order_by("province").values_list("province", flat=True).distinct()
        self.fields["province"].choices = [("", _("Semua provinsi"))] + [(p, p) for p in provinces]
        courses = CoursePage.objects.live().defer_streamfields().order_by("title")
        self.fields["course"].queryset = courses
        if require_course:
            self.fields["course"].empty_label = None

    def clean(self):
        cleaned = super().clean()
        for name in ("date_from", "date_to"):
            # the range's end is the next midnight: 9999-12-31 overflowed it; year 1 is no report
            value = cleaned.get(name)
            if value is not None and not DATE_MIN <= value <= DATE_MAX:
                self.add_error(name, _("Tanggal harus antara tahun 2000 dan 2100."))
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to:
            if date_from > date_to:
                self.add_error("date_to", _("Tanggal akhir harus sama dengan atau sesudah tanggal awal."))
            elif (date_to - date_from).days > MAX_RANGE_DAYS:
                self.add_error("date_to", _("Rentang tanggal paling panjang lima tahun."))
        return cleaned


def report_filters_from(form: ReportFilterForm) -> ReportFilters:
    """The valid part of the form: a field with an error is left out (and its message shown)."""
    form.is_valid()
    data = {name: value for name, value in form.cleaned_data.items() if name not in form.errors}
    return ReportFilters(
        course=data.get("course"),
        service_point=data.get("service_point"),
        province=data.get("province") or "",
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )
