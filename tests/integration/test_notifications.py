"""E-mail from the outbox through a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import dataclasses
import email
import socket
from collections.abc import Iterator
from datetime import date, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from certify.domain.messages import Message
from certify.domain.status import Role
from certify.formatting import format_date
from certify.services import accounts, jobs, mailer, notifications
from certify.services.clock import now
from certify.settings import Settings, SmtpSettings
from certify.tables import Account, OutboxMessage, Representative
from tests.conftest import World
from tests.integration.scenario import Scenario, ok


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """An aiosmtpd handler keeping every accepted message."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def smtp_settings(settings: Settings, smtp_port: int) -> Settings:
    smtp = SmtpSettings(host="127.0.0.1", port=smtp_port, tls="none")
    return dataclasses.replace(settings, smtp=smtp, mail_from="ran@borlange.se")


def start_server(port: int, inbox: Inbox) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


@pytest.fixture
def inbox(smtp_port: int) -> Iterator[Inbox]:
    handler = Inbox()
    controller = start_server(smtp_port, handler)
    yield handler
    controller.stop()


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


async def test_workflow_emails_reach_owner_and_inspector(
    world: World, smtp_settings: Settings, inbox: Inbox
) -> None:
    s = await Scenario.create(world)
    await s.to_state("corrections_required")
    owner = (await ok(await s.owner.get("/api/me")))["email"]
    inspector = (await ok(await s.inspector.get("/api/me")))["email"]

    report = await mailer.send_due(smtp_settings)
    assert report.sent == 4 and report.errors == []

    subjects = [m["Subject"] for m in inbox.to(owner)]
    assert subjects == [
        "Ansökan mottagen – Åkes Järn & Färg 1",
        "Besiktning bokad – Åkes Järn & Färg 1",
        "Åtgärder krävs – Åkes Järn & Färg 1",
    ]
    booked = inbox.to(owner)[1]
    assert "Besiktningsperson: Inspector" in text_of(booked)
    corrections = text_of(inbox.to(owner)[2])
    assert "Punkt 4 brister." not in corrections and "ser ni i ärendet" in corrections  # secrecy
    assert "senast" in corrections
    assert "Punkt 4 brister." not in html_of(inbox.to(owner)[2])
    assert [m["Subject"] for m in inbox.to(inspector)] == ["Nytt uppdrag – Åkes Järn & Färg 1"]
    assert all(m["From"] == "ran@borlange.se" and m["Message-ID"] for m in inbox.messages)
    assert len({m["Message-ID"] for m in inbox.messages}) == 4

    assert (await mailer.send_due(smtp_settings)).sent == 0, "nothing is sent twice"
    outbox = await ok(await s.kommun.get("/api/outbox"))
    assert {m["status"] for m in outbox} == {"sent"} and len(outbox) == 4


async def test_certified_mail_links_to_certificate_and_decal(
    world: World, smtp_settings: Settings, inbox: Inbox
) -> None:
    s = await Scenario.create(world)
    case = await s.to_state("certified")
    await mailer.send_due(smtp_settings)
    number = case["certificate"]["number"]
    certified = [m for m in inbox.messages if m["Subject"].startswith("Certifierad")]
    assert len(certified) == 1
    body = text_of(certified[0])
    assert number in body and "/intyg.pdf" in body and "/dekal.pdf" in body and f"/verify/{number}" in body


async def test_server_down_keeps_messages_and_a_later_run_delivers_once(
    world: World, smtp_settings: Settings, smtp_port: int
) -> None:
    s = await Scenario.create(world)
    await s.to_state("submitted")

    down = await mailer.send_due(smtp_settings)
    assert down.sent == 0 and down.retrying == 1 and "ConnectionRefusedError" in down.errors[0]
    outbox = await ok(await s.kommun.get("/api/outbox"))
    assert [(m["status"], m["attempts"]) for m in outbox] == [("pending", 1)]
    assert outbox[0]["last_error"]

    inbox = Inbox()
    controller = start_server(smtp_port, inbox)
    try:
        early = await mailer.send_due(smtp_settings)
        assert early.sent == 0, "the retry waits for its backoff"
        later = await mailer.send_due(smtp_settings, at=now() + timedelta(hours=1))
        again = await mailer.send_due(smtp_settings, at=now() + timedelta(hours=2))
    finally:
        controller.stop()
    assert later.sent == 1 and again.sent == 0
    assert len(inbox.messages) == 1 and inbox.messages[0]["Subject"].startswith("Ansökan mottagen")


async def test_kommun_can_resend_and_without_smtp_messages_wait(
    world: World, smtp_settings: Settings, inbox: Inbox
) -> None:
    s = await Scenario.create(world)
    await s.to_state("submitted")
    waiting = await ok(await s.kommun.get("/api/outbox?status=pending"))
    assert len(waiting) == 1 and "Vi har tagit emot ansökan" in waiting[0]["body_text"]

    await mailer.send_due(smtp_settings)
    await ok(await s.kommun.post(f"/api/outbox/{waiting[0]['id']}/resend"), 202)
    await mailer.send_due(smtp_settings)
    assert len(inbox.messages) == 2, "a resend goes out once more"
    assert (await s.owner.get("/api/outbox")).status_code == 403


