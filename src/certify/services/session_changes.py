"""How an app instance learns that a session it remembers may have ended, on either database.

Triggers (migration certify_2026_12_01t10_00_00_000000) announce every change that can end a
session or change who its user is: a session deleted, an account updated or deleted, an
inspector's kommuner changed. Before a request trusts what the instance remembers,
`caught_up()` makes sure every such change committed before the request arrived has been applied:

- PostgreSQL: the announcements are NOTIFYs on a connection of the instance's own. The server
  sends a committed notification before it answers any later statement on that connection, so a
  round trip on it that starts after the request arrived has delivered everything committed
  before. Requests arriving together share one round trip.
- SQLite: the triggers count changes in `session_generation`; one row, read on the event loop's
  thread, once for the requests that arrive together. When the count moved, the instance forgets
  everything it remembers.

The same barrier serves a second memory: the case reads an instance keeps
(certify.services.case_cache). Triggers (migration certify_2026_12_15t13_00_00_000000) announce
every change to what a case read shows or to who may see it, on channel `certify_cases` (the
application's id, or nothing: forget every case) and as `case_generation` on SQLite. They ride
the same connection and the same one-row read, so the cases cost the request nothing more.

If the listening connection is lost, `caught_up()` answers False until it is back: the caller
then asks the database on every request instead of trusting its memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

import asyncpg  # type: ignore[import-untyped]

from certify import database
from certify.database import PooledSQLiteEngine

CHANNEL = "certify_sessions"
CASES_CHANNEL = "certify_cases"
ROUND_TRIP_TIMEOUT_SECONDS = 5.0
RECONNECT_AFTER_SECONDS = 1.0

log = logging.getLogger("certify.sessions")

Forget = Callable[[int | None], None]  # an account's sessions, or every session (None)
# Likewise for cases: one application's reads, or every case read (None).


def forget_nothing(_id: int | None) -> None:
    """For a listener with no case reads to forget."""


class SessionChanges(Protocol):
    async def start(self) -> None: ...

    async def caught_up(self) -> bool: ...

    async def stop(self) -> None: ...


def for_this_database(forget: Forget, forget_cases: Forget = forget_nothing) -> SessionChanges:
    engine = database.engine()
    if isinstance(engine, PooledSQLiteEngine):
        return SqliteGeneration(engine, forget, forget_cases)
    return PostgresNotifications(engine.config, forget, forget_cases)


class SqliteGeneration:
    """The count of session-ending changes, read before a request trusts the memory. Requests that
    arrive together share one read: it starts after each of them had arrived, so it sees every
    change committed before any of them (the barrier PostgreSQL's round trip gives), and under load
    most requests ask the database nothing (benchmarks/session_cost.py)."""

    def __init__(self, engine: PooledSQLiteEngine, forget: Forget, forget_cases: Forget) -> None:
        self._engine = engine
        self._forget = forget
        self._forget_cases = forget_cases
        self._generation: int | None = None
        self._case_generation: int | None = None
        self._waiting: list[asyncio.Future[bool]] = []
        self._reading: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.caught_up()

    async def caught_up(self) -> bool:
        waiter: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        if self._reading is None:
            # A task starts after the callbacks already due: every request that arrived with this
            # one has queued its waiter by then.
            self._reading = asyncio.create_task(self._read_for_the_waiting())
        return await waiter

    async def _read_for_the_waiting(self) -> None:
        try:
            while self._waiting:
                answered, self._waiting = self._waiting, []
                try:
                    await self._read()
                except Exception as exc:  # the requests fail as they would have reading it themselves
                    for waiter in answered:
                        if not waiter.done():
                            waiter.set_exception(exc)
                    continue
                for waiter in answered:
                    if not waiter.done():
                        waiter.set_result(True)
        finally:
            self._reading = None

    async def _read(self) -> None:
        rows = await self._engine.fetch("SELECT generation, case_generation FROM session_generation")
        generation, case_generation = int(rows[0]["generation"]), int(rows[0]["case_generation"])
        if generation != self._generation:
            self._generation = generation
            self._forget(None)
        if case_generation != self._case_generation:
            self._case_generation = case_generation
            self._forget_cases(None)

    async def stop(self) -> None:
        if self._reading is not None:
            self._reading.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reading
        for waiter in self._waiting:
            if not waiter.done():
                waiter.set_result(False)
        self._waiting = []


class PostgresNotifications:
    """LISTEN on a connection of its own; a shared round trip on it is the barrier."""

    def __init__(self, config: dict[str, Any], forget: Forget, forget_cases: Forget) -> None:
        self._config = config
        self._forget = forget
        self._forget_cases = forget_cases
        self._connection: asyncpg.Connection | None = None
        self._last_attempt = 0.0
        self._waiting: list[asyncio.Future[bool]] = []
        self._rounds: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._connect()

    async def caught_up(self) -> bool:
        waiter: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        if self._rounds is None:
            self._rounds = asyncio.create_task(self._run_rounds())
        return await waiter

    async def _run_rounds(self) -> None:
        """Each round trip starts after every request it answers had arrived."""
        try:
            while self._waiting:
                answered, self._waiting = self._waiting, []
                delivered = False
                try:
                    delivered = await self._round_trip()
                finally:
                    for waiter in answered:
                        if not waiter.done():
                            waiter.set_result(delivered)
        finally:
            self._rounds = None

    async def _round_trip(self) -> bool:
        if self._connection is None and not await self._connect():
            return False
        assert self._connection is not None
        try:
            await self._connection.execute("SELECT 1", timeout=ROUND_TRIP_TIMEOUT_SECONDS)
        except (TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
            log.warning("session listener lost: %s", exc)
            await self._disconnect()
            return False
        return True

    async def _connect(self) -> bool:
        if time.monotonic() - self._last_attempt < RECONNECT_AFTER_SECONDS:
            return False
        self._last_attempt = time.monotonic()
        try:
            connection = await asyncpg.connect(**self._config, timeout=ROUND_TRIP_TIMEOUT_SECONDS)
            await connection.add_listener(CHANNEL, self._notified)
            await connection.add_listener(CASES_CHANNEL, self._cases_notified)
        except (TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
            log.warning("session listener cannot connect: %s", exc)
            return False
        self._connection = connection
        self._forget(None)  # whatever changed while nobody listened
        self._forget_cases(None)
        return True

    def _notified(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        """Called by asyncpg before the statement that follows the notification returns."""
        self._forget(_id_in(payload))

    def _cases_notified(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        self._forget_cases(_id_in(payload))

    async def _disconnect(self) -> None:
        connection, self._connection = self._connection, None
        self._forget(None)
        self._forget_cases(None)
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.close(timeout=1)

    async def stop(self) -> None:
        if self._rounds is not None:
            self._rounds.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._rounds
        for waiter in self._waiting:
            if not waiter.done():
                waiter.set_result(False)
        self._waiting = []
        await self._disconnect()


def _id_in(payload: str) -> int | None:
    """The id a notification names; anything else (empty: a change of many) means forget all."""
    return int(payload) if payload.isascii() and payload.isdigit() else None
