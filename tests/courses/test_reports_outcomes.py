"""The learning outcomes report (pre-test, post-test, gain, evaluations) and the evaluation comments:
the numbers worked out by hand, the scope of each coordinator, editors' view without names, exports
and fixed query counts.

    SP001 (Jawa Timur)    ani   pre 0,   post 50 then 100 (best 100), gain 100; rating 5, useful,
                                applicable, "Contoh kasusnya sangat membantu."
                          budi  pre 50,  post 50, gain 0; rating 3, useful, not applicable, no comment
                          cici  pre 50,  nothing else
    SP002 (NTB)           dedi  pre 100 then 0 (first counts: 100), post 100, gain 0; rating 4, not
                                useful, applicable, "Materinya terlalu panjang."
    (no service point)    eko   pre 0, post 100, gain 100 (national scope only, in the course row)
"""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from courses import evaluations
from courses.models import Enrolment, QuizAttempt
from courses.reports import outcomes
from courses.reports.filters import ReportFilters
from tests.courses.assessment_helpers import assessed_course
from tests.factories import (
    AdminFactory,
    CoordinatorFactory,
    EditorFactory,
    ServicePointFactory,
    TrainerFactory,
)
from tests.queries import assert_database_query_count

pytestmark = pytest.mark.django_db

OUTCOMES_QUERIES = 19
COMMENTS_QUERIES = 15


def take(enrolment, quiz_id, lesson, *scores, start):
    for hours, score in enumerate(scores):
        QuizAttempt.objects.create(
            enrolment=enrolment,
            lesson=lesson,
            quiz_id=quiz_id,
            answers={},
            score=score,
            passed=score >= 70,
            submitted_at=start + timedelta(hours=hours),
        )


def learner(built, name, point, *, pre=(), post=(), evaluation=None):
    trainer = TrainerFactory(username=name, profile__full_name=f"{name.title()} Rahasia", service_point=point)
    start = timezone.now() - timedelta(days=5)
    enrolment = Enrolment.objects.create(trainer=trainer, course=built.course, enrolled_at=start)
    take(enrolment, built.pre, built.lessons[0], *pre, start=start)
    take(enrolment, built.post, built.lessons[4], *post, start=start + timedelta(days=1))
    if evaluation is not None:
        Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())
        rating, useful, applicable, comment = evaluation
        evaluations.course_evaluation_create(
            trainer=trainer,
            course=built.course,
            rating=rating,
            useful=useful,
            applicable=applicable,
            comment=comment,
        )
    return trainer


@pytest.fixture
def world():
    built = assessed_course(slug="hasil")
    sp1 = ServicePointFactory(code="SP001", name="UPT BP2MI Serang", province="Jawa Timur")
    sp2 = ServicePointFactory(code="SP002", name="UPT BP2MI Mataram", province="Nusa Tenggara Barat")
    learner(
        built,
        "ani",
        sp1,
        pre=[0],
        post=[50, 100],
        evaluation=(5, True, True, "Contoh kasusnya sangat membantu."),
    )
    learner(built, "budi", sp1, pre=[50], post=[50], evaluation=(3, True, False, ""))
    learner(built, "cici", sp1, pre=[50])
    learner(
        built,
        "dedi",
        sp2,
        pre=[100, 0],
        post=[100],
        evaluation=(4, False, True, "Materinya terlalu panjang."),
    )
    learner(built, "eko", None, pre=[0], post=[100])
    return {"built": built, "sp1": sp1, "sp2": sp2}


def report_for(user, **filters):
    return outcomes.outcomes_report(user=user, filters=ReportFilters(**filters))


def test_national_figures_per_course(world):
    report = report_for(CoordinatorFactory(service_points__national=True))
    (course,) = report.courses
    assert course.course_title == world["built"].course.title
    assert sorted(course.pre) == [0, 0, 50, 50, 100]
    assert (course.median_pre, course.median_post, course.median_gain) == (50.0, 100.0, 50.0)
    assert (len(course.post), len(course.gains)) == (4, 4)
    assert course.evaluations == 3
    assert course.average_rating == 4.0
    assert (course.useful_rate, course.applicable_rate) == (66.7, 66.7)


