"""Certificates carry the configured address (BASE_URL) in their QR code and printed link, and the
coordinator sees that address before issuing."""

import pytest

from certificates import services
from tests.certificates.helpers import pdf_text, qr_texts
from tests.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db


def test_a_certificate_qr_code_and_printed_link_use_the_configured_address(
    settings, completed_trainer, course_page
):
    settings.BASE_URL = "https://tot.example.org"
    certificate = services.certificate_issue(trainer=completed_trainer, course=course_page)
    expected = f"https://tot.example.org/certificates/verify/{certificate.code}/"
    assert certificate.verify_url == expected
    data = certificate.pdf.read()
    assert qr_texts(data) == [expected]
    assert "tot.example.org/certificates/verify/" in "".join(pdf_text(data).split())


@pytest.mark.parametrize("url", ["/admin/certificates/issue/", "/admin/certificates/batches/"])
def test_the_issue_screens_show_the_address_certificates_will_carry(settings, client, point, url):
    settings.BASE_URL = "http://127.0.0.1:8765"
    client.force_login(CoordinatorFactory(service_points=[point]))
    page = client.get(url, HTTP_HOST="127.0.0.1:8765").content.decode()
    assert "Tautan verifikasi pada sertifikat: http://127.0.0.1:8765/certificates/verify/…" in page
    assert "periksa pengaturan BASE_URL" not in page

    page = client.get(url, HTTP_HOST="127.0.0.1:8000").content.decode()
    assert "periksa pengaturan BASE_URL" in page
