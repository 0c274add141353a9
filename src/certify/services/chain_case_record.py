"""The chain case as the services handle it: one typed record, loaded once per transaction, and the
steps every chain case write shares.

services/chain_cases.py (opening, audit, sample, decision) and services/chain_corrections.py (the
correction round) both start from a load here — within the caller's scope, or as the chain's
representative, the case's kommun or its inspector — and then check the version, ask the rules about
`facts`, `advance` with a compare-and-set and `record_event`. Attributes, not `case["chain.name"]`
keys, so a type checker and a symbol search see every use; one module both depend on, so neither
reaches into the other's private helpers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec

from certify.domain.chain_rules import ChainFacts
from certify.domain.chain_sample import Sampled, SampleReason
from certify.domain.chain_workflow import ChainCaseState
from certify.domain.errors import ActionRefused, Conflict, NotFound
from certify.domain.status import ENDED_STATES as CASE_ENDED_STATES
from certify.domain.status import Role
from certify.services import checklist, events, policy
from certify.services.actor import Actor
from certify.services.clock import now
from certify.services.policy import Capability, chain_case_scope
from certify.tables import (
    Business,
    ChainAudit,
    ChainCase,
    ChainCaseMember,
    ChainCentralVerdict,
    ChainDocument,
    ChainFix,
    ChainSample,
    ChainSeriousPoint,
    ChainSystemicCheck,
    Verdict,
)

ENDED_STATES = frozenset({ChainCaseState.rejected, ChainCaseState.withdrawn, ChainCaseState.revoked})
"""The states a chain case ends in: entering one sets closed_at."""


@dataclass(frozen=True, slots=True)
class ChainCaseRecord:
    """One chain case with the names its pages, events and e-mails need."""

    id: int
    chain_id: int
    chain_name: str
    kommun_id: int
    kommun_code: str
    kommun_name: str
    checklist_version: int  # the version's row id
    state: str  # a ChainCaseState value
    version: int
    round: int
    seed: str  # "" until the sample is drawn
    renewal: bool
    central_points: frozenset[int]  # judged once, on the chain's central documentation
    inspector_id: int | None
    inspector_name: str | None
    diarienummer: str | None
    created_at: datetime
    submitted_at: datetime | None


_COLUMNS = (
    ChainCase.id,
    ChainCase.chain,
    ChainCase.chain.name,
    ChainCase.kommun,
    ChainCase.kommun.code,
    ChainCase.kommun.name,
    ChainCase.checklist_version,
    ChainCase.state,
    ChainCase.version,
    ChainCase.round,
    ChainCase.seed,
    ChainCase.renewal,
    ChainCase.central_points,
    ChainCase.inspector,
    ChainCase.inspector.name,
    ChainCase.diarienummer,
    ChainCase.created_at,
    ChainCase.submitted_at,
)


def point_list(value: Any) -> list[int]:
    """A JSON column of point numbers (a string on SQLite, a list on PostgreSQL), sorted."""
    if isinstance(value, str):
        value = msgspec.json.decode(value)
    return sorted(int(v) for v in value or [])


def _record(row: dict[str, Any]) -> ChainCaseRecord:
    return ChainCaseRecord(
        id=row["id"],
        chain_id=row["chain"],
        chain_name=row["chain.name"],
        kommun_id=row["kommun"],
        kommun_code=row["kommun.code"],
        kommun_name=row["kommun.name"],
        checklist_version=row["checklist_version"],
        state=row["state"],
        version=row["version"],
        round=row["round"],
        seed=row["seed"],
        renewal=bool(row["renewal"]),
        central_points=frozenset(point_list(row["central_points"])),
        inspector_id=row["inspector"],
        inspector_name=row["inspector.name"],
        diarienummer=row["diarienummer"],
        created_at=row["created_at"],
        submitted_at=row["submitted_at"],
    )


# --- loading, by who acts ------------------------------------------------------------------------


async def load(actor: Actor | None, case_id: int) -> ChainCaseRecord:
    """The case if the caller may see it at all (policy.chain_case_scope; the system, None, sees
    all); else 404 as if it did not exist."""
    where = ChainCase.id == case_id
    if actor is not None:
        where = where & chain_case_scope(actor)
    row = await ChainCase.select(*_COLUMNS).where(where).first().run()
    if row is None:
        raise NotFound("chain_case_not_found")
    return _record(row)


async def whole_case(actor: Actor, case: ChainCaseRecord) -> bool:
    """Who sees all of it: the chain's representatives, the kommun and the assigned inspector (the
    scope already limits those two to their own); a member shop's owner sees only his shops' part."""
    return actor.role != Role.owner or await policy.represents_chain(actor, case.chain_id)


async def as_representative(actor: Actor, case_id: int) -> ChainCaseRecord:
    """The case for a write of the chain's: its representatives only. A member shop's owner sees
    the case but never acts on it (404, as for anyone outside the scope)."""
    policy.require(actor, Capability.keep_chain_cases)
    case = await load(actor, case_id)
    if not await policy.represents_chain(actor, case.chain_id):
        raise NotFound("chain_case_not_found")
    return case


async def as_kommun(
    actor: Actor, case_id: int, capability: Capability = Capability.handle_chain_cases
) -> ChainCaseRecord:
    """The case for a write of its kommun's (the scope limits a kommun to its own cases)."""
    policy.own_kommun(actor, capability)
    return await load(actor, case_id)


