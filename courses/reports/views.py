"""Admin report views for coordinators (and superusers); everyone else gets 403. Thin: read the
filters, call a selector, build the tables and charts, render, or export one table."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from courses.people.scope import is_content_editor, is_coordinator
from courses.reports import charts, exports, selectors, tables
from courses.reports import outcomes as outcome_selectors
from courses.reports.filters import ReportFilterForm, report_filters_from

EXPORT_FORMATS = {"csv": exports.csv_response, "xlsx": exports.xlsx_response}


def reports_allowed(request) -> bool:
    """Coordinators and superusers; asked once per request (the view and each menu item ask)."""
    allowed = getattr(request, "_coordinator_reports_allowed", None)
    if allowed is None:
        allowed = request._coordinator_reports_allowed = is_coordinator(request.user)
    return allowed


def _require_coordinator(request) -> None:
    if not reports_allowed(request):
        raise PermissionDenied


def _export_or_render(request, *, slug: str, report_tables, context: dict, template: str, charts=list):
    """Export the table named in `?table=` as `?export=csv|xlsx`, or render the page with the
    charts that `charts()` draws (only then: an export needs no SVG)."""
    export = request.GET.get("export")
    if export:
        writer = EXPORT_FORMATS.get(export)
        table = next((table for table in report_tables if table.slug == request.GET.get("table")), None)
        if writer is None or table is None:
            raise Http404
        filename = f"laporan-{slug}-{table.slug}-{timezone.localdate().isoformat()}"
        return writer(table, filename=filename)
    filters = context["filters"]
    context.update(tables=report_tables, export_query=filters.as_query(), charts=charts())
    return TemplateResponse(request, template, context)


def _coordinator_filters(request, **form_options):
    """A coordinator's report request (403 for anyone else): the filter form and its filters."""
    _require_coordinator(request)
    form = ReportFilterForm(request.GET, user=request.user, **form_options)
    return form, report_filters_from(form)


@require_GET
def service_points(request):
    form, filters = _coordinator_filters(request)
    report = selectors.service_point_report(user=request.user, filters=filters)
    context = {
        "title": _("Laporan titik layanan"),
        "form": form,
        "filters": filters,
        "report": report,
    }
    return _export_or_render(
        request,
        slug="titik-layanan",
        report_tables=tables.service_point_tables(report),
        context=context,
        template="reports/service_points.html",
        charts=lambda: (
            [charts.service_point_rates_chart(report.points), charts.province_chart(report.provinces)]
            if report.points
            else []
        ),
    )


@require_GET
def course(request):
    form, filters = _coordinator_filters(request, require_course=True)
    chosen = filters.course or form.fields["course"].queryset.first()
    report = selectors.course_report(user=request.user, filters=filters, course=chosen) if chosen else None
    context = {"title": _("Laporan kursus"), "form": form, "filters": filters, "report": report}

    def course_charts():
        if report is None:
            return []
        drawn = [charts.funnel_chart(report)]
        if report.wrong_questions:
            drawn.append(charts.wrong_questions_chart(report))
        return drawn

    return _export_or_render(
        request,
        slug="kursus",
        report_tables=tables.course_tables(report) if report else [],
        context=context,
        template="reports/course.html",
        charts=course_charts,
    )


@require_GET
def activity(request):
    form, filters = _coordinator_filters(request)
    weeks = selectors.activity_report(user=request.user, filters=filters)
    context = {
        "title": _("Laporan aktivitas"),
        "form": form,
        "filters": filters,
        "weeks": weeks,
    }
    return _export_or_render(
        request,
        slug="aktivitas",
        report_tables=tables.activity_tables(weeks),
        context=context,
        template="reports/activity.html",
        charts=lambda: [charts.activity_chart(weeks)],
    )


def comments_allowed(request) -> bool:
    """Coordinators (their scope's comments) and content editors and moderators (every trainer's
    comments, without names or service points)."""
    return reports_allowed(request) or is_content_editor(request.user)


@require_GET
def outcomes(request):
    form, filters = _coordinator_filters(request)
    report = outcome_selectors.outcomes_report(user=request.user, filters=filters)
    context = {
        "title": _("Laporan hasil belajar dan penilaian"),
        "form": form,
        "filters": filters,
        "report": report,
        "comments_shown": outcome_selectors.COMMENTS_SHOWN,
    }
    return _export_or_render(
        request,
        slug="hasil-belajar",
        report_tables=tables.outcome_tables(report),
        context=context,
        template="reports/outcomes.html",
    )


@require_GET
def evaluation_comments(request):
    """The comments of the course evaluations: a coordinator's scope with the service point, or for
    an editor every trainer's, without the service point. Never a trainer's name."""
    if not comments_allowed(request):
        raise PermissionDenied
    coordinator = reports_allowed(request)
    form = ReportFilterForm(request.GET, user=request.user)
    if not coordinator:
        for name in ("service_point", "province"):
            del form.fields[name]
    filters = report_filters_from(form)
    comments, total = outcome_selectors.evaluation_comments(
        user=request.user, filters=filters, with_service_point=coordinator, everyone=not coordinator
    )
    context = {
        "title": _("Komentar penilaian kursus"),
        "form": form,
        "filters": filters,
        "comments_total": total,
        "comments_shown": outcome_selectors.COMMENTS_SHOWN,
    }
    return _export_or_render(
        request,
        slug="komentar",
        report_tables=[tables.comment_table(comments, with_service_point=coordinator)],
        context=context,
        template="reports/comments.html",
    )
