"""Filters of the trainers list. Every choice offered comes from the coordinator's scope."""

from datetime import timedelta

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from courses.models import CoursePage
from courses.people.models import ServicePoint, TrainerProfile
from courses.people.scope import coordinator_service_points
from courses.people.selectors import TrainerStatus, trainer_profiles_with_status

STATUS_CHOICES = [
    (TrainerStatus.NOT_STARTED, _("Belum mulai")),
    (TrainerStatus.IN_PROGRESS, _("Sedang belajar")),
    (TrainerStatus.COMPLETED, _("Selesai")),
    (TrainerStatus.CERTIFIED, _("Bersertifikat")),
]
ACTIVITY_CHOICES = [
    ("7", _("7 hari terakhir")),
    ("30", _("30 hari terakhir")),
    ("idle30", _("Tidak aktif lebih dari 30 hari")),
    ("never", _("Belum pernah")),
]
ACCOUNT_CHOICES = [("active", _("Aktif")), ("inactive", _("Nonaktif"))]


class TrainerFilterSet(WagtailFilterSet):
    service_point = django_filters.ModelChoiceFilter(
        label=_("Titik layanan"), queryset=ServicePoint.objects.none(), field_name="service_point"
    )
    province = django_filters.ChoiceFilter(
        label=_("Provinsi"), field_name="service_point__province", choices=[]
    )
    course = django_filters.ModelChoiceFilter(
        label=_("Kursus"),
        queryset=CoursePage.objects.none(),
        method="filter_course",
        help_text=_("Pelatih yang terdaftar di kursus ini; status dihitung untuk kursus ini."),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status belajar"), choices=STATUS_CHOICES, method="filter_status"
    )
    activity = django_filters.ChoiceFilter(
        label=_("Aktivitas terakhir"), choices=ACTIVITY_CHOICES, method="filter_activity"
    )
    account = django_filters.ChoiceFilter(label=_("Akun"), choices=ACCOUNT_CHOICES, method="filter_account")

    class Meta:
        model = TrainerProfile
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        points = (
            coordinator_service_points(request.user) if request is not None else ServicePoint.objects.none()
        )
        self.filters["service_point"].queryset = points
        self.filters["province"].extra["choices"] = [
            (province, province)
            for province in points.order_by("province").values_list("province", flat=True).distinct()
        ]
        self.filters["course"].queryset = CoursePage.objects.live().order_by("title")

    def filter_course(self, queryset, name, value):
        if value is None or self.form.cleaned_data.get("status"):
            return queryset  # the status filter reads the course itself
        return queryset.filter(user__enrolments__course=value).distinct()

    def filter_status(self, queryset, name, value):
        course = self.form.cleaned_data.get("course")
        return trainer_profiles_with_status(queryset, status=value, course_id=course.pk if course else None)

    def filter_activity(self, queryset, name, value):
        now = timezone.now()
        if value == "never":
            return queryset.filter(last_activity__isnull=True)
        if value == "idle30":
            return queryset.filter(last_activity__lt=now - timedelta(days=30))
        return queryset.filter(last_activity__gte=now - timedelta(days=int(value)))

    def filter_account(self, queryset, name, value):
        return queryset.filter(user__is_active=value == "active")
