"""Wagtail admin views for coordinators: certificates (issue one, revoke, re-issue, download) and
issuance batches (create, progress, errors, ZIP). Every view checks the coordinator's scope; an
editor is refused. Thin: parse, check, call a service, render.

Also the certificate template's previews (as a PDF with sample data) for the template snippet."""

import tempfile
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.snippets.views.snippets import PreviewOnCreateView, PreviewOnEditView, PreviewRevisionView
from wagtail.utils.decorators import xframe_options_sameorigin_override

from certificates import permissions, selectors, services
from certificates.forms import ReissueForm, RevokeForm
from certificates.models import Certificate
from courses.models import CoursePage, ServicePoint
from courses.people.scope import coordinator_scope, coordinator_service_points
from lms.queue import BackgroundWorkUnavailable

User = get_user_model()


def _require_coordinator(request) -> None:
    if not permissions.user_can_manage_certificates(request.user):
        raise PermissionDenied


def _certificate_in_scope(request, pk: int) -> Certificate:
    certificate = get_object_or_404(Certificate.objects.select_related("trainer", "course"), pk=pk)
    if not permissions.user_can_manage_trainer(request.user, certificate.trainer):
        raise Http404
    return certificate


def _pk_valid(value) -> bool:
    """A primary key the database can hold (the `in` lookup does not drop out-of-range ones)."""
    text = str(value).strip()
    return text.isdigit() and len(text) <= 18


class ObjectChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not _pk_valid(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ServicePointsField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value:
            if not _pk_valid(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


# Up to this many trainers, the trainer list offers them all; beyond, those matching a search.
TRAINER_CHOICES = 50


class IssueOneForm(forms.Form):
    """A course and one trainer of the user's scope. Any trainer of the scope is accepted; the
    list offers them all in a small scope, else the ones matching `query` (name, e-mail, user
    name), so that a national coordinator does not scroll through thousands."""

    course = ObjectChoiceField(label=gettext_lazy("Kursus"), queryset=CoursePage.objects.none())
    trainer = ObjectChoiceField(label=gettext_lazy("Pelatih"), queryset=User.objects.none())

    def __init__(self, *args, user, query: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.filter(
            certificate_template__isnull=False
        ).order_by("title")
        trainers = (
            User.objects.filter(trainer_profile__isnull=False)
            .filter(coordinator_scope(user).trainer_q())
            .select_related("trainer_profile")
            .order_by("trainer_profile__full_name", "pk")
        )
        field = self.fields["trainer"]
        field.queryset = trainers
        offered = trainers
        if query:
            offered = trainers.filter(
                Q(trainer_profile__full_name__icontains=query)
                | Q(email__icontains=query)
                | Q(username__icontains=query)
            )
        chosen = self.data.get("trainer") if self.is_bound else None
        offered = list(offered[: TRAINER_CHOICES + 1])
        self.too_many = len(offered) > TRAINER_CHOICES
        if self.too_many and not query:
            offered = []
        offered = offered[:TRAINER_CHOICES]
        if chosen and _pk_valid(chosen) and all(str(u.pk) != str(chosen) for u in offered):
            offered += list(trainers.filter(pk=int(chosen)))  # keep what was chosen, if in scope
        self.offered = len(offered)
        field.widget.choices = [("", "---------")] + [
            (u.pk, f"{u.trainer_profile.full_name} ({u.get_username()})") for u in offered
        ]


class BatchForm(forms.Form):
    """A batch's course and service points. The service points are chosen with a picker (see
    `_service_point_picker`), not a list of every one: the field only validates that each chosen
    one is in the user's scope."""

    course = ObjectChoiceField(label=gettext_lazy("Kursus"), queryset=CoursePage.objects.none())
    service_points = ServicePointsField(
        label=gettext_lazy("Titik layanan"),
        queryset=ServicePoint.objects.none(),
        required=False,
        widget=forms.MultipleHiddenInput,
        error_messages={
            "invalid_choice": gettext_lazy("Titik layanan yang dipilih tidak ada dalam cakupan Anda."),
            "invalid_pk_value": gettext_lazy("Pilihan titik layanan tidak valid."),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.filter(
            certificate_template__isnull=False
        ).order_by("title")
        self.fields["service_points"].queryset = coordinator_service_points(user).order_by("code")


# Up to this many service points in scope, the picker lists them all; beyond, it searches.
PICKER_LIST_ALL = 12
PICKER_RESULTS = 30


def _ids(values) -> list[int]:
    return sorted({int(value) for value in values if _pk_valid(value)})


def _service_point_picker(request, *, add_matches: bool = False) -> dict:
    """The service-point picker of the batch form, without JavaScript: the chosen ones (checked),
    a search box over code, name, city and province, and its results (unchecked) that the
    coordinator ticks, or adds all at once. Only service points of the user's scope are offered."""
    data = request.POST if request.method == "POST" else request.GET
    query = data.get("sp_q", "").strip()[:100]
    chosen_ids = _ids(data.getlist("service_points"))
    if add_matches and query:
        matches, _count = selectors.service_points_search(user=request.user, query=query, limit=None)
        chosen_ids = sorted(set(chosen_ids) | {point.pk for point in matches})
    chosen = list(coordinator_service_points(request.user).filter(pk__in=chosen_ids).order_by("code"))
    in_scope = coordinator_service_points(request.user).count()
    results, matching = [], 0
    if query or in_scope <= PICKER_LIST_ALL:
        results, matching = selectors.service_points_search(
            user=request.user,
            query=query,
            exclude_ids=[point.pk for point in chosen],
            limit=PICKER_RESULTS,
        )
    return {
        "query": query,
        "chosen": chosen,
        "results": results,
        "matching": matching,
        "in_scope": in_scope,
        "searchable": in_scope > PICKER_LIST_ALL,
    }


def _verify_address_context(request) -> dict:
    """What the issue screens show of the address printed on certificates (and a warning when it is
    not the one the coordinator is using, e.g. a forgotten BASE_URL)."""
    prefix = selectors.certificate_verify_url_prefix()
    return {
        "verify_url_prefix": prefix,
        "verify_host_differs": urlsplit(prefix).netloc.lower() != request.get_host().lower(),
    }


@require_http_methods(["GET"])
def certificate_index(request):
    _require_coordinator(request)
    certificates = selectors.certificate_list_for_coordinator(user=request.user)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        certificates = certificates.filter(
            Q(serial__icontains=query) | Q(snapshot__holder_name__icontains=query)
        )
    service_point = None
    if request.GET.get("sp"):
        service_point = selectors.service_point_in_scope_get(user=request.user, pk=request.GET["sp"])
        if service_point is None:
            raise Http404
        certificates = certificates.filter(trainer__trainer_profile__service_point=service_point)
    status = request.GET.get("status", "")
    if status in Certificate.Status.values:
        certificates = certificates.filter(status=status)
    return TemplateResponse(
        request,
        "certificates/admin/index.html",
        {
            "certificates": certificates.order_by("-issued_at")[:200],
            "query": query,
            "service_point": service_point,
            "status": status,
            "statuses": Certificate.Status.choices,
        },
    )


@require_http_methods(["GET", "POST"])
def certificate_issue_one(request):
    _require_coordinator(request)
    query = request.GET.get("q", "").strip()[:100]
    form = IssueOneForm(request.POST or None, user=request.user, query=query)
    if request.method == "POST" and form.is_valid():
        trainer = form.cleaned_data["trainer"]
        if not permissions.user_can_manage_trainer(request.user, trainer):
            raise Http404
        try:
            outcome = services.certificate_issue_outcome(
                trainer=trainer, course=form.cleaned_data["course"], issued_by=request.user
            )
        except services.CertificateError as error:
            form.add_error(None, str(error))
        else:
            values = {"name": trainer.trainer_profile.full_name, "serial": outcome.certificate.serial}
            if outcome.created:
                messages.success(request, _("Sertifikat %(serial)s diterbitkan untuk %(name)s.") % values)
            else:
                messages.warning(
                    request,
                    _(
                        "%(name)s sudah memiliki sertifikat yang berlaku untuk kursus ini (%(serial)s); "
                        "tidak ada sertifikat baru yang diterbitkan."
                    )
                    % values,
                )
            return redirect("certificates_admin:index")
    return TemplateResponse(
        request,
        "certificates/admin/form.html",
        {
            "form": form,
            "title": _("Terbitkan satu sertifikat"),
            "trainer_search": {"query": query, "too_many": form.too_many, "offered": form.offered},
            **_verify_address_context(request),
        },
    )


@require_http_methods(["GET", "POST"])
def certificate_revoke(request, pk: int):
    _require_coordinator(request)
    certificate = _certificate_in_scope(request, pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.CertificateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Sertifikat %(serial)s dicabut.") % {"serial": certificate.serial})
            return redirect("certificates_admin:index")
    return TemplateResponse(
        request,
        "certificates/admin/form.html",
        {
            "form": form,
            "title": _("Cabut sertifikat %(serial)s") % {"serial": certificate.serial},
            "danger": True,
        },
    )


@require_http_methods(["GET", "POST"])
def certificate_reissue(request, pk: int):
    _require_coordinator(request)
    certificate = _certificate_in_scope(request, pk)
    form = ReissueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.certificate_reissue(
                certificate=certificate, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.CertificateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Sertifikat baru %(serial)s menggantikan yang lama.") % {"serial": new.serial}
            )
            return redirect("certificates_admin:index")
    return TemplateResponse(
        request,
        "certificates/admin/form.html",
        {
            "form": form,
            "title": _("Terbitkan ulang sertifikat %(serial)s") % {"serial": certificate.serial},
            **_verify_address_context(request),
        },
    )


@require_http_methods(["GET", "POST"])
def batch_index(request):
    """A new batch in two steps: choose the course and service points, then confirm on a page that
    says how many certificates will be issued. Nothing is written before the confirmation."""
    _require_coordinator(request)
    action = request.POST.get("action", "review") if request.method == "POST" else ""
    form = BatchForm(request.POST if action in ("review", "confirm") else None, user=request.user)
    if action in ("search", "add_matches", "edit"):
        form = BatchForm(initial={"course": request.POST.get("course")}, user=request.user)
    if action in ("review", "confirm") and form.is_valid():
        course = form.cleaned_data["course"]
        service_points = list(form.cleaned_data["service_points"])
        try:
            if action == "confirm":
                batch = services.batch_create(
                    course=course, service_points=service_points, created_by=request.user
                )
            else:
                plan = services.batch_plan(
                    course=course, service_points=service_points, created_by=request.user
                )
        except services.CertificateError as error:
            form.add_error(None, str(error))
        except BackgroundWorkUnavailable as error:
            form.add_error(None, error.message)
        else:
            if action == "confirm":
                return redirect("certificates_admin:batch", pk=batch.pk)
            return TemplateResponse(
                request,
                "certificates/admin/batch_confirm.html",
                {"plan": plan, "in_scope": coordinator_service_points(request.user).count()},
            )
    batches = selectors.batch_list_for_coordinator(user=request.user, limit=50)
    return TemplateResponse(
        request,
        "certificates/admin/batches.html",
        {
            "form": form,
            "picker": _service_point_picker(request, add_matches=action == "add_matches"),
            "batches": batches,
            **_verify_address_context(request),
        },
    )


def _batch_in_scope(request, pk: int) -> selectors.BatchInScope:
    """The batch as this coordinator may see it (only their trainers' part); 404 when none."""
    batch = selectors.batch_in_scope_get(user=request.user, pk=pk)
    if batch is None:
        raise Http404
    return batch


@require_http_methods(["GET"])
def batch_detail(request, pk: int):
    _require_coordinator(request)
    batch = _batch_in_scope(request, pk)
    return TemplateResponse(
        request,
        "certificates/admin/batch.html",
        {"batch": batch, "errors": selectors.batch_errors(user=request.user, batch=batch.batch)[:500]},
    )


@require_http_methods(["GET"])
def batch_zip(request, pk: int):
    _require_coordinator(request)
    batch = _batch_in_scope(request, pk).batch
    target = tempfile.TemporaryFile()  # noqa: SIM115  (closed by FileResponse)
    services.batch_zip_write(batch=batch, user=request.user, target=target)
    target.seek(0)
    return FileResponse(
        target,
        as_attachment=True,
        filename=f"sertifikat-batch-{batch.pk}.zip",
        content_type="application/zip",
    )


@require_http_methods(["GET"])
def service_point_index(request):
    """The service points of the coordinator's scope (searchable), each with its trainers' valid
    and revoked certificates and a ZIP of the valid ones."""
    _require_coordinator(request)
    query = request.GET.get("q", "").strip()[:100]
    rows, matching = selectors.service_point_certificate_counts(user=request.user, query=query, limit=100)
    return TemplateResponse(
        request,
        "certificates/admin/service_points.html",
        {"rows": rows, "matching": matching, "query": query},
    )


@require_http_methods(["GET"])
def service_point_zip(request, pk: int):
    """Every valid certificate of a service point's trainers, as one ZIP; 404 outside the scope."""
    _require_coordinator(request)
    service_point = selectors.service_point_in_scope_get(user=request.user, pk=pk)
    if service_point is None:
        raise Http404
    target = tempfile.TemporaryFile()  # noqa: SIM115  (closed by FileResponse)
    services.service_point_zip_write(service_point=service_point, user=request.user, target=target)
    target.seek(0)
    return FileResponse(
        target,
        as_attachment=True,
        filename=f"sertifikat-{service_point.code}.zip",
        content_type="application/zip",
    )


# --- Certificate template previews ----------------------------------------------------------------


def _template_preview_response(template) -> HttpResponse:
    response = HttpResponse(services.template_preview_pdf(template=template), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="pratinjau-sertifikat.pdf"'
    return response


class _TemplatePreviewFromForm:
    """The template as edited in the form (not yet saved), as a PDF in the preview panel, instead of
    Wagtail's simulated front-end request: a template has no page of its own."""

    @method_decorator(xframe_options_sameorigin_override)
    def get(self, request, *args, **kwargs):
        form = self.get_form(self._get_form_data(self._get_form_state()))
        if not self.validate_form(form):
            return self.error_response()
        form.save(commit=False)
        return _template_preview_response(self.object)


class TemplatePreviewOnEdit(_TemplatePreviewFromForm, PreviewOnEditView):
    pass


class TemplatePreviewOnCreate(_TemplatePreviewFromForm, PreviewOnCreateView):
    pass


class TemplatePreviewRevision(PreviewRevisionView):
    """A saved revision of the template, as a PDF."""

    def get(self, request, *args, **kwargs):
        return _template_preview_response(self.revision_object)
