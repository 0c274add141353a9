"""How the kommun status report scales: 10 000 and 200 000 businesses, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/report_scale.py                 # both backends
    .venv/bin/python benchmarks/report_scale.py --backend postgres

Each backend runs in its own process (Piccolo binds its engine once per process) on a database of
its own: a temporary SQLite file, or a PostgreSQL database created on CERTIFY_BENCH_POSTGRES_URL
(default postgresql://postgres@127.0.0.1:5432/postgres) and dropped afterwards.

The kommun-scale set is one large kommun of 10 000 businesses; the national set adds 19 more
kommuner of the same size (200 000 businesses), and the report is timed for the first kommun, as
a case officer would run it: it must not slow down because the rest of the country is in the same
tables. CERTIFY_BENCH_KOMMUN_SIZE=200000 puts everything into one kommun instead (the worst case,
where the report covers every row). The data set grows from 10 000 to 200 000 businesses in
place; about 70 % have a case, concluded inspections have 13 verdicts, and every case has its
submit/decision events plus a few answer events. Rows are written with the drivers' bulk paths
(executemany / COPY). The report is timed as the median of RUNS runs
after one warm-up, and the ratio between the sizes is printed against the ratio of the data (20x).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# CERTIFY_BENCH_SIZES=1000,5000 gives a quick smoke run.
SIZES = tuple(int(n) for n in os.environ.get("CERTIFY_BENCH_SIZES", "10000,200000").split(","))
RUNS = 7
CHUNK = 10_000
KOMMUN_SIZE = int(os.environ.get("CERTIFY_BENCH_KOMMUN_SIZE", "10000"))  # the measured kommun is the first
AREAS = [f"Område {n:02d}" for n in range(1, 13)]
STATES = {
    "draft": 0.10,
    "submitted": 0.10,
    "scheduled": 0.10,
    "corrections_required": 0.10,
    "certified": 0.40,
    "rejected": 0.05,
    "withdrawn": 0.05,
    "expired": 0.05,
    "revoked": 0.05,
}
CONCLUDED = {"corrections_required", "certified", "rejected", "expired", "revoked"}
VISITED = CONCLUDED | {"scheduled"}
DECIDED = {"certified", "rejected", "expired", "revoked"}
FAIL_RATE = {point: 0.05 + (0.25 if point in {4, 7, 11} else 0.0) for point in range(1, 14)}
ADMIN_URL = os.environ.get("CERTIFY_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")

BUSINESS_COLUMNS = [
    "id",
    "kommun",
    "owner",
    "name",
    "org_number",
    "street_address",
    "postal_code",
    "city",
    "area",
    "phone",
    "email",
    "cash_free",
    "chain",
    "created_at",
]
APPLICATION_COLUMNS = [
    "id",
    "business",
    "kommun",
    "checklist_version",
    "state",
    "round",
    "inspector",
    "visit_at",
    "deadline",
    "version",
    "previous_certificate",
    "created_at",
    "updated_at",
    "submitted_at",
    "decided_at",
]
VERDICT_COLUMNS = ["application", "round", "point", "verdict", "remark", "inspector", "updated_at"]
CERTIFICATE_COLUMNS = [
    "number",
    "application",
    "business",
    "kommun",
    "inspector",
    "issued_at",
    "valid_from",
    "valid_until",
    "revoked_at",
    "revoked_reason",
    "replaced_by",
    "pdf",
    "pdf_sha256",
    "decal_pdf",
]
EVENT_COLUMNS = [
    "application",
    "business",
    "actor",
    "actor_label",
    "action",
    "from_state",
    "to_state",
    "detail",
    "at",
]


class Batch:
    """The rows of one chunk of businesses, per table."""

    def __init__(self) -> None:
        self.tables: dict[str, list[tuple[Any, ...]]] = {
            "businesses": [],
            "applications": [],
            "verdicts": [],
            "certificates": [],
            "events": [],
        }


COLUMNS = {
    "businesses": BUSINESS_COLUMNS,
    "applications": APPLICATION_COLUMNS,
    "verdicts": VERDICT_COLUMNS,
    "certificates": CERTIFICATE_COLUMNS,
    "events": EVENT_COLUMNS,
}


def generate(start: int, end: int, kommun_id: int, inspectors: list[int], checklist: int) -> Iterator[Batch]:
    """Businesses start+1..end with their cases, verdicts, certificates and events, in chunks."""
    rng = random.Random(start)
    now = datetime.now(UTC)
    today = now.date()
    states, weights = list(STATES), list(STATES.values())
    for chunk_start in range(start, end, CHUNK):
        batch = Batch()
        t = batch.tables
        for i in range(chunk_start + 1, min(chunk_start + CHUNK, end) + 1):
            created = now - timedelta(days=rng.uniform(0, 900))
            kommun = kommun_id + (i - 1) // KOMMUN_SIZE
            t["businesses"].append(
                (
                    i,
                    kommun,
                    None,
                    f"Butik {i}",
                    f"{5560000000 + i}",
                    f"Gatan {i}",
                    "78433",
                    "Borlänge",
                    AREAS[i % len(AREAS)],
                    "",
                    "",
                    False,
                    "",
                    created,
                )
            )
            if rng.random() >= 0.7:
                continue
            state = rng.choices(states, weights)[0]
            submitted = None if state == "draft" else created + timedelta(days=rng.uniform(0, 30))
            visit = submitted + timedelta(days=rng.uniform(3, 30)) if submitted and state in VISITED else None
            decided = visit + timedelta(days=rng.uniform(0, 20)) if visit and state in DECIDED else None
            inspector = rng.choice(inspectors) if visit else None
            deadline = (
                today + timedelta(days=rng.randint(-30, 30)) if state == "corrections_required" else None
            )
            t["applications"].append(
                (
                    i,
                    i,
                    kommun,
                    checklist,
                    state,
                    1,
                    inspector,
                    visit,
                    deadline,
                    3,
                    "",
                    created,
                    decided or created,
                    submitted,
                    decided,
                )
            )
            for n in range(5):
                t["events"].append(
                    (i, i, None, "owner", "answer", "", "", "{}", created + timedelta(minutes=n))
                )
            if submitted:
                t["events"].append((i, i, None, "owner", "submit", "draft", "submitted", "{}", submitted))
            if state in CONCLUDED and visit:
                for point in range(1, 14):
                    verdict = "fail" if rng.random() < FAIL_RATE[point] else "pass"
                    t["verdicts"].append((i, 1, point, verdict, "", inspector, visit))
            if state in {"certified", "expired", "revoked"} and decided:
                valid_from = decided.date()
                valid_until = (
                    today - timedelta(days=rng.randint(1, 60))
                    if state == "expired"
                    else (valid_from + timedelta(days=730))
                )
                revoked = decided + timedelta(days=30) if state == "revoked" else None
                t["certificates"].append(
                    (
                        f"B-{i:07d}",
                        i,
                        i,
                        kommun,
                        inspector,
                        decided,
                        valid_from,
                        valid_until,
                        revoked,
                        "",
                        "",
                        None,
                        "",
                        None,
                    )
                )
                t["events"].append(
                    (i, i, None, "inspector", "approve", "scheduled", "certified", "{}", decided)
                )
                if state != "certified":
                    at = revoked or datetime.combine(valid_until, datetime.min.time(), UTC) + timedelta(
                        days=1
                    )
                    action = "revoke" if state == "revoked" else "expire"
                    t["events"].append((i, i, None, "system", action, "certified", state, "{}", at))
        yield batch


async def setup(backend: str) -> tuple[Any, int, list[int], int]:
    """Migrate, add the kommun, a case officer and 20 inspectors through the service layer."""
    from certify import database
    from certify.domain.status import Role
    from certify.migrate import migrate
    from certify.services import accounts, kommuner
    from certify.services.actor import Actor
    from certify.tables import ChecklistVersion, Kommun

    await migrate()
    await database.prepare()
    await kommuner.add("2081", "Borlänge kommun", "", "")
    for n in range(1, -(-max(SIZES) // KOMMUN_SIZE)):  # the other kommuner of the national set
        await kommuner.add(f"{9000 + n}", f"Kommun {n}", "", "")
    kommun_id = (await Kommun.select(Kommun.id).where(Kommun.code == "2081").first().run())["id"]
    officer = await accounts.create_account(
        email="officer@example.se",
        name="Handläggare",
        role=Role.kommun,
        password="bench-password-1",
        kommun_codes=["2081"],
    )
    inspectors = [
        await accounts.create_account(
            email=f"inspector{n}@example.se",
            name=f"Besiktning {n:02d}",
            role=Role.inspector,
            password="bench-password-1",
            kommun_codes=["2081"],
        )
        for n in range(20)
    ]
    checklist = (await ChecklistVersion.select(ChecklistVersion.id).first().run())["id"]
    actor = Actor(
        id=officer, email="officer@example.se", name="Handläggare", role=Role.kommun, kommun_id=kommun_id
    )
    return actor, kommun_id, inspectors, checklist


async def load(backend: str, target: Path | str, batches: Iterator[Batch], total: int, done: int) -> None:
    if backend == "sqlite":
        import sqlite3

        import piccolo.engine.sqlite  # noqa: F401 - registers the adapters Piccolo stores values with

        connection = sqlite3.connect(str(target))
        try:
            for batch in batches:
                for table, rows in batch.tables.items():
                    names, marks = ", ".join(COLUMNS[table]), ", ".join("?" * len(COLUMNS[table]))
                    connection.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
                connection.commit()
                done += len(batch.tables["businesses"])
                print(f"\r  {backend}: {done:,}/{total:,} businesses written", end="", flush=True)
        finally:
            connection.close()
    else:
        import asyncpg  # type: ignore[import-untyped]

        connection = await asyncpg.connect(str(target))
        try:
            for batch in batches:
                for table, rows in batch.tables.items():
                    if rows:
                        await connection.copy_records_to_table(table, records=rows, columns=COLUMNS[table])
                done += len(batch.tables["businesses"])
                print(f"\r  {backend}: {done:,}/{total:,} businesses written", end="", flush=True)
            await connection.execute("ANALYZE")
        finally:
            await connection.close()
    print()


async def time_report(actor: Any) -> float:
    from certify.services import reports

    await reports.status_report(actor)  # warm-up
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        await reports.status_report(actor)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


async def run(backend: str, url: str, target: Path | str) -> dict[int, float]:
    actor, kommun_id, inspectors, checklist = await setup(backend)
    results: dict[int, float] = {}
    previous = 0
    for size in SIZES:
        await load(
            backend, target, generate(previous, size, kommun_id, inspectors, checklist), size, previous
        )
        previous = size
        results[size] = await time_report(actor)
        print(f"  {backend}: {size:>7,} businesses: status report {results[size]:7.1f} ms (median of {RUNS})")
    from certify import database

    await database.close()
    return results


async def pg_admin(statement: str) -> None:
    import asyncpg  # type: ignore[import-untyped]

    connection = await asyncpg.connect(ADMIN_URL)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def run_backend(backend: str) -> None:
    """Point certify at a fresh database before anything imports it, then measure."""
    from urllib.parse import urlsplit, urlunsplit

    work = Path(tempfile.mkdtemp(prefix="certify-bench-"))
    os.environ.update(
        {
            "PICCOLO_CONF": "certify.piccolo_conf",
            "CERTIFY_VAR_DIR": str(work / "var"),
            "CERTIFY_SECRET_KEY": "benchmark-secret-key-that-is-long-enough-0123",
            "CERTIFY_PASSWORD_HASH_PROFILE": "test",
        }
    )
    if backend == "sqlite":
        path = work / "bench.sqlite3"
        os.environ["CERTIFY_DATABASE_URL"] = f"sqlite:///{path}"
        results = asyncio.run(run(backend, "", path))
        path.unlink()
    else:
        name = f"certify_bench_{os.getpid()}"
        url = urlunsplit(urlsplit(ADMIN_URL)._replace(path=f"/{name}"))
        os.environ["CERTIFY_DATABASE_URL"] = url
        asyncio.run(pg_admin(f'CREATE DATABASE "{name}"'))
        try:
            results = asyncio.run(run(backend, url, url))
        finally:
            asyncio.run(pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    small, large = results[SIZES[0]], results[SIZES[-1]]
    print(
        f"{backend}: {SIZES[0]:,} → {small:.1f} ms, {SIZES[-1]:,} → {large:.1f} ms; "
        f"time ratio {large / small:.1f}x for {SIZES[-1] // SIZES[0]}x the data"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "all"], default="all")
    backend = parser.parse_args().backend
    if backend != "all":
        run_backend(backend)
        return
    for name in ("sqlite", "postgres"):
        subprocess.run([sys.executable, __file__, "--backend", name], check=True)


if __name__ == "__main__":
    main()
