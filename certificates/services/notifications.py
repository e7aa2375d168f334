"""E-mailing new certificates to their holders, after the issuing transaction commits."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from certificates.models import Certificate
from lms.queue import task_send_on_commit

logger = logging.getLogger(__name__)


def notify_on_commit(certificate_ids: list[int]) -> None:
    """E-mail the holders of these new certificates once the current transaction commits."""
    from certificates import tasks

    if certificate_ids:
        task_send_on_commit(tasks.certificates_email_send, certificate_ids)


def certificates_email_send(*, certificate_ids: list[int]) -> int:
    """E-mail each trainer their new certificate with the PDF attached. Returns the number sent.

    Not idempotent (a retry sends again); called once after the issuing transaction commits.
    """
    sent = 0
    certificates = Certificate.objects.filter(
        pk__in=certificate_ids, status=Certificate.Status.VALID
    ).select_related("trainer")
    for certificate in certificates:
        email = certificate.trainer.email
        if not email:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            context = {"certificate": certificate, "verify_url": certificate.verify_url}
            subject = _("Sertifikat Anda: %(course)s") % {"course": certificate.course_title}
            body = render_to_string("certificates/email/issued.txt", context)
        message = EmailMessage(subject=subject, body=body, to=[email])
        try:
            with certificate.pdf.open("rb") as handle:
                message.attach(f"sertifikat-{certificate.code}.pdf", handle.read(), "application/pdf")
        except OSError:
            logger.warning("Certificate %s has no readable PDF; e-mail sent without it", certificate.pk)
        message.send()
        sent += 1
    return sent
