"""The shared cache of published content: what a lesson page shows every reader alike (the
course's outline, the lesson's ancestors, its data cost and its rendered body, quizzes aside), kept
in the configured cache (Redis in production) so that a lesson page reads from the database only
what belongs to the reader.

Every entry is keyed by the *content version*: one number in the cache that every change to a
page (save, publish, unpublish, move, delete), a view restriction, a site, an image or a document
moves on, when it happens and again after its transaction commits (courses.receivers). So nothing
is served from before an edit, and a reader that filled an entry between the change and its commit
is not read again. Entries also expire after `CONTENT_CACHE_SECONDS`, which bounds how long a
process-local cache (local memory: development and tests only; production refuses it) could
serve an edit made in another process.

`settings.LESSON_CACHE` (environment `LESSON_CACHE`, on unless `0`) switches all of it off: every
page is then built from the database on every request (bench/load.py measures both ways)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from wagtail.models import PageViewRestriction, Site

T = TypeVar("T")

VERSION_KEY = "courses:content-version"
_MISSING = object()


def enabled() -> bool:
    return bool(getattr(settings, "LESSON_CACHE", True))


def timeout() -> int:
    return int(getattr(settings, "CONTENT_CACHE_SECONDS", 600))


def version() -> int:
    """The current content version. A cache that lost it (flushed, evicted) starts again from the
    clock, never from a number that old entries were keyed with."""
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        current = cache.get(VERSION_KEY, 0)
    return current


def _increment() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not in the cache (any more): a fresh number does the same
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def version_bump() -> None:
    """Move the content version on, now and after the current transaction commits: a reader
    that filled an entry from the old rows while the change was not yet committed keyed it with
    the version in between, which nobody reads after the commit."""
    _increment()
    transaction.on_commit(_increment)


def key(kind: str, *parts, current: int | None = None) -> str:
    return ":".join(["courses", kind, str(version() if current is None else current), *map(str, parts)])


def get_or_build(kind: str, parts: tuple, build: Callable[[], T], *, current: int | None = None) -> T:
    """The cached value of `build()` for `kind` and `parts` at the current content version; built
    (and stored) when missing, and always built when the cache is switched off."""
    if not enabled():
        return build()
    entry_key = key(kind, *parts, current=current)
    value = cache.get(entry_key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(entry_key, value, timeout())
    return value


def get_many_or_build(
    kind: str, ids: list, build: Callable[[list], dict], *, current: int | None = None
) -> dict:
    """Like get_or_build for several ids at once: one cache read, and `build(missing_ids)` (a dict
    by id) once for those not cached."""
    if not enabled():
        return build(ids)
    current = version() if current is None else current
    keys = {entry_id: key(kind, entry_id, current=current) for entry_id in ids}
    found = cache.get_many(list(keys.values()))
    values = {entry_id: found[entry_key] for entry_id, entry_key in keys.items() if entry_key in found}
    missing = [entry_id for entry_id in ids if entry_id not in values]
    if missing:
        built = build(missing)
        cache.set_many({keys[entry_id]: value for entry_id, value in built.items()}, timeout())
        values.update(built)
    return values


def site_for_request(request):
    """The Wagtail site of a request with its root page (specific) loaded, from the cache: the
    three queries Wagtail makes on every page request (site, root page, its specific type)."""

    def build():
        site = Site.find_for_request(request)
        if site is not None:
            # Load what routing reads, so that it is pickled along: the root page and its
            # specific page (a cached property of the page).
            site.root_page.localized.specific  # noqa: B018
        return site

    return get_or_build("site", (request.get_host(), request.get_port()), build)


def restricted_paths() -> frozenset[str]:
    """The tree paths of the pages that carry a view restriction, and of the aliases of such pages
    (an alias has its source's restrictions). A page none of whose ancestors is among them has no
    restriction to check. One query when not cached."""

    def build() -> frozenset[str]:
        rows = PageViewRestriction.objects.values_list("page__path", "page__aliases__path")
        return frozenset(path for row in rows for path in row if path)

    return get_or_build("restricted-paths", (), build)
