"""The numbers of the coordinator reports on a small hand-built data set (tests/courses/reports_world.py),
their charts (server-side SVG without script) and their exports (the rows on screen, numbers as numbers)."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from courses.reports import selectors
from courses.reports.filters import ReportFilters
from tests.courses.reports_world import build_world, coordinators
from tests.factories import AdminFactory, ServicePointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def people(world):
    return coordinators(world)


def _by_code(report):
    return {row.code: row for row in report.points}


def test_service_point_numbers_for_a_national_coordinator(world, people):
    report = selectors.service_point_report(user=people["national"], filters=ReportFilters())
    rows = _by_code(report)
    assert set(rows) == {"SP001", "SP002", "SP003"}
    sp1, sp2, sp3 = rows["SP001"], rows["SP002"], rows["SP003"]
    assert (sp1.trainers, sp1.enrolled, sp1.in_progress, sp1.completed, sp1.certificates) == (3, 3, 1, 1, 1)
    assert sp1.not_started == 1
    assert sp1.completion_rate == 33.3
    assert sp1.median_days == 10.0
    assert (sp2.trainers, sp2.enrolled, sp2.in_progress, sp2.completed, sp2.certificates) == (2, 1, 0, 1, 1)
    assert sp2.completion_rate == 100.0
    assert sp2.median_days == 4.0
    assert (sp3.trainers, sp3.enrolled, sp3.completed, sp3.certificates, sp3.median_days) == (
        1,
        1,
        1,
        0,
        20.0,
    )
    # last activity: the latest enrolment, lesson, quiz attempt or completion
    assert sp1.last_activity == world.now - timedelta(days=5)  # cici enrolled
    assert sp3.last_activity == world.now - timedelta(days=40)  # fajar completed
    assert [row.inactive for row in (sp1, sp2, sp3)] == [False, False, True]
    assert [row.code for row in report.inactive] == ["SP003"]
    # ranked by completion rate, then completions, enrolments and code
    assert [(row.rank, row.code) for row in report.points] == [(1, "SP002"), (2, "SP003"), (3, "SP001")]


def test_service_point_roll_ups_per_province_and_nationally(world, people):
    report = selectors.service_point_report(user=people["national"], filters=ReportFilters())
    provinces = {row.label: row for row in report.provinces}
    jatim = provinces["Jawa Timur"]
    assert (jatim.trainers, jatim.enrolled, jatim.in_progress, jatim.completed, jatim.certificates) == (
        5,
        4,
        1,
        2,
        2,
    )
    assert jatim.completion_rate == 50.0
    assert jatim.median_days == 7.0  # the median of 10 and 4 days
    ntb = provinces["Nusa Tenggara Barat"]
    assert (ntb.enrolled, ntb.completed, ntb.median_days) == (1, 1, 20.0)
    total = report.total
    assert (total.trainers, total.enrolled, total.in_progress, total.completed, total.certificates) == (
        6,
        5,
        1,
        3,
        2,
    )
    assert total.completion_rate == 60.0
    assert total.median_days == 10.0  # the median of 4, 10 and 20 days
    assert total.last_activity == world.now - timedelta(days=5)


def test_a_service_point_without_trainers_is_listed_and_flagged(world, people):
    ServicePointFactory(code="SP004", name="Konter Kosong", province="Jawa Timur")
    rows = _by_code(selectors.service_point_report(user=people["national"], filters=ReportFilters()))
    empty = rows["SP004"]
    assert (empty.trainers, empty.enrolled, empty.completion_rate, empty.median_days) == (0, 0, 0.0, None)
    assert empty.inactive and empty.last_activity is None


def test_filters_narrow_the_service_point_report(world, people):
    national = people["national"]
    by_province = selectors.service_point_report(user=national, filters=ReportFilters(province="Jawa Timur"))
    assert [row.code for row in by_province.points] == ["SP002", "SP001"]
    assert by_province.total.enrolled == 4
    one = selectors.service_point_report(user=national, filters=ReportFilters(service_point=world.sp1))
    assert [row.code for row in one.points] == ["SP001"]
    # the date range selects enrolments by their enrolment date: ani (20 days) and budi (15) only
    today = timezone.localdate()
    cohort = selectors.service_point_report(
        user=national,
        filters=ReportFilters(date_from=today - timedelta(days=21), date_to=today - timedelta(days=12)),
    )
    rows = _by_code(cohort)
    assert (rows["SP001"].enrolled, rows["SP001"].completed, rows["SP001"].certificates) == (2, 1, 1)
    assert (rows["SP002"].enrolled, rows["SP002"].certificates) == (0, 0)
    assert cohort.total.enrolled == 2


def test_course_funnel_per_module(world, people):
    report = selectors.course_report(user=people["national"], filters=ReportFilters(), course=world.course)
    assert (report.enrolled, report.completed) == (5, 3)
    assert [(m.title, m.reached, m.finished, m.passed) for m in report.modules] == [
        ("Modul 1", 4, 3, 3),
        ("Modul 2", 3, 3, 3),
    ]
    mine = selectors.course_report(user=people["sp001"], filters=ReportFilters(), course=world.course)
    assert mine.enrolled == 3
    assert [(m.reached, m.finished, m.passed) for m in mine.modules] == [(2, 1, 1), (1, 1, 1)]


def test_questions_most_often_answered_wrong_with_the_wrong_answer_chosen(world, people):
    report = selectors.course_report(user=people["national"], filters=ReportFilters(), course=world.course)
    wrong = [
        (q.question, q.answered, q.wrong, q.top_wrong_answer, q.top_wrong_count)
        for q in report.wrong_questions
    ]
    # quiz 1 was answered 6 times: ani and dedi right, budi all wrong twice, fajar half right then right
    assert wrong == [
        ("Pertanyaan dua kuis 2?", 6, 3, "Pilihan B", 2),
        ("Pertanyaan satu kuis 2?", 6, 2, "Pilihan B", 2),
    ]
    assert report.wrong_questions[0].wrong_rate == 50.0
    mine = selectors.course_report(user=people["sp002"], filters=ReportFilters(), course=world.course)
    assert mine.wrong_questions == []


def test_activity_per_week(world, people):
    weeks = selectors.activity_report(user=people["national"], filters=ReportFilters())
    assert len(weeks) in (12, 13)
    assert all(week.week.weekday() == 0 for week in weeks)
    assert sum(week.enrolments for week in weeks) == 5
    assert sum(week.completions for week in weeks) == 3
    assert sum(week.certificates for week in weeks) == 2
    this_week = weeks[-1]
    assert this_week.week <= timezone.localdate() < this_week.week + timedelta(days=7)
    assert this_week.certificates == 2  # both issued today
    ani_week = next(
        w
        for w in weeks
        if w.week <= (world.now - timedelta(days=20)).astimezone().date() < w.week + timedelta(days=7)
    )
    assert ani_week.enrolments >= 1
    mine = selectors.activity_report(user=people["sp002"], filters=ReportFilters())
    assert (
        sum(w.enrolments for w in mine),
        sum(w.completions for w in mine),
        sum(w.certificates for w in mine),
    ) == (1, 1, 1)


# --- pages, charts and exports ------------------------------------------------------------------------


REPORT_URLS = [
    "coordinator_reports:service_points",
    "coordinator_reports:course",
    "coordinator_reports:activity",
]


@pytest.mark.parametrize("name", REPORT_URLS)
def test_each_report_page_draws_its_charts_as_inline_svg_without_script(client, world, name):
    client.force_login(AdminFactory())
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    charts = re.findall(r'<svg[^>]*class="pygal-chart".*?</svg>', html, flags=re.S)
    assert charts
    assert "<?xml" not in html
    for chart in charts:
        assert "<script" not in chart and 'xlink:href="http' not in chart
        assert 'viewBox="' in chart and " width=" not in chart.split(">", 1)[0]
    assert "kozea.github.io" not in html and "//cdn" not in html


def test_names_in_charts_and_tables_are_escaped(client, world):
    world.sp1.name = '<script>alert("x")</script>'
    world.sp1.save()
    world.sp1.province = "<b>Prov</b>"
    world.sp1.save()
    client.force_login(AdminFactory())
    html = client.get(reverse("coordinator_reports:service_points")).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "<b>Prov</b>" not in html
    assert "&lt;b&gt;Prov&lt;/b&gt;" in html


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def _xlsx_rows(response) -> list[tuple]:
    body = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_service_point_exports_hold_the_rows_on_screen_with_numbers_as_numbers(client, world):
    client.force_login(AdminFactory())
    url = reverse("coordinator_reports:service_points")
    page = client.get(url, {"province": "Jawa Timur"})
    shown = [[cell["text"] for cell in row["cells"]] for row in page.context["tables"][0].display()]
    csv_response = client.get(url, {"province": "Jawa Timur", "export": "csv", "table": "titik-layanan"})
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_response["Content-Disposition"]
    rows = _csv_rows(csv_response)
    header, body = rows[0], rows[1:]
    assert "Tingkat selesai (%)" in header
    assert [row[1] for row in body] == [row[1] for row in shown] == ["SP002", "SP001"]
    rate = header.index("Tingkat selesai (%)")
    assert [row[rate] for row in body] == ["100.0", "33.3"]

    xlsx = client.get(url, {"province": "Jawa Timur", "export": "xlsx", "table": "titik-layanan"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = _xlsx_rows(xlsx)
    assert list(sheet[0]) == header
    assert [row[1] for row in sheet[1:]] == ["SP002", "SP001"]
    assert [row[rate] for row in sheet[1:]] == [100.0, 33.3]
    enrolled = header.index("Terdaftar")
    assert [row[enrolled] for row in sheet[1:]] == [1, 3]
    assert all(isinstance(row[enrolled], int) for row in sheet[1:])


def test_roll_up_and_course_and_activity_exports(client, world):
    client.force_login(AdminFactory())
    provinces = _xlsx_rows(
        client.get(reverse("coordinator_reports:service_points"), {"export": "xlsx", "table": "provinsi"})
    )
    assert [row[0] for row in provinces[1:]] == ["Jawa Timur", "Nusa Tenggara Barat", "Semua (cakupan Anda)"]
    course_url = reverse("coordinator_reports:course")
    funnel = _csv_rows(client.get(course_url, {"course": world.course.pk, "export": "csv", "table": "modul"}))
    assert funnel[1:] == [["Modul 1", "4", "3", "3", "60.0"], ["Modul 2", "3", "3", "3", "60.0"]]
    wrong = _xlsx_rows(client.get(course_url, {"export": "xlsx", "table": "pertanyaan-salah"}))
    assert wrong[1][:2] == (1, "Pertanyaan dua kuis 2?") and wrong[1][4:] == (6, 3, 50.0, "Pilihan B", 2)
    weeks = _xlsx_rows(
        client.get(reverse("coordinator_reports:activity"), {"export": "xlsx", "table": "mingguan"})
    )
    assert sum(row[1] for row in weeks[1:]) == 5 and sum(row[3] for row in weeks[1:]) == 2


def test_export_of_text_starting_like_a_formula_is_defused(client, world):
    world.sp1.name = '=HYPERLINK("http://evil")'
    world.sp1.save()
    client.force_login(AdminFactory())
    url = reverse("coordinator_reports:service_points")
    rows = _csv_rows(client.get(url, {"export": "csv", "table": "titik-layanan"}))
    names = [row[3] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in names
    sheet = _xlsx_rows(client.get(url, {"export": "xlsx", "table": "titik-layanan"}))
    assert '\'=HYPERLINK("http://evil")' in [row[3] for row in sheet[1:]]


@pytest.mark.parametrize(
    "params",
    [
        {"export": "pdf", "table": "titik-layanan"},
        {"export": "csv", "table": "tidak-ada"},
    ],
)
def test_an_unknown_export_is_not_found(client, world, params):
    client.force_login(AdminFactory())
    assert client.get(reverse("coordinator_reports:service_points"), params).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "bukan-tanggal"},
        {"date_from": "2026-05-01", "date_to": "2026-01-01"},
        {"date_from": "1900-01-01", "date_to": "2026-01-01"},
        {"course": "abc", "service_point": "999999", "province": "Atlantis"},
        {"course": "\x00"},
        {"date_to": "9999-12-31"},
        {"date_from": "9999-12-30", "date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
    ],
)
@pytest.mark.parametrize("name", REPORT_URLS)
def test_bad_filters_give_a_message_not_an_error(client, world, params, name):
    client.force_login(AdminFactory())
    response = client.get(reverse(name), params)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert 'class="error-message"' in response.content.decode()


@pytest.mark.parametrize("name", REPORT_URLS)
def test_an_export_with_a_date_beyond_the_calendar_is_no_error(client, world, name):
    client.force_login(AdminFactory())
    table = {"coordinator_reports:service_points": "titik-layanan"}.get(name, "")
    response = client.get(reverse(name), {"date_to": "9999-12-31", "export": "csv", "table": table or "x"})
    assert response.status_code in (200, 404)
