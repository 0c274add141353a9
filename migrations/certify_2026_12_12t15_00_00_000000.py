"""Writes applied once: the idempotency_keys table, unique per (account, key). Hand-written,
additive: one new table and its index; nothing existing changes."""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import Bytea, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-12-12T15:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "idempotency_keys"
INDEX = "idempotency_keys_account_key"


class Account(Table, tablename="users", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class RawSQL(Table, tablename="idempotency_keys"):
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
        "account",
        ForeignKey,
        _params(
            references=Account,
            on_delete=OnDelete.cascade,
            on_update=OnUpdate.cascade,
            target_column=None,
            null=True,
        ),
    ),
    ("key", Varchar, _params(default="", length=255)),
    ("fingerprint", Varchar, _params(default="", length=64)),
    ("status_code", Integer, _params(default=0)),
    ("media_type", Varchar, _params(default="", length=100)),
    ("body", Bytea, _params(default=b"")),
    ("created_at", Timestamptz, _params(default=TimestamptzNow(), index=True)),
)


class _UniqueIndexAfterTable(MigrationManager):
    async def run(self, backwards: bool = False) -> None:
        engine = engine_finder()
        assert engine is not None, "Piccolo has no engine"
        async with engine.transaction():
            if backwards and not self.preview:
                await RawSQL.raw(f"DROP INDEX IF EXISTS {INDEX}").run()
            await super().run(backwards=backwards)
            if not backwards and not self.preview:
                await RawSQL.raw(f"CREATE UNIQUE INDEX {INDEX} ON idempotency_keys (account, key)").run()


async def forwards() -> MigrationManager:
    manager = _UniqueIndexAfterTable(migration_id=ID, app_name="certify", description=DESCRIPTION)
    manager.add_table(class_name="IdempotencyKey", tablename="idempotency_keys", schema=None, columns=None)
    for name, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="IdempotencyKey",
            tablename="idempotency_keys",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    return manager
