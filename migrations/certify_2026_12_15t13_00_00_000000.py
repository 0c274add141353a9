"""The database tells every app instance when a case read it remembers may be stale; hand-written,
additive: triggers, and on SQLite one column.

Each instance keeps the case reads it answered (certify.services.case_cache). Triggers on every
table the case read reads (services.cases.CASE_READ_SQL) or its scope decides by announce the
change, for every writer, so no code path can forget to:

- a change to a case's own rows (the application, its answers, verdicts, certificate) names the
  application;
- a change that is not one application's (a shop's name or kommun, a person's name or role,
  representatives, an inspector's kommuner, a checklist version) means every case.

- PostgreSQL: a NOTIFY on channel `certify_cases` (payload: the application id, or empty for
  every case), heard by the connection that already listens for sessions
  (services.session_changes); changes of every case are announced once per statement.
- SQLite: `session_generation.case_generation` counts such changes, read in the same one-row
  query as the sessions' count.
"""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table

ID = "2026-12-15T13:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "changes to what a case read shows announced by the database"

# (table, the column naming the application): each row's change names its case
ONE_CASE = (
    ("applications", "id"),
    ("answers", "application"),
    ("verdicts", "application"),
    ("certificates", "application"),
)
# (table, events): a change there may touch any case's read or who may see it
EVERY_CASE = (
    ("businesses", ("UPDATE", "DELETE")),
    ("users", ("UPDATE", "DELETE")),
    ("representatives", ("INSERT", "UPDATE", "DELETE")),
    ("inspector_kommuner", ("INSERT", "UPDATE", "DELETE")),
    ("checklist_versions", ("UPDATE", "DELETE")),
)
ROW_EVENTS = ("INSERT", "UPDATE", "DELETE")


class RawSQL(Table, tablename="session_generation"):
    """A stand-in table used only to run raw SQL inside the migration's transaction."""


POSTGRES = (
    """
    CREATE FUNCTION certify_case_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_LEVEL = 'STATEMENT' THEN
            PERFORM pg_notify('certify_cases', '');
            RETURN NULL;
        END IF;
        IF TG_OP <> 'INSERT' THEN
            PERFORM pg_notify('certify_cases', coalesce(to_jsonb(OLD) ->> TG_ARGV[0], ''));
        END IF;
        IF TG_OP <> 'DELETE' THEN
            PERFORM pg_notify('certify_cases', coalesce(to_jsonb(NEW) ->> TG_ARGV[0], ''));
        END IF;
        RETURN NULL;
    END
    $$
    """,
    *(
        f"CREATE TRIGGER case_{table}_changed AFTER {' OR '.join(ROW_EVENTS)} ON {table}"
        f" FOR EACH ROW EXECUTE FUNCTION certify_case_changed('{column}')"
        for table, column in ONE_CASE
    ),
    *(
        f"CREATE TRIGGER case_{table}_truncated AFTER TRUNCATE ON {table}"
        " FOR EACH STATEMENT EXECUTE FUNCTION certify_case_changed()"
        for table, _ in ONE_CASE
    ),
    *(
        f"CREATE TRIGGER case_{table}_changed AFTER {' OR '.join(events)} OR TRUNCATE ON {table}"
        " FOR EACH STATEMENT EXECUTE FUNCTION certify_case_changed()"
        for table, events in EVERY_CASE
    ),
)
POSTGRES_BACKWARDS = (
    *(f"DROP TRIGGER IF EXISTS case_{table}_changed ON {table}" for table, _ in ONE_CASE),
    *(f"DROP TRIGGER IF EXISTS case_{table}_truncated ON {table}" for table, _ in ONE_CASE),
    *(f"DROP TRIGGER IF EXISTS case_{table}_changed ON {table}" for table, _ in EVERY_CASE),
    "DROP FUNCTION IF EXISTS certify_case_changed()",
)

_SQLITE_TRIGGERS = tuple(
    (f"case_{table}_{event.lower()}", table, event)
    for table, events in (*((table, ROW_EVENTS) for table, _ in ONE_CASE), *EVERY_CASE)
    for event in events
)
SQLITE = (
    "ALTER TABLE session_generation ADD COLUMN case_generation INTEGER NOT NULL DEFAULT 0",
    *(
        f"CREATE TRIGGER {name} AFTER {event} ON {table}"
        " BEGIN UPDATE session_generation SET case_generation = case_generation + 1; END"
        for name, table, event in _SQLITE_TRIGGERS
    ),
)
SQLITE_BACKWARDS = (  # the triggers name the column: they go first
    *(f"DROP TRIGGER IF EXISTS {name}" for name, _, _ in _SQLITE_TRIGGERS),
    "ALTER TABLE session_generation DROP COLUMN case_generation",
)


def _is_sqlite() -> bool:
    return isinstance(engine_finder(), SQLiteEngine)


async def announce() -> None:
    for statement in SQLITE if _is_sqlite() else POSTGRES:
        await RawSQL.raw(statement).run()


async def stop_announcing() -> None:
    for statement in SQLITE_BACKWARDS if _is_sqlite() else POSTGRES_BACKWARDS:
        await RawSQL.raw(statement).run()


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="certify", description=DESCRIPTION)
    manager.add_raw(announce)
    manager.add_raw_backwards(stop_announcing)
    return manager
