"""Kill the server with SIGKILL again and again during a stream of approvals and verdict
writes: whatever was acknowledged is stored, and no case is half-transitioned."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field

import httpx

from certify.domain.status import Role
from certify.tables import Application, Certificate, CertificateSequence, Event, Verdict
from tests.conftest import PASSWORD, World
from tests.integration.scenario import Scenario
from tests.live_server import LiveServer

CASES = 10
KILLS = 4


@dataclass
class Acknowledged:
    approvals: dict[int, str] = field(default_factory=dict)  # case id -> certificate number
    verdicts: dict[tuple[int, int], str] = field(default_factory=dict)  # (case, point) -> verdict


async def _login(url: str, email: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=url, timeout=10)
    response = await client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    response.raise_for_status()
    return client


async def _stream(
    url: str, email: str, ready: list[int], open_points: list[tuple[int, int]], acked: Acknowledged
) -> None:
    """Send approvals and verdicts until all are answered or the server goes away.

    Work leaves the to-do lists only with a definite answer, so what was in flight when the
    server died is sent again to the next server (an approval that did commit then gets 409).
    """
    try:
        client = await _login(url, email)
    except httpx.HTTPError:
        return  # killed before we were even logged in

    async def approve(case_id: int) -> None:
        response = await client.post(f"/api/applications/{case_id}/approve", json={})
        if response.status_code == 200:
            acked.approvals[case_id] = response.json()["certificate"]["number"]
        if response.status_code in (200, 409) and case_id in ready:
            ready.remove(case_id)

    async def judge(case_id: int, point: int) -> None:
        verdict = random.choice(["pass", "fail"])
        response = await client.put(
            f"/api/applications/{case_id}/verdicts/{point}",
            json={
                "verdict": verdict,
                "remark": "" if verdict == "pass" else "Brist.",
                "failed_criteria": [] if verdict == "pass" else [f"{point}.1"],
            },
        )
        if response.status_code == 200:
            acked.verdicts[(case_id, point)] = verdict
            if (case_id, point) in open_points:
                open_points.remove((case_id, point))

    try:
        while ready or open_points:
            # A task group cancels the batch's other requests when one fails, so none of them
            # outlives this stream and races the next server's stream over the same work.
            async with asyncio.TaskGroup() as batch:
                for case_id in ready[:3]:
                    batch.create_task(approve(case_id))
                for point in open_points[:5]:
                    batch.create_task(judge(*point))
    except* httpx.HTTPError:
        pass  # the server was killed mid-request: nothing was acknowledged for it
    finally:
        await client.aclose()


async def test_sigkill_during_approvals_and_verdicts_loses_nothing_acknowledged(world: World) -> None:
    first = await Scenario.create(world)
    ready_cases: list[int] = []
    judging_cases: list[int] = []
    for index in range(CASES):
        s = first if index == 0 else await Scenario.create_in(world, first)
        await s.to_state("scheduled")
        if index % 2 == 0:
            await s.judge_all()
            ready_cases.append(s.case_id)
        else:
            judging_cases.append(s.case_id)
    inspector_email = f"{Role.inspector.value}2@example.se"
    ready = list(ready_cases)
    open_points = [(case, point) for case in judging_cases for point in range(1, 14)]
    random.shuffle(open_points)
    acked = Acknowledged()

    server = LiveServer()
    for _ in range(KILLS):
        server.start()
        stream = asyncio.create_task(_stream(server.url, inspector_email, ready, open_points, acked))
        await asyncio.sleep(random.uniform(0.5, 1.2))
        server.kill()
        await stream
    server.start()
    await _stream(server.url, inspector_email, ready, open_points, acked)
    server.stop()

    assert acked.approvals and acked.verdicts, "the stream made progress between the kills"
    for case_id, number in acked.approvals.items():
        row = (
            await Certificate.select(Certificate.number)
            .where(Certificate.application == case_id)
            .first()
            .run()
        )
        assert row == {"number": number}, f"acknowledged approval of case {case_id} is stored"
    for (case_id, point), verdict in acked.verdicts.items():
        stored = (
            await Verdict.select(Verdict.verdict)
            .where((Verdict.application == case_id) & (Verdict.point == point))
            .first()
            .run()
        )
        assert stored == {"verdict": verdict}

    for case_id in ready_cases:
        state = (await Application.select(Application.state).where(Application.id == case_id).first().run())[
            "state"
        ]
        certificates = await Certificate.count().where(Certificate.application == case_id).run()
        approvals = (
            await Event.count().where((Event.application == case_id) & (Event.action == "approve")).run()
        )
        assert (state, certificates, approvals) in {("scheduled", 0, 0), ("certified", 1, 1)}, case_id

    numbers = sorted(r["number"] for r in await Certificate.select(Certificate.number).run())
    sequence = await CertificateSequence.select(CertificateSequence.last_number).first().run()
    assert sequence is not None
    serials = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert serials == list(range(1, len(numbers) + 1)), "numbers are unique and without gaps"
    assert sequence["last_number"] == len(numbers)
