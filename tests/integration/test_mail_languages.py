"""E-mails go out in their recipient's language: every kind the service sends, through the real
services, the outbox and an SMTP server on loopback, written in the pseudo-language and checked for
words outside the catalogue; and one event told to each reader in their own language."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from email.message import EmailMessage

from certify.domain.status import Role
from certify.services import accounts, jobs, mailer, password_reset, registration, user_admin, visits
from certify.services.actor import Actor
from certify.services.clock import now
from certify.settings import Settings
from certify.tables import OutboxMessage
from tests.conftest import PASSWORD, World
from tests.integration import test_notifications as mail
from tests.integration.scenario import Scenario, future_deadline, ok, visit_time
from tests.integration.test_import import VALID, upload
from tests.integration.test_notifications import Inbox, html_of, text_of
from tests.pseudo import OPEN, assert_all_marked, visible_texts

smtp_port, smtp_settings, inbox = mail.smtp_port, mail.smtp_settings, mail.inbox  # the SMTP fixtures

RENAMED = {"name": "Falska Guldbutiken", "street_address": "Annan gata 1", "city": "Falun"}
EVERY_KIND = {
    "submit",
    "assign",
    "assigned",
    "reschedule",
    "require_corrections",
    "corrections_overdue",
    "approve",
    "business_change_reported",
    "business_change_accepted",
    "business_change_rejected",
    "reminder_90",
    "reminder_30",
    "revoke",
    "invitation",
    "password_reset",
    "inspector_linked",
    "account_exists",
}


def later(days: int, hour: int = 10) -> str:
    return (
        (datetime.now().astimezone() + timedelta(days=days))
        .replace(hour=hour, minute=0, second=0, microsecond=0)
        .isoformat()
    )


async def actor(account_id: int) -> Actor:
    loaded = await accounts.load_actor(account_id, now())
    assert loaded is not None
    return loaded


async def every_kind_of_mail(s: Scenario, world: World) -> list[str]:
    """Each mail the service can send, caused the way a user or a scheduled job causes it; returns
    the data (names, numbers, reasons) the mails may carry as they are."""
    await s.answer_all()
    await ok(await s.act(s.owner, "submit"))
    await ok(await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time()))
    await ok(await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=later(3)))  # rebooked
    await visits.reschedule(await actor(s.inspector_id), s.case_id, datetime.fromisoformat(later(4, 13)))
    await s.judge_all(fail={4})
    case = await ok(await s.act(s.inspector, "require_corrections", deadline=future_deadline()))
    await jobs.tick(date.fromisoformat(case["deadline"]) + timedelta(days=1))
    await ok(await s.act(s.owner, "report_corrections", comment="Sedelboxen är fastskruvad."))
    await ok(await s.verdict(4, "pass"))
    number = (await ok(await s.act(s.inspector, "approve")))["certificate"]["number"]

    url = f"/api/businesses/{s.business_id}"
    await ok(await s.owner.patch(url, json=RENAMED))
    [change] = await ok(await s.kommun.get(f"{url}/changes"))
    await ok(await s.kommun.post(f"{url}/changes/{change['id']}/accept", json={}))
    await ok(await s.owner.patch(url, json={"name": "Åkes Nya Järn"}))
    second = next(c for c in await ok(await s.kommun.get(f"{url}/changes")) if c["state"] == "reported")
    await ok(await s.kommun.post(f"{url}/changes/{second['id']}/reject", json={"reason": "Fel namn."}))
    certificate = (await s.case())["certificate"]
    await jobs.tick(date.fromisoformat(certificate["valid_until"]) - timedelta(days=30))
    await ok(await s.act(s.kommun, "revoke", reason="Butiken har flyttat."))

    await ok(await upload(s.kommun, VALID.encode()))
    imported = next(
        b for b in await ok(await s.kommun.get("/api/businesses")) if b["name"] == "Järnia Centrum"
    )
    await ok(await s.kommun.post(f"/api/businesses/{imported['id']}/invite"), 201)

    owner = await accounts.get_user(s.owner_id)
    await password_reset.request_link(owner.email)
    await password_reset.send_by_kommun(await actor(s.kommun_id), s.owner_id)
    await registration.sign_up(email=owner.email, name="Någon", password=PASSWORD, base_url="http://x.se")

    await world.kommun("2080", "Falu kommun")
    shared = await world.user(Role.inspector, ["2080"], name="Inga Delad")
    await accounts.choose_language(shared, "qps")
    shared_user = await accounts.get_user(shared)
    await user_admin.link_inspector(await actor(s.kommun_id), shared_user.email, "http://x.se")

    people = [await accounts.get_user(i) for i in (s.owner_id, s.inspector_id, s.kommun_id)]
    return [
        "Åkes Järn & Färg 1",
        *RENAMED.values(),
        "Åkes Nya Järn",
        "Järnia Centrum",
        "Borlänge kommun",
        "Falu kommun",
        "Inga Delad",
        number,
        "Punkt 4 brister.",
        "Fel namn.",
        "Butiken har flyttat.",
        *(p.name for p in people),
    ]


def readable(message: EmailMessage) -> list[str]:
    return [str(message["Subject"]), text_of(message), *visible_texts(html_of(message))]


async def test_every_kind_of_mail_is_written_in_the_recipients_language(
    world: World, smtp_settings: Settings, inbox: Inbox, pseudo_language: str
) -> None:
    s = await Scenario.create(world)
    for person in (s.owner_id, s.inspector_id, s.kommun_id):
        await accounts.choose_language(person, pseudo_language)
    data = await every_kind_of_mail(s, world)

    kinds = {row["kind"] for row in await OutboxMessage.select(OutboxMessage.kind)}
    assert kinds == EVERY_KIND, "the test causes every kind of mail the service sends"
    report = await mailer.send_due(smtp_settings, batch=200)
    assert report.errors == [] and report.sent == len(inbox.messages) > len(EVERY_KIND)

    invited = [m for m in inbox.messages if m["To"] == "jarnia@example.se"]
    assert len(invited) == 1 and OPEN not in invited[0]["Subject"], (
        "an address without an account is written to in Swedish"
    )
    for message in inbox.messages:
        if message is invited[0]:
            continue
        assert f'lang="{pseudo_language}"' in html_of(message)
        assert_all_marked(f"mail {message['Subject']}", readable(message), data)


async def test_one_event_reaches_each_reader_in_their_own_language(
    world: World, smtp_settings: Settings, inbox: Inbox, pseudo_language: str
) -> None:
    """The owner reads English (lang="en"), the inspector the pseudo-language; the case officer who
    acts in the pseudo-language does not decide the language of anybody's mail."""
    s = await Scenario.create(world)
    await accounts.choose_language(s.owner_id, "en")
    await accounts.choose_language(s.inspector_id, pseudo_language)
    await s.answer_all()
    await ok(await s.act(s.owner, "submit"))
    await ok(
        await s.kommun.post(
            f"/api/applications/{s.case_id}/assign",
            json={"inspector_id": s.inspector_id, "visit_at": visit_time()},
            headers={"Accept-Language": pseudo_language},
        )
    )
    await mailer.send_due(smtp_settings)
    owner = (await accounts.get_user(s.owner_id)).email
    inspector = (await accounts.get_user(s.inspector_id)).email

    assert all('lang="en"' in html_of(m) for m in inbox.to(owner)) and len(inbox.to(owner)) == 2
    [assigned] = inbox.to(inspector)
    assert assigned["Subject"].startswith(OPEN) and 'lang="qps"' in html_of(assigned)


async def test_the_owner_in_another_language_and_the_case_officer_in_swedish(
    world: World, smtp_settings: Settings, inbox: Inbox, pseudo_language: str
) -> None:
    """The same case: the owner's mails in the owner's language, the kommun's in Swedish."""
    s = await Scenario.create(world)
    await accounts.choose_language(s.owner_id, pseudo_language)
    case = await s.to_state("corrections_required")
    await jobs.tick(date.fromisoformat(case["deadline"]) + timedelta(days=1))
    await mailer.send_due(smtp_settings)
    owner = (await accounts.get_user(s.owner_id)).email
    officer = (await accounts.get_user(s.kommun_id)).email

    owner_mails = inbox.to(owner)
    assert [m["Subject"].startswith(OPEN) for m in owner_mails] == [True, True, True]
    [overdue] = inbox.to(officer)
    assert overdue["Subject"] == "Tidsfristen har passerat – Åkes Järn & Färg 1"
    assert OPEN not in text_of(overdue) and 'lang="sv"' in html_of(overdue)
