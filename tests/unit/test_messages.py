"""Who hears about what, and in which words: the pure decision behind every notification e-mail."""

from __future__ import annotations

from datetime import date, datetime

from certify.domain.messages import CaseNotice, Recipient, invitation, messages_for
from certify.services.clock import SWEDEN

BASE = "https://certify.borlange.se"


def notice(action: str, **facts: object) -> CaseNotice:
    defaults: dict[str, object] = {
        "base_url": BASE,
        "application_id": 7,
        "business_name": "Åkes Järn",
        "owners": (Recipient("ake@example.se"),),
        "inspector_name": "Inga Besiktning",
        "inspector": Recipient("inga@polisen.se"),
        "kommun_name": "Borlänge kommun",
        "kommun_officers": (Recipient("brå@borlange.se"), Recipient("handlaggare@borlange.se")),
    }
    defaults.update(facts)
    return CaseNotice(action=action, **defaults)  # type: ignore[arg-type]


def test_scheduling_tells_owner_the_time_and_inspector_the_assignment() -> None:
    visit = datetime(2026, 12, 3, 9, 30, tzinfo=SWEDEN)
    owner, inspector = messages_for(notice("assign", visit_at=visit))
    assert owner.recipient == "ake@example.se" and inspector.recipient == "inga@polisen.se"
    assert "torsdag 3 december 2026 kl. 09:30" in owner.text and "Inga Besiktning" in owner.text
    assert inspector.subject == "Nytt uppdrag – Åkes Järn"


def test_corrections_give_the_deadline_and_send_the_reader_to_the_case_for_the_points() -> None:
    (message,) = messages_for(
        notice("require_corrections", deadline=date(2026, 12, 31), business_name="Kiosk <tejp>")
    )
    assert "senast 31 december 2026" in message.text and "ser ni i ärendet" in message.text
    assert "Punkt" not in message.text, "which points failed stays in the case (secrecy)"
    assert "Kiosk &lt;tejp&gt;" in message.html, "HTML is escaped"
    assert message.html.startswith("<!doctype html>") and 'lang="sv"' in message.html


def test_overdue_goes_to_every_case_officer_and_not_the_owner() -> None:
    messages = messages_for(notice("corrections_overdue", deadline=date(2026, 11, 1)))
    assert [m.recipient for m in messages] == ["brå@borlange.se", "handlaggare@borlange.se"]


def test_events_without_news_send_nothing() -> None:
    assert messages_for(notice("answer")) == []
    assert messages_for(notice("submit", owners=(Recipient(""),))) == []


def test_invitation_carries_the_link() -> None:
    message = invitation(
        recipient=Recipient("butik@example.se"),
        business_name="Kiosken",
        kommun_name="Borlänge kommun",
        link=f"{BASE}/inbjudan/abc",
        expires_on=date(2027, 1, 24),
    )
    assert f"Kom igång: {BASE}/inbjudan/abc" in message.text and "24 januari 2027" in message.text
    assert f'href="{BASE}/inbjudan/abc"' in message.html


def test_each_recipient_reads_the_mail_in_their_language_and_direction() -> None:
    visit = datetime(2026, 12, 3, 9, 30, tzinfo=SWEDEN)
    owner, inspector = messages_for(
        notice(
            "assign",
            visit_at=visit,
            owners=(Recipient("ake@example.se", "ar"),),
            inspector=Recipient("inga@polisen.se"),
        )
    )
    assert 'lang="ar" dir="rtl"' in owner.html, "a right-to-left mail reads right-to-left"
    assert 'lang="sv" dir="ltr"' in inspector.html and inspector.subject == "Nytt uppdrag – Åkes Järn"
    assert "torsdag" not in owner.text, "the date is written in the owner's language"


def test_each_representative_gets_his_own_mail_in_his_own_language() -> None:
    sent = messages_for(
        notice("approve", owners=(Recipient("ake@example.se"), Recipient("lisa@example.se", "en")))
    )
    assert [m.recipient for m in sent] == ["ake@example.se", "lisa@example.se"]
    assert 'lang="sv"' in sent[0].html and 'lang="en"' in sent[1].html
