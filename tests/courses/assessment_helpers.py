"""A course with a pre-test and a post-test, for the tests of pre/post-tests, evaluations and reports."""

from courses.models import AssessmentRole
from tests.factories import build_course


def assessed_course(**kwargs):
    """2 modules × 5 lessons: lesson 0 holds the pre-test, lesson 2 an ordinary quiz, lesson 4 the
    post-test. Returns the built course with `pre`, `quiz`, `post` quiz ids."""
    built = build_course(modules=2, lessons=5, quiz_lessons=(0, 2, 4), **kwargs)
    for lesson, role in (
        (built.lessons[0], AssessmentRole.PRE_TEST),
        (built.lessons[4], AssessmentRole.POST_TEST),
    ):
        lesson.assessment_role = role
        lesson.save_revision().publish()
    built.pre, built.quiz, built.post = built.quiz_ids
    return built
