"""Where a request's microseconds go: the phases of benchmarks/session_cost.py driven in-process.

    .venv/bin/python benchmarks/stack_profile.py [--db sqlite|postgres] [--requests 3000]
                                                [--rounds 3] [--profile signed-in|case-read|anonymous]

wrk's figures move with whatever else the shared cores run. Here each phase's requests go straight
through ASGI, one after another, in one process (no HTTP server, no client), and each is timed in
CPU seconds of this process (time.process_time), so other work on the machine barely shows:
the bare Litestar app (benchmarks/bare_app.py), the service's constant endpoint without a session,
the signed-in endpoint and the case read as the kommun (the same case: from the case cache after
the first). Prints µs per request and the ratio to the bare app per round; --profile adds
cProfile's table for one phase. Requests run one at a time:
PostgreSQL's session check shares one round trip among the requests that arrive together under
load, so here it costs a whole round trip each (use session_cost.py for PostgreSQL's ratios).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from load import PG_ADMIN, ROOT, SEED, _pg, environment

PHASES = ("bare Litestar", "anonymous", "signed-in", "case-read")


async def _drive(app: Any, path: str, headers: list[tuple[bytes, bytes]], count: int) -> float:
    """CPU µs per request for `count` GETs of `path`; every answer must be 200."""
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    started = time.process_time()
    for _ in range(count):
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "server": ("127.0.0.1", 8000),
            "client": ("127.0.0.1", 50000),
            "scheme": "http",
            "method": "GET",
            "root_path": "",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "headers": [(b"host", b"127.0.0.1:8000"), *headers],
        }
        await app(scope, receive, send)
    spent = time.process_time() - started
    assert set(statuses) == {200}, f"{path}: {sorted(set(statuses))}"
    return spent / count * 1e6


async def measure(count: int, rounds: int, profile: str | None) -> None:
    from bare_app import app as bare_app
    from load_app import app as service_app

    from certify.tables import Account, Application

    service, bare = service_app(), bare_app()
    async with service.lifespan(), bare.lifespan():
        kommun = await Account.select(Account.id).where(Account.email == "kommun@load.test").first().run()
        assert kommun is not None
        token = await service.state.sessions.open(kommun["id"])
        cases = await Application.select(Application.id).order_by(Application.id).run()
        cookie = [(b"cookie", f"certify_session={token}".encode())]
        phases = {
            "bare Litestar": (bare, "/bench/bare", []),
            "anonymous": (service, "/bench/bare", []),
            "signed-in": (service, "/api/bench/signed-in", cookie),
            "case-read": (service, f"/api/applications/{cases[len(cases) // 2]['id']}", cookie),
        }
        for app, path, headers in phases.values():
            await _drive(app, path, headers, 200)  # warm: caches, the session remembered
        for index in range(1, rounds + 1):
            spent = {name: await _drive(*phase, count) for name, phase in phases.items()}
            bare_us = spent["bare Litestar"]
            line = "   ".join(f"{name} {us:6.1f} µs ({bare_us / us:.2f})" for name, us in spent.items())
            print(f"  round {index}: {line}", flush=True)
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            await _drive(*phases[profile], count)
            profiler.disable()
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", choices=PHASES[1:])
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        sys.path[:0] = [str(ROOT / "benchmarks")]
        asyncio.run(measure(args.requests, args.rounds, args.profile))
        return
    with tempfile.TemporaryDirectory(prefix="certify-stack-profile-") as tmp:
        database_name = f"certify_stack_profile_{os.getpid()}"
        if args.db == "sqlite":
            url = f"sqlite:///{tmp}/profile.sqlite3"
        else:
            asyncio.run(_pg(f'CREATE DATABASE "{database_name}"'))
            url = PG_ADMIN.rsplit("/", 1)[0] + f"/{database_name}"
        env = environment(url, Path(tmp) / "var")
        try:
            subprocess.run([sys.executable, "-c", SEED.format(shops=40)], env=env, cwd=ROOT, check=True)
            print(f"{args.db}: {args.requests} requests per phase, one at a time, CPU µs per request (ratio)")
            command = [sys.executable, __file__, "--measure", "--requests", str(args.requests)]
            command += ["--rounds", str(args.rounds)] + (["--profile", args.profile] if args.profile else [])
            # The request log goes to standard error, as under uvicorn in session_cost.py.
            subprocess.run(command, env=env, cwd=ROOT, check=True, stderr=subprocess.DEVNULL)
        finally:
            if args.db == "postgres":
                asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{database_name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
