"""Reading a trainer spreadsheet (CSV or XLSX) into rows of text, whatever its encoding, delimiter
or header language. Pure: bytes in, rows out, no database.

A file that cannot be read at all raises `ImportFileError` with a message for the coordinator; a
readable file gives a `Sheet` whose header problems (a missing column) are in `problems`.
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FULL_NAME = "full_name"
EMAIL = "email"
PHONE = "phone"
SERVICE_POINT_CODE = "service_point_code"
FIELDS = (FULL_NAME, EMAIL, PHONE, SERVICE_POINT_CODE)
REQUIRED_FIELDS = (FULL_NAME, EMAIL, SERVICE_POINT_CODE)

# How a column may be titled, after `header_key` (lower case, punctuation and spacing folded).
HEADER_ALIASES: dict[str, str] = {
    alias: name
    for name, aliases in {
        FULL_NAME: ("full name", "fullname", "name", "nama lengkap", "nama", "nama pelatih"),
        EMAIL: ("email", "e mail", "surel", "alamat email", "alamat e mail", "alamat surel"),
        PHONE: (
            "phone",
            "phone number",
            "telepon",
            "telpon",
            "telp",
            "nomor telepon",
            "no telepon",
            "no telp",
            "nomor telp",
            "hp",
            "no hp",
            "nomor hp",
            "whatsapp",
            "no wa",
            "nomor wa",
        ),
        SERVICE_POINT_CODE: (
            "service point code",
            "service point",
            "kode titik layanan",
            "titik layanan",
            "kode tl",
            "kode titik",
        ),
    }.items()
    for alias in aliases
}

COLUMN_LABELS = {
    FULL_NAME: gettext_lazy("nama lengkap"),
    EMAIL: gettext_lazy("e-mail"),
    PHONE: gettext_lazy("telepon"),
    SERVICE_POINT_CODE: gettext_lazy("kode titik layanan"),
}

XLSX_MAGIC = b"PK\x03\x04"
XLSX_MAX_UNPACKED_FACTOR = 20  # a real sheet of text unpacks to 5–10 times its .xlsx size
# Cells read per allowed row, on average: a list of trainers has four to a dozen columns. Each
# cell costs openpyxl tens of microseconds, so this bounds the time of the upload's request.
XLSX_MAX_CELLS_PER_ROW = 30
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls of Excel 97–2003
BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# Text that no spreadsheet program writes into a CSV cell: what binary files decode to.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ImportFileError(Exception):
    """The file as a whole cannot be imported; `message` says why, in Indonesian."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    """One problem of an import: `line` is the row number a spreadsheet program shows (the header
    is row 1), `column` the column's name; either is None when the problem is not about one."""

    line: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class Row:
    line: int
    full_name: str
    email: str
    phone: str
    service_point_code: str


@dataclass
class Sheet:
    """A readable file: its rows as text, the header as written for each field, and the problems
    of the header (missing or repeated columns)."""

    format: str
    rows: list[Row]
    headers: dict[str, str]
    problems: list[Problem] = field(default_factory=list)


def max_bytes() -> int:
    return int(getattr(settings, "TRAINER_IMPORT_MAX_BYTES", 5 * 1024 * 1024))


def max_rows() -> int:
    return int(getattr(settings, "TRAINER_IMPORT_MAX_ROWS", 10_000))


