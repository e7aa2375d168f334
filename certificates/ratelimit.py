"""A small fixed-window rate limit per client IP, kept in Django's cache."""

import hashlib

from django.core.cache import cache
from django.utils import timezone

from lms.client_address import client_network

VERIFY_LIMIT = 30  # requests
VERIFY_WINDOW = 60  # seconds


def rate_limit_exceeded(request, *, scope: str, limit: int | None = None, window: int | None = None) -> bool:
    """Count this request; True when the client went over `limit` requests in the current window."""
    limit = VERIFY_LIMIT if limit is None else limit
    window = VERIFY_WINDOW if window is None else window
    bucket = int(timezone.now().timestamp()) // window
    ip_hash = hashlib.sha256((client_network(request) or "unknown").encode()).hexdigest()[:16]
    key = f"ratelimit:{scope}:{ip_hash}:{bucket}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count > limit
