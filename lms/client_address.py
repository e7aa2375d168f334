"""The client's address, for the sign-in lock-out, the password-reset limit and the verification
rate limit: one rule, here.

Behind a reverse proxy every request comes from the proxy's address, so limits counted on
REMOTE_ADDR alone would count every visitor together (one busy service point would lock out all
the others). The proxy appends the address it saw to `X-Forwarded-For`; a client can write anything
in that header, so it is read only when the request comes from one of `TRUSTED_PROXIES` (addresses
or networks, e.g. `10.0.0.0/8`), and then from the right: the first address that is not itself a
trusted proxy is the client. Without `TRUSTED_PROXIES` the header is ignored.

The limits count an IPv6 client by its /64 network (`client_network`): one subscriber gets a whole
/64 and may take a new address of it for every request, so counting single addresses would let
one client spray passwords or verify codes without limit.

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
    value = value.strip()
    # Some proxies write the port too: "203.0.113.9:1234", "[2001:db8::1]:1234".
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    # An IPv4 peer of a dual-stack socket ("::ffff:10.0.0.2") is its IPv4 address.
    return getattr(address, "ipv4_mapped", None) or address


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request) -> str:
    """The address of the client that sent `request`, as text; "" when there is none."""
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    remote_address = _address(remote)
    if remote_address is None:
        return remote
    if not networks or not _trusted(remote_address, networks):
        return str(remote_address)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:
            break  # a malformed entry: nothing left of it can be trusted
        if not _trusted(address, networks):
            return str(address)
    return str(remote_address)


def client_network(request) -> str:
    """What the limits count the client of `request` by: its IPv4 address, or the /64 network of
    its IPv6 address ("2001:db8:1:2::/64"); "" when there is none."""
    found = client_ip(request)
    address = _address(found)
    if address is None or address.version == 4:
        return found
    return str(ipaddress.IPv6Network((int(address) >> 64 << 64, 64)))
