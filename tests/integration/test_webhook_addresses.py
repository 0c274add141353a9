"""Registering a webhook: https to a public address only (the installation's default settings)."""

from __future__ import annotations

from certify.tables import Webhook
from tests.conftest import World
from tests.integration.scenario import Scenario


async def test_only_https_and_public_addresses_can_be_registered(world: World) -> None:
    s = await Scenario.create(world)
    for url in (
        "http://example.se/hook",
        "https://127.0.0.1:5432/",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://10.1.2.3/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://user:secret@example.se/hook",
    ):
        refused = await s.kommun.post("/api/webhooks", json={"url": url, "event_types": ["*"]})
        assert refused.status_code == 400 and "url" in refused.text, url
    assert await Webhook.count() == 0
