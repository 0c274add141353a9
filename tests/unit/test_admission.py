"""Reads take turns: at most READS_AT_ONCE GETs in the app, writes never held, turns end at the answer."""

from __future__ import annotations

import asyncio

import httpx
from litestar.types import Receive, Scope, Send

from certify.web.admission import READS_AT_ONCE, reads_take_turns


class Gated:
    """An ASGI app whose GETs wait for `go` before answering (or, for /slow-body, before the body)."""

    def __init__(self) -> None:
        self.inside = 0
        self.peak = 0
        self.entered = 0
        self.go = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.entered += 1
        self.inside += 1
        self.peak = max(self.peak, self.inside)
        slow_body = scope["path"] == "/slow-body"
        if scope["method"] == "GET" and not slow_body:
            await self.go.wait()
        self.inside -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        if slow_body:
            await self.go.wait()  # a client reading slowly: the answer has started, the body not sent
        await send({"type": "http.response.body", "body": b"ok"})


def _client(inner: Gated) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=reads_take_turns(inner)), base_url="http://t")


async def _settle() -> None:
    for _ in range(50):
        await asyncio.sleep(0)


async def test_reads_beyond_the_limit_wait_their_turn_and_all_get_answers() -> None:
    inner = Gated()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=reads_take_turns(inner)), base_url="http://t"
    ) as client:
        reads = [asyncio.create_task(client.get("/case")) for _ in range(READS_AT_ONCE + 10)]
        await _settle()
        assert inner.inside == READS_AT_ONCE, "the rest wait outside the app"
        write = await client.post("/answers", content=b"{}")
        assert write.status_code == 200, "a write does not wait for the reads' turns"
        inner.go.set()
        answers = await asyncio.gather(*reads)
    assert [a.status_code for a in answers] == [200] * (READS_AT_ONCE + 10)
    assert inner.peak <= READS_AT_ONCE + 1  # the reads, and the write that went past them


async def test_a_turn_ends_when_the_answer_starts() -> None:
    inner = Gated()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=reads_take_turns(inner)), base_url="http://t"
    ) as client:
        slow = [asyncio.create_task(client.get("/slow-body")) for _ in range(READS_AT_ONCE)]
        await _settle()
        late = asyncio.create_task(client.get("/slow-body"))
        await _settle()
        assert inner.entered == READS_AT_ONCE + 1, "slow readers of answers hold no turn"
        inner.go.set()
        await asyncio.gather(*slow, late)
