"""Who sees the reports, and what: a coordinator sees only the service points of their scope, in
the page and in both exports, whatever ids or filters they put in the URL; editors and trainers
get nothing. And the query count of each report page does not grow with the number of trainers."""

import csv
import io

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from tests.courses.reports_world import build_world, coordinators, enrol
from tests.factories import AdminFactory, EditorFactory, ServicePointFactory, TrainerFactory
from tests.queries import assert_database_query_count

pytestmark = pytest.mark.django_db

POINTS = "coordinator_reports:service_points"
COURSE = "coordinator_reports:course"
ACTIVITY = "coordinator_reports:activity"
REPORT_URLS = [POINTS, COURSE, ACTIVITY]

NAMES = {
    "SP001": "UPT BP2MI Serang",
    "SP002": "LTSA Tulungagung",
    "SP003": "UPT BP2MI Mataram",
}


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def people(world):
    return coordinators(world)


def _export(client, name, table, fmt, params=None) -> str:
    """The export's cells as one text, to look for names and codes."""
    response = client.get(reverse(name), {**(params or {}), "export": fmt, "table": table})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    if fmt == "csv":
        return "\n".join(",".join(row) for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    return "\n".join(",".join(str(cell) for cell in row) for row in sheet.iter_rows(values_only=True))


SEES = {
    "sp001": {"SP001"},
    "sp002": {"SP002"},
    "provincial": {"SP001", "SP002"},
    "national": {"SP001", "SP002", "SP003"},
}


@pytest.mark.parametrize("who", sorted(SEES))
def test_the_service_point_report_page_and_exports_show_only_the_scope(client, world, people, who):
    client.force_login(people[who])
    response = client.get(reverse(POINTS))
    assert response.status_code == 200
    html = response.content.decode()
    seen = SEES[who]
    assert {row.code for row in response.context["report"].points} == seen
    for code, name in NAMES.items():
        assert (name in html) == (code in seen), (who, code)
    for fmt in ("csv", "xlsx"):
        for table in ("titik-layanan", "provinsi"):
            text = _export(client, POINTS, table, fmt)
            for code, name in NAMES.items():
                assert (name in text) == (code in seen and table == "titik-layanan"), (who, fmt, table, code)
    # the menu lists the reports
    assert "Laporan" in html


@pytest.mark.parametrize(
    "tamper",
    [
        lambda world: {"service_point": world.sp2.pk},
        lambda world: {"service_point": world.sp3.pk},
        lambda world: {"province": "Nusa Tenggara Barat"},
        lambda world: {"service_point": world.sp2.pk, "province": "Jawa Timur"},
    ],
)
@pytest.mark.parametrize("name", REPORT_URLS)
def test_a_coordinator_changing_filters_in_the_url_never_sees_another_scope(
    client, world, people, tamper, name
):
    client.force_login(people["sp001"])
    params = tamper(world)
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-message"' in html
    for other in ("LTSA Tulungagung", "UPT BP2MI Mataram", "Dedi", "Fajar"):
        assert other not in html
    tables = response.context["tables"]
    for table in tables:
        for fmt in ("csv", "xlsx"):
            text = _export(client, name, table.slug, fmt, params)
            for other in ("SP002", "SP003", "LTSA Tulungagung", "UPT BP2MI Mataram"):
                assert other not in text


def test_course_and_activity_numbers_follow_the_scope_in_page_and_exports(client, world, people):
    client.force_login(people["sp002"])
    course = client.get(reverse(COURSE), {"course": world.course.pk})
    assert course.context["report"].enrolled == 1
    assert course.context["report"].wrong_questions == []
    funnel = _export(client, COURSE, "modul", "xlsx", {"course": world.course.pk})
    assert funnel.splitlines()[1:] == ["Modul 1,1,1,1,100", "Modul 2,1,1,1,100"]
    activity = client.get(reverse(ACTIVITY))
    assert sum(week.enrolments for week in activity.context["weeks"]) == 1
    weeks = _export(client, ACTIVITY, "mingguan", "csv")
    assert sum(int(line.split(",")[1]) for line in weeks.splitlines()[1:]) == 1


def test_a_coordinator_of_nothing_sees_empty_reports(client, world):
    from tests.factories import CoordinatorFactory

    client.force_login(CoordinatorFactory(username="koor-kosong"))
    response = client.get(reverse(POINTS))
    assert response.status_code == 200
    assert response.context["report"].points == []
    assert response.context["report"].total.enrolled == 0


@pytest.mark.parametrize("name", REPORT_URLS)
def test_editors_are_refused_and_do_not_see_the_menu(client, world, name):
    editor = EditorFactory()
    client.force_login(editor)
    for params in ({}, {"export": "csv", "table": "titik-layanan"}):
        # Wagtail turns a refused admin view into a redirect to the dashboard with a message
        response = client.get(reverse(name), params)
        assert response.status_code in (302, 403)
        assert b"SP001" not in response.content and "Content-Disposition" not in response
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(POINTS) not in home


@pytest.mark.parametrize("name", REPORT_URLS)
def test_trainers_and_visitors_get_nothing(client, world, name):
    client.force_login(world.trainers["ani"])
    for params in ({}, {"export": "xlsx", "table": "titik-layanan"}):
        response = client.get(reverse(name), params)
        assert response.status_code in (302, 403, 404)
        assert b"SP001" not in response.content
    client.logout()
    assert client.get(reverse(name)).status_code == 302


def test_superusers_see_everything(client, world):
    client.force_login(AdminFactory())
    response = client.get(reverse(POINTS))
    assert {row.code for row in response.context["report"].points} == {"SP001", "SP002", "SP003"}


# --- query counts ------------------------------------------------------------------------------------


def _more_trainers(world, count: int) -> None:
    """`count` more trainers over new service points, with progress: more rows, same queries."""
    points = [ServicePointFactory(code=f"SP1{n:02d}", province="Bali") for n in range(4)]
    for n in range(count):
        trainer = TrainerFactory(username=f"tambahan{n}", service_point=points[n % len(points)])
        enrol(trainer, world.built, enrolled_at=world.now, lessons=n % 5)


# Whole pages: the admin's own queries (session, user, permissions, profile, the admin menu's
# checks), the coordinator check and scope, the filter form's choices, and the report's aggregate
# queries (courses/reports/selectors.py: 7, 7 and 3 on SQLite; the course report reads its
# modules from the cached course outline).
QUERIES = {POINTS: 20, COURSE: 21, ACTIVITY: 16}


@pytest.mark.parametrize("name", REPORT_URLS)
def test_report_query_count_does_not_grow_with_trainers(client, world, people, name):
    client.force_login(people["national"])
    url = reverse(name)
    # PostgreSQL computes the medians per service point, per province and overall (3 queries);
    # elsewhere one query fetches the durations.
    expected = QUERIES[name] + (2 if name == POINTS and connection.vendor == "postgresql" else 0)
    client.get(url)  # site root paths and other per-process caches
    with assert_database_query_count(expected, label=f"{name}, 6 trainers"):
        assert client.get(url).status_code == 200
    _more_trainers(world, 24)
    with assert_database_query_count(expected, label=f"{name}, 30 trainers"):
        assert client.get(url).status_code == 200
