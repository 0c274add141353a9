"""The chain case's inspection from the browser (kedjebesiktning): the inspector's chain case page,
where the central points are judged once on the chain's documentation, and the route for the day —
the sampled shops in order on a phone, each a link to its ordinary inspection page (every sampled
shop is a normal shop case, services/chain_cases.open_sample_cases). The kommun reads the same
route. The services decide who sees what (policy.chain_case_scope): anyone else gets 404.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from certify.domain.errors import Conflict, InvalidField, RuleNotMet
from certify.domain.status import VerdictValue
from certify.services import chain_cases, checklist
from certify.services.actor import Actor
from certify.services.chain_cases import ChainCaseView, ChainSampleView
from certify.text.catalogue import N_, _
from certify.web.errors import status_for
from certify.web.guards import INSPECTOR, KOMMUN
from certify.web.pages import forms
from certify.web.pages.render import notice_for, page, see_other

NOTICES = {"central": N_("Bedömningen av den centrala punkten är sparad.")}
VERDICT_MISSING = N_("Välj en bedömning.")


def route_order(sample: list[ChainSampleView]) -> list[ChainSampleView]:
    """The day's order: booked visits by their time, then the shops not yet booked, in the order
    they joined the sample."""
    booked = sorted((s for s in sample if s.visit_at), key=lambda s: s.visit_at or datetime.min)
    return booked + [s for s in sample if not s.visit_at]


async def _titles() -> dict[int, str]:
    return {p.number: p.title for p in checklist.in_reader_language(await checklist.current()).points}


async def _route_page(request: Request[Actor, Any, Any], case: ChainCaseView, back: str) -> Template:
    return await page(
        request,
        "inspector/chain_route.html",
        case=case,
        stops=route_order(case.sample),
        back=back,
        reader=request.user.role,
        you=request.user.id,
    )


async def _inspector_case_page(
    request: Request[Actor, Any, Any],
    case_id: int,
    *,
    notice: str | None = None,
    errors: dict[str, str] | None = None,
    posted: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    case = await chain_cases.view(request.user, case_id)
    return await page(
        request,
        "inspector/chain_case.html",
        status_code=status_code,
        case=case,
        central={v.point: v for v in case.central_verdicts},
        titles=await _titles(),
        choices=[v.value for v in VerdictValue],
        errors=errors or {},
        posted=posted or {},
        notice=notice,
    )


class InspectorChainCasePages(Controller):
    opt = INSPECTOR
    include_in_schema = False

    @get("/besiktningar/kedjearenden/{chain_case_id:int}")
    async def case(
        self,
        request: Request[Actor, Any, Any],
        chain_case_id: FromPath[int],
        klart: FromQuery[str | None] = None,
    ) -> Template:
        return await _inspector_case_page(request, chain_case_id, notice=notice_for(NOTICES, klart))

    @post("/besiktningar/kedjearenden/{chain_case_id:int}/centrala/{point:int}")
    async def judge_central(
        self, request: Request[Actor, Any, Any], chain_case_id: FromPath[int], point: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        raw = forms.text(form, "bedomning", 20)
        remark = forms.text(form, "anmarkning")
        field = f"central-{point}"
        posted = {"point": str(point), "bedomning": raw, "anmarkning": remark}
        if raw not in {v.value for v in VerdictValue}:
            return await _inspector_case_page(
                request, chain_case_id, errors={field: _(VERDICT_MISSING)}, posted=posted, status_code=400
            )
        try:
            await chain_cases.set_central_verdict(
                request.user, chain_case_id, point, VerdictValue(raw), remark
            )
        except (InvalidField, RuleNotMet, Conflict) as exc:
            status = status_for(exc)
            return await _inspector_case_page(
                request, chain_case_id, errors={field: exc.message}, posted=posted, status_code=status
            )
        return see_other(f"/besiktningar/kedjearenden/{chain_case_id}?klart=central#central-{point}")

    @get("/besiktningar/kedjearenden/{chain_case_id:int}/rutt")
    async def route(self, request: Request[Actor, Any, Any], chain_case_id: FromPath[int]) -> Template:
        case = await chain_cases.view(request.user, chain_case_id)
        return await _route_page(request, case, f"/besiktningar/kedjearenden/{chain_case_id}")


class KommunChainRoutePages(Controller):
    opt = KOMMUN
    include_in_schema = False

    @get("/kommun/kedjearenden/{chain_case_id:int}/rutt")
    async def route(self, request: Request[Actor, Any, Any], chain_case_id: FromPath[int]) -> Template:
        case = await chain_cases.view(request.user, chain_case_id)
        return await _route_page(request, case, f"/kommun/kedjearenden/{chain_case_id}")
