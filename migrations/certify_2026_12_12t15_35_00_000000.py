"""The kommun's own points: local_points holds a kommun's draft (title, criteria with kinds,
guidance, retired or not); checklist_versions.kommun (the kommun's id, no foreign key: see tables.py)
and .valid_from mark a version a kommun published for its own cases from a date (NULL for the
national versions); checklist_points.local
marks the points a kommun added after the 13. Hand-written, additive: one table, four columns with
defaults; existing versions stay national and their points stay the programme's."""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-12T15:35:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "local_points, checklist_versions.kommun/valid_from, checklist_points.local"


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


def _kommun(**overrides: Any) -> dict[str, Any]:
    return _params(
        references=Kommun,
        on_delete=OnDelete.cascade,
        on_update=OnUpdate.cascade,
        target_column=None,
        null=True,
        **overrides,
    )


LOCAL_POINTS: tuple[tuple[str, type[Any], dict[str, Any]], ...] = (
    ("kommun", ForeignKey, _kommun(index=True)),
    ("title", Varchar, _params(default="", length=200)),
    ("criteria", JSON, _params(default="[]")),
    ("guidance", Text, _params(default="")),
    ("retired", Boolean, _params(default=False)),
    ("created_at", Timestamptz, _params(default=TimestamptzNow())),
    ("updated_at", Timestamptz, _params(default=TimestamptzNow())),
)

ADDED: tuple[tuple[str, str, str, type[Any], dict[str, Any]], ...] = (
    ("ChecklistVersion", "checklist_versions", "kommun", Integer, _params(default=None, null=True)),
    ("ChecklistVersion", "checklist_versions", "valid_from", Date, _params(default=None, null=True)),
    ("ChecklistPoint", "checklist_points", "local", Boolean, _params(default=False)),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="certify", description=DESCRIPTION)
    manager.add_table(class_name="LocalPoint", tablename="local_points", schema=None, columns=None)
    for name, column_class, params in LOCAL_POINTS:
        manager.add_column(
            table_class_name="LocalPoint",
            tablename="local_points",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    for class_name, tablename, name, column_class, params in ADDED:
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
