import pytest
from django.core.management import CommandError, call_command

from certificates.models import Certificate
from tests.certificates import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_issue_certificates_command_prints_counts(capsys, course_page):
    point, other = factories.service_point(code="SP900"), factories.service_point(code="SP901")
    for i in range(3):
        factories.complete(factories.trainer(point=point if i < 2 else other), course_page)
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
