"""The verification page answers the PDF check the visitor just asked for first (the page's one
h1, in a colour of its own), before the certificate's status, which then becomes the record below."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certificates import services

pytestmark = pytest.mark.django_db

GENUINE_STATUS = "Sertifikat asli dan berlaku"


@pytest.fixture
def certificate(completed_trainer, course_page):
    return services.certificate_issue(trainer=completed_trainer, course=course_page)


def upload(client, certificate, data: bytes):
    return client.post(
        f"/certificates/verify/{certificate.code}/",
        {"pdf": SimpleUploadedFile("s.pdf", data, "application/pdf")},
    )


def h1s(html: str) -> list[str]:
    """The text of each h1, tags dropped and spaces collapsed."""
    texts = (re.sub(r"<[^>]+>", " ", inner) for inner in re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S))
    return [" ".join(text.split()) for text in texts]


def first_block_class(html: str) -> str:
    """The class of the first result block inside the verification section."""
    section = html[html.index('<section class="verify">') :]
    return re.search(r'<div class="([^"]+)"', section).group(1)


def test_a_tampered_pdf_is_answered_in_red_before_the_certificate_status(client, certificate):
    response = upload(client, certificate, certificate.pdf.read() + b"\n%diubah\n")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("PDF ini TIDAK cocok dengan sertifikat asli") < html.index(GENUINE_STATUS)
    assert h1s(html) == ["✗ PDF ini TIDAK cocok dengan sertifikat asli"]
    assert first_block_class(html) == "check check-bad"
    # The genuine status is demoted to the record, in neutral colours: no green headline.
    assert f"<h2>{GENUINE_STATUS}</h2>" in html
    assert "verdict-record verdict-muted" in html
    assert "check-good" not in html


def test_a_matching_pdf_says_so_in_green_at_the_top(client, certificate):
    html = upload(client, certificate, certificate.pdf.read()).content.decode()
    assert h1s(html) == ["✓ PDF ini cocok dengan sertifikat asli"]
    assert first_block_class(html) == "check check-good"
    assert html.index("PDF ini cocok") < html.index(GENUINE_STATUS)
    assert "TIDAK cocok" not in html


def test_a_matching_pdf_of_a_revoked_certificate_is_never_green(client, certificate):
    original = certificate.pdf.read()
    services.certificate_revoke(certificate=certificate, by=None, reason="Data palsu")
    html = upload(client, certificate, original).content.decode()
    assert h1s(html) == ["✗ PDF ini asli, tetapi sertifikatnya telah DICABUT"]
    assert first_block_class(html) == "check check-bad"
    assert "check-good" not in html and "<h2>Sertifikat ini telah DICABUT</h2>" in html


def test_a_file_that_cannot_be_checked_says_so_first(client, certificate):
    response = upload(client, certificate, b"GIF89a....")
    assert response.status_code == 400
    html = response.content.decode()
    assert h1s(html) == ["PDF belum dapat diperiksa"]
    assert first_block_class(html) == "check check-warn"
    assert html.index("bukan PDF") < html.index(GENUINE_STATUS)


def test_without_a_check_the_status_leads_the_page(client, certificate):
    html = client.get(f"/certificates/verify/{certificate.code}/").content.decode()
    assert h1s(html) == [GENUINE_STATUS]
    assert "check-" not in html and "verdict-record" not in html
