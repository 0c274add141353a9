"""users.eid_person_hash: the keyed hash of the personnummer an e-legitimation log-in verified
(NULL: not linked), unique so that one person has one owner account. Additive.

SQLite cannot add a UNIQUE column with ALTER TABLE, so the column is added plain and a unique
index follows in the same transaction, on both databases (several NULLs stay allowed on both).
"""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-12-05T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "users.eid_person_hash"
INDEX = "users_eid_person_hash_key"


class RawSQL(Table, tablename="users"):
    """A stand-in table used only to run raw SQL inside the migration's transaction."""


class _UniqueIndexAfterColumn(MigrationManager):
    async def run(self, backwards: bool = False) -> None:
        engine = engine_finder()
        assert engine is not None, "Piccolo has no engine"
        async with engine.transaction():
            if backwards and not self.preview:
                await RawSQL.raw(f"DROP INDEX IF EXISTS {INDEX}").run()
            await super().run(backwards=backwards)
            if not backwards and not self.preview:
                await RawSQL.raw(f"CREATE UNIQUE INDEX {INDEX} ON users (eid_person_hash)").run()


async def forwards() -> MigrationManager:
    manager = _UniqueIndexAfterColumn(migration_id=ID, app_name="certify", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Account",
        tablename="users",
        column_name="eid_person_hash",
        db_column_name="eid_person_hash",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 64,
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