async def as_inspector(actor: Actor, case_id: int, capability: Capability) -> ChainCaseRecord:
    """The case for a write of its assigned inspector's; another inspector's case is 404, as the
    scope already hides it."""
    policy.require(actor, capability)
    case = await load(actor, case_id)
    if case.inspector_id != actor.id:
        raise NotFound("chain_case_not_found")
    return case


# --- writing -------------------------------------------------------------------------------------


def check_version(case: ChainCaseRecord, expected: int | None) -> None:
    """409 if the caller acted on an older version of the case than the one loaded."""
    if expected is not None and expected != case.version:
        raise Conflict("stale_version", extra={"version": case.version, "state": case.state})


async def advance(case: ChainCaseRecord, new_state: str, changes: dict[Any, Any] | None = None) -> None:
    """Compare-and-set on state and version: of two concurrent writers exactly one wins (409 for
    the other). Every write of the case's goes through here, even one that keeps the state, so the
    case's row serialises its writers."""
    at = now()
    rows = (
        await ChainCase.update(
            {
                ChainCase.state: new_state,
                ChainCase.version: case.version + 1,
                ChainCase.updated_at: at,
                **({ChainCase.closed_at: at} if new_state in ENDED_STATES else {}),
                **(changes or {}),
            }
        )
        .where(
            (ChainCase.id == case.id) & (ChainCase.state == case.state) & (ChainCase.version == case.version)
        )
        .returning(ChainCase.version)
        .run()
    )
    if not rows:
        raise Conflict("changed_concurrently", extra={"state": case.state})


async def record_event(
    action: str, actor: Actor, case: ChainCaseRecord, to_state: str = "", **detail: Any
) -> None:
    """The event in the audit trail, naming the case and its chain; `to_state` for a transition
    (from the loaded state)."""
    await events.record(
        action,
        actor=actor,
        from_state=case.state if to_state else "",
        to_state=to_state,
        detail={"chain_case_id": case.id, "chain_id": case.chain_id, **detail},
    )


async def named(refused: ActionRefused) -> ActionRefused:
    """The refusal with the names of the shops it concerns (`extra.shop_names`), so a client can
    say which shop lacks what."""
    shops = sorted({s for p in refused.problems for s in getattr(p, "shops", ())})
    if shops:
        rows = await Business.select(Business.id, Business.name).where(Business.id.is_in(shops)).run()
        refused.extra["shop_names"] = {str(r["id"]): r["name"] for r in rows}
    return refused


# --- facts ---------------------------------------------------------------------------------------


async def member_ids(case_id: int) -> list[int]:
    """The member shops the case covers (fixed when it opened)."""
    rows = (
        await ChainCaseMember.select(ChainCaseMember.business)
        .where(ChainCaseMember.chain_case == case_id)
        .run()
    )
    return sorted(r["business"] for r in rows)


async def sample(case_id: int) -> list[Sampled]:
    """The sampled shops in the order they joined the sample, with why."""
    rows = (
        await ChainSample.select(ChainSample.business, ChainSample.reason)
        .where(ChainSample.chain_case == case_id)
        .order_by(ChainSample.id)
        .run()
    )
    return [Sampled(r["business"], SampleReason(r["reason"])) for r in rows]


