"""The inspector's pages: my inspections, the inspection itself (phone first), decisions, protocol.

Each point is its own small form, saved with one POST, so a dropped connection loses at most the
point being written. The rules that decide what may be offered come from the services (and through
them domain/rules.py); these handlers only read forms and show the answers.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from certify.domain.actions import ACTIONS
from certify.domain.errors import Conflict, InvalidField, RuleNotMet
from certify.domain.links import case_path
from certify.domain.material_changes import KIND_LABELS
from certify.domain.numerals import ascii_int
from certify.domain.status import CaseState, CriterionMark, Role, VerdictValue
from certify.services import case_screen, case_search, cases, chain_cases, evidence, material_changes, visits
from certify.services.actor import Actor
from certify.services.clock import today
from certify.text.catalogue import N_, _
from certify.web.api.evidence import limits_of, read_upload
from certify.web.guards import INSPECTOR
from certify.web.pages import forms
from certify.web.pages.case_screen import (
    Refused,
    act,
    answer_label,
    parse_date,
    parse_visit,
    verdict_choices,
    verdict_label,
)
from certify.web.pages.render import page, see_other

CORRECTION_DAYS = 30
VISIT_MISSING = N_("Välj en ny tid för besöket.")
APPROVE_UNCONFIRMED = N_("Kryssa i att butiken ska godkännas och få intyg, eller låt bli att godkänna.")
NOTICES = {
    "ombokad": N_("Besöket är ombokat."),
    "godkand": ACTIONS["approve"].done,
    "atgarder": ACTIONS["require_corrections"].done,
    "avslagen": ACTIONS["reject"].done,
}


async def _inspection_page(
    request: Request[Actor, Any, Any],
    application_id: int,
    *,
    errors: dict[str, str] | None = None,
    posted: dict[str, str] | None = None,
    refused: str = "",
    notice: str | None = None,
    status_code: int | None = None,
) -> Template:
    actor = request.user
    screen = await case_screen.load(actor, application_id)
    deadline = parse_date((posted or {}).get("deadline", "")) or today() + timedelta(days=CORRECTION_DAYS)
    problems = await cases.decision_problems(actor, application_id, deadline)
    status = status_code or (422 if refused else 400 if errors else 200)
    return await page(
        request,
        "inspector/inspection.html",
        status_code=status,
        screen=screen,
        case=screen.case,
        shop=screen.shop,
        points=screen.points,
        choices={p.number: verdict_choices(p.number, screen.not_applicable) for p in screen.points},
        problems=problems,
        deadline=deadline,
        editable=screen.case.state == CaseState.scheduled,
        errors=errors or {},
        posted=posted or {},
        refused=refused,
        notice=notice,
        verdict_label=verdict_label,
        answer_label=answer_label,
        max_bytes=limits_of(request).max_bytes,
        correction_days=CORRECTION_DAYS,
        reinspected=await material_changes.of_reinspection(actor, application_id),
        kind_labels=KIND_LABELS,
    )


def _photo(form: Any) -> UploadFile | None:
    upload = form.get("foto")
    return upload if isinstance(upload, UploadFile) and upload.filename else None


class InspectorPages(Controller):
    opt = INSPECTOR
    include_in_schema = False

    @get("/besiktningar")
    async def my_inspections(self, request: Request[Actor, Any, Any]) -> Template:
        queue = await case_search.inspector_queue(request.user)
        chains = await chain_cases.list_for_inspector(request.user)
        return await page(request, "inspector/queue.html", queue=queue, chain_cases=chains)

    @get("/besiktningar/{application_id:int}")
    async def inspection(
        self,
        request: Request[Actor, Any, Any],
        application_id: FromPath[int],
        klart: FromQuery[str | None] = None,
    ) -> Template:
        notice = _(NOTICES[klart]) if klart in NOTICES else None
        saved_point = ascii_int(klart[6:]) if klart and klart.startswith("punkt-") else None
        if saved_point is not None:
            notice = _("Punkt {point} är sparad.").format(point=saved_point)
        return await _inspection_page(request, application_id, notice=notice)

    @post("/besiktningar/{application_id:int}/punkt/{point:int}")
    async def save_point(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int], point: FromPath[int]
    ) -> Template | Redirect:
        """One point: the verdict and remark, and a photo if one was taken."""
        actor = request.user
        form = await request.form()
        value, remark = forms.text(form, "bedomning", 20), forms.text(form, "anmarkning")
        marks = forms.criterion_marks(form)
        failed = [criterion for criterion, mark in marks.items() if mark == CriterionMark.not_met]
        errors: dict[str, str] = {}
        try:
            verdict = VerdictValue(value)
        except ValueError:
            message = _("Punkt {point}: välj godkänd eller underkänd.")
            errors[f"bedomning-{point}"] = message.format(point=point)
        else:
            try:
                await cases.set_verdict(actor, application_id, point, verdict, remark, failed_criteria=failed)
            except (RuleNotMet, Conflict, InvalidField) as exc:
                errors[f"bedomning-{point}"] = exc.message
        photo = _photo(form)
        if photo is not None:
            limits = limits_of(request)
            try:
                data = await read_upload(photo, limits)
                await evidence.add(actor, application_id, point, photo.filename, data, limits)
            except (RuleNotMet, Conflict, InvalidField) as exc:
                errors[f"foto-{point}"] = _("Punkt {point}, bilden: {problem}").format(
                    point=point, problem=exc.message
                )
        if errors:
            posted = {"point": str(point), "bedomning": value, "anmarkning": remark, "kriterier": marks}
            return await _inspection_page(request, application_id, errors=errors, posted=posted)
        return see_other(f"/besiktningar/{application_id}?klart=punkt-{point}#punkt-{point}")

    async def _decide(
        self, request: Request[Actor, Any, Any], application_id: int, action: str, **fields: Any
    ) -> Template | Redirect:
        result = await act(request, application_id, action, **fields)
        if isinstance(result, Refused):
            form = await request.form()
            posted = {k: forms.text(form, k) for k in ("deadline", "skal")}
            return await _inspection_page(request, application_id, refused=result.message, posted=posted)
        done = {"approve": "godkand", "require_corrections": "atgarder", "reject": "avslagen"}[action]
        return see_other(case_path(Role.inspector, result.id, result.business_id) + f"?klart={done}")

    @post("/besiktningar/{application_id:int}/godkann")
    async def approve(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        if form.get("bekrafta") != "ja":
            errors = {"bekrafta": _(APPROVE_UNCONFIRMED)}
            return await _inspection_page(request, application_id, errors=errors)
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
        if visit_at is None:
            return await _inspection_page(request, application_id, errors={"besok": _(VISIT_MISSING)})
        try:
            await visits.reschedule(request.user, application_id, visit_at)
        except (RuleNotMet, Conflict) as exc:
            errors = {"besok": exc.message}
            return await _inspection_page(request, application_id, errors=errors, status_code=422)
        return see_other(f"/besiktningar/{application_id}?klart=ombokad")
