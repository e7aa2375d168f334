"""What an API client may name and act on: ids sent as text, and lessons open to the API."""

from __future__ import annotations

from courses.models import LessonPage


def page_id_parse(raw) -> int | None:
    """A page or row id sent as text, or None. Only ASCII digits: str.isdigit() also accepts "²",
    which int() refuses, and a number too long for the database would crash the query."""
    raw = str(raw or "").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        return None
    return int(raw)


def lesson_open_to_api(*, lesson: LessonPage) -> bool:
    """Whether an API client (token, no session) may act on this lesson: it is live, neither it nor
    an ancestor has a view restriction, and its course is live. The same rule as the API's
    look-ups, for offline sync. Two queries (one when the course is resolved already)."""
    return bool(lesson.live and not lesson.get_view_restrictions().exists() and lesson.course.live)
