"""Who the client is, for the per-client limits (log-in throttle, certificate lookups) and the log.

The peer of the connection is the client, unless the peer is one of the reverse proxies named in
CERTIFY_TRUSTED_PROXIES: then the client is the nearest address in X-Forwarded-For that is not
one of those proxies (proxies append, so the addresses further left are the client's own claim).
uvicorn is started without its proxy-headers rewrite (server.py), so the peer here is the real one.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

from litestar import Request

from certify.settings import IpNetwork

UNKNOWN = "unknown"


def _address(raw: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(raw.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(raw: str, proxies: Sequence[IpNetwork]) -> bool:
    address = _address(raw)
    return address is not None and any(address in network for network in proxies)


def client_of(peer: str, forwarded_for: list[str], proxies: Sequence[IpNetwork]) -> str:
    """The client's address given the connection's peer and the X-Forwarded-For headers."""
    if not proxies or not _trusted(peer, proxies):
        return peer
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            address = _address(hop)
            return str(address) if address is not None else UNKNOWN
    return peer


def client_in_scope(scope: Any) -> str:
    """The same from an ASGI scope (for the request log, which runs before a Request exists)."""
    peer = (scope.get("client") or (UNKNOWN, 0))[0]
    app = scope.get("litestar_app")
    proxies = app.state.settings.trusted_proxies if app is not None else ()
    if not proxies:
        return str(peer)
    forwarded = [v.decode("latin-1") for k, v in scope.get("headers", ()) if k.lower() == b"x-forwarded-for"]
    return client_of(str(peer), forwarded, proxies)


def client_address(request: Request[Any, Any, Any]) -> str:
    return client_in_scope(request.scope)
