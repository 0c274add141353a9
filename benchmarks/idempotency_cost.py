"""What the Idempotency-Key middleware costs a write sent without the header.

    .venv/bin/python benchmarks/idempotency_cost.py [--requests 20000] [--rounds 5]

Three bare Litestar apps with the same JSON PUT endpoint: without route middleware; with a
middleware that only passes the request on (any middleware makes Litestar wrap the handler in one
more exception handler, as the service's app-wide middleware already does on every route); and
with `middleware=[idempotent]` as the service's write routes have it (certify.web.idempotency).
Their requests, without the header, go straight through ASGI one after another in this process
and are timed in its CPU seconds (time.process_time), app after app in each round. Prints µs per
request per round and the median ratios. Other routes do not carry the middleware.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable
from typing import Any

from litestar import Litestar, put
from litestar.types import ASGIApp, Receive, Scope, Send

from certify.web.idempotency import idempotent

BODY = b'{"verdict":"pass","remark":""}'
HEADERS = [
    (b"host", b"127.0.0.1:8000"),
    (b"user-agent", b"Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"),
    (b"accept", b"application/json"),
    (b"accept-language", b"sv-SE,sv;q=0.9,en;q=0.8"),
    (b"accept-encoding", b"gzip, deflate, br"),
    (b"content-type", b"application/json"),
    (b"content-length", str(len(BODY)).encode()),
    (b"cookie", b"certify_session=" + b"x" * 43 + b"; csrftoken=" + b"y" * 64),
    (b"origin", b"http://127.0.0.1:8000"),
    (b"referer", b"http://127.0.0.1:8000/besiktningar"),
]


def _passing_on(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        await app(scope, receive, send)

    return middleware


def _app(middleware: Callable[[ASGIApp], ASGIApp] | None) -> Litestar:
    @put("/bench/{point:int}", middleware=[middleware] if middleware else None)
    async def judge(point: int, data: dict[str, Any]) -> dict[str, Any]:
        return {"point": point, **data}

    return Litestar(route_handlers=[judge], logging_config=None)


async def _drive(app: Any, count: int) -> float:
    """CPU µs per request for `count` PUTs; every answer must be 200."""
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": BODY, "more_body": False}

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
            "method": "PUT",
            "root_path": "",
            "path": "/bench/3",
            "raw_path": b"/bench/3",
            "query_string": b"",
            "headers": HEADERS,
        }
        await app(scope, receive, send)
    spent = time.process_time() - started
    assert set(statuses) == {200}, sorted(set(statuses))
    return spent / count * 1e6


async def measure(count: int, rounds: int) -> None:
    apps = {"none": _app(None), "passing on": _app(_passing_on), "idempotent": _app(idempotent)}
    for app in apps.values():
        await _drive(app, 500)  # warm up
    times: dict[str, list[float]] = {name: [] for name in apps}
    for number in range(1, rounds + 1):
        for name, app in apps.items():
            times[name].append(await _drive(app, count))
        print(f"round {number}: " + ", ".join(f"{name} {t[-1]:5.1f} µs" for name, t in times.items()))
    for baseline in ("none", "passing on"):
        ratios = [a / b for a, b in zip(times["idempotent"], times[baseline], strict=True)]
        extra = statistics.median(a - b for a, b in zip(times["idempotent"], times[baseline], strict=True))
        print(f"idempotent against {baseline}: median ratio {statistics.median(ratios):.3f}, {extra:+.1f} µs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(measure(args.requests, args.rounds))


if __name__ == "__main__":
    main()
