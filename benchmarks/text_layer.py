"""What the text layer costs a page: the owner's self-assessment, today against before the text layer.

    .venv/bin/python benchmarks/text_layer.py [--requests 200] [--rounds 5] [--base REV]

Issue 13 asks that a page rendered through the text layer cost at most 10 % over "today's page".
Replacing the catalogue by the identity does not measure that (the Jinja i18n calls, `.format` and
the `<bdi>` work stay in), so the baseline is the code as it was before the text layer: by default
the parent of the commit that introduced it, read with `git archive` into a temporary directory.

Two worker processes, one per tree (the baseline and this checkout's working tree), each put their
own `src` first on `sys.path`, migrate their own temporary SQLite file, seed the same data set
(benchmarks/load_seed.py), sign in as an owner with a draft case and render the self-assessment
overview and two point pages in process (httpx over ASGI, no network). The parent asks them for
chunks of ten pages in turn, old page then today's ("run LANGUAGE N" on stdin, elapsed seconds on
stdout), so a noisy machine slows both alike, and prints each round's ratios and their medians:
today's page in Swedish, English and Arabic against the page before the text layer (always Swedish).
"Today" holds every change since the baseline, not only the text layer: an upper bound on its cost.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
BEFORE_TEXT_LAYER = "da9e377c835abc7caa40b556738c2009f2465c6d^"
TARGET = 1.10
CHUNK = 10
LANGUAGES = {"sv": "Swedish", "en": "English", "ar": "Arabic"}


class BenchmarkError(Exception):
    """A reason the benchmark cannot run, said in one sentence."""


def _git(*args: str) -> bytes:
    result = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True)
    if result.returncode != 0:
        raise BenchmarkError(f"git {' '.join(args)} failed: {result.stderr.decode().strip()}")
    return result.stdout


def _extract(base: str, into: Path) -> str:
    """The tree at `base` as plain files, so its own code serves the baseline."""
    try:
        found = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--git-dir"], capture_output=True)
    except FileNotFoundError:
        raise BenchmarkError(
            "git is not installed, and the page before the text layer is read from git"
        ) from None
    if found.returncode:
        raise BenchmarkError(f"{ROOT} is not a git checkout: the page before the text layer is read from git")
    try:
        commit = _git("rev-parse", "--verify", "--quiet", f"{base}^{{commit}}").decode().strip()
    except BenchmarkError:
        raise BenchmarkError(
            f"{base} is not a commit in {ROOT} (mistyped, or a shallow clone without that history)"
        ) from None
    into.mkdir()
    archive = _git("archive", "--format=tar", commit)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return commit


class Worker:
    """One tree's app in its own process, rendering pages when asked."""

    def __init__(self, name: str, tree: Path, tmp: Path) -> None:
        self.name = name
        data = tmp / f"{name}-data"
        data.mkdir()
        env = os.environ | {
            "PICCOLO_CONF": "certify.piccolo_conf",
            "CERTIFY_DATABASE_URL": f"sqlite:///{data}/bench.sqlite3",
            "CERTIFY_VAR_DIR": str(data / "var"),
            "CERTIFY_SECRET_KEY": "text-layer-benchmark-secret-key-0123456789",
            "CERTIFY_BACKGROUND_JOBS": "0",
            "CERTIFY_PASSWORD_HASH_PROFILE": "test",
        }
        self.log = data / "stderr.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), "--serve", str(tree)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                cwd=tree,
                env=env,
                text=True,
            )
        print(f"{name}: {self._answer()}", flush=True)

    def _answer(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            tail = self.log.read_text(errors="replace").strip().splitlines()[-5:]
            raise BenchmarkError(f"the {self.name} worker stopped: {' | '.join(tail) or 'no message'}")
        return line.strip()

    def run(self, language: str, pages: int) -> float:
        assert self.process.stdin is not None
        self.process.stdin.write(f"run {language} {pages}\n")
        self.process.stdin.flush()
        return float(self._answer())

    def stop(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)


async def _serve(tree: Path, reply: IO[str]) -> None:
    """The worker: this tree's app, its own database, pages timed on request."""
    import httpx

    from benchmarks.load_seed import PASSWORD, seed
    from certify.app import create_app
    from certify.database import close, prepare
    from certify.migrate import migrate
    from certify.settings import Settings

    source = Path(inspect.getfile(create_app)).parent
    if not source.resolve().is_relative_to(tree.resolve()):
        raise BenchmarkError(f"the worker for {tree} imported certify from {source}")
    await prepare()
    await migrate()
    await seed(4)
    application = create_app(Settings.from_env())
    logging.getLogger("certify.requests").setLevel(logging.WARNING)  # the same for both trees
    async with application.lifespan():
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=application), base_url="https://bench")
        login = await client.post("/api/auth/login", json={"email": "owner0@load.test", "password": PASSWORD})
        login.raise_for_status()
        draft = next(c for c in (await client.get("/api/applications")).json() if c["state"] == "draft")
        overview = f"/arenden/{draft['id']}/egenkontroll"
        paths = [overview, f"{overview}/punkt/3", f"{overview}/punkt/9"]

        async def pages(language: str, count: int) -> float:
            started = time.perf_counter()
            for index in range(count):
                response = await client.get(paths[index % len(paths)], params={"lang": language})
                if response.status_code != 200:
                    raise BenchmarkError(f"{response.request.url} answered {response.status_code}")
            return time.perf_counter() - started

        for language in LANGUAGES:  # warm up: templates compiled, catalogues loaded
            await pages(language, 20)
        print(f"ready, certify from {source}", file=reply, flush=True)
        for line in sys.stdin:
            _, language, count = line.split()
            print(f"{await pages(language, int(count)):.6f}", file=reply, flush=True)
        await client.aclose()
    await close()


