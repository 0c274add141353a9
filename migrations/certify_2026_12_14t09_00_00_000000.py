"""Reported material changes (väsentlig förändring): material_changes holds what the owner of a
certified shop reported (kind, description, the certificate in force), the kommun's decision (noted
or re-inspection) and the linked re-inspection case; material_change_files the files sent with it.
Hand-written, additive: two new tables; nothing existing changes."""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import (
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
from piccolo.table import Table

ID = "2026-12-14T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "material_changes, material_change_files"


class Kommun(Table, tablename="kommuner", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Business(Table, tablename="businesses", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Account(Table, tablename="users", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Application(Table, tablename="applications", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class MaterialChange(Table, tablename="material_changes", schema=None):
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


def _key(references: type[Table], **overrides: Any) -> dict[str, Any]:
    return _params(
        references=references,
        on_delete=OnDelete.cascade,
        on_update=OnUpdate.cascade,
        target_column=None,
        null=True,
        **overrides,
    )


TABLES: tuple[tuple[str, str, tuple[tuple[str, type[Any], dict[str, Any]], ...]], ...] = (
    (
        "MaterialChange",
        "material_changes",
        (
            ("business", ForeignKey, _key(Business, index=True)),
            ("kommun", ForeignKey, _key(Kommun, index=True)),
            ("certificate", Varchar, _params(default="", length=32)),
            ("kind", Varchar, _params(default="", length=24)),
            ("description", Text, _params(default="")),
            ("state", Varchar, _params(default="reported", length=16, index=True)),
            ("reported_by", ForeignKey, _key(Account)),
            ("reported_at", Timestamptz, _params(default=TimestamptzNow())),
            ("decided_by", ForeignKey, _key(Account)),
            ("decided_at", Timestamptz, _params(default=None, null=True)),
            ("reinspection", ForeignKey, _key(Application, index=True)),
        ),
    ),
    (
        "MaterialChangeFile",
        "material_change_files",
        (
            ("change", ForeignKey, _key(MaterialChange, index=True)),
            ("file_name", Varchar, _params(default="", length=200)),
            ("content_type", Varchar, _params(default="", length=100)),
            ("size", Integer, _params(default=0)),
            ("content", Bytea, _params(default=b"")),
            ("uploaded_by", ForeignKey, _key(Account)),
            ("uploaded_at", Timestamptz, _params(default=TimestamptzNow())),
        ),
    ),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="certify", description=DESCRIPTION)
    for class_name, tablename, columns in TABLES:
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
