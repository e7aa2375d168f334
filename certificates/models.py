from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import RevisionMixin


class CertificateTemplate(RevisionMixin, models.Model):
    """The design of a certificate. Versioned: an issued certificate points at the revision it used."""

    name = models.CharField(_("nama"), max_length=200)

    class Meta:
        verbose_name = _("templat sertifikat")
        verbose_name_plural = _("templat sertifikat")

    def __str__(self) -> str:
        return self.name