def test_figures_per_service_point_and_course(world):
    report = report_for(CoordinatorFactory(service_points__national=True))
    rows = {row.code: row for row in report.points}
    assert set(rows) == {"SP001", "SP002"}  # a trainer without a service point is in no point's row
    sp1 = rows["SP001"]
    assert (sp1.median_pre, sp1.median_post, sp1.median_gain) == (50.0, 75.0, 50.0)
    assert (sp1.evaluations, sp1.average_rating, sp1.useful_rate, sp1.applicable_rate) == (
        2,
        4.0,
        100.0,
        50.0,
    )
    sp2 = rows["SP002"]
    assert (sp2.median_pre, sp2.median_post, sp2.median_gain) == (100.0, 100.0, 0.0)
    assert (sp2.evaluations, sp2.average_rating, sp2.useful_rate, sp2.applicable_rate) == (1, 4.0, 0.0, 100.0)


def test_a_coordinator_sees_only_their_service_points_figures_and_comments(world):
    report = report_for(CoordinatorFactory(service_points=[world["sp1"]]))
    assert [row.code for row in report.points] == ["SP001"]
    (course,) = report.courses
    assert sorted(course.pre) == [0, 50, 50]
    assert (course.median_pre, course.median_post, course.median_gain) == (50.0, 75.0, 50.0)
    assert (course.evaluations, course.useful_rate, course.applicable_rate) == (2, 100.0, 50.0)
    assert [comment.comment for comment in report.comments] == ["Contoh kasusnya sangat membantu."]
    assert report.comments[0].service_point == "SP001 · UPT BP2MI Serang"


def test_someone_without_a_scope_sees_nothing(world):
    report = report_for(TrainerFactory())
    assert report.points == [] and report.comments == []
    assert all(not row.pre and not row.evaluations for row in report.courses)


def test_filters_narrow_the_figures(world):
    national = CoordinatorFactory(service_points__national=True)
    report = report_for(national, service_point=world["sp2"])
    assert [row.code for row in report.points] == ["SP002"]
    assert report.courses[0].pre == [100]
    later = timezone.localdate() + timedelta(days=1)
    assert report_for(national, date_from=later).courses == []


def test_the_report_page_shows_the_tables_to_coordinators_only(client, world):
    client.force_login(CoordinatorFactory(service_points=[world["sp1"]]))
    page = client.get(reverse("coordinator_reports:outcomes")).content.decode()
    assert "Median peningkatan (poin)" in page
    assert "UPT BP2MI Serang" in page and "UPT BP2MI Mataram" not in page
    assert "Contoh kasusnya sangat membantu." in page and "terlalu panjang" not in page
    assert "Rahasia" not in page  # no trainer's name
    client.force_login(EditorFactory())
    refused = client.get(reverse("coordinator_reports:outcomes"))
    assert refused.status_code in (302, 403) and b"sangat membantu" not in refused.content


