from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Sertifikat")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from certificates import rendering, signals  # noqa: F401  (connects the receivers)

        rendering.harfbuzz_subset_check()
        checks.register(harfbuzz_subset_system_check, "certificates")


def harfbuzz_subset_system_check(app_configs=None, **kwargs) -> list:
    from certificates import rendering

    if rendering.harfbuzz_subset_available():
        return []
    return [
        checks.Warning(
            rendering.HARFBUZZ_WARNING,
            hint="apt-get install libharfbuzz-subset0",
            id="certificates.W001",
        )
    ]
