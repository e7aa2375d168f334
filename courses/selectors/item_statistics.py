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
from courses.selectors.quizzes import Question, Quiz, lesson_quizzes

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


# Per rest score: [attempts, of which right].
Buckets = dict[float, list[int]]


def _group_share(ranked: list[tuple[float, list[int]]], size: float) -> float:
    """The share right among the first `size` attempts of `ranked` (rest score, [attempts, right]),
    sorted best or worst first; the tie at the group's edge counts in part."""
    remaining, right = size, 0.0
    for _rest, (count, right_count) in ranked:
        if remaining <= 1e-9:
            break
        taken = min(float(count), remaining)
        right += taken / count * right_count
        remaining -= taken
    return right / size


def _upper_lower(buckets: Buckets) -> tuple[float, float] | None:
    total = sum(count for count, _right in buckets.values())
    if total < MIN_ANSWERS:
        return None
    ranked = sorted(buckets.items(), reverse=True)
    size = GROUP_SHARE * total
    return _group_share(ranked, size), _group_share(ranked[::-1], size)


def upper_lower_shares(pairs: Iterable[tuple[float, bool]]) -> tuple[float, float] | None:
    """(share right in the upper 27 %, share right in the lower 27 %) of (rest score, right) pairs;
    None below MIN_ANSWERS pairs."""
    buckets: Buckets = defaultdict(lambda: [0, 0])
    for rest, is_right in pairs:
        bucket = buckets[rest]
        bucket[0] += 1
        bucket[1] += bool(is_right)
    return _upper_lower(buckets)


def _judge(question: Question | None, value) -> tuple[frozenset[str], bool] | None:
    """(chosen choice ids, right) of one stored answer, or None for a question no longer in the
    quiz or an answer that is not a list of ids."""
    if isinstance(value, str):
        value = [value]
    if question is None or not isinstance(value, list | tuple):
        return None
    chosen = frozenset(str(item) for item in value)
    return chosen, chosen == question.correct_ids


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
    # Each distinct stored answer is judged once: 5,000 attempts hold only a few dozen of them.
    judged_answers: dict[tuple, tuple[str, bool] | None] = {}
    # Per question and distinct answer (chosen ids), how many attempts gave it.
    answer_counts: dict[str, dict[frozenset[str], int]] = defaultdict(lambda: defaultdict(int))
    rest_buckets: dict[str, Buckets] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    attempts = 0
    enrolments = set()
    for enrolment_id, answers in rows:
        attempts += 1
        enrolments.add(enrolment_id)
        if not isinstance(answers, dict):
            continue
        judged: list[tuple[str, bool]] = []
        for question_id, value in answers.items():
            key = (question_id, tuple(value) if isinstance(value, list) else value)
            try:
                verdict = judged_answers[key]
            except KeyError:
                verdict = judged_answers[key] = _judge(questions.get(str(question_id)), value)
            except TypeError:  # an unhashable answer (a list inside the list): not an answer
                continue
            if verdict is None:
                continue
            chosen, is_right = verdict
            answer_counts[str(question_id)][chosen] += 1
            judged.append((str(question_id), is_right))
        if len(judged) > 1:
            total_right = sum(is_right for _id, is_right in judged)
            others = len(judged) - 1
            for question_id, is_right in judged:
                bucket = rest_buckets[question_id][(total_right - is_right) / others]
                bucket[0] += 1
                bucket[1] += is_right

    result = []
    for number, question in enumerate(quiz.questions, start=1):
        counts = answer_counts[question.id]
        count = sum(counts.values())
        picks: dict[str, int] = defaultdict(int)
        for chosen, times in counts.items():
            for choice_id in chosen:
                picks[choice_id] += times
        choices = tuple(
            ChoiceStatistics(
                id=choice.id,
                text=choice.text,
                correct=choice.correct,
                picked=picks[choice.id],
                share=picks[choice.id] / count if count else 0.0,
            )
            for choice in question.choices
        )
        shares = _upper_lower(rest_buckets[question.id])
        stats = QuestionStatistics(
            number=number,
            id=question.id,
            text=question.text,
            kind=question.kind,
            answered=count,
            correct=counts.get(question.correct_ids, 0),
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
