"""Trainer import benchmark: read, check and import a spreadsheet of --rows trainers.

    .venv/bin/python bench/trainer_import.py [--rows 5000] [--database-url URL] [--format xlsx|csv] [--quick]

In a throw-away database (a temporary SQLite file by default, or --database-url, which is migrated
and written to: use an empty one), with 92 service points: the time and the peak Python memory
(tracemalloc) of each step (reading the file, checking every row, the one-transaction import, the
same file again with every row unchanged), the queries of the import, and the process's peak RSS.
Invitations are queued on the embedded broker, not sent (sending is the worker's job).
"""

import argparse
import io
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _measure(label: str, function, *, memory_again: bool = True):
    """Time a step without tracing (tracemalloc slows Python down several times), then, when the
    step can run twice, its peak Python memory in a second, traced run."""
    rss_before = _peak_rss_mib()
    started = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - started
    memory = f"peak RSS now {_peak_rss_mib():.0f} MiB (+{_peak_rss_mib() - rss_before:.0f})"
    if memory_again:
        tracemalloc.start()
        function()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        memory = f"peak Python memory {peak / 2**20:6.1f} MiB"
    print(f"{label:<30} {elapsed * 1000:8.0f} ms   {memory}", flush=True)
    return result, elapsed


def _letters(n: int) -> str:
    """0 → "Aaa", 1 → "Aab" …: names of letters only, as the certificate's name rule wants."""
    word = ""
    for _ in range(3):
        n, rest = divmod(n, 26)
        word = chr(ord("a") + rest) + word
    return word.capitalize()


def spreadsheet(rows: int, codes: list[str], format_: str) -> bytes:
    header = ["Nama Lengkap", "Email", "No HP", "Kode Titik Layanan"]
    data = [
        [
            f"Pelatih {_letters(n)} Uji",
            f"pelatih.uji{n:05d}@example.org",
            f"0812{n:08d}",
            codes[n % len(codes)],
        ]
        for n in range(rows)
    ]
    if format_ == "csv":
        return ("\r\n".join(";".join(row) for row in [header, *data]) + "\r\n").encode("utf-8")
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    for row in data:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--quick", action="store_true", help="500 rows (CI)")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    # `make bench BENCH_ARGS=…` passes the same arguments to every benchmark
    args, ignored = parser.parse_known_args()
    if ignored:
        print(f"ignored: {' '.join(ignored)}")
    if args.quick:
        args.rows = 500

    tmp = Path(tempfile.mkdtemp(prefix="bench-import-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
            "DEBUG": "0",
            "DATABASE_URL": args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}",
            "MEDIA_ROOT": str(tmp / "media"),
            "PRIVATE_MEDIA_ROOT": str(tmp / "private"),
            "CELERY_BROKER_URL": "filesystem://",
            "CELERY_DATA_DIR": str(tmp / "celery"),
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses.models import ServicePoint, TrainerProfile
    from courses.people.imports.checks import sheet_check
    from courses.people.imports.reading import sheet_read
    from courses.people.imports.runs import sheet_import

    call_command("migrate", verbosity=0)
    for n in range(1, 93):
        ServicePoint.objects.get_or_create(
            code=f"SP{n:03d}",
            defaults={"name": f"UPT BP2MI {n}", "province": "Jawa Timur", "city": "Surabaya"},
        )
    codes = [f"SP{n:03d}" for n in range(1, 93)]
    content = spreadsheet(args.rows, codes, args.format)
    print(
        f"{args.rows} rows, {args.format.upper()} of {len(content) / 1024:.0f} KiB, "
        f"database {connection.vendor}",
        flush=True,
    )

    sheet, read_s = _measure(
        "read the file", lambda: sheet_read(content=content, filename=f"b.{args.format}")
    )
    preview, check_s = _measure("check every row (preview)", lambda: sheet_check(sheet=sheet, by=None))
    assert preview.ok, preview.problems[:3]
    with CaptureQueriesContext(connection) as queries:
        outcome, import_s = _measure(
            "import (one transaction)", lambda: sheet_import(sheet=sheet, by=None), memory_again=False
        )
    print(f"{'':<34} {len(queries)} queries, {outcome.created} created, {outcome.invited} invitations queued")
    again, again_s = _measure(
        "import the same file again",
        lambda: sheet_import(sheet=sheet_read(content=content, filename=f"b.{args.format}"), by=None),
    )
    assert again.created == 0 and again.updated == 0
    print(f"{'':<34} {again.preview.counts['unchanged']} unchanged")
    assert TrainerProfile.objects.count() >= args.rows
    print(
        f"read + check + import: {read_s + check_s + import_s:.2f} s; process peak RSS {_peak_rss_mib():.0f} MiB"
    )


if __name__ == "__main__":
    main()
