"""Celery tasks: thin wrappers that take ids and call a service (see certificates.services)."""

from celery import shared_task

from certificates import services
from certificates.models import IssuanceBatch


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=10, ignore_result=True)
def batch_run(self, batch_id: int) -> int:
    """Split the pending trainers of a batch into chunk tasks. Idempotent."""
    try:
        return services.batch_run(batch_id=batch_id)
    except IssuanceBatch.DoesNotExist as error:
        # Published from inside the transaction that creates the batch (lms.queue): the commit may
        # be a moment behind. A batch that never appears (rolled back) stops after the retries.
        raise self.retry(exc=error, countdown=1) from error


# acks_late + reject_on_worker_lost: a chunk whose worker was killed (SIGKILL, out of memory) goes
# back to the queue and is redone (it is idempotent), by the broker's visibility timeout on Redis.
@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3, ignore_result=True)
def batch_chunk_issue(self, batch_id: int, trainer_ids: list[int]) -> dict:
    """Issue one chunk of a batch. Idempotent: a redelivered or retried chunk never duplicates."""
    try:
        return services.batch_chunk_issue(batch_id=batch_id, trainer_ids=trainer_ids)
    except services.CertificateError:
        raise
    except Exception as error:  # a database hiccup: try again later, the chunk is idempotent
        if self.request.retries >= self.max_retries:
            services.batch_chunk_fail(batch_id=batch_id, trainer_ids=trainer_ids, message=str(error))
            raise
        raise self.retry(exc=error, countdown=5) from error


@shared_task(acks_late=True, ignore_result=True)
def certificate_issue_for_completion(trainer_id: int, course_id: int) -> int | None:
    """Auto-issue after `course_completed`. Idempotent (returns the existing certificate's id)."""
    return services.certificate_issue_for_completion(trainer_id=trainer_id, course_id=course_id)


@shared_task(ignore_result=True)
def certificates_email_send(certificate_ids: list[int]) -> int:
    """E-mail new certificates to their holders (sent once, after the issuing commit)."""
    return services.certificates_email_send(certificate_ids=certificate_ids)
