"""password_resets: single-use, expiring links to choose a new password; hand-written, additive."""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T15:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "password reset links"


class Account(Table, tablename="users", schema=None):
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


def _foreign_key(*, index: bool) -> dict[str, Any]:
    return _params(
        references=Account,
        on_delete=OnDelete.cascade,
        on_update=OnUpdate.cascade,
        target_column=None,
        null=True,
        index=index,
    )


COLUMNS: tuple[tuple[str, type[Any], dict[str, Any]], ...] = (
    ("account", ForeignKey, _foreign_key(index=True)),
    ("token_hash", Varchar, _params(default="", length=64, unique=True)),
    ("requested_by", ForeignKey, _foreign_key(index=False)),
    ("created_at", Timestamptz, _params(default=TimestamptzNow())),
    ("expires_at", Timestamptz, _params(default=TimestamptzNow())),
    ("used_at", Timestamptz, _params(default=None, null=True)),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="certify", description=DESCRIPTION)
    manager.add_table(class_name="PasswordReset", tablename="password_resets", schema=None, columns=None)
    for name, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="PasswordReset",
            tablename="password_resets",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    return manager