async def test_overdue_corrections_mail_the_kommun_once(
    world: World, smtp_settings: Settings, inbox: Inbox
) -> None:
    s = await Scenario.create(world)
    case = await s.to_state("corrections_required")
    kommun = (await ok(await s.kommun.get("/api/me")))["email"]
    after_deadline = date.fromisoformat(case["deadline"]) + timedelta(days=1)

    assert (await jobs.tick(after_deadline)).overdue == [s.case_id]
    assert (await jobs.tick(after_deadline + timedelta(days=1))).overdue == [], "flagged once per deadline"
    await mailer.send_due(smtp_settings)
    overdue = inbox.to(kommun)
    assert [m["Subject"] for m in overdue] == ["Tidsfristen har passerat – Åkes Järn & Färg 1"]
    assert format_date(date.fromisoformat(case["deadline"])) in text_of(overdue[0])


async def test_expiry_reminders_reach_the_owner(world: World, smtp_settings: Settings, inbox: Inbox) -> None:
    s = await Scenario.create(world)
    case = await s.to_state("certified")
    owner = (await ok(await s.owner.get("/api/me")))["email"]
    valid_until = date.fromisoformat(case["certificate"]["valid_until"])

    await jobs.tick(valid_until - timedelta(days=30))
    await mailer.send_due(smtp_settings)
    subjects = [m["Subject"] for m in inbox.to(owner) if "går ut" in m["Subject"]]
    assert subjects == [
        "Intyget går ut om 90 dagar – Åkes Järn & Färg 1",
        "Intyget går ut om 30 dagar – Åkes Järn & Färg 1",
    ]


async def test_outbox_page_shows_waiting_messages_without_smtp(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("submitted")
    response = await s.kommun.get("/kommun/utkorg")
    assert response.status_code == 200, response.text
    assert "Ingen e-postserver är inställd" in response.text
    assert "Ansökan mottagen – Åkes Järn &amp; Färg 1" in response.text and "Väntar" in response.text


HOSTILE = "Åkes\r\nBcc: thief@example.com\x1b\x7f Järn"


async def test_a_shop_name_with_line_breaks_cannot_add_headers(
    world: World, smtp_settings: Settings, inbox: Inbox
) -> None:
    s = await Scenario.create(world)
    await ok(await s.owner.patch(f"/api/businesses/{s.business_id}", json={"name": HOSTILE}))
    await s.to_state("submitted")

    report = await mailer.send_due(smtp_settings)

    assert report.sent == 1 and report.errors == []
    [message] = inbox.messages
    assert message["Subject"] == "Ansökan mottagen – Åkes Bcc: thief@example.com Järn"
    assert message["Bcc"] is None
    assert all(m["To"] != "thief@example.com" for m in inbox.messages)


async def test_a_message_that_cannot_be_built_is_failed_and_the_rest_go_out(
    world: World, smtp_settings: Settings, inbox: Inbox
) -> None:
    """A row written before headers were cleaned (or by anything else) must not hold up the queue."""
    s = await Scenario.create(world)
    bad = Message(
        kind="submit", recipient="owner@example.se", subject="Rad 1\r\nBcc: x@y.se", text="-", html="-"
    )
    await notifications.enqueue(bad, kommun_id=None, event_id=None)
    await s.to_state("submitted")

    report = await mailer.send_due(smtp_settings)

    assert report.sent == 1 and report.given_up == 1
    assert [m["Subject"] for m in inbox.messages] == ["Ansökan mottagen – Åkes Järn & Färg 1"]
    row = await OutboxMessage.select().where(OutboxMessage.subject == bad.subject).first().run()
    assert row is not None and row["status"] == "failed" and "ValueError" in row["last_error"]
    assert (await mailer.send_due(smtp_settings)).given_up == 0, "a failed message is not tried again"


async def test_every_representative_with_an_active_account_hears_in_his_own_language(
    world: World, smtp_settings: Settings, inbox: Inbox
) -> None:
    """Case mails go to everyone who acts for the shop, not only the account that registered it; a
    representative whose account is switched off hears nothing."""
    s = await Scenario.create(world)
    colleague_id = await world.user(Role.owner)
    switched_off_id = await world.user(Role.owner)
    for account_id in (colleague_id, switched_off_id):
        await Representative.insert(Representative(business=s.business_id, account=account_id)).run()
    await accounts.choose_language(colleague_id, "en")
    await Account.update({Account.active: False}).where(Account.id == switched_off_id).run()
    await s.to_state("scheduled")
    await mailer.send_due(smtp_settings)

    owner = (await accounts.get_user(s.owner_id)).email
    colleague = (await accounts.get_user(colleague_id)).email
    switched_off = (await accounts.get_user(switched_off_id)).email
    assert [m["Subject"] for m in inbox.to(owner)] == [
        "Ansökan mottagen – Åkes Järn & Färg 1",
        "Besiktning bokad – Åkes Järn & Färg 1",
    ]
    assert len(inbox.to(colleague)) == 2 and all('lang="en"' in html_of(m) for m in inbox.to(colleague))
    assert "Besiktning" not in inbox.to(colleague)[1]["Subject"], "his mail is in English"
    assert inbox.to(switched_off) == []
