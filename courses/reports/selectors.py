"""The numbers of the coordinator reports. Plain functions returning dataclasses.

Every function starts from the coordinator's scope (`courses.people.scope.coordinator_scope` and
`coordinator_service_points`) and aggregates in the database with a fixed number of queries,
whatever the number of trainers, service points, modules or quizzes:

- service points: 7 queries (8 on PostgreSQL, where the medians are computed by the database);
- course: 6 queries after the course outline (2);
- activity: 3 queries.

The service point report's rows and roll-ups are service points: a trainer without one (seen
only by national coordinators) counts in the course and activity reports, not there.
The date range selects enrolments by their enrolment date (a cohort) in the service point and
course reports, and the events themselves (enrolment, completion, issue) in the activity report.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DurationField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncWeek
from django.utils import timezone

from certificates.models import Certificate
from certificates.selectors import certificates_in_scope
from courses.models import CoursePage, Enrolment, LessonPage, LessonProgress, QuizAttempt, TrainerProfile
from courses.people.scope import coordinator_scope, coordinator_service_points
from courses.reports.filters import ReportFilters
from courses.selectors import course_outline, quiz_from_block

INACTIVE_AFTER_DAYS = 30
WRONG_QUESTIONS_SHOWN = 10
DEFAULT_ACTIVITY_WEEKS = 12
SERVICE_POINT_PATH = "trainer_profile__service_point"


# --- filters shared by every report -----------------------------------------------------------------


def _trainer_q(user, filters: ReportFilters, path: str) -> Q:
    """Trainers in the user's scope, narrowed by the service point and province filters. `path`
    leads from the filtered model to the trainer's user ("" for a user). Nothing to join for a
    national scope without filters: the reports over every trainer read the big tables alone."""
    q = coordinator_scope(user).trainer_q(path)
    if filters.service_point is not None:
        q &= Q(**{f"{path}{SERVICE_POINT_PATH}": filters.service_point.pk})
    if filters.province:
        q &= Q(**{f"{path}{SERVICE_POINT_PATH}__province": filters.province})
    return q


def _enrolment_q(user, filters: ReportFilters, prefix: str = "", *, cohort: bool = True) -> Q:
    """Enrolments of in-scope trainers in the chosen course, enrolled in the date range (a cohort).
    `prefix` leads from the filtered model to the enrolment ("enrolment__" for a lesson done)."""
    q = _trainer_q(user, filters, f"{prefix}trainer__")
    if filters.course is not None:
        q &= Q(**{f"{prefix}course": filters.course.pk})
    if cohort and filters.start is not None:
        q &= Q(**{f"{prefix}enrolled_at__gte": filters.start})
    if cohort and filters.end is not None:
        q &= Q(**{f"{prefix}enrolled_at__lt": filters.end})
    return q


def _points(user, filters: ReportFilters):
    points = coordinator_service_points(user)
    if filters.service_point is not None:
        points = points.filter(pk=filters.service_point.pk)
    if filters.province:
        points = points.filter(province=filters.province)
    return points


def _rate(part: int, whole: int) -> float:
    """A percentage rounded to one decimal: a number, never a string."""
    return round(100 * part / whole, 1) if whole else 0.0


def _days(duration: timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 86400, 1)


def _latest(*moments: datetime | None) -> datetime | None:
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None


# --- service points ------------------------------------------------------------------------------------


@dataclass
class PointRow:
    """One service point, or a roll-up (a province, or the whole scope) when `code` is empty."""

    label: str
    code: str = ""
    province: str = ""
    trainers: int = 0
    enrolled: int = 0
    in_progress: int = 0
    completed: int = 0
    certificates: int = 0
    median_days: float | None = None
    last_activity: datetime | None = None
    rank: int | None = None
    inactive: bool = False
    service_point_id: int | None = None

    @property
    def completion_rate(self) -> float:
        return _rate(self.completed, self.enrolled)

    @property
    def not_started(self) -> int:
        return self.enrolled - self.in_progress - self.completed

    def add(self, other: PointRow) -> None:
        for name in ("trainers", "enrolled", "in_progress", "completed", "certificates"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.last_activity = _latest(self.last_activity, other.last_activity)


@dataclass
class ServicePointReport:
    points: list[PointRow]  # ranked: best completion rate first
    provinces: list[PointRow]
    total: PointRow
    inactive_since: datetime

    @property
    def inactive(self) -> list[PointRow]:
        return [row for row in self.points if row.inactive]


class Median(Aggregate):
    """PostgreSQL's median of a duration: PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY …)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _medians(enrolments: QuerySet[Enrolment]) -> tuple[dict[int, float], dict[str, float], float | None]:
    """Median days from enrolment to completion per service point, per province and over all,
    among completed enrolments. PostgreSQL computes them (3 queries); elsewhere one query fetches
    only the durations' two dates and Python takes the medians."""
    completed = enrolments.filter(completed_at__isnull=False)
    duration = F("completed_at") - F("enrolled_at")
    sp = f"trainer__{SERVICE_POINT_PATH}"
    if connection.vendor == "postgresql":
        by_point = {
            row["sp"]: _days(row["median"])
            for row in completed.values(sp=F(sp)).annotate(median=Median(duration)).order_by()
        }
        by_province = {
            row["province"]: _days(row["median"])
            for row in completed.values(province=F(f"{sp}__province"))
            .annotate(median=Median(duration))
            .order_by()
        }
        overall = _days(completed.aggregate(median=Median(duration))["median"])
        return by_point, by_province, overall
    point_durations: dict[int, list[float]] = defaultdict(list)
    province_durations: dict[str, list[float]] = defaultdict(list)
    every: list[float] = []
    for point_id, province, enrolled_at, completed_at in completed.values_list(
        sp, f"{sp}__province", "enrolled_at", "completed_at"
    ).order_by():
        days = (completed_at - enrolled_at).total_seconds() / 86400
        point_durations[point_id].append(days)
        province_durations[province].append(days)
        every.append(days)

    def median(values: list[float]) -> float:
        return round(statistics.median(values), 1)

    return (
        {key: median(values) for key, values in point_durations.items()},
        {key: median(values) for key, values in province_durations.items()},
        median(every) if every else None,
    )


