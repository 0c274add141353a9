"""The case's audit trail as plain sentences for the owner's timeline, in the reader's language.

A workflow action's sentence is its spec's (domain/actions.py), filled from the event's detail;
this module words the other events and the forms an action's sentence takes with more to tell
(a rebooking, the failed points).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from certify.domain.actions import ACTIONS
from certify.domain.material_changes import KIND_LABELS, ChangeKind
from certify.formatting import format_date, format_datetime
from certify.services.views import EventView
from certify.text.catalogue import N_, _, ngettext


def _answers(count: int, points: str) -> str:
    return ngettext(
        "Egenkontrollen sparades (punkt %(points)s).",
        "Egenkontrollen sparades (punkterna %(points)s).",
        count,
        points=points,
    )


def _verdicts(count: int, points: str) -> str:
    return ngettext(
        "Besiktningspersonen bedömde (punkt %(points)s).",
        "Besiktningspersonen bedömde (punkterna %(points)s).",
        count,
        points=points,
    )


def _uploads(count: int, points: str) -> str:
    return ngettext(
        "Bevis laddades upp (punkt %(points)s).",
        "Bevis laddades upp (punkterna %(points)s).",
        count,
        points=points,
    )


def _removals(count: int, points: str) -> str:
    return ngettext(
        "Bevis togs bort (punkt %(points)s).", "Bevis togs bort (punkterna %(points)s).", count, points=points
    )


BATCHED: Mapping[str, Callable[[int, str], str]] = {
    "answer": _answers,
    "verdict": _verdicts,
    "evidence_added": _uploads,
    "evidence_removed": _removals,
}
"""Events that come many at a time: consecutive ones become one line listing the points
(worded by the number of points and the list of them)."""

OTHER_EVENTS: Mapping[str, str] = {
    "business_change_withdrawn": N_("Den anmälda ändringen av namn eller adress togs tillbaka."),
    "business_change_accepted": N_("Kommunen godkände ändringen av namn eller adress."),
    "business_change_rejected": N_("Kommunen avslog ändringen av namn eller adress. Skäl: {reason}"),
    "diarienummer_registered": N_("Kommunen diarieförde ärendet med diarienummer {diarienummer}."),
    "disclosure_decided": N_(
        "Kommunen beslutade om utlämnande av en handling i ärendet till någon utanför ärendet."
    ),
    "archive_exported": N_("Kommunen levererade ärendet till e-arkivet som arkivpaket {package}."),
    "corrections_overdue": N_("Tidsfristen för åtgärder passerade utan att åtgärderna anmäldes."),
    "reminder_90": N_("En påminnelse om att intyget snart går ut skickades."),
    "reminder_30": N_("En påminnelse om att intyget snart går ut skickades."),
    "representative_invited": N_("En företrädare bjöd in ytterligare en person att företräda företaget."),
    "representative_added": N_("En ny företrädare för företaget tog emot inbjudan."),
    "representative_removed": N_(
        "{name} företräder inte längre företaget: en annan företrädare tog bort hen."
    ),
    "representative_left": N_("{name} slutade företräda företaget."),
    "representation_stated": N_("En företrädare angav hur hen företräder företaget."),
    "fullmakt_uploaded": N_("En företrädare laddade upp en fullmakt."),
    "material_change_file_added": N_("En fil skickades med den anmälda förändringen."),
    "material_change_noted": N_(
        "Kommunen noterade den anmälda förändringen. Intyg {certificate} gäller som tidigare."
    ),
    "material_change_reinspection": N_(
        "Kommunen kräver en ombesiktning efter den anmälda förändringen (ärende {reinspection}). "
        "Intyg {certificate} gäller medan den pågår."
    ),
    "reinspection_opened": N_(
        "Ombesiktning efter en anmäld förändring påbörjades hos kommunen. Intyg {certificate} gäller "
        "medan den pågår."
    ),
    "reinspection_revoked": N_(
        "Intyg {certificate} återkallades eftersom ombesiktningen (ärende {reinspection}) avslogs."
    ),
    "representation_checked": N_("Kommunen kontrollerade en företrädares behörighet."),
    "chain_sample_case_opened": N_(
        "Butiken valdes ut till stickprovet i kedjeärende {chain_case_id}. Besiktningspersonen besöker "
        "butiken; svaren är kedjans interna revision."
    ),
    "chain_sample_case_ended": N_("Butikens besiktning i kedjeärende {chain_case_id} avslutades."),
    "fullmakt_requested": N_(
        "Kommunen begärde en fullmakt av en företrädare. Besiktningen bokas när den är uppladdad."
    ),
}
"""Events that are not workflow actions, worded from their detail."""


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: datetime
    text: str


def _point_list(points: list[int]) -> tuple[int, str]:
    unique = sorted(set(points))
    return len(unique), ", ".join(str(p) for p in unique)


def _moment(value: Any) -> str:
    return format_datetime(datetime.fromisoformat(value)) if value else ""


def _rebooked(detail: Mapping[str, Any]) -> str:
    """A visit moved: from the old time (when the event kept it) to the new one."""
    old, new = detail.get("previous_visit_at"), detail.get("visit_at")
    if old and new:
        return _("Besöket bokades om från {old} till {new}.").format(old=_moment(old), new=_moment(new))
    if new:
        return _("Besöket bokades om till {new}.").format(new=_moment(new))
    return _("Besöket bokades om.")


def _corrections(detail: Mapping[str, Any]) -> str:
    count, points = _point_list(detail.get("failed_points") or [])
    text = (
        ngettext(
            "Besiktningen visade brister i punkt %(points)s.",
            "Besiktningen visade brister i punkterna %(points)s.",
            count,
            points=points,
        )
        if count
        else _(ACTIONS["require_corrections"].sentence)
    )
    deadline = detail.get("deadline")
    if deadline:
        text += " " + _("Åtgärda dem senast {deadline}.").format(
            deadline=format_date(date.fromisoformat(deadline))
        )
    return text


def sentence(event: EventView) -> str:
    detail = event.detail
    match event.action:
        case "open":
            renews = detail.get("renews")
            return (
                _("Förnyelse av intyg {certificate} påbörjades.").format(certificate=renews)
                if renews
                else _("Ansökan påbörjades.")
            )
        case "assign" | "reschedule" if detail.get("previous_visit_at") or event.action == "reschedule":
            return _rebooked(detail)
        case "submit" if detail.get("diarienummer"):
            return (
                _(ACTIONS["submit"].sentence)
                + " "
                + _("Ärendets diarienummer är {diarienummer}.").format(diarienummer=detail["diarienummer"])
            )
        case "assign" if not detail.get("visit_at"):
            return _("En besiktningsperson tilldelades.")
        case "approve" if not detail.get("certificate"):
            return _("Butiken godkändes.")
        case "require_corrections":
            return _corrections(detail)
        case "material_change_reported":
            kind = KIND_LABELS.get(str(detail.get("kind")), KIND_LABELS[ChangeKind.other])
            return _("En väsentlig förändring anmäldes till kommunen: {kind}.").format(kind=_(kind).lower())
        case "business_change_reported":
            values = ", ".join(str(v) for v in (detail.get("proposed") or {}).values())
            return _("Ändrat namn eller adress anmäldes till kommunen: {values}.").format(values=values)
    action = ACTIONS.get(event.action)
    wording = action.sentence if action is not None else OTHER_EVENTS.get(event.action)
    if wording is None:
        return _("Händelse: {event}.").format(event=event.action)
    return _(wording).format(
        visit_at=_moment(detail.get("visit_at")),
        certificate=detail.get("certificate", ""),
        reason=detail.get("reason", ""),
        diarienummer=detail.get("diarienummer", ""),
        name=detail.get("name", ""),
        reinspection=detail.get("reinspection_id", ""),
        package=detail.get("package", ""),
        chain_case_id=detail.get("chain_case_id", ""),
    )


def _batch(run: list[EventView]) -> str:
    count, points = _point_list([int(e.detail["point"]) for e in run if "point" in e.detail])
    return BATCHED[run[0].action](count, points)


def timeline(events: list[EventView]) -> list[TimelineEntry]:
    """Newest first; a run of answers (or verdicts, uploads) becomes one line."""
    entries: list[TimelineEntry] = []
    run: list[EventView] = []

    def close_run() -> None:
        if run:
            entries.append(TimelineEntry(at=run[-1].at, text=_batch(run)))
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
