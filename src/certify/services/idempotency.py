"""Writes applied once: the stored side of the `Idempotency-Key` header (certify.web.idempotency).

The first request with a key claims it by inserting its row (unique per account and key) before the
write is applied; the answer is stored on the row before it is sent. A second request with the same
key finds the row: the stored answer when there is one, "still in progress" while the first request
runs, "another request" when its fingerprint differs. A key is kept KEPT_FOR, then the daily job
deletes it (jobs.tick).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from certify import database
from certify.domain.errors import Conflict, RuleNotMet
from certify.tables import IdempotencyKey

KEPT_FOR = timedelta(days=30)  # long enough for a phone to come back from a week without network


@dataclass(frozen=True, slots=True)
class Stored:
    """An answer given earlier to the same key."""

    status_code: int
    media_type: str
    body: bytes


async def claim(account_id: int, key: str, fingerprint: str) -> Stored | None:
    """None when this request holds the key now and should apply its write; the earlier answer
    when the key was used for this same request before. Raises when it is in use by another
    request (RuleNotMet) or by this same request still being applied (Conflict)."""
    try:
        await IdempotencyKey.insert(
            IdempotencyKey(account=account_id, key=key, fingerprint=fingerprint)
        ).run()
        return None
    except database.INTEGRITY_ERRORS:
        pass
    row = (
        await IdempotencyKey.select(
            IdempotencyKey.fingerprint,
            IdempotencyKey.status_code,
            IdempotencyKey.media_type,
            IdempotencyKey.body,
        )
        .where((IdempotencyKey.account == account_id) & (IdempotencyKey.key == key))
        .first()
        .run()
    )
    if row is None:  # forgotten meanwhile (the first request failed): this one may try again
        return await claim(account_id, key, fingerprint)
    if row["fingerprint"] != fingerprint:
        raise RuleNotMet("idempotency_key_reused")
    if row["status_code"] == 0:
        raise Conflict("idempotency_in_progress")
    return Stored(row["status_code"], row["media_type"], bytes(row["body"]))


async def remember(account_id: int, key: str, answer: Stored) -> None:
    """The answer to the request holding the key: what a repeat of it gets."""
    await (
        IdempotencyKey.update(
            {
                IdempotencyKey.status_code: answer.status_code,
                IdempotencyKey.media_type: answer.media_type,
                IdempotencyKey.body: answer.body,
            }
        )
        .where((IdempotencyKey.account == account_id) & (IdempotencyKey.key == key))
        .run()
    )


async def forget(account_id: int, key: str) -> None:
    """The request holding the key failed without an answer to repeat: a retry may apply it."""
    await (
        IdempotencyKey.delete()
        .where(
            (IdempotencyKey.account == account_id)
            & (IdempotencyKey.key == key)
            & (IdempotencyKey.status_code == 0)
        )
        .run()
    )


async def purge(on: date) -> None:
    """Keys older than KEPT_FOR on this day (the daily job)."""
    cutoff = datetime.combine(on, time.min, tzinfo=UTC) - KEPT_FOR
    await IdempotencyKey.delete().where(IdempotencyKey.created_at < cutoff).run()
