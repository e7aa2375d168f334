"""A trainer's evaluation of a course: asked once, after completing it, and never a condition of
the certificate (nothing in certificates reads it). The form, the API and the reports come here."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from courses.models import CourseEvaluation, CoursePage, Enrolment
from courses.models.evaluations import COMMENT_MAX_LENGTH, RATING_MAX, RATING_MIN
from courses.services import LearningError, NotEnrolled


class EvaluationInvalid(LearningError):
    pass


class CourseNotCompleted(LearningError):
    pass


class AlreadyEvaluated(LearningError):
    """A second evaluation of the same course: refused kindly, the first one stays as it was."""

    def __init__(self, *, evaluation: CourseEvaluation):
        super().__init__(
            _(
                "Terima kasih, Anda sudah memberi penilaian untuk kursus ini. Penilaian hanya diberikan sekali."
            )
        )
        self.evaluation = evaluation


@dataclass(frozen=True)
class EvaluationAnswers:
    rating: int
    useful: bool
    applicable: bool
    comment: str


def _yes_no(value) -> bool | None:
    """A yes/no answer as a form or a JSON body sends it; None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return {
            "ya": True,
            "yes": True,
            "true": True,
            "1": True,
            "tidak": False,
            "no": False,
            "false": False,
            "0": False,
        }.get(value.strip().lower())
    return None


def evaluation_answers_clean(*, rating, useful, applicable, comment) -> EvaluationAnswers:
    """Check the answers; raise EvaluationInvalid with a message per field. A rating is a whole
    number from 1 to 5; useful and applicable are yes or no; the comment is optional text of at
    most 2,000 characters."""
    errors: dict[str, str] = {}
    parsed_rating = None
    if isinstance(rating, int) and not isinstance(rating, bool):
        parsed_rating = rating
    elif (
        isinstance(rating, str)
        and rating.strip().isascii()
        and rating.strip().isdigit()
        and len(rating.strip()) < 3
    ):
        parsed_rating = int(rating.strip())
    if parsed_rating is None or not RATING_MIN <= parsed_rating <= RATING_MAX:
        errors["rating"] = _("Pilih nilai 1 sampai 5.")
    answers = {"useful": _yes_no(useful), "applicable": _yes_no(applicable)}
    for name, value in answers.items():
        if value is None:
            errors[name] = _("Pilih “Ya” atau “Tidak”.")
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        errors["comment"] = _("Komentar harus berupa teks.")
        comment = ""
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = _("Komentar paling banyak %(n)d karakter.") % {"n": COMMENT_MAX_LENGTH}
    if errors:
        raise EvaluationInvalid(_("Periksa kembali penilaian Anda."), field_errors=errors)
    return EvaluationAnswers(
        rating=parsed_rating, useful=answers["useful"], applicable=answers["applicable"], comment=comment
    )


def course_evaluation_get(*, trainer, course: CoursePage) -> CourseEvaluation | None:
    """The trainer's own evaluation of the course, or None. One query."""
    if not trainer.is_authenticated:
        return None
    return CourseEvaluation.objects.filter(enrolment__trainer=trainer, enrolment__course=course).first()


@transaction.atomic
def course_evaluation_create(
    *, trainer, course: CoursePage, rating, useful, applicable, comment=""
) -> CourseEvaluation:
    """Store the trainer's evaluation of a course they completed. Once only: a second call raises
    AlreadyEvaluated (carrying the first evaluation) and changes nothing. Raises NotEnrolled,
    CourseNotCompleted or EvaluationInvalid (nothing stored). No other side effect: the
    certificate never waits for an evaluation."""
    enrolment = Enrolment.objects.select_for_update().filter(trainer=trainer, course=course).first()
    if enrolment is None:
        raise NotEnrolled(_("Anda belum terdaftar di kursus ini."))
    existing = CourseEvaluation.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        raise AlreadyEvaluated(evaluation=existing)
    if enrolment.completed_at is None:
        raise CourseNotCompleted(_("Penilaian bisa diberikan setelah kursus selesai."))
    answers = evaluation_answers_clean(rating=rating, useful=useful, applicable=applicable, comment=comment)
    try:
        with transaction.atomic():
            return CourseEvaluation.objects.create(
                enrolment=enrolment,
                rating=answers.rating,
                useful=answers.useful,
                applicable=answers.applicable,
                comment=answers.comment,
            )
    except IntegrityError:
        # Locked above, so only a database without row locks (SQLite takes the whole file) gets here.
        existing = CourseEvaluation.objects.get(enrolment=enrolment)
        raise AlreadyEvaluated(evaluation=existing) from None
