"""Who the client is: the peer, unless the peer is a trusted proxy (then X-Forwarded-For)."""

from __future__ import annotations

import ipaddress

from certify.web.client_address import client_of

LOCAL_PROXY = (ipaddress.ip_network("127.0.0.1/32"),)
TWO_PROXIES = (ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("10.0.0.0/8"))


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert client_of("127.0.0.1", ["203.0.113.9"], ()) == "127.0.0.1"
    assert client_of("198.51.100.4", ["203.0.113.9"], LOCAL_PROXY) == "198.51.100.4"


def test_a_trusted_proxy_names_the_client() -> None:
    assert client_of("127.0.0.1", ["203.0.113.9"], LOCAL_PROXY) == "203.0.113.9"
    assert client_of("127.0.0.1", [], LOCAL_PROXY) == "127.0.0.1"


def test_only_the_hops_added_by_trusted_proxies_count() -> None:
    """A client can write anything at the left end of the header; the proxies append on the right."""
    forged = ["6.6.6.6, 203.0.113.9"]
    assert client_of("127.0.0.1", forged, LOCAL_PROXY) == "203.0.113.9"
    assert client_of("127.0.0.1", ["6.6.6.6, 203.0.113.9, 10.1.2.3"], TWO_PROXIES) == "203.0.113.9"
    assert client_of("127.0.0.1", ["6.6.6.6", "203.0.113.9"], LOCAL_PROXY) == "203.0.113.9"
    assert client_of("127.0.0.1", ["not-an-address"], LOCAL_PROXY) == "unknown"
