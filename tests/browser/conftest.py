"""A real Chromium against a real server: one server per test run, on its own fresh database.

The server runs in a subprocess (uvicorn) on a free port. On SQLite it gets a file of its own; on
PostgreSQL a database of its own, created here and dropped afterwards. Without /usr/bin/chromium
the tests skip, except under CI=true, where that is a failure. When the session ends, the Nu HTML
checker reads every page the browser loaded (tests/browser/html_check.py): one error fails the run.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from tests.browser import html_check
from tests.conftest import ADMIN_URL, BACKEND, WORK_DIR, _pg_admin

CHROMIUM = Path("/usr/bin/chromium")
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = Path(
    os.environ.get("CERTIFY_SCREENSHOT_DIR") or PROJECT_ROOT / "test-artifacts" / "screenshots"
)
BROWSER_PG_DATABASE = f"certify_browser_{os.getpid()}"
HTML_DIR = WORK_DIR / "browser-pages"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url() -> str:
    if BACKEND == "postgres":
        return urlunsplit(urlsplit(ADMIN_URL)._replace(path=f"/{BROWSER_PG_DATABASE}"))
    return f"sqlite:///{WORK_DIR / 'browser.sqlite3'}"


def _wait_until_up(base_url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the test server exited with code {process.returncode}")
        try:
            if httpx.get(f"{base_url}/", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("the test server did not start within 30 s")


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """The base URL of a freshly migrated server with a kommun, a case officer and an inspector."""
    if BACKEND == "postgres":
        asyncio.run(_pg_admin(f'CREATE DATABASE "{BROWSER_PG_DATABASE}"'))
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "CERTIFY_DATABASE_URL": _database_url(),
        "CERTIFY_BASE_URL": base_url,
        "CERTIFY_VAR_DIR": str(WORK_DIR / "browser-var"),
        "CERTIFY_TEST_HTML_DIR": str(HTML_DIR),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.browser.server", str(port)], cwd=PROJECT_ROOT, env=env
    )
    try:
        _wait_until_up(base_url, process)
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=10)
        if BACKEND == "postgres":
            asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{BROWSER_PG_DATABASE}" WITH (FORCE)'))
    check_html_of_every_page()


def check_html_of_every_page() -> None:
    """The Nu HTML checker over every page the session loaded: 0 errors, or the run fails."""
    missing = html_check.missing_tools()
    if missing:
        note = f"the Nu HTML checker needs {', '.join(missing)}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {note}: .ci/run must install it")
        warnings.warn(f"pages not checked: {note}", stacklevel=1)
        return
    if not html_check.recorded_pages(HTML_DIR):
        pytest.fail(f"no page was recorded in {HTML_DIR}: the HTML check saw nothing", pytrace=False)
    errors = html_check.html_errors(HTML_DIR)
    if errors:
        pytest.fail(f"Nu HTML checker: {len(errors)} error(s)\n" + "\n".join(errors), pytrace=False)


@pytest.fixture(autouse=True)
def clean_database() -> None:
    """The server has a database of its own; the suite's per-test (async) cleaning is not wanted
    here, and would clash with Playwright's sync API, which runs an event loop of its own."""


@pytest.fixture(scope="package")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(
                f"CI=true but {CHROMIUM} is missing: .ci/run must install it (apt-get install chromium)"
            )
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield browser
        browser.close()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


@pytest.fixture
def desktop(chromium: Any, live_server: str) -> Iterator[Any]:
    context = chromium.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 900}, locale="sv-SE"
    )
    page = context.new_page()
    yield page
    context.close()


def copy_to_docs(screenshot: Path) -> None:
    """The README shows the self-assessment page: keep docs/screens/ in step with the pages."""
    target = PROJECT_ROOT / "docs" / "screens"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(screenshot, target / screenshot.name)
