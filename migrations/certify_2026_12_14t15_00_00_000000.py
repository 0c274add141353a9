"""The chain case up to the drawn sample (issue 17): chain_cases, one kommun's case for a chain's
member shops there (state, version, round, the recorded seed of its sample, the central points the
kommun marks); chain_case_members, the members the case covers; chain_documents, the chain's central
documentation, stored once per chain and reused by its cases; chain_audits, the chain's internal
audit of every member, unique per (case, business, point); chain_samples, the drawn sample with the
reason for each shop, unique per (case, business). Hand-written, additive: five new tables."""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import (
    JSON,
    Boolean,
    Bytea,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-12-14T15:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "chain_cases, chain_case_members, chain_documents, chain_audits, chain_samples"
INDEXES = (
    ("chain_case_members_case_business_key", "chain_case_members (chain_case, business)"),
    ("chain_audits_case_business_point_key", "chain_audits (chain_case, business, point)"),
    ("chain_samples_case_business_key", "chain_samples (chain_case, business)"),
)


class Account(Table, tablename="users", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Business(Table, tablename="businesses", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Kommun(Table, tablename="kommuner", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class ChecklistVersion(Table, tablename="checklist_versions", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Chain(Table, tablename="chains", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class ChainCase(Table, tablename="chain_cases", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class RawSQL(Table, tablename="chain_cases"):
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
    ("ChainCase", "chain_cases"): (
        ("chain", ForeignKey, _foreign_key(Chain, index=True)),
        ("kommun", ForeignKey, _foreign_key(Kommun, index=True)),
        ("checklist_version", ForeignKey, _foreign_key(ChecklistVersion)),
        ("state", Varchar, _params(default="draft", length=32, index=True)),
        ("version", Integer, _params(default=1)),
        ("round", Integer, _params(default=1)),
        ("seed", Varchar, _params(default="", length=64)),
        ("renewal", Boolean, _params(default=False)),
        ("central_points", JSON, _params(default="[1, 2, 11, 12, 13]")),
        ("inspector", ForeignKey, _foreign_key(Account, index=True)),
        ("diarienummer", Varchar, _params(default=None, null=True, length=50)),
        ("reason", Text, _params(default="")),
        ("created_by", ForeignKey, _foreign_key(Account)),
        ("created_at", Timestamptz, _params(default=TimestamptzNow())),
        ("updated_at", Timestamptz, _params(default=TimestamptzNow())),
        ("submitted_at", Timestamptz, _params(default=None, null=True)),
        ("decided_at", Timestamptz, _params(default=None, null=True)),
        ("closed_at", Timestamptz, _params(default=None, null=True)),
    ),
    ("ChainCaseMember", "chain_case_members"): (
        ("chain_case", ForeignKey, _foreign_key(ChainCase, index=True)),
        ("business", ForeignKey, _foreign_key(Business, index=True)),
    ),
    ("ChainDocument", "chain_documents"): (
        ("chain", ForeignKey, _foreign_key(Chain, index=True)),
        ("file_name", Varchar, _params(default="", length=200)),
        ("content_type", Varchar, _params(default="", length=100)),
        ("size", Integer, _params(default=0)),
        ("content", Bytea, _params(default=b"")),
        ("uploaded_by", ForeignKey, _foreign_key(Account)),
        ("uploaded_at", Timestamptz, _params(default=TimestamptzNow())),
    ),
    ("ChainAudit", "chain_audits"): (
        ("chain_case", ForeignKey, _foreign_key(ChainCase, index=True)),
        ("business", ForeignKey, _foreign_key(Business)),
        ("point", Integer, _params(default=0)),
        ("status", Varchar, _params(default="", length=32)),
        ("comment", Text, _params(default="")),
        ("updated_by", ForeignKey, _foreign_key(Account)),
        ("updated_at", Timestamptz, _params(default=TimestamptzNow())),
    ),
    ("ChainSample", "chain_samples"): (
        ("chain_case", ForeignKey, _foreign_key(ChainCase, index=True)),
        ("business", ForeignKey, _foreign_key(Business)),
        ("reason", Varchar, _params(default="", length=32)),
        ("round", Integer, _params(default=1)),
        ("added_at", Timestamptz, _params(default=TimestamptzNow())),
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