def service_point_report(*, user, filters: ReportFilters, now: datetime | None = None) -> ServicePointReport:
    """Per service point: trainers, enrolled, in progress, completed, completion rate, certificates,
    median days to complete, last activity; ranked, with roll-ups per province and over the whole
    scope, and the service points with no activity for 30 days flagged. A fixed number of queries."""
    now = now or timezone.now()
    inactive_since = now - timedelta(days=INACTIVE_AFTER_DAYS)
    sp = f"trainer__{SERVICE_POINT_PATH}"
    points = list(_points(user, filters).only("id", "code", "name", "province").order_by("code"))

    trainers = dict(
        TrainerProfile.objects.filter(_trainer_q(user, filters, "user__"), user__is_active=True)
        .values_list("service_point_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    enrolments = Enrolment.objects.filter(_enrolment_q(user, filters))
    started = Exists(LessonProgress.objects.filter(enrolment=OuterRef("pk"))) | Exists(
        QuizAttempt.objects.filter(enrolment=OuterRef("pk"))
    )
    counts = {
        row["sp"]: row
        for row in enrolments.annotate(started=started)
        .values(sp=F(sp))
        .annotate(
            enrolled=Count("id"),
            completed=Count("id", filter=Q(completed_at__isnull=False)),
            in_progress=Count("id", filter=Q(completed_at__isnull=True, started=True)),
            last_enrolled=Max("enrolled_at"),
            last_completed=Max("completed_at"),
        )
        .order_by()
    }
    enrolment_q = _enrolment_q(user, filters, "enrolment__")
    last_lesson = dict(
        LessonProgress.objects.filter(enrolment_q)
        .values_list(f"enrolment__{sp}")
        .annotate(last=Max("completed_at"))
        .order_by()
    )
    last_quiz = dict(
        QuizAttempt.objects.filter(enrolment_q)
        .values_list(f"enrolment__{sp}")
        .annotate(last=Max("submitted_at"))
        .order_by()
    )
    certificates = certificates_in_scope(user=user).filter(
        _trainer_q(user, filters, "trainer__"), status=Certificate.Status.VALID
    )
    if filters.course is not None:
        certificates = certificates.filter(course=filters.course.pk)
    if filters.start is not None or filters.end is not None:
        certificates = certificates.filter(
            Exists(enrolments.filter(trainer=OuterRef("trainer"), course=OuterRef("course")))
        )
    certified = dict(certificates.values_list(sp).annotate(count=Count("id")).order_by())
    median_by_point, median_by_province, median_overall = _medians(enrolments)

    rows = []
    for point in points:
        counted = counts.get(point.pk, {})
        row = PointRow(
            label=point.name,
            code=point.code,
            province=point.province,
            service_point_id=point.pk,
            trainers=trainers.get(point.pk, 0),
            enrolled=counted.get("enrolled", 0),
            in_progress=counted.get("in_progress", 0),
            completed=counted.get("completed", 0),
            certificates=certified.get(point.pk, 0),
            median_days=median_by_point.get(point.pk),
            last_activity=_latest(
                counted.get("last_enrolled"),
                counted.get("last_completed"),
                last_lesson.get(point.pk),
                last_quiz.get(point.pk),
            ),
        )
        row.inactive = row.last_activity is None or row.last_activity < inactive_since
        rows.append(row)
    rows.sort(key=lambda row: (-row.completion_rate, -row.completed, -row.enrolled, row.code))
    for rank, row in enumerate(rows, start=1):
        row.rank = rank

    provinces: dict[str, PointRow] = {}
    total = PointRow(label="", median_days=median_overall)
    for row in rows:
        if row.province not in provinces:
            provinces[row.province] = PointRow(
                label=row.province, province=row.province, median_days=median_by_province.get(row.province)
            )
        provinces[row.province].add(row)
        total.add(row)
    return ServicePointReport(
        points=rows,
        provinces=sorted(provinces.values(), key=lambda row: row.province),
        total=total,
        inactive_since=inactive_since,
    )


# --- one course --------------------------------------------------------------------------------------


@dataclass
class ModuleFunnel:
    """How many enrolments reached a module (did one of its lessons), finished it (every required
    lesson) and passed its quizzes (every one; None when the module has no quiz)."""

    module_id: int
    title: str
    reached: int
    finished: int
    passed: int | None
    quizzes: int


@dataclass
class WrongQuestion:
    quiz_title: str
    lesson_title: str
    question: str
    answered: int
    wrong: int
    top_wrong_answer: str
    top_wrong_count: int
    number: int = 0  # the rank, as the chart labels it

    @property
    def wrong_rate(self) -> float:
        return _rate(self.wrong, self.answered)


@dataclass
class CourseReport:
    course: CoursePage
    enrolled: int
    completed: int
    modules: list[ModuleFunnel] = field(default_factory=list)
    wrong_questions: list[WrongQuestion] = field(default_factory=list)

    @property
    def completion_rate(self) -> float:
        return _rate(self.completed, self.enrolled)


def course_report(*, user, filters: ReportFilters, course: CoursePage) -> CourseReport:
    """A course's funnel per module and its questions most often answered wrong, for the
    enrolments in the user's scope and filters. Eight queries: the outline (2), enrolled and
    completed (1), lessons done per module (1), quizzes passed per module (1), attempts per quiz
    (1), answers chosen (1) and the quiz texts (1)."""
    filters = ReportFilters(
        course=course,
        service_point=filters.service_point,
        province=filters.province,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    outline = course_outline(course=course)
    enrolments = Enrolment.objects.filter(_enrolment_q(user, filters))
    # Lessons done and attempts are already limited to the course by their lesson or quiz ids:
    # without the course condition, a national scope needs no join to the enrolments at all.
    progress_q = _enrolment_q(user, replace(filters, course=None), "enrolment__")

    totals = enrolments.aggregate(
        enrolled=Count("id"), completed=Count("id", filter=Q(completed_at__isnull=False))
    )
    # Each funnel step is counted in one query: the rows are grouped per (enrolment, module) in a
    # subquery, then the groups that meet a module's bar are counted per module.
    lessons_of = {
        index: [lesson.id for lesson in module.lessons] for index, module in enumerate(outline.modules)
    }
    # "Finished" and "passed" follow the completion rule of the outline (the pre-test is neither
    # required nor a quiz to pass); a module without a required lesson is finished when every
    # lesson that counts is done.
    required_of = {
        index: module.required_lesson_ids
        or [lesson.id for lesson in module.lessons if lesson.counts_for_completion]
        for index, module in enumerate(outline.modules)
    }
    quizzes_of = {index: module.quiz_ids for index, module in enumerate(outline.modules)}
    reached, finished, passed = {}, {}, {}
    if any(lessons_of.values()):
        lesson_module = _module_case("lesson_id", lessons_of)
        steps = (
            LessonProgress.objects.filter(progress_q)
            .filter(lesson_id__in=[pk for pks in lessons_of.values() for pk in pks])
            .annotate(module=lesson_module)
            .values("enrolment_id", "module")
            .annotate(
                done=Count("id"),
                required_done=Count(
                    "id", filter=Q(lesson_id__in=[pk for pks in required_of.values() for pk in pks])
                ),
            )
            .aggregate(
                **{f"reached_{index}": Count("module", filter=Q(module=index)) for index in lessons_of},
                **{
                    f"finished_{index}": Count(
                        "module", filter=Q(module=index, required_done__gte=len(required_of[index]))
                    )
                    for index in lessons_of
                },
            )
        )
        reached = {index: steps[f"reached_{index}"] or 0 for index in lessons_of}
        finished = {index: steps[f"finished_{index}"] or 0 for index in lessons_of}
    with_quizzes = {index: ids for index, ids in quizzes_of.items() if ids}
    if with_quizzes:
        # The module is told by the lesson (integers), cheaper than by the quiz's text id.
        quiz_lessons = {
            index: [
                lesson.id
                for lesson in outline.modules[index].lessons
                if lesson.quiz_ids and lesson.counts_for_completion
            ]
            for index in with_quizzes
        }
        passes = (
            QuizAttempt.objects.filter(progress_q)
            .filter(
                passed=True,
                lesson_id__in=[pk for pks in quiz_lessons.values() for pk in pks],
                quiz_id__in=[quiz_id for ids in with_quizzes.values() for quiz_id in ids],
            )
            .annotate(module=_module_case("lesson_id", quiz_lessons))
            .values("enrolment_id", "module")
            # a quiz may be passed more than once
            .annotate(quizzes=Count("quiz_id", distinct=True))
            .aggregate(
                **{
                    f"passed_{index}": Count("module", filter=Q(module=index, quizzes__gte=len(ids)))
                    for index, ids in with_quizzes.items()
                }
            )
        )
        passed = {index: passes[f"passed_{index}"] or 0 for index in with_quizzes}

    modules = []
    for index, module in enumerate(outline.modules):
        quizzes = len(module.quiz_ids)
        modules.append(
            ModuleFunnel(
                module_id=module.id,
                title=module.title,
                reached=reached.get(index, 0),
                finished=finished.get(index, 0),
                passed=passed.get(index, 0) if quizzes else None,
                quizzes=quizzes,
            )
        )
    return CourseReport(
        course=course,
        enrolled=totals["enrolled"] or 0,
        completed=totals["completed"] or 0,
        modules=modules,
        wrong_questions=_wrong_questions(
            attempts=QuizAttempt.objects.filter(progress_q, quiz_id__in=outline.quiz_ids),
            lesson_ids=[lesson.id for lesson in outline.lessons if lesson.quiz_ids],
        ),
    )


def _module_case(field_name: str, members: dict[int, list]) -> Case:
    """The module index of a row, from its lesson or quiz id."""
    return Case(
        *(When(**{f"{field_name}__in": ids}, then=Value(index)) for index, ids in members.items() if ids),
        default=Value(-1),
        output_field=IntegerField(),
    )


def _answer_counts(attempts: QuerySet[QuizAttempt]) -> list[tuple[str, str, str, int]]:
    """(quiz id, question id, chosen choice ids as JSON, count) over the attempts, counted by the
    database from the answers' JSON ({question id: [choice ids]}): one query, whatever the number
    of attempts."""
    inner, params = attempts.values("quiz_id", "answers").order_by().query.sql_with_params()
    if connection.vendor == "postgresql":
        expand, value = "jsonb_each(t.answers::jsonb)", "j.value::text"
    else:
        expand, value = "json_each(t.answers)", "j.value"
    sql = (
        f"SELECT t.quiz_id, j.key, {value}, COUNT(*) FROM ({inner}) t, {expand} j "  # noqa: S608 - built from a queryset's own SQL and fixed words
        f"GROUP BY t.quiz_id, j.key, {value}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _wrong_questions(*, attempts: QuerySet[QuizAttempt], lesson_ids: list[int]) -> list[WrongQuestion]:
    """Two queries: attempts per quiz (every attempt answers every question: the submission is
    refused otherwise), and the answers chosen in the attempts that scored under 100, the only
    ones with a wrong answer, so that most attempts are never unpacked."""
    if not lesson_ids:
        return []
    answered = dict(attempts.values_list("quiz_id").annotate(count=Count("id")).order_by())
    chosen: dict[tuple[str, str], dict[frozenset[str], int]] = defaultdict(lambda: defaultdict(int))
    for quiz_id, question_id, choice_ids, count in _answer_counts(attempts.filter(score__lt=100)):
        try:
            ids = json.loads(choice_ids) if isinstance(choice_ids, str) else choice_ids
        except ValueError:
            continue
        if isinstance(ids, str):
            ids = [ids]
        if not isinstance(ids, list):
            continue
        chosen[(quiz_id, question_id)][frozenset(str(item) for item in ids)] += count
    if not chosen:
        return []

    # The quiz blocks only, built from the raw JSON: no query per lesson for its images.
    questions = []
    for lesson in LessonPage.objects.filter(pk__in=lesson_ids).only("id", "title", "body"):
        quiz_block = lesson.body.stream_block.child_blocks["quiz"]
        for item in lesson.body.raw_data:
            if item.get("type") != "quiz":
                continue
            quiz = quiz_from_block(
                block_id=item["id"], value=quiz_block.to_python(item["value"]), lesson_id=lesson.pk
            )
            for question in quiz.questions:
                answers = chosen.get((quiz.id, question.id))
                if not answers:
                    continue
                wrong = {ids: count for ids, count in answers.items() if ids != question.correct_ids}
                if not wrong:
                    continue
                top = max(wrong.items(), key=lambda pair: (pair[1], sorted(pair[0])))
                texts = [choice.text for choice in question.choices if choice.id in top[0]]
                questions.append(
                    WrongQuestion(
                        quiz_title=quiz.title,
                        lesson_title=lesson.title,
                        question=question.text,
                        answered=answered.get(quiz.id, 0),
                        wrong=sum(wrong.values()),
                        top_wrong_answer=" + ".join(texts),
                        top_wrong_count=top[1],
                    )
                )
    questions.sort(key=lambda q: (-q.wrong, -q.wrong_rate, q.quiz_title, q.question))
    shown = questions[:WRONG_QUESTIONS_SHOWN]
    for number, question in enumerate(shown, start=1):
        question.number = number
    return shown


# --- activity over time ------------------------------------------------------------------------------


@dataclass
class WeekRow:
    week: date  # the Monday that starts the week
    enrolments: int = 0
    completions: int = 0
    certificates: int = 0


def activity_range(filters: ReportFilters, *, today: date | None = None) -> tuple[date, date]:
    """The weeks shown: the filter's dates, or the last 12 weeks up to today."""
    today = today or timezone.localdate()
    end = filters.date_to or today
    start = filters.date_from or end - timedelta(weeks=DEFAULT_ACTIVITY_WEEKS - 1)
    return start - timedelta(days=start.weekday()), end


def activity_report(*, user, filters: ReportFilters, today: date | None = None) -> list[WeekRow]:
    """Enrolments, completions and certificates issued per week, in the user's scope and filters.
    Three queries."""
    first_monday, last_day = activity_range(filters, today=today)
    window = ReportFilters(
        course=filters.course,
        service_point=filters.service_point,
        province=filters.province,
        date_from=first_monday,
        date_to=last_day,
    )
    start, end = window.start, window.end
    enrolments = Enrolment.objects.filter(_enrolment_q(user, filters, cohort=False))

    def per_week(queryset: QuerySet, moment: str) -> dict[date, int]:
        rows = (
            queryset.filter(**{f"{moment}__gte": start, f"{moment}__lt": end})
            .annotate(week=TruncWeek(moment))
            .values_list("week")
            .annotate(count=Count("id"))
            .order_by()
        )
        return {(week.date() if isinstance(week, datetime) else week): count for week, count in rows}

    enrolled = per_week(enrolments, "enrolled_at")
    completed = per_week(enrolments, "completed_at")
    certificates = certificates_in_scope(user=user).filter(_trainer_q(user, filters, "trainer__"))
    if filters.course is not None:
        certificates = certificates.filter(course=filters.course.pk)
    issued = per_week(certificates, "issued_at")

    weeks = []
    week = first_monday
    while week <= last_day:
        weeks.append(
            WeekRow(
                week=week,
                enrolments=enrolled.get(week, 0),
                completions=completed.get(week, 0),
                certificates=issued.get(week, 0),
            )
        )
        week += timedelta(weeks=1)
    return weeks
