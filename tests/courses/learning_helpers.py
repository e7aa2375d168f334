"""Helpers for the learning tests: a quiz attempt by the quiz's id, as the views resolve it."""

from courses import selectors, services


def quiz_submit(*, trainer, quiz_id: str, answers, at=None) -> services.QuizResult:
    """Resolve the quiz by its id (as the views and the API do) and submit an attempt at it."""
    found = selectors.quiz_get(quiz_id=quiz_id)
    assert found is not None, f"no live quiz {quiz_id}"
    quiz, lesson = found
    return services.quiz_attempt_submit(trainer=trainer, quiz=quiz, lesson=lesson, answers=answers, at=at)
