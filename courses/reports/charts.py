"""Report charts, drawn on the server by pygal as inline SVG.

No script and no CDN: pygal's default SVG loads its tooltip script from a CDN, so `js` is empty,
its inline configuration script is removed, and every value is printed on the chart instead. No XML declaration (the SVG sits inside HTML),
no fixed size (only a viewBox), so that it takes the width of its container, laptop or phone;
the fonts are large for the drawing's width so that they stay readable when scaled down to a
phone. pygal escapes every label (they come from the database: service point and course names,
question texts)."""

from __future__ import annotations

from math import ceil

import pygal
from django.utils import formats
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from pygal.style import Style

from courses.reports.selectors import CourseReport, PointRow, WeekRow

WIDTH = 460
LABEL_CHARS = 38

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#262626",
    foreground_strong="#1f1f1f",
    foreground_subtle="#8a8a8a",
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif",
    label_font_size=16,
    major_label_font_size=16,
    value_font_size=15,
    value_label_font_size=15,
    legend_font_size=14,
    title_font_size=18,
    tooltip_font_size=14,
    # green: done, amber: on the way, grey: not started
    colors=("#1e7d4f", "#d98c00", "#9aa3ad", "#1a5fb4", "#a51d2d"),
    opacity=".9",
    opacity_hover="1",
)


def _without_scripts(root):
    """pygal writes its configuration into an inline <script> even with no script files: drop it."""
    for script in [element for element in root.iter() if str(element.tag).rsplit("}", 1)[-1] == "script"]:
        script.getparent().remove(script)
    return root


def _percent_axis() -> dict:
    """A 0–100 axis labelled every 25, and values printed with one decimal, as on screen."""
    return {
        "range": (0, 100),
        "y_labels": [0, 25, 50, 75, 100],
        "value_formatter": lambda value: f"{value:.0f}",
        "formatter": lambda value: formats.number_format(value, decimal_pos=1, use_l10n=True),
    }


def _count_axis(top: int) -> dict:
    """Whole-number ticks up to at least `top` (people are counted: never 0.2 of a trainer), with
    at most about six of them, written as on screen ("1.000")."""
    step, factors = 1, (2, 2.5, 2)  # 1, 2, 5, 10, 20, 50, 100, …
    while top > 5 * step:
        step = int(step * factors[0])
        factors = (*factors[1:], factors[0])
    ticks = max(1, ceil(top / step))
    return {
        "y_labels": [step * n for n in range(ticks + 1)],
        "value_formatter": lambda value: formats.number_format(
            round(value), use_l10n=True, force_grouping=True
        ),
    }


def _config(**kwargs) -> dict:
    return {
        "js": [],
        "disable_xml_declaration": True,
        "explicit_size": False,
        "style": STYLE,
        "width": WIDTH,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 3,
        "truncate_legend": -1,
        "truncate_label": -1,
        "print_values": True,
        "show_y_guides": True,
        "margin": 8,
        "margin_right": 24,
        "spacing": 8,
        "no_data_text": _("Belum ada data"),
        **kwargs,
    }


def _render(chart) -> SafeString:
    chart.add_xml_filter(_without_scripts)
    # pygal builds the SVG with an XML library that escapes every text it is given.
    return mark_safe(chart.render(is_unicode=True))  # noqa: S308


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _bar_height(rows: int, *, per_row: int, extra: int = 130) -> int:
    return extra + per_row * max(rows, 1)


def service_point_rates_chart(rows: list[PointRow]) -> SafeString:
    """Completion rate of each service point, in rank order."""
    chart = pygal.HorizontalBar(
        **_config(
            height=_bar_height(len(rows), per_row=26, extra=90),
            **_percent_axis(),
            show_legend=False,
            title=_("Tingkat penyelesaian per titik layanan (%)"),
        )
    )
    # pygal draws the first label at the bottom: reversed, so that rank 1 is on top.
    ordered = list(reversed(rows))
    chart.x_labels = [row.code for row in ordered]
    chart.add(_("Tingkat selesai"), [row.completion_rate for row in ordered])
    return _render(chart)


def province_chart(rows: list[PointRow]) -> SafeString:
    """Per province: enrolments completed, in progress, not started (stacked)."""
    chart = pygal.HorizontalStackedBar(
        **_config(
            height=_bar_height(len(rows), per_row=44, extra=150),
            title=_("Pendaftaran per provinsi"),
            print_values=False,
            print_values_position="center",
            # "Sedang berjalan" and "Belum mulai" overlap on one row of three at this width. pygal
            # makes room for 3 // 2 = 1 legend row only: the second row's room is given by hand.
            legend_at_bottom_columns=2,
            margin_bottom=8 + round(STYLE.legend_font_size * 1.5),
            **_count_axis(
                max((row.completed + row.in_progress + row.not_started for row in rows), default=0)
            ),
        )
    )
    ordered = list(reversed(rows))
    chart.x_labels = [_short(row.label) for row in ordered]
    chart.add(_("Selesai"), [row.completed for row in ordered])
    chart.add(_("Sedang berjalan"), [row.in_progress for row in ordered])
    chart.add(_("Belum mulai"), [row.not_started for row in ordered])
    return _render(chart)


def funnel_chart(report: CourseReport) -> SafeString:
    """Per module: how many reached it, finished it and passed its quizzes."""
    chart = pygal.Bar(
        **_config(
            height=420,
            title=_("Corong per modul"),
            x_label_rotation=-30 if len(report.modules) > 4 else 0,
            print_values=len(report.modules) <= 2,
            **_count_axis(
                max(
                    (max(module.reached, module.finished, module.passed) for module in report.modules),
                    default=0,
                )
            ),
        )
    )
    chart.x_labels = [_short(module.title) for module in report.modules]
    chart.add(_("Mencapai"), [module.reached for module in report.modules])
    chart.add(_("Menyelesaikan"), [module.finished for module in report.modules])
    chart.add(_("Lulus kuis"), [module.passed for module in report.modules])
    return _render(chart)


def wrong_questions_chart(report: CourseReport) -> SafeString:
    """The questions most often answered wrong: wrong answers out of all answers, in %."""
    questions = report.wrong_questions
    chart = pygal.HorizontalBar(
        **_config(
            height=_bar_height(len(questions), per_row=30, extra=90),
            **_percent_axis(),
            show_legend=False,
            title=_("Pertanyaan yang paling sering dijawab salah (% jawaban salah)"),
        )
    )
    # Numbered as in the table below, where the questions are written out: a phone has no room
    # for the texts beside the bars.
    ordered = list(reversed(questions))
    chart.x_labels = [f"#{question.number}" for question in ordered]
    chart.add(_("Jawaban salah"), [question.wrong_rate for question in ordered])
    return _render(chart)


def activity_chart(weeks: list[WeekRow]) -> SafeString:
    """Enrolments, completions and certificates per week."""
    chart = pygal.Line(
        **_config(
            height=400,
            title=_("Aktivitas per minggu"),
            x_label_rotation=-40 if len(weeks) > 8 else 0,
            show_minor_x_labels=False,
            x_labels_major_every=max(1, len(weeks) // 8),
            print_values=False,
            dots_size=4,
            stroke_style={"width": 3},
            **_count_axis(
                max((max(week.enrolments, week.completions, week.certificates) for week in weeks), default=0)
            ),
        )
    )
    chart.x_labels = [date_format(week.week, "j/n") for week in weeks]
    chart.add(_("Pendaftaran"), [week.enrolments for week in weeks])
    chart.add(_("Penyelesaian"), [week.completions for week in weeks])
    chart.add(_("Sertifikat"), [week.certificates for week in weeks])
    return _render(chart)
