"""The Idempotency-Key header: a write sent twice with one key is applied once and answered alike."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from typing import Any

import httpx
import pytest

from certify.domain.status import Role
from certify.services import accounts, idempotency, jobs
from certify.services.clock import now, today
from certify.tables import IdempotencyKey
from certify.web.idempotency import idempotent
from tests.conftest import World
from tests.integration.pages import PNG
from tests.integration.scenario import Scenario, ok


def keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


async def actions(scenario: Scenario) -> Counter[str]:
    trail = await ok(await scenario.kommun.get(f"/api/applications/{scenario.case_id}/events"))
    return Counter(event["action"] for event in trail)


async def judging(world: World) -> Scenario:
    scenario = Scenario(**vars(await Scenario.create(world)))
    await scenario.to_state("scheduled")
    return scenario


async def test_the_same_verdict_twice_is_applied_once_and_answered_alike(world: World) -> None:
    scenario = await judging(world)
    url = f"/api/applications/{scenario.case_id}/verdicts/3"
    body = {"verdict": "pass", "remark": "Kassalådan låst."}
    first = await scenario.inspector.put(url, json=body, headers=keyed("a1b2c3"))
    again = await scenario.inspector.put(url, json=body, headers=keyed("a1b2c3"))
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert (await actions(scenario))["verdict"] == 1
    unkeyed = await scenario.inspector.put(url, json=body)
    assert unkeyed.status_code == 200 and (await actions(scenario))["verdict"] == 2, "no key: no memory"


async def test_evidence_uploaded_twice_with_one_key_is_one_file(world: World) -> None:
    scenario = await Scenario.create(world)
    url = f"/api/applications/{scenario.case_id}/evidence"
    responses = [
        # httpx draws a new multipart boundary each time, as a browser's retry does
        await scenario.owner.post(
            url, params={"point": 9}, files={"file": ("tejp.png", PNG, "image/png")}, headers=keyed("foto-1")
        )
        for _ in range(2)
    ]
    assert [r.status_code for r in responses] == [201, 201]
    assert responses[0].json() == responses[1].json()
    assert len(await ok(await scenario.owner.get(url))) == 1


async def test_an_action_sent_twice_records_one_event(world: World) -> None:
    scenario = await Scenario.create(world)
    await scenario.answer_all()
    url = f"/api/applications/{scenario.case_id}/submit"
    first = await scenario.owner.post(url, json={}, headers=keyed("skicka-in"))
    again = await scenario.owner.post(url, json={}, headers=keyed("skicka-in"))
    assert first.status_code == again.status_code == 200 and first.content == again.content
    assert (await actions(scenario))["submit"] == 1
    fresh = await scenario.owner.post(url, json={}, headers=keyed("skicka-in-igen"))
    assert fresh.status_code == 409, "a new key is a new write: not allowed from submitted"


async def test_a_refusal_is_remembered_and_answered_again(world: World) -> None:
    scenario = await Scenario.create(world)
    url = f"/api/applications/{scenario.case_id}/submit"
    refused = await scenario.owner.post(url, json={}, headers=keyed("for-tidigt"))
    assert refused.status_code == 422
    await scenario.answer_all()  # the rule is met now, but the key already has its answer
    again = await scenario.owner.post(url, json={}, headers=keyed("for-tidigt"))
    assert again.status_code == 422 and again.content == refused.content
    assert (await actions(scenario))["submit"] == 0


async def test_the_owners_answer_is_applied_once(world: World) -> None:
    scenario = await Scenario.create(world)
    url = f"/api/applications/{scenario.case_id}/answers/1"
    body = {"status": "fulfilled", "comment": "Kim Svensson"}
    first = await scenario.owner.put(url, json=body, headers=keyed("svar-1"))
    again = await scenario.owner.put(url, json=body, headers=keyed("svar-1"))
    assert first.status_code == again.status_code == 200 and first.content == again.content
    assert (await actions(scenario))["answer"] == 1


async def test_a_key_reused_for_another_write_is_refused_in_words(world: World) -> None:
    scenario = await judging(world)
    url = f"/api/applications/{scenario.case_id}/verdicts/"
    await ok(await scenario.inspector.put(url + "3", json={"verdict": "pass"}, headers=keyed("k")))
    other_body = await scenario.inspector.put(
        url + "3",
        json={"verdict": "fail", "remark": "Olåst.", "failed_criteria": ["3.1"]},
        headers=keyed("k"),
    )
    other_path = await scenario.inspector.put(url + "4", json={"verdict": "pass"}, headers=keyed("k"))
    for refused in (other_body, other_path):
        assert refused.status_code == 422
        assert refused.json()["extra"]["code"] == "idempotency_key_reused"
        assert "redan använts för en annan ändring" in refused.json()["detail"]
    in_english = await scenario.inspector.put(
        url + "4", json={"verdict": "pass"}, headers={**keyed("k"), "Accept-Language": "en"}
    )
    assert "already been used for another change" in in_english.json()["detail"]
    assert [v["verdict"] for v in (await scenario.case())["verdicts"] if v["point"] == 3] == ["pass"]


async def test_a_malformed_key_names_the_header(world: World) -> None:
    scenario = await judging(world)
    url = f"/api/applications/{scenario.case_id}/verdicts/3"
    for bad in ("", "x" * 256, "med mellanslag"):
        response = await scenario.inspector.put(url, json={"verdict": "pass"}, headers=keyed(bad))
        assert response.status_code == 400, bad
        assert response.json()["extra"] == {"code": "invalid_idempotency_key", "field": "Idempotency-Key"}
    quoted = await scenario.inspector.put(url, json={"verdict": "pass"}, headers=keyed('"sf-string"'))
    assert quoted.status_code == 200


async def test_two_users_with_the_same_key_are_independent(world: World) -> None:
    mine, theirs = await Scenario.create(world), await Scenario.create(world)
    body = {"status": "fulfilled", "comment": "Kim Svensson"}
    answers = [
        await scenario.owner.put(
            f"/api/applications/{scenario.case_id}/answers/1", json=body, headers=keyed("samma")
        )
        for scenario in (mine, theirs)
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert "idempotent-replayed" not in answers[1].headers, "applied, not someone else's answer"
    assert (await actions(mine))["answer"] == (await actions(theirs))["answer"] == 1
    # the other owner sending the first one's write with the first one's key learns nothing of it
    stranger = await theirs.owner.put(
        f"/api/applications/{mine.case_id}/answers/1", json=body, headers=keyed("samma")
    )
    assert stranger.status_code == 422 and stranger.json()["extra"]["code"] == "idempotency_key_reused"
    other_key = await theirs.owner.put(
        f"/api/applications/{mine.case_id}/answers/1", json=body, headers=keyed("ny")
    )
    assert other_key.status_code == 404


async def test_concurrent_duplicates_are_applied_once(world: World) -> None:
    scenario = await judging(world)
    url = f"/api/applications/{scenario.case_id}/verdicts/6"
    body = {"verdict": "pass", "remark": "Samtidigt."}
    responses = await asyncio.gather(
        *(scenario.inspector.put(url, json=body, headers=keyed("samtidig")) for _ in range(8))
    )
    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {200, 409} and statuses[200] >= 1, statuses
    answers = {r.content for r in responses if r.status_code == 200}
    assert len(answers) == 1, "every 200 is the one answer"
    for waiting in (r for r in responses if r.status_code == 409):
        assert waiting.json()["extra"]["code"] == "idempotency_in_progress"
    assert (await actions(scenario))["verdict"] == 1


async def test_a_repeat_while_the_first_is_still_applied_is_told_to_wait(world: World) -> None:
    scenario = await judging(world)
    url = f"/api/applications/{scenario.case_id}/verdicts/7"
    body = {"verdict": "pass"}
    await ok(await scenario.inspector.put(url, json=body, headers=keyed("forst")))
    fingerprint = await IdempotencyKey.select(IdempotencyKey.fingerprint).first().run()
    assert fingerprint is not None
    # the same request under another key, claimed by a request still running (no answer yet)
    assert await idempotency.claim(scenario.inspector_id, "pagar", fingerprint["fingerprint"]) is None
    waiting = await scenario.inspector.put(url, json=body, headers=keyed("pagar"))
    assert waiting.status_code == 409 and waiting.json()["extra"]["code"] == "idempotency_in_progress"
    assert "håller fortfarande på att sparas" in waiting.json()["detail"]
    assert (await actions(scenario))["verdict"] == 1


async def test_keys_are_kept_thirty_days_then_purged_by_the_daily_job(world: World) -> None:
    scenario = await judging(world)
    url = f"/api/applications/{scenario.case_id}/verdicts/8"
    await ok(await scenario.inspector.put(url, json={"verdict": "pass"}, headers=keyed("gammal")))
    await jobs.tick(today() + timedelta(days=29))
    assert await IdempotencyKey.count().run() == 1
    await jobs.tick(today() + timedelta(days=31))
    assert await IdempotencyKey.count().run() == 0
    # forgotten: the same key now applies the write again
    await ok(await scenario.inspector.put(url, json={"verdict": "pass"}, headers=keyed("gammal")))
    assert (await actions(scenario))["verdict"] == 2


async def test_the_header_is_documented_on_the_writes_that_take_it(anonymous: httpx.AsyncClient) -> None:
    schema = await ok(await anonymous.get("/schema/openapi.json"))
    paths = schema["paths"]
    taking = {
        ("put", "/api/applications/{application_id}/verdicts/{point}"),
        ("put", "/api/applications/{application_id}/answers/{point}"),
        ("post", "/api/applications/{application_id}/evidence"),
        ("post", "/api/applications/{application_id}/{action}"),
    }
    found = {
        (method, path)
        for path, item in paths.items()
        for method, operation in item.items()
        if any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))
    }
    assert found == taking


class _Route:
    """The route handler as the middleware asks it: its body limit."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit

    def resolve_request_max_body_size(self) -> int | None:
        return self.limit


