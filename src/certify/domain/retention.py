"""Retention by the kommun's decision (arkivlagen): the kinds of documents a case leaves behind, and
the kommun's plan for each — kept (bevaras) or destroyed (gallras) a number of years after the case
ended (domain/status.py ENDED_STATES: withdrawn, rejected, expired or revoked; a certified case has
not ended while its certificate is in force), with the reference of the decision that says so (its
dokumenthanteringsplan).

Nothing is destroyed without a plan: a kommun that has entered none keeps everything. What
destroying each kind means is in services/retention.py; the words are in text/retention.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from certify.domain.errors import InvalidField


class RecordKind(StrEnum):
    """One kind of document of a case; each has its own line in the plan."""

    case_data = "case_data"  # the personal data of the case: names in its history, the shop's contacts
    self_assessment = "self_assessment"  # the owner's answers, comments and criterion marks
    evidence = "evidence"  # the files the owner uploaded
    protocol = "protocol"  # the inspector's verdicts, remarks, failed criteria and the issued protocol PDFs
    certificate = "certificate"  # the issued certificate and decal PDFs
    email = "email"  # the e-mails the case sent (the outbox)
    audit = "audit"  # the case's events and the access log of its files


KINDS: tuple[RecordKind, ...] = tuple(RecordKind)


class Disposal(StrEnum):
    keep = "keep"  # bevaras
    purge = "purge"  # gallras


YEARS_MIN = 1
YEARS_MAX = 100
DECISION_MAX = 200


@dataclass(frozen=True, slots=True)
class PlanLine:
    kind: RecordKind
    disposal: Disposal
    years: int | None  # after how many years from the case's end; None when kept
    decision: str  # the kommun's decision, e.g. "KS 2025/118 § 45"


@dataclass(frozen=True, slots=True)
class LineInput:
    kind: str
    disposal: str
    years: int | None
    decision: str


def check_plan(lines: Sequence[LineInput]) -> tuple[PlanLine, ...]:
    """The kommun's plan as entered, one line per kind in KINDS order, or InvalidField naming the field
    (`lines` for a missing or repeated kind, `lines.<kind>.<field>` for a line's own field)."""
    by_kind: dict[RecordKind, LineInput] = {}
    for line in lines:
        if line.kind not in RecordKind.__members__ or RecordKind(line.kind) in by_kind:
            raise InvalidField("lines", "retention_kinds_incomplete")
        by_kind[RecordKind(line.kind)] = line
    if set(by_kind) != set(KINDS):
        raise InvalidField("lines", "retention_kinds_incomplete")
    checked = []
    for kind in KINDS:
        line = by_kind[kind]
        if line.disposal not in Disposal.__members__:
            raise InvalidField(f"lines.{kind}.action", "retention_action_invalid")
        disposal = Disposal(line.disposal)
        years = line.years if disposal is Disposal.purge else None
        if disposal is Disposal.purge and (years is None or not YEARS_MIN <= years <= YEARS_MAX):
            raise InvalidField(
                f"lines.{kind}.years", "retention_years_invalid", least=YEARS_MIN, most=YEARS_MAX
            )
        decision = line.decision.strip()
        if not decision:
            raise InvalidField(f"lines.{kind}.decision", "retention_decision_missing")
        if len(decision) > DECISION_MAX:
            raise InvalidField(f"lines.{kind}.decision", "text_too_long", longest=DECISION_MAX)
        checked.append(PlanLine(kind=kind, disposal=disposal, years=years, decision=decision))
    return tuple(checked)
