"""Server-side sessions, and the database telling every app instance when one may have ended;
hand-written, additive.

`sessions` holds one row per log-in: the SHA-256 of the cookie's random token (never the token),
the account, when it started and when it was last seen. Logging out deletes the row.

Each app instance keeps the sessions it has checked in memory (certify.services.sessions), so the
database must tell it when one may have ended. Triggers do that for every writer, so no code path
can forget to: deleting a session, and changing an account or an inspector's kommuner (which
deactivation, a password reset, closing an account and a role change do), announce the account.

- PostgreSQL: a NOTIFY on channel `certify_sessions` with the account id, delivered at commit to
  every instance listening.
- SQLite: `session_generation` counts such changes; an instance reads it before trusting what it
  remembers (one row, read on the event loop's thread: cheap).

Piccolo runs raw steps before it adds tables, so the triggers run after the manager's own steps,
in one transaction around them all (as in certify_2026_11_25t13_40_00_000000).
"""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table

ID = "2026-12-01T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "server-side sessions and their end announced by the database"


class Account(Table, tablename="users", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class RawSQL(Table, tablename="sessions"):
    """A stand-in table used only to run raw SQL inside the migration's transaction."""


def _params(**overrides: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "null": False,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
    }
    params.update(overrides)
    return params


COLUMNS: tuple[tuple[str, type[Any], dict[str, Any]], ...] = (
    ("token_hash", Varchar, _params(default="", length=64, unique=True)),
    (
        "account",
        ForeignKey,
        _params(
            references=Account,
            on_delete=OnDelete.cascade,
            on_update=OnUpdate.cascade,
            target_column=None,
            null=True,
            index=True,
        ),
    ),
    ("created_at", Timestamptz, _params(default=TimestamptzNow())),
    ("last_seen_at", Timestamptz, _params(default=TimestamptzNow())),
)

# (trigger, table, events, the column naming the account)
WATCHED = (
    ("sessions_ended", "sessions", ("DELETE",), "account"),
    ("users_changed", "users", ("UPDATE", "DELETE"), "id"),
    ("inspector_kommuner_changed", "inspector_kommuner", ("INSERT", "UPDATE", "DELETE"), "inspector"),
)

POSTGRES = (
    """
    CREATE FUNCTION certify_session_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            PERFORM pg_notify('certify_sessions', to_jsonb(OLD) ->> TG_ARGV[0]);
        END IF;
        IF TG_OP <> 'DELETE' THEN
            PERFORM pg_notify('certify_sessions', to_jsonb(NEW) ->> TG_ARGV[0]);
        END IF;
        RETURN NULL;
    END
    $$
    """,
    *(
        f"CREATE TRIGGER {name} AFTER {' OR '.join(events)} ON {table} FOR EACH ROW"
        f" EXECUTE FUNCTION certify_session_changed('{column}')"
        for name, table, events, column in WATCHED
    ),
)
POSTGRES_BACKWARDS = (
    *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table, _, _ in WATCHED),
    "DROP FUNCTION IF EXISTS certify_session_changed()",
)

SQLITE = (
    "CREATE TABLE session_generation (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL)",
    "INSERT INTO session_generation (id, generation) VALUES (1, 0)",
    *(
        f"CREATE TRIGGER {name}_{event.lower()} AFTER {event} ON {table}"
        " BEGIN UPDATE session_generation SET generation = generation + 1; END"
        for name, table, events, _ in WATCHED
        for event in events
    ),
)
SQLITE_BACKWARDS = (
    *(f"DROP TRIGGER IF EXISTS {name}_{event.lower()}" for name, _, events, _ in WATCHED for event in events),
    "DROP TABLE IF EXISTS session_generation",
)


def _is_sqlite() -> bool:
    return isinstance(engine_finder(), SQLiteEngine)


class _TriggersAfterTable(MigrationManager):
    async def run(self, backwards: bool = False) -> None:
        engine = engine_finder()
        assert engine is not None, "Piccolo has no engine"
        async with engine.transaction():
            await super().run(backwards=backwards)
            if not backwards and not self.preview:
                for statement in SQLITE if _is_sqlite() else POSTGRES:
                    await RawSQL.raw(statement).run()


async def forwards() -> MigrationManager:
    manager = _TriggersAfterTable(migration_id=ID, app_name="certify", description=DESCRIPTION)
    manager.add_table(class_name="Session", tablename="sessions", schema=None, columns=None)
    for name, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="Session",
            tablename="sessions",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )

    async def drop_triggers() -> None:  # backwards: before Piccolo drops the table
        for statement in SQLITE_BACKWARDS if _is_sqlite() else POSTGRES_BACKWARDS:
            await RawSQL.raw(statement).run()

    manager.add_raw_backwards(drop_triggers)
    return manager
