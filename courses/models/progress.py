"""Enrolment and progress: what each trainer has done. Written only through courses.services."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Enrolment(models.Model):
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelatih"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("kursus"), on_delete=models.CASCADE, related_name="enrolments"
    )
    enrolled_at = models.DateTimeField(_("terdaftar pada"), default=timezone.now)
    completed_at = models.DateTimeField(_("selesai pada"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("pendaftaran kursus")
        verbose_name_plural = _("pendaftaran kursus")
        constraints = [
            models.UniqueConstraint(fields=["trainer", "course"], name="enrolment_one_per_trainer_course")
        ]
        indexes = [models.Index(fields=["course", "completed_at"], name="enrolment_course_completed")]

    def __str__(self) -> str:
        return f"{self.trainer_id} → {self.course_id}"


class LessonProgress(models.Model):
    """A lesson done. One row per enrolment and lesson: completing twice changes nothing."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(_("selesai pada"), default=timezone.now)

    class Meta:
        verbose_name = _("pelajaran selesai")
        verbose_name_plural = _("pelajaran selesai")
        constraints = [models.UniqueConstraint(fields=["enrolment", "lesson"], name="lesson_progress_once")]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.lesson_id}"


class QuizDraw(models.Model):
    """What one attempt at a quiz gets: the questions drawn from the quiz's pool, in order, and the
    order of each question's choices. Made when the trainer opens the quiz (the lesson page, or a
    client fetching it for offline use) and used by exactly one attempt (QuizAttempt.draw is
    unique), so a replayed submission is scored once. Open while no attempt uses it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="quiz_draws")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    quiz_id = models.CharField(_("kuis"), max_length=64)
    question_ids = models.JSONField(_("soal yang diundi"), default=list)
    choice_order = models.JSONField(_("urutan pilihan"), default=dict)
    created_at = models.DateTimeField(_("diundi pada"), default=timezone.now)

    class Meta:
        verbose_name = _("undian soal kuis")
        verbose_name_plural = _("undian soal kuis")
        indexes = [models.Index(fields=["enrolment", "quiz_id"], name="quiz_draw_enrolment_quiz")]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.quiz_id} ({self.pk})"


class QuizAttemptGrant(models.Model):
    """Attempts a coordinator added for one trainer and one quiz beyond the quiz's limit."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="quiz_attempt_grants")
    quiz_id = models.CharField(_("kuis"), max_length=64)
    extra = models.PositiveSmallIntegerField(_("percobaan tambahan"))
    reason = models.CharField(_("alasan"), max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diberikan oleh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("diberikan pada"), default=timezone.now)

    class Meta:
        verbose_name = _("tambahan percobaan kuis")
        verbose_name_plural = _("tambahan percobaan kuis")
        indexes = [models.Index(fields=["enrolment", "quiz_id"], name="quiz_grant_enrolment_quiz")]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.quiz_id} +{self.extra}"


class QuizAttempt(models.Model):
    """One submitted attempt at a quiz block, scored on the server."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="quiz_attempts")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    quiz_id = models.CharField(_("kuis"), max_length=64, db_index=True)
    answers = models.JSONField(_("jawaban"), default=dict)
    score = models.PositiveSmallIntegerField(_("nilai"))
    passed = models.BooleanField(_("lulus"), default=False)
    submitted_at = models.DateTimeField(_("dikirim pada"), default=timezone.now)
    # The questions and order this attempt got; null for attempts made before draws existed.
    draw = models.OneToOneField(
        QuizDraw, null=True, blank=True, on_delete=models.SET_NULL, related_name="attempt"
    )

    class Meta:
        verbose_name = _("percobaan kuis")
        verbose_name_plural = _("percobaan kuis")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["enrolment", "quiz_id"], name="quiz_attempt_enrolment_quiz")]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.quiz_id} ({self.score})"


class SyncEvent(models.Model):
    """An offline event already received, so that a replayed batch is applied only once."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("diterapkan")
        REJECTED = "rejected", _("ditolak")

    trainer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event_id = models.UUIDField()
    event_type = models.CharField(max_length=32)
    status = models.CharField(max_length=16, choices=Status.choices)
    detail = models.CharField(max_length=300, blank=True)
    occurred_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trainer", "event_id"], name="sync_event_once")]

    def __str__(self) -> str:
        return f"{self.event_id} ({self.status})"
