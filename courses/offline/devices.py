"""The device side of offline learning: which key names a trainer's storage on a device."""

from django.utils.crypto import salted_hmac

USER_KEY_SALT = "courses.offline.user-key"


def offline_user_key(*, user) -> str:
    """The name of the signed-in user's caches and database in the browser: stable for the user,
    unguessable from outside (so the storage's names say nothing of whose it is), and different
    for every user, so that one trainer's saved pages are never served to another."""
    return salted_hmac(USER_KEY_SALT, str(user.pk)).hexdigest()[:20]
