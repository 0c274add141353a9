"""Outbox, webhooks, invitations, and the composite indexes the status report reads through."""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-11-25T11:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "outbox, webhooks, webhook deliveries, invitations; report indexes"


class Kommun(Table, tablename="kommuner", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Account(Table, tablename="users", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Business(Table, tablename="businesses", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Event(Table, tablename="events", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Webhook(Table, tablename="webhooks", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class RawSQL(Table, tablename="events"):
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


def _fk(references: type[Table], *, null: bool, index: bool) -> dict[str, Any]:
    return _params(
        references=references,
        on_delete=OnDelete.cascade,
        on_update=OnUpdate.cascade,
        target_column=None,
        null=null,
        index=index,
    )


def _varchar(length: int, default: str = "", **extra: Any) -> dict[str, Any]:
    return _params(length=length, default=default, **extra)


NOW = TimestamptzNow()

# (class name, table name, [(column, column class, params)])
TABLES: list[tuple[str, str, list[tuple[str, type[Any], dict[str, Any]]]]] = [
    (
        "OutboxMessage",
        "outbox",
        [
            ("kommun", ForeignKey, _fk(Kommun, null=True, index=True)),
            ("event", ForeignKey, _fk(Event, null=True, index=False)),
            ("kind", Varchar, _varchar(40)),
            ("recipient", Varchar, _varchar(254)),
            ("subject", Varchar, _varchar(300)),
            ("body_text", Text, _params(default="")),
            ("body_html", Text, _params(default="")),
            ("message_id", Varchar, _varchar(200, unique=True)),
            ("status", Varchar, _varchar(16, "pending", index=True)),
            ("attempts", Integer, _params(default=0)),
            ("next_attempt_at", Timestamptz, _params(default=NOW)),
            ("claimed_until", Timestamptz, _params(default=None, null=True)),
            ("last_error", Text, _params(default="")),
            ("created_at", Timestamptz, _params(default=NOW)),
            ("sent_at", Timestamptz, _params(default=None, null=True)),
        ],
    ),
    (
        "Webhook",
        "webhooks",
        [
            ("kommun", ForeignKey, _fk(Kommun, null=True, index=True)),
            ("url", Varchar, _varchar(500)),
            ("event_types", JSON, _params(default="[]")),
            ("secret", Varchar, _varchar(100)),
            ("active", Boolean, _params(default=True)),
            ("created_at", Timestamptz, _params(default=NOW)),
        ],
    ),
    (
        "WebhookDelivery",
        "webhook_deliveries",
        [
            ("webhook", ForeignKey, _fk(Webhook, null=True, index=True)),
            ("event", ForeignKey, _fk(Event, null=True, index=False)),
            ("event_type", Varchar, _varchar(40)),
            ("payload", Text, _params(default="")),
            ("status", Varchar, _varchar(16, "pending", index=True)),
            ("attempts", Integer, _params(default=0)),
            ("next_attempt_at", Timestamptz, _params(default=NOW)),
            ("claimed_until", Timestamptz, _params(default=None, null=True)),
            ("last_status_code", Integer, _params(default=None, null=True)),
            ("log", JSON, _params(default="[]")),
            ("created_at", Timestamptz, _params(default=NOW)),
            ("delivered_at", Timestamptz, _params(default=None, null=True)),
        ],
    ),
    (
        "Invitation",
        "invitations",
        [
            ("business", ForeignKey, _fk(Business, null=True, index=True)),
            ("email", Varchar, _varchar(254)),
            ("token_hash", Varchar, _varchar(64, unique=True)),
            ("invited_by", ForeignKey, _fk(Account, null=True, index=False)),
            ("created_at", Timestamptz, _params(default=NOW)),
            ("expires_at", Timestamptz, _params(default=NOW)),
            ("claimed_at", Timestamptz, _params(default=None, null=True)),
            ("claimed_by", ForeignKey, _fk(Account, null=True, index=False)),
        ],
    ),
]

# Piccolo runs raw steps before it adds tables, so only tables that already exist get indexes here
# (the outbox and the deliveries are found through their indexed status column).
INDEXES = (
    "CREATE INDEX businesses_kommun_area ON businesses (kommun, area)",
    "CREATE INDEX applications_business_state ON applications (business, state)",
    "CREATE INDEX applications_state_deadline ON applications (state, deadline)",
    "CREATE INDEX certificates_kommun_valid_until ON certificates (kommun, valid_until)",
    "CREATE INDEX events_action_at ON events (action, at)",
    "CREATE INDEX verdicts_round_verdict_point ON verdicts (round, verdict, point)",
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="certify", description=DESCRIPTION)
    for class_name, tablename, columns in TABLES:
        manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
        for column_name, column_class, params in columns:
            manager.add_column(
                table_class_name=class_name,
                tablename=tablename,
                column_name=column_name,
                db_column_name=column_name,
                column_class_name=column_class.__name__,
                column_class=column_class,
                params=params,
                schema=None,
            )

    async def create_indexes() -> None:
        for statement in INDEXES:
            await RawSQL.raw(statement).run()

    async def drop_indexes() -> None:
        for statement in INDEXES:
            await RawSQL.raw(f"DROP INDEX {statement.split()[2]}").run()

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
