"""Acting for a company: the representatives table and invitations.purpose. Hand-written, additive:
one new table with a unique (business, account) index, one column with a default, and one
representative row for every shop that has an owner today, its basis not yet stated (the owner is
asked to state it)."""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import Bytea, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-12-10T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "representatives, invitations.purpose"
INDEX = "representatives_business_account_key"
EXISTING_OWNERS = (
    "INSERT INTO representatives (business, account, basis, check_state, fullmakt_name, fullmakt_type, "
    "fullmakt_size, created_at) "
    "SELECT id, owner, '', 'unchecked', '', '', 0, created_at FROM businesses WHERE owner IS NOT NULL"
)


class Business(Table, tablename="businesses", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Account(Table, tablename="users", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class RawSQL(Table, tablename="representatives"):
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


def _foreign_key(references: type[Table], **overrides: Any) -> dict[str, Any]:
    return _params(
        references=references,
        on_delete=OnDelete.cascade,
        on_update=OnUpdate.cascade,
        target_column=None,
        null=True,
        **overrides,
    )


COLUMNS: tuple[tuple[str, type[Any], dict[str, Any]], ...] = (
    ("business", ForeignKey, _foreign_key(Business, index=True)),
    ("account", ForeignKey, _foreign_key(Account, index=True)),
    ("basis", Varchar, _params(default="", length=16)),
    ("check_state", Varchar, _params(default="unchecked", length=24)),
    ("checked_by", ForeignKey, _foreign_key(Account)),
    ("checked_at", Timestamptz, _params(default=None, null=True)),
    ("fullmakt_name", Varchar, _params(default="", length=200)),
    ("fullmakt_type", Varchar, _params(default="", length=100)),
    ("fullmakt_size", Integer, _params(default=0)),
    ("fullmakt", Bytea, _params(default=None, null=True)),
    ("fullmakt_uploaded_at", Timestamptz, _params(default=None, null=True)),
    ("created_at", Timestamptz, _params(default=TimestamptzNow())),
)


class _IndexAndRowsAfterTable(MigrationManager):
    async def run(self, backwards: bool = False) -> None:
        engine = engine_finder()
        assert engine is not None, "Piccolo has no engine"
        async with engine.transaction():
            if backwards and not self.preview:
                await RawSQL.raw(f"DROP INDEX IF EXISTS {INDEX}").run()
            await super().run(backwards=backwards)
            if not backwards and not self.preview:
                await RawSQL.raw(f"CREATE UNIQUE INDEX {INDEX} ON representatives (business, account)").run()
                await RawSQL.raw(EXISTING_OWNERS).run()


async def forwards() -> MigrationManager:
    manager = _IndexAndRowsAfterTable(migration_id=ID, app_name="certify", description=DESCRIPTION)
    manager.add_table(class_name="Representative", tablename="representatives", schema=None, columns=None)
    for name, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="Representative",
            tablename="representatives",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    manager.add_column(
        table_class_name="Invitation",
        tablename="invitations",
        column_name="purpose",
        db_column_name="purpose",
        column_class_name="Varchar",
        column_class=Varchar,
        params=_params(default="shop", length=16),
        schema=None,
    )
    return manager
