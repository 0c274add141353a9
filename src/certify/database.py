"""The database engine and the one way to open a write transaction on either backend."""

from __future__ import annotations

import os
import sqlite3
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from piccolo.engine.base import Engine
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from certify.settings import DatabaseUrl

SQLITE_BUSY_TIMEOUT_SECONDS = 30.0
PICCOLO_CONF = "certify.piccolo_conf"


def use_piccolo_conf() -> None:
    """Piccolo finds its engine through this variable; set it before the first query."""
    os.environ.setdefault("PICCOLO_CONF", PICCOLO_CONF)


def engine_for(database: DatabaseUrl) -> Engine[Any]:
    """Build the Piccolo engine; SQLite waits for a lock instead of failing at once."""
    if database.is_sqlite:
        assert database.sqlite_path is not None
        database.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        return SQLiteEngine(path=str(database.sqlite_path), timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
    return PostgresEngine(
        config={
            "host": database.host,
            "port": database.port,
            "user": database.user,
            "password": database.password,
            "database": database.database,
        }
    )


def engine() -> Engine[Any]:
    found = engine_finder()
    if found is None:
        raise RuntimeError("PICCOLO_CONF does not name a module with a DB engine")
    return found


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
        await db.start_connection_pool(min_size=2, max_size=20)


async def close() -> None:
    db = engine()
    if isinstance(db, PostgresEngine):
        await db.close_connection_pool()


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
