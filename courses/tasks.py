"""Celery tasks of the courses app: thin wrappers that take ids and call a domain function."""

from celery import shared_task

from courses import notifications
from courses.accounts import sessions
from courses.people import invitations


@shared_task(acks_late=True, ignore_result=True)
def course_completion_notify(enrolment_id: int) -> bool:
    return notifications.course_completion_notify(enrolment_id=enrolment_id)


@shared_task(acks_late=True, ignore_result=True)
def password_reset_email_send(user_id: int) -> bool:
    return notifications.password_reset_email_send(user_id=user_id)


@shared_task(acks_late=True, ignore_result=True)
def trainer_invitations_send(user_ids: list[int]) -> int:
    """E-mail each trainer a fresh invitation link; returns how many were sent."""
    return sum(invitations.invitation_email_send(user_id=user_id) for user_id in user_ids)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def trainer_import_run(import_id: int) -> str:
    """Import a confirmed trainer spreadsheet, all or nothing (idempotent, see the service)."""
    # imported here: the import's services queue this module's tasks
    from courses.people.imports import runs

    return runs.trainer_import_run(import_id=import_id)


@shared_task(ignore_result=True)
def sessions_expired_clear() -> int:
    """Delete expired sign-in sessions (CELERY_BEAT_SCHEDULE, every few hours); idempotent."""
    return sessions.sessions_expired_clear()