async def _audited(case_id: int) -> dict[int, frozenset[int]]:
    rows = (
        await ChainAudit.select(ChainAudit.business, ChainAudit.point)
        .where(ChainAudit.chain_case == case_id)
        .run()
    )
    found: dict[int, set[int]] = {}
    for r in rows:
        found.setdefault(r["business"], set()).add(r["point"])
    return {business: frozenset(points) for business, points in found.items()}


async def shop_verdicts(case_id: int, shop_points: Iterable[int]) -> dict[int, dict[int, str]]:
    """Each sampled shop's verdicts, from its sample case (chain_cases.open_sample_cases) in that
    case's current round: the shop points only (the central ones are judged once, on the chain case)."""
    wanted = set(shop_points)
    rows = (
        await Verdict.select(
            Verdict.application.business,
            Verdict.application.round,
            Verdict.round,
            Verdict.point,
            Verdict.verdict,
        )
        .where(
            (Verdict.application.chain_case == case_id)
            & Verdict.application.state.not_in([s.value for s in CASE_ENDED_STATES])
        )
        .run()
    )
    found: dict[int, dict[int, str]] = {}
    for r in rows:
        if r["round"] == r["application.round"] and r["point"] in wanted:
            found.setdefault(r["application.business"], {})[r["point"]] = r["verdict"]
    return found


async def _central_verdicts(case_id: int) -> dict[int, str]:
    rows = (
        await ChainCentralVerdict.select(ChainCentralVerdict.point, ChainCentralVerdict.verdict)
        .where(ChainCentralVerdict.chain_case == case_id)
        .run()
    )
    return {r["point"]: r["verdict"] for r in rows}


async def correction_facts(case_id: int, round_: int) -> dict[str, Any]:
    """The correction round's part of ChainFacts: the systemic check of this round (failed point →
    members declared), the serious points not yet released, and per serious point the members with
    evidence the inspector accepted after the point was marked (refused evidence does not count)."""
    declared: dict[int, set[int]] = {}
    for row in (
        await ChainSystemicCheck.select(ChainSystemicCheck.point, ChainSystemicCheck.business)
        .where((ChainSystemicCheck.chain_case == case_id) & (ChainSystemicCheck.round == round_))
        .run()
    ):
        declared.setdefault(row["point"], set()).add(row["business"])
    serious = {
        row["point"]: row["marked_at"]
        for row in await ChainSeriousPoint.select(ChainSeriousPoint.point, ChainSeriousPoint.marked_at)
        .where((ChainSeriousPoint.chain_case == case_id) & ChainSeriousPoint.released_at.is_null())
        .run()
    }
    fixed: dict[int, set[int]] = {}
    if serious:
        for row in (
            await ChainFix.select(ChainFix.point, ChainFix.business, ChainFix.uploaded_at)
            .where(
                (ChainFix.chain_case == case_id)
                & (ChainFix.judgement == "accepted")
                & ChainFix.point.is_in(list(serious))
            )
            .run()
        ):
            if row["uploaded_at"] >= serious[row["point"]]:
                fixed.setdefault(row["point"], set()).add(row["business"])
    return {
        "systemic": {point: frozenset(shops) for point, shops in declared.items()},
        "serious": frozenset(serious),
        "fixed": {point: frozenset(shops) for point, shops in fixed.items()},
    }


async def facts(case: ChainCaseRecord) -> ChainFacts:
    """What the rules know of the case now: the sampled shops' verdicts come from their sample
    cases, the central ones from chain_central_verdicts; a round after the first means a failure
    before (the sample must have been enlarged)."""
    documents = await ChainDocument.count().where(ChainDocument.chain == case.chain_id).run()
    points = await checklist.case_points(case.checklist_version)
    return ChainFacts(
        members=frozenset(await member_ids(case.id)),
        points=points,
        central_points=case.central_points,
        audits=await _audited(case.id),
        central_documents=documents,
        sample=tuple(await sample(case.id)),
        verdicts=await shop_verdicts(case.id, (p for p in points if p not in case.central_points)),
        central_verdicts=await _central_verdicts(case.id),
        failed_before=case.round > 1,
        **await correction_facts(case.id, case.round),  # systemic, serious, fixed
    )
