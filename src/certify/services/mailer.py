"""Sending the outbox over SMTP: `certify send-mail` once, or a background task in the service.

A row is marked sent only after the SMTP server accepted it; any failure leaves it in the outbox
with a later next_attempt_at (exponential backoff), so nothing is lost and nothing blocks.
"""

from __future__ import annotations

import asyncio
import email.errors
import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import msgspec

from certify.domain.errors import NotFound
from certify.services import delivery, policy
from certify.services.actor import Actor
from certify.services.clock import now
from certify.services.policy import Capability
from certify.settings import Settings, SmtpSettings
from certify.tables import OutboxMessage

log = logging.getLogger("certify.mailer")

SMTP_TIMEOUT_SECONDS = 20.0
SMTP_ERRORS = (smtplib.SMTPException, OSError)


@dataclass(slots=True)
class SendReport:
    sent: int = 0
    retrying: int = 0
    given_up: int = 0
    errors: list[str] = field(default_factory=list)


class Unsendable(Exception):
    """The row cannot be made into an e-mail; sending it again would fail the same way."""


def compose(row: dict[str, Any], sender: str) -> EmailMessage:
    """The e-mail for an outbox row; Unsendable when a header value is refused by the mail library."""
    try:
        return _compose(row, sender)
    except (ValueError, TypeError, email.errors.MessageError) as exc:
        raise Unsendable(f"{exc.__class__.__name__}: {exc}") from exc


def _compose(row: dict[str, Any], sender: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = row["subject"]
    message["From"] = sender
    message["To"] = row["recipient"]
    message["Message-ID"] = row["message_id"]
    message["Date"] = format_datetime(row["created_at"])
    message.set_content(row["body_text"])
    message.add_alternative(row["body_html"], subtype="html")
    return message


class _Connection:
    """One blocking SMTP session, opened lazily and driven from a worker thread."""

    def __init__(self, smtp: SmtpSettings) -> None:
        self.smtp = smtp
        self.client: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        if self.client is None:
            self.client = self._open()
        self.client.send_message(message)

    def _open(self) -> smtplib.SMTP:
        s = self.smtp
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if s.tls == "tls":
            client = smtplib.SMTP_SSL(s.host, s.port, timeout=SMTP_TIMEOUT_SECONDS, context=context)
        else:
            client = smtplib.SMTP(s.host, s.port, timeout=SMTP_TIMEOUT_SECONDS)
            if s.tls == "starttls":
                client.starttls(context=context)
        if s.user:
            client.login(s.user, s.password)
        return client

    def close(self) -> None:
        if self.client is not None:
            try:
                self.client.quit()
            except SMTP_ERRORS:
                self.client.close()
            self.client = None


class OutboxView(msgspec.Struct, kw_only=True):
    id: int
    kind: str
    recipient: str
    subject: str
    body_text: str
    status: str
    attempts: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None


async def list_for(actor: Actor, status: str | None = None, limit: int = 200) -> list[OutboxView]:
    """The kommun's outbox, newest first: with no SMTP configured this is where messages are read."""
    where: Any = OutboxMessage.kommun == policy.own_kommun(actor, Capability.read_outbox)
    if status:
        where = where & (OutboxMessage.status == status)
    rows = (
        await OutboxMessage.select(
            OutboxMessage.id,
            OutboxMessage.kind,
            OutboxMessage.recipient,
            OutboxMessage.subject,
            OutboxMessage.body_text,
            OutboxMessage.status,
            OutboxMessage.attempts,
            OutboxMessage.last_error,
            OutboxMessage.created_at,
            OutboxMessage.sent_at,
        )
        .where(where)
        .order_by(OutboxMessage.id, ascending=False)
        .limit(limit)
        .run()
    )
    return [OutboxView(**r) for r in rows]


_COLUMNS = (
    OutboxMessage.recipient,
    OutboxMessage.subject,
    OutboxMessage.body_text,
    OutboxMessage.body_html,
    OutboxMessage.message_id,
    OutboxMessage.created_at,
)


async def send_due(settings: Settings, *, at: datetime | None = None, batch: int = 50) -> SendReport:
    """Send every message that is due now (or at `at`); each row is claimed before it is sent."""
    if settings.smtp is None:
        raise NotFound("smtp_not_configured")
    report = SendReport()
    connection = _Connection(settings.smtp)
    try:
        seen: set[int] = set()
        while rows := await delivery.due(OutboxMessage, at or now(), batch, skip=seen):
            for row in rows:
                seen.add(row["id"])
                attempt = await delivery.claim(OutboxMessage, row)
                if attempt is not None:
                    await _send_one(connection, settings.mail_from, row["id"], attempt, report)
    finally:
        await asyncio.to_thread(connection.close)
    return report


async def _send_one(
    connection: _Connection, sender: str, row_id: int, attempt: int, report: SendReport
) -> None:
    row = await OutboxMessage.select(*_COLUMNS).where(OutboxMessage.id == row_id).first().run()
    assert row is not None
    try:
        message = compose(row, sender)
    except Unsendable as exc:
        # Never stalls the rest of the outbox: marked failed with the reason, shown on the outbox page.
        report.errors.append(str(exc))
        report.given_up += 1
        await delivery.give_up(OutboxMessage, row_id, attempt, {OutboxMessage.last_error: str(exc)[:1000]})
        return
    try:
        await asyncio.to_thread(connection.send, message)
    except SMTP_ERRORS as exc:
        await asyncio.to_thread(connection.close)  # a broken session is not reused
        error = f"{exc.__class__.__name__}: {exc}"
        report.errors.append(error)
        if await delivery.fail(OutboxMessage, row_id, attempt, {OutboxMessage.last_error: error[:1000]}):
            report.retrying += 1
        else:
            report.given_up += 1
        return
    await delivery.finish(
        OutboxMessage,
        row_id,
        attempt,
        {OutboxMessage.status: "sent", OutboxMessage.sent_at: now(), OutboxMessage.last_error: ""},
    )
    report.sent += 1


async def run_sender(settings: Settings, interval_seconds: float = 15.0) -> None:
    """The in-process sender: drains the outbox every interval; failures are logged and retried."""
    while True:
        try:
            report = await send_due(settings)
            if report.sent or report.errors:
                log.info("outbox: %d sent, %d to retry", report.sent, report.retrying)
        except Exception:  # keep the sender alive; the failure is logged with its traceback
            log.exception("the outbox sender failed")
        await asyncio.sleep(interval_seconds)


async def resend(actor: Actor, message_id: int) -> None:
    """The kommun sends a message again (or retries a given-up one) at the sender's next run."""
    rows = (
        await OutboxMessage.update(
            {
                OutboxMessage.status: delivery.PENDING,
                OutboxMessage.next_attempt_at: now(),
                OutboxMessage.claimed_until: None,
            }
        )
        .where(
            (OutboxMessage.id == message_id)
            & (OutboxMessage.kommun == policy.own_kommun(actor, Capability.read_outbox))
            & (OutboxMessage.status != delivery.SENDING)
        )
        .returning(OutboxMessage.id)
        .run()
    )
    if not rows:
        raise NotFound("message_not_found")
