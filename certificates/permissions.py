"""Who may issue, revoke and download certificates. Editors never may (unless superusers)."""

from certificates.models import Certificate
from courses.people.scope import coordinator_can_see_trainer, is_coordinator


def user_can_manage_certificates(user) -> bool:
    """Coordinators (and superusers) issue, re-issue and revoke; content editors do not."""
    return is_coordinator(user)


def user_can_manage_trainer(user, trainer) -> bool:
    return coordinator_can_see_trainer(user, trainer)


def user_can_download(user, certificate: Certificate) -> bool:
    """The holder, or a coordinator of the holder's service point."""
    if not user.is_authenticated or not user.is_active:
        return False
    if certificate.trainer_id == user.pk:
        return True
    return coordinator_can_see_trainer(user, certificate.trainer)
