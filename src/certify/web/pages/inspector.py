"""The inspector's pages: my inspections, the inspection itself (phone first), decisions, protocol.

Each point is its own small form, saved with one POST, so a dropped connection loses at most the
point being written. The rules that decide what may be offered come from the services (and through
them domain/rules.py); these handlers only read forms and show the answers.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from certify.domain.errors import Conflict, InvalidTransition, NotFound, RuleNotMet
from certify.domain.rules import may_be_not_applicable
from certify.domain.status import CaseState, Role, VerdictValue
from certify.pdf.protocol import ProtocolData, ProtocolPoint, render_protocol
from certify.services import businesses, case_search, cases, checklist, evidence, kommuner, visits
from certify.services.actor import Actor
from certify.services.clock import SWEDEN, today
from certify.services.evidence import EvidenceView
from certify.services.views import AnswerView, ApplicationView, VerdictView
from certify.web.api.evidence import limits_of, read_upload
from certify.web.guards import INSPECTOR, allow
from certify.web.pages import forms
from certify.web.pages.formatting import datum, datumtid
from certify.web.pages.render import STATE_LABELS, page, see_other

CORRECTION_DAYS = 30
VERDICT_LABELS = {
    VerdictValue.passed: "Godkänd",
    VerdictValue.failed: "Underkänd",
    VerdictValue.not_applicable: "Ej tillämplig",
}
ANSWER_LABELS = {"fulfilled": "Uppfyllt", "not_fulfilled": "Ej uppfyllt", "not_applicable": "Ej tillämpligt"}
NOTICES = {
    "ombokad": "Besöket är ombokat.",
    "godkand": "Butiken är godkänd och intyget är utfärdat.",
    "atgarder": "Begäran om åtgärder är skickad till butiken.",
    "avslagen": "Ansökan är avslagen.",
}


@dataclass(frozen=True, slots=True)
class InspectionPoint:
    """One point as the inspector sees it: the owner's side beside the inspector's own."""

    number: int
    title: str
    criteria: list[str]
    answer: AnswerView | None
    files: list[EvidenceView]
    verdict: VerdictView | None
    previous: VerdictView | None  # the previous round's verdict, on a re-inspection
    choices: list[tuple[str, str]]


def verdict_label(value: str | None) -> str:
    return VERDICT_LABELS.get(VerdictValue(value), value) if value else "Ej bedömd"


def _choices(point: int, cash_free: bool) -> list[tuple[str, str]]:
    values = [VerdictValue.passed, VerdictValue.failed]
    if may_be_not_applicable(point, cash_free):
        values.append(VerdictValue.not_applicable)
    return [(v.value, VERDICT_LABELS[v]) for v in values]


def parse_visit(raw: str) -> datetime | None:
    """A datetime-local field ("2026-11-27T10:00") in Swedish time; None when empty or malformed."""
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=SWEDEN)


def parse_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def refusal(exc: Conflict | RuleNotMet) -> str:
    """The refusal in words; a state conflict names the state the case is in now."""
    if isinstance(exc, InvalidTransition):
        state = STATE_LABELS.get(str(exc.extra.get("state")), "")
        return f"Det går inte att göra nu, när ärendet har status {state.lower()}. Ladda om sidan."
    return exc.message


async def inspection_points(actor: Actor, case: ApplicationView, cash_free: bool) -> list[InspectionPoint]:
    """The 13 points with answers, files and verdicts: shared by the inspector's and kommun's pages."""
    spec = await checklist.current()
    answers = {a.point: a for a in case.answers}
    current = {v.point: v for v in case.verdicts if v.round == case.round}
    previous = {v.point: v for v in case.verdicts if v.round == case.round - 1}
    files: dict[int, list[EvidenceView]] = defaultdict(list)
    for item in await evidence.list_for_case(actor, case.id):
        files[item.point].append(item)
    return [
        InspectionPoint(
            number=p.number,
            title=p.title_sv,
            criteria=p.criteria,
            answer=answers.get(p.number),
            files=files[p.number],
            verdict=current.get(p.number),
            previous=previous.get(p.number),
            choices=_choices(p.number, cash_free),
        )
        for p in spec.points
    ]


async def _inspection_page(
    request: Request[Actor, Any, Any],
    application_id: int,
    *,
    errors: dict[str, str] | None = None,
    posted: dict[str, str] | None = None,
    refused: str = "",
    notice: str | None = None,
) -> Template:
    actor = request.user
    case = await cases.view(actor, application_id)
    shop = await businesses.get(actor, case.business_id)
    points = await inspection_points(actor, case, shop.cash_free)
    deadline = parse_date((posted or {}).get("deadline", "")) or today() + timedelta(days=CORRECTION_DAYS)
    problems = await cases.decision_problems(actor, application_id, deadline)
    failed = [p for p in points if p.verdict and p.verdict.verdict == VerdictValue.failed]
    status = 422 if refused else 400 if errors else 200
    return await page(
        request,
        "inspector/inspection.html",
        status_code=status,
        case=case,
        shop=shop,
        points=points,
        judged=sum(1 for p in points if p.verdict),
        previous_failed=[p for p in points if p.previous and p.previous.verdict == VerdictValue.failed],
        failed=failed,
        problems=problems,
        deadline=deadline,
        editable=case.state == CaseState.scheduled,
        errors=errors or {},
        posted=posted or {},
        refused=refused,
        notice=notice,
        verdict_label=verdict_label,
        answer_labels=ANSWER_LABELS,
        max_mb=limits_of(request).max_bytes // (1024 * 1024),
    )


def _photo(form: Any) -> UploadFile | None:
    upload = form.get("foto")
    return upload if isinstance(upload, UploadFile) and upload.filename else None


class InspectorPages(Controller):
    guards = INSPECTOR
    include_in_schema = False

    @get("/besiktningar")
    async def my_inspections(self, request: Request[Actor, Any, Any]) -> Template:
        queue = await case_search.inspector_queue(request.user)
        return await page(request, "inspector/queue.html", queue=queue)

    @get("/besiktningar/{application_id:int}")
    async def inspection(
        self,
        request: Request[Actor, Any, Any],
        application_id: FromPath[int],
        klart: FromQuery[str | None] = None,
    ) -> Template:
        notice = NOTICES.get(klart or "")
        if klart and klart.startswith("punkt-") and klart[6:].isdigit():
            notice = f"Punkt {klart[6:]} är sparad."
        return await _inspection_page(request, application_id, notice=notice)

    @post("/besiktningar/{application_id:int}/punkt/{point:int}")
    async def save_point(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int], point: FromPath[int]
    ) -> Template | Redirect:
        """One point: the verdict and remark, and a photo if one was taken."""
        actor = request.user
        form = await request.form()
        value, remark = forms.text(form, "bedomning", 20), forms.text(form, "anmarkning")
        errors: dict[str, str] = {}
        try:
            await cases.set_verdict(actor, application_id, point, VerdictValue(value), remark)
        except ValueError:
            errors[f"bedomning-{point}"] = f"Punkt {point}: välj godkänd eller underkänd."
        except (RuleNotMet, Conflict) as exc:
            errors[f"bedomning-{point}"] = exc.message
        photo = _photo(form)
        if photo is not None:
            limits = limits_of(request)
            try:
                data = await read_upload(photo, limits)
                await evidence.add(actor, application_id, point, photo.filename, data, limits)
            except (RuleNotMet, Conflict) as exc:
                errors[f"foto-{point}"] = f"Punkt {point}, bilden: {exc.message}"
        if errors:
            posted = {"point": str(point), "bedomning": value, "anmarkning": remark}
            return await _inspection_page(request, application_id, errors=errors, posted=posted)
        return see_other(f"/besiktningar/{application_id}?klart=punkt-{point}#punkt-{point}")

    async def _decide(
        self, request: Request[Actor, Any, Any], application_id: int, action: str, **fields: Any
    ) -> Template | Redirect:
        form = await request.form()
        try:
            await cases.perform(
                request.user,
                application_id,
                action,
                cases.ActionInput(version=forms.case_version(form), **fields),
            )
        except (RuleNotMet, Conflict) as exc:
            posted = {k: forms.text(form, k) for k in ("deadline", "skal")}
            return await _inspection_page(request, application_id, refused=refusal(exc), posted=posted)
        done = {"approve": "godkand", "require_corrections": "atgarder", "reject": "avslagen"}[action]
        return see_other(f"/besiktningar/{application_id}?klart={done}")

    @post("/besiktningar/{application_id:int}/godkann")
    async def approve(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int]
    ) -> Template | Redirect:
        return await self._decide(request, application_id, "approve")

    @post("/besiktningar/{application_id:int}/begar-atgarder")
    async def require_corrections(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        deadline = parse_date(forms.text(form, "deadline", 10))
        return await self._decide(request, application_id, "require_corrections", deadline=deadline)

    @post("/besiktningar/{application_id:int}/avsla")
    async def reject(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        return await self._decide(request, application_id, "reject", reason=forms.text(form, "skal"))

    @post("/besiktningar/{application_id:int}/boka-om")
    async def reschedule(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        visit_at = parse_visit(forms.text(form, "besok", 20))
        try:
            await visits.reschedule(request.user, application_id, visit_at)
        except (RuleNotMet, Conflict) as exc:
            return await _inspection_page(request, application_id, errors={"besok": exc.message})
        return see_other(f"/besiktningar/{application_id}?klart=ombokad")


def _outcome(case: ApplicationView, round_: int) -> str:
    """What came of a round: earlier rounds ended in corrections; the current one in the state."""
    if round_ < case.round:
        return "Brister att åtgärda (ny besiktning gjordes)"
    if case.state == CaseState.corrections_required:
        return f"Brister att åtgärda senast {datum(case.deadline)}"
    if case.state == CaseState.certified and case.certificate:
        return f"Godkänd – intyg {case.certificate.number}"
    if case.state == CaseState.scheduled:
        return "Inte beslutad än"
    return STATE_LABELS.get(case.state, case.state)


async def protocol_data(actor: Actor, application_id: int, round_: int | None) -> ProtocolData:
    case = await cases.view(actor, application_id)
    round_ = round_ or case.round
    if not 1 <= round_ <= case.round:
        raise NotFound("Den besiktningsomgången finns inte.")
    shop = await businesses.get(actor, case.business_id)
    titles = {p.number: p.title_sv for p in (await checklist.current()).points}
    verdicts = {v.point: v for v in case.verdicts if v.round == round_}
    kommun = next((k.name for k in await kommuner.list_all() if k.code == shop.kommun_code), "")
    postal = f"{shop.postal_code[:3]} {shop.postal_code[3:]}"
    return ProtocolData(
        kommun_name=kommun,
        case_id=case.id,
        round=round_,
        shop_name=shop.name,
        org_number=shop.org_number,
        address=f"{shop.street_address}, {postal} {shop.city}",
        area=shop.area,
        cash_free=shop.cash_free,
        inspector_name=case.inspector_name or "",
        visit=datumtid(case.visit_at),
        outcome=_outcome(case, round_),
        printed_on=datum(today()),
        points=tuple(
            ProtocolPoint(
                number=number,
                title=title,
                verdict=verdict_label(verdicts[number].verdict if number in verdicts else None),
                remark=verdicts[number].remark if number in verdicts else "",
                failed=number in verdicts and verdicts[number].verdict == VerdictValue.failed,
            )
            for number, title in sorted(titles.items())
        ),
    )


@get(
    "/arenden/{application_id:int}/protokoll.pdf",
    guards=allow(Role.inspector, Role.kommun),
    include_in_schema=False,
)
async def protocol_pdf(
    request: Request[Actor, Any, Any], application_id: FromPath[int], omgang: FromQuery[int | None] = None
) -> Response[bytes]:
    """For the assigned inspector and the case's kommun (others get 404 from the scoped view)."""
    data = await protocol_data(request.user, application_id, omgang)
    pdf = await asyncio.to_thread(render_protocol, data)
    name = f"besiktningsprotokoll-{application_id}-{data.round}.pdf"
    return Response(
        content=pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{name}"',
            "Cache-Control": "private, no-cache",
        },
    )
