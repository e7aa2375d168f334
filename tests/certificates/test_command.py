import pytest
from django.core.management import CommandError, call_command

from certificates.models import Certificate
from tests.factories import EnrolmentFactory, ServicePointFactory, TrainerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_issue_certificates_command_prints_counts(capsys, course_page):
    point, other = ServicePointFactory(code="SP900"), ServicePointFactory(code="SP901")
    for i in range(3):
        EnrolmentFactory(
            trainer=TrainerFactory(service_point=point if i < 2 else other),
            course=course_page,
            completed=True,
        )
    call_command("issue_certificates", "--course", course_page.slug, "--service-point", "SP900", "--wait")
    call_command("issue_certificates", "--course", course_page.slug, "--wait")
    out = capsys.readouterr().out
    assert "issued=2 skipped=0 failed=0" in out
    assert "issued=1 skipped=2 failed=0" in out
    assert Certificate.objects.count() == 3


def test_issue_certificates_command_refuses_unknown_input(course_page):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("issue_certificates", "--course", "tidak-ada")
    with pytest.raises(CommandError, match="SP404"):
        call_command("issue_certificates", "--course", course_page.slug, "--service-point", "SP404")
