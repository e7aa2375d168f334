"""Item statistics of a lesson's quizzes for editors: per question, the share of correct answers,
the discrimination index and how often each choice is picked, so that bad questions get fixed.

Read with one flat query per lesson (the quiz id, trainer's enrolment and answers of every
attempt at its quizzes), whatever the number of attempts; the arithmetic is plain Python.

A question counts only over the attempts that answered it: an attempt's answers JSON
({question id: [choice ids]}) holds the questions that attempt was given, so quizzes that draw a
few questions from a pool are counted right. Answers are judged against the quiz as it is
published now, so a corrected answer key shows its effect at once; answers to questions or choices
that are no longer in the quiz are left out.

Discrimination is the upper–lower index: the share of correct answers in the strongest 27 % of the
attempts minus that in the weakest 27 % (Kelley's groups), from -1 to 1. Attempts are ranked by
their share of correct answers on the *other* questions of the same attempt (the rest score), so
that a question does not rank the attempts by itself (in a quiz of four questions it would be a
quarter of the score). Attempts tied at a group's edge count in part (a tie of four attempts for
the last two places counts each at half), so the figure does not depend on the order of the rows.
It is read as an editor reads it in the admin: "of the strongest, 90 % were right; of the weakest,
40 %"; the point-biserial correlation says much the same but is harder to read off a screen.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from courses.models import LessonPage, QuizAttempt
from courses.selectors.quizzes import Quiz, lesson_quizzes

# Kelley's share of attempts in each of the upper and lower groups.
GROUP_SHARE = 0.27
# Below this many answers to a question, its discrimination and its warnings are not given.
MIN_ANSWERS = 10
# The usual rules of thumb for classroom tests.
EASY_SHARE = 0.90
HARD_SHARE = 0.30
LOW_DISCRIMINATION = 0.20


@dataclass(frozen=True)
class ChoiceStatistics:
    id: str
    text: str
    correct: bool
    picked: int
    share: float  # of the answers to the question, 0..1

    @property
    def unused_distractor(self) -> bool:
        return not self.correct and self.picked == 0


@dataclass(frozen=True)
class QuestionStatistics:
    number: int
    id: str
    text: str
    kind: str
    answered: int
    correct: int
    upper_share: float | None  # share correct among the strongest 27 %, 0..1
    lower_share: float | None  # among the weakest 27 %
    choices: tuple[ChoiceStatistics, ...]
    warnings: tuple[str, ...]

    @property
    def correct_share(self) -> float | None:
        """The difficulty index p: the share of the answers that were right, 0..1."""
        return self.correct / self.answered if self.answered else None

    @property
    def discrimination(self) -> float | None:
        if self.upper_share is None or self.lower_share is None:
            return None
        return self.upper_share - self.lower_share


@dataclass(frozen=True)
class QuizStatistics:
    quiz_id: str
    title: str
    attempts: int
    trainers: int
    questions: tuple[QuestionStatistics, ...]


def _group_share(ranked: list[tuple[float, bool]], size: float) -> float:
    """The share correct among the first `size` attempts of `ranked` (rest score, correct), sorted
    best or worst first; the tie at the group's edge counts in part."""
    remaining, correct = size, 0.0
    index = 0
    while remaining > 1e-9 and index < len(ranked):
        end = index
        while end < len(ranked) and ranked[end][0] == ranked[index][0]:
            end += 1
        tie = ranked[index:end]
        taken = min(float(len(tie)), remaining)
        correct += taken / len(tie) * sum(1 for _score, right in tie if right)
        remaining -= taken
        index = end
    return correct / size


def upper_lower_shares(pairs: Iterable[tuple[float, bool]]) -> tuple[float, float] | None:
    """(share correct in the upper 27 %, share correct in the lower 27 %) of (rest score, correct)
    pairs; None below MIN_ANSWERS pairs."""
    ranked = sorted(pairs, key=lambda pair: pair[0], reverse=True)
    if len(ranked) < MIN_ANSWERS:
        return None
    size = GROUP_SHARE * len(ranked)
    return _group_share(ranked, size), _group_share(ranked[::-1], size)


def _chosen_ids(value) -> frozenset[str] | None:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return None
    return frozenset(str(item) for item in value)


