"""Chains and their member shops (issue 17, the first foundation): chains, a chain's central
organisationsnummer unique; chain_representatives, the owner accounts acting for a chain, unique per
(chain, account); chain_members, a shop in at most one chain (unique business); chain_invitations, a
chain's e-mailed invitation to a shop's owner, only the token's hash stored (unique). Hand-written,
additive: four new tables, nothing existing changes."""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-12-14T13:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "chains, chain_representatives, chain_members, chain_invitations"
INDEXES = (
    ("chains_org_number_key", "chains (org_number)"),
    ("chain_representatives_chain_account_key", "chain_representatives (chain, account)"),
    ("chain_members_business_key", "chain_members (business)"),
    ("chain_invitations_token_hash_key", "chain_invitations (token_hash)"),
)


class Account(Table, tablename="users", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Business(Table, tablename="businesses", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Chain(Table, tablename="chains", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class RawSQL(Table, tablename="chains"):
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
    ("Chain", "chains"): (
        ("name", Varchar, _params(default="", length=200)),
        ("org_number", Varchar, _params(default="", length=10)),
        ("created_by", ForeignKey, _foreign_key(Account)),
        ("created_at", Timestamptz, _params(default=TimestamptzNow())),
    ),
    ("ChainRepresentative", "chain_representatives"): (
        ("chain", ForeignKey, _foreign_key(Chain, index=True)),
        ("account", ForeignKey, _foreign_key(Account, index=True)),
        ("created_at", Timestamptz, _params(default=TimestamptzNow())),
    ),
    ("ChainMember", "chain_members"): (
        ("chain", ForeignKey, _foreign_key(Chain, index=True)),
        ("business", ForeignKey, _foreign_key(Business)),
        ("joined_at", Timestamptz, _params(default=TimestamptzNow())),
        ("way", Varchar, _params(default="invited", length=8)),
    ),
    ("ChainInvitation", "chain_invitations"): (
        ("chain", ForeignKey, _foreign_key(Chain, index=True)),
        ("email", Varchar, _params(default="", length=254)),
        ("token_hash", Varchar, _params(default="", length=64)),
        ("invited_by", ForeignKey, _foreign_key(Account)),
        ("created_at", Timestamptz, _params(default=TimestamptzNow())),
        ("expires_at", Timestamptz, _params(default=TimestamptzNow())),
        ("accepted_at", Timestamptz, _params(default=None, null=True)),
        ("business", ForeignKey, _foreign_key(Business)),
    ),
}


class _IndexesAfterTables(MigrationManager):
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
    manager = _IndexesAfterTables(migration_id=ID, app_name="certify", description=DESCRIPTION)
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
    return manager
