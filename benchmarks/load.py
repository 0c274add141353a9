"""Mixed load from concurrent clients on loopback, against SQLite and PostgreSQL.

    .venv/bin/python benchmarks/load.py [--db sqlite|postgres|both] [--clients 50] [--seconds 10]
                                       [--workers 1]

For each database: builds a data set (a kommun, owners with shops and cases in every state),
starts the service with uvicorn on a free port, and runs four timed phases with the same number
of concurrent clients: the bare JSON endpoint, the one-row Piccolo read, the full case read
(shop, 13 answers, verdicts, certificate) as the kommun, and a mixed workload of owners,
inspectors and the kommun (reads, answers and verdicts written, transitions, certificate
downloads). Prints throughput, p50/p95/p99 latency, errors, and the case read's throughput as a
ratio of the two baselines. Bounded in time; only 127.0.0.1 is contacted.

The three read phases use `wrk` (Debian package wrk) when it is installed: a Python client on
the same two cores measures mostly itself. The mixed workload always uses httpx.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
import httpx

ROOT = Path(__file__).resolve().parents[1]
# Idle connections are dropped before uvicorn's own 5 s keep-alive timeout: a request sent on a
# connection the server is closing at that moment gets no answer (a client-side race, as for any
# HTTP client or proxy whose keep-alive outlasts the server's).
CLIENT_LIMITS = httpx.Limits(max_connections=200, keepalive_expiry=2.0)
PASSWORD = "load-test-password"
PG_ADMIN = os.environ.get("CERTIFY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_statuses: dict[str, int] = field(default_factory=dict)  # status, or why there was no answer
    seconds: float = 0.0
    requests: int = 0  # counted by wrk when it drove the phase
    fixed: dict[int, float] = field(default_factory=dict)  # percentiles in ms reported by wrk

    @property
    def throughput(self) -> float:
        count = self.requests or len(self.latencies)
        return count / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if int(p) in self.fixed:
            return self.fixed[int(p)]
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000 if ordered else 0.0

    def line(self) -> str:
        return (
            f"  {self.name:<22} {self.throughput:8.0f} req/s   p50 {self.percentile(50):6.1f} ms   "
            f"p95 {self.percentile(95):6.1f} ms   p99 {self.percentile(99):6.1f} ms   errors {self.errors}"
            + (f" {dict(sorted(self.error_statuses.items()))}" if self.error_statuses else "")
        )


def wrk_phase(name: str, url: str, cookies: str, clients: int, seconds: float) -> Phase:
    """One read phase driven by wrk; its Lua hook prints the figures on one line."""
    command = [
        "wrk",
        "-t1",
        f"-c{clients}",
        f"-d{seconds:.0f}s",
        "-s",
        str(ROOT / "benchmarks" / "wrk_report.lua"),
        "-H",
        f"Cookie: {cookies}",
        url,
    ]
    subprocess.run([*command[:3], "-d1s", *command[4:]], capture_output=True, check=True)  # warm up
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(row for row in output.splitlines() if row.startswith("RESULT"))
    values = dict(part.split("=") for part in line.split()[1:])
    phase = Phase(name, seconds=float(values["seconds"]), errors=int(values["errors"]))
    phase.requests = int(values["requests"])
    phase.fixed = {p: float(values[f"p{p}"]) for p in (50, 95, 99)}
    return phase


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(database_url: str, var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PICCOLO_CONF": "certify.piccolo_conf",
        "CERTIFY_DATABASE_URL": database_url,
        "CERTIFY_VAR_DIR": str(var_dir),
        "CERTIFY_SECRET_KEY": "load-benchmark-secret-key-0123456789abcdef",
        "CERTIFY_BACKGROUND_JOBS": "0",
        "CERTIFY_PASSWORD_HASH_PROFILE": "test",
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
    }


SEED = """
import asyncio
from certify.database import prepare, close
from certify.migrate import migrate
from benchmarks.load_seed import seed
async def main():
    await prepare()
    await migrate()
    await seed({shops})
    await close()
