"""The app as a real server for the browser tests: migrate, seed the kommun's staff, serve.

Run by tests/browser/conftest.py in a subprocess, with the database named in the environment.
With CERTIFY_TEST_HTML_DIR set, every HTML document the browser loads is saved there for the Nu
HTML checker (tests/browser/html_check.py).
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import uvicorn

from certify.app import create_app
from certify.database import use_piccolo_conf
from certify.domain.status import Role
from certify.migrate import migrate
from certify.services import accounts, kommuner
from tests.browser.html_check import DocumentRecorder

STAFF_PASSWORD = "kommunens långa lösenord"
KOMMUN_EMAIL = "handlaggare@borlange.example.se"
INSPECTOR_EMAIL = "besiktning@polisen.example.se"


async def prepare() -> None:
    await migrate()
    await kommuner.add("2081", "Borlänge kommun", "Stadshuset, Röda vägen 50, 781 81 Borlänge")
    await accounts.create_account(
        email=KOMMUN_EMAIL, name="Karin Handläggare", role=Role.kommun, password=STAFF_PASSWORD,
        kommun_codes=["2081"],
    )  # fmt: skip
    await accounts.create_account(
        email=INSPECTOR_EMAIL, name="Ivar Besiktning", role=Role.inspector, password=STAFF_PASSWORD,
        kommun_codes=["2081"],
    )  # fmt: skip


def main(port: int) -> None:
    use_piccolo_conf()
    asyncio.run(prepare())
    app = create_app()
    html_dir = os.environ.get("CERTIFY_TEST_HTML_DIR")
    served = DocumentRecorder(app, Path(html_dir)) if html_dir else app
    uvicorn.run(served, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main(int(sys.argv[1]))
