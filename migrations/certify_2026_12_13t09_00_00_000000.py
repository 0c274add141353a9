"""kommuner.not_applicable_off: the point numbers for which a kommun has switched "not applicable"
off. Hand-written, additive: one column with a default; every existing kommun switches none off."""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-13T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "kommuner.not_applicable_off"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="certify", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Kommun",
        tablename="kommuner",
        column_name="not_applicable_off",
        db_column_name="not_applicable_off",
        column_class_name="JSON",
        column_class=JSON,
        params={
            "default": "[]",
            "null": False,
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
