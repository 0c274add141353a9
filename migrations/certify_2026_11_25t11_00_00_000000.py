"""Evidence files attached to self-assessment points (hand-written: only this table)."""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import Bytea, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-11-25T11:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "evidence uploads"


class Account(Table, tablename="users", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Application(Table, tablename="applications", schema=None):
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


def _foreign_key(references: type[Table], *, index: bool) -> dict[str, Any]:
    return _params(
        references=references,
        on_delete=OnDelete.cascade,
        on_update=OnUpdate.cascade,
        target_column=None,
        null=True,
        index=index,
    )


COLUMNS: tuple[tuple[str, type[Any], dict[str, Any]], ...] = (
    ("application", ForeignKey, _foreign_key(Application, index=True)),
    ("point", Integer, _params(default=0)),
    ("file_name", Varchar, _params(default="", length=200)),
    ("content_type", Varchar, _params(default="", length=100)),
    ("size", Integer, _params(default=0)),
    ("content", Bytea, _params(default=b"")),
    ("uploaded_by", ForeignKey, _foreign_key(Account, index=False)),
    ("uploaded_at", Timestamptz, _params(default=TimestamptzNow())),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="certify", description=DESCRIPTION)
    manager.add_table(class_name="Evidence", tablename="evidence", schema=None, columns=None)
    for name, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="Evidence",
            tablename="evidence",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    return manager