def header_key(title) -> str:
    """ "Nama  Lengkap", "NAMA_LENGKAP", "No. HP", "E-mail" → "nama lengkap", "no hp", "e mail"."""
    text = unicodedata.normalize("NFKC", str(title or "")).replace("\ufeff", "").casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def cell_text(value) -> str:
    """A cell as the text a person typed: 81234567890.0 → "81234567890", dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def sheet_read(*, content: bytes, filename: str = "") -> Sheet:
    """Read a CSV or XLSX file (told apart by content, not by name). Raises ImportFileError for a
    file too big, empty, without data rows, with too many rows, in an unknown encoding, or that is
    no spreadsheet at all."""
    if len(content) > max_bytes():
        raise ImportFileError(
            _(
                "Berkas terlalu besar (%(size)s KB). Batasnya %(limit)s KB; bagi berkas menjadi beberapa bagian."
            )
            % {"size": f"{len(content) // 1024:,}", "limit": f"{max_bytes() // 1024:,}"}
        )
    if not content.strip():
        raise ImportFileError(_("Berkas kosong."))
    if content.startswith(OLE_MAGIC):
        raise ImportFileError(
            _("Berkas Excel lama (.xls) tidak didukung. Simpan sebagai .xlsx atau CSV, lalu unggah lagi.")
        )
    if content.startswith(XLSX_MAGIC):
        table, format_ = _xlsx_rows(content), "xlsx"
    elif filename.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFileError(
            _("Berkas ini bukan spreadsheet XLSX yang utuh. Simpan ulang dari Excel, lalu unggah lagi.")
        )
    else:
        table, format_ = _csv_rows(content), "csv"
    return _sheet_from_table(table, format_)


def _not_a_spreadsheet() -> ImportFileError:
    return ImportFileError(
        _(
            "Berkas ini bukan spreadsheet yang dikenali. Unggah berkas CSV atau XLSX (Excel, LibreOffice, Google Sheets)."
        )
    )


def _decode(content: bytes) -> str:
    for bom, encoding in BOMS:
        if content.startswith(bom):
            try:
                return content.decode(encoding)
            except UnicodeDecodeError:
                raise ImportFileError(
                    _("Isi berkas tidak sesuai dengan penyandian (encoding) %(encoding)s yang ditandainya.")
                    % {"encoding": encoding.upper().removesuffix("-SIG")}
                ) from None
    if b"\x00" in content:
        # UTF-16 without its byte-order mark, or a binary file: neither can be read reliably.
        raise ImportFileError(
            _(
                "Penyandian (encoding) berkas tidak dikenali. Simpan sebagai “CSV UTF-8” dari Excel atau "
                "LibreOffice, lalu unggah lagi."
            )
        )
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        # What Excel on Windows writes for "CSV": Windows-1252; Latin-1 takes every other byte.
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError:
            return content.decode("latin-1")


def _csv_rows(content: bytes) -> list[list[str]]:
    text = _decode(content)
    if _CONTROL.search(text):
        raise _not_a_spreadsheet()
    sample = text[: 64 * 1024]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        first = sample.splitlines()[0] if sample.splitlines() else ""
        dialect = csv.excel
        for delimiter in (";", "\t", "|"):
            if first.count(delimiter) > first.count(","):
                dialect = type("Sniffed", (csv.excel,), {"delimiter": delimiter})
                break
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    table, filled = [], 0
    try:
        for row in reader:
            table.append([cell.strip() for cell in row])
            filled += any(table[-1])
            if filled > max_rows() + 1:
                break  # the header and more data rows than allowed: enough to refuse the file
    except csv.Error:
        raise _not_a_spreadsheet() from None
    return table


def _xlsx_unpacked_size_check(content: bytes) -> None:
    """Refuse a workbook that unpacks to far more than any real list of trainers (a "zip bomb"):
    openpyxl keeps a workbook's shared strings in memory, whatever the sheet's size."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # openpyxl says what is wrong with it
    if unpacked > XLSX_MAX_UNPACKED_FACTOR * max_bytes():
        raise ImportFileError(
            _("Isi spreadsheet XLSX ini jauh lebih besar dari daftar pelatih mana pun; berkas ditolak.")
        )


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    _xlsx_unpacked_size_check(content)
    try:
        # read-only streams the sheet; formulas stay as their text ("=…"), never evaluated
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        # also an OpenDocument sheet (.ods), which is a ZIP too
        raise ImportFileError(
            _(
                "Berkas ini bukan spreadsheet XLSX yang utuh. Simpan ulang dari Excel atau LibreOffice sebagai "
                ".xlsx atau CSV, lalu unggah lagi."
            )
        ) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise _not_a_spreadsheet()
        # Read to the sheet's real end, not to the size the file states: some programs state it
        # wrong, and read-only openpyxl would silently drop every row beyond it.
        sheet.reset_dimensions()
        table, filled, blank_run, cells = [], 0, 0, 0
        for values in sheet.iter_rows(values_only=True):
            cells += len(values)
            if cells > XLSX_MAX_CELLS_PER_ROW * (max_rows() + 1):
                raise ImportFileError(
                    _(
                        "Spreadsheet ini memuat terlalu banyak kolom atau sel untuk daftar pelatih. "
                        "Simpan hanya kolom nama lengkap, e-mail, telepon dan kode titik layanan."
                    )
                )
            row = [cell_text(value) for value in values]
            blank_run = blank_run + 1 if not any(row) else 0
            if blank_run > 1000:
                break  # formatted but empty rows to the end of the sheet
            table.append(row)
            filled += any(row)
            if filled > max_rows() + 1:
                break  # the header and more data rows than allowed: enough to refuse the file
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001  a damaged sheet can fail anywhere inside openpyxl
        raise ImportFileError(
            _("Isi spreadsheet XLSX rusak dan tidak bisa dibaca. Simpan ulang dari Excel, lalu unggah lagi.")
        ) from None
    finally:
        workbook.close()
    return table


