"""A coordinator of two service points, in one browser session on a laptop: imports trainers (a bad
file first), enrols the cohort of one service point in a course, opens the service-point report
of that course after one trainer has finished it, and downloads its CSV and XLSX exports, which hold
the rows on screen with numbers as numbers. A coordinator of another service point sees none of it."""

import csv
import io
import re
from datetime import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from certificates.services.templates import certificate_template_ensure_default
from courses.models import Enrolment
from courses.services import lesson_complete
from tests.courses.test_trainer_import import GOOD, csv_bytes, xlsx_bytes
from tests.e2e.journey import Journey
from tests.factories import (
    PASSWORD,
    CoordinatorFactory,
    EnrolmentFactory,
    ServicePointFactory,
    TrainerFactory,
    build_course,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(page, name: str, mime_type: str, content: bytes) -> None:
    page.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": mime_type, "buffer": content}]
    )
    page.get_by_role("button", name="Periksa berkas").click()
    page.wait_for_url(re.compile(r"/admin/trainer-imports/\d+/$"))


def _screen_table(page, slug: str) -> tuple[list[str], list[bool], list[list[str]]]:
    """The headers, which columns are numeric, and the cells' text of a report table on screen."""
    table = page.locator(f"#{slug} table")
    heads = table.locator("thead th")
    headers = [text.strip() for text in heads.all_inner_texts()]
    numeric = ["num" in (heads.nth(i).get_attribute("class") or "") for i in range(heads.count())]
    rows = [
        [text.strip() for text in row.locator("td").all_inner_texts()]
        for row in table.locator("tbody tr").all()
    ]
    return headers, numeric, rows


def _screen_number(text: str) -> float:
    """A number as the Indonesian page shows it: "1.234" (grouping), "50,0" (decimal comma)."""
    return float(text.replace(".", "").replace(",", "."))


def _assert_same_row(screen: list[str], exported: list, numeric: list[bool]) -> None:
    assert len(screen) == len(exported)
    for shown, value, is_number in zip(screen, exported, numeric, strict=True):
        if value is None or value == "":
            assert shown in ("—", ""), (shown, value)
        elif is_number:
            assert isinstance(value, int | float) and not isinstance(value, bool), (shown, value)
            assert value == pytest.approx(_screen_number(shown)), (shown, value)
        elif isinstance(value, datetime):
            # The page shows "29 Nov 2026 10:50", the export the same local time as a date-time.
            assert value.strftime("%H:%M") in shown and str(value.year) in shown, (shown, value)
        else:
            assert shown == str(value), (shown, value)


def _csv_value(text: str):
    """A CSV cell read back: a number when it is one, a date-time when it is one, else the text."""
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", text):
        return datetime.strptime(text, "%Y-%m-%d %H:%M")
    return text


