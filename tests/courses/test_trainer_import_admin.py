"""The trainer import's admin screens and background task (Celery eager, as in every unit test)."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.people.imports import runs
from courses.people.models import TrainerImport
from tests.courses.test_trainer_import import GOOD, csv_bytes, xlsx_bytes
from tests.factories import CoordinatorFactory, EditorFactory, ServicePointFactory, TrainerFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
INDEX = reverse("trainer_imports:index")


@pytest.fixture
def points(db):
    return {code: ServicePointFactory(code=code) for code in ("SP001", "SP002")}


@pytest.fixture
def coordinator(points):
    return CoordinatorFactory(service_points=[points["SP001"], points["SP002"]])


def upload(client, content: bytes, name: str = "pelatih.csv"):
    return client.post(INDEX, {"file": SimpleUploadedFile(name, content)})


def test_only_coordinators_and_superusers_reach_the_import(client, points):
    client.force_login(EditorFactory())
    assert client.get(INDEX).status_code in {302, 403}
    client.force_login(TrainerFactory(service_point=points["SP001"]))
    response = client.get(INDEX)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_menu_shows_the_import_to_a_coordinator(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("wagtailadmin_home"))
    assert "Impor pelatih" in response.content.decode()


def test_a_bad_file_gets_its_message_on_the_form_and_keeps_nothing(client, coordinator):
    client.force_login(coordinator)
    response = upload(client, b"", "kosong.csv")
    assert response.status_code == 200
    assert "Berkas kosong." in response.content.decode()
    response = upload(client, b"%PDF-1.7\x00\x01", "surat.csv")
    assert "Penyandian (encoding) berkas tidak dikenali" in response.content.decode()
    assert not TrainerImport.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_reading(client, coordinator, settings):
    settings.TRAINER_IMPORT_MAX_BYTES = 50
    client.force_login(coordinator)
    response = upload(client, csv_bytes(GOOD))
    assert "terlalu besar" in response.content.decode()
    assert not TrainerImport.objects.exists()


def test_a_file_with_problems_shows_each_by_row_and_column_and_cannot_be_confirmed(client, coordinator):
    client.force_login(coordinator)
    rows = [*GOOD, ["<script>alert(1)</script>", "x@example.org", "", "SP404"]]
    response = upload(client, csv_bytes(rows))
    trainer_import = TrainerImport.objects.get()
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Titik layanan “SP404” tidak dikenal." in page
    assert "<script>alert(1)</script>" not in page  # the cell is escaped wherever it is shown
    assert "Konfirmasi impor" not in page
    assert trainer_import.problems[0]["line"] == 5
    assert not trainer_import.file  # a file that cannot be imported is not kept
    # a forged confirmation changes nothing
    client.post(reverse("trainer_imports:confirm", args=[trainer_import.pk]))
    trainer_import.refresh_from_db()
    assert trainer_import.status == TrainerImport.Status.CHECKED
    assert not User.objects.filter(email="siti@example.org").exists()


def test_a_good_file_is_previewed_confirmed_and_imported_in_the_background(
    client, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    response = upload(client, xlsx_bytes(GOOD), "pelatih.xlsx")
    trainer_import = TrainerImport.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Konfirmasi impor" in page
    assert (trainer_import.total, trainer_import.to_create, trainer_import.problems) == (3, 3, [])
    assert not User.objects.filter(email="siti@example.org").exists()  # nothing before confirming

    stored = trainer_import.file.path
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("trainer_imports:confirm", args=[trainer_import.pk]))
    trainer_import.refresh_from_db()
    assert trainer_import.status == TrainerImport.Status.DONE
    assert not trainer_import.file and not Path(stored).exists()  # the personal data goes once imported
    assert (trainer_import.created, trainer_import.updated, trainer_import.invited) == (3, 0, 3)
    assert User.objects.get(email="siti@example.org").trainer_profile.service_point.code == "SP001"
    assert len(mail.outbox) == 3
    page = client.get(reverse("trainer_imports:detail", args=[trainer_import.pk])).content.decode()
    assert "Impor selesai: 3 pelatih dibuat, 0 diperbarui, 0 tidak berubah." in page
    assert 'http-equiv="refresh"' not in page

    # confirming again imports nothing twice
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("trainer_imports:confirm", args=[trainer_import.pk]))
    assert User.objects.filter(email="siti@example.org").count() == 1


def test_the_progress_page_refreshes_itself_while_the_import_waits(client, coordinator):
    client.force_login(coordinator)
    upload(client, csv_bytes(GOOD))
    trainer_import = TrainerImport.objects.get()
    trainer_import.status = TrainerImport.Status.QUEUED
    trainer_import.save()
    page = client.get(reverse("trainer_imports:detail", args=[trainer_import.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "<progress" in page


def test_the_task_checks_again_and_imports_nothing_when_the_data_changed(client, coordinator, points):
    client.force_login(coordinator)
    upload(client, csv_bytes(GOOD))
    trainer_import = TrainerImport.objects.get()
    # after the preview, an editor account takes one of the file's e-mail addresses
    EditorFactory(email="budi@example.org")
    trainer_import.status = TrainerImport.Status.QUEUED
    trainer_import.save()
    assert runs.trainer_import_run(import_id=trainer_import.pk) == TrainerImport.Status.FAILED
    trainer_import.refresh_from_db()
    assert "Data berubah sejak pratinjau" in trainer_import.message
    assert trainer_import.problems[0]["line"] == 3
    assert not User.objects.filter(email="siti@example.org").exists()
    # a finished import is left alone when the task is delivered again
    assert runs.trainer_import_run(import_id=trainer_import.pk) == TrainerImport.Status.FAILED


def test_the_task_uses_the_uploaders_current_scope(client, coordinator, points):
    client.force_login(coordinator)
    upload(client, csv_bytes(GOOD))
    trainer_import = TrainerImport.objects.get()
    coordinator.coordinator_profile.service_points.remove(points["SP002"])
    trainer_import.status = TrainerImport.Status.QUEUED
    trainer_import.save()
    assert runs.trainer_import_run(import_id=trainer_import.pk) == TrainerImport.Status.FAILED
    assert User.objects.filter(email__in=[row[1] for row in GOOD]).count() == 0


def test_another_coordinator_cannot_see_or_confirm_an_import(client, coordinator, points):
    client.force_login(coordinator)
    upload(client, csv_bytes(GOOD))
    trainer_import = TrainerImport.objects.get()
    client.force_login(CoordinatorFactory(service_points=[points["SP001"], points["SP002"]]))
    assert client.get(reverse("trainer_imports:detail", args=[trainer_import.pk])).status_code == 404
    assert client.post(reverse("trainer_imports:confirm", args=[trainer_import.pk])).status_code == 404
    assert "pelatih.csv" not in client.get(INDEX).content.decode()
    trainer_import.refresh_from_db()
    assert trainer_import.status == TrainerImport.Status.CHECKED


def test_the_uploaded_file_is_kept_out_of_the_media_folder(client, coordinator, settings):
    client.force_login(coordinator)
    upload(client, csv_bytes(GOOD))
    trainer_import = TrainerImport.objects.get()
    assert not str(trainer_import.file.path).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        trainer_import.file.url  # noqa: B018


def test_the_example_file_is_a_valid_import(client, coordinator, points):
    client.force_login(coordinator)
    content = client.get(reverse("trainer_imports:example")).content
    response = upload(client, content, "contoh.csv")
    assert response.status_code == 302
    assert TrainerImport.objects.get().can_confirm


def test_the_trainers_list_links_to_the_import(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("trainers:index")).content.decode()
    assert f'href="{INDEX}"' in page
