"""Publishing background work from inside the transaction that records it.

`transaction.on_commit(task.delay)` publishes after the record is committed: when the broker
(Redis) is down at that moment, the record stays behind as "queued" and nothing ever runs it.
`task_publish` publishes inside the caller's atomic block instead, as its last step: a broker that
does not answer raises `BackgroundWorkUnavailable`, the block rolls back, and nothing half-done is
recorded; the user is told, and starts again once the broker is back.

A worker may receive the task a moment before the transaction commits, so the tasks published
this way wait for their row: they lock it (which waits for the commit) or retry shortly when it is
not visible yet.

With `CELERY_TASK_ALWAYS_EAGER` (unit tests) there is no broker to fail and the task would run
inside the open transaction, which no worker ever sees: it runs after commit, as before.

Follow-up work of something already saved (an e-mail, an automatic certificate) goes through
`task_send` / `task_send_on_commit`: when the broker does not answer, the saved action must not turn
into a server error for the trainer. The task is then lost and logged as an error; what it would
have done can be done again (a certificate batch issues to every trainer who completed a course and
holds none; a password reset or an invitation can be asked for again).
"""

import logging

from celery import Task
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError as BrokerOperationalError

logger = logging.getLogger(__name__)


class BackgroundWorkUnavailable(Exception):
    """The task queue does not answer; the caller's transaction is rolled back. The message is for
    the user, in their language."""

    def __init__(self, message=None):
        self.message = message or _(
            "Pekerjaan latar belakang sedang tidak tersedia (antrean tugas tidak menjawab), jadi "
            "tidak ada yang dimulai dan tidak ada yang disimpan. Coba lagi beberapa menit lagi."
        )
        super().__init__(str(self.message))


def task_publish(task: Task, *args) -> None:
    """Publish `task(*args)` now, inside the caller's transaction (call it last in the atomic
    block). Raises BackgroundWorkUnavailable when the broker does not answer. Not idempotent:
    each call publishes once."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("task_publish belongs inside the atomic block that records the work")
    if task.app.conf.task_always_eager:
        transaction.on_commit(lambda: task.delay(*args))
        return
    try:
        task.apply_async(args=args)
    except BrokerOperationalError as error:
        raise BackgroundWorkUnavailable() from error


def task_send(task: Task, *args) -> bool:
    """Publish follow-up work of something already committed. A broker that does not answer is
    logged as an error (the task and its arguments: ids only) and the caller goes on; returns
    whether the task was sent. Not idempotent: each call publishes once."""
    try:
        task.delay(*args)
    except BrokerOperationalError as error:
        logger.error("Task queue unavailable; %s%r was not sent: %s", task.name, args, error)
        return False
    return True


def task_send_on_commit(task: Task, *args) -> None:
    """`task_send` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: task_send(task, *args))
