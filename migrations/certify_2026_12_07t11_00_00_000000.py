"""Accessibility statements (issue 15): accessibility_statements, one per kommun that wrote its own.
Hand-written, additive: a new table; a kommun without a row shows the installation's statement."""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import Date, ForeignKey, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.date import DateNow
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-07T11:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "accessibility_statements"


class Kommun(Table, tablename="kommuner", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


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
        "kommun",
        ForeignKey,
        _params(
            references=Kommun,
            on_delete=OnDelete.cascade,
            on_update=OnUpdate.cascade,
            target_column=None,
            null=True,
            unique=True,
        ),
    ),
    ("compliance", Varchar, _params(default="partial", length=16)),
    ("shortcomings", Text, _params(default="")),
    ("contact", Text, _params(default="")),
    ("reviewed_on", Date, _params(default=DateNow())),
    ("updated_at", Timestamptz, _params(default=TimestamptzNow())),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="certify", description=DESCRIPTION)
    manager.add_table(
        class_name="AccessibilityStatement", tablename="accessibility_statements", schema=None, columns=None
    )
    for name, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="AccessibilityStatement",
            tablename="accessibility_statements",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    return manager
