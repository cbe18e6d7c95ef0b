"""Private-address refusal: a CI job must not become a way into its own network.

Three places are checked: the host written in the URL (a literal address or a `localhost`
name), every address the host resolves to (we resolve it ourselves and connect only to an
address we vetted, so a DNS answer cannot change between check and use), and every redirect
hop (each hop goes through the same checks). `allow_private=True` lifts all of it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Sequence

ALLOWED_SCHEMES = ("http", "https")

_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


class FetchRefused(Exception):
    """Base of the per-URL refusals below: data for a verdict, never shown as a traceback."""


class PrivateAddressError(FetchRefused):
    """The URL's host is, or resolves to, an address we do not contact."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} is a private or local address ({address})")
        self.host = host
        self.address = address


class UnknownHostError(FetchRefused):
    """The host name does not resolve."""

    def __init__(self, host: str) -> None:
        super().__init__(f"the host name {host} does not exist (DNS lookup failed)")
        self.host = host


def forbidden_reason(address: str) -> str | None:
    """Why this IP address must not be contacted, or None if it is a public address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return None
    # An IPv4 address wrapped in IPv6 (::ffff:127.0.0.1) reaches the IPv4 host: judge that.
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    checks = (
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (ip.is_unspecified, "unspecified"),
        (ip.is_private, "private"),
        (ip.is_reserved, "reserved"),
    )
    for hit, name in checks:
        if hit:
            return name
    return None


def literal_refusal(host: str) -> PrivateAddressError | None:
    """A refusal for a host written as a private literal address or a local name, else None.

    This check needs no DNS, so it also holds when a proxy resolves names for us.
    """
    name = host.strip("[]").rstrip(".").lower()
    if name in _LOCAL_NAMES or name.endswith(".localhost"):
        return PrivateAddressError(host, "a local host name")
    if forbidden_reason(name) is not None:
        return PrivateAddressError(host, name)
    return None


def pick_addresses(host: str, addresses: Sequence[str], allow_private: bool) -> list[str]:
    """The resolved addresses we may connect to; raises PrivateAddressError if none is left."""
    if allow_private:
        return list(addresses)
    allowed = [a for a in addresses if forbidden_reason(a) is None]
    if not allowed:
        raise PrivateAddressError(host, addresses[0] if addresses else "no address")
    # A name that resolves to a public and a private address is refused as a whole: that mix
    # is how DNS-rebinding tricks look, and no newsroom source needs it.
    if len(allowed) != len(addresses):
        bad = next(a for a in addresses if a not in allowed)
        raise PrivateAddressError(host, bad)
    return allowed


async def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in the resolver's order; UnknownHostError if none."""
    bare = host.strip("[]")
    try:
        ipaddress.ip_address(bare.split("%", 1)[0])
    except ValueError:
        pass
    else:
        return [bare]
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(bare, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnknownHostError(host) from exc
    seen: dict[str, None] = {}
    for info in infos:
        seen.setdefault(str(info[4][0]), None)
    if not seen:
        raise UnknownHostError(host)
    return list(seen)
