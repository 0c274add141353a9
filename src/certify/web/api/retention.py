"""The kommun's retention plan and its purge log (kommun only, its own kommun)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, put
from litestar.params import JSONBody

from certify.domain.retention import LineInput
from certify.services import retention
from certify.services.actor import Actor
from certify.services.retention import Plan
from certify.services.views import RetentionLineView, RetentionPlanView, RetentionPurgeView
from certify.web.api.schemas import RetentionPlanBody
from certify.web.guards import KOMMUN


def plan_view(plan: Plan) -> RetentionPlanView:
    return RetentionPlanView(
        in_force=plan.in_force,
        lines=[
            RetentionLineView(
                kind=line.kind.value, action=line.disposal.value, years=line.years, decision=line.decision
            )
            for line in plan.lines
        ],
    )


class RetentionController(Controller):
    path = "/api/kommun/retention"
    tags = ["retention"]
    opt = KOMMUN

    @get(
        "/plan",
        summary="The kommun's retention plan (kommun only)",
        description="One line per kind of document: kept (keep) or destroyed (purge) the given years "
        "after the case closed (withdrawn, rejected, expired or revoked), with the kommun's decision. "
        "Until the kommun has entered a plan, `in_force` is false and nothing is destroyed.",
    )
    async def plan(self, request: Request[Actor, Any, Any]) -> RetentionPlanView:
        return plan_view(await retention.own_plan(request.user))

    @put(
        "/plan",
        summary="Enter or replace the kommun's retention plan (kommun only)",
        description="Exactly one line for each kind: case_data, self_assessment, evidence, protocol, "
        "certificate, email, audit. `years` (1–100) is required for purge and ignored for keep; "
        "`decision` names the kommun's decision (its dokumenthanteringsplan). The next `certify tick` "
        "applies it; each destruction is written to the purge log.",
    )
    async def save_plan(
        self, request: Request[Actor, Any, Any], data: JSONBody[RetentionPlanBody]
    ) -> RetentionPlanView:
        lines = [
            LineInput(
                kind=line.kind.value, disposal=line.action.value, years=line.years, decision=line.decision
            )
            for line in data.lines
        ]
        return plan_view(await retention.save_plan(request.user, lines))

    @get(
        "/purges",
        summary="The kommun's purge log, newest first (kommun only)",
        description="What the plan destroyed: the case, the kind, the plan line's years and decision as "
        "they were then, how much went, and when. The log itself is never destroyed.",
    )
    async def purges(self, request: Request[Actor, Any, Any]) -> list[RetentionPurgeView]:
        return [
            RetentionPurgeView(
                case_id=entry.case_id,
                diarienummer=entry.diarienummer,
                kind=entry.kind.value,
                years=entry.years,
                decision=entry.decision,
                detail=entry.detail,
                purged_at=entry.purged_at,
            )
            for entry in await retention.purge_log(request.user)
        ]
