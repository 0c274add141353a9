"""Judging criterion by criterion: answers.criteria keeps the owner's mark on each criterion (id ->
met / not_met / not_applicable) and verdicts.failed_criteria the ids a fail names. Hand-written,
additive: two JSON columns with empty defaults; existing answers and verdicts are unchanged."""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-11T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "answers.criteria, verdicts.failed_criteria"


def _json(default: str) -> dict[str, Any]:
    return {
        "default": default,
        "null": False,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
    }


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="certify", description=DESCRIPTION)
    for class_name, tablename, column, default in (
        ("Answer", "answers", "criteria", "{}"),
        ("Verdict", "verdicts", "failed_criteria", "[]"),
    ):
        manager.add_column(
            table_class_name=class_name,
            tablename=tablename,
            column_name=column,
            db_column_name=column,
            column_class_name="JSON",
            column_class=JSON,
            params=_json(default),
            schema=None,
        )
    return manager
