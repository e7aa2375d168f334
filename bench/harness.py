"""What the page benchmarks share: Django on a throw-away database (a temporary SQLite file, or a
`test_<name>` copy on the configured server, dropped at the end) and the median server time and
query count of a page through Django's test Client."""

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path


def setup_django(database_url: str = "", *, prefix: str = "lms-bench-") -> tuple[str, str | None]:
    """Point Django at a throw-away database before settings are read. Returns (label, sqlite path)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.test"
    os.environ["TEST_MEDIA_ROOT"] = tempfile.mkdtemp(prefix=f"{prefix}media-")
    sqlite_path = None
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    if not os.environ.get("DATABASE_URL"):
        handle, sqlite_path = tempfile.mkstemp(prefix=prefix, suffix=".sqlite3")
        os.close(handle)
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_path}"
    import warnings

    import django

    warnings.filterwarnings("ignore")
    django.setup()
    return os.environ["DATABASE_URL"].split(":", 1)[0], sqlite_path


def database_create(sqlite_path: str | None) -> tuple[object, float]:
    """Migrate the throw-away database. Never touches the configured database itself: on a server
    it creates a test_<name> copy. Returns (what `database_drop` needs, seconds taken)."""
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    test_db = None
    if sqlite_path:
        call_command("migrate", verbosity=0, interactive=False)
    else:
        test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    return test_db, time.perf_counter() - started


def database_drop(test_db, sqlite_path: str | None) -> None:
    """Drop what `database_create` made, and the uploaded media of the run."""
    from django.conf import settings
    from django.db import connection

    if test_db is not None:
        connection.creation.destroy_test_db(test_db, verbosity=0)
    if sqlite_path:
        connection.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(sqlite_path + suffix).unlink(missing_ok=True)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def measure(client, url: str, requests: int) -> dict:
    """Median (and slowest) server time and query count of `requests` GETs after one warm-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = client.get(url)  # warm caches (site root paths, templates)
    if first.status_code != 200:
        error = ""
        try:
            client.raise_request_exception = True
            client.get(url)
        except Exception as exc:  # noqa: BLE001 - reported, not handled
            error = f"{type(exc).__name__}: {exc}"[:200]
        finally:
            client.raise_request_exception = False
        return {"status": first.status_code, "error": error}
    times, counts = [], []
    size = len(first.content)
    for _ in range(requests):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
        times.append(elapsed * 1000)
        counts.append(len(queries))
        size = len(response.content)
    return {
        "status": response.status_code,
        "ms": statistics.median(times),
        "max_ms": max(times),
        "queries": int(statistics.median(counts)),
        "queries_range": (min(counts), max(counts)),
        "kb": size / 1024,
    }
