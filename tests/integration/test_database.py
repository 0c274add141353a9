"""The database layer under the service: a long read must not hold up everyone else's requests."""

from __future__ import annotations

import asyncio

from certify.tables import Kommun

# About a second of work on either database: far past the SQLite engine's inline budget.
LONG_READ = (
    "SELECT (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3000000)"
    " SELECT COUNT(*) FROM n) AS total"
)


async def test_a_long_read_runs_beside_short_ones_and_still_answers_in_full() -> None:
    finished: list[str] = []

    async def long_read() -> int:
        rows = await Kommun.raw(LONG_READ).run()
        finished.append("long")
        return int(rows[0]["total"])

    async def short_reads() -> None:
        await asyncio.sleep(0)  # let the long read start first
        for _ in range(20):
            await Kommun.select(Kommun.id).run()
        finished.append("short")

    total, _ = await asyncio.gather(long_read(), short_reads())

    assert total == 3_000_000
    # Had the long read blocked the event loop, the short reads could only finish after it.
    assert finished == ["short", "long"]
