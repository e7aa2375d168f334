from django.conf import settings
from django.core.exceptions import ValidationError
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
        verbose_name = _("profil pelatih")
        verbose_name_plural = _("profil pelatih")

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
