"""The sign-in lock-out counts per account (whatever its spelling) and per client address, on the web
form, the token endpoint and the Wagtail admin alike; one address cannot spray many accounts."""

import pytest
from django.urls import reverse
from wagtail.models import APIToken

from tests.factories import PASSWORD, TrainerFactory

pytestmark = pytest.mark.django_db

SPELLINGS = [
    " conc2",
    "CONC2",
    "\tconc2",
    "conc2\n",
    "conc2@example.org",
    "CONC2@EXAMPLE.ORG",
    " Conc2@Example.org ",
]


@pytest.fixture
def conc2():
    return TrainerFactory(username="conc2", email="conc2@example.org")


def token(client, username, password=PASSWORD, ip="127.0.0.1"):
    return client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def web_sign_in(client, username, password=PASSWORD, ip="127.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def lock(client, username, settings, ip="127.0.0.1"):
    for _attempt in range(settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT):
        token(client, username, "salah", ip=ip)


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_locked_account_refuses_every_spelling_even_with_the_right_password(
    client, conc2, settings, spelling
):
    lock(client, "conc2", settings)
    response = token(client, spelling)
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "locked_out"
    assert "Coba lagi dalam 15 menit" in body["detail"]
    assert 0 < body["retry_after"] <= 15 * 60
    assert response["Retry-After"] == str(body["retry_after"])
    assert web_sign_in(client, spelling).status_code == 429
    assert not APIToken.objects.exists()


def test_the_account_is_locked_for_another_address_too(client, conc2, settings):
    lock(client, "conc2", settings, ip="10.0.0.1")
    assert token(client, "conc2", ip="10.0.0.2").status_code == 429


def test_failures_spread_over_spellings_lock_the_account(client, conc2, settings):
    for number in range(settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT):
        assert token(client, SPELLINGS[number % len(SPELLINGS)], "salah").status_code in (401, 429)
    assert token(client, "conc2").status_code == 429


def test_failures_on_the_web_form_and_the_api_share_one_counter(client, conc2, settings):
    for number in range(settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT - 1):
        sign_in = web_sign_in if number % 2 else token
        sign_in(client, ["Conc2", " conc2 ", "CONC2@example.org"][number % 3], "salah")
    response = web_sign_in(client, "CoNc2", "salah")
    assert response.status_code == 429
    assert "Masuk dikunci sementara" in response.content.decode()
    assert token(client, "conc2").status_code == 429


def test_the_wagtail_admin_sign_in_is_locked_too(client, conc2, settings):
    conc2.is_superuser = True
    conc2.save(update_fields=["is_superuser"])
    lock(client, "conc2", settings)
    client.post(reverse("wagtailadmin_login"), {"username": "CONC2", "password": PASSWORD})
    assert client.get(reverse("wagtailadmin_home")).status_code == 302


def test_unknown_usernames_are_locked_the_same_way(client, settings):
    responses = [
        token(client, "tidak-ada", "salah").status_code for _ in range(settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT)
    ]
    assert responses[:-1] == [401] * (settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT - 1)
    assert responses[-1] == 429
    assert token(client, " TIDAK-ADA\t", "salah").status_code == 429


def test_a_successful_sign_in_clears_the_account_failures(client, conc2, settings):
    for _round in range(3):
        for _attempt in range(settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT - 1):
            token(client, "conc2", "salah")
        assert token(client, "Conc2").status_code == 200


def test_one_address_cannot_spray_a_password_over_many_accounts(client, settings):
    settings.SIGN_IN_IP_ACCOUNT_LIMIT = 6
    victims = [TrainerFactory(username=f"semprot{number}") for number in range(8)]
    answers = [token(client, victim.username, "Rahasia123", ip="10.9.9.9").status_code for victim in victims]
    assert answers[:5] == [401] * 5
    assert set(answers[5:]) == {429}
    # The address is locked, even for an account it never tried and with the right password.
    assert token(client, TrainerFactory(username="lain").username, ip="10.9.9.9").status_code == 429
    # Every other address, and the accounts themselves, are not.
    assert token(client, "semprot0", ip="10.1.1.1").status_code == 200


def test_one_address_is_locked_after_many_failures(client, conc2, settings):
    settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT = 100
    settings.SIGN_IN_IP_FAILURE_LIMIT = 7
    for _attempt in range(settings.SIGN_IN_IP_FAILURE_LIMIT):
        token(client, "conc2", "salah", ip="10.9.9.9")
    assert token(client, "conc2", ip="10.9.9.9").status_code == 429
    assert token(client, "conc2", ip="10.1.1.1").status_code == 200


def test_trainers_behind_one_address_are_not_locked_by_each_others_typos(client, settings):
    assert settings.SIGN_IN_IP_ACCOUNT_LIMIT > settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT
    assert settings.SIGN_IN_IP_FAILURE_LIMIT > settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT
    trainers = [TrainerFactory() for _ in range(settings.SIGN_IN_IP_ACCOUNT_LIMIT + 5)]
    for trainer in trainers:
        assert web_sign_in(client, trainer.username, "typo", ip="10.5.5.5").status_code == 200
        assert token(client, trainer.username, ip="10.5.5.5").status_code == 200
