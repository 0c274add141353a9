"""What the text layer costs a page: the owner's self-assessment, translated versus word-for-word.

    .venv/bin/python benchmarks/text_layer.py [--requests 200] [--rounds 5]

Builds a small data set on a temporary SQLite file (benchmarks/load_seed.py), signs in as an owner
with a draft case, and renders the self-assessment overview and one point page in process (httpx
over ASGI, no network):

- baseline: the same pages with the catalogue replaced by the identity (every message returned as
  written, no lookup, no catalogue), which is what the page cost before it had a text layer;
- English and Arabic: the real catalogues.

The phases alternate in chunks of ten pages within each round, so a noisy machine slows them
alike; prints each round's ratio and the median (target: at most 1.10, the issue's "no more than
10 % over today's page").
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from gettext import NullTranslations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.10
CHUNK = 10


@contextmanager
def _identity_catalogue() -> Iterator[None]:
    """Every language answers with the Swedish message itself: the page without translation."""
    from certify.text import catalogue

    real = catalogue.translations
    identity = NullTranslations()
    catalogue.translations = lambda code: identity  # type: ignore[assignment]
    try:
        yield
    finally:
        catalogue.translations = real  # type: ignore[assignment]


async def _time(client: object, paths: list[str], requests: int, language: str) -> float:
    import httpx

    assert isinstance(client, httpx.AsyncClient)
    started = time.perf_counter()
    for index in range(requests):
        response = await client.get(paths[index % len(paths)], params={"lang": language})
        if response.status_code != 200:
            raise RuntimeError(f"{response.request.url} answered {response.status_code}")
    return (time.perf_counter() - started) / requests


async def _run(requests: int, rounds: int) -> None:
    import httpx

    from benchmarks.load_seed import PASSWORD, seed
    from certify.app import create_app
    from certify.database import close, prepare
    from certify.migrate import migrate
    from certify.settings import Settings

    print("building the data set …", flush=True)
    await prepare()
    await migrate()
    await seed(4)
    application = create_app(Settings.from_env())
    logging.getLogger("certify.requests").setLevel(logging.WARNING)  # the same for every phase
    async with application.lifespan():
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=application), base_url="https://bench")
        login = await client.post("/api/auth/login", json={"email": "owner0@load.test", "password": PASSWORD})
        login.raise_for_status()
        draft = next(c for c in (await client.get("/api/applications")).json() if c["state"] == "draft")
        base = f"/arenden/{draft['id']}/egenkontroll"
        paths = [base, f"{base}/punkt/3", f"{base}/punkt/9"]
        await _time(client, paths, 20, "en")  # warm up: templates compiled, catalogues loaded
        ratios: dict[str, list[float]] = {"English": [], "العربية": []}
        for number in range(1, rounds + 1):
            spent = {"baseline": 0.0, "en": 0.0, "ar": 0.0}
            for _ in range(requests // CHUNK):  # small alternating chunks: noise hits all alike
                with _identity_catalogue():
                    spent["baseline"] += await _time(client, paths, CHUNK, "en")
                spent["en"] += await _time(client, paths, CHUNK, "en")
                spent["ar"] += await _time(client, paths, CHUNK, "ar")
            baseline = spent["baseline"]
            ratios["English"].append(spent["en"] / baseline)
            ratios["العربية"].append(spent["ar"] / baseline)
            per_page = baseline / (requests // CHUNK) * 1000
            print(
                f"round {number}/{rounds}: word for word {per_page:.2f} ms/page, "
                f"English {spent['en'] / baseline:.3f}, Arabic {spent['ar'] / baseline:.3f}",
                flush=True,
            )
        await client.aclose()
    await close()
    for name, values in ratios.items():
        median = statistics.median(values)
        verdict = "meets" if median <= TARGET else "MISSES"
        print(f"{name}: median {median:.3f} of the word-for-word page ({verdict} the target {TARGET:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="page requests per phase and round")
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="certify-text-layer-") as tmp:
        os.environ.update(
            {
                "PICCOLO_CONF": "certify.piccolo_conf",
                "CERTIFY_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
                "CERTIFY_VAR_DIR": str(Path(tmp) / "var"),
                "CERTIFY_SECRET_KEY": "text-layer-benchmark-secret-key-0123456789",
                "CERTIFY_BACKGROUND_JOBS": "0",
                "CERTIFY_PASSWORD_HASH_PROFILE": "test",
            }
        )
        sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
        asyncio.run(_run(options.requests, options.rounds))


if __name__ == "__main__":
    main()
