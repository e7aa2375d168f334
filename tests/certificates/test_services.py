import hashlib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from wagtail.models import ModelLogEntry

from certificates import services
from certificates.models import Certificate, CertificateTemplate, IssuanceBatch, IssuanceBatchItem
from courses.signals import course_completed
from tests.certificates.helpers import pdf_text, qr_texts
from tests.factories import (
    CoordinatorFactory,
    EditorFactory,
    EnrolmentFactory,
    ServicePointFactory,
    TrainerFactory,
    certified_course,
)

pytestmark = pytest.mark.django_db


def test_default_template_is_idempotent_and_versioned():
    first = services.certificate_template_ensure_default()
    second = services.certificate_template_ensure_default()
    assert first.pk == second.pk
    assert CertificateTemplate.objects.filter(name=services.DEFAULT_TEMPLATE_NAME).count() == 1
    assert first.latest_revision_id is not None
    assert len(first.signatories) == 2


@pytest.mark.parametrize(
    "body",
    ["Halo {nama}", "Selesai {course} {unknown}", "Kurung {name", "Kurung name}"],
)
def test_template_refuses_unknown_or_malformed_placeholders(body):
    template = CertificateTemplate(name="Uji", body=body)
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "body" in error.value.message_dict
    assert any("laceholder" in message or "Kurung" in message for message in error.value.message_dict["body"])


def test_template_accepts_known_placeholders():
    template = CertificateTemplate(
        name="Uji", body="{name} {course} {hours} {date} {service_point} {serial} {code} {{literal}}"
    )
    template.full_clean()


def test_issuing_writes_a_pdf_with_its_sha256_snapshot_and_audit_log(completed_trainer, course_page):
    certificate = services.certificate_issue(trainer=completed_trainer, course=course_page)
    data = certificate.pdf.read()
    assert hashlib.sha256(data).hexdigest() == certificate.pdf_sha256
    text = " ".join(pdf_text(data).split())
    assert "Siti Nurhaliza Rahmawati" in text
    assert course_page.title in text
    assert certificate.serial in text
    assert certificate.code in text
    assert qr_texts(data) == [f"http://testserver/certificates/verify/{certificate.code}/"]
    assert certificate.snapshot["holder_name"] == "Siti Nurhaliza Rahmawati"
    assert certificate.snapshot["template_revision_id"] == certificate.template_revision_id
    assert certificate.serial.startswith("TOT/") and "/SP042/" in certificate.serial
    assert ModelLogEntry.objects.filter(action="certificates.issue", object_id=str(certificate.pk)).exists()


def test_issuing_twice_returns_the_same_certificate(completed_trainer, course_page):
    first = services.certificate_issue(trainer=completed_trainer, course=course_page)
    second = services.certificate_issue(trainer=completed_trainer, course=course_page)
    assert first.pk == second.pk
    assert Certificate.objects.count() == 1


def test_the_database_refuses_a_second_valid_certificate(completed_trainer, course_page):
    certificate = services.certificate_issue(trainer=completed_trainer, course=course_page)
    duplicate = Certificate.objects.get(pk=certificate.pk)
    duplicate.pk = None
    duplicate.code = "0000-0000-0000-0001-1"
    duplicate.serial = "TOT/X/1"
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_serials_count_up_per_course_and_year(point, course_page):
    trainers = [TrainerFactory(service_point=point) for _ in range(3)]
    serials = []
    for user in trainers:
        EnrolmentFactory(trainer=user, course=course_page, completed=True)
        serials.append(services.certificate_issue(trainer=user, course=course_page).serial)
    assert [serial[-5:] for serial in serials] == ["00001", "00002", "00003"]
    other = certified_course(title="Kursus lain")
    EnrolmentFactory(trainer=trainers[0], course=other, completed=True)
    assert services.certificate_issue(trainer=trainers[0], course=other).serial.endswith("/00001")


def test_a_trainer_who_did_not_complete_gets_no_certificate(point, course_page):
    user = TrainerFactory(service_point=point)
    with pytest.raises(services.CertificateError, match="belum menyelesaikan"):
        services.certificate_issue(trainer=user, course=course_page)
    assert Certificate.objects.count() == 0


