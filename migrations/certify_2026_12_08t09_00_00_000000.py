"""Checklist version 2026.2, written from the programme's text with criteria of three kinds, becomes
the version in force for new cases. Hand-written, additive: new rows only; cases on 2026.1 keep their
version, answers and verdicts."""

from __future__ import annotations

import json

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

from certify.domain.checklist import criteria_as_data, load_checklist

ID = "2026-12-08T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "checklist 2026.2 in force for new cases"
CHECKLIST_FILE = "checklist_v2.json"


class RawSQL(Table, tablename="checklist_versions"):
    """A stand-in table used only to run raw SQL inside the migration's transaction."""


async def seed() -> None:
    """Add version 2026.2 and its 13 points, and make it the one new cases start on."""
    spec = load_checklist(CHECKLIST_FILE)
    await RawSQL.raw("UPDATE checklist_versions SET current = {}", False).run()
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
            json.dumps(criteria_as_data(point.criteria), ensure_ascii=False),
            point.guidance,
            point.cash_related,
        ).run()


async def unseed() -> None:
    """Back to 2026.1 in force; refused once a case has started on 2026.2 (the foreign key would
    cascade and delete the case)."""
    version = load_checklist(CHECKLIST_FILE).version
    in_use = await RawSQL.raw(
        "SELECT count(*) AS n FROM applications a JOIN checklist_versions v ON v.id = a.checklist_version"
        " WHERE v.version = {}",
        version,
    ).run()
    if in_use[0]["n"]:
        raise RuntimeError(f"cases use checklist {version}; it cannot be taken back")
    await RawSQL.raw(
        "DELETE FROM checklist_points WHERE checklist_version IN"
        " (SELECT id FROM checklist_versions WHERE version = {})",
        version,
    ).run()
    await RawSQL.raw("DELETE FROM checklist_versions WHERE version = {}", version).run()
    await RawSQL.raw("UPDATE checklist_versions SET current = {} WHERE version = {}", True, "2026.1").run()


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="certify", description=DESCRIPTION)
    manager.add_raw(seed)
    manager.add_raw_backwards(unseed)
    return manager
