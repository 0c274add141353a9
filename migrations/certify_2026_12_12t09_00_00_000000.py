"""evidence_reads.business_id and .representative_id: reading a fullmakt is logged beside evidence
reads (kind "fullmakt"), for a shop that may have no case yet; hand-written, additive. Plain
integers like evidence_id, so the log outlives a removed representative; existing rows get NULL."""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-12T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "evidence_reads.business_id, evidence_reads.representative_id"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="certify", description=DESCRIPTION)
    for column in ("business_id", "representative_id"):
        manager.add_column(
            table_class_name="EvidenceRead",
            tablename="evidence_reads",
            column_name=column,
            db_column_name=column,
            column_class_name="Integer",
            column_class=Integer,
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
