"""The chain case from inspection to decision (issue 17): applications.chain_case links a member
shop's case to the chain case it belongs to (a sampled shop's inspection, and every member's
certified case after approval); chain_central_verdicts, the inspector's judgement of the central
points on the chain's documentation, unique per (case, point); chain_systemic_checks, the chain's
declaration for every member whether a failed point's deficiency exists there, unique per (case,
round, business, point); chain_serious_points, the points the inspector marked as a serious
deficiency ("allvarlig brist"), unique per (case, point); chain_fixes, the chain's evidence per
member shop that a serious point is fixed, and the inspector's judgement of it. Hand-written,
additive: a nullable column and four new tables."""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import (
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

ID = "2026-12-15T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "applications.chain_case, chain_central_verdicts, chain_systemic_checks, chain_serious_points, "
    "chain_fixes"
)
INDEXES = (
    ("chain_central_verdicts_case_point_key", "chain_central_verdicts (chain_case, point)"),
    (
        "chain_systemic_checks_case_round_business_point_key",
        "chain_systemic_checks (chain_case, round, business, point)",
    ),
    ("chain_serious_points_case_point_key", "chain_serious_points (chain_case, point)"),
)


class Account(Table, tablename="users", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Business(Table, tablename="businesses", schema=None):
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
    ("ChainCentralVerdict", "chain_central_verdicts"): (
        ("chain_case", ForeignKey, _foreign_key(ChainCase, index=True)),
        ("round", Integer, _params(default=1)),
        ("point", Integer, _params(default=0)),
        ("verdict", Varchar, _params(default="", length=16)),
        ("remark", Text, _params(default="")),
        ("inspector", ForeignKey, _foreign_key(Account)),
        ("updated_at", Timestamptz, _params(default=TimestamptzNow())),
    ),
    ("ChainSystemicCheck", "chain_systemic_checks"): (
        ("chain_case", ForeignKey, _foreign_key(ChainCase, index=True)),
        ("round", Integer, _params(default=1)),
        ("business", ForeignKey, _foreign_key(Business)),
        ("point", Integer, _params(default=0)),
        ("present", Boolean, _params(default=False)),
        ("comment", Text, _params(default="")),
        ("updated_by", ForeignKey, _foreign_key(Account)),
        ("updated_at", Timestamptz, _params(default=TimestamptzNow())),
    ),
    ("ChainSeriousPoint", "chain_serious_points"): (
        ("chain_case", ForeignKey, _foreign_key(ChainCase, index=True)),
        ("point", Integer, _params(default=0)),
        ("business", ForeignKey, _foreign_key(Business)),
        ("remark", Text, _params(default="")),
        ("marked_by", ForeignKey, _foreign_key(Account)),
        ("marked_at", Timestamptz, _params(default=TimestamptzNow())),
        ("released_at", Timestamptz, _params(default=None, null=True)),
    ),
    ("ChainFix", "chain_fixes"): (
        ("chain_case", ForeignKey, _foreign_key(ChainCase, index=True)),
        ("business", ForeignKey, _foreign_key(Business, index=True)),
        ("point", Integer, _params(default=0)),
        ("comment", Text, _params(default="")),
        ("file_name", Varchar, _params(default="", length=200)),
        ("content_type", Varchar, _params(default="", length=100)),
        ("size", Integer, _params(default=0)),
        ("content", Bytea, _params(default=b"")),
        ("uploaded_by", ForeignKey, _foreign_key(Account)),
        ("uploaded_at", Timestamptz, _params(default=TimestamptzNow())),
        ("judgement", Varchar, _params(default="", length=16)),
        ("judged_by", ForeignKey, _foreign_key(Account)),
        ("judged_at", Timestamptz, _params(default=None, null=True)),
    ),
}


class _IndexesAfterTables(MigrationManager):
    async def run(self, backwards: bool = False) -> None:
        engine = engine_finder()
        assert engine is not None, "Piccolo has no engine"
        async with engine.transaction():
            if backwards and not self.preview:
                # SQLite will not drop a column an index still names: the new column's index first.
                for name in (*(name for name, _ in INDEXES), "applications_chain_case"):
                    await RawSQL.raw(f"DROP INDEX IF EXISTS {name}").run()
            await super().run(backwards=backwards)
            if not backwards and not self.preview:
                for name, on in INDEXES:
                    await RawSQL.raw(f"CREATE UNIQUE INDEX {name} ON {on}").run()


async def forwards() -> MigrationManager:
    manager = _IndexesAfterTables(migration_id=ID, app_name="certify", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Application",
        tablename="applications",
        column_name="chain_case",
        db_column_name="chain_case",
        column_class_name="ForeignKey",
        column_class=ForeignKey,
        params=_foreign_key(ChainCase, index=True),
        schema=None,
    )
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
