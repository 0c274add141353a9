"""Which addresses a webhook may reach, and how the connection is pinned to the checked one."""

from __future__ import annotations

import dataclasses
import ipaddress

import pytest

from certify.domain.errors import InvalidField
from certify.services import webhook_target
from certify.settings import Settings


@pytest.fixture
def strict() -> Settings:
    return Settings.from_env()


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::",
    ],
)
def test_internal_addresses_are_refused(strict: Settings, address: str) -> None:
    assert not webhook_target.allowed(ipaddress.ip_address(address), strict)


@pytest.mark.parametrize("address", ["193.183.0.1", "8.8.8.8", "2a00:1450:400f:80d::200e"])
def test_public_addresses_are_allowed(strict: Settings, address: str) -> None:
    assert webhook_target.allowed(ipaddress.ip_address(address), strict)


def test_plain_http_only_for_listed_hosts(strict: Settings) -> None:
    with pytest.raises(InvalidField):
        webhook_target.check_url("http://hooks.example.se/x", strict)
    listed = dataclasses.replace(strict, webhook_http_hosts=frozenset({"hooks.example.se"}))
    webhook_target.check_url("http://hooks.example.se/x", listed)
    webhook_target.check_url("https://hooks.example.se/x", strict)


async def test_the_target_is_the_checked_address_with_host_and_server_name_kept(strict: Settings) -> None:
    with pytest.raises(webhook_target.AddressNotAllowed):
        await webhook_target.resolve("https://localhost:8443/hook?a=1", strict)
    allowing = dataclasses.replace(strict, webhook_allow_private=True)
    target = await webhook_target.resolve("https://localhost:8443/hook?a=1", allowing)
    assert target.url in {"https://127.0.0.1:8443/hook?a=1", "https://[::1]:8443/hook?a=1"}
    assert target.host_header == "localhost:8443" and target.server_name == "localhost"
    plain = await webhook_target.resolve("https://[::1]/h", allowing)
    assert plain.url == "https://[::1]/h" and plain.host_header == "[::1]"
