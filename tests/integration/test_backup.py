"""A backup taken while cases are being written restores every case committed before it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from certify.tables import Application, Event
from certify.text.catalogue import _
from tests.conftest import World
from tests.integration.scenario import Scenario, ok


def certify(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "certify.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "", "LC_MESSAGES": "", "LANG": "sv_SE.UTF-8"},
        check=False,
    )


async def test_backup_under_write_load_and_restore(world: World, tmp_path: Path) -> None:
    s = await Scenario.create(world)
    committed: list[int] = [s.case_id]
    stop = asyncio.Event()

    async def writer() -> None:
        while not stop.is_set():
            shop = await s.new_shop()
            case = await ok(await s.owner.post(f"/api/businesses/{shop['id']}/applications"), 201)
            committed.append(case["id"])

    writers = [asyncio.create_task(writer()) for _ in range(3)]
    await asyncio.sleep(0.5)
    before_backup = list(committed)
    backup_file = tmp_path / "certify.backup"
    result = await asyncio.to_thread(certify, "backup", str(backup_file))
    await asyncio.sleep(0.3)
    stop.set()
    await asyncio.gather(*writers)
    assert result.returncode == 0, result.stderr
    assert backup_file.stat().st_size > 0
    written_after = len(committed)

    restored = await asyncio.to_thread(certify, "restore", "--yes", str(backup_file))
    assert restored.returncode == 0, restored.stderr

    ids = {r["id"] for r in await Application.select(Application.id).run()}
    assert set(before_backup) <= ids, "every case committed before the backup is back"
    assert len(ids) <= written_after
    opened = {
        r["application"] for r in await Event.select(Event.application).where(Event.action == "open").run()
    }
    assert opened == ids, "each restored case has its events: the copy is consistent"
    assert (await s.case())["id"] == s.case_id


async def test_backup_errors_are_one_line(tmp_path: Path) -> None:
    missing = await asyncio.to_thread(certify, "restore", "--yes", str(tmp_path / "nope.backup"))
    assert missing.returncode == 1
    nope = tmp_path / "nope.backup"
    assert missing.stderr.strip() == "certify: " + _("det finns ingen säkerhetskopia på {path}").format(
        path=nope
    )
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database at all" * 100)
    refused = await asyncio.to_thread(certify, "restore", "--yes", str(junk))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