def test_editing_the_template_never_changes_an_issued_certificate(completed_trainer, course_page):
    certificate = services.certificate_issue(trainer=completed_trainer, course=course_page)
    pdf_before = certificate.pdf_sha256
    template = course_page.certificate_template
    template.title = "PIAGAM"
    template.save()
    template.save_revision()
    certificate.refresh_from_db()
    assert certificate.pdf_sha256 == pdf_before
    assert certificate.template_revision.as_object().title == "SERTIFIKAT"


def test_revoking_keeps_the_row_and_logs(completed_trainer, course_page):
    coordinator = CoordinatorFactory(service_points__national=True)
    certificate = services.certificate_issue(trainer=completed_trainer, course=course_page)
    revoked = services.certificate_revoke(certificate=certificate, by=coordinator, reason="Data palsu")
    assert revoked.status == Certificate.Status.REVOKED
    assert revoked.revoked_by == coordinator and revoked.revocation_reason == "Data palsu"
    assert Certificate.objects.filter(pk=certificate.pk).exists()
    assert ModelLogEntry.objects.filter(action="certificates.revoke", user=coordinator).exists()
    with pytest.raises(services.CertificateError):
        services.certificate_revoke(certificate=revoked, by=coordinator, reason="lagi")


def test_revoking_needs_a_reason_and_changes_nothing_without_one(completed_trainer, course_page):
    certificate = services.certificate_issue(trainer=completed_trainer, course=course_page)
    with pytest.raises(services.CertificateError, match="Alasan"):
        services.certificate_revoke(certificate=certificate, by=None, reason="  ")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_reissue_after_a_name_correction_replaces_the_old_certificate(completed_trainer, course_page):
    coordinator = CoordinatorFactory(service_points__national=True)
    old = services.certificate_issue(trainer=completed_trainer, course=course_page)
    profile = completed_trainer.trainer_profile
    profile.full_name = "Siti Nurhaliza Rahmawaty"
    profile.save()
    new = services.certificate_reissue(certificate=old, by=coordinator, reason="Perbaikan nama")
    old.refresh_from_db()
    assert old.status == Certificate.Status.REVOKED and old.replaced_by == new
    assert new.status == Certificate.Status.VALID and new.holder_name == "Siti Nurhaliza Rahmawaty"
    assert "Rahmawaty" in pdf_text(new.pdf.read())
    assert ModelLogEntry.objects.filter(action="certificates.reissue", user=coordinator).exists()


def test_tampered_pdf_is_detected(completed_trainer, course_page):
    certificate = services.certificate_issue(trainer=completed_trainer, course=course_page)
    data = certificate.pdf.read()
    assert services.certificate_pdf_matches(certificate=certificate, data=data)
    edited = data.replace(b"/Producer", b"/Producex", 1) if b"/Producer" in data else data + b"\n%edit"
    assert not services.certificate_pdf_matches(certificate=certificate, data=edited)


