"""Limits on guessing passwords: sign-in lock-out and password-reset e-mails.

Sign-in failures are counted per *account* and per client IP, whatever spelling of the account was
typed: the sign-in backend (courses.accounts.backends) resolves " CONC2", "\\tconc2" or the e-mail address to
the same user, and that user is the key. An identifier that matches no account is counted under
its normalised spelling, so guessing unknown names costs the same as guessing real ones. Per IP,
both the number of failures and the number of different accounts failed against (password
spraying) are limited; both limits are higher than the per-account one, because a service point
puts many trainers behind one NAT'd address.

All counters live in Django's cache (``CACHE_URL`` = Redis shares them between processes; the
default local-memory cache keeps them per process). Every limit is a setting:

- ``SIGN_IN_ACCOUNT_FAILURE_LIMIT``: failures that lock one account;
- ``SIGN_IN_IP_FAILURE_LIMIT``: failures that lock one client address;
- ``SIGN_IN_IP_ACCOUNT_LIMIT``: different accounts one address may fail against;
- ``SIGN_IN_LOCKOUT_MINUTES``: how long failures are remembered and a lock-out lasts;
- ``PASSWORD_RESET_EMAIL_LIMIT`` / ``PASSWORD_RESET_IP_LIMIT`` per ``PASSWORD_RESET_WINDOW_MINUTES``.

django-axes is not used: it counts per raw username and cannot give the IP a higher limit than
the account, nor count the accounts sprayed from one address.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

KEY_PREFIX = "signin"


@dataclass(frozen=True)
class Lockout:
    """A refusal: sign-in is locked for `retry_after` more seconds."""

    retry_after: int

    @property
    def minutes(self) -> int:
        return max(1, -(-self.retry_after // 60))


def _digest(value: str) -> str:
    # Cache keys of a fixed length and alphabet, whatever the client typed (spaces, NUL, non-ASCII).
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _window_seconds() -> int:
    return int(settings.SIGN_IN_LOCKOUT_MINUTES * 60)


def sign_in_account_key(*, identifier: str, user_id: int | None) -> str:
    """The counter key of an account: the resolved user, or the normalised spelling of an
    identifier that matches nobody."""
    if user_id is not None:
        return f"user:{user_id}"
    return f"name:{_digest(identifier.strip().casefold())}"


def _lock_remaining(key: str) -> int | None:
    until = cache.get(f"{KEY_PREFIX}:lock:{key}")
    if until is None:
        return None
    remaining = int(until - time.time())
    return remaining if remaining > 0 else None


def _lock(key: str) -> None:
    window = _window_seconds()
    cache.set(f"{KEY_PREFIX}:lock:{key}", time.time() + window, timeout=window)


def _count(key: str, *, timeout: int) -> int:
    """Add one to a counter that expires `timeout` seconds after its first count."""
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:
        # Expired between add and incr.
        cache.set(key, 1, timeout=timeout)
        return 1


def sign_in_lockout_get(*, account_key: str, ip: str) -> Lockout | None:
    """The lock-out that refuses this attempt, or None when it may go on. Reads only."""
    keys = [f"account:{account_key}"]
    if ip:
        keys.append(f"ip:{_digest(ip)}")
    remaining = [seconds for key in keys if (seconds := _lock_remaining(key)) is not None]
    return Lockout(retry_after=max(remaining)) if remaining else None


def sign_in_failure_record(*, account_key: str, ip: str) -> Lockout | None:
    """Count one failed sign-in against the account and the client address; lock whichever went
    over its limit. Returns the lock-out now in force, if any. Not idempotent: one call per
    failed attempt."""
    window = _window_seconds()
    account = f"account:{account_key}"
    if _count(f"{KEY_PREFIX}:failures:{account}", timeout=window) >= settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT:
        _lock(account)
    if ip:
        ip_key = f"ip:{_digest(ip)}"
        failures = _count(f"{KEY_PREFIX}:failures:{ip_key}", timeout=window)
        # A new account for this address counts once towards the spraying limit.
        if cache.add(f"{KEY_PREFIX}:sprayed:{ip_key}:{_digest(account_key)}", 1, timeout=window):
            accounts = _count(f"{KEY_PREFIX}:accounts:{ip_key}", timeout=window)
        else:
            accounts = cache.get(f"{KEY_PREFIX}:accounts:{ip_key}", 0)
        if failures >= settings.SIGN_IN_IP_FAILURE_LIMIT or accounts >= settings.SIGN_IN_IP_ACCOUNT_LIMIT:
            _lock(ip_key)
    return sign_in_lockout_get(account_key=account_key, ip=ip)


def sign_in_success_record(*, account_key: str, ip: str) -> None:
    """A successful sign-in clears the account's failures, and no longer counts the account as
    one sprayed from this address (a trainer who mistyped once is not an attack). The address's
    own failure count stays. Idempotent."""
    cache.delete(f"{KEY_PREFIX}:failures:account:{account_key}")
    if ip:
        ip_key = f"ip:{_digest(ip)}"
        if cache.delete(f"{KEY_PREFIX}:sprayed:{ip_key}:{_digest(account_key)}"):
            with contextlib.suppress(ValueError):  # the counter expired meanwhile
                cache.decr(f"{KEY_PREFIX}:accounts:{ip_key}")


def password_reset_allowed(*, email: str, ip: str) -> bool:
    """Count one password-reset request for this address and client; False when either went over
    its limit in the current window, in which case no e-mail may be sent. Counts whether or not an
    account has this address, so the answer tells nothing. Not idempotent: one call per request."""
    window = int(settings.PASSWORD_RESET_WINDOW_MINUTES * 60)
    bucket = int(time.time()) // window
    by_email = _count(
        f"{KEY_PREFIX}:reset:email:{_digest(email.strip().casefold())}:{bucket}", timeout=window + 5
    )
    by_ip = _count(f"{KEY_PREFIX}:reset:ip:{_digest(ip)}:{bucket}", timeout=window + 5) if ip else 0
    return by_email <= settings.PASSWORD_RESET_EMAIL_LIMIT and by_ip <= settings.PASSWORD_RESET_IP_LIMIT
