"""Scheduled work: `certify tick` from cron, and the same once a day inside the service."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from certify import database
from certify.domain.errors import DomainError
from certify.domain.status import CaseState
from certify.services import events, idempotency, retention, sessions
from certify.services.cases import ActionInput, perform
from certify.services.clock import today
from certify.tables import Application, Certificate, Event, JobRun

log = logging.getLogger("certify.jobs")

REMINDER_DAYS = (90, 30)


@dataclass(slots=True)
class TickReport:
    on: date
    expired: list[str] = field(default_factory=list)
    reminders: list[tuple[str, int]] = field(default_factory=list)
    overdue: list[int] = field(default_factory=list)  # cases whose correction deadline passed
    purged: list[retention.Purged] = field(default_factory=list)  # what the kommuner's plans destroyed


async def tick(on: date | None = None) -> TickReport:
    """Expire certificates past their date and record the 90- and 30-day reminders once each."""
    on = on or today()
    report = TickReport(on=on)
    due = (
        await Certificate.select(Certificate.number, Certificate.application)
        .where(
            (Certificate.valid_until < on)
            & Certificate.revoked_at.is_null()
            & (Certificate.application.state == CaseState.certified.value)
        )
        .run()
    )
    for row in due:
        try:
            await perform(None, row["application"], "expire", ActionInput(), on=on)
        except DomainError as exc:  # changed meanwhile by someone else: the next tick sees it
            log.warning("could not expire %s: %s", row["number"], exc.message)
            continue
        report.expired.append(row["number"])
    for days in REMINDER_DAYS:
        report.reminders.extend(await _remind(on, days))
    report.overdue = await _flag_overdue(on)
    report.purged = await retention.purge_due(on)
    await sessions.delete_idle()
    await idempotency.purge(on)
    return report


async def _flag_overdue(on: date) -> list[int]:
    """Record once per case and deadline that corrections are overdue (the kommun is e-mailed)."""
    rows = (
        await Application.select(Application.id, Application.business, Application.deadline)
        .where((Application.state == CaseState.corrections_required.value) & (Application.deadline < on))
        .run()
    )
    flagged = []
    for row in rows:
        deadline = row["deadline"].isoformat()
        async with database.transaction():
            earlier = (
                await Event.select(Event.detail)
                .where((Event.application == row["id"]) & (Event.action == "corrections_overdue"))
                .output(load_json=True)
                .run()
            )
            if any(e["detail"].get("deadline") == deadline for e in earlier):
                continue
            await events.record(
                "corrections_overdue",
                actor=None,
                application_id=row["id"],
                business_id=row["business"],
                detail={"deadline": deadline},
            )
        flagged.append(row["id"])
    return flagged


async def _remind(on: date, days: int) -> list[tuple[str, int]]:
    action = f"reminder_{days}"
    rows = (
        await Certificate.select(Certificate.number, Certificate.application, Certificate.business)
        .where(
            (Certificate.valid_until <= on + timedelta(days=days))
            & (Certificate.valid_until >= on)
            & Certificate.revoked_at.is_null()
            & (Certificate.replaced_by == "")
            & (Certificate.application.state == CaseState.certified.value)
        )
        .run()
    )
    sent = []
    for row in rows:
        async with database.transaction():
            already = (
                await Event.exists()
                .where((Event.application == row["application"]) & (Event.action == action))
                .run()
            )
            if already:
                continue
            await events.record(
                action,
                actor=None,
                application_id=row["application"],
                business_id=row["business"],
                detail={"certificate": row["number"], "days_left": days},
            )
        sent.append((row["number"], days))
    return sent


async def claim_daily(job: str, on: date) -> bool:
    """True for exactly one instance per job and day, however many share the database."""
    try:
        await JobRun.insert(JobRun(key=f"{job}:{on.isoformat()}")).run()
    except database.INTEGRITY_ERRORS:
        return False
    return True


async def run_daily(interval_seconds: float = 3600.0) -> None:
    """The in-process scheduler: wakes up hourly, ticks once per day across all instances."""
    while True:
        try:
            on = today()
            if await claim_daily("tick", on):
                report = await tick(on)
                log.info("tick %s: %d expired, %d reminders", on, len(report.expired), len(report.reminders))
        except Exception:  # keep the scheduler alive; the failure is logged with its traceback
            log.exception("the daily tick failed")
        await asyncio.sleep(interval_seconds)