def test_a_coordinator_imports_enrols_and_reports_with_exports(live_server, laptop, client):
    surabaya = ServicePointFactory(code="SP001", name="UPT BP2MI Surabaya", province="Jawa Timur")
    malang = ServicePointFactory(code="SP002", name="UPT BP2MI Malang", province="Jawa Timur")
    medan = ServicePointFactory(code="SP003", name="UPT BP2MI Medan", province="Sumatera Utara")
    CoordinatorFactory(username="koor", service_points=[surabaya, malang])
    other_coordinator = CoordinatorFactory(username="koor-medan", service_points=[medan])
    built = build_course(
        slug="angkatan",
        lessons=2,
        quiz_lessons=(),
        certificate_template=certificate_template_ensure_default(),
    )
    course = built.course
    # Another service point's trainer, enrolled and finished: never counted for "koor".
    outsider = TrainerFactory(service_point=medan, profile__full_name="Orang Medan")
    EnrolmentFactory(trainer=outsider, course=course)
    for lesson in built.lessons:
        lesson_complete(trainer=outsider, lesson=lesson)
    page = laptop

    journey = Journey("coordinator")

    # Sign in to the admin.
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill("koor")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))

    # Import: a bad file first; every problem is shown and nothing can be confirmed.
    page.get_by_role("link", name="Impor pelatih").first.click()
    page.wait_for_url(re.compile(r"/admin/trainer-imports/$"))
    bad = [*GOOD, ["Tono", "bukan-email", "", "SP404"], ["Orang Luar", "luar@example.org", "", "SP003"]]
    _upload(page, "pelatih-salah.csv", "text/csv", csv_bytes(bad, delimiter=";"))
    problems = page.locator("table").first.inner_text()
    assert "Alamat e-mail tidak valid." in problems
    assert "Titik layanan “SP404” tidak dikenal." in problems
    assert "SP003" in problems  # outside this coordinator's scope
    journey.shot(page, "import with errors")
    assert page.get_by_role("button", name="Konfirmasi impor").count() == 0
    assert not get_user_model().objects.filter(email="siti@example.org").exists()

    # The corrected file: the preview counts, the confirmation, the result page.
    page.get_by_role("link", name="Unggah berkas yang sudah diperbaiki").click()
    _upload(page, "pelatih.xlsx", XLSX_TYPE, xlsx_bytes(GOOD))
    counts = page.locator(".import-counts li")
    assert counts.filter(has_text="akan dibuat").locator("strong").inner_text() == "3"
    assert counts.filter(has_text="masalah").locator("strong").inner_text() == "0"
    journey.shot(page, "import preview")
    page.get_by_role("button", name="Konfirmasi impor").click()
    page.get_by_text("Impor selesai").wait_for()
    assert "3 pelatih dibuat, 0 diperbarui, 0 tidak berubah" in page.content()
    journey.shot(page, "import done")

    # The trainers list shows them, and only the coordinator's own.
    page.get_by_role("link", name="Pelatih", exact=True).first.click()
    page.wait_for_url(re.compile(r"/admin/trainers/$"))
    listing = page.content()
    for full_name, *_ in GOOD:
        assert full_name in listing
    assert "Orang Medan" not in listing

    # Enrol the cohort of SP001 (two of the imported trainers): the confirmation says how many.
    page.goto(f"{live_server.url}/admin/trainers/cohort/")
    page.locator("select[name=course]").select_option(label=course.title)
    page.get_by_label("SP001 · UPT BP2MI Surabaya").check()
    page.get_by_role("button", name="Lanjut: periksa jumlah").click()
    assert "2 pelatih akan didaftarkan" in page.locator(".coordinators-count").inner_text()
    journey.shot(page, "enrol a service point")
    page.get_by_role("button", name="Ya, daftarkan").click()
    page.wait_for_url(re.compile(r"/admin/trainers/$"))
    assert "2 pelatih didaftarkan" in page.content()
    sp001_emails = {email for _, email, _, code in GOOD if code == "SP001"}
    enrolled = Enrolment.objects.filter(course=course, trainer__trainer_profile__service_point=surabaya)
    assert set(enrolled.values_list("trainer__email", flat=True)) == sp001_emails

    # Siti finishes the course, Budi does one lesson of two (the trainer's own screens are covered by
    # the trainer's journey; here the domain service records it).
    users = get_user_model().objects
    for lesson in built.lessons:
        lesson_complete(trainer=users.get(email="siti@example.org"), lesson=lesson)
    lesson_complete(trainer=users.get(email="budi@example.org"), lesson=built.lessons[0])

    # A certificate batch for the course over the coordinator's service points: the count, the
    # confirmation, and the batch's progress page (tasks run eagerly here, so it is finished).
    page.goto(f"{live_server.url}/admin/certificates/batches/")
    page.locator("select[name=course]").select_option(label=course.title)
    page.get_by_role("button", name="Lanjut: periksa jumlah").click()
    journey.shot(page, "certificate batch count")
    page.get_by_role("button", name=re.compile(r"Ya, terbitkan 1 sertifikat")).click()
    page.wait_for_url(re.compile(r"/admin/certificates/batches/\d+/$"))
    assert page.locator("progress.batch-progress").get_attribute("value") == "1"
    assert "1 / 1 (100%)" in page.content()
    journey.shot(page, "certificate batch progress")

    # The service-point report, from the menu, filtered to the course.
    page.get_by_role("button", name="Laporan").click()
    # The link inside the opened submenu (waited for): the trainers list behind it has a
    # "Titik layanan" column link too, which a click could hit while the submenu still opens.
    page.locator(".sidebar-sub-menu-panel").get_by_role("link", name="Titik layanan").click()
    page.wait_for_url(re.compile(r"/admin/laporan/titik-layanan/"))
    page.locator("select[name=course]").select_option(label=course.title)
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(re.compile(rf"course={course.pk}"))
    assert page.locator(".report-chart svg").count() >= 1
    assert page.locator(".report-chart svg").first.is_visible()
    drawn = page.locator(".report-charts").inner_html()
    assert "SP001" in drawn and "SP002" in drawn and "SP003" not in drawn
    journey.shot(page, "service point report")

    headers, numeric, rows = _screen_table(page, "titik-layanan")
    by_code = {row[headers.index("Kode")]: row for row in rows}
    assert set(by_code) == {"SP001", "SP002"}  # SP003 is not in this coordinator's scope
    sp001 = dict(zip(headers, by_code["SP001"], strict=True))
    assert sp001["Pelatih"] == "2"
    assert sp001["Terdaftar"] == str(len(sp001_emails))
    assert sp001["Sedang berjalan"] == "1"
    assert sp001["Selesai"] == "1"
    assert _screen_number(sp001["Tingkat selesai (%)"]) == 50.0
    sp002 = dict(zip(headers, by_code["SP002"], strict=True))
    assert (sp002["Pelatih"], sp002["Terdaftar"], sp002["Selesai"]) == ("1", "0", "0")

    # The CSV export of that table: the same rows as on screen, numbers as numbers.
    section = page.locator("#titik-layanan")
    with page.expect_download() as download:
        section.get_by_role("link", name="Ekspor CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    text = download.value.path().read_bytes().decode("utf-8-sig")
    csv_rows = list(csv.reader(io.StringIO(text)))
    assert csv_rows[0] == headers
    assert len(csv_rows) - 1 == len(rows)
    for shown, exported in zip(rows, csv_rows[1:], strict=True):
        values = [_csv_value(cell) for cell in exported]
        _assert_same_row(shown, values, numeric)
    assert "50.0" in csv_rows[1 + list(by_code).index("SP001")]  # a rate, not "50%" or "50,0"

    # The XLSX export: the same rows, numeric cells stored as numbers.
    with page.expect_download() as download:
        section.get_by_role("link", name="Ekspor XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True).active
    xlsx_rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert xlsx_rows[0] == headers
    assert len(xlsx_rows) - 1 == len(rows)
    for shown, exported in zip(rows, xlsx_rows[1:], strict=True):
        _assert_same_row(shown, exported, numeric)
    sp001_cells = dict(zip(headers, xlsx_rows[1 + list(by_code).index("SP001")], strict=True))
    assert sp001_cells["Terdaftar"] == 2 and isinstance(sp001_cells["Terdaftar"], int)
    assert sp001_cells["Tingkat selesai (%)"] == 50.0

    # A coordinator of SP003 sees none of this in the report or its export, even asking for SP001.
    client.force_login(other_coordinator)
    url = reverse("coordinator_reports:service_points")
    for query in ({"course": course.pk}, {"course": course.pk, "service_point": surabaya.pk}):
        response = client.get(url, query)
        assert response.status_code == 200
        body = response.content.decode()
        assert "SP003" in body
        assert "SP001" not in body and "SP002" not in body
        export = client.get(url, {**query, "export": "csv", "table": "titik-layanan"})
        exported = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
        codes = [row[exported[0].index("Kode")] for row in exported[1:]]
        assert codes == ["SP003"]
        sp003 = dict(zip(exported[0], exported[1], strict=True))
        assert (sp003["Pelatih"], sp003["Terdaftar"], sp003["Selesai"]) == ("1", "1", "1")
    trainers_list = client.get("/admin/trainers/").content.decode()
    assert "Orang Medan" in trainers_list
    assert not any(full_name in trainers_list for full_name, *_ in GOOD)
