"""Admin screens of the trainer import: upload a file, see its check (counts and every problem by
row and column), confirm it, follow the background import. Coordinators and superusers only; a
coordinator sees only the imports they uploaded, each checked against their own scope. Thin: parse,
check, call `courses.people.imports.runs`, render."""

import csv

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from courses.people.imports import runs
from courses.people.imports.reading import HEADER_ALIASES, ImportFileError, max_bytes, max_rows
from courses.people.models import TrainerImport
from courses.people.scope import is_coordinator
from lms.queue import BackgroundWorkUnavailable

app_name = "trainer_imports"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas CSV atau XLSX"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={
            "required": gettext_lazy("Pilih berkas yang akan diimpor."),
            "empty": gettext_lazy("Berkas kosong."),
        },
    )


def _require_coordinator(request) -> None:
    if not is_coordinator(request.user):
        raise PermissionDenied


def _import_of(request, pk: int) -> TrainerImport:
    """The import, when the user uploaded it (or is a superuser); 404 otherwise, so that ids of
    other coordinators' imports tell nothing."""
    trainer_import = runs.trainer_imports_visible_to(request.user).filter(pk=pk).first()
    if trainer_import is None:
        raise Http404
    return trainer_import


@require_http_methods(["GET", "POST"])
def index(request):
    _require_coordinator(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            trainer_import = runs.trainer_import_upload(
                uploaded_file=form.cleaned_data["file"], by=request.user
            )
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            return redirect("trainer_imports:detail", pk=trainer_import.pk)
    return TemplateResponse(
        request,
        "courses/admin/trainer_import_index.html",
        {
            "form": form,
            "imports": runs.trainer_imports_visible_to(request.user)[:20],
            "max_kb": max_bytes() // 1024,
            "max_rows": max_rows(),
            "aliases": _aliases(),
        },
    )


def _aliases() -> list[tuple[str, list[str]]]:
    fields: dict[str, list[str]] = {}
    for alias, field in HEADER_ALIASES.items():
        fields.setdefault(field, []).append(alias)
    return list(fields.items())


@require_http_methods(["GET"])
def detail(request, pk: int):
    _require_coordinator(request)
    trainer_import = _import_of(request, pk)
    return TemplateResponse(
        request,
        "courses/admin/trainer_import_detail.html",
        {"trainer_import": trainer_import, "preview_limit": runs.PREVIEW_ROWS},
    )


@require_POST
def confirm(request, pk: int):
    _require_coordinator(request)
    trainer_import = _import_of(request, pk)
    try:
        confirmed = runs.trainer_import_confirm(trainer_import=trainer_import)
    except BackgroundWorkUnavailable as error:
        messages.error(request, error.message)
    else:
        if not confirmed:
            messages.error(
                request, _("Impor ini tidak bisa dikonfirmasi (sudah berjalan, selesai, atau ada masalah).")
            )
    return redirect("trainer_imports:detail", pk=trainer_import.pk)


@require_http_methods(["GET"])
def example(request):
    """A CSV to fill in: the four columns and one example row."""
    _require_coordinator(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contoh-impor-pelatih.csv"'
    response.write("\ufeff")  # lets Excel open it as UTF-8
    writer = csv.writer(response)
    writer.writerow(["full_name", "email", "phone", "service_point_code"])
    writer.writerow(["Siti Aminah", "siti.aminah@example.org", "0812-3456-7890", "SP001"])
    return response


urlpatterns = [
    path("", index, name="index"),
    path("contoh.csv", example, name="example"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/confirm/", confirm, name="confirm"),
]
