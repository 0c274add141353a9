"""applications.kommun, copied from the business, so the status report starts from the kommun's own
cases instead of every case in the country; hand-written, additive.

The column is added by Piccolo (so it is in the migration snapshot), filled from businesses.kommun,
then indexed by raw SQL with what the report reads through:

- applications (kommun, state, deadline): the kommun's cases, per state, and its overdue
  corrections (the first column serves lookups by kommun alone, so the column has no index of its
  own);
- verdicts (application, round, point) WHERE verdict = 'fail': from each of the kommun's cases to
  its failed verdicts, without touching the far larger set of passed ones;
- verdicts (updated_at) WHERE verdict = 'fail': the failed verdicts of a period.

Piccolo runs raw steps before it adds columns, so the fill and the indexes run after the manager's
own steps, in one transaction around them all (Piccolo's own transaction joins it).
"""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Serial
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-11-25T13:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "applications.kommun (filled from businesses) and the report's indexes"


class Kommun(Table, tablename="kommuner", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class RawSQL(Table, tablename="applications"):
    """A stand-in table used only to run raw SQL inside the migration's transaction."""


FILL = (
    "UPDATE applications SET kommun = (SELECT b.kommun FROM businesses b WHERE b.id = applications.business)"
    " WHERE kommun IS NULL"
)
INDEXES = (
    "CREATE INDEX applications_kommun_state_deadline ON applications (kommun, state, deadline)",
    "CREATE INDEX verdicts_failed ON verdicts (application, round, point) WHERE verdict = 'fail'",
    "CREATE INDEX verdicts_failed_at ON verdicts (updated_at) WHERE verdict = 'fail'",
)


class _FillAfterColumns(MigrationManager):
    async def run(self, backwards: bool = False) -> None:
        engine = engine_finder()
        assert engine is not None, "Piccolo has no engine"
        async with engine.transaction():
            await super().run(backwards=backwards)
            if not backwards and not self.preview:
                await RawSQL.raw(FILL).run()
                for statement in INDEXES:
                    await RawSQL.raw(statement).run()


async def forwards() -> MigrationManager:
    manager = _FillAfterColumns(migration_id=ID, app_name="certify", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Application",
        tablename="applications",
        column_name="kommun",
        db_column_name="kommun",
        column_class_name="ForeignKey",
        column_class=ForeignKey,
        params={
            "references": Kommun,
            "on_delete": OnDelete.cascade,
            "on_update": OnUpdate.cascade,
            "target_column": None,
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

    async def drop_indexes() -> None:  # backwards: before Piccolo drops the column
        for statement in INDEXES:
            await RawSQL.raw(f"DROP INDEX {statement.split()[2]}").run()

    manager.add_raw_backwards(drop_indexes)
    return manager
