"""The case's audit trail as plain-Swedish sentences for the owner's timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from certify.formatting import format_date, format_datetime
from certify.services.views import EventView

BATCHED = {
    "answer": "Egenkontrollen sparades",
    "verdict": "Besiktningspersonen bedömde",
    "evidence_added": "Bevis laddades upp",
    "evidence_removed": "Bevis togs bort",
}
"""Actions that come many at a time: consecutive ones become one line listing the points."""


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: datetime
    text: str


def _points(points: list[int]) -> str:
    unique = sorted(set(points))
    label = "punkt" if len(unique) == 1 else "punkterna"
    return f"{label} {', '.join(str(p) for p in unique)}"


def _rebooked(detail: dict[str, Any]) -> str:
    """A visit moved: from the old time (when the event kept it) to the new one."""
    old, new = detail.get("previous_visit_at"), detail.get("visit_at")
    moved = f" från {format_datetime(datetime.fromisoformat(old))}" if old else ""
    moved += f" till {format_datetime(datetime.fromisoformat(new))}" if new else ""
    return f"Besöket bokades om{moved}."


def sentence(event: EventView) -> str:
    detail = event.detail
    match event.action:
        case "open":
            renews = detail.get("renews")
            return f"Förnyelse av intyg {renews} påbörjades." if renews else "Ansökan påbörjades."
        case "submit":
            return "Ansökan skickades in till kommunen."
        case "assign" if detail.get("previous_visit_at"):
            return _rebooked(detail)
        case "assign":
            when = detail.get("visit_at")
            return (
                f"Besiktning bokades till {format_datetime(datetime.fromisoformat(when))}."
                if when
                else "En besiktningsperson tilldelades."
            )
        case "unassign":
            return "Besiktningspersonen togs bort från ärendet. Kommunen utser en ny."
        case "require_corrections":
            failed = detail.get("failed_points") or []
            deadline = detail.get("deadline")
            text = (
                f"Besiktningen visade brister i {_points(failed)}."
                if failed
                else "Besiktningen visade brister."
            )
            if deadline:
                text += f" Åtgärda dem senast {format_date(date.fromisoformat(deadline))}."
            return text
        case "report_corrections":
            return "Bristerna anmäldes som åtgärdade. Besiktningspersonen kontrollerar dem."
        case "approve":
            number = detail.get("certificate")
            return f"Butiken godkändes och fick intyg {number}." if number else "Butiken godkändes."
        case "reject":
            return f"Ansökan avslogs. Skäl: {detail.get('reason', '')}"
        case "withdraw":
            return "Ansökan drogs tillbaka."
        case "expire":
            return "Intyget gick ut."
        case "revoke":
            return f"Intyget återkallades. Skäl: {detail.get('reason', '')}"
        case "business_change_reported":
            values = ", ".join(str(v) for v in (detail.get("proposed") or {}).values())
            return f"Ändrat namn eller adress anmäldes till kommunen: {values}."
        case "business_change_withdrawn":
            return "Den anmälda ändringen av namn eller adress togs tillbaka."
        case "business_change_accepted":
            return "Kommunen godkände ändringen av namn eller adress."
        case "business_change_rejected":
            return f"Kommunen avslog ändringen av namn eller adress. Skäl: {detail.get('reason', '')}"
        case "reschedule":
            return _rebooked(detail)
    return event.action.replace("_", " ").capitalize() + "."


def timeline(events: list[EventView]) -> list[TimelineEntry]:
    """Newest first; a run of answers (or verdicts, uploads) becomes one line."""
    entries: list[TimelineEntry] = []
    run: list[EventView] = []

    def close_run() -> None:
        if run:
            points = [int(e.detail["point"]) for e in run if "point" in e.detail]
            entries.append(
                TimelineEntry(at=run[-1].at, text=f"{BATCHED[run[0].action]} ({_points(points)}).")
            )
            run.clear()

    for event in events:
        if event.action in BATCHED:
            if run and run[0].action != event.action:
                close_run()
            run.append(event)
            continue
        close_run()
        entries.append(TimelineEntry(at=event.at, text=sentence(event)))
    close_run()
    return entries[::-1]
