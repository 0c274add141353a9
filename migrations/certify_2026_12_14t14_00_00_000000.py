"""Nothing destroyed without the kommun's decision (issue 15): fullmakt_documents keeps the fullmakt
of a representative who stopped acting for a shop until the retention plan destroys it; and
applications.closed_at, when the case ended, from which the plan's years count. Hand-written,
additive: a new table and a nullable column; the cases that have already ended get the time of the
event that ended them (the decision for a rejection, else the row's last change when no such event
is left)."""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import Bytea, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-12-14T14:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "fullmakt_documents, applications.closed_at"
ENDED = ("withdrawn", "rejected", "expired", "revoked")  # domain/status.py ENDED_STATES, as of now


class Kommun(Table, tablename="kommuner", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Account(Table, tablename="users", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Business(Table, tablename="businesses", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Application(Table, tablename="applications", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class RawSQL(Table, tablename="applications"):
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


def _foreign_key(references: type[Table], **overrides: Any) -> dict[str, Any]:
    return _params(
        references=references,
        on_delete=OnDelete.cascade,
        on_update=OnUpdate.cascade,
        target_column=None,
        null=True,
        **overrides,
    )


FULLMAKT_DOCUMENTS: tuple[tuple[str, type[Any], dict[str, Any]], ...] = (
    ("business", ForeignKey, _foreign_key(Business, index=True)),
    ("kommun", ForeignKey, _foreign_key(Kommun, index=True)),
    ("application", ForeignKey, _foreign_key(Application, index=True)),
    ("account", ForeignKey, _foreign_key(Account, index=True)),
    ("representative_id", Integer, _params(default=0)),
    ("person_name", Varchar, _params(default="", length=200)),
    ("file_name", Varchar, _params(default="", length=200)),
    ("content_type", Varchar, _params(default="", length=100)),
    ("size", Integer, _params(default=0)),
    ("content", Bytea, _params(default=b"")),
    ("uploaded_at", Timestamptz, _params(default=None, null=True)),
    ("kept_at", Timestamptz, _params(default=TimestamptzNow())),
    ("reason", Varchar, _params(default="", length=16)),
)


async def backfill() -> None:
    """The cases that have already ended: closed_at from the event that moved the case into its
    state; a rejection without one from its decision time; else the row's last change."""
    await RawSQL.raw(
        "UPDATE applications SET closed_at = COALESCE("
        " (SELECT MAX(e.at) FROM events e WHERE e.application = applications.id"
        "  AND e.to_state = applications.state),"
        " CASE WHEN applications.state = 'rejected' THEN applications.decided_at END,"
        " applications.updated_at)"
        " WHERE applications.closed_at IS NULL"
        f" AND applications.state IN ({', '.join(repr(s) for s in ENDED)})"
    ).run()


class _BackfillAfterColumns(MigrationManager):
    async def run(self, backwards: bool = False) -> None:
        engine = engine_finder()
        assert engine is not None, "Piccolo has no engine"
        async with engine.transaction():
            await super().run(backwards=backwards)
            if not backwards and not self.preview:
                await backfill()


async def forwards() -> MigrationManager:
    manager = _BackfillAfterColumns(migration_id=ID, app_name="certify", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Application",
        tablename="applications",
        column_name="closed_at",
        db_column_name="closed_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params=_params(default=None, null=True),
        schema=None,
    )
    manager.add_table(
        class_name="FullmaktDocument", tablename="fullmakt_documents", schema=None, columns=None
    )
    for name, column_class, params in FULLMAKT_DOCUMENTS:
        manager.add_column(
            table_class_name="FullmaktDocument",
            tablename="fullmakt_documents",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    return manager
