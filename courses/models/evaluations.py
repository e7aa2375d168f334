"""A trainer's evaluation of a course they completed. Written only through courses.evaluations."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RATING_MIN, RATING_MAX = 1, 5
COMMENT_MAX_LENGTH = 2000


class CourseEvaluation(models.Model):
    """Asked once, after completion: a rating from 1 to 5, whether the training was useful,
    whether the trainer can apply it at their service point, and a comment. Never a condition of
    the certificate."""

    enrolment = models.OneToOneField(
        "courses.Enrolment",
        verbose_name=_("pendaftaran"),
        on_delete=models.CASCADE,
        related_name="evaluation",
    )
    rating = models.PositiveSmallIntegerField(
        _("nilai"), validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)]
    )
    useful = models.BooleanField(_("bermanfaat"))
    applicable = models.BooleanField(_("dapat diterapkan"))
    comment = models.TextField(_("komentar"), max_length=COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("dikirim pada"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("penilaian kursus")
        verbose_name_plural = _("penilaian kursus")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX),
                name="course_evaluation_rating_1_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.rating}"
