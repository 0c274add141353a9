"""Reported changes of a certified shop (business_changes), and the shop's name and address on each
certificate as issued; hand-written, additive.

The certificate columns are filled from the business for the certificates issued before this
migration (the best record there is of what they named); new certificates are filled at issue.
Piccolo runs raw steps before it adds columns, so the fill runs after the manager's own steps, in
one transaction around them all (Piccolo's own transaction joins it).
"""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import JSON, ForeignKey, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-12-01T11:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "business_changes; certificates name the shop as issued"


class Account(Table, tablename="users", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Business(Table, tablename="businesses", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Kommun(Table, tablename="kommuner", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class RawSQL(Table, tablename="certificates"):
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


def _foreign_key(references: type[Table], *, null: bool, index: bool) -> dict[str, Any]:
    return _params(
        references=references,
        on_delete=OnDelete.cascade,
        on_update=OnUpdate.cascade,
        target_column=None,
        null=null,
        index=index,
    )


CHANGE_COLUMNS: tuple[tuple[str, type[Any], dict[str, Any]], ...] = (
    ("business", ForeignKey, _foreign_key(Business, null=True, index=True)),
    ("kommun", ForeignKey, _foreign_key(Kommun, null=True, index=True)),
    ("state", Varchar, _params(default="reported", length=16, index=True)),
    ("proposed", JSON, _params(default="{}")),
    ("previous", JSON, _params(default="{}")),
    ("reported_by", ForeignKey, _foreign_key(Account, null=True, index=False)),
    ("reported_at", Timestamptz, _params(default=TimestamptzNow())),
    ("decided_by", ForeignKey, _foreign_key(Account, null=True, index=False)),
    ("decided_at", Timestamptz, _params(default=None, null=True)),
    ("reason", Text, _params(default="")),
)
CERTIFICATE_COLUMNS: tuple[tuple[str, int], ...] = (
    ("shop_name", 200),
    ("street_address", 200),
    ("postal_code", 5),
    ("city", 100),
)
FILL = (
    "UPDATE certificates SET"
    " shop_name = (SELECT b.name FROM businesses b WHERE b.id = certificates.business),"
    " street_address = (SELECT b.street_address FROM businesses b WHERE b.id = certificates.business),"
    " postal_code = (SELECT b.postal_code FROM businesses b WHERE b.id = certificates.business),"
    " city = (SELECT b.city FROM businesses b WHERE b.id = certificates.business)"
    " WHERE shop_name = ''"
)


class _FillAfterColumns(MigrationManager):
    async def run(self, backwards: bool = False) -> None:
        engine = engine_finder()
        assert engine is not None, "Piccolo has no engine"
        async with engine.transaction():
            await super().run(backwards=backwards)
            if not backwards and not self.preview:
                await RawSQL.raw(FILL).run()


async def forwards() -> MigrationManager:
    manager = _FillAfterColumns(migration_id=ID, app_name="certify", description=DESCRIPTION)
    manager.add_table(class_name="BusinessChange", tablename="business_changes", schema=None, columns=None)
    for name, column_class, params in CHANGE_COLUMNS:
        manager.add_column(
            table_class_name="BusinessChange",
            tablename="business_changes",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    for name, length in CERTIFICATE_COLUMNS:
        manager.add_column(
            table_class_name="Certificate",
            tablename="certificates",
            column_name=name,
            db_column_name=name,
            column_class_name="Varchar",
            column_class=Varchar,
            params=_params(default="", length=length),
            schema=None,
        )
    return manager