asyncio.run(main())
"""


@contextlib.contextmanager
def server(
    env: dict[str, str], port: int, workers: int, app: str = "benchmarks.load_app:app", probe: str = "/health"
) -> Iterator[str]:
    serve = (
        "from certify.server import run; "
        f"run({app!r}, '127.0.0.1', {port}, {workers},"
        " log_level='warning', access_log=False)"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", serve],  # served exactly as `certify serve` serves
        env=env,
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}{probe}", timeout=1).status_code == 200:
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


async def login(base: str, email: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=30, limits=CLIENT_LIMITS)
    response = await client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    response.raise_for_status()
    return client


async def run_phase(name: str, clients: int, seconds: float, call: Callable[[int], Awaitable[int]]) -> Phase:
    phase = Phase(name)
    deadline = time.perf_counter() + seconds

    async def worker(index: int) -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                status, outcome = await call(index), ""
            except httpx.HTTPError as error:
                status, outcome = 599, type(error).__name__
            phase.latencies.append(time.perf_counter() - started)
            if status >= 500 or status in (0, 401, 403, 404):
                phase.errors += 1
                key = outcome or str(status)
                phase.error_statuses[key] = phase.error_statuses.get(key, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(clients)))
    phase.seconds = time.perf_counter() - started
    return phase


async def measure(base: str, clients: int, seconds: float) -> list[Phase]:
    anonymous = httpx.AsyncClient(base_url=base, timeout=30, limits=CLIENT_LIMITS)
    kommun = await login(base, "kommun@load.test")
    inspector = await login(base, "inspector@load.test")
    owners = [await login(base, f"owner{i}@load.test") for i in range(10)]
    cases = (await kommun.get("/api/applications")).json()
    by_state: dict[str, list[dict[str, object]]] = {}
    for case in cases:
        by_state.setdefault(str(case["state"]), []).append(case)
    readable = [int(c["id"]) for c in cases]  # type: ignore[call-overload]
    drafts = [(int(c["id"]), int(c["business_id"])) for c in by_state.get("draft", [])]  # type: ignore[call-overload]
    scheduled = [int(c["id"]) for c in by_state.get("scheduled", [])]  # type: ignore[call-overload]
    numbers = [
        str(c["certificate"]["number"])  # type: ignore[index]
        for c in [(await kommun.get(f"/api/applications/{i}")).json() for i in readable[:200]]
        if c["certificate"]
    ]

    async def bare(_: int) -> int:
        return (await anonymous.get("/bench/bare")).status_code

    async def one_row(_: int) -> int:
        return (await anonymous.get("/bench/one-row")).status_code

    async def case_read(i: int) -> int:
        return (await kommun.get(f"/api/applications/{random.choice(readable)}")).status_code

    async def mixed(i: int) -> int:
        roll = random.random()
        if roll < 0.35:
            return (await kommun.get(f"/api/applications/{random.choice(readable)}")).status_code
        if roll < 0.50:
            return (await kommun.get("/api/applications?state=scheduled")).status_code
        if roll < 0.65 and drafts:
            case_id, _ = random.choice(drafts)
            owner = owners[(case_id - 1) % len(owners)]  # the seed gives shop i to owner i % 10
            point = random.randint(1, 13)
            response = await owner.put(
                f"/api/applications/{case_id}/answers/{point}", json={"status": "fulfilled", "comment": "ok"}
            )
            return response.status_code if response.status_code != 409 else 200
        if roll < 0.80 and scheduled:
            case_id = random.choice(scheduled)
            response = await inspector.put(
                f"/api/applications/{case_id}/verdicts/{random.randint(1, 13)}", json={"verdict": "pass"}
            )
            return response.status_code if response.status_code != 409 else 200
        if roll < 0.90 and numbers:
            return (await kommun.get(f"/api/certificates/{random.choice(numbers)}/pdf")).status_code
        if scheduled:
            # A transition that is refused by the rules (not all points judged) or by the state:
            # exercises the whole transaction path without consuming the data set.
            response = await inspector.post(f"/api/applications/{random.choice(scheduled)}/approve", json={})
            return 200 if response.status_code in (200, 409, 422) else response.status_code
        return (await kommun.get("/api/businesses")).status_code

    phases = []
    cookies = "; ".join(f"{name}={value}" for name, value in kommun.cookies.items())  # as a browser sends
    reads = (
        ("bare JSON", bare, "/bench/bare"),
        ("one-row read", one_row, "/bench/one-row"),
        ("case read", case_read, f"/api/applications/{readable[len(readable) // 2]}"),
    )
    for name, call, path in reads:
        if shutil.which("wrk"):
            phases.append(wrk_phase(name, base + path, cookies, clients, seconds))
        else:
            await run_phase(name, clients, 1.0, call)  # warm up
            phases.append(await run_phase(name, clients, seconds, call))
    await run_phase("mixed workload", clients, 1.0, mixed)
    phases.append(await run_phase("mixed workload", clients, seconds, mixed))
    for client in (anonymous, kommun, inspector, *owners):
        await client.aclose()
    return phases


def run(db: str, clients: int, seconds: float, shops: int, workers: int) -> None:
    with tempfile.TemporaryDirectory(prefix="certify-load-") as tmp:
        database_name = f"certify_load_{os.getpid()}"
        if db == "sqlite":
            url = f"sqlite:///{tmp}/load.sqlite3"
        else:
            asyncio.run(_pg(f'CREATE DATABASE "{database_name}"'))
            url = PG_ADMIN.rsplit("/", 1)[0] + f"/{database_name}"
        env = environment(url, Path(tmp) / "var")
        try:
            print(f"{db}: building {shops} shops with cases …", flush=True)
            subprocess.run([sys.executable, "-c", SEED.format(shops=shops)], env=env, cwd=ROOT, check=True)
            with server(env, free_port(), workers) as base:
                phases = asyncio.run(measure(base, clients, seconds))
        finally:
            if db == "postgres":
                asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{database_name}" WITH (FORCE)'))
    by_name = {p.name: p for p in phases}
    print(f"{db}: {clients} concurrent clients, {seconds:.0f} s per phase, uvicorn workers: {workers}")
    for phase in phases:
        print(phase.line())
    case = by_name["case read"].throughput
    print(f"  case read / bare JSON     = {case / by_name['bare JSON'].throughput:.2f}")
    print(f"  case read / one-row read  = {case / by_name['one-row read'].throughput:.2f}  (target ≥ 0.60)")
    print(f"  case read p99             = {by_name['case read'].percentile(99):.1f} ms  (target < 100 ms)")


async def _pg(statement: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--shops", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = parser.parse_args()
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        run(db, args.clients, args.seconds, args.shops, args.workers)


if __name__ == "__main__":
    main()
