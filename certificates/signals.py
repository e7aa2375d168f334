"""Receivers: auto-issue a certificate when a trainer completes a course that says so."""

from django.dispatch import receiver

from courses.signals import course_completed
from lms.queue import task_send_on_commit


@receiver(course_completed, dispatch_uid="certificates_auto_issue")
def certificate_auto_issue(sender, *, enrolment=None, trainer=None, course=None, **kwargs) -> None:
    """Enqueue the auto-issue after commit when the course has `auto_issue_certificate` set."""
    from certificates import tasks

    if course is None or trainer is None or not getattr(course, "auto_issue_certificate", False):
        return
    trainer_id, course_id = trainer.pk, course.pk
    task_send_on_commit(tasks.certificate_issue_for_completion, trainer_id, course_id)
