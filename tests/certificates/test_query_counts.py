"""Exact query counts of the public verification of a certificate, by page and by API: the answer
that employers and Prakerja officers get when they scan a QR code (the load bar is 50 ms at p95).

A changed count fails with the list of queries: raise or lower the pin on purpose, never by habit."""

import pytest

from certificates import services
from certificates.codes import code_generate
from tests.queries import assert_database_query_count

pytestmark = pytest.mark.django_db

VERIFY_PAGE = 1
VERIFY_PAGE_REPLACED = 1
# An unknown code is one lookup; a malformed one (bad check character) none. Every 404 then costs
# Wagtail's redirects middleware two more (the site, then a redirect from that path).
VERIFY_PAGE_UNKNOWN = 3
VERIFY_PAGE_MALFORMED = 2
VERIFY_API = 1
# The template with its latest revision in one query; serial, row, audit log in savepoints.
ISSUE_ONE = 13
VERIFY_API_UNKNOWN = 3


@pytest.fixture
def certificate(completed_trainer, course_page, client):
    certificate = services.certificate_issue(trainer=completed_trainer, course=course_page)
    # Creating the course moved the content version on, so the site (with its root page) is not in
    # the shared cache yet: one request puts it there, as the first visitor after a publish does.
    client.get("/api/v1/certificates/0000")
    return certificate


def test_the_verification_page_of_a_valid_certificate(client, certificate):
    with assert_database_query_count(VERIFY_PAGE, label="verifikasi"):
        response = client.get(f"/certificates/verify/{certificate.code}/")
    assert response.status_code == 200 and certificate.serial in response.content.decode()


def test_the_verification_page_of_a_replaced_certificate(client, certificate):
    new = services.certificate_reissue(certificate=certificate, by=None, reason="Perbaikan nama")
    with assert_database_query_count(VERIFY_PAGE_REPLACED, label="verifikasi, diganti"):
        response = client.get(f"/certificates/verify/{certificate.code}/")
    assert response.status_code == 200 and new.code in response.content.decode()


def test_the_verification_page_of_an_unknown_code(client):
    with assert_database_query_count(VERIFY_PAGE_UNKNOWN, label="verifikasi, tidak dikenal"):
        response = client.get(f"/certificates/verify/{code_generate()}/")
    assert response.status_code == 404


def test_the_verification_page_of_a_malformed_code(client):
    with assert_database_query_count(VERIFY_PAGE_MALFORMED, label="verifikasi, kode salah"):
        response = client.get("/certificates/verify/7K3Q-9X2M-4HPA-TR5W-J/")
    assert response.status_code == 404


def test_the_verification_api(client, certificate):
    with assert_database_query_count(VERIFY_API, label="API verifikasi"):
        response = client.get(f"/api/v1/certificates/{certificate.code}")
    assert response.status_code == 200 and response.json()["serial"] == certificate.serial


def test_the_verification_api_of_an_unknown_code(client):
    with assert_database_query_count(VERIFY_API_UNKNOWN, label="API verifikasi, tidak dikenal"):
        response = client.get(f"/api/v1/certificates/{code_generate()}")
    assert response.status_code == 404


def test_issuing_one_certificate_reads_its_template_once(completed_trainer, course_page):
    from django.contrib.auth import get_user_model

    from courses.models import CoursePage

    course = CoursePage.objects.get(pk=course_page.pk)
    trainer = (
        get_user_model().objects.select_related("trainer_profile__service_point").get(pk=completed_trainer.pk)
    )
    services.certificate_template_ensure_default()
    with assert_database_query_count(ISSUE_ONE, label="terbitkan satu") as queries:
        services.certificate_issue(trainer=trainer, course=course)
    template_reads = [
        q for q in queries.captured_queries if 'FROM "certificates_certificatetemplate"' in q["sql"]
    ]
    assert len(template_reads) == 1


# --- the coordinator's certificate screens: a fixed number of queries, whatever the data ----------

COORDINATOR_INDEX = 12
COORDINATOR_SERVICE_POINTS = 14
COORDINATOR_BATCH_REVIEW = 16


def _coordinator_world(n_points: int, per_point: int):
    from tests.factories import (
        CoordinatorFactory,
        EnrolmentFactory,
        ServicePointFactory,
        TrainerFactory,
        certified_course,
    )

    course = certified_course()
    points = [ServicePointFactory() for _ in range(n_points)]
    for point in points:
        for _ in range(per_point):
            trainer = TrainerFactory(service_point=point)
            EnrolmentFactory(trainer=trainer, course=course, completed=True)
            services.certificate_issue(trainer=trainer, course=course)
    return course, CoordinatorFactory(service_points=points)


@pytest.mark.parametrize("n_points,per_point", [(1, 1), (3, 2)])
def test_the_coordinators_certificate_screens_do_not_grow_with_the_data(client, n_points, per_point):
    course, coordinator = _coordinator_world(n_points, per_point)
    client.force_login(coordinator)
    client.get("/admin/")  # the session and the admin's first-request work out of the way
    with assert_database_query_count(COORDINATOR_INDEX, label="daftar sertifikat"):
        assert client.get("/admin/certificates/").status_code == 200
    with assert_database_query_count(COORDINATOR_SERVICE_POINTS, label="per titik layanan"):
        assert client.get("/admin/certificates/service-points/").status_code == 200
    with assert_database_query_count(COORDINATOR_BATCH_REVIEW, label="tinjau batch"):
        response = client.post("/admin/certificates/batches/", {"course": course.pk})
    assert response.context["plan"].holding == n_points * per_point
