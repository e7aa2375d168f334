"""A small, hand-built data set for the report tests, with every expected number worked out.

Course: 2 modules × 2 lessons; the second lesson of each module ends with a quiz
(tests.factories.quiz_block: question 1 single, a right; question 2 multiple, a and c right).

    SP001 (Jawa Timur)   ani    enrolled 20 days ago, all lessons, both quizzes passed,
                                completed 10 days after enrolling, certificate
                         budi   enrolled 15 days ago, lesson 1 only, quiz 1 failed twice (all wrong)
                         cici   enrolled 5 days ago, nothing done
    SP002 (Jawa Timur)   dedi   enrolled 10 days ago, all done, completed 4 days later, certificate
                         eka    not enrolled
    SP003 (Nusa Tenggara Barat)
                         fajar  enrolled 60 days ago, all done, completed 20 days later (40 days
                                ago; nothing since: inactive), quiz 1 first half right (q2 = [a])
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from certificates.services import certificate_issue, certificate_template_ensure_default
from courses.models import Enrolment, LessonProgress, QuizAttempt
from tests.factories import (
    CoordinatorFactory,
    ServicePointFactory,
    TrainerFactory,
    build_course,
    half_right_answers,
    right_answers,
    wrong_answers,
)


@dataclass
class World:
    now: datetime
    built: object
    sp1: object
    sp2: object
    sp3: object
    trainers: dict

    @property
    def course(self):
        return self.built.course


def _days_ago(now: datetime, days: float) -> datetime:
    return now - timedelta(days=days)


def enrol(trainer, built, *, enrolled_at, lessons=0, completed_at=None, attempts=()):
    """An enrolment with its first `lessons` lessons done (a day apart, after enrolling) and the
    given quiz attempts: (quiz index, answers, passed, when)."""
    enrolment = Enrolment.objects.create(
        trainer=trainer, course=built.course, enrolled_at=enrolled_at, completed_at=completed_at
    )
    for index, lesson in enumerate(built.lessons[:lessons]):
        LessonProgress.objects.create(
            enrolment=enrolment, lesson=lesson, completed_at=enrolled_at + timedelta(days=index + 1)
        )
    for quiz_index, answers, passed, when in attempts:
        QuizAttempt.objects.create(
            enrolment=enrolment,
            lesson=built.lessons[2 * quiz_index + 1],
            quiz_id=built.quiz_ids[quiz_index],
            answers=answers,
            score=100 if passed else 0,
            passed=passed,
            submitted_at=when,
        )
    return enrolment


def build_world() -> World:
    now = timezone.now()
    built = build_course(
        modules=2,
        lessons=4,
        quiz_lessons=(1, 3),
        slug="laporan",
        certificate_template=certificate_template_ensure_default(),
    )
    sp1 = ServicePointFactory(code="SP001", name="UPT BP2MI Serang", province="Jawa Timur")
    sp2 = ServicePointFactory(code="SP002", name="LTSA Tulungagung", province="Jawa Timur")
    sp3 = ServicePointFactory(code="SP003", name="UPT BP2MI Mataram", province="Nusa Tenggara Barat")

    def trainer(name, point):
        return TrainerFactory(
            username=name, profile__full_name=f"{name.title()} Pelatih", service_point=point
        )

    people = {
        "ani": trainer("ani", sp1),
        "budi": trainer("budi", sp1),
        "cici": trainer("cici", sp1),
        "dedi": trainer("dedi", sp2),
        "eka": trainer("eka", sp2),
        "fajar": trainer("fajar", sp3),
    }
    q0, q1 = built.quiz_ids
    ani_start = _days_ago(now, 20)
    enrol(
        people["ani"],
        built,
        enrolled_at=ani_start,
        lessons=4,
        completed_at=ani_start + timedelta(days=10),
        attempts=[
            (0, right_answers(q0), True, ani_start + timedelta(days=2)),
            (1, right_answers(q1), True, ani_start + timedelta(days=4)),
        ],
    )
    budi_start = _days_ago(now, 15)
    enrol(
        people["budi"],
        built,
        enrolled_at=budi_start,
        lessons=1,
        attempts=[
            (0, wrong_answers(q0), False, budi_start + timedelta(days=2)),
            (0, wrong_answers(q0), False, budi_start + timedelta(days=3)),
        ],
    )
    enrol(people["cici"], built, enrolled_at=_days_ago(now, 5))
    dedi_start = _days_ago(now, 10)
    enrol(
        people["dedi"],
        built,
        enrolled_at=dedi_start,
        lessons=4,
        completed_at=dedi_start + timedelta(days=4),
        attempts=[
            (0, right_answers(q0), True, dedi_start + timedelta(days=2)),
            (1, right_answers(q1), True, dedi_start + timedelta(days=3)),
        ],
    )
    fajar_start = _days_ago(now, 60)
    enrol(
        people["fajar"],
        built,
        enrolled_at=fajar_start,
        lessons=4,
        completed_at=fajar_start + timedelta(days=20),
        attempts=[
            (0, half_right_answers(q0), False, fajar_start + timedelta(days=2)),
            (0, right_answers(q0), True, fajar_start + timedelta(days=3)),
            (1, right_answers(q1), True, fajar_start + timedelta(days=4)),
        ],
    )
    for name in ("ani", "dedi"):
        certificate_issue(trainer=people[name], course=built.course, notify=False)
    return World(now=now, built=built, sp1=sp1, sp2=sp2, sp3=sp3, trainers=people)


def coordinators(world: World) -> dict:
    return {
        "sp001": CoordinatorFactory(username="koor-sp001", service_points=[world.sp1]),
        "sp002": CoordinatorFactory(username="koor-sp002", service_points=[world.sp2]),
        "provincial": CoordinatorFactory(username="koor-jatim", service_points__provinces=["Jawa Timur"]),
        "national": CoordinatorFactory(username="koor-nasional", service_points__national=True),
    }
