"""Sign-in with a username or an e-mail address, behind the lock-out of courses.accounts.sign_in_limits.

Every sign-in goes through here (the web form, `POST /api/v1/auth/token`, the Wagtail admin's
login), so this is the one place that asks whether an attempt is allowed and records its outcome.
A refused attempt leaves the lock-out on `request.sign_in_lockout` for the caller's answer.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from courses.accounts.sign_in_limits import (
    sign_in_account_key,
    sign_in_failure_record,
    sign_in_lockout_get,
    sign_in_success_record,
)
from lms.client_address import client_network


class EmailOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        # str.strip() also removes tabs and newlines; case is ignored, so each spelling of an
        # account reaches the same user and the same failure counter.
        identifier = username.strip()
        if "@" in identifier:
            user = User.objects.filter(email__iexact=identifier).order_by("pk").first()
        else:
            user = User.objects.filter(username__iexact=identifier).order_by("pk").first()
        account_key = sign_in_account_key(identifier=identifier, user_id=user.pk if user else None)
        ip = client_network(request)

        lockout = sign_in_lockout_get(account_key=account_key, ip=ip)
        if lockout is None:
            if user is None:
                # Same cost as a real check, so timing does not tell which accounts exist.
                User().set_password(password)
            elif user.check_password(password) and self.user_can_authenticate(user):
                sign_in_success_record(account_key=account_key, ip=ip)
                return user
            lockout = sign_in_failure_record(account_key=account_key, ip=ip)
        if lockout is not None:
            if request is not None:
                request.sign_in_lockout = lockout
            # Stops django.contrib.auth.authenticate() from trying any other backend.
            raise PermissionDenied
        return None
