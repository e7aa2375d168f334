"""The pre-test and the post-test of a course, and the learning gain between them.

An editor marks a lesson's "peran penilaian" (courses.models.AssessmentRole): the quiz in that
lesson is then the course's pre-test or post-test, reached through the same quiz pages and API as
every quiz. The rules, each in one place:

- a course has at most one pre-test lesson and one post-test lesson, each with exactly one quiz
  (`assessment_role_errors`, checked when the lesson is saved);
- the pre-test never counts towards completion: neither its lesson nor its quiz is required
  (courses.selectors.outline.LessonOutline.counts_for_completion); the post-test counts as every
  quiz does;
- a trainer's pre-test score is their first attempt, the post-test score their best one, and the
  gain is post − pre in percentage points, known once both exist (`learning_gain_from`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from courses.models import AssessmentRole, LessonPage

if TYPE_CHECKING:
    from courses.selectors.progress import QuizAttemptsSummary


def assessment_role_errors(*, lesson: LessonPage, module_path: str) -> list[str]:
    """What is wrong with the lesson's assessment role, as messages for the editor (empty: fine).

    `module_path` is the tree path of the lesson's module (its parent); the course is the module's
    parent. One query for the course's other lessons with the same role."""
    role = lesson.assessment_role
    if not role:
        return []
    errors = []
    raw = getattr(lesson.body, "raw_data", None) or []
    if sum(1 for item in raw if item and item.get("type") == "quiz") != 1:
        errors.append(_("Pelajaran tes awal atau tes akhir harus berisi tepat satu kuis."))
    if module_path:
        course_path = module_path[: -LessonPage.steplen]
        others = LessonPage.objects.filter(
            path__startswith=course_path,
            depth=len(course_path) // LessonPage.steplen + 2,
            assessment_role=role,
        )
        if lesson.pk is not None:
            others = others.exclude(pk=lesson.pk)
        other = others.order_by("path").only("id", "title").first()
        if other is not None:
            label = AssessmentRole(role).label
            errors.append(
                _("Kursus ini sudah punya %(role)s: “%(lesson)s”. Satu kursus hanya boleh punya satu.")
                % {"role": str(label).lower(), "lesson": other.title}
            )
    return errors


@dataclass(frozen=True)
class LearningGain:
    """A trainer's pre-test and post-test scores (0–100, None when not taken) and the gain."""

    pre: int | None
    post: int | None

    @property
    def gain(self) -> int | None:
        """Post − pre in percentage points; None until both tests are taken."""
        if self.pre is None or self.post is None:
            return None
        return self.post - self.pre

    @property
    def any(self) -> bool:
        return self.pre is not None or self.post is not None


def learning_gain_from(*, pre: QuizAttemptsSummary | None, post: QuizAttemptsSummary | None) -> LearningGain:
    """THE scoring rule: the first pre-test attempt, the best post-test attempt."""
    return LearningGain(
        pre=pre.first_score if pre is not None else None,
        post=post.best_score if post is not None else None,
    )
