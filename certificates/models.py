"""Certificate templates, issued certificates, serial counters and issuance batches.

Written only through `certificates.services`; read through `certificates.selectors`.
"""

import string

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import PreviewableMixin, RevisionMixin

from certificates.storage import certificate_storage

DEFAULT_BODY = (
    "telah menyelesaikan pelatihan {course} ({hours} jam pelajaran) sebagai pelatih "
    "di {service_point} pada {date}."
)
PLACEHOLDERS = ("name", "course", "hours", "date", "service_point", "serial", "code")


def placeholders_validate(text: str) -> None:
    """Refuse unknown or malformed `{placeholder}`s, with a message in Indonesian."""
    try:
        fields = [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]
    except ValueError as error:
        raise ValidationError(
            _(
                "Kurung kurawal tidak seimbang. Gunakan placeholder seperti {name}; tulis {{ atau }} untuk kurung kurawal biasa."
            ),
            code="malformed_placeholder",
        ) from error
    unknown = sorted({field for field in fields if field not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            _("Placeholder tidak dikenal: %(unknown)s. Yang tersedia: %(known)s."),
            code="unknown_placeholder",
            params={
                "unknown": ", ".join("{" + field + "}" for field in unknown),
                "known": ", ".join("{" + field + "}" for field in PLACEHOLDERS),
            },
        )


class SignatoryBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Nama"), max_length=120)
    title = blocks.CharBlock(label=_("Jabatan"), max_length=160)
    signature = ImageChooserBlock(label=_("Gambar tanda tangan"), required=False)

    class Meta:
        icon = "user"
        label = _("Penanda tangan")


class CertificateTemplate(PreviewableMixin, RevisionMixin, models.Model):
    """The design of a certificate. Versioned: an issued certificate points at the revision it used.

    Previewable as a PDF with sample data: the admin's preview views render it
    (`certificates.admin_views.TemplatePreviewOnEdit` and its siblings), so that this model needs
    nothing of the services."""

    class PageSize(models.TextChoices):
        A4 = "A4", _("A4")
        LETTER = "letter", _("Letter")

    class Orientation(models.TextChoices):
        LANDSCAPE = "landscape", _("Lanskap")
        PORTRAIT = "portrait", _("Potret")

    name = models.CharField(_("nama"), max_length=200)
    page_size = models.CharField(
        _("ukuran kertas"), max_length=16, choices=PageSize.choices, default=PageSize.A4
    )
    orientation = models.CharField(
        _("orientasi"), max_length=16, choices=Orientation.choices, default=Orientation.LANDSCAPE
    )
    title = models.CharField(_("judul"), max_length=80, default="SERTIFIKAT")
    subtitle = models.CharField(
        _("subjudul"), max_length=160, blank=True, default="Pelatihan untuk Pelatih (TOT) Purna PMI"
    )
    issuer = models.CharField(
        _("penerbit"),
        max_length=200,
        default="BP2MI dan Manajemen Pelaksana Program Kartu Prakerja",
        help_text=_("Dicetak di sertifikat dan ditampilkan di halaman verifikasi."),
    )
    preamble = models.CharField(_("kalimat pembuka"), max_length=200, blank=True, default="diberikan kepada")
    body = models.TextField(
        _("isi"),
        help_text=_(
            "Placeholder yang tersedia: {name}, {course}, {hours}, {date}, {service_point}, {serial}, {code}."
        ),
        validators=[placeholders_validate],
        default=DEFAULT_BODY,
    )
    place = models.CharField(_("tempat penerbitan"), max_length=80, default="Jakarta")
    serial_prefix = models.CharField(
        _("awalan nomor seri"),
        max_length=12,
        default="TOT",
        help_text=_("Nomor seri: AWALAN/TAHUN/KODE-TITIK-LAYANAN/NOMOR, contoh TOT/2026/SP042/00017."),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("masa berlaku (bulan)"), null=True, blank=True, help_text=_("Kosongkan bila berlaku selamanya.")
    )
    background_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("gambar latar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    logo_left = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo kiri"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Kosongkan untuk logo program bawaan."),
    )
    logo_right = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo kanan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Kosongkan untuk logo program bawaan."),
    )
    signatories = StreamField(
        [("signatory", SignatoryBlock())],
        verbose_name=_("penanda tangan"),
        blank=True,
        max_num=3,
    )
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="certificatetemplate")

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [FieldPanel("page_size"), FieldPanel("orientation"), FieldPanel("background_image")],
            heading=_("Kertas"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldPanel("subtitle"),
                FieldPanel("issuer"),
                FieldPanel("preamble"),
                FieldPanel("body"),
                FieldPanel("place"),
            ],
            heading=_("Teks"),
        ),
        MultiFieldPanel([FieldPanel("logo_left"), FieldPanel("logo_right")], heading=_("Logo")),
        FieldPanel("signatories"),
        MultiFieldPanel([FieldPanel("serial_prefix"), FieldPanel("validity_months")], heading=_("Penomoran")),
    ]

    class Meta:
        verbose_name = _("templat sertifikat")
        verbose_name_plural = _("templat sertifikat")

    def __str__(self) -> str:
        return self.name

    @property
    def revisions(self):
        return self._revisions

    def clean(self) -> None:
        super().clean()
        if self.serial_prefix and not all(ch.isalnum() or ch in "-." for ch in self.serial_prefix):
            raise ValidationError(
                {
                    "serial_prefix": _(
                        "Awalan nomor seri hanya boleh berisi huruf, angka, titik dan tanda hubung."
                    )
                }
            )


