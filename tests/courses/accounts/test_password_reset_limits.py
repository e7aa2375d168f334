"""Password reset is limited per e-mail address and per client address, and answers the same
whether the address exists or the limit was hit."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import TrainerFactory

pytestmark = pytest.mark.django_db


def reset(client, email, ip="127.0.0.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_thirty_requests_send_at_most_the_limit_to_one_address(client, settings):
    TrainerFactory(username="andi", email="andi@example.org")
    spellings = ["andi@example.org", "ANDI@example.org", " Andi@Example.org "]
    responses = [reset(client, spellings[number % 3], ip=f"10.0.0.{number}") for number in range(30)]
    assert {(response.status_code, response["Location"]) for response in responses} == {
        (302, reverse("password_reset_done"))
    }
    assert 1 <= len(mail.outbox) <= settings.PASSWORD_RESET_EMAIL_LIMIT
    assert {message.to[0] for message in mail.outbox} == {"andi@example.org"}


def test_one_client_address_is_limited_across_many_addresses(client, settings):
    settings.PASSWORD_RESET_IP_LIMIT = 5
    trainers = [TrainerFactory(email=f"pelatih{number}@example.org") for number in range(12)]
    for trainer in trainers:
        assert reset(client, trainer.email, ip="10.9.9.9")["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == settings.PASSWORD_RESET_IP_LIMIT
    # Another client is not affected.
    reset(client, trainers[-1].email, ip="10.1.1.1")
    assert len(mail.outbox) == settings.PASSWORD_RESET_IP_LIMIT + 1


def test_unknown_known_and_limited_addresses_get_the_same_answer(client, settings):
    TrainerFactory(username="andi", email="andi@example.org")
    known = reset(client, "andi@example.org")
    unknown = reset(client, "tidak.ada@example.org")
    for _ in range(settings.PASSWORD_RESET_EMAIL_LIMIT):
        limited = reset(client, "andi@example.org")
    answers = {
        (response.status_code, response["Location"], response.content)
        for response in (known, unknown, limited)
    }
    assert len(answers) == 1
    page = client.get(known["Location"])
    assert page.status_code == 200


def test_the_limit_counts_unknown_addresses_too(client, settings):
    for _ in range(settings.PASSWORD_RESET_EMAIL_LIMIT):
        reset(client, "belum.ada@example.org")
    TrainerFactory(email="belum.ada@example.org")
    reset(client, "belum.ada@example.org")
    assert mail.outbox == []


def test_an_invalid_address_changes_nothing_and_is_answered_in_the_form(client):
    response = reset(client, "bukan-email")
    assert response.status_code == 200
    assert mail.outbox == []


def test_the_admin_has_no_password_reset_of_its_own_around_the_limit(client, settings):
    # Wagtail's own reset form (/admin/password_reset/) e-mails any active account, with no limit
    # and while the visitor waits; every reset goes through the limited page above instead.
    TrainerFactory(username="andi", email="andi@example.org")
    for _ in range(settings.PASSWORD_RESET_EMAIL_LIMIT + 3):
        client.post("/admin/password_reset/", {"email": "andi@example.org"})
    assert len(mail.outbox) <= settings.PASSWORD_RESET_EMAIL_LIMIT
