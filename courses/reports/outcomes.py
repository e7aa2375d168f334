"""The learning outcomes report: pre-test, post-test and learning gain (medians), and the trainers'
course evaluations (average rating, share finding the course useful and applicable), per course and
per service point and course; and the evaluation comments, without the trainers' names.

Coordinators see the enrolments of their scope (`courses.people.scope`, through the filters shared
by every report); editors see only the comments, of every trainer, with neither names nor service
points. A fixed number of queries whatever the number of trainers, service points or courses:
courses (1) and their outlines (1), service points (1), pre/post-test attempts (1), evaluation
counts (1), comments (1). The medians are taken in Python from the one flat query of attempts, the
same way on SQLite and PostgreSQL, by the same rule as the trainer's own figures
(`courses.assessments.learning_gain_from`).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, Q, Sum

from courses.assessments import LearningGain, learning_gain_from
from courses.models import CourseEvaluation, CoursePage, QuizAttempt
from courses.reports.filters import ReportFilters
from courses.reports.selectors import SERVICE_POINT_PATH, _enrolment_q, _points, _rate
from courses.selectors import course_outlines
from courses.selectors.progress import QuizAttemptsSummary

COMMENTS_SHOWN = 500
SP = f"enrolment__trainer__{SERVICE_POINT_PATH}"


def _median(values: list[int]) -> float | None:
    return round(float(statistics.median(values)), 1) if values else None


@dataclass
class OutcomeRow:
    """One course over the scope, or one service point in one course."""

    course_title: str
    label: str = ""  # the service point's name; empty on a course's row
    code: str = ""
    province: str = ""
    pre: list[int] = field(default_factory=list, repr=False)
    post: list[int] = field(default_factory=list, repr=False)
    gains: list[int] = field(default_factory=list, repr=False)
    evaluations: int = 0
    rating_sum: int = 0
    useful: int = 0
    applicable: int = 0

    def add_gain(self, gain: LearningGain) -> None:
        if gain.pre is not None:
            self.pre.append(gain.pre)
        if gain.post is not None:
            self.post.append(gain.post)
        if gain.gain is not None:
            self.gains.append(gain.gain)

    @property
    def median_pre(self) -> float | None:
        return _median(self.pre)

    @property
    def median_post(self) -> float | None:
        return _median(self.post)

    @property
    def median_gain(self) -> float | None:
        """Among the trainers who took both tests."""
        return _median(self.gains)

    @property
    def average_rating(self) -> float | None:
        return round(self.rating_sum / self.evaluations, 2) if self.evaluations else None

    @property
    def useful_rate(self) -> float | None:
        return _rate(self.useful, self.evaluations) if self.evaluations else None

    @property
    def applicable_rate(self) -> float | None:
        return _rate(self.applicable, self.evaluations) if self.evaluations else None

    @property
    def has_figures(self) -> bool:
        return bool(self.pre or self.post or self.evaluations)


@dataclass
class CommentRow:
    course_title: str
    created_at: datetime
    rating: int
    useful: bool
    applicable: bool
    comment: str
    service_point: str = ""  # code · name, for coordinators only


@dataclass
class OutcomesReport:
    courses: list[OutcomeRow]
    points: list[OutcomeRow]
    comments: list[CommentRow]
    comments_total: int = 0


def _courses(filters: ReportFilters) -> list[CoursePage]:
    courses = CoursePage.objects.live().defer_streamfields().order_by("title")
    if filters.course is not None:
        courses = courses.filter(pk=filters.course.pk)
    return list(courses)


def _gains_by_enrolment(*, user, filters: ReportFilters, courses: list[CoursePage]):
    """(course id, service point id, LearningGain) per enrolment that took a pre- or post-test.
    Two queries: the outlines (which quiz is which course's pre- or post-test) and the attempts."""
    outlines = course_outlines(courses=courses)
    roles: dict[str, tuple[int, str]] = {}
    for course_id, outline in outlines.items():
        if outline.pre_test_id:
            roles[outline.pre_test_id] = (course_id, "pre")
        if outline.post_test_id:
            roles[outline.post_test_id] = (course_id, "post")
    if not roles:
        return []
    rows = (
        QuizAttempt.objects.filter(_enrolment_q(user, filters, "enrolment__"), quiz_id__in=sorted(roles))
        .values_list(
            "enrolment_id", "enrolment__course_id", SP, "quiz_id", "id", "score", "passed", "submitted_at"
        )
        .order_by()
    )
    summaries: dict[int, dict[str, QuizAttemptsSummary]] = defaultdict(dict)
    placed: dict[int, tuple[int, int | None]] = {}
    for enrolment_id, course_id, point_id, quiz_id, attempt_id, score, passed, submitted_at in rows:
        quiz_course, role = roles[quiz_id]
        if quiz_course != course_id:  # a quiz id copied into another course: not this course's test
            continue
        placed[enrolment_id] = (course_id, point_id)
        summary = summaries[enrolment_id].setdefault(role, QuizAttemptsSummary())
        summary.add(attempt_id=attempt_id, score=score, passed=bool(passed), submitted_at=submitted_at)
    return [
        (*placed[enrolment_id], learning_gain_from(pre=by_role.get("pre"), post=by_role.get("post")))
        for enrolment_id, by_role in summaries.items()
    ]


def _evaluations(user, filters: ReportFilters):
    return CourseEvaluation.objects.filter(_enrolment_q(user, filters, "enrolment__"))


def outcomes_report(*, user, filters: ReportFilters) -> OutcomesReport:
    """Per course and per service point and course: median pre-test, post-test and gain, the
    number of evaluations, the average rating and the shares finding the course useful and
    applicable; and the latest comments (without names). Within the user's coordinator scope."""
    courses = _courses(filters)
    titles = {course.pk: course.title for course in courses}
    points = {
        point.pk: point
        for point in _points(user, filters).only("id", "code", "name", "province").order_by("code")
    }
    by_course = {course.pk: OutcomeRow(course_title=course.title) for course in courses}
    by_point: dict[tuple[int, int], OutcomeRow] = {}

    def point_row(course_id: int, point_id: int | None) -> OutcomeRow | None:
        point = points.get(point_id)
        if point is None:  # a trainer without a service point counts in the course's row only
            return None
        key = (point_id, course_id)
        if key not in by_point:
            by_point[key] = OutcomeRow(
                course_title=titles[course_id], label=point.name, code=point.code, province=point.province
            )
        return by_point[key]

    for course_id, point_id, gain in _gains_by_enrolment(user=user, filters=filters, courses=courses):
        by_course[course_id].add_gain(gain)
        row = point_row(course_id, point_id)
        if row is not None:
            row.add_gain(gain)

    counts = (
        _evaluations(user, filters)
        .filter(enrolment__course__in=list(titles))
        .values_list("enrolment__course_id", SP)
        .annotate(
            count=Count("id"),
            rating_sum=Sum("rating"),
            useful=Count("id", filter=Q(useful=True)),
            applicable=Count("id", filter=Q(applicable=True)),
        )
        .order_by()
    )
    for course_id, point_id, count, rating_sum, useful, applicable in counts:
        for row in (by_course[course_id], point_row(course_id, point_id)):
            if row is None:
                continue
            row.evaluations += count
            row.rating_sum += rating_sum or 0
            row.useful += useful
            row.applicable += applicable

    comments, total = evaluation_comments(user=user, filters=filters, with_service_point=True)
    return OutcomesReport(
        courses=[row for row in by_course.values() if row.has_figures],
        points=sorted(by_point.values(), key=lambda row: (row.code, row.course_title)),
        comments=comments,
        comments_total=total,
    )


def evaluation_comments(
    *, user, filters: ReportFilters, with_service_point: bool, everyone: bool = False
) -> tuple[list[CommentRow], int]:
    """The latest comments (at most COMMENTS_SHOWN) and how many there are, newest first, never
    with a trainer's name. A coordinator's are those of their scope; `everyone` (the editors'
    view) takes every trainer's, and then never says the service point. Two queries."""
    if everyone:
        evaluations = CourseEvaluation.objects.all()
        if filters.course is not None:
            evaluations = evaluations.filter(enrolment__course=filters.course.pk)
        if filters.start is not None:
            evaluations = evaluations.filter(enrolment__enrolled_at__gte=filters.start)
        if filters.end is not None:
            evaluations = evaluations.filter(enrolment__enrolled_at__lt=filters.end)
        with_service_point = False
    else:
        evaluations = _evaluations(user, filters)
    evaluations = evaluations.filter(enrolment__course__live=True).exclude(comment="")
    total = evaluations.count()
    columns = {"course_title": F("enrolment__course__title")}
    if with_service_point:
        columns.update(point_code=F(f"{SP}__code"), point_name=F(f"{SP}__name"))
    rows = evaluations.values("created_at", "rating", "useful", "applicable", "comment", **columns).order_by(
        "-created_at", "-id"
    )[:COMMENTS_SHOWN]
    return [
        CommentRow(
            course_title=row["course_title"],
            created_at=row["created_at"],
            rating=row["rating"],
            useful=row["useful"],
            applicable=row["applicable"],
            comment=row["comment"],
            service_point=f"{row['point_code']} · {row['point_name']}" if row.get("point_code") else "",
        )
        for row in rows
    ], total
