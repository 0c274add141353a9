"""Kill the e-mail sender with SIGKILL again and again: no message is lost, and a message in
flight at the moment of the kill is at most sent again with the same Message-ID."""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import os
import random
import signal
import subprocess
import sys
from datetime import timedelta
from typing import Any

from aiosmtpd.controller import Controller

from certify.services import mailer
from certify.services.clock import now
from certify.settings import Settings, SmtpSettings
from certify.tables import OutboxMessage
from tests.conftest import World
from tests.integration.scenario import Scenario
from tests.live_server import ROOT, free_port

KILLS = 4


class SlowInbox:
    """Accepts every message after a short pause, so that kills land in the middle of sending."""

    def __init__(self) -> None:
        self.message_ids: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.05)
        for line in envelope.content.decode("utf-8", "replace").splitlines():
            if line.lower().startswith("message-id:"):
                self.message_ids.append(line.split(":", 1)[1].strip())
        return "250 OK"


async def test_sigkill_during_sending_loses_no_message(world: World, settings: Settings) -> None:
    first = await Scenario.create(world)
    await first.to_state("scheduled")
    for _ in range(3):
        s = await Scenario.create_in(world, first)
        await s.to_state("scheduled")
    expected = {r["message_id"] for r in await OutboxMessage.select(OutboxMessage.message_id).run()}
    assert len(expected) >= 8

    inbox = SlowInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        **os.environ,
        "CERTIFY_SMTP_HOST": "127.0.0.1",
        "CERTIFY_SMTP_PORT": str(port),
        "CERTIFY_SMTP_TLS": "none",
    }
    interrupted = 0
    try:
        for _ in range(KILLS):
            sender = subprocess.Popen(
                [sys.executable, "-m", "certify.cli", "send-mail"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            before = len(inbox.message_ids)
            for _ in range(300):  # wait until this sender is sending, then kill it mid-stream
                if len(inbox.message_ids) > before or sender.poll() is not None:
                    break
                await asyncio.sleep(0.02)
            await asyncio.sleep(random.uniform(0.0, 0.08))
            sender.send_signal(signal.SIGKILL)
            sender.wait()
            interrupted += 1 if len(set(inbox.message_ids)) < len(expected) else 0
        # Later, when the killed senders' leases have run out, a sender finishes the rest.
        smtp = SmtpSettings(host="127.0.0.1", port=port, tls="none")
        later = dataclasses.replace(settings, smtp=smtp)
        await mailer.send_due(later, at=now() + timedelta(minutes=30))
        await mailer.send_due(later, at=now() + timedelta(hours=2))
    finally:
        controller.stop()

    assert interrupted >= 1, "at least one kill cut a sender off in the middle of its work"
    statuses = collections.Counter(
        r["status"] for r in await OutboxMessage.select(OutboxMessage.status).run()
    )
    assert statuses == {"sent": len(expected)}, statuses
    received = collections.Counter(inbox.message_ids)
    assert set(received) == expected, "every message arrived"
    duplicates = {m: n for m, n in received.items() if n > 1}
    assert sum(n - 1 for n in duplicates.values()) <= KILLS, "only a message in flight at a kill repeats"
