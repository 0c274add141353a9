"""The document register (issue 15): document_register, one row per document in or out of a case.
Hand-written, additive: a new table; documents from before it are not registered after the fact."""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import JSON, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-07T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "document_register"


class Kommun(Table, tablename="kommuner", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Application(Table, tablename="applications", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Business(Table, tablename="businesses", schema=None):
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


def _foreign_key(references: type[Table], **overrides: Any) -> dict[str, Any]:
    return _params(
        references=references,
        on_delete=OnDelete.cascade,
        on_update=OnUpdate.cascade,
        target_column=None,
        **overrides,
    )


COLUMNS: tuple[tuple[str, type[Any], dict[str, Any]], ...] = (
    ("kommun", ForeignKey, _foreign_key(Kommun, index=True, null=True)),
    ("application", ForeignKey, _foreign_key(Application, index=True, null=True)),
    ("business", ForeignKey, _foreign_key(Business, null=True)),
    ("registered_at", Timestamptz, _params(default=TimestamptzNow(), index=True)),
    ("direction", Varchar, _params(default="", length=3)),
    ("kind", Varchar, _params(default="", length=32)),
    ("counterpart", Varchar, _params(default="", length=200)),
    ("detail", JSON, _params(default="{}")),
    ("secrecy", Varchar, _params(default="", length=16)),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="certify", description=DESCRIPTION)
    manager.add_table(class_name="RegisteredDocument", tablename="document_register", schema=None, columns=None)
    for name, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="RegisteredDocument",
            tablename="document_register",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    return manager
