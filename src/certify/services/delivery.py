"""Claiming queued rows (outbox e-mails, webhook deliveries) safely across several instances.

A row is taken with a compare-and-set on (status, attempts): of two senders that saw the same row
exactly one update matches, on SQLite and PostgreSQL alike. A claim is a lease: a sender that dies
mid-send leaves the row to be taken again after the lease ends, so nothing is lost (a message
accepted just before such a crash may go out twice; the per-row Message-ID lets receivers tell).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from piccolo.table import Table

from certify.services.clock import now

LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
MAX_ATTEMPTS = 10

PENDING, SENDING, FAILED = "pending", "sending", "failed"


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4, … minutes after each failed attempt, at most six hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


async def due(table: type[Table], at: datetime, limit: int, skip: set[int]) -> list[dict[str, Any]]:
    """Rows whose turn has come, and rows whose sender's lease ran out, oldest first.

    `skip` holds the rows this run already tried, so one run tries each row at most once.
    """
    t: Any = table
    where = ((t.status == PENDING) & (t.next_attempt_at <= at)) | (
        (t.status == SENDING) & (t.claimed_until < at)
    )
    if skip:
        where = where & t.id.not_in(list(skip))
    return list(
        await t.select(t.id, t.status, t.attempts).where(where).order_by(t.next_attempt_at).limit(limit).run()
    )


async def claim(table: type[Table], row: dict[str, Any]) -> int | None:
    """Take the row for this sender; answers the attempt number, or None if another sender won."""
    t: Any = table
    attempt = row["attempts"] + 1
    taken = (
        await t.update({t.status: SENDING, t.attempts: attempt, t.claimed_until: now() + LEASE})
        .where((t.id == row["id"]) & (t.status == row["status"]) & (t.attempts == row["attempts"]))
        .returning(t.id)
        .run()
    )
    return attempt if taken else None


async def finish(table: type[Table], row_id: int, attempt: int, values: dict[Any, Any]) -> None:
    """Record the outcome of our own claim (matched on the attempt, so a stale sender writes nothing)."""
    t: Any = table
    await (
        t.update({t.claimed_until: None, **values})
        .where((t.id == row_id) & (t.status == SENDING) & (t.attempts == attempt))
        .run()
    )


async def fail(table: type[Table], row_id: int, attempt: int, extra: dict[Any, Any]) -> bool:
    """Schedule the next try with backoff, or give up after MAX_ATTEMPTS; True if it will retry."""
    t: Any = table
    retry = attempt < MAX_ATTEMPTS
    await finish(
        table,
        row_id,
        attempt,
        {t.status: PENDING if retry else FAILED, t.next_attempt_at: now() + retry_delay(attempt), **extra},
    )
    return retry


async def give_up(table: type[Table], row_id: int, attempt: int, extra: dict[Any, Any]) -> None:
    """A row that can never go out (a message that cannot be built): failed now, no retries."""
    t: Any = table
    await finish(table, row_id, attempt, {t.status: FAILED, **extra})
