"""Reactions of the courses app to its own signals."""

from django.dispatch import receiver

from courses.signals import course_completed


@receiver(course_completed, dispatch_uid="courses.course_completion_notify")
def _course_completed_notify(sender, enrolment, **kwargs) -> None:
    from courses.tasks import course_completion_notify

    # course_completed is sent after commit, so the worker will find the enrolment.
    course_completion_notify.delay(enrolment.pk)
