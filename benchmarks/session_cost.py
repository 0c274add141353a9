"""What the service's own stack costs a logged-in request, as ratios to a bare Litestar endpoint.

    .venv/bin/python benchmarks/session_cost.py [--db sqlite|postgres|both] [--clients 50]
                                               [--seconds 3] [--rounds 3] [--shops 40]

For each database: builds a data set (benchmarks/load_seed.py), starts the service and a bare
Litestar app (benchmarks/bare_app.py: one JSON endpoint, no middleware) the same way (one uvicorn
worker each), and drives each phase with wrk (Debian package wrk) from the same number of clients,
in rounds (the machines here are shared and noisy: each round has its own baseline):

- bare Litestar: the baseline;
- service, anonymous: the service's constant endpoint without a session (admission, the request
  stack of certify.web.stack finding no cookie, CSRF setting its cookie, security headers, the
  request log);
- signed in: a constant JSON endpoint behind the role guard, called with the kommun's cookies (the
  session check, the caller's lookup, the password gate: the whole stack, no data);
- case read: GET /api/applications/{id} as the kommun, the same case every time: after the first
  request it is answered from the instance's case cache (certify.services.case_cache), as a case
  read again unchanged is; what remains is the stack and the barrier the session check already
  passes (PostgreSQL: the shared round trip; SQLite: the one-row generation read).

Prints requests/s and latency per phase and, per round and as the median, the ratios (targets:
signed in ≥ 0.50, case read ≥ 0.35). Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from load import PG_ADMIN, ROOT, SEED, _pg, environment, free_port, login, server, wrk_phase

TARGETS = {"signed in": 0.50, "case read": 0.35}


async def _session(base: str) -> tuple[str, int]:
    """The kommun's cookies as a browser sends them (the session's and the form token's), and a
    case it may read."""
    kommun = await login(base, "kommun@load.test")
    try:
        (await kommun.get("/logga-in")).raise_for_status()
        cases = (await kommun.get("/api/applications")).json()
        cookies = "; ".join(f"{name}={value}" for name, value in kommun.cookies.items())
        return cookies, int(cases[len(cases) // 2]["id"])
    finally:
        await kommun.aclose()


def run(db: str, clients: int, seconds: float, shops: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory(prefix="certify-session-cost-") as tmp:
        database_name = f"certify_session_cost_{os.getpid()}"
        if db == "sqlite":
            url = f"sqlite:///{tmp}/load.sqlite3"
        else:
            asyncio.run(_pg(f'CREATE DATABASE "{database_name}"'))
            url = PG_ADMIN.rsplit("/", 1)[0] + f"/{database_name}"
        env = environment(url, Path(tmp) / "var")
        try:
            print(f"{db}: building {shops} shops with cases …", flush=True)
            subprocess.run([sys.executable, "-c", SEED.format(shops=shops)], env=env, cwd=ROOT, check=True)
            with (
                server(env, free_port(), 1) as service,
                server(env, free_port(), 1, "benchmarks.bare_app:app", "/bench/bare") as bare,
            ):
                cookies, case_id = asyncio.run(_session(service))
                targets = (
                    ("bare Litestar", f"{bare}/bench/bare", ""),
                    ("service, anonymous", f"{service}/bench/bare", ""),
                    ("signed in", f"{service}/api/bench/signed-in", cookies),
                    ("case read", f"{service}/api/applications/{case_id}", cookies),
                )
                measured = [
                    [wrk_phase(name, url, cookie, clients, seconds) for name, url, cookie in targets]
                    for _ in range(rounds)
                ]
        finally:
            if db == "postgres":
                asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{database_name}" WITH (FORCE)'))
    print(
        f"{db}: {clients} concurrent clients, {rounds} rounds of {seconds:.0f} s per phase, one worker each"
    )
    for index, phases in enumerate(measured, start=1):
        print(f"  round {index}")
        for phase in phases:
            print("  " + phase.line())
    print("  ratio to the bare Litestar endpoint of the same round (median of the rounds):")
    for column, (name, _, _) in enumerate(targets[1:], start=1):
        ratios = [phases[column].throughput / phases[0].throughput for phases in measured]
        target = TARGETS.get(name)
        goal = f"  (target ≥ {target:.2f})" if target else ""
        each = ", ".join(f"{r:.2f}" for r in ratios)
        print(f"  {name + ' / bare Litestar':<34} = {statistics.median(ratios):.2f}{goal}   rounds: {each}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--shops", type=int, default=40)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("session_cost.py needs wrk (Debian package wrk): a Python client would measure itself")
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        run(db, args.clients, args.seconds, args.shops, args.rounds)


if __name__ == "__main__":
    main()
