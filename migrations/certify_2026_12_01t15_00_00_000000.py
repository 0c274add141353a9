"""The evidence access log (evidence_reads), apart from the case's events; hand-written, additive.

Reads of evidence used to be recorded as "evidence_read" events in the case's story. They are
copied here, with the case's kommun and the file's name, and the events themselves stay (the
events table is only ever inserted into); the timeline no longer shows them.

Piccolo runs raw steps before it adds tables, so the copy and the index run after the manager's
own steps, in one transaction around them all (Piccolo's own transaction joins it).
"""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-12-01T15:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "evidence access log, filled from the evidence_read events"


class Kommun(Table, tablename="kommuner", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Account(Table, tablename="users", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Application(Table, tablename="applications", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class RawSQL(Table, tablename="evidence_reads"):
    """A stand-in table used only to run raw SQL inside the migration's transaction."""


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


def _foreign_key(references: type[Table], *, index: bool) -> dict[str, Any]:
    return _params(
        references=references,
        on_delete=OnDelete.cascade,
        on_update=OnUpdate.cascade,
        target_column=None,
        null=True,
        index=index,
    )


COLUMNS: tuple[tuple[str, type[Any], dict[str, Any]], ...] = (
    ("application", ForeignKey, _foreign_key(Application, index=True)),
    ("kommun", ForeignKey, _foreign_key(Kommun, index=True)),
    ("evidence_id", Integer, _params(default=0)),
    ("point", Integer, _params(default=0)),
    ("file_name", Varchar, _params(default="", length=200)),
    ("kind", Varchar, _params(default="file", length=16)),
    ("actor", ForeignKey, _foreign_key(Account, index=False)),
    ("actor_label", Varchar, _params(default="", length=200)),
    ("at", Timestamptz, _params(default=TimestamptzNow(), index=True)),
)

_EVIDENCE_ID = {
    "sqlite": "CAST(json_extract(e.detail, '$.evidence_id') AS INTEGER)",
    "postgres": "CAST(e.detail::json ->> 'evidence_id' AS INTEGER)",
}
_POINT = {
    "sqlite": "CAST(json_extract(e.detail, '$.point') AS INTEGER)",
    "postgres": "CAST(e.detail::json ->> 'point' AS INTEGER)",
}


def copy_reads(engine_type: str) -> str:
    """The old read events as log rows, oldest first; a file removed since keeps an empty name."""
    evidence_id, point = _EVIDENCE_ID[engine_type], _POINT[engine_type]
    return (
        "INSERT INTO evidence_reads"
        " (application, kommun, evidence_id, point, file_name, kind, actor, actor_label, at)"
        f" SELECT e.application, a.kommun, {evidence_id}, COALESCE({point}, 0),"
        " COALESCE(f.file_name, ''), 'file', e.actor, e.actor_label, e.at"
        " FROM events e JOIN applications a ON a.id = e.application"
        f" LEFT JOIN evidence f ON f.id = {evidence_id}"
        " WHERE e.action = 'evidence_read' ORDER BY e.id"
    )


INDEX = "CREATE INDEX evidence_reads_kommun_at ON evidence_reads (kommun, at)"


class _CopyAfterTables(MigrationManager):
    async def run(self, backwards: bool = False) -> None:
        engine = engine_finder()
        assert engine is not None, "Piccolo has no engine"
        async with engine.transaction():
            await super().run(backwards=backwards)
            if not backwards and not self.preview:
                await RawSQL.raw(copy_reads(engine.engine_type)).run()
                await RawSQL.raw(INDEX).run()


async def forwards() -> MigrationManager:
    manager = _CopyAfterTables(migration_id=ID, app_name="certify", description=DESCRIPTION)
    manager.add_table(class_name="EvidenceRead", tablename="evidence_reads", schema=None, columns=None)
    for name, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="EvidenceRead",
            tablename="evidence_reads",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    return manager