def _sheet_from_table(table: list[list[str]], format_: str) -> Sheet:
    rows_with_lines = [(line, row) for line, row in enumerate(table, start=1) if any(row)]
    if not rows_with_lines:
        raise ImportFileError(_("Berkas kosong."))
    header_line, header = rows_with_lines[0]
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    problems: list[Problem] = []
    for index, title in enumerate(header):
        name = HEADER_ALIASES.get(header_key(title))
        if name is None:
            continue
        if name in positions:
            problems.append(
                Problem(
                    header_line,
                    title,
                    _("Kolom %(column)s muncul dua kali (“%(first)s” dan “%(second)s”).")
                    % {"column": COLUMN_LABELS[name], "first": headers[name], "second": title},
                )
            )
            continue
        positions[name] = index
        headers[name] = title
    missing = [name for name in REQUIRED_FIELDS if name not in positions]
    if len(missing) == len(REQUIRED_FIELDS):
        raise ImportFileError(
            _(
                "Baris pertama berkas harus judul kolom: full_name, email, phone, service_point_code "
                "(atau nama lengkap, email, telepon, kode titik layanan). Judul yang ditemukan: %(found)s."
            )
            % {"found": ", ".join(f"“{title}”" for title in header if title)[:300] or "-"}
        )
    for name in missing:
        problems.append(
            Problem(
                header_line,
                None,
                _("Kolom wajib %(column)s tidak ada. Judul yang diterima: %(aliases)s.")
                % {
                    "column": COLUMN_LABELS[name],
                    "aliases": ", ".join(
                        f"“{alias}”" for alias, target in HEADER_ALIASES.items() if target == name
                    ),
                },
            )
        )
    data = rows_with_lines[1:]
    if not data:
        raise ImportFileError(_("Berkas hanya berisi judul kolom, tanpa baris data."))
    if len(data) > max_rows():
        raise ImportFileError(
            _("Berkas memuat lebih dari %(limit)s baris data. Bagi menjadi beberapa berkas.")
            % {"limit": f"{max_rows():,}"}
        )

    def cell(row: list[str], name: str) -> str:
        index = positions.get(name)
        return row[index] if index is not None and index < len(row) else ""

    rows = [
        Row(
            line=line,
            full_name=cell(row, FULL_NAME),
            email=cell(row, EMAIL),
            phone=cell(row, PHONE),
            service_point_code=cell(row, SERVICE_POINT_CODE),
        )
        for line, row in data
    ]
    return Sheet(format=format_, rows=rows, headers=headers, problems=problems)
