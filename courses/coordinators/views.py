"""The trainers area of the Wagtail admin ("Pelatih"): a ModelViewSet over trainer profiles.

Every view takes its rows and objects from `courses.people.selectors.trainer_profiles_in_scope`,
so an id outside the coordinator's scope answers 404, and every write goes through
`courses.people.services`, which checks the scope again.
"""

import re

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton

from courses.coordinators.filters import TrainerFilterSet
from courses.coordinators.forms import (
    CohortEnrolmentForm,
    CoordinatorProfileForm,
    QuizAttemptsGrantForm,
    TrainerForm,
)
from courses.coordinators.permissions import user_can_manage_trainers
from courses.people import selectors, services
from courses.people.models import CoordinatorProfile, TrainerProfile
from courses.people.phones import phone_display
from courses.selectors import progress_list_for_trainer
from courses.selectors.attempts import quiz_standings
from courses.services import EnrolmentClosed

# What a typed phone number looks like: digits with spaces, dashes, dots, brackets or a plus.
PHONE_QUERY = re.compile(r"[\d\s+().-]+")


def qr_svg(url: str) -> str:
    """The link as a QR code, inline SVG (one path; no image request, works offline)."""
    qr = segno.make(url, error="m", micro=False)
    # segno writes the SVG itself from the URL we made: no user input reaches it unescaped.
    return mark_safe(qr.svg_inline(scale=5, border=2, dark="#000", light="#fff"))  # noqa: S308


def form_errors_add(form, error: ValidationError) -> None:
    """Put a service's per-field errors on the form's fields (or on the form)."""
    for field, field_messages in error.message_dict.items():
        target = field if field in form.fields else None
        for message in field_messages:
            form.add_error(target, message)


