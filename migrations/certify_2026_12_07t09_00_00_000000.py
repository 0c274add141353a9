"""Diarienummer (issue 15): kommuner.diarienummer_format and .diarienummer_typed,
applications.diarienummer (unique per kommun by an index) and diarienummer_sequences.
Hand-written, additive: existing cases keep no number (they were received before the diarium)."""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Boolean, Integer, Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-12-07T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "diarienummer: kommun format, case number, sequences"
INDEX = "applications_kommun_diarienummer_key"


class RawSQL(Table, tablename="applications"):
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


COLUMNS: tuple[tuple[str, str, str, type[Any], dict[str, Any]], ...] = (
    ("Kommun", "kommuner", "diarienummer_format", Varchar, _params(default="", length=40)),
    ("Kommun", "kommuner", "diarienummer_typed", Boolean, _params(default=False)),
    ("Application", "applications", "diarienummer", Varchar, _params(default=None, null=True, length=50)),
)

SEQUENCE_COLUMNS: tuple[tuple[str, type[Any], dict[str, Any]], ...] = (
    ("key", Varchar, _params(default="", length=20, unique=True)),
    ("last_number", Integer, _params(default=0)),
)


class _UniqueIndexAfterColumns(MigrationManager):
    async def run(self, backwards: bool = False) -> None:
        engine = engine_finder()
        assert engine is not None, "Piccolo has no engine"
        async with engine.transaction():
            if backwards and not self.preview:
                await RawSQL.raw(f"DROP INDEX IF EXISTS {INDEX}").run()
            await super().run(backwards=backwards)
            if not backwards and not self.preview:
                await RawSQL.raw(f"CREATE UNIQUE INDEX {INDEX} ON applications (kommun, diarienummer)").run()


async def forwards() -> MigrationManager:
    manager = _UniqueIndexAfterColumns(migration_id=ID, app_name="certify", description=DESCRIPTION)
    for class_name, tablename, name, column_class, params in COLUMNS:
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
    manager.add_table(
        class_name="DiarienummerSequence", tablename="diarienummer_sequences", schema=None, columns=None
    )
    for name, column_class, params in SEQUENCE_COLUMNS:
        manager.add_column(
            table_class_name="DiarienummerSequence",
            tablename="diarienummer_sequences",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    return manager
