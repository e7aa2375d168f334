import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from wagtail.models import ModelLogEntry

from certificates import ratelimit, services
from certificates.models import Certificate
from tests.factories import (
    CoordinatorFactory,
    EditorFactory,
    EnrolmentFactory,
    ServicePointFactory,
    TrainerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(completed_trainer, course_page):
    return services.certificate_issue(trainer=completed_trainer, course=course_page)


def test_verification_page_shows_a_valid_certificate_and_nothing_private(
    client, certificate, completed_trainer
):
    response = client.get(f"/certificates/verify/{certificate.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sertifikat asli dan berlaku" in html
    for expected in (
        "Siti Nurhaliza Rahmawati",
        certificate.serial,
        certificate.course_title,
        "UPT BP2MI Surabaya",
    ):
        assert expected in html
    assert completed_trainer.email not in html
    assert completed_trainer.username not in html


def test_verification_forgives_how_the_code_is_typed(client, certificate):
    sloppy = certificate.code.replace("-", "").lower()
    response = client.get(f"/certificates/verify/{sloppy}/")
    assert response.status_code == 302 and response["Location"].endswith(f"/verify/{certificate.code}/")
    response = client.get("/certificates/verify/", {"code": " " + sloppy + " "})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "issued", ["000A-PN59-HKNH-Y2QJ-~", "000A-PN59-HKNH-Y2QN-U", "7K3Q-9X2M-4HPA-TR5W-X"]
)
def test_a_code_issued_with_the_old_check_symbol_still_verifies(client, certificate, issued):
    Certificate.objects.filter(pk=certificate.pk).update(code=issued)
    typed = issued.replace("-", " ").lower()
    response = client.get("/certificates/verify/", {"code": typed})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Sertifikat asli dan berlaku" in page.content.decode()
    assert client.get(f"/api/v1/certificates/{issued}").json()["status"] == "valid"


def test_unknown_or_malformed_codes_are_404(client):
    assert client.get("/certificates/verify/7K3Q-9X2M-4HPA-TR5W-J/").status_code == 404
    assert client.get("/certificates/verify/bukan-kode/").status_code == 404
    response = client.get("/certificates/verify/", {"code": "ABC"})
    assert response.status_code == 200 and "Kode tidak valid" in response.content.decode()


def test_revoked_certificate_shows_date_reason_and_replacement(client, certificate):
    new = services.certificate_reissue(certificate=certificate, by=None, reason="Perbaikan nama")
    html = client.get(f"/certificates/verify/{certificate.code}/").content.decode()
    assert "DICABUT" in html and "Perbaikan nama" in html and new.get_absolute_url() in html


def test_uploaded_pdf_is_checked_against_the_stored_sha256(client, certificate):
    url = f"/certificates/verify/{certificate.code}/"
    original = certificate.pdf.read()
    ok = client.post(url, {"pdf": SimpleUploadedFile("s.pdf", original, "application/pdf")})
    assert "sama persis" in ok.content.decode()
    edited = original.replace(b"Siti", b"Sita") if b"Siti" in original else original + b"%"
    bad = client.post(url, {"pdf": SimpleUploadedFile("s.pdf", edited + b"\n", "application/pdf")})
    assert "TIDAK cocok" in bad.content.decode()
    not_pdf = client.post(url, {"pdf": SimpleUploadedFile("s.pdf", b"GIF89a....", "application/pdf")})
    assert not_pdf.status_code == 400 and "bukan PDF" in not_pdf.content.decode()


def test_verification_is_rate_limited_per_ip(client, certificate, monkeypatch):
    monkeypatch.setattr(ratelimit, "VERIFY_LIMIT", 3)
    codes = [client.get(f"/certificates/verify/{certificate.code}/").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert client.get(f"/certificates/verify/{certificate.code}/", REMOTE_ADDR="10.0.0.9").status_code == 200
    assert client.get(f"/api/v1/certificates/{certificate.code}").status_code == 429


def test_visitors_behind_a_trusted_proxy_each_have_their_own_verification_limit(
    client, settings, monkeypatch, certificate
):
    monkeypatch.setattr(ratelimit, "VERIFY_LIMIT", 2)
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    url = f"/api/v1/certificates/{certificate.code}"

    def verify(visitor, remote="10.0.0.2"):
        return client.get(url, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=visitor).status_code

    assert [verify("203.0.113.1") for _ in range(3)] == [200, 200, 429]
    assert verify("203.0.113.2") == 200  # another visitor through the same proxy
    # Straight to the server, a new X-Forwarded-For each time does not reset the count.
    assert [verify(f"203.0.113.{n}", remote="198.51.100.7") for n in range(10, 13)] == [200, 200, 429]


def test_a_visitor_verifying_from_new_ipv6_addresses_of_its_network_is_limited(
    client, monkeypatch, certificate
):
    monkeypatch.setattr(ratelimit, "VERIFY_LIMIT", 2)
    url = f"/api/v1/certificates/{certificate.code}"
    codes = [client.get(url, REMOTE_ADDR=f"2001:db8:7:8::{n:x}").status_code for n in range(1, 4)]
    assert codes == [200, 200, 429]
    assert client.get(url, REMOTE_ADDR="2001:db8:7:9::1").status_code == 200


def test_api_verification_json(client, certificate):
    data = client.get(f"/api/v1/certificates/{certificate.code.lower()}").json()
    assert data["code"] == certificate.code and data["status"] == "valid"
    assert data["holder_name"] == "Siti Nurhaliza Rahmawati" and data["hours"] == "12"
    assert data["pdf_sha256"] == certificate.pdf_sha256 and data["replaced_by"] is None
    assert set(data) == {
        "code",
        "serial",
        "status",
        "holder_name",
        "course_title",
        "hours",
        "service_point",
        "issued_at",
        "expires_at",
        "revoked_at",
        "revocation_reason",
        "replaced_by",
        "pdf_sha256",
    }
    assert client.get("/api/v1/certificates/7K3Q-9X2M-4HPA-TR5W-J").status_code == 404


def test_api_my_certificates_lists_only_mine(client, certificate, completed_trainer, course_page):
    assert client.get("/api/v1/me/certificates").status_code == 401
    other = TrainerFactory()
    EnrolmentFactory(trainer=other, course=course_page, completed=True)
    services.certificate_issue(trainer=other, course=course_page)
    client.force_login(completed_trainer)
    data = client.get("/api/v1/me/certificates").json()
    assert [item["code"] for item in data] == [certificate.code]
    assert data[0]["course_slug"] == course_page.slug
    assert data[0]["verify_url"] == f"http://testserver/certificates/verify/{certificate.code}/"
    assert data[0]["pdf_url"].endswith(f"/certificates/download/{certificate.code}/")


def test_the_holder_downloads_their_pdf(client, certificate, completed_trainer):
    client.force_login(completed_trainer)
    response = client.get(certificate.download_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == certificate.pdf.read()


def test_another_trainer_cannot_fetch_my_pdf(client, certificate):
    client.force_login(TrainerFactory())
    assert client.get(certificate.download_url).status_code == 404
    client.logout()
    assert client.get(certificate.download_url).status_code == 404


def test_coordinators_download_only_within_their_scope_and_are_logged(client, certificate, point):
    outsider = CoordinatorFactory(service_points=[ServicePointFactory()])
    client.force_login(outsider)
    assert client.get(certificate.download_url).status_code == 404
    client.force_login(EditorFactory(is_staff=True))
    assert client.get(certificate.download_url).status_code == 404
    mine = CoordinatorFactory(service_points=[point])
    client.force_login(mine)
    assert client.get(certificate.download_url).status_code == 200
    assert ModelLogEntry.objects.filter(action="certificates.download", user=mine).count() == 1


@override_settings(LANGUAGE_CODE="id")
def test_dashboard_include_lists_the_trainers_certificates(rf, certificate, completed_trainer):
    from django.template.loader import render_to_string

    from certificates.selectors import certificate_list_for_trainer

    html = render_to_string(
        "certificates/includes/dashboard_certificates.html",
        {"certificates": certificate_list_for_trainer(trainer=completed_trainer)},
    )
    assert certificate.serial in html and certificate.download_url in html and certificate.verify_url in html


def test_the_pdf_is_stored_outside_the_public_media_folder(settings, certificate):
    from pathlib import Path

    stored = Path(certificate.pdf.path).resolve()

    assert stored.is_file()
    assert Path(settings.MEDIA_ROOT).resolve() not in stored.parents
    with pytest.raises(ValueError):
        certificate.pdf.url  # noqa: B018
