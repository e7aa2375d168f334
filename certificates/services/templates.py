"""Certificate templates: the default template, the revision to issue from, its cached shared
layer, and previews."""

import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from certificates import rendering
from certificates.models import DEFAULT_BODY, CertificateTemplate

DEFAULT_TEMPLATE_NAME = "Sertifikat TOT Purna PMI (resmi)"


@transaction.atomic
def certificate_template_ensure_default() -> CertificateTemplate:
    """The default official template, created with its first revision when missing.

    Idempotent: looked up by name; an existing template is returned unchanged.
    """
    template = CertificateTemplate.objects.filter(name=DEFAULT_TEMPLATE_NAME).first()
    if template is None:
        template = CertificateTemplate(name=DEFAULT_TEMPLATE_NAME, body=DEFAULT_BODY)
        template.signatories = [
            (
                "signatory",
                {
                    "name": "Dra. Ratna Kusumawardani, M.Si.",
                    "title": "Kepala Pusat Pelatihan BP2MI",
                    "signature": None,
                },
            ),
            (
                "signatory",
                {
                    "name": "Ir. Hendra Wijaya, M.M.",
                    "title": "Direktur Kemitraan PMO Kartu Prakerja",
                    "signature": None,
                },
            ),
        ]
        template.full_clean()
        template.save()
    if template.latest_revision_id is None:
        template.save_revision(log_action=False)
    return template


def template_revision_current(*, template: CertificateTemplate) -> Revision:
    """The revision certificates are issued from: the latest one (created on first use)."""
    if template.latest_revision_id is None:
        return template.save_revision(log_action=False)
    return template.latest_revision


_shared_layers: dict[int, rendering.SharedLayer] = {}


def shared_layer_for_revision(
    *, revision: Revision, template_object: CertificateTemplate | None = None
) -> rendering.SharedLayer:
    """The shared layer of a revision. A revision never changes, so it is cached per process.
    `template_object`, the revision's content already applied to its template, saves loading it."""
    shared = _shared_layers.get(revision.pk)
    if shared is None:
        template_object = template_object if template_object is not None else revision.as_object()
        shared = rendering.shared_layer_from_template(template_object, key=f"revision-{revision.pk}")
        if len(_shared_layers) > 64:
            _shared_layers.clear()
        _shared_layers[revision.pk] = shared
    return shared


def template_preview_pdf(*, template: CertificateTemplate) -> bytes:
    """A PDF of the template (as edited, not yet saved) with sample data. No side effects."""
    shared = rendering.shared_layer_from_template(template, key=f"preview-{secrets.token_hex(8)}")
    sample_code = "7K3Q-9X2M-4HPA-TR5W-H"
    fields = rendering.CertificateFields(
        holder_name="Siti Nurhaliza Rahmawati",
        course_title="Pendampingan Purna PMI Mendaftar Kartu Prakerja",
        hours="12",
        service_point="UPT BP2MI Surabaya",
        date=rendering.date_indonesian(timezone.now()),
        serial=f"{template.serial_prefix or 'TOT'}/{timezone.localdate().year}/SP042/00017",
        code=sample_code,
        verify_url=settings.BASE_URL + reverse("certificates:verify_code", kwargs={"code": sample_code}),
    )
    return rendering.certificate_pdf_render(shared=shared, fields=fields)
