"""The database engine and the one way to open a write transaction on either backend."""

from __future__ import annotations

import asyncio
import functools
import os
import sqlite3
import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import aiosqlite
import asyncpg  # type: ignore[import-untyped]
from piccolo.engine.base import Engine
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory
from piccolo.querystring import QueryString

from certify.loop_local import PerLoop
from certify.settings import DatabaseUrl

SQLITE_BUSY_TIMEOUT_SECONDS = 30.0
POOL_SIZE = 20  # PostgreSQL connections per process
PICCOLO_CONF = "certify.piccolo_conf"


def use_piccolo_conf() -> None:
    """Piccolo finds its engine through this variable; set it before the first query."""
    os.environ.setdefault("PICCOLO_CONF", PICCOLO_CONF)


SQLITE_IDLE_CONNECTIONS = 16
SQLITE_CONCURRENT_QUERIES = 4  # measured with benchmarks/load.py; more threads only add GIL contention
INLINE_READ_BUDGET_SECONDS = 0.002  # a read running longer is interrupted and re-run on a thread
INLINE_READ_CHECK_EVERY = 1000  # SQLite VM instructions between two looks at the clock


class PooledSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine, keeping idle connections instead of opening one per query, and
    answering short reads on the event loop's own thread.

    Piccolo opens a connection (a file open and a new aiosqlite thread) for every query outside a
    transaction and sends each query as five thread hops; here a query borrows an open connection
    and is one hop. Connections are in autocommit mode, so a borrowed connection always reads the
    latest committed data and carries no transaction to its next user.

    A point read takes SQLite 10-20 µs, a hop to a driver thread and back several times that (the
    thread waits for the GIL while the loop is busy). So a SELECT outside a transaction first runs
    inline on a connection that SQLite itself keeps read-only (`PRAGMA query_only`), never waits for
    a lock (busy timeout 0) and is interrupted after INLINE_READ_BUDGET_SECONDS; a read that is
    refused, busy or interrupted is re-run on a driver thread, so a long report never holds up
    the loop for more than the budget. WAL readers take no locks that writers wait on.
    """

    def __init__(self, path: str, **connection_kwargs: Any) -> None:
        super().__init__(path=path, **connection_kwargs)
        self._idle: list[aiosqlite.Connection] = []
        self._slots = PerLoop(lambda: asyncio.Semaphore(SQLITE_CONCURRENT_QUERIES))
        self._writers = PerLoop(asyncio.Lock)
        self._inline = PerLoop(self._open_inline_connection)

    def _query_slots(self) -> asyncio.Semaphore:
        """At most a few queries outside transactions at once: more threads only fight over the GIL.

        Transactions are not counted, so one that reads outside itself can never wait on itself.
        """
        return self._slots.get()

    def write_turn(self) -> asyncio.Lock:
        """This process's writers queue here, first come first served, for SQLite's one write lock.

        Without it every waiting writer polls the lock with SQLite's growing sleeps (up to 100 ms
        each), and under load a save could wait seconds while the lock stood free (benchmarks/load.py,
        mixed workload). Other processes (certify tick, imports) still meet the busy timeout.
        """
        return self._writers.get()

    def _open_inline_connection(self) -> sqlite3.Connection:
        """A loop's read-only connection: never waits for a lock, refuses every write."""
        options = {**self.connection_kwargs, "timeout": 0, "check_same_thread": False}
        connection = sqlite3.connect(**options)
        connection.row_factory = dict_factory
        connection.execute("PRAGMA query_only = 1")
        return connection

    def _read_inline(self, query: str, args: list[Any]) -> list[dict[str, Any]] | None:
        """The rows, or None when the read must go to a driver thread instead."""
        connection = self._inline.get()
        deadline = time.perf_counter() + INLINE_READ_BUDGET_SECONDS
        connection.set_progress_handler(lambda: time.perf_counter() > deadline, INLINE_READ_CHECK_EVERY)
        try:
            return list(connection.execute(query, args).fetchall())
        except sqlite3.OperationalError:  # interrupted, busy, or not a pure read: the thread decides
            return None
        finally:
            connection.set_progress_handler(None, 0)

    async def fetch(self, query: str, args: list[Any] | None = None) -> list[dict[str, Any]]:
        """A query outside any transaction without Piccolo's query building: for the few reads made
        on every request (certify.services.session_changes)."""
        return await self._run_in_new_connection(query, args)

    async def get_connection(self) -> aiosqlite.Connection:
        while self._idle:
            connection = self._idle.pop()
            if connection._running and connection._connection is not None:
                return connection
        connection = aiosqlite.connect(**self.connection_kwargs)
        connection._thread.daemon = True  # an unclosed idle connection never holds the process open
        await connection
        connection.row_factory = dict_factory
        await connection.execute("PRAGMA foreign_keys = 1")
        return connection

    async def release(self, connection: aiosqlite.Connection) -> None:
        """Back to the idle list, or closed when the list is full or the connection is unusable."""
        if connection.in_transaction or len(self._idle) >= SQLITE_IDLE_CONNECTIONS:
            await connection.close()
        else:
            self._idle.append(connection)

    async def close_idle(self) -> None:
        idle, self._idle = self._idle, []
        for connection in idle:
            await connection.close()
        for reader in self._inline.take_all():
            reader.close()

    async def _run_in_new_connection(
        self, query: str, args: list[Any] | None = None, query_type: str = "generic", table: Any = None
    ) -> list[dict[str, Any]]:
        if query_type != "insert" and query.lstrip()[:6].upper() == "SELECT":
            rows = self._read_inline(query, args or [])
            if rows is not None:
                return rows
        async with self._query_slots():
            connection = await self.get_connection()
            try:
                rows = await connection.execute_fetchall(query, args or [])
            except sqlite3.Error:
                await self.release(connection)  # the statement failed; the connection is fine
                raise
            except BaseException:
                await connection.close()  # cancelled mid-query: do not hand on a busy connection
                raise
            await self.release(connection)
        return list(rows)

    async def _run_in_existing_connection(
        self,
        connection: aiosqlite.Connection,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> list[dict[str, Any]]:
        return list(await connection.execute_fetchall(query, args or []))

    def transaction(
        self, transaction_type: TransactionType = TransactionType.deferred, allow_nested: bool = True
    ) -> SQLiteTransaction:
        return PooledSQLiteTransaction(
            engine=self, transaction_type=transaction_type, allow_nested=allow_nested
        )


class PooledSQLiteTransaction(SQLiteTransaction):
    """A transaction on a borrowed connection, handed back (or closed) when it ends; a writing
    transaction first waits for its turn (PooledSQLiteEngine.write_turn)."""

    engine: PooledSQLiteEngine

    async def __aenter__(self) -> SQLiteTransaction:
        if self._parent is not None or self.transaction_type == TransactionType.deferred:
            return await super().__aenter__()
        turn = self.engine.write_turn()
        await turn.acquire()
        try:
            return await super().__aenter__()
        except BaseException:
            turn.release()
            raise

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        try:
            return await self._end(exception)
        finally:
            if self.transaction_type != TransactionType.deferred:
                self.engine.write_turn().release()

    async def _end(self, exception: Any) -> bool:
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        except BaseException:
            await asyncio.shield(self.connection.close())
            raise
        finally:
            self.engine.current_transaction.reset(self.context)
        await self.engine.release(self.connection)
        return exception is None


def engine_for(database: DatabaseUrl) -> Engine[Any]:
    """Build the Piccolo engine; SQLite waits for a lock instead of failing at once."""
    if database.is_sqlite:
        assert database.sqlite_path is not None
        database.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        return PooledSQLiteEngine(path=str(database.sqlite_path), timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
    return PostgresEngine(
        config={
            "host": database.host,
            "port": database.port,
            "user": database.user,
            "password": database.password,
            "database": database.database,
        }
    )


_found: list[Engine[Any]] = []  # the process's engine, once found: finding it costs a request µs


def engine() -> Engine[Any]:
    if not _found:
        found = engine_finder()
        if found is None:
            raise RuntimeError("PICCOLO_CONF does not name a module with a DB engine")
        _found.append(found)
    return _found[0]


async def read(sql: str, *args: Any) -> Sequence[Mapping[str, Any]]:
    """The rows of a hand-written read (`{}` placeholders, as in Piccolo's raw), without Piccolo's
    query building, which cost more than the query on the hottest read (the case read,
    benchmarks/session_cost.py). Inside a transaction it reads on the transaction's connection."""
    db = engine()
    rows: Sequence[Mapping[str, Any]]
    if db.current_transaction.get() is None:
        if isinstance(db, PooledSQLiteEngine):
            return await db._run_in_new_connection(_placeholders(sql, True), list(args))
        if isinstance(db, PostgresEngine) and db.pool is not None:
            async with db.pool.acquire() as connection:
                rows = await connection.fetch(_placeholders(sql, False), *args)
                return rows
    rows = await db.run_querystring(QueryString(sql, *args))
    return rows


@functools.lru_cache(maxsize=64)
def _placeholders(sql: str, sqlite: bool) -> str:
    """Piccolo's `{}` placeholders as the driver's own: `?` for SQLite, `$1`, `$2`… for asyncpg."""
    parts = sql.split("{}")
    marks = ["?"] * (len(parts) - 1) if sqlite else [f"${n}" for n in range(1, len(parts))]
    return "".join(part + mark for part, mark in zip(parts, [*marks, ""], strict=True))


def is_sqlite() -> bool:
    return isinstance(engine(), SQLiteEngine)


def transaction() -> Any:
    """A write transaction: IMMEDIATE on SQLite so read-then-write never deadlocks."""
    db = engine()
    if isinstance(db, SQLiteEngine):
        return db.transaction(transaction_type=TransactionType.immediate)
    return db.transaction()


async def prepare() -> None:
    """Per-process start-up: WAL on SQLite (concurrent readers), the pool on PostgreSQL."""
    db = engine()
    if isinstance(db, SQLiteEngine):
        await db.run_ddl("PRAGMA journal_mode=WAL")
    elif isinstance(db, PostgresEngine):
        await db.start_connection_pool(min_size=2, max_size=POOL_SIZE, reset=_keep_session)


async def _keep_session(connection: asyncpg.Connection) -> None:
    """asyncpg's default reset sends one more statement after every query (RESET ALL, UNLISTEN …).

    The service never changes session state on pooled connections (no SET, LISTEN, advisory locks or
    cursors; the session listener has a connection of its own), and an
    open transaction is still rolled back by the pool before this runs, so there is nothing to reset.
    """


async def close() -> None:
    db = engine()
    if isinstance(db, PostgresEngine):
        await db.close_connection_pool()
    elif isinstance(db, PooledSQLiteEngine):
        await db.close_idle()


def as_datetime(value: Any) -> datetime:
    """A timestamp from a raw query: PostgreSQL answers datetimes, SQLite answers text when the
    column is computed (MAX(...), a subquery) and so has no declared type to convert by."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def is_unique_violation(exc: BaseException) -> bool:
    """Both drivers' ways of saying a unique constraint stopped the write."""
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc)
    return isinstance(exc, asyncpg.exceptions.UniqueViolationError)


INTEGRITY_ERRORS: tuple[type[BaseException], ...] = (
    sqlite3.IntegrityError,
    asyncpg.exceptions.IntegrityConstraintViolationError,
)


async def lock_business(business_id: int) -> None:
    """Serialise writers on one shop: FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE already does."""
    from certify.tables import Business

    if not is_sqlite():
        await Business.select(Business.id).where(Business.id == business_id).lock_rows().run()