class Certificate(models.Model):
    """An issued certificate. Never deleted: revoking is a status change."""

    class Status(models.TextChoices):
        VALID = "valid", _("berlaku")
        REVOKED = "revoked", _("dicabut")

    code = models.CharField(_("kode verifikasi"), max_length=24, unique=True)
    serial = models.CharField(_("nomor seri"), max_length=64)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelatih"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("kursus"), on_delete=models.PROTECT, related_name="certificates"
    )
    service_point = models.ForeignKey(
        "courses.ServicePoint",
        verbose_name=_("titik layanan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    template = models.ForeignKey(
        CertificateTemplate, verbose_name=_("templat"), on_delete=models.PROTECT, related_name="certificates"
    )
    template_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("versi templat"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    snapshot = models.JSONField(_("data tercetak"), default=dict)
    batch = models.ForeignKey(
        "certificates.IssuanceBatch",
        verbose_name=_("batch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diterbitkan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("diterbitkan pada"), default=timezone.now)
    expires_at = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    pdf = models.FileField(
        _("berkas PDF"), upload_to="certificates/%Y/%m/", max_length=200, storage=certificate_storage
    )
    pdf_sha256 = models.CharField(_("SHA-256 PDF"), max_length=64)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.VALID)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicabut oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revocation_reason = models.CharField(_("alasan pencabutan"), max_length=500, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("diganti oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )

    class Meta:
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainer", "course"],
                condition=models.Q(status="valid"),
                name="certificate_one_valid_per_trainer_course",
            ),
            models.UniqueConstraint(fields=["course", "serial"], name="certificate_serial_unique_per_course"),
        ]
        indexes = [models.Index(fields=["trainer", "status"], name="certificate_trainer_status")]

    def __str__(self) -> str:
        return f"{self.serial} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("certificates:verify_code", kwargs={"code": self.code})

    @property
    def holder_name(self) -> str:
        return self.snapshot.get("holder_name", "")

    @property
    def course_title(self) -> str:
        return self.snapshot.get("course_title", "")

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def public_status(self) -> str:
        """valid, expired or revoked: what the verification page and the API say."""
        if self.status == self.Status.REVOKED:
            return "revoked"
        if self.is_expired:
            return "expired"
        return "valid"

    @property
    def verify_url(self) -> str:
        return settings.BASE_URL + self.get_absolute_url()

    @property
    def download_url(self) -> str:
        return reverse("certificates:download", kwargs={"code": self.code})


class SerialCounter(models.Model):
    """The last serial number used per course and year; numbers are taken with an atomic UPDATE."""

    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "year"], name="serial_counter_course_year")]

    def __str__(self) -> str:
        return f"{self.course_id}/{self.year}: {self.last_number}"


class BatchCounts:
    """What a batch's counts say, for the whole batch (IssuanceBatch) or for the part of it in a
    coordinator's scope (certificates.selectors.BatchInScope): both have total, issued, skipped
    and failed."""

    total: int
    issued: int
    skipped: int
    failed: int

    @property
    def processed(self) -> int:
        return self.issued + self.skipped + self.failed

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.processed / self.total)


class IssuanceBatch(BatchCounts, models.Model):
    """Certificates for every trainer who completed a course (optionally some service points)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("menunggu")
        RUNNING = "running", _("berjalan")
        DONE = "done", _("selesai")
        DONE_WITH_ERRORS = "done_with_errors", _("selesai dengan galat")

    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("kursus"), on_delete=models.PROTECT, related_name="+"
    )
    service_points = models.ManyToManyField(
        "courses.ServicePoint",
        verbose_name=_("titik layanan"),
        blank=True,
        related_name="+",
        help_text=_("Kosongkan untuk semua titik layanan dalam cakupan Anda."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(_("jumlah"), default=0)
    issued = models.PositiveIntegerField(_("diterbitkan"), default=0)
    skipped = models.PositiveIntegerField(_("dilewati"), default=0)
    failed = models.PositiveIntegerField(_("gagal"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    started_at = models.DateTimeField(_("dimulai pada"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("batch penerbitan")
        verbose_name_plural = _("batch penerbitan")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} · {self.course_id} · {self.get_status_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.DONE_WITH_ERRORS)


class IssuanceBatchItem(models.Model):
    """One trainer of a batch. Its outcome is written in the same transaction as the certificate,
    so counts derived from these rows stay exact when a chunk is retried or redelivered."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("menunggu")
        ISSUED = "issued", _("diterbitkan")
        SKIPPED = "skipped", _("dilewati")
        FAILED = "failed", _("gagal")

    batch = models.ForeignKey(IssuanceBatch, on_delete=models.CASCADE, related_name="items")
    trainer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    certificate = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pelatih dalam batch")
        verbose_name_plural = _("pelatih dalam batch")
        constraints = [models.UniqueConstraint(fields=["batch", "trainer"], name="batch_item_once")]
        indexes = [models.Index(fields=["batch", "outcome"], name="batch_item_outcome")]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.trainer_id}: {self.outcome}"
