"""The trainer import's domain: reading CSV/XLSX files, checking every row, and the all-or-nothing
import (courses.people.imports)."""

import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from openpyxl import Workbook
from wagtail.models import ModelLogEntry

from courses.people.imports.checks import CREATE, UNCHANGED, UPDATE, sheet_check
from courses.people.imports.reading import ImportFileError, sheet_read
from courses.people.imports.runs import ImportRejected, sheet_import
from courses.people.models import TrainerProfile
from tests.factories import CoordinatorFactory, EditorFactory, ServicePointFactory, TrainerFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

HEADER = ["full_name", "email", "phone", "service_point_code"]
GOOD = [
    ["Siti Aminah", "siti@example.org", "0812-3456-7890", "SP001"],
    ["Budi Santoso", "budi@example.org", "+62 813 1111 2222", "SP001"],
    ["Ni Luh Putu Ayu", "ayu@example.org", "", "SP002"],
]


def csv_bytes(rows, *, header=HEADER, delimiter=",", encoding="utf-8") -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, *, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods_bytes() -> bytes:
    """An OpenDocument spreadsheet's outside: a ZIP that is no XLSX."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.fixture
def points(db):
    return {
        "SP001": ServicePointFactory(code="SP001"),
        "SP002": ServicePointFactory(code="SP002"),
    }


def check(content: bytes, by=None, filename="pelatih.csv"):
    return sheet_check(sheet=sheet_read(content=content, filename=filename), by=by)


def problems_of(preview) -> list[tuple[int | None, str | None, str]]:
    return [(problem.line, problem.column, problem.message) for problem in preview.problems]


# --- formats ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        csv_bytes(GOOD),
        csv_bytes(GOOD, delimiter=";"),
        csv_bytes(GOOD, delimiter="\t"),
        b"\xef\xbb\xbf" + csv_bytes(GOOD),
        csv_bytes(GOOD, delimiter=";", encoding="utf-16"),
        csv_bytes(GOOD, encoding="cp1252"),
    ],
    ids=["comma", "semicolon", "tab", "utf8-bom", "utf16-bom", "cp1252"],
)
def test_a_valid_csv_in_each_dialect_and_encoding_reads_the_same_rows(points, content):
    preview = check(content)
    assert preview.ok, problems_of(preview)
    assert [row.email for row in preview.rows] == ["siti@example.org", "budi@example.org", "ayu@example.org"]
    assert preview.rows[0].phone == "6281234567890"
    assert preview.counts[CREATE] == 3


def test_cp1252_names_keep_their_accents(points):
    content = csv_bytes([["José Ramírez", "jose@example.org", "", "SP001"]], delimiter=";", encoding="cp1252")
    preview = check(content)
    assert preview.rows[0].full_name == "José Ramírez"


def test_a_valid_xlsx_reads_numbers_as_typed(points):
    rows = [*GOOD[:2], ["Dewi Lestari", "dewi@example.org", 81234567891, "sp002"]]
    preview = check(xlsx_bytes(rows), filename="pelatih.xlsx")
    assert preview.ok, problems_of(preview)
    # Excel drops the leading 0 of a number cell: 81234567891 is 0812-3456-7891
    assert preview.rows[2].phone == "6281234567891"
    assert preview.rows[2].service_point_code == "SP002"


def test_indonesian_headers_in_any_case_and_spacing_are_accepted(points):
    header = ["Nama  Lengkap", "SUREL", "No. HP", "Kode Titik Layanan"]
    preview = check(csv_bytes(GOOD, header=header, delimiter=";"))
    assert preview.ok, problems_of(preview)
    assert preview.counts[CREATE] == 3


def test_a_missing_required_column_is_named_once(points):
    preview = check(csv_bytes([row[:3] for row in GOOD], header=HEADER[:3]))
    assert not preview.ok
    assert len(preview.problems) == 1
    assert "kode titik layanan" in preview.problems[0].message
    assert preview.rows == []


def test_a_column_given_twice_is_a_problem_and_other_columns_are_ignored(points):
    header = ["Nama", "Email", "Surel", "Kode Titik Layanan", "Catatan"]
    preview = check(
        csv_bytes([["Siti Aminah", "a@example.org", "b@example.org", "SP001", "x"]], header=header)
    )
    assert problems_of(preview) == [(1, "Surel", "Kolom e-mail muncul dua kali (“Email” dan “Surel”).")]
    preview = check(
        csv_bytes([["Siti Aminah", "a@example.org", "SP001", "x"]], header=[*header[:2], *header[3:]])
    )
    assert preview.ok and preview.rows[0].email == "a@example.org"


# --- bad files -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "kosong.csv", "Berkas kosong"),
        (b"  \r\n\r\n", "kosong.csv", "Berkas kosong"),
        (csv_bytes([]), "judul.csv", "hanya berisi judul kolom"),
        (xlsx_bytes([]), "judul.xlsx", "hanya berisi judul kolom"),
        (b"%PDF-1.7\n\x00\x01\x02binary", "surat.csv", "Penyandian (encoding) berkas tidak dikenali"),
        ("nama,email\n".encode("utf-16-le"), "utf16.csv", "Penyandian (encoding) berkas tidak dikenali"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "lama.xls", "Excel lama (.xls)"),
        (b"PK\x03\x04 not really a zip", "rusak.xlsx", "bukan spreadsheet XLSX yang utuh"),
        (b"just some text", "teks.xlsx", "bukan spreadsheet XLSX yang utuh"),
        (ods_bytes(), "lain.ods", "bukan spreadsheet XLSX yang utuh"),
        (b"\x1b\x02\x03\x04\x05 bytes of an image", "foto.csv", "bukan spreadsheet yang dikenali"),
        (b"halo,apa,kabar\n1,2,3\n", "lain.csv", "Baris pertama berkas harus judul kolom"),
    ],
    ids=[
        "empty",
        "blank",
        "only-header-csv",
        "only-header-xlsx",
        "binary-with-nul",
        "utf16-without-bom",
        "old-xls",
        "broken-zip",
        "xlsx-name-text-content",
        "ods",
        "control-characters",
        "no-header",
    ],
)
def test_a_bad_file_gets_a_clear_message(content, filename, message):
    with pytest.raises(ImportFileError) as raised:
        sheet_read(content=content, filename=filename)
    assert message in raised.value.message


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.TRAINER_IMPORT_MAX_BYTES = 100
    with pytest.raises(ImportFileError, match="terlalu besar"):
        sheet_read(content=csv_bytes(GOOD * 5), filename="besar.csv")


def test_a_file_over_the_row_limit_is_refused(settings):
    settings.TRAINER_IMPORT_MAX_ROWS = 2
    with pytest.raises(ImportFileError, match="lebih dari 2 baris"):
        sheet_read(content=csv_bytes(GOOD), filename="banyak.csv")
    with pytest.raises(ImportFileError, match="lebih dari 2 baris"):
        sheet_read(content=xlsx_bytes(GOOD), filename="banyak.xlsx")


def test_blank_lines_do_not_hide_rows_beyond_the_row_limit(settings):
    settings.TRAINER_IMPORT_MAX_ROWS = 2
    content = ("\r\n" * 5).join(csv_bytes(GOOD).decode().split("\r\n")).encode()
    with pytest.raises(ImportFileError, match="lebih dari 2 baris"):
        sheet_read(content=content, filename="kosong-di-tengah.csv")
    rows = [GOOD[0], ["", "", "", ""], ["", "", "", ""], GOOD[1], ["", "", "", ""], GOOD[2]]
    with pytest.raises(ImportFileError, match="lebih dari 2 baris"):
        sheet_read(content=xlsx_bytes(rows), filename="kosong-di-tengah.xlsx")


def test_a_bom_that_lies_about_the_encoding_is_reported():
    with pytest.raises(ImportFileError, match="UTF-16"):
        sheet_read(content=b"\xff\xfe" + b"a\x00b", filename="x.csv")


# --- bad rows --------------------------------------------------------------------------------------


def test_every_kind_of_bad_row_is_reported_by_row_and_column(points):
    closed = ServicePointFactory(code="SP099", active=False)
    outsider = CoordinatorFactory(service_points=[points["SP001"], closed])
    EditorFactory(email="editor@example.org")
    rows = [
        ["Siti Aminah", "siti@example.org", "0812-3456-7890", "SP001"],  # 2: good
        ["Tono", "tono@example.org", "0812-3456-7890", "SP404"],  # 3: unknown service point
        ["Tini", "tini@example.org", "", "SP002"],  # 4: outside the coordinator's scope
        ["Ujang", "bukan-email", "", "SP001"],  # 5: bad e-mail
        ["Wati", "wati@example.org", "12345", "SP001"],  # 6: bad phone
        ["Siti A.", "SITI@example.org", "", "SP001"],  # 7: duplicate of row 2
        ["Edi", "editor@example.org", "", "SP001"],  # 8: a non-trainer account
        ["X", "x@example.org", "", "SP001"],  # 9: a name the certificate rule refuses
        ['=HYPERLINK("http://evil")', "y@example.org", "", "SP001"],  # 10: formula in a name
        ["Yanti", "@yanti@example.org", "", "SP001"],  # 11: formula start in an e-mail
        ["Zaki", "zaki@example.org", "-1+2", "SP001"],  # 12: formula start in a phone
        ["Ahmad", "ahmad@example.org", "", "SP099"],  # 13: inactive service point
        ["", "kosong@example.org", "", ""],  # 14: name and code missing
    ]
    preview = check(csv_bytes(rows), by=outsider)
    found = problems_of(preview)
    by_line = {}
    for line, column, message in found:
        by_line.setdefault(line, []).append((column, message))
    assert 2 not in by_line
    assert by_line[3] == [("service_point_code", "Titik layanan “SP404” tidak dikenal.")]
    assert by_line[4][0][0] == "service_point_code" and "di luar wilayah" in by_line[4][0][1]
    assert by_line[5] == [("email", "Alamat e-mail tidak valid.")]
    assert by_line[6][0][0] == "phone" and "Nomor telepon tidak valid" in by_line[6][0][1]
    assert by_line[7] == [("email", "Baris ganda: e-mail siti@example.org sudah ada di baris 2.")]
    assert by_line[8] == [("email", "Alamat e-mail ini sudah dipakai akun lain yang bukan pelatih.")]
    assert by_line[9] == [("full_name", "Nama terlalu pendek.")]
    assert by_line[10][0][0] == "full_name" and "rumus" in by_line[10][0][1]
    assert len(by_line[10]) == 1  # the formula is said once, not again as a bad name
    assert by_line[11][0][0] == "email" and "rumus" in by_line[11][0][1]
    assert by_line[12][0][0] == "phone" and "rumus" in by_line[12][0][1]
    assert by_line[13][0][0] == "service_point_code" and "tidak aktif" in by_line[13][0][1]
    assert {column for column, _message in by_line[14]} == {"full_name", "service_point_code"}
    assert [row.line for row in preview.rows] == [2]


def test_a_phone_starting_with_plus_62_is_not_a_formula(points):
    preview = check(csv_bytes([["Siti Aminah", "siti@example.org", "+6281234567890", "SP001"]]))
    assert preview.ok, problems_of(preview)


def test_a_trainer_of_another_coordinator_cannot_be_taken_over(points):
    TrainerFactory(email="rina@example.org", service_point=points["SP002"])
    coordinator = CoordinatorFactory(service_points=[points["SP001"]])
    preview = check(csv_bytes([["Rina", "rina@example.org", "", "SP001"]]), by=coordinator)
    assert problems_of(preview) == [(2, "email", "Pelatih ini di luar wilayah tanggung jawab Anda.")]


def test_a_trainer_account_with_other_rights_is_not_changed_by_a_coordinator_import(points):
    editor_and_trainer = TrainerFactory(email="ganda@example.org", service_point=points["SP001"])
    editor_and_trainer.groups.add(*EditorFactory().groups.all())
    coordinator = CoordinatorFactory(service_points=[points["SP001"]])
    rows = [["Nama Lain", "ganda@example.org", "", "SP001"]]
    preview = check(csv_bytes(rows), by=coordinator)
    assert [(line, column) for line, column, _message in problems_of(preview)] == [(2, "email")]
    assert "hak akses lain" in preview.problems[0].message
    assert check(csv_bytes(rows), by=None).ok  # the operator at the console may


def test_scope_sp001_coordinator_importing_an_sp002_row_gets_an_error(points):
    coordinator = CoordinatorFactory(service_points=[points["SP001"]])
    preview = check(csv_bytes(GOOD), by=coordinator)
    assert [(problem.line, problem.column) for problem in preview.problems] == [(4, "service_point_code")]
    with pytest.raises(ImportRejected):
        sheet_import(sheet=sheet_read(content=csv_bytes(GOOD), filename="x.csv"), by=coordinator)
    assert not User.objects.filter(email__in=["siti@example.org", "budi@example.org"]).exists()


def test_a_user_who_is_no_coordinator_may_import_nothing(points):
    editor = EditorFactory()
    preview = check(csv_bytes(GOOD[:1]), by=editor)
    assert not preview.ok


# --- importing -------------------------------------------------------------------------------------


def test_importing_creates_trainers_with_profiles_and_invites_them(
    points, django_capture_on_commit_callbacks
):
    sheet = sheet_read(content=csv_bytes(GOOD), filename="pelatih.csv")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = sheet_import(sheet=sheet, by=None)
    assert (outcome.created, outcome.updated, outcome.invited) == (3, 0, 3)
    siti = User.objects.get(email="siti@example.org")
    assert siti.username == "siti"
    assert not siti.has_usable_password()
    assert siti.groups.filter(name="Trainers").exists()
    assert siti.trainer_profile.full_name == "Siti Aminah"
    assert siti.trainer_profile.phone == "6281234567890"
    assert siti.trainer_profile.service_point == points["SP001"]
    assert sorted(message.to[0] for message in mail.outbox) == sorted(row[1] for row in GOOD)
    entries = ModelLogEntry.objects.filter(object_id=str(siti.trainer_profile.pk))
    assert sorted(entries.values_list("action", flat=True)) == [
        "courses.trainer.create",
        "courses.trainer.invite",
    ]
    assert ModelLogEntry.objects.filter(action="courses.trainer.create").count() == 3


def test_reimporting_the_same_file_duplicates_nothing_and_counts_unchanged(points):
    content = xlsx_bytes(GOOD)
    sheet_import(sheet=sheet_read(content=content, filename="p.xlsx"), by=None)
    outcome = sheet_import(sheet=sheet_read(content=content, filename="p.xlsx"), by=None)
    assert (outcome.created, outcome.updated) == (0, 0)
    assert outcome.preview.counts[UNCHANGED] == 3
    assert User.objects.filter(email="siti@example.org").count() == 1
    assert TrainerProfile.objects.count() == 3


def test_an_existing_trainer_is_updated_by_e_mail_and_an_empty_phone_keeps_theirs(points):
    rina = TrainerFactory(
        email="Rina@Example.org",
        service_point=points["SP001"],
        profile__full_name="Rina Lama",
        profile__phone="0811 1111 111",
    )
    rows = [["Rina Wulandari", "rina@example.org", "", "SP002"]]
    preview = check(csv_bytes(rows))
    assert preview.counts[UPDATE] == 1
    assert preview.rows[0].changes == ("full_name", "service_point_code")
    sheet_import(sheet=sheet_read(content=csv_bytes(rows), filename="x.csv"), by=None)
    rina.refresh_from_db()
    rina.trainer_profile.refresh_from_db()
    assert rina.trainer_profile.full_name == "Rina Wulandari"
    assert rina.trainer_profile.service_point == points["SP002"]
    assert rina.trainer_profile.phone == "0811 1111 111"
    assert User.objects.filter(email__iexact="rina@example.org").count() == 1


def test_a_file_with_one_bad_row_imports_nothing(points):
    TrainerFactory(email="tetap@example.org", service_point=points["SP001"], profile__full_name="Nama Tetap")
    rows = [*GOOD, ["Nama Baru", "tetap@example.org", "", "SP001"], ["Tono", "tono@example.org", "", "SP404"]]
    with pytest.raises(ImportRejected) as rejected:
        sheet_import(sheet=sheet_read(content=csv_bytes(rows), filename="x.csv"), by=None)
    assert [problem.line for problem in rejected.value.preview.problems] == [6]
    assert not User.objects.filter(email="siti@example.org").exists()
    assert TrainerProfile.objects.get(user__email="tetap@example.org").full_name == "Nama Tetap"
    assert mail.outbox == []


def test_usernames_of_new_trainers_are_distinct(points):
    TrainerFactory(username="siti", email="siti.lama@example.org", service_point=points["SP001"])
    rows = [
        ["Siti Satu", "siti@example.org", "", "SP001"],
        ["Siti Dua", "siti@example.net", "", "SP001"],
    ]
    sheet_import(sheet=sheet_read(content=csv_bytes(rows), filename="x.csv"), by=None)
    assert set(
        User.objects.filter(email__in=["siti@example.org", "siti@example.net"]).values_list(
            "username", flat=True
        )
    ) == {
        "siti2",
        "siti3",
    }


def test_a_formula_cell_of_an_xlsx_is_refused_not_evaluated(points):
    rows = [["Siti Aminah", "siti@example.org", "=1+1", "SP001"], ["Budi", "budi@example.org", "", "=A1"]]
    preview = check(xlsx_bytes(rows), filename="rumus.xlsx")
    assert [(problem.line, problem.column) for problem in preview.problems] == [
        (2, "phone"),
        (3, "service_point_code"),
    ]
    assert all("rumus" in problem.message for problem in preview.problems)


def test_an_xlsx_that_unpacks_to_far_more_than_its_size_is_refused(settings):
    settings.TRAINER_IMPORT_MAX_BYTES = 64 * 1024
    rows = [["Siti Aminah", "siti@example.org", "", "SP001"]]
    buffer = io.BytesIO(xlsx_bytes(rows))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.xml", "<a/>" + " " * (3 * 1024 * 1024))
    assert len(buffer.getvalue()) < settings.TRAINER_IMPORT_MAX_BYTES
    with pytest.raises(ImportFileError, match="jauh lebih besar"):
        sheet_read(content=buffer.getvalue(), filename="bom.xlsx")


def test_an_e_mail_longer_than_the_account_field_is_a_row_problem(points):
    email = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".org"
    preview = check(csv_bytes([["Siti Aminah", email, "", "SP001"]]))
    assert [(problem.line, problem.column) for problem in preview.problems] == [(2, "email")]


def test_an_xlsx_whose_stated_size_is_too_small_still_reads_every_row(points):
    """Some programs write a sheet's <dimension> wrong (e.g. "A1:D1"); openpyxl's read-only mode
    believes it and would silently drop every row beyond it."""
    content = xlsx_bytes(GOOD)
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:D4"/>', b'<dimension ref="A1:D2"/>')
                assert b'<dimension ref="A1:D2"/>' in data
            archive.writestr(item, data)
    sheet = sheet_read(content=buffer.getvalue(), filename="pelatih.xlsx")
    assert [row.email for row in sheet.rows] == ["siti@example.org", "budi@example.org", "ayu@example.org"]


def test_an_xlsx_with_far_more_cells_than_a_list_of_trainers_is_refused(settings):
    """Reading a cell costs openpyxl tens of microseconds: 9,000 rows of 200 cells (5 MB, under
    the unpacked-size limit) kept the upload's request busy for 46 s."""
    settings.TRAINER_IMPORT_MAX_ROWS = 10
    wide = [[*row, *(["x"] * 400)] for row in GOOD]
    with pytest.raises(ImportFileError, match="terlalu banyak kolom"):
        sheet_read(content=xlsx_bytes(wide, header=[*HEADER, *(["lain"] * 400)]), filename="lebar.xlsx")
    assert len(sheet_read(content=xlsx_bytes(GOOD), filename="biasa.xlsx").rows) == 3