def _warnings(stats: QuestionStatistics) -> tuple[str, ...]:
    if stats.answered < MIN_ANSWERS:
        return ()
    found = []
    share = stats.correct_share
    discrimination = stats.discrimination
    if discrimination is not None and discrimination < 0:
        found.append(_("Pelatih yang lemah lebih sering benar daripada yang kuat: periksa kunci jawabannya."))
    elif discrimination is not None and discrimination < LOW_DISCRIMINATION:
        found.append(
            _("Daya beda rendah: soal ini hampir tidak membedakan pelatih yang kuat dan yang lemah.")
        )
    if share is not None and share >= EASY_SHARE:
        found.append(_("Sangat mudah: hampir semua menjawab benar."))
    elif share is not None and share <= HARD_SHARE:
        found.append(_("Sangat sulit: periksa kejelasan pertanyaan dan kunci jawabannya."))
    best_right = max((choice.picked for choice in stats.choices if choice.correct), default=0)
    if any(not choice.correct and choice.picked > best_right for choice in stats.choices):
        found.append(_("Ada pilihan salah yang lebih sering dipilih daripada jawaban benar."))
    if any(choice.unused_distractor for choice in stats.choices):
        found.append(_("Ada pilihan salah yang tidak pernah dipilih: pengecoh ini tidak bekerja."))
    return tuple(found)


def quiz_statistics_from_answers(*, quiz: Quiz, rows: Iterable[tuple[int, dict]]) -> QuizStatistics:
    """The statistics of `quiz` from its attempts' (enrolment id, answers) rows. No query."""
    questions = {question.id: question for question in quiz.questions}
    answered: dict[str, int] = defaultdict(int)
    right: dict[str, int] = defaultdict(int)
    picks: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    pairs: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    attempts = 0
    enrolments = set()
    for enrolment_id, answers in rows:
        attempts += 1
        enrolments.add(enrolment_id)
        if not isinstance(answers, dict):
            continue
        judged: list[tuple[str, bool]] = []
        for question_id, value in answers.items():
            question = questions.get(str(question_id))
            chosen = _chosen_ids(value)
            if question is None or chosen is None:
                continue
            is_right = chosen == question.correct_ids
            judged.append((question.id, is_right))
            answered[question.id] += 1
            right[question.id] += is_right
            for choice_id in chosen:
                picks[question.id][choice_id] += 1
        total_right = sum(is_right for _id, is_right in judged)
        if len(judged) > 1:
            for question_id, is_right in judged:
                rest = (total_right - is_right) / (len(judged) - 1)
                pairs[question_id].append((rest, is_right))

    result = []
    for number, question in enumerate(quiz.questions, start=1):
        count = answered[question.id]
        choices = tuple(
            ChoiceStatistics(
                id=choice.id,
                text=choice.text,
                correct=choice.correct,
                picked=picks[question.id][choice.id],
                share=picks[question.id][choice.id] / count if count else 0.0,
            )
            for choice in question.choices
        )
        shares = upper_lower_shares(pairs[question.id])
        stats = QuestionStatistics(
            number=number,
            id=question.id,
            text=question.text,
            kind=question.kind,
            answered=count,
            correct=right[question.id],
            upper_share=shares[0] if shares else None,
            lower_share=shares[1] if shares else None,
            choices=choices,
            warnings=(),
        )
        result.append(replace(stats, warnings=_warnings(stats)))
    return QuizStatistics(
        quiz_id=quiz.id,
        title=quiz.title,
        attempts=attempts,
        trainers=len(enrolments),
        questions=tuple(result),
    )


def lesson_item_statistics(*, lesson: LessonPage, quiz_id: str | None = None) -> list[QuizStatistics]:
    """The item statistics of the quizzes of `lesson` (as published), or of the one quiz `quiz_id`
    (an empty list when the lesson has no such quiz). One query, whatever the number of attempts."""
    quizzes = [quiz for quiz in lesson_quizzes(lesson=lesson) if quiz_id is None or quiz.id == quiz_id]
    if not quizzes:
        return []
    rows: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    attempts = (
        QuizAttempt.objects.filter(lesson=lesson, quiz_id__in=[quiz.id for quiz in quizzes])
        .order_by()
        .values_list("quiz_id", "enrolment_id", "answers")
    )
    for attempt_quiz_id, enrolment_id, answers in attempts:
        rows[attempt_quiz_id].append((enrolment_id, answers))
    return [quiz_statistics_from_answers(quiz=quiz, rows=rows[quiz.id]) for quiz in quizzes]
