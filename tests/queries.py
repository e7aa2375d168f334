"""Exact query counts in tests: a new query on a hot page is a visible decision, not an accident."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextmanager
def assert_database_query_count(count: int, *, label: str = "") -> Iterator[CaptureQueriesContext]:
    """Assert that the block runs exactly `count` queries; on a difference, list the queries run.

    with assert_database_query_count(7, label="dasbor"):
        client.get("/dashboard/")
    """
    with CaptureQueriesContext(connection) as queries:
        yield queries
    actual = len(queries.captured_queries)
    if actual != count:
        listing = "\n".join(
            f"{number:>3}. {query['sql']}" for number, query in enumerate(queries.captured_queries, start=1)
        )
        name = f" ({label})" if label else ""
        raise AssertionError(f"{actual} queries run{name}, {count} expected:\n{listing}")
