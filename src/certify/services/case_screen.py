"""One case as every role's case page shows it: the 13 points with the shop's answers and files,
the inspector's photos, each round's verdicts and the owner's correction notes.

The owner's, the inspector's and the kommun's pages compose this one view model (with their own
forms around it), so a fact added here reaches all three. Loaded within the caller's scope: whoever
may not see the case gets 404 from the first read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from certify.domain.next_step import NextStep, StepFacts, next_step
from certify.domain.status import CaseState, VerdictValue
from certify.services import businesses, cases, checklist, evidence, not_applicable
from certify.services.actor import Actor
from certify.services.clock import local_date, now
from certify.services.evidence import EvidenceView
from certify.services.views import (
    AnswerView,
    ApplicationView,
    BusinessView,
    CriterionView,
    EventView,
    VerdictView,
)

# States in which the case's current round has been decided (its verdicts are final).
_DECIDED = frozenset(
    {
        CaseState.corrections_required,
        CaseState.certified,
        CaseState.rejected,
        CaseState.expired,
        CaseState.revoked,
    }
)


@dataclass(frozen=True, slots=True)
class CorrectionNote:
    """The owner's "Vad har ni gjort?" after a round with deficiencies; it opened `round`."""

    round: int  # the round the note opened (the re-inspection)
    text: str
    failed_points: tuple[int, ...]  # the points it answers: those failed in round - 1


@dataclass(frozen=True, slots=True)
class ScreenPoint:
    """One point of the case's checklist (the 13 and any local ones) with everything any role's
    page shows about it."""

    number: int
    title: str
    local: bool  # a kommun's own point: its texts shown as the kommun wrote them
    criteria: list[CriterionView]
    guidance: str
    answer: AnswerView | None
    shop_files: list[EvidenceView]  # the owner's evidence
    inspector_files: list[EvidenceView]  # the inspector's own photos, never the shop's evidence
    verdict: VerdictView | None  # this round's verdict (in progress while the visit is booked)
    previous: VerdictView | None  # the previous round's verdict, on a re-inspection
    decided: VerdictView | None  # the latest verdict of a decided round: what the owner is told
    rounds: dict[int, VerdictView] = field(default_factory=dict)  # round -> verdict, every round
    notes: list[CorrectionNote] = field(default_factory=list)  # the owner's notes about this point

    @property
    def failed(self) -> bool:
        return self.verdict is not None and self.verdict.verdict == VerdictValue.failed

    @property
    def failed_before(self) -> bool:
        return self.previous is not None and self.previous.verdict == VerdictValue.failed

    @property
    def decided_failed(self) -> bool:
        return self.decided is not None and self.decided.verdict == VerdictValue.failed


@dataclass(frozen=True, slots=True)
class CaseScreen:
    case: ApplicationView
    shop: BusinessView
    points: list[ScreenPoint]
    notes: list[CorrectionNote]  # oldest first
    events: list[EventView]
    not_applicable: frozenset[int]  # the points that may be answered and judged not applicable

    @property
    def judged(self) -> int:
        return sum(1 for p in self.points if p.verdict)

    @property
    def failed(self) -> list[ScreenPoint]:
        return [p for p in self.points if p.failed]

    @property
    def previous_failed(self) -> list[ScreenPoint]:
        return [p for p in self.points if p.failed_before]

    @property
    def latest_note(self) -> CorrectionNote | None:
        return self.notes[-1] if self.notes else None

    @property
    def decided_round(self) -> int:
        """The latest round that was decided: its protocol is the one sent out (stored as issued);
        a later round is under way, and its protocol a draft drawn from the verdicts as they are."""
        return last_decided_round(self.case)

    @property
    def file_count(self) -> int:
        return sum(len(p.shop_files) + len(p.inspector_files) for p in self.points)

    def next_step(self) -> NextStep:
        """What happens next for the owner, from the case's real data (domain/next_step.py)."""
        moment = now()

        def latest(*actions: str) -> datetime | None:
            return max((e.at for e in self.events if e.action in actions), default=None)

        return next_step(
            StepFacts(
                state=self.case.state,
                round=self.case.round,
                now=moment,
                today=local_date(moment),
                visit_at=self.case.visit_at,
                visit_booked_at=latest("assign", "reschedule"),
                corrections_reported_at=latest("report_corrections"),
                deadline=self.case.deadline,
            )
        )


def last_decided_round(case: ApplicationView) -> int:
    """The latest round whose verdicts are final (0 before the first decision)."""
    return case.round if case.state in _DECIDED else case.round - 1


def correction_notes(case: ApplicationView, events: list[EventView]) -> list[CorrectionNote]:
    """Every "we have corrected it" of the case, with the points each one answers."""
    notes = []
    for event in events:
        if event.action != "report_corrections":
            continue
        opened = int(event.detail.get("round") or 0)
        failed = tuple(
            v.point for v in case.verdicts if v.round == opened - 1 and v.verdict == VerdictValue.failed
        )
        notes.append(
            CorrectionNote(round=opened, text=str(event.detail.get("comment") or ""), failed_points=failed)
        )
    return notes


async def load(actor: Actor, application_id: int) -> CaseScreen:
    case = await cases.view(actor, application_id)
    shop = await businesses.get(actor, case.business_id)
    spec = await checklist.by_version(case.checklist_version)
    events = await cases.list_events(actor, application_id)
    notes = correction_notes(case, events)
    answers = {a.point: a for a in case.answers}
    by_round: dict[int, dict[int, VerdictView]] = defaultdict(dict)
    for verdict in case.verdicts:
        by_round[verdict.point][verdict.round] = verdict
    shop_files: dict[int, list[EvidenceView]] = defaultdict(list)
    inspector_files: dict[int, list[EvidenceView]] = defaultdict(list)
    for item in await evidence.list_for_case(actor, application_id):
        (inspector_files if item.by_inspector else shop_files)[item.point].append(item)
    decided_round = last_decided_round(case)

    def decided(number: int) -> VerdictView | None:
        final = [v for r, v in by_round[number].items() if r <= decided_round]
        return max(final, key=lambda v: v.round) if final else None

    return CaseScreen(
        case=case,
        shop=shop,
        points=[
            ScreenPoint(
                number=p.number,
                title=p.title_sv,
                local=p.local,
                criteria=p.criteria,
                guidance=p.guidance,
                answer=answers.get(p.number),
                shop_files=shop_files[p.number],
                inspector_files=inspector_files[p.number],
                verdict=by_round[p.number].get(case.round),
                previous=by_round[p.number].get(case.round - 1),
                decided=decided(p.number),
                rounds=dict(sorted(by_round[p.number].items())),
                notes=[n for n in notes if p.number in n.failed_points],
            )
            for p in spec.points
        ],
        not_applicable=await not_applicable.allowed_points(application_id),
        notes=notes,
        events=events,
    )
