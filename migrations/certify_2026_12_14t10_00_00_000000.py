"""Retention by the kommun's decision (issue 15): retention_plan_lines, a kommun's plan, one line per
kind of document, unique per (kommun, kind); retention_purges, the log of what a plan destroyed,
unique per (case, kind). Hand-written, additive: two new tables; no kommun has a plan yet, so
nothing is destroyed until a kommun enters one."""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import JSON, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-12-14T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "retention_plan_lines, retention_purges"
INDEXES = (
    ("retention_plan_lines_kommun_kind_key", "retention_plan_lines (kommun, kind)"),
    ("retention_purges_application_kind_key", "retention_purges (application, kind)"),
)


class Kommun(Table, tablename="kommuner", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Account(Table, tablename="users", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Application(Table, tablename="applications", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class RawSQL(Table, tablename="retention_plan_lines"):
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
    ("RetentionPlanLine", "retention_plan_lines"): (
        ("kommun", ForeignKey, _foreign_key(Kommun, index=True)),
        ("kind", Varchar, _params(default="", length=24)),
        ("disposal", Varchar, _params(default="keep", length=8)),
        ("years", Integer, _params(default=None, null=True)),
        ("decision", Varchar, _params(default="", length=200)),
        ("updated_by", ForeignKey, _foreign_key(Account)),
        ("updated_at", Timestamptz, _params(default=TimestamptzNow())),
    ),
    ("RetentionPurge", "retention_purges"): (
        ("kommun", ForeignKey, _foreign_key(Kommun, index=True)),
        ("application", ForeignKey, _foreign_key(Application, index=True)),
        ("kind", Varchar, _params(default="", length=24)),
        ("years", Integer, _params(default=0)),
        ("decision", Varchar, _params(default="", length=200)),
        ("detail", JSON, _params(default="{}")),
        ("purged_at", Timestamptz, _params(default=TimestamptzNow(), index=True)),
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
