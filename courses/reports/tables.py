"""The tables of each report: one definition that the page shows and both exports write, so that an
export holds exactly the rows and columns on screen. Cells keep their type (numbers stay numbers,
a rate is a number in a column whose header says "%"); only the page formats them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from courses.reports.outcomes import CommentRow, OutcomesReport
from courses.reports.selectors import CourseReport, PointRow, ServicePointReport, WeekRow


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    numeric: bool = False


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[Any]
    highlight: Callable[[Any], bool] | None = None

    @property
    def headers(self) -> list[str]:
        return [str(column.header) for column in self.columns]

    def values(self) -> Iterable[list[Any]]:
        """The raw cells, row by row: what the exports write."""
        for row in self.rows:
            yield [column.value(row) for column in self.columns]

    def display(self) -> Iterable[dict]:
        """The cells as the page shows them."""
        for row in self.rows:
            yield {
                "cells": [
                    {"text": _display(column.value(row)), "numeric": column.numeric}
                    for column in self.columns
                ],
                "highlight": bool(self.highlight and self.highlight(row)),
            }


def _display(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "j M Y H:i")
    if isinstance(value, date):
        return formats.date_format(value, "j M Y")
    if isinstance(value, float):
        return formats.number_format(value, decimal_pos=1, use_l10n=True)
    if isinstance(value, int) and not isinstance(value, bool):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def _point_columns(first: Column) -> list[Column]:
    return [
        first,
        Column(_("Pelatih"), lambda row: row.trainers, numeric=True),
        Column(_("Terdaftar"), lambda row: row.enrolled, numeric=True),
        Column(_("Sedang berjalan"), lambda row: row.in_progress, numeric=True),
        Column(_("Selesai"), lambda row: row.completed, numeric=True),
        Column(_("Tingkat selesai (%)"), lambda row: row.completion_rate, numeric=True),
        Column(_("Sertifikat"), lambda row: row.certificates, numeric=True),
        Column(_("Median hari sampai selesai"), lambda row: row.median_days, numeric=True),
        Column(_("Aktivitas terakhir"), lambda row: row.last_activity),
    ]


def service_point_tables(report: ServicePointReport) -> list[Table]:
    def inactive_label(row: PointRow) -> str:
        return str(_("Tidak aktif 30 hari")) if row.inactive else ""

    points = Table(
        slug="titik-layanan",
        title=_("Titik layanan, diurutkan menurut tingkat penyelesaian"),
        columns=[
            Column(_("Peringkat"), lambda row: row.rank, numeric=True),
            Column(_("Kode"), lambda row: row.code),
            Column(_("Provinsi"), lambda row: row.province),
            *_point_columns(Column(_("Titik layanan"), lambda row: row.label)),
            Column(_("Catatan"), inactive_label),
        ],
        rows=report.points,
        highlight=lambda row: row.inactive,
    )
    provinces = Table(
        slug="provinsi",
        title=_("Rekap per provinsi dan nasional"),
        columns=_point_columns(
            Column(_("Provinsi"), lambda row: row.label or str(_("Semua (cakupan Anda)")))
        ),
        rows=[*report.provinces, report.total],
    )
    return [points, provinces]


def course_tables(report: CourseReport) -> list[Table]:
    funnel = Table(
        slug="modul",
        title=_("Corong per modul"),
        columns=[
            Column(_("Modul"), lambda row: row.title),
            Column(_("Mencapai"), lambda row: row.reached, numeric=True),
            Column(_("Menyelesaikan"), lambda row: row.finished, numeric=True),
            Column(_("Lulus kuis"), lambda row: row.passed, numeric=True),
            Column(
                _("Menyelesaikan dari terdaftar (%)"),
                lambda row: round(100 * row.finished / report.enrolled, 1) if report.enrolled else 0.0,
                numeric=True,
            ),
        ],
        rows=report.modules,
    )
    wrong = Table(
        slug="pertanyaan-salah",
        title=_("Pertanyaan yang paling sering dijawab salah"),
        columns=[
            Column(_("No."), lambda row: row.number, numeric=True),
            Column(_("Pertanyaan"), lambda row: row.question),
            Column(_("Kuis"), lambda row: row.quiz_title),
            Column(_("Pelajaran"), lambda row: row.lesson_title),
            Column(_("Dijawab"), lambda row: row.answered, numeric=True),
            Column(_("Salah"), lambda row: row.wrong, numeric=True),
            Column(_("Salah (%)"), lambda row: row.wrong_rate, numeric=True),
            Column(_("Jawaban salah terbanyak"), lambda row: row.top_wrong_answer),
            Column(_("Dipilih"), lambda row: row.top_wrong_count, numeric=True),
        ],
        rows=report.wrong_questions,
    )
    return [funnel, wrong]


def activity_tables(weeks: list[WeekRow]) -> list[Table]:
    return [
        Table(
            slug="mingguan",
            title=_("Aktivitas per minggu"),
            columns=[
                Column(_("Minggu mulai"), lambda row: row.week),
                Column(_("Pendaftaran"), lambda row: row.enrolments, numeric=True),
                Column(_("Penyelesaian"), lambda row: row.completions, numeric=True),
                Column(_("Sertifikat terbit"), lambda row: row.certificates, numeric=True),
            ],
            rows=weeks,
        )
    ]


def _outcome_columns() -> list[Column]:
    return [
        Column(_("Tes awal (orang)"), lambda row: len(row.pre), numeric=True),
        Column(_("Median tes awal"), lambda row: row.median_pre, numeric=True),
        Column(_("Tes akhir (orang)"), lambda row: len(row.post), numeric=True),
        Column(_("Median tes akhir"), lambda row: row.median_post, numeric=True),
        Column(_("Keduanya (orang)"), lambda row: len(row.gains), numeric=True),
        Column(_("Median peningkatan (poin)"), lambda row: row.median_gain, numeric=True),
        Column(_("Penilaian"), lambda row: row.evaluations, numeric=True),
        Column(_("Rata-rata nilai (1–5)"), lambda row: row.average_rating, numeric=True),
        Column(_("Bermanfaat (%)"), lambda row: row.useful_rate, numeric=True),
        Column(_("Dapat diterapkan (%)"), lambda row: row.applicable_rate, numeric=True),
    ]


def comment_table(comments: list[CommentRow], *, with_service_point: bool) -> Table:
    """The evaluation comments, never with the trainer's name (nor, for editors, the service point)."""
    columns = [
        Column(_("Tanggal"), lambda row: row.created_at),
        Column(_("Kursus"), lambda row: row.course_title),
    ]
    if with_service_point:
        columns.append(Column(_("Titik layanan"), lambda row: row.service_point))
    columns += [
        Column(_("Nilai"), lambda row: row.rating, numeric=True),
        Column(_("Bermanfaat"), lambda row: str(_("Ya") if row.useful else _("Tidak"))),
        Column(_("Dapat diterapkan"), lambda row: str(_("Ya") if row.applicable else _("Tidak"))),
        Column(_("Komentar"), lambda row: row.comment),
    ]
    return Table(slug="komentar", title=_("Komentar penilaian (tanpa nama)"), columns=columns, rows=comments)


def outcome_tables(report: OutcomesReport) -> list[Table]:
    courses = Table(
        slug="kursus",
        title=_("Hasil belajar dan penilaian per kursus"),
        columns=[Column(_("Kursus"), lambda row: row.course_title), *_outcome_columns()],
        rows=report.courses,
    )
    points = Table(
        slug="titik-layanan",
        title=_("Per titik layanan dan kursus"),
        columns=[
            Column(_("Kode"), lambda row: row.code),
            Column(_("Titik layanan"), lambda row: row.label),
            Column(_("Provinsi"), lambda row: row.province),
            Column(_("Kursus"), lambda row: row.course_title),
            *_outcome_columns(),
        ],
        rows=report.points,
    )
    return [courses, points, comment_table(report.comments, with_service_point=True)]
