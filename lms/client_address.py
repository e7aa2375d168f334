"""The client's address, for the sign-in lock-out, the password-reset limit and the verification
rate limit: one rule, here.

Behind a reverse proxy every request comes from the proxy's address, so limits counted on
REMOTE_ADDR alone would count every visitor together (one busy service point would lock out all
the others). The proxy appends the address it saw to `X-Forwarded-For`; a client can write anything
in that header, so it is read only when the request comes from one of `TRUSTED_PROXIES` (addresses
or networks, e.g. `10.0.0.0/8`), and then from the right: the first address that is not itself a
trusted proxy is the client. Without `TRUSTED_PROXIES` the header is ignored.

The standard library's `ipaddress` rather than django-ipware: the rule is a dozen lines, and
ipware reads forwarding headers from any client unless every option is set right.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request) -> str:
    """The address of the client that sent `request`, as text; "" when there is none."""
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    remote_address = _address(remote)
    if not networks or remote_address is None or not _trusted(remote_address, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:
            break  # a malformed entry: nothing left of it can be trusted
        if not _trusted(address, networks):
            return str(address)
    return remote
