"""E-mails to trainers about their learning and their account. Sent from Celery tasks, after commit."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

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


def password_reset_email_send(*, user_id: int) -> bool:
    """E-mail a user the link to choose a new password, as Django's PasswordResetForm would.
    Sends nothing when the user is gone, inactive, without a usable password or an e-mail
    address; returns whether a message was sent. Each call sends a fresh link (not idempotent)."""
    User = get_user_model()
    user = User._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password() or not user.email:
        return False
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        # Links in e-mails come from BASE_URL, never from a request's Host header.
        "base_url": settings.BASE_URL,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("registration/password_reset_subject.txt", context)
        body = render_to_string("registration/password_reset_email.txt", context)
    send_mail("".join(subject.splitlines()), body, None, [user.email])
    return True
