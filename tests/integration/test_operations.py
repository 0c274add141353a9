"""What operations rely on: health and readiness, request ids and logs, limits and headers."""

from __future__ import annotations

import json
import logging

import pytest
from piccolo.apps.migrations.tables import Migration

from certify.settings import Settings
from certify.web.observability import JsonLineFormatter
from certify.web.site import upload_body_limit
from tests.conftest import World
from tests.integration.scenario import Scenario


async def test_health_and_readiness(anonymous) -> None:  # type: ignore[no-untyped-def]
    assert (await anonymous.get("/health")).json() == {"status": "ok"}
    assert (await anonymous.get("/ready")).json() == {"status": "ready"}

    newest = (
        await Migration.select(Migration.id, Migration.name)
        .order_by(Migration.id, ascending=False)
        .first()
        .run()
    )
    assert newest is not None
    # The newest migration looks unapplied for a moment; its record is put back, since on PostgreSQL
    # the record outlives the test (a later `certify migrate` would run it again).
    await Migration.update({Migration.name: "not-yet-applied"}).where(Migration.id == newest["id"]).run()
    try:
        not_ready = await anonymous.get("/ready")
    finally:
        await Migration.update({Migration.name: newest["name"]}).where(Migration.id == newest["id"]).run()
    assert not_ready.status_code == 503 and not_ready.json()["status"] == "migrations pending"
    assert (await anonymous.get("/ready")).json() == {"status": "ready"}


async def test_every_answer_carries_a_request_id_and_is_logged_as_one_json_line(
    anonymous,  # type: ignore[no-untyped-def]
) -> None:
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("certify.requests")
    logger.addHandler(handler)
    try:
        mine = await anonymous.get("/health", headers={"x-request-id": "abc-123"})
        generated = await anonymous.get("/api/kommuner")
    finally:
        logger.removeHandler(handler)
    assert mine.headers["x-request-id"] == "abc-123"
    assert len(generated.headers["x-request-id"]) == 16
    lines = [json.loads(JsonLineFormatter().format(r)) for r in records]
    assert [(line["path"], line["status"], line["request_id"]) for line in lines] == [
        ("/health", 200, "abc-123"),
        ("/api/kommuner", 200, generated.headers["x-request-id"]),
    ]
    assert all(isinstance(line["duration_ms"], float) for line in lines)


async def test_security_headers(anonymous) -> None:  # type: ignore[no-untyped-def]
    response = await anonymous.get("/api/kommuner")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


async def test_huge_and_deeply_nested_bodies_are_refused_cleanly(world: World, settings: Settings) -> None:
    s = await Scenario.create(world)
    limit = upload_body_limit(settings)
    huge = await s.owner.put(
        f"/api/applications/{s.case_id}/answers/1",
        content=b'{"status": "fulfilled", "comment": "' + b"a" * (limit + 1) + b'"}',
        headers={"content-type": "application/json"},
    )
    assert huge.status_code == 413
    nested = b"[" * 100_000 + b"]" * 100_000
    deep = await s.owner.post(
        f"/api/applications/{s.case_id}/submit", content=nested, headers={"content-type": "application/json"}
    )
    assert deep.status_code == 400
    assert (await s.case())["state"] == "draft"


@pytest.mark.parametrize("field", ["name", "street_address", "city", "area", "chain"])
async def test_markup_in_text_fields_is_stored_as_text(world: World, field: str) -> None:
    s = await Scenario.create(world)
    script = "<script>alert('x')</script>"
    response = await s.owner.patch(f"/api/businesses/{s.business_id}", json={field: script})
    assert response.status_code == 200 and response.json()[field] == script
    assert response.headers["content-type"].startswith("application/json")


async def test_ids_too_large_for_the_database_are_bad_input_not_a_crash(world: World) -> None:
    s = await Scenario.create(world)
    huge = "9" * 30
    assert (await s.owner.get(f"/arenden/{huge}/egenkontroll")).status_code == 400
    assert (await s.kommun.get(f"/api/webhooks/{huge}/deliveries")).status_code == 400


async def test_pages_carry_the_security_headers(anonymous) -> None:  # type: ignore[no-untyped-def]
    page = await anonymous.get("/")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
