from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from courses.people.names import person_name_clean


class ServicePoint(index.Indexed, models.Model):
    """A titik layanan: a BP2MI office, an LTSA one-stop centre or a service counter."""

    class Kind(models.TextChoices):
        UPT_BP2MI = "upt_bp2mi", _("UPT BP2MI")
        LTSA = "ltsa", _("LTSA")
        COUNTER = "counter", _("Konter layanan")
        OTHER = "other", _("Lainnya")

    code = models.CharField(_("kode"), max_length=16, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices, default=Kind.UPT_BP2MI)
    province = models.CharField(_("provinsi"), max_length=100, db_index=True)
    city = models.CharField(_("kota/kabupaten"), max_length=100)
    address = models.TextField(_("alamat"), blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    search_fields = [
        index.SearchField("name"),
        index.SearchField("code"),
        index.SearchField("city"),
        index.AutocompleteField("name"),
        index.FilterField("province"),
        index.FilterField("kind"),
        index.FilterField("active"),
    ]

    class Meta:
        ordering = ["code"]
        verbose_name = _("titik layanan")
        verbose_name_plural = _("titik layanan")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class TrainerProfile(models.Model):
    """What the LMS knows of a trainer beyond the user account. No NIK is ever stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trainer_profile"
    )
    full_name = models.CharField(
        _("nama lengkap (dicetak di sertifikat)"),
        max_length=200,
        help_text=_("Nama persis seperti yang akan dicetak di sertifikat."),
    )
    phone = models.CharField(_("nomor telepon"), max_length=32, blank=True)
    service_point = models.ForeignKey(
        ServicePoint,
        verbose_name=_("titik layanan"),
        on_delete=models.PROTECT,
        related_name="trainers",
        null=True,
        blank=True,
    )

    class Meta:
        # The trainers area of the admin lists these as "Pelatih": the profile stands for the trainer.
        verbose_name = _("pelatih")
        verbose_name_plural = _("pelatih")

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        # the rule of the profile form, for the admin's form and any other full_clean()
        try:
            self.full_name = person_name_clean(name=self.full_name)
        except ValidationError as error:
            raise ValidationError({"full_name": error.error_list}) from None


class CoordinatorProfile(models.Model):
    """A coordinator's scope: some service points and/or whole provinces, or all of them for a
    national coordinator. `courses.people.scope.coordinator_scope` turns it into service points."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinator_profile"
    )
    is_national = models.BooleanField(_("koordinator nasional (semua titik layanan)"), default=False)
    service_points = models.ManyToManyField(
        ServicePoint, verbose_name=_("titik layanan"), blank=True, related_name="coordinators"
    )
    # Province names as ServicePoint.province spells them: every service point of these provinces
    # is in scope, including ones added later. A list (JSON) works on SQLite and PostgreSQL alike.
    provinces = models.JSONField(
        _("provinsi"),
        default=list,
        blank=True,
        help_text=_("Semua titik layanan di provinsi ini, termasuk yang ditambahkan kemudian."),
    )

    class Meta:
        verbose_name = _("profil koordinator")
        verbose_name_plural = _("profil koordinator")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


def private_storage():
    """Files with personal data that no media URL may serve (STORAGES["private"])."""
    return storages["private"]


class TrainerImport(models.Model):
    """One uploaded trainer spreadsheet: its check (counts and every problem), then its import in a
    background task, with progress. Written by `courses.people.imports.runs` only."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("Diperiksa")
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    class Stage(models.TextChoices):
        WAITING = "waiting", _("Menunggu giliran")
        READING = "reading", _("Membaca berkas")
        WRITING = "writing", _("Memeriksa ulang dan menyimpan pelatih")
        FINISHED = "finished", _("Selesai")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("diunggah pada"), auto_now_add=True)
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    file = models.FileField(
        _("berkas"), upload_to="trainer-imports/%Y/%m/", max_length=200, storage=private_storage
    )
    original_name = models.CharField(_("nama berkas"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CHECKED)
    stage = models.CharField(_("tahap"), max_length=16, choices=Stage.choices, default=Stage.WAITING)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    total = models.PositiveIntegerField(_("baris data"), default=0)
    to_create = models.PositiveIntegerField(_("akan dibuat"), default=0)
    to_update = models.PositiveIntegerField(_("akan diperbarui"), default=0)
    unchanged = models.PositiveIntegerField(_("tidak berubah"), default=0)
    created = models.PositiveIntegerField(_("dibuat"), default=0)
    updated = models.PositiveIntegerField(_("diperbarui"), default=0)
    invited = models.PositiveIntegerField(_("diundang"), default=0)
    # [{"line": 3, "column": "email", "message": "..."}], in row order
    problems = models.JSONField(_("masalah"), default=list, blank=True)
    # the first planned rows, for the preview table: [{"line", "action", "full_name", ...}]
    preview_rows = models.JSONField(_("contoh baris"), default=list, blank=True)
    message = models.TextField(_("pesan"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("impor pelatih")
        verbose_name_plural = _("impor pelatih")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def can_confirm(self) -> bool:
        return (
            self.status == self.Status.CHECKED and not self.problems and not self.message and bool(self.file)
        )
