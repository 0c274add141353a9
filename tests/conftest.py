"""One conftest for the whole suite: the same tests run on SQLite or PostgreSQL.

CERTIFY_TEST_DATABASE=sqlite (default) migrates once into a template file and copies it before
every test. CERTIFY_TEST_DATABASE=postgres creates a database of its own on the server named by
CERTIFY_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres), migrates it
once, and empties the tables before every test. Piccolo picks its engine at first use, so the
environment is set here, before anything from certify is imported.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg  # type: ignore[import-untyped]
import httpx
import pytest

# The service's days are Swedish (services/clock.py): the tests' own date.today() and the browser's
# clock are too, or between 23:00 and 01:00 UTC a test and the service disagree on what day it is.
os.environ["TZ"] = "Europe/Stockholm"
time.tzset()

BACKEND = os.environ.get("CERTIFY_TEST_DATABASE", "sqlite")
ADMIN_URL = os.environ.get("CERTIFY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
WORK_DIR = Path(tempfile.mkdtemp(prefix="certify-tests-"))
SQLITE_FILE = WORK_DIR / "certify.sqlite3"
SQLITE_TEMPLATE = WORK_DIR / "template.sqlite3"
PG_DATABASE = f"certify_test_{os.getpid()}"


def _database_url() -> str:
    if BACKEND == "sqlite":
        return f"sqlite:///{SQLITE_FILE}"
    if BACKEND == "postgres":
        parts = urlsplit(ADMIN_URL)
        return urlunsplit(parts._replace(path=f"/{PG_DATABASE}"))
    raise pytest.UsageError(f"CERTIFY_TEST_DATABASE must be sqlite or postgres, not {BACKEND!r}")


os.environ.update(
    {
        "PICCOLO_CONF": "certify.piccolo_conf",
        "CERTIFY_DATABASE_URL": _database_url(),
        "CERTIFY_VAR_DIR": str(WORK_DIR / "var"),
        "CERTIFY_SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "CERTIFY_BASE_URL": "https://certify.test.borlange.se",
        "CERTIFY_BACKGROUND_JOBS": "0",
        "CERTIFY_PASSWORD_HASH_PROFILE": "test",
    }
)

from certify import database as certify_database  # noqa: E402
from certify.app import create_app  # noqa: E402
from certify.domain.status import Role  # noqa: E402
from certify.migrate import migrate  # noqa: E402
from certify.services import accounts, kommuner  # noqa: E402
from certify.settings import Settings  # noqa: E402
from certify.tables import ALL_TABLES, ChecklistPoint, ChecklistVersion  # noqa: E402
from tests.pseudo import pseudo_language  # noqa: E402, F401 - the fixture, for every test

# Tables whose rows come from migrations: kept between tests.
SEEDED = {ChecklistVersion, ChecklistPoint}
PASSWORD = "correct horse battery"


def pytest_report_header() -> str:
    return f"certify database backend: {BACKEND} ({os.environ['CERTIFY_DATABASE_URL']})"


@pytest.fixture(scope="session", autouse=True)
def database() -> Iterator[None]:
    """Create and migrate the test database once per run; remove what we created."""
    if BACKEND == "sqlite":
        asyncio.run(migrate())
        shutil.copyfile(SQLITE_FILE, SQLITE_TEMPLATE)
        yield
    else:
        asyncio.run(_pg_admin(f'CREATE DATABASE "{PG_DATABASE}"'))
        try:
            asyncio.run(migrate())
            yield
        finally:
            asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
    shutil.rmtree(WORK_DIR, ignore_errors=True)


async def _pg_admin(statement: str) -> None:
    connection = await asyncpg.connect(ADMIN_URL)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(autouse=True)
async def clean_database(database: None) -> None:
    """Every test starts from the freshly migrated state."""
    if BACKEND == "sqlite":
        await certify_database.close()  # no idle connection may outlive the file it has open
        for suffix in ("-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(SQLITE_TEMPLATE, SQLITE_FILE)
        return
    names = ", ".join(t._meta.tablename for t in ALL_TABLES if t not in SEEDED)
    connection = await asyncpg.connect(os.environ["CERTIFY_DATABASE_URL"])
    try:
        # The checklist is seed data, but a kommun's own published versions are not.
        await connection.execute(
            "DELETE FROM checklist_points WHERE checklist_version IN "
            "(SELECT id FROM checklist_versions WHERE kommun IS NOT NULL)"
        )
        await connection.execute("DELETE FROM checklist_versions WHERE kommun IS NOT NULL")
        await connection.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await connection.close()


@pytest.fixture
def settings() -> Settings:
    return Settings.from_env()


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Any]:
    """The app with its lifespan running in a task of its own (start and stop in one task)."""
    application = create_app(settings)
    started, stop = asyncio.Event(), asyncio.Event()

    async def run() -> None:
        async with application.lifespan():
            started.set()
            await stop.wait()

    task = asyncio.create_task(run())
    await asyncio.wait([task, asyncio.create_task(started.wait())], return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        task.result()  # start-up failed: raise its error here
    yield application
    stop.set()
    await task


ClientFactory = Callable[[], httpx.AsyncClient]


@pytest.fixture
async def new_client(app: Any) -> AsyncIterator[ClientFactory]:
    """Make HTTP clients (each with its own cookies) talking to the app in this event loop."""
    made: list[httpx.AsyncClient] = []

    def make() -> httpx.AsyncClient:
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver")
        made.append(client)
        return client

    yield make
    for client in made:
        await client.aclose()


@pytest.fixture
async def anonymous(new_client: ClientFactory) -> httpx.AsyncClient:
    return new_client()


@dataclass
class World:
    """Builds people and shops for a test and hands out logged-in clients."""

    new_client: ClientFactory
    counter: int = 0

    async def kommun(self, code: str = "2081", name: str = "Borlänge kommun") -> str:
        """Add the kommun unless it is there already."""
        if code not in {k.code for k in await kommuner.list_all()}:
            await kommuner.add(code, name, "Stadshuset, Röda vägen 50, 781 81 Borlänge", "")
        return code

    async def user(self, role: Role, kommun_codes: list[str] | None = None, name: str = "") -> int:
        self.counter += 1
        codes = kommun_codes if kommun_codes is not None else ([] if role == Role.owner else ["2081"])
        return await accounts.create_account(
            email=f"{role.value}{self.counter}@example.se",
            name=name or f"{role.value.title()} {self.counter}",
            role=role,
            password=PASSWORD,
            kommun_codes=codes,
        )

    async def login(self, account_id: int) -> httpx.AsyncClient:
        user = await accounts.get_user(account_id)
        client = self.new_client()
        response = await client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return client

    async def client_for(
        self, role: Role, kommun_codes: list[str] | None = None
    ) -> tuple[int, httpx.AsyncClient]:
        account_id = await self.user(role, kommun_codes)
        return account_id, await self.login(account_id)


@pytest.fixture
def world(new_client: ClientFactory) -> World:
    return World(new_client=new_client)


AsyncFn = Callable[..., Awaitable[Any]]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI=true a skipped test is a failure: CI must run everything, on both databases."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if os.environ.get("CI") == "true" and skipped and exitstatus == 0:
        reporter.ensure_newline()
        reporter.write_line(f"CI=true: {len(skipped)} test(s) skipped; CI must run every test", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
