"""Webhooks against a real HTTP server on loopback: signed, retried after a failure, never duplicated."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from certify.services import webhooks
from certify.services.clock import now
from certify.settings import Settings
from certify.tables import Webhook, WebhookDelivery
from tests.conftest import World
from tests.integration.scenario import Scenario, ok
from tests.integration.test_notifications import free_port


class Receiver:
    """A loopback endpoint answering the queued status codes (then 200), keeping every request."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.requests: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers.items()), body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/certify"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def settings() -> Settings:
    """The receivers listen on loopback over plain http: allowed here, and only here."""
    return dataclasses.replace(
        Settings.from_env(),
        webhook_http_hosts=frozenset({"127.0.0.1", "localhost"}),
        webhook_allow_private=True,
    )


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver([500]) as r:
        yield r


async def test_signed_delivery_retried_after_500_and_not_repeated(
    world: World, receiver: Receiver, settings: Settings
) -> None:
    s = await Scenario.create(world)
    hook = await ok(
        await s.kommun.post("/api/webhooks", json={"url": receiver.url, "event_types": ["submit", "assign"]}),
        201,
    )
    assert hook["secret"] and hook["event_types"] == ["assign", "submit"]
    await s.to_state("submitted")

    first = await webhooks.deliver_due(settings)
    assert (first.delivered, first.retrying) == (0, 1)
    assert (await webhooks.deliver_due(settings)).retrying == 0, "the retry waits for its backoff"
    second = await webhooks.deliver_due(settings, at=now() + timedelta(hours=1))
    third = await webhooks.deliver_due(settings, at=now() + timedelta(hours=2))
    assert second.delivered == 1 and third.delivered == 0

    assert len(receiver.requests) == 2, "one failure, one success, no duplicate"
    ids = {headers["X-Certify-Delivery"] for headers, _ in receiver.requests}
    assert len(ids) == 1
    for headers, body in receiver.requests:
        expected = "sha256=" + hmac.new(hook["secret"].encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-Certify-Signature"], expected)
    payload = json.loads(receiver.requests[1][1])
    assert payload["event"] == "submit" and payload["application_id"] == s.case_id
    assert payload["from_state"] == "draft" and payload["to_state"] == "submitted"

    log = await ok(await s.kommun.get(f"/api/webhooks/{hook['id']}/deliveries"))
    assert len(log) == 1 and log[0]["status"] == "delivered" and log[0]["attempts"] == 2
    assert [entry["status_code"] for entry in log[0]["log"]] == [500, 200]


async def test_a_dead_endpoint_does_not_block_the_workflow(world: World, settings: Settings) -> None:
    s = await Scenario.create(world)
    dead = f"http://127.0.0.1:{free_port()}/nobody-listens"
    hook = await ok(await s.kommun.post("/api/webhooks", json={"url": dead, "event_types": ["*"]}), 201)
    case = await s.to_state("scheduled")
    assert case["state"] == "scheduled"

    report = await webhooks.deliver_due(settings)
    assert report.delivered == 0 and report.retrying >= 3  # open, answers, submit, assign…
    log = await ok(await s.kommun.get(f"/api/webhooks/{hook['id']}/deliveries"))
    assert all(d["status"] == "pending" and d["log"][0]["status_code"] is None for d in log)
    # Never how it failed (refused, timed out): that would map the network's ports for the caller.
    assert {d["log"][0]["error"] for d in log} == {"failed: no answer"}


async def test_only_the_kommun_sees_its_webhooks(world: World) -> None:
    s = await Scenario.create(world)
    assert (
        await s.owner.post("/api/webhooks", json={"url": "https://x.se/h", "event_types": ["*"]})
    ).status_code == 403
    refused = await s.kommun.post("/api/webhooks", json={"url": "ftp://x.se/h", "event_types": ["submit"]})
    assert refused.status_code == 400


async def test_the_address_is_checked_when_the_delivery_is_made(
    world: World, settings: Settings, receiver: Receiver
) -> None:
    """A name that resolves to loopback (or a URL stored before the rule) reaches nothing."""
    s = await Scenario.create(world)
    sneaky = receiver.url.replace("127.0.0.1", "localhost")
    await ok(await s.kommun.post("/api/webhooks", json={"url": sneaky, "event_types": ["*"]}), 201)
    await Webhook.insert(
        Webhook(kommun=await kommun_id(s), url=receiver.url, event_types=["*"], secret="x")
    ).run()
    await s.to_state("submitted")

    strict = dataclasses.replace(settings, webhook_allow_private=False)
    report = await webhooks.deliver_due(strict)

    assert report.delivered == 0 and report.retrying > 0
    assert receiver.requests == []
    logs = await WebhookDelivery.select(WebhookDelivery.log).output(load_json=True).run()
    assert {row["log"][0]["error"] for row in logs} == {"refused: address not allowed"}


async def kommun_id(s: Scenario) -> int:
    me = await ok(await s.kommun.get("/api/me"))
    from certify.tables import Kommun

    row = await Kommun.select(Kommun.id).where(Kommun.code == me["kommun_code"]).first().run()
    assert row is not None
    return int(row["id"])


async def test_the_connection_goes_to_the_checked_address_with_the_host_kept(
    world: World, settings: Settings, receiver: Receiver
) -> None:
    s = await Scenario.create(world)
    by_name = receiver.url.replace("127.0.0.1", "localhost")
    await ok(await s.kommun.post("/api/webhooks", json={"url": by_name, "event_types": ["submit"]}), 201)
    await s.to_state("submitted")
    assert (await webhooks.deliver_due(settings)).retrying == 1  # the receiver answers 500 first
    [(headers, _)] = receiver.requests
    assert headers["Host"] == by_name.split("/")[2]
