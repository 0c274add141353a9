"""Where a webhook may be POSTed: https to a public address, checked when the delivery is made.

A kommun user chooses the URL, so without these rules the service would POST (and report on) its
own network: the database port on loopback, a cloud metadata address, the office LAN. The name
is resolved once per delivery, every address it resolves to is checked, and the connection goes
to the checked address (Host header and TLS server name keep the URL's host), so a name that
changes its answer between the check and the connection (DNS rebinding) reaches nothing new.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from certify.domain.errors import InvalidField
from certify.settings import Settings

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressNotAllowed(Exception):
    """The URL's host is, or resolves to, an address webhooks may not reach."""


class Unreachable(Exception):
    """The host name does not resolve."""


@dataclass(frozen=True, slots=True)
class Target:
    """One checked address to connect to, and what the request must still say about the host."""

    url: str  # the URL with the checked address in place of the host name
    host_header: str
    server_name: str | None  # TLS server name (SNI and certificate check) for https


def _host_and_port(url: str) -> tuple[str, int, str]:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return host, port, parts.scheme


def check_url(url: str, settings: Settings) -> None:
    """At registration: https (http only for the hosts the settings list), and no literal
    address that would be refused at delivery anyway."""
    try:
        host, _, scheme = _host_and_port(url)
        credentials = urlsplit(url).username is not None
    except ValueError as exc:
        raise InvalidField("url", "url_invalid") from exc
    if credentials:
        raise InvalidField("url", "url_has_credentials")
    if not host:
        raise InvalidField("url", "url_without_host")
    if scheme != "https" and not (scheme == "http" and host in settings.webhook_http_hosts):
        raise InvalidField("url", "url_not_https")
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        return
    if not allowed(literal, settings):
        raise InvalidField("url", "url_address_refused")


def allowed(address: IpAddress, settings: Settings) -> bool:
    """Public unicast addresses only, unless the settings allow the private kinds (tests)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if settings.webhook_allow_private:
        return not (address.is_multicast or address.is_unspecified)
    return not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


async def _resolve(host: str, port: int) -> list[IpAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        answers = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Unreachable(host) from exc
    # Strip an IPv6 zone ("fe80::1%eth0"): the address itself is what is checked.
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in answers]


async def resolve(url: str, settings: Settings) -> Target:
    """The address this delivery connects to; AddressNotAllowed if any answer is refused."""
    host, port, scheme = _host_and_port(url)
    if scheme != "https" and not (scheme == "http" and host in settings.webhook_http_hosts):
        raise AddressNotAllowed(url)
    addresses = await _resolve(host, port)
    if not addresses or not all(allowed(a, settings) for a in addresses):
        raise AddressNotAllowed(url)
    chosen = addresses[0]
    literal = f"[{chosen}]" if chosen.version == 6 else str(chosen)
    parts = urlsplit(url)
    default_port = 443 if scheme == "https" else 80
    netloc = literal if port == default_port else f"{literal}:{port}"
    host_header = host if port == default_port else f"{host}:{port}"
    if ":" in host and not host.startswith("["):
        host_header = f"[{host}]" if port == default_port else f"[{host}]:{port}"
    return Target(
        url=urlunsplit((scheme, netloc, parts.path or "/", parts.query, "")),
        host_header=host_header,
        server_name=host if scheme == "https" else None,
    )
