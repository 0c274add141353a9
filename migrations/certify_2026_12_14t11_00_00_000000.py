"""Protocols stored as issued (issue 15): protocols, each inspection protocol PDF exactly as it went
out with a decision, unique per (application, round, action, language). Hand-written, additive: one
new table; cases decided before it have no stored protocol and are drawn from their records."""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import Bytea, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-12-14T11:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "protocols"
INDEXES = (
    ("protocols_application_round_action_language_key", "protocols (application, round, action, language)"),
)


class Application(Table, tablename="applications", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class RawSQL(Table, tablename="protocols"):
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
    (
        "application",
        ForeignKey,
        _params(
            references=Application,
            on_delete=OnDelete.cascade,
            on_update=OnUpdate.cascade,
            target_column=None,
            null=True,
            index=True,
        ),
    ),
    ("round", Integer, _params(default=0)),
    ("action", Varchar, _params(default="", length=32)),
    ("language", Varchar, _params(default="", length=8)),
    ("pdf", Bytea, _params(default=b"")),
    ("sha256", Varchar, _params(default="", length=64)),
    ("issued_at", Timestamptz, _params(default=TimestamptzNow())),
)


class _IndexAfterTable(MigrationManager):
    async def run(self, backwards: bool = False) -> None:
        engine = engine_finder()
        assert engine is not None, "Piccolo has no engine"
        async with engine.transaction():
            if backwards and not self.preview:
                for name, _ in INDEXES:
                    await RawSQL.raw(f"DROP INDEX IF EXISTS {name}").run()
            await super().run(backwards=backwards)
            if not backwards and not self.preview:
                for name, on in INDEXES:
                    await RawSQL.raw(f"CREATE UNIQUE INDEX {name} ON {on}").run()


async def forwards() -> MigrationManager:
    manager = _IndexAfterTable(migration_id=ID, app_name="certify", description=DESCRIPTION)
    manager.add_table(class_name="Protocol", tablename="protocols", schema=None, columns=None)
    for name, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="Protocol",
            tablename="protocols",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    return manager