def test_editors_read_every_comment_without_names_or_service_points(client, world):
    client.force_login(EditorFactory())
    response = client.get(reverse("coordinator_reports:evaluation_comments"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Contoh kasusnya sangat membantu." in page and "Materinya terlalu panjang." in page
    for hidden in ("Rahasia", "SP001", "SP002", "Serang", "Mataram", 'name="service_point"'):
        assert hidden not in page
    export = client.get(
        reverse("coordinator_reports:evaluation_comments"), {"export": "csv", "table": "komentar"}
    )
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Tanggal", "Kursus", "Nilai", "Bermanfaat", "Dapat diterapkan", "Komentar"]
    assert {row[-1] for row in rows[1:]} == {"Contoh kasusnya sangat membantu.", "Materinya terlalu panjang."}
    assert "Rahasia" not in str(rows)


def test_a_coordinator_reads_the_comments_of_their_scope_with_the_service_point(client, world):
    client.force_login(CoordinatorFactory(service_points=[world["sp2"]]))
    page = client.get(reverse("coordinator_reports:evaluation_comments")).content.decode()
    assert "Materinya terlalu panjang." in page and "SP002 · UPT BP2MI Mataram" in page
    assert "sangat membantu" not in page and "Rahasia" not in page


def test_trainers_read_no_comments(client, world):
    client.force_login(TrainerFactory())
    response = client.get(reverse("coordinator_reports:evaluation_comments"))
    assert response.status_code in (302, 403)
    assert b"terlalu panjang" not in response.content


def test_the_menu_offers_the_comments_to_editors_and_both_reports_to_coordinators(client, world):
    client.force_login(EditorFactory())
    page = client.get("/admin/").content.decode()
    assert reverse("coordinator_reports:evaluation_comments") in page
    assert reverse("coordinator_reports:outcomes") not in page
    client.force_login(CoordinatorFactory(service_points=[world["sp1"]]))
    page = client.get("/admin/").content.decode()
    assert reverse("coordinator_reports:evaluation_comments") in page
    assert reverse("coordinator_reports:outcomes") in page


def test_exports_hold_numbers_as_numbers(client, world):
    client.force_login(AdminFactory())
    response = client.get(
        reverse("coordinator_reports:outcomes"), {"export": "xlsx", "table": "titik-layanan"}
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    sp1 = next(row for row in rows[1:] if row[0] == "SP001")
    assert sp1[header.index("Median tes akhir")] == 75.0
    assert sp1[header.index("Rata-rata nilai (1–5)")] == 4.0
    assert sp1[header.index("Dapat diterapkan (%)")] == 50.0


def test_a_comment_starting_like_a_formula_is_defused_in_exports(client, world):
    built = world["built"]
    learner(built, "fina", world["sp1"], pre=[10], evaluation=(2, False, False, '=HYPERLINK("http://x")'))
    client.force_login(AdminFactory())
    response = client.get(
        reverse("coordinator_reports:evaluation_comments"), {"export": "csv", "table": "komentar"}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_query_counts_do_not_grow_with_trainers_or_service_points(client, world):
    national = CoordinatorFactory(service_points__national=True)
    client.force_login(national)
    client.get(reverse("coordinator_reports:outcomes"))  # warm the menu's caches
    with assert_database_query_count(OUTCOMES_QUERIES, label="laporan hasil belajar"):
        assert client.get(reverse("coordinator_reports:outcomes")).status_code == 200
    with assert_database_query_count(COMMENTS_QUERIES, label="komentar penilaian"):
        assert client.get(reverse("coordinator_reports:evaluation_comments")).status_code == 200
    built = world["built"]
    for n in range(6):
        point = ServicePointFactory(code=f"SP1{n:02d}", province="Bali")
        learner(
            built, f"baru{n}", point, pre=[n * 10], post=[90], evaluation=(4, True, True, f"Komentar {n}")
        )
    with assert_database_query_count(OUTCOMES_QUERIES, label="laporan hasil belajar, lebih besar"):
        assert client.get(reverse("coordinator_reports:outcomes")).status_code == 200
    with assert_database_query_count(COMMENTS_QUERIES, label="komentar penilaian, lebih besar"):
        assert client.get(reverse("coordinator_reports:evaluation_comments")).status_code == 200


def test_the_course_funnel_leaves_the_pre_test_out_of_finishing_and_passing_a_module():
    from courses import services
    from courses.reports import selectors as report_selectors
    from tests.courses.learning_helpers import quiz_submit
    from tests.factories import right_answers

    built = assessed_course()  # module 1: the pre-test lesson, a lesson, a lesson with a quiz
    trainer = TrainerFactory()
    services.enrolment_create(trainer=trainer, course=built.course)
    for lesson in built.lessons[1:3]:
        services.lesson_complete(trainer=trainer, lesson=lesson)
    quiz_submit(trainer=trainer, quiz_id=built.quiz, answers=right_answers(built.quiz))

    report = report_selectors.course_report(
        user=CoordinatorFactory(service_points__national=True), filters=ReportFilters(), course=built.course
    )
    first = report.modules[0]
    assert (first.reached, first.finished, first.passed, first.quizzes) == (1, 1, 1, 1)
    second = report.modules[1]  # the post-test counts like every quiz
    assert (second.reached, second.finished, second.passed, second.quizzes) == (0, 0, 0, 1)
