"""Reads take turns: each process works on at most READS_AT_ONCE GET requests at a time.

Without a limit the event loop interleaves the steps of every request that has arrived, so under
load each one waits behind all the others at every query: at 50 clients on PostgreSQL the case
read's p99 was about 150 ms. With turns, a read admitted runs to its answer and the others wait
in arrival order (p99 68-96 ms, and more reads per second; benchmarks/load.py).

Only GET and HEAD take a turn: their head has been read before the app runs, and the turn ends when
the answer starts, so a slow client can hold one neither while sending nor while receiving. Writes
arrive at the client's pace with their bodies, so they never wait here.
"""

from __future__ import annotations

import asyncio

from litestar.config.app import AppConfig
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from certify.database import POOL_SIZE
from certify.loop_local import PerLoop

READS_AT_ONCE = POOL_SIZE  # a PostgreSQL connection for each read in progress


def reads_take_turns(app: ASGIApp) -> ASGIApp:
    turns = PerLoop(lambda: asyncio.Semaphore(READS_AT_ONCE))

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await app(scope, receive, send)
            return
        turn = turns.get()
        await turn.acquire()
        holding = True

        async def send_and_let_the_next_in(message: Message) -> None:
            nonlocal holding
            if holding and message["type"] == "http.response.start":
                holding = False
                turn.release()
            await send(message)

        try:
            await app(scope, receive, send_and_let_the_next_in)
        finally:
            if holding:
                turn.release()

    return middleware


def install(app_config: AppConfig) -> AppConfig:
    """Outermost of the app's middleware, so sessions and the caller's lookup wait their turn too."""
    app_config.middleware.insert(0, reads_take_turns)
    return app_config
