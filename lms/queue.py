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
"""

from celery import Task
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError as BrokerOperationalError


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
