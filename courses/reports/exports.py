"""CSV and XLSX exports of a report table: the same rows and columns as on screen, numbers as
numbers. The CSV is streamed row by row; the XLSX is written by openpyxl's write-only workbook
(rows go straight to a temporary file), so memory stays flat whatever the number of rows."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from datetime import date, datetime

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from courses.reports.tables import Table

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A text cell starting with one of these would be read as a formula by a spreadsheet program.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _cell(value):
    """A cell's value for a spreadsheet: numbers and dates as they are, text defused."""
    if isinstance(value, datetime):
        # Spreadsheets hold no time zone: the local time, as on screen.
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    if value is None or isinstance(value, int | float | date):
        return value
    return _safe_text(str(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(table: Table) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that spreadsheet programs read the file as UTF-8
    yield writer.writerow(table.headers)
    for values in table.values():
        cells = []
        for value in values:
            value = _cell(value)
            if isinstance(value, datetime):
                value = value.strftime("%Y-%m-%d %H:%M")
            elif isinstance(value, date):
                value = value.isoformat()
            cells.append("" if value is None else value)
        yield writer.writerow(cells)


def _disposition(filename: str) -> str:
    return f'attachment; filename="{filename}"'


def csv_response(table: Table, *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(table), content_type=CSV_TYPE)
    response["Content-Disposition"] = _disposition(f"{filename}.csv")
    return response


def xlsx_write(table: Table, stream) -> None:
    """Write the table as a one-sheet workbook to a binary file object."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(table.title)[:31].replace("/", "-"))
    bold = Font(bold=True)
    header = []
    for text in table.headers:
        cell = WriteOnlyCell(sheet, value=_safe_text(text))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for values in table.values():
        row = []
        for value in values:
            value = _cell(value)
            if isinstance(value, datetime | date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(value, datetime) else "yyyy-mm-dd"
                row.append(cell)
            else:
                row.append(value)
        sheet.append(row)
    workbook.save(stream)


def xlsx_response(table: Table, *, filename: str) -> FileResponse:
    stream = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response once sent
    xlsx_write(table, stream)
    stream.seek(0)
    return FileResponse(stream, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE)
