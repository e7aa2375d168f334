"""E-mails to trainers about their learning. Sent from Celery tasks, after commit."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from courses.models import Enrolment


def course_completion_notify(*, enrolment_id: int) -> bool:
    """E-mail the trainer that they finished a course. Sends nothing when the enrolment is gone,
    not complete, or the trainer has no e-mail address; returns whether a message was sent.
    Not idempotent on its own: a redelivered task sends the message again (harmless)."""
    enrolment = (
        Enrolment.objects.select_related("trainer", "trainer__trainer_profile", "course")
        .filter(pk=enrolment_id, completed_at__isnull=False)
        .first()
    )
    if enrolment is None or not enrolment.trainer.email:
        return False
    profile = getattr(enrolment.trainer, "trainer_profile", None)
    context = {
        "name": profile.full_name
        if profile
        else enrolment.trainer.get_full_name() or enrolment.trainer.username,
        "course": enrolment.course,
        "completed_at": enrolment.completed_at,
        "dashboard_url": f"{settings.BASE_URL}/dashboard/",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("courses/email/course_completed_subject.txt", context).strip()
        body = render_to_string("courses/email/course_completed.txt", context)
    send_mail(subject, body, None, [enrolment.trainer.email])
    return True
