"""Gap-free counters per kommun and year (certificate numbers, diarienummer).

The counter's row is created race-free first (INSERT … ON CONFLICT DO NOTHING), so the first two
numbers of a year never collide on inserting it; then one UPDATE … RETURNING counts, serialised by
PostgreSQL's row lock and by SQLite's write lock. Called inside the caller's transaction, so a
failed write gives its number back.
"""

from __future__ import annotations

from typing import TypeVar

from certify.tables import CertificateSequence, DiarienummerSequence

Sequence = TypeVar("Sequence", CertificateSequence, DiarienummerSequence)


async def next_number(sequence: type[Sequence], key: str) -> int:
    return (await next_numbers(sequence, key, 1))[0]


async def next_numbers(sequence: type[Sequence], key: str, count: int) -> range:
    """`count` consecutive numbers in one update (a chain case's approval numbers its certificates
    at once)."""
    first = sequence(key=key, last_number=0)
    await sequence.insert(first).on_conflict(target=sequence.key, action="DO NOTHING").run()
    rows = (
        await sequence.update({sequence.last_number: sequence.last_number + count})
        .where(sequence.key == key)
        .returning(sequence.last_number)
        .run()
    )
    last = int(rows[0]["last_number"])
    return range(last - count + 1, last + 1)
