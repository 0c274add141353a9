"""The owner's timeline: plain-Swedish sentences, batched answers, newest first, Swedish dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from certify.services.views import EventView
from certify.web.pages.timeline import timeline

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def event(minute: int, action: str, **detail: object) -> EventView:
    return EventView(
        at=START + timedelta(minutes=minute),
        actor="x",
        action=action,
        from_state="",
        to_state="",
        detail=detail,
    )


def test_a_run_of_answers_is_one_line_and_the_newest_comes_first() -> None:
    events = [
        event(0, "open"),
        event(1, "answer", point=1, status="fulfilled"),
        event(2, "answer", point=2, status="fulfilled"),
        event(3, "answer", point=1, status="not_fulfilled"),
        event(4, "evidence_added", point=9),
        event(5, "submit"),
        event(6, "require_corrections", failed_points=[4, 9], deadline="2026-12-31"),
    ]
    assert [e.text for e in timeline(events)] == [
        "Besiktningen visade brister i punkterna 4, 9. Åtgärda dem senast 31 december 2026.",
        "Ansökan skickades in till kommunen.",
        "Bevis laddades upp (punkt 9).",
        "Egenkontrollen sparades (punkterna 1, 2).",
        "Ansökan påbörjades.",
    ]


def test_renewal_approval_and_revocation_sentences() -> None:
    lines = [
        e.text
        for e in timeline(
            [
                event(0, "open", renews="BLG-2026-00001"),
                event(1, "approve", certificate="BLG-2028-00007"),
                event(2, "revoke", reason="Butiken har flyttat."),
            ]
        )
    ]
    assert lines == [
        "Intyget återkallades. Skäl: Butiken har flyttat.",
        "Butiken godkändes och fick intyg BLG-2028-00007.",
        "Förnyelse av intyg BLG-2026-00001 påbörjades.",
    ]
