"""answers.carried_over: an answer a renewal brought over from the previous case, which the owner
has still to confirm by saving the point. Hand-written, additive: one column with a default; every
existing answer was given by its owner, so none is carried over."""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Boolean
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-13T16:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "answers.carried_over"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="certify", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Answer",
        tablename="answers",
        column_name="carried_over",
        db_column_name="carried_over",
        column_class_name="Boolean",
        column_class=Boolean,
        params={
            "default": False,
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