class ServiceFormMixin:
    """Create and edit views whose save is a service call that may refuse the values."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["for_user"] = self.request.user
        return kwargs

    def service_refused(self, form, error: ValidationError):
        form_errors_add(form, error)
        self.produced_error_code = "validation_error"
        self.produced_error_message = self.get_error_message()
        return self.form_invalid(form)


class ScopedMixin:
    """The object of an edit or inspect view only from the coordinator's scope: another id
    answers 404."""

    def get_queryset(self):
        return selectors.trainer_profiles_in_scope(self.request.user)


class ScopedListingMixin:
    """The same for views that list something about one trainer (history, usage)."""

    def get_base_object_queryset(self):
        return selectors.trainer_profiles_in_scope(self.request.user)


class PhoneColumn(Column):
    def get_value(self, instance):
        return phone_display(instance.phone)


class TrainerIndexView(generic.IndexView):
    search_fields = ["full_name", "user__email", "phone"]
    search_backend_name = None
    default_ordering = "full_name"
    paginate_by = 50

    def get_base_queryset(self):
        return selectors.trainer_profiles_in_scope(self.request.user)

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        # A phone typed as people write it ("0812-3456…") finds the stored digits ("62812…").
        found = super().search_queryset(queryset)
        digits = "".join(char for char in self.search_query if char.isdigit())
        if len(digits) >= 4 and PHONE_QUERY.fullmatch(self.search_query):
            national = digits[1:] if digits.startswith("0") else digits
            found = found | queryset.filter(phone__contains=national)
        return found

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "full_name",
                label=gettext_lazy("Nama lengkap"),
                url_name=self.inspect_url_name,
                sort_key="full_name",
            ),
            Column("email", label=gettext_lazy("E-mail"), accessor="user.email", sort_key="user__email"),
            PhoneColumn("phone", label=gettext_lazy("Telepon")),
            Column(
                "service_point",
                label=gettext_lazy("Titik layanan"),
                accessor="service_point.code",
                sort_key="service_point__code",
            ),
            StatusTagColumn(
                "account",
                label=gettext_lazy("Akun"),
                accessor=lambda profile: _("Aktif") if profile.user.is_active else _("Nonaktif"),
                primary=lambda profile: profile.user.is_active,
            ),
            DateColumn(
                "last_activity",
                label=gettext_lazy("Aktivitas terakhir"),
                sort_key="last_activity",
            ),
        ]

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        buttons.append(
            HeaderButton(
                _("Daftarkan angkatan"),
                url=reverse(self.cohort_url_name),
                icon_name="group",
            )
        )
        return buttons

    @cached_property
    def header_more_buttons(self):
        # in the "…" menu: a third header button pushes "Tambah pelatih" off a phone's screen
        buttons = super().header_more_buttons
        buttons.append(Button(_("Impor pelatih"), url=reverse("trainer_imports:index"), icon_name="upload"))
        return buttons

    cohort_url_name = None


class TrainerCreateView(ServiceFormMixin, generic.CreateView):
    def form_valid(self, form):
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = services.trainer_create(
                    full_name=data["full_name"],
                    email=data["email"],
                    phone=data["phone"],
                    service_point=data["service_point"],
                    by=self.request.user,
                )
                invitation = services.trainer_invite(user=user, by=self.request.user)
        except ValidationError as error:
            return self.service_refused(form, error)
        return invitation_response(
            self.request, profile=user.trainer_profile, invitation=invitation, created=True
        )


class TrainerEditView(ServiceFormMixin, ScopedMixin, generic.EditView):
    def form_valid(self, form):
        data = form.cleaned_data
        profile = self.object
        try:
            _user, changed = services.trainer_update(
                user=profile.user,
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                service_point=data["service_point"],
                by=self.request.user,
            )
        except ValidationError as error:
            # The form's instance took the typed values; show the saved name in the header.
            self.object.refresh_from_db()
            return self.service_refused(form, error)
        if changed:
            messages.success(self.request, _("Data pelatih disimpan."))
        else:
            messages.info(self.request, _("Tidak ada yang berubah."))
        return redirect(self.inspect_url_name, profile.pk)

    inspect_url_name = None


class TrainerInspectView(ScopedMixin, generic.InspectView):
    template_name = "coordinators/trainer_detail.html"
    invite_url_name = None
    deactivate_url_name = None

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), pk=self.pk)

    def get_page_title(self):
        return self.object.full_name

    def get_page_subtitle(self):
        return self.object.service_point.code if self.object.service_point else ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["record"] = selectors.trainer_record(profile=self.object)
        context["invite_url"] = reverse(self.invite_url_name, args=[self.object.pk])
        context["deactivate_url"] = reverse(self.deactivate_url_name, args=[self.object.pk])
        context["phone"] = phone_display(self.object.phone)
        return context


class ScopedObjectView(TemplateView):
    """A trainer's action page (invite, deactivate): GET asks, POST acts."""

    def dispatch(self, request, *args, **kwargs):
        if not user_can_manage_trainers(request.user):
            raise PermissionDenied
        self.profile = get_object_or_404(selectors.trainer_profiles_in_scope(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(profile=self.profile, trainer_url=self.trainer_url, **kwargs)

    @property
    def trainer_url(self):
        return reverse("trainers:inspect", args=[self.profile.pk])


def invitation_response(request, *, profile, invitation, created=False):
    # BASE_URL is the public address (and the one in the e-mail); without it, the address in use.
    url = invitation.url if settings.BASE_URL else request.build_absolute_uri(invitation.path)
    return TemplateResponse(
        request,
        "coordinators/invitation.html",
        {
            "profile": profile,
            "invitation": invitation,
            "invitation_url": url if invitation.shareable else "",
            "qr": qr_svg(url) if invitation.shareable else "",
            "created": created,
            "trainer_url": reverse("trainers:inspect", args=[profile.pk]),
            "index_url": reverse("trainers:index"),
        },
    )


class TrainerInviteView(ScopedObjectView):
    template_name = "coordinators/invite_confirm.html"

    def post(self, request, *args, **kwargs):
        try:
            invitation = services.trainer_invite(user=self.profile.user, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(self.trainer_url)
        return invitation_response(request, profile=self.profile, invitation=invitation)


class TrainerDeactivateView(ScopedObjectView):
    template_name = "coordinators/deactivate_confirm.html"

    def post(self, request, *args, **kwargs):
        user = self.profile.user
        try:
            if user.is_active:
                services.trainer_deactivate(user=user, by=request.user)
                messages.success(request, _("Akun pelatih dinonaktifkan."))
            else:
                services.trainer_activate(user=user, by=request.user)
                messages.success(request, _("Akun pelatih diaktifkan kembali."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect(self.trainer_url)


class TrainerQuizAttemptsGrantView(ScopedObjectView):
    """Give a trainer more attempts at a quiz whose attempts they used up: GET shows the form
    (the quiz chosen with `?quiz=`), POST grants them through the service, which checks the scope
    again and writes the audit log."""

    template_name = "coordinators/quiz_attempts_grant.html"

    def get_form(self, data=None):
        standings = quiz_standings(progress_list=progress_list_for_trainer(trainer=self.profile.user))
        form = QuizAttemptsGrantForm(
            data, standings=standings, initial={"quiz": self.request.GET.get("quiz")}
        )
        return form

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        standing = form.cleaned_data["quiz"]
        try:
            services.quiz_attempts_grant(
                enrolment=standing.enrolment,
                quiz_id=standing.quiz.id,
                extra=form.cleaned_data["extra"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form_errors_add(form, error)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            _("%(extra)d percobaan tambahan untuk “%(quiz)s” diberikan kepada %(name)s.")
            % {
                "extra": form.cleaned_data["extra"],
                "quiz": standing.quiz.title,
                "name": self.profile.full_name,
            },
        )
        return redirect(self.trainer_url)


class CohortEnrolView(TemplateView):
    """Choose a course and service points, see how many trainers that is, then enrol them."""

    template_name = "coordinators/cohort.html"

    def dispatch(self, request, *args, **kwargs):
        if not user_can_manage_trainers(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response({"form": CohortEnrolmentForm(for_user=request.user)})

    def post(self, request, *args, **kwargs):
        form = CohortEnrolmentForm(request.POST, for_user=request.user)
        if not form.is_valid():
            return self.render_to_response({"form": form})
        course = form.cleaned_data["course"]
        points = list(form.cleaned_data["service_points"])
        if "confirm" not in request.POST:
            preview = selectors.cohort_preview(
                user=request.user, course=course, service_point_ids=[point.pk for point in points]
            )
            return self.render_to_response(
                {"form": form, "preview": preview, "course": course, "service_points": points}
            )
        try:
            result = services.cohort_enrol(course=course, service_points=points, by=request.user)
        except (ValidationError, EnrolmentClosed) as error:
            message = error.message if isinstance(error, EnrolmentClosed) else " ".join(error.messages)
            form.add_error(None, message)
            return self.render_to_response({"form": form})
        messages.success(
            request,
            _("%(enrolled)d pelatih didaftarkan ke %(course)s; %(already)d sudah terdaftar sebelumnya.")
            % {"enrolled": result.enrolled, "course": course.title, "already": result.already_enrolled},
        )
        return redirect("trainers:index")


class TrainerHistoryView(ScopedListingMixin, HistoryView):
    pass


class TrainerUsageView(ScopedListingMixin, UsageView):
    pass


class TrainerViewSet(ModelViewSet):
    model = TrainerProfile
    name = "trainers"
    url_prefix = "trainers"
    icon = "group"
    menu_label = gettext_lazy("Pelatih")
    menu_order = 440
    add_to_admin_menu = True
    form_class = TrainerForm
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = TrainerFilterSet
    index_view_class = TrainerIndexView
    add_view_class = TrainerCreateView
    edit_view_class = TrainerEditView
    inspect_view_class = TrainerInspectView
    search_fields = ["full_name", "user__email", "phone"]
    search_backend_name = None

    def get_form_class(self, for_update=False):
        return TrainerForm

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(cohort_url_name=self.get_url_name("cohort"), **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(inspect_url_name=self.get_url_name("inspect"), **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            invite_url_name=self.get_url_name("invite"),
            deactivate_url_name=self.get_url_name("deactivate"),
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("invite/<int:pk>/", TrainerInviteView.as_view(), name="invite"),
            path("deactivate/<int:pk>/", TrainerDeactivateView.as_view(), name="deactivate"),
            path("cohort/", CohortEnrolView.as_view(), name="cohort"),
            path("attempts/<int:pk>/", TrainerQuizAttemptsGrantView.as_view(), name="grant_attempts"),
        ]

    history_view_class = TrainerHistoryView
    usage_view_class = TrainerUsageView


class CoordinatorProfileCreateView(generic.CreateView):
    def save_instance(self):
        profile = super().save_instance()
        services.coordinator_profile_saved(profile=profile, by=self.request.user)
        return profile


class CoordinatorProfileEditView(generic.EditView):
    def save_instance(self):
        profile = super().save_instance()
        services.coordinator_profile_saved(profile=profile, by=self.request.user)
        return profile


class CoordinatorScopeColumn(Column):
    def get_value(self, instance):
        if instance.is_national:
            return _("Nasional")
        parts = list(instance.provinces)
        codes = [point.code for point in instance.service_points.all()]
        if codes:
            parts.append(", ".join(codes))
        return "; ".join(parts) or "—"


class CoordinatorProfileIndexView(generic.IndexView):
    def get_base_queryset(self):
        return CoordinatorProfile.objects.select_related("user").prefetch_related("service_points")


class CoordinatorProfileViewSet(ModelViewSet):
    """Administrators (Django model permissions: superusers, or a group given them) set each
    coordinator's scope here. Coordinators themselves have no such permission."""

    model = CoordinatorProfile
    name = "coordinator_profiles"
    url_prefix = "coordinator-profiles"
    icon = "group"
    menu_label = gettext_lazy("Wilayah koordinator")
    add_to_settings_menu = True
    form_class = CoordinatorProfileForm
    add_view_class = CoordinatorProfileCreateView
    edit_view_class = CoordinatorProfileEditView
    copy_view_enabled = False
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name"]
    search_backend_name = None
    list_display = ["__str__", CoordinatorScopeColumn("scope", label=gettext_lazy("Wilayah"))]

    index_view_class = CoordinatorProfileIndexView

    def get_form_class(self, for_update=False):
        return CoordinatorProfileForm


trainer_viewset = TrainerViewSet()
coordinator_profile_viewset = CoordinatorProfileViewSet()
