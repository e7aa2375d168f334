"""Invitations: a one-time link with which a new trainer sets their first password.

The token is Django's password-reset token with its own salt and lifetime
(`TRAINER_INVITATION_DAYS`): it hashes the account's password, so it stops working as soon as a
password is set (one-time), and after the lifetime. A password-reset link cannot be used as an
invitation, nor the other way round.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode


def invitation_days() -> int:
    return int(getattr(settings, "TRAINER_INVITATION_DAYS", 7))


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "courses.people.invitations.InvitationTokenGenerator"

    def check_token(self, user, token) -> bool:
        """As Django's check, with the invitation's lifetime instead of PASSWORD_RESET_TIMEOUT."""
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return (self._num_seconds(self._now()) - ts) <= invitation_days() * 24 * 3600


invitation_token_generator = InvitationTokenGenerator()


@dataclass(frozen=True)
class Invitation:
    """A link for one user; `url` is absolute when BASE_URL is set, else a path.

    `shareable`: whether the screen may show the link (and its QR code) to the coordinator who sent
    it. Only while the account has never had a password: afterwards the link would let whoever
    sees it take over the trainer's account, so it goes to the trainer's e-mail only."""

    path: str
    url: str
    expires_at: datetime
    shareable: bool


def invitation_make(*, user) -> Invitation:
    """A fresh invitation link for `user` (no writes). Each call gives a new link; every link
    made for the user works until one of them is used or it expires."""
    path = reverse(
        "trainer_invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token_generator.make_token(user),
        },
    )
    return Invitation(
        path=path,
        # Links that leave the site come from BASE_URL, never from a request's Host header.
        url=f"{settings.BASE_URL}{path}",
        expires_at=timezone.now() + timedelta(days=invitation_days()),
        shareable=not user.has_usable_password(),
    )


def invitation_email_send(*, user_id: int) -> bool:
    """E-mail a trainer a fresh invitation link. Sends nothing when the user is gone, inactive or
    has no e-mail address; returns whether a message was sent. A trainer who already has a
    password may be invited again: the link then replaces a forgotten password.
    Not idempotent: a redelivered task sends another valid link (harmless)."""
    User = get_user_model()
    user = User._default_manager.select_related("trainer_profile").filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    profile = getattr(user, "trainer_profile", None)
    invitation = invitation_make(user=user)
    context = {
        "user": user,
        "name": profile.full_name if profile else user.get_full_name() or user.get_username(),
        "invitation": invitation,
        "days": invitation_days(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("registration/invitation_subject.txt", context)
        body = render_to_string("registration/invitation_email.txt", context)
    send_mail("".join(subject.splitlines()), body, None, [user.email])
    return True
