import pytest
from wagtail.models import ModelLogEntry

from certificates import services
from certificates.models import Certificate, IssuanceBatch
from tests.factories import (
    CoordinatorFactory,
    EditorFactory,
    EnrolmentFactory,
    ServicePointFactory,
    TrainerFactory,
)

pytestmark = pytest.mark.django_db


def test_a_coordinator_issues_one_certificate_in_the_admin(client, completed_trainer, course_page, point):
    coordinator = CoordinatorFactory(service_points=[point])
    client.force_login(coordinator)
    assert client.get("/admin/certificates/issue/").status_code == 200
    response = client.post(
        "/admin/certificates/issue/", {"course": course_page.pk, "trainer": completed_trainer.pk}
    )
    assert response.status_code == 302
    certificate = Certificate.objects.get(trainer=completed_trainer)
    assert certificate.issued_by == coordinator
    assert ModelLogEntry.objects.filter(action="certificates.issue", user=coordinator).exists()


def test_an_editor_cannot_issue_or_revoke(client, completed_trainer, course_page):
    certificate = services.certificate_issue(trainer=completed_trainer, course=course_page)
    client.force_login(EditorFactory(is_staff=True))
    assert client.post(
        "/admin/certificates/issue/", {"course": course_page.pk, "trainer": completed_trainer.pk}
    ).status_code in (302, 403)
    assert client.post(f"/admin/certificates/{certificate.pk}/revoke/", {"reason": "x"}).status_code in (
        302,
        403,
    )
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    assert Certificate.objects.count() == 1


def test_a_coordinator_cannot_revoke_outside_their_scope(client, completed_trainer, course_page):
    certificate = services.certificate_issue(trainer=completed_trainer, course=course_page)
    client.force_login(CoordinatorFactory(service_points=[ServicePointFactory()]))
    assert client.post(f"/admin/certificates/{certificate.pk}/revoke/", {"reason": "x"}).status_code == 404
    certificate.refresh_from_db()
    assert certificate.status == "valid"


def test_revoke_and_reissue_in_the_admin(client, completed_trainer, course_page, point):
    certificate = services.certificate_issue(trainer=completed_trainer, course=course_page)
    client.force_login(CoordinatorFactory(service_points=[point]))
    assert (
        client.post(
            f"/admin/certificates/{certificate.pk}/reissue/", {"reason": "Perbaikan nama"}
        ).status_code
        == 302
    )
    new = Certificate.objects.get(status="valid")
    assert (
        client.post(f"/admin/certificates/{new.pk}/revoke/", {"reason": ""}).status_code == 200
    )  # reason required
    assert client.post(f"/admin/certificates/{new.pk}/revoke/", {"reason": "Data palsu"}).status_code == 302
    assert Certificate.objects.filter(status="valid").count() == 0
    listing = client.get("/admin/certificates/")
    assert listing.status_code == 200 and certificate.serial in listing.content.decode()


def test_batch_progress_page_and_zip(client, django_capture_on_commit_callbacks, course_page, point):
    for _ in range(3):
        EnrolmentFactory(trainer=TrainerFactory(service_point=point), course=course_page, completed=True)
    coordinator = CoordinatorFactory(service_points=[point])
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/certificates/batches/", {"course": course_page.pk, "action": "confirm"}
        )
    assert response.status_code == 302
    batch = IssuanceBatch.objects.get()
    page = client.get(f"/admin/certificates/batches/{batch.pk}/").content.decode()
    assert "<progress" in page and "3 / 3" in page
    response = client.get(f"/admin/certificates/batches/{batch.pk}/zip/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert ModelLogEntry.objects.filter(action="certificates.batch_download", user=coordinator).exists()
    client.force_login(CoordinatorFactory(service_points=[ServicePointFactory()]))
    assert client.get(f"/admin/certificates/batches/{batch.pk}/").status_code == 404


def test_template_preview_renders_the_edited_template_as_a_pdf_with_sample_data(client, course_page):
    from django.contrib.auth import get_user_model

    from tests.certificates.helpers import pdf_text

    admin = get_user_model().objects.create_superuser("admin", "a@example.org", "x")
    client.force_login(admin)
    template = course_page.certificate_template
    base = "/admin/snippets/certificates/certificatetemplate"
    assert client.get(f"{base}/edit/{template.pk}/").status_code == 200
    form = {
        "name": template.name,
        "page_size": "A4",
        "orientation": "landscape",
        "title": "SERTIFIKAT PRATINJAU",
        "subtitle": template.subtitle,
        "issuer": template.issuer,
        "preamble": template.preamble,
        "body": template.body,
        "place": "Surabaya",
        "serial_prefix": "TOT",
        "validity_months": "",
        "signatories-count": "0",
    }
    answer = client.post(f"{base}/preview/{template.pk}/", form).json()
    assert answer == {"is_valid": True, "is_available": True}
    response = client.get(f"{base}/preview/{template.pk}/", {"in_preview_panel": "true"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    text = pdf_text(response.content)
    assert "Surabaya, " in text and "Siti Nurhaliza Rahmawati" in text  # the edited place, sample data
    template.refresh_from_db()
    assert template.title == "SERTIFIKAT"  # a preview saves nothing

    revision = template.latest_revision
    response = client.get(f"{base}/history/{template.pk}/revisions/{revision.pk}/view/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_an_editor_without_the_permission_cannot_preview_a_template(client, course_page):
    template = course_page.certificate_template
    client.force_login(EditorFactory())
    response = client.get(f"/admin/snippets/certificates/certificatetemplate/preview/{template.pk}/")
    assert response.status_code in (302, 403)