def test_the_trainer_gets_an_email_with_the_pdf(
    django_capture_on_commit_callbacks, completed_trainer, course_page
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.certificate_issue(trainer=completed_trainer, course=course_page)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [completed_trainer.email]
    assert certificate.verify_url in message.body
    (name, content, mimetype) = message.attachments[0]
    assert mimetype == "application/pdf" and content[:5] == b"%PDF-"


def test_course_completed_auto_issues_when_the_course_says_so(django_capture_on_commit_callbacks, point):
    auto = certified_course(auto_issue_certificate=True)
    manual = certified_course()
    user = TrainerFactory(service_point=point)
    with django_capture_on_commit_callbacks(execute=True):
        for page in (auto, manual):
            enrolment = EnrolmentFactory(trainer=user, course=page, completed=True)
            course_completed.send(sender=None, enrolment=enrolment, trainer=user, course=page)
    assert Certificate.objects.filter(trainer=user, course=auto).count() == 1
    assert not Certificate.objects.filter(trainer=user, course=manual).exists()
    # the signal sent twice issues nothing more
    with django_capture_on_commit_callbacks(execute=True):
        course_completed.send(sender=None, enrolment=enrolment, trainer=user, course=auto)
    assert Certificate.objects.filter(trainer=user, course=auto).count() == 1


def _batch_setup(course_page, n=7):
    points = [ServicePointFactory(), ServicePointFactory()]
    users = [TrainerFactory(service_point=points[i % 2]) for i in range(n)]
    for user in users:
        EnrolmentFactory(trainer=user, course=course_page, completed=True)
    return points, users


def test_a_batch_issues_skips_and_counts_exactly(django_capture_on_commit_callbacks, course_page):
    points, users = _batch_setup(course_page)
    services.certificate_issue(trainer=users[0], course=course_page)  # already holds one
    no_name = TrainerFactory(service_point=points[0])
    no_name.trainer_profile.full_name = " "
    no_name.trainer_profile.save()
    EnrolmentFactory(trainer=no_name, course=course_page, completed=True)
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.batch_create(course=course_page, service_points=[])
    batch.refresh_from_db()
    assert (batch.total, batch.issued, batch.skipped, batch.failed) == (8, 6, 1, 1)
    assert batch.status == IssuanceBatch.Status.DONE_WITH_ERRORS
    assert "nama lengkap" in batch.items.get(outcome="failed").message
    assert Certificate.objects.filter(course=course_page, status="valid").count() == 7


def test_a_rerun_or_redelivered_chunk_never_duplicates(django_capture_on_commit_callbacks, course_page):
    points, users = _batch_setup(course_page, n=5)
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.batch_create(course=course_page, service_points=[points[0], points[1]])
    ids = [user.pk for user in users]
    again = services.batch_chunk_issue(batch_id=batch.pk, trainer_ids=ids)  # a redelivery
    assert again == {"issued": 0, "skipped": 0, "failed": 0}
    assert services.batch_run(batch_id=batch.pk) == 0  # a re-run
    batch.refresh_from_db()
    assert (batch.issued, batch.skipped, batch.failed) == (5, 0, 0)
    assert Certificate.objects.filter(course=course_page).count() == 5
    assert IssuanceBatchItem.objects.filter(batch=batch).count() == 5


def test_a_batch_interrupted_midway_completes_when_run_again(course_page, monkeypatch):
    _points, users = _batch_setup(course_page, n=6)
    from certificates import tasks

    calls = []
    monkeypatch.setattr(tasks.batch_run, "delay", lambda batch_id: calls.append(batch_id))
    batch = services.batch_create(course=course_page)
    # first chunk done, the worker "dies" before the second one
    services.batch_chunk_issue(batch_id=batch.pk, trainer_ids=[user.pk for user in users[:3]])
    batch.refresh_from_db()
    assert batch.status != IssuanceBatch.Status.DONE and batch.issued == 3
    services.batch_run(batch_id=batch.pk, chunk_size=2)
    batch.refresh_from_db()
    assert (batch.status, batch.issued, batch.skipped, batch.failed) == (IssuanceBatch.Status.DONE, 6, 0, 0)
    assert Certificate.objects.filter(course=course_page).count() == 6


def test_a_coordinator_cannot_batch_outside_their_service_points(course_page):
    mine, other = ServicePointFactory(), ServicePointFactory()
    coordinator = CoordinatorFactory(service_points=[mine])
    with pytest.raises(services.CertificateError, match="di luar cakupan"):
        services.batch_create(course=course_page, service_points=[other], created_by=coordinator)
    assert not IssuanceBatch.objects.exists()


def test_an_editor_cannot_create_a_batch(course_page):
    with pytest.raises(services.CertificateError, match="tidak berwenang"):
        services.batch_create(course=course_page, created_by=EditorFactory(is_staff=True))


def test_a_coordinator_batch_covers_only_their_trainers(django_capture_on_commit_callbacks, course_page):
    points, users = _batch_setup(course_page, n=6)
    coordinator = CoordinatorFactory(service_points=[points[0]])
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.batch_create(course=course_page, created_by=coordinator)
    batch.refresh_from_db()
    assert batch.total == 3 and batch.issued == 3
    assert set(Certificate.objects.values_list("trainer__trainer_profile__service_point", flat=True)) == {
        points[0].pk
    }


def test_batch_zip_holds_every_valid_pdf(django_capture_on_commit_callbacks, course_page):
    import io
    import zipfile

    _batch_setup(course_page, n=3)
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.batch_create(course=course_page)
    buffer = io.BytesIO()
    national = CoordinatorFactory(service_points__national=True)
    assert services.batch_zip_write(batch=batch, user=national, target=buffer) == 3
    names = zipfile.ZipFile(io.BytesIO(buffer.getvalue())).namelist()
    assert len(names) == 3 and all(name.endswith(".pdf") for name in names)
