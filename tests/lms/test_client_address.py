"""Behind a reverse proxy the limits count each visitor, not the proxy: X-Forwarded-For names the
client when (and only when) the request comes from one of TRUSTED_PROXIES."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from lms.checks import production_require, trusted_proxies_check
from lms.client_address import client_ip, client_network
from tests.factories import PASSWORD, TrainerFactory

PROXY = "10.0.0.2"  # the reverse proxy in front of the web servers


def _ip(settings, proxies, remote, forwarded=None):
    settings.TRUSTED_PROXIES = proxies
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    assert _ip(settings, [], "198.51.100.7", "203.0.113.9") == "198.51.100.7"


def test_a_client_cannot_name_itself_when_it_is_not_a_trusted_proxy(settings):
    assert _ip(settings, [PROXY], "198.51.100.7", "203.0.113.9") == "198.51.100.7"


def test_behind_a_trusted_proxy_the_address_the_proxy_saw_counts(settings):
    # The client wrote "1.2.3.4" itself; the proxy appended the address it really came from.
    assert _ip(settings, [PROXY], PROXY, "1.2.3.4, 203.0.113.9") == "203.0.113.9"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    assert _ip(settings, ["10.0.0.0/8"], "10.0.0.2", "1.2.3.4, 203.0.113.9, 10.1.2.3") == "203.0.113.9"
    assert _ip(settings, ["10.0.0.0/8", "2001:db8::/32"], "2001:db8::1", "2001:db8::7, 2a00:1450::5") == (
        "2a00:1450::5"
    )


@pytest.mark.parametrize("forwarded", ["", "bukan-alamat", "203.0.113.9, \x00", "10.1.2.3", "9" * 5000])
def test_an_empty_or_malformed_header_falls_back_to_the_proxy(settings, forwarded):
    assert _ip(settings, ["10.0.0.0/8"], PROXY, forwarded) == PROXY


def test_an_ipv4_proxy_seen_through_a_dual_stack_socket_is_still_trusted(settings):
    # gunicorn bound to [::] sees an IPv4 proxy as ::ffff:10.0.0.2; were it not recognised, every
    # visitor would count as the proxy, and one of them could lock all the others out.
    assert _ip(settings, [PROXY], "::ffff:10.0.0.2", "203.0.113.9") == "203.0.113.9"
    assert _ip(settings, [PROXY], PROXY, "1.2.3.4, ::ffff:203.0.113.9, ::ffff:10.0.0.2") == "203.0.113.9"
    # A client is one address whichever way the socket shows it.
    assert _ip(settings, [], "::ffff:198.51.100.7") == "198.51.100.7"


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("203.0.113.9:1234", "203.0.113.9"),
        ("1.2.3.4, 203.0.113.9:1234", "203.0.113.9"),
        ("[2a00:1450::5]:443", "2a00:1450::5"),
        ("1.2.3.4, 203.0.113.9, 10.0.0.7:80", "203.0.113.9"),
    ],
)
def test_an_address_with_its_port_names_the_client(settings, forwarded, client):
    # Some proxies append the client's port; the visitor is still counted on its own.
    assert _ip(settings, ["10.0.0.0/8"], PROXY, forwarded) == client


@pytest.mark.django_db
def test_the_sign_in_lockout_of_one_address_behind_the_proxy_spares_the_others(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT = 100
    settings.SIGN_IN_IP_FAILURE_LIMIT = 3
    TrainerFactory(username="balik")

    def token(password, visitor):
        return client.post(
            "/api/v1/auth/token",
            {"username": "balik", "password": password},
            content_type="application/json",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=visitor,
        ).status_code

    for _attempt in range(settings.SIGN_IN_IP_FAILURE_LIMIT):
        token("salah", "203.0.113.1")
    assert token(PASSWORD, "203.0.113.1") == 429
    assert token(PASSWORD, "203.0.113.2") == 200


def test_the_limits_count_an_ipv6_client_by_its_64_network(settings):
    settings.TRUSTED_PROXIES = [PROXY]

    def network(remote, forwarded=None):
        meta = {"REMOTE_ADDR": remote, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})}
        return client_network(RequestFactory().get("/", **meta))

    assert network("2001:db8:1:2:aaaa::1") == network("2001:db8:1:2::ffff") == "2001:db8:1:2::/64"
    assert network("2001:db8:1:3::1") == "2001:db8:1:3::/64"
    assert network(PROXY, "2a00:1450:4:5:6:7:8:9") == "2a00:1450:4:5::/64"
    assert network("fe80::1%eth0") == "fe80::/64"
    assert network("198.51.100.7") == "198.51.100.7"
    assert network("::ffff:198.51.100.7") == "198.51.100.7"
    assert network("") == ""


@pytest.mark.django_db
def test_a_client_spraying_from_new_ipv6_addresses_of_its_network_is_locked_out(client, settings):
    # Every IPv6 subscriber has a /64: a new address for each attempt must not reset the count.
    settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT = 100
    settings.SIGN_IN_IP_FAILURE_LIMIT = 3
    TrainerFactory(username="balik")

    def token(password, remote):
        return client.post(
            "/api/v1/auth/token",
            {"username": "balik", "password": password},
            content_type="application/json",
            REMOTE_ADDR=remote,
        ).status_code

    for n in range(settings.SIGN_IN_IP_FAILURE_LIMIT):
        token("salah", f"2001:db8:1:2::{n + 1:x}")
    assert token(PASSWORD, "2001:db8:1:2::abcd") == 429
    assert token(PASSWORD, "2001:db8:1:3::1") == 200  # another subscriber


@pytest.mark.parametrize("proxies", [["proxy.internal"], ["10.0.0.0/33"], ["10.0.0.2", "10.0.0.300"]])
def test_trusted_proxies_that_are_not_addresses_stop_the_server_before_it_serves(settings, proxies):
    # Found only at the first sign-in, every sign-in and verification would be a server error.
    settings.TRUSTED_PROXIES = proxies
    errors = trusted_proxies_check()
    assert [error.id for error in errors] == ["lms.E007"]
    assert "TRUSTED_PROXIES" in errors[0].msg
    with pytest.raises(ImproperlyConfigured, match="lms.E007"):
        production_require()


def test_trusted_proxies_of_addresses_and_networks_pass(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2", " 10.1.0.0/16", "2001:db8::/32", ""]
    assert trusted_proxies_check() == []
