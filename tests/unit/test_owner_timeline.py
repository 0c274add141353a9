"""The owner's timeline: plain-Swedish sentences, batched answers, newest first, Swedish dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from certify.services.views import EventView
from certify.text import catalogue
from certify.web.pages.timeline import timeline
from tests.pseudo import assert_all_marked

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


def test_every_sentence_comes_from_the_catalogue(pseudo_language: str) -> None:
    reason, number, renamed = "Butiken har flyttat.", "BLG-2028-00007", "Falska Guldbutiken"
    events = [
        event(0, "open", renews="BLG-2026-00001"),
        event(1, "open"),
        event(2, "answer", point=1),
        event(3, "evidence_added", point=2),
        event(4, "evidence_removed", point=2),
        event(5, "submit"),
        event(6, "assign", visit_at="2026-12-03T09:30:00+01:00"),
        event(7, "assign"),
        event(
            8, "assign", visit_at="2026-12-04T09:30:00+01:00", previous_visit_at="2026-12-03T09:30:00+01:00"
        ),
        event(9, "reschedule", visit_at="2026-12-05T09:30:00+01:00"),
        event(10, "unassign", reason=reason),
        event(11, "verdict", point=4),
        event(12, "verdict", point=5),
        event(13, "require_corrections", failed_points=[4], deadline="2026-12-31"),
        event(14, "require_corrections"),
        event(15, "corrections_overdue", deadline="2026-12-31"),
        event(16, "report_corrections"),
        event(17, "approve", certificate=number),
        event(18, "approve"),
        event(19, "reminder_90", days_left=90),
        event(20, "business_change_reported", proposed={"name": renamed}),
        event(21, "business_change_withdrawn"),
        event(22, "business_change_accepted"),
        event(23, "business_change_rejected", reason=reason),
        event(24, "reject", reason=reason),
        event(25, "withdraw"),
        event(26, "expire"),
        event(27, "revoke", reason=reason),
    ]
    with catalogue.use(pseudo_language):
        lines = [entry.text for entry in timeline(events)]
    assert len(lines) == len(events) - 1, "the two verdicts are one line"
    assert_all_marked("timeline", lines, data=[reason, number, renamed, "BLG-2026-00001"])
