"""Composite unique indexes Piccolo columns cannot declare, and checklist version 2026.1."""

from __future__ import annotations

import json

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

from certify.domain.checklist import load_checklist

ID = "2026-11-25T10:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique answers/verdicts/inspector links; seed checklist 2026.1"


class RawSQL(Table, tablename="checklist_versions"):
    """A stand-in table used only to run raw SQL inside the migration's transaction."""


INDEXES = (
    "CREATE UNIQUE INDEX answers_application_point ON answers (application, point)",
    "CREATE UNIQUE INDEX verdicts_application_round_point ON verdicts (application, round, point)",
    "CREATE UNIQUE INDEX inspector_kommuner_pair ON inspector_kommuner (inspector, kommun)",
    "CREATE UNIQUE INDEX checklist_points_version_number ON checklist_points (checklist_version, number)",
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="certify", description=DESCRIPTION)

    async def run() -> None:
        for statement in INDEXES:
            await RawSQL.raw(statement).run()
        spec = load_checklist("checklist_v1.json")
        await RawSQL.raw(
            "INSERT INTO checklist_versions (version, title, current) VALUES ({}, {}, {})",
            spec.version,
            spec.title,
            True,
        ).run()
        version_id = (
            await RawSQL.raw("SELECT id FROM checklist_versions WHERE version = {}", spec.version).run()
        )[0]["id"]
        for point in spec.points:
            await RawSQL.raw(
                "INSERT INTO checklist_points (checklist_version, number, title_sv, title_en,"
                " criteria, guidance, cash_related) VALUES ({}, {}, {}, {}, {}, {}, {})",
                version_id,
                point.number,
                point.title_sv,
                point.title_en,
                json.dumps([c.text for c in point.criteria], ensure_ascii=False),
                point.guidance,
                point.cash_related,
            ).run()

    async def back() -> None:
        await RawSQL.raw("DELETE FROM checklist_points").run()
        await RawSQL.raw("DELETE FROM checklist_versions").run()
        for statement in INDEXES:
            name = statement.split()[3]
            await RawSQL.raw(f"DROP INDEX {name}").run()

    manager.add_raw(run)
    manager.add_raw_backwards(back)
    return manager
