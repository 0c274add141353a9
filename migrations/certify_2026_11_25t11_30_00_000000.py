"""When personal data was removed from a closed case (retention rule); hand-written, additive."""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-25T11:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "applications.personal_data_removed_at"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="certify", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Application",
        tablename="applications",
        column_name="personal_data_removed_at",
        db_column_name="personal_data_removed_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )
    return manager
