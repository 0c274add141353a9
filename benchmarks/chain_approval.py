"""Time a chain case's approval (100 member shops → 100 certificates with their PDFs and decals,
rendered and archived in the approving transaction) against one ordinary certificate's issue.

    .venv/bin/python benchmarks/chain_approval.py [--rounds 5] [--shops 100] [--backend sqlite|postgres]

Both run in the same process on the same fresh database (a temporary SQLite file, or a PostgreSQL
database created on CERTIFY_BENCH_POSTGRES_URL and dropped afterwards), interleaved round by round
so the ratio holds on a noisy machine. The single issue is services.certificates.issue for a shop
case with 13 passed verdicts in its own transaction (number, render, archive), the median of ten
per round; the approval is services.chain_cases.approve on a chain case whose sample (⌈√n⌉ shops)
and central points passed: every member's shop case, certificate, event and notice. Prints the
medians and the ratio approval / (n × single) against the target 1.5.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ADMIN_URL = os.environ.get("CERTIFY_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SINGLES_PER_ROUND = 10
TARGET = 1.5
CENTRAL = (1, 2, 11, 12, 13)


async def setup() -> tuple[Any, int, int]:
    """Migrate; a kommun and its inspector (through the service layer); the checklist in force."""
    from certify import database
    from certify.domain.status import Role
    from certify.migrate import migrate
    from certify.services import accounts, kommuner
    from certify.services.actor import Actor
    from certify.tables import ChecklistVersion, Kommun

    await migrate()
    await database.prepare()
    await kommuner.add("2081", "Borlänge kommun", "", "")
    kommun_id = (await Kommun.select(Kommun.id).where(Kommun.code == "2081").first().run())["id"]
    inspector = await accounts.create_account(
        email="inspector@example.se",
        name="Karin Öberg",
        role=Role.inspector,
        password="bench-password-1",
        kommun_codes=["2081"],
    )
    checklist = (
        await ChecklistVersion.select(ChecklistVersion.id)
        .where(ChecklistVersion.current.eq(True))
        .first()
        .run()
    )["id"]
    actor = Actor(
        id=inspector,
        email="inspector@example.se",
        name="Karin Öberg",
        role=Role.inspector,
        inspector_kommun_ids=frozenset({kommun_id}),
    )
    return actor, kommun_id, checklist


async def _businesses(kommun_id: int, prefix: str, count: int) -> list[int]:
    from certify.tables import Business

    rows = (
        await Business.insert(
            *(
                Business(
                    kommun=kommun_id,
                    name=f"{prefix} {n}",
                    org_number=f"55{n:08d}",
                    street_address="Stationsgatan 12",
                    postal_code="78434",
                    city="Borlänge",
                    email=f"butik{n}@example.se",
                )
                for n in range(count)
            )
        )
        .returning(Business.id)
        .run()
    )
    return [r["id"] for r in rows]


async def single_case(kommun_id: int, checklist: int, inspector: int) -> tuple[int, int]:
    """An ordinary shop case with 13 passed verdicts, as the inspector leaves it before approving."""
    from certify.tables import Application, Verdict

    business = (await _businesses(kommun_id, "Ångström & Söner Järnhandel", 1))[0]
    rows = (
        await Application.insert(
            Application(
                business=business,
                kommun=kommun_id,
                checklist_version=checklist,
                state="certified",
                inspector=inspector,
            )
        )
        .returning(Application.id)
        .run()
    )
    await Verdict.insert(
        *(Verdict(application=rows[0]["id"], round=1, point=p, verdict="pass") for p in range(1, 14))
    ).run()
    return rows[0]["id"], business


async def chain_case(kommun_id: int, checklist: int, inspector: int, shops: int, index: int) -> int:
    """A chain case of `shops` members, inspecting: audited, its sample and central points passed."""
    from certify.tables import (
        Application,
        Chain,
        ChainAudit,
        ChainCase,
        ChainCaseMember,
        ChainCentralVerdict,
        ChainDocument,
        ChainMember,
        ChainSample,
        Verdict,
    )

    chain = (
        await Chain.insert(Chain(name=f"Kvartersbutiken {index}", org_number=f"{5569000000 + index}"))
        .returning(Chain.id)
        .run()
    )[0]["id"]
    members = await _businesses(kommun_id, f"Kvartersbutiken {index} –", shops)
    await ChainMember.insert(*(ChainMember(chain=chain, business=m) for m in members)).run()
    await ChainDocument.insert(
        ChainDocument(
            chain=chain, file_name="rutiner.pdf", content_type="application/pdf", size=4, content=b"%PDF"
        )
    ).run()
    case = (
        await ChainCase.insert(
            ChainCase(
                chain=chain,
                kommun=kommun_id,
                checklist_version=checklist,
                state="inspecting",
                inspector=inspector,
                seed="bench",
                central_points=list(CENTRAL),
            )
        )
        .returning(ChainCase.id)
        .run()
    )[0]["id"]
    await ChainCaseMember.insert(*(ChainCaseMember(chain_case=case, business=m) for m in members)).run()
    await ChainAudit.insert(
        *(
            ChainAudit(chain_case=case, business=m, point=p, status="fulfilled", comment="Kontrollerad")
            for m in members
            for p in range(1, 14)
        )
    ).run()
    sample = members[: math.ceil(math.sqrt(shops))]
    await ChainSample.insert(
        *(ChainSample(chain_case=case, business=m, reason="random") for m in sample)
    ).run()
    for m in sample:
        application = (
            await Application.insert(
                Application(
                    business=m,
                    kommun=kommun_id,
                    checklist_version=checklist,
                    state="scheduled",
                    inspector=inspector,
                    chain_case=case,
                )
            )
            .returning(Application.id)
            .run()
        )[0]["id"]
        await Verdict.insert(
            *(
                Verdict(application=application, round=1, point=p, verdict="pass", inspector=inspector)
                for p in range(1, 14)
                if p not in CENTRAL
            )
        ).run()
    await ChainCentralVerdict.insert(
        *(ChainCentralVerdict(chain_case=case, point=p, verdict="pass", inspector=inspector) for p in CENTRAL)
    ).run()
    return case


async def run(rounds: int, shops: int) -> tuple[list[float], list[float]]:
    from certify import database
    from certify.services import certificates, chain_cases
    from certify.tables import Certificate

    actor, kommun_id, checklist = await setup()
    singles: list[float] = []
    approvals: list[float] = []
    for index in range(rounds + 1):  # the first round warms up and is not counted
        cases = [await single_case(kommun_id, checklist, actor.id) for _ in range(SINGLES_PER_ROUND)]
        timed: list[float] = []
        for application, business in cases:
            start = time.perf_counter()
            async with database.transaction():
                await certificates.issue(
                    application_id=application,
                    business_id=business,
                    kommun_id=kommun_id,
                    inspector_id=actor.id,
                    previous_number="",
                )
            timed.append(time.perf_counter() - start)
        case = await chain_case(kommun_id, checklist, actor.id, shops, index)
        start = time.perf_counter()
        approved = await chain_cases.approve(actor, case)
        elapsed = time.perf_counter() - start
        issued = await Certificate.count().where(Certificate.application.chain_case == case).run()
        assert approved.state == "certified" and issued == shops, (approved.state, issued)
        if index:
            singles.append(statistics.median(timed))
            approvals.append(elapsed)
    return singles, approvals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--shops", type=int, default=100)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
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
    if args.backend == "sqlite":
        path = work / "bench.sqlite3"
        os.environ["CERTIFY_DATABASE_URL"] = f"sqlite:///{path}"
        singles, approvals = asyncio.run(run(args.rounds, args.shops))
        path.unlink()
    else:
        name = f"certify_bench_{os.getpid()}"
        url = urlunsplit(urlsplit(ADMIN_URL)._replace(path=f"/{name}"))
        os.environ["CERTIFY_DATABASE_URL"] = url
        asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
        try:
            singles, approvals = asyncio.run(run(args.rounds, args.shops))
        finally:
            asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    single = statistics.median(singles)
    approval = statistics.median(approvals)
    budget = args.shops * single * TARGET
    print(f"{args.backend}, {args.rounds} rounds; {args.shops} member shops, sample ⌈√n⌉ visited")
    print(f"one certificate issued (render, number, archive)   median {single * 1000:8.1f} ms")
    print(f"chain case approved ({args.shops} certificates)         median {approval * 1000:8.1f} ms")
    print(
        f"ratio approval / ({args.shops} × single) = {approval / (args.shops * single):.2f} "
        f"(target: at most {TARGET:.2f}; budget {budget * 1000:.0f} ms)"
    )


async def _pg_admin(statement: str) -> None:
    import asyncpg  # type: ignore[import-untyped]

    connection = await asyncpg.connect(ADMIN_URL)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


if __name__ == "__main__":
    sys.exit(main())