async def _through_middleware(
    world: World, inner: Any, body: bytes = b"{}", limit: int | None = None
) -> list[dict[str, Any]]:
    """One keyed request straight through the middleware around `inner`, as a logged-in user."""
    account_id = await world.user(Role.owner)
    actor = await accounts.load_actor(account_id, now())
    scope = {
        "type": "http",
        "method": "PUT",
        "raw_path": b"/api/x",
        "query_string": b"",
        "headers": [(b"idempotency-key", b"fel-1"), (b"content-type", b"application/json")],
        "user": actor,
        "route_handler": _Route(limit),
    }
    chunks = [body[i : i + 4] for i in range(0, len(body), 4)] or [b""]
    incoming = [
        {"type": "http.request", "body": chunk, "more_body": n < len(chunks) - 1}
        for n, chunk in enumerate(chunks)
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return incoming.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await idempotent(inner)(scope, receive, send)
    return sent


async def test_a_server_error_forgets_the_key_so_the_retry_applies(world: World) -> None:
    async def failing(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 503, "headers": []})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    sent = await _through_middleware(world, failing)
    assert sent[0]["status"] == 503 and await IdempotencyKey.count().run() == 0

    async def raising(scope: Any, receive: Any, send: Any) -> None:
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        await _through_middleware(world, raising)
    assert await IdempotencyKey.count().run() == 0


async def test_a_body_over_the_limit_passes_on_whole_and_is_not_remembered(world: World) -> None:
    received: list[bytes] = []

    async def reading(scope: Any, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            received.append(message["body"])
            if not message["more_body"]:
                break
        await send({"type": "http.response.start", "status": 413, "headers": []})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    body = b'{"remark": "' + b"x" * 40 + b'"}'
    sent = await _through_middleware(world, reading, body, limit=10)
    assert b"".join(received) == body, "every byte reaches the app, in order"
    assert sent[0]["status"] == 413 and await IdempotencyKey.count().run() == 0
