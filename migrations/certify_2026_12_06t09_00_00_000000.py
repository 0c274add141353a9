"""Staff log-in through each kommun's own OpenID provider: kommun_logins, staff_identities and
sessions.ends_at. Hand-written, additive: two new tables, one nullable column, one unique index."""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import Boolean, ForeignKey, Serial, Text, Timestamptz, Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-12-06T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "kommun_logins, staff_identities, sessions.ends_at"
INDEX = "staff_identities_kommun_subject_key"


class Kommun(Table, tablename="kommuner", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Account(Table, tablename="users", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class RawSQL(Table, tablename="staff_identities"):
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


TABLES: dict[tuple[str, str], tuple[tuple[str, type[Any], dict[str, Any]], ...]] = {
    ("KommunLogin", "kommun_logins"): (
        ("kommun", ForeignKey, _foreign_key(Kommun, unique=True)),
        ("issuer", Varchar, _params(default="", length=500)),
        ("client_id", Varchar, _params(default="", length=255)),
        ("client_secret", Text, _params(default="")),
        ("groups_claim", Varchar, _params(default="groups", length=100)),
        ("kommun_group", Varchar, _params(default="", length=255)),
        ("inspector_group", Varchar, _params(default="", length=255)),
        ("password_login_off", Boolean, _params(default=False)),
    ),
    ("StaffIdentity", "staff_identities"): (
        ("kommun", ForeignKey, _foreign_key(Kommun)),
        ("subject", Varchar, _params(default="", length=255)),
        ("account", ForeignKey, _foreign_key(Account, index=True)),
    ),
}


class _UniqueIndexAfterTables(MigrationManager):
    async def run(self, backwards: bool = False) -> None:
        engine = engine_finder()
        assert engine is not None, "Piccolo has no engine"
        async with engine.transaction():
            if backwards and not self.preview:
                await RawSQL.raw(f"DROP INDEX IF EXISTS {INDEX}").run()
            await super().run(backwards=backwards)
            if not backwards and not self.preview:
                await RawSQL.raw(f"CREATE UNIQUE INDEX {INDEX} ON staff_identities (kommun, subject)").run()


async def forwards() -> MigrationManager:
    manager = _UniqueIndexAfterTables(migration_id=ID, app_name="certify", description=DESCRIPTION)
    for (class_name, tablename), columns in TABLES.items():
        manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
        for name, column_class, params in columns:
            manager.add_column(
                table_class_name=class_name,
                tablename=tablename,
                column_name=name,
                db_column_name=name,
                column_class_name=column_class.__name__,
                column_class=column_class,
                params=params,
                schema=None,
            )
    manager.add_column(
        table_class_name="Session",
        tablename="sessions",
        column_name="ends_at",
        db_column_name="ends_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params=_params(default=None, null=True),
        schema=None,
    )
    return manager
