"""A coordinator imports trainers in the admin: a bad file first (sees every problem), then a good
one, which they confirm and see imported."""

import re

import pytest
from django.contrib.auth import get_user_model

from tests.courses.test_trainer_import import GOOD, csv_bytes, xlsx_bytes
from tests.factories import PASSWORD, CoordinatorFactory, ServicePointFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_uploads_a_bad_file_then_imports_a_good_one(live_server, laptop):
    sp001 = ServicePointFactory(code="SP001")
    sp002 = ServicePointFactory(code="SP002")
    CoordinatorFactory(username="koor", service_points=[sp001, sp002])
    page = laptop

    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill("koor")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.get_by_role("link", name="Impor pelatih").first.click()
    page.wait_for_url(re.compile(r"/admin/trainer-imports/$"))

    # A file with a bad row: every problem is listed, nothing can be confirmed.
    bad = [*GOOD, ["Tono", "bukan-email", "", "SP404"]]
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "pelatih-salah.csv", "mimeType": "text/csv", "buffer": csv_bytes(bad, delimiter=";")}]
    )
    page.get_by_role("button", name="Periksa berkas").click()
    page.wait_for_url(re.compile(r"/admin/trainer-imports/\d+/$"))
    problems = page.locator("table").first.inner_text()
    assert "Alamat e-mail tidak valid." in problems
    assert "Titik layanan “SP404” tidak dikenal." in problems
    assert page.get_by_role("button", name="Konfirmasi impor").count() == 0
    assert not get_user_model().objects.filter(email="siti@example.org").exists()

    # The corrected file: a preview with the counts, then the import.
    page.get_by_role("link", name="Unggah berkas yang sudah diperbaiki").click()
    page.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "pelatih.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": xlsx_bytes(GOOD),
            }
        ]
    )
    page.get_by_role("button", name="Periksa berkas").click()
    page.wait_for_url(re.compile(r"/admin/trainer-imports/\d+/$"))
    assert "akan dibuat" in page.locator(".import-counts").inner_text()
    page.get_by_role("button", name="Konfirmasi impor").click()
    page.get_by_text("Impor selesai").wait_for()
    assert "3 pelatih dibuat, 0 diperbarui, 0 tidak berubah" in page.content()
    assert get_user_model().objects.filter(email__in=[row[1] for row in GOOD]).count() == 3