def _compare(base: Worker, today: Worker, requests: int, rounds: int) -> dict[str, list[float]]:
    """Each language's chunk right after a chunk of the old page, so every chunk follows a process
    switch (cold caches) alike; each language is compared with the old chunks paired with it."""
    ratios: dict[str, list[float]] = {code: [] for code in LANGUAGES}
    chunks = max(1, requests // CHUNK)
    for number in range(1, rounds + 1):
        before = dict.fromkeys(LANGUAGES, 0.0)
        spent = dict.fromkeys(LANGUAGES, 0.0)
        for _ in range(chunks):
            for code in LANGUAGES:
                before[code] += base.run("sv", CHUNK)
                spent[code] += today.run(code, CHUNK)
        for code in LANGUAGES:
            ratios[code].append(spent[code] / before[code])
        per_page = sum(before.values()) / (len(LANGUAGES) * chunks * CHUNK) * 1000
        figures = ", ".join(f"{LANGUAGES[code]} {ratios[code][-1]:.3f}" for code in LANGUAGES)
        print(
            f"round {number}/{rounds}: before the text layer {per_page:.2f} ms/page; today {figures}",
            flush=True,
        )
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="pages per phase and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--base", default=BEFORE_TEXT_LAYER, help="git revision of the page before the text layer"
    )
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # the worker's own entry
    options = parser.parse_args()
    try:
        if options.serve is not None:
            reply = os.fdopen(os.dup(1), "w")
            os.dup2(2, 1)  # anything else the app prints goes to the log, not into the protocol
            sys.path[:0] = [str(options.serve / "src"), str(options.serve)]
            asyncio.run(_serve(options.serve, reply))
            return
        with tempfile.TemporaryDirectory(prefix="certify-text-layer-") as name:
            tmp = Path(name)
            commit = _extract(options.base, tmp / "base")
            print(f"before the text layer: {options.base} = {commit[:12]}; today: the working tree {ROOT}")
            print("building both data sets …", flush=True)
            base = Worker("before", tmp / "base", tmp)
            try:
                today = Worker("today", ROOT, tmp)
                try:
                    ratios = _compare(base, today, options.requests, options.rounds)
                finally:
                    today.stop()
            finally:
                base.stop()
    except BenchmarkError as error:
        sys.exit(f"text_layer.py: {error}")
    for code, values in ratios.items():
        median = statistics.median(values)
        verdict = "meets" if median <= TARGET else "MISSES"
        print(
            f"today in {LANGUAGES[code]}: median {median:.3f} of the page before the text layer "
            f"({verdict} the target {TARGET:.2f})"
        )
    print(f"(today is every commit since {options.base}, the text layer and whatever else came since)")


if __name__ == "__main__":
    main()
