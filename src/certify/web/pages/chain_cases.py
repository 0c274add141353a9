"""The chain case from the browser (kedjebesiktning), up to the drawn sample: the chain
representative opens a case from the chain's page, sees its members with the internal audit's
status, uploads the central documentation, records the audit of one member on its own page and
submits; the kommun sees its chain case with the sample, the reason for each shop and the seed,
assigns an inspector (which draws the sample) and adds shops to it. The same service as the JSON
API (services/chain_cases.py) does the work.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from certify.domain.errors import ActionRefused, Conflict, InvalidField, NotFound, RuleNotMet
from certify.domain.status import AnswerStatus, Role
from certify.services import chain_cases, checklist
from certify.services.accounts import list_users
from certify.services.actor import Actor
from certify.services.chain_cases import ChainCaseView
from certify.text.catalogue import N_, _
from certify.text.problems import problem_text
from certify.web.api.evidence import limits_of, read_upload
from certify.web.errors import status_for
from certify.web.guards import INSPECTOR, KOMMUN, OWNER
from certify.web.pages import forms
from certify.web.pages.chain_correction_view import corrections_context
from certify.web.pages.chains import chain_page
from certify.web.pages.render import notice_for, page, see_other

NOTICES = {
    "oppnat": N_(
        "Kedjeärendet är öppnat. Gör den interna revisionen av varje butik och ladda upp kedjans "
        "dokumentation."
    ),
    "dokument": N_("Dokumentet är uppladdat."),
    "sparad": N_("Revisionen av butiken är sparad."),
    "skickat": N_("Kedjeärendet är skickat till kommunen."),
    "tilldelat": N_("Besiktningspersonen är tilldelad och stickprovet är draget."),
    "tillagd": N_("Butiken är tillagd i stickprovet."),
    "centrala": N_("De centrala punkterna är sparade."),
    "tillbakadraget": N_("Kedjeärendet är tillbakadraget."),
    "avslaget": N_("Kedjeärendet är avslaget."),
    "systemkontroll": N_("Kedjans besked om butikerna är sparade."),
    "rapporterat": N_("Åtgärderna är rapporterade. Stickprovet är utökat och besiktningen fortsätter."),
    "underlag": N_("Underlaget är uppladdat. Besiktningspersonen bedömer det."),
    "godkant": N_("Kedjeärendet är godkänt. Varje medlemsbutik har fått ett eget intyg."),
    "aterkallat": N_("Kedjeärendet är återkallat, och alla intyg det gav med det."),
}
SAMPLE_RULE = N_(
    "Stickprovets storlek: 2–12 butiker ger en fjärdedel, avrundat uppåt; fler än 12 ger kvadratroten "
    "ur antalet, avrundat uppåt (vid förnyelse 0,8 gånger kvadratroten). Minst en fjärdedel av "
    "stickprovet dras slumpvis ur det sparade fröet, så att vem som helst kan dra om det och få samma "
    "butiker; resten väljs efter risk: butiker som aldrig besiktats, sedan butiker med underkända "
    "punkter vid förra besiktningen, sedan de som besiktades längst sedan. Kommunen kan lägga till "
    "butiker men inte ta bort dragna. Källor: IAF MD 1 (certifiering av verksamheter på flera "
    "platser) och den franska förordningen (arrêté) av den 25 november 2011, art. 12–13."
)


async def _owner_case(actor: Actor, chain_id: int, case_id: int) -> ChainCaseView:
    case = await chain_cases.view(actor, case_id)
    if case.chain_id != chain_id:
        raise NotFound("chain_case_not_found")
    return case


def _shop_names(case: ChainCaseView, shops: list[int]) -> list[str]:
    names = {m.business_id: m.name for m in case.members}
    return [names[s] for s in shops if s in names]


async def _case_page(
    request: Request[Actor, Any, Any],
    chain_id: int,
    case_id: int,
    *,
    notice: str | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    case = await _owner_case(request.user, chain_id, case_id)
    missing = [{"code": p.code, "shops": _shop_names(case, p.shops)} for p in case.submit_problems]
    return await page(
        request,
        "owner/chain_case.html",
        status_code=status_code,
        case=case,
        missing=missing,
        errors=errors or {},
        notice=notice,
        **await corrections_context(request.user, case_id),
    )


class ChainCasePages(Controller):
    opt = OWNER
    include_in_schema = False

    @post("/kedjor/{chain_id:int}/arenden")
    async def open_case(
        self, request: Request[Actor, Any, Any], chain_id: FromPath[int]
    ) -> Template | Redirect:
        code = forms.text(await request.form(), "kommun", 4)
        try:
            case = await chain_cases.open_case(request.user, chain_id, code)
        except (InvalidField, RuleNotMet) as exc:
            existing = exc.extra.get("chain_case_id")
            if existing:
                return see_other(f"/kedjor/{chain_id}/arenden/{existing}")
            status = 400 if isinstance(exc, InvalidField) else 422
            return await chain_page(
                request, chain_id, errors={"kommun": exc.message}, values={"kommun": code}, status_code=status
            )
        return see_other(f"/kedjor/{chain_id}/arenden/{case.id}?klart=oppnat")

    @get("/kedjor/{chain_id:int}/arenden/{chain_case_id:int}")
    async def case(
        self,
        request: Request[Actor, Any, Any],
        chain_id: FromPath[int],
        chain_case_id: FromPath[int],
        klart: FromQuery[str | None] = None,
    ) -> Template:
        return await _case_page(request, chain_id, chain_case_id, notice=notice_for(NOTICES, klart))

    @post("/kedjor/{chain_id:int}/arenden/{chain_case_id:int}/dokument")
    async def upload(
        self, request: Request[Actor, Any, Any], chain_id: FromPath[int], chain_case_id: FromPath[int]
    ) -> Template | Redirect:
        await _owner_case(request.user, chain_id, chain_case_id)
        upload = (await request.form()).get("fil")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return await _case_page(
                request, chain_id, chain_case_id, errors={"fil": _("Välj en fil.")}, status_code=400
            )
        limits = limits_of(request)
        try:
            content = await read_upload(upload, limits)
            await chain_cases.add_document(request.user, chain_id, upload.filename, content, limits)
        except (InvalidField, RuleNotMet) as exc:
            status = 400 if isinstance(exc, InvalidField) else 422
            return await _case_page(
                request, chain_id, chain_case_id, errors={"fil": exc.message}, status_code=status
            )
        return see_other(f"/kedjor/{chain_id}/arenden/{chain_case_id}?klart=dokument")

    @post("/kedjor/{chain_id:int}/arenden/{chain_case_id:int}/skicka")
    async def submit(
        self, request: Request[Actor, Any, Any], chain_id: FromPath[int], chain_case_id: FromPath[int]
    ) -> Template | Redirect:
        await _owner_case(request.user, chain_id, chain_case_id)
        try:
            await chain_cases.submit(request.user, chain_case_id)
        except ActionRefused as exc:
            return await _case_page(
                request, chain_id, chain_case_id, errors={"_skicka": exc.message}, status_code=422
            )
        except Conflict as exc:
            return await _case_page(
                request, chain_id, chain_case_id, errors={"_skicka": exc.message}, status_code=409
            )
        return see_other(f"/kedjor/{chain_id}/arenden/{chain_case_id}?klart=skickat")

    @post("/kedjor/{chain_id:int}/arenden/{chain_case_id:int}/dra-tillbaka")
    async def withdraw(
        self, request: Request[Actor, Any, Any], chain_id: FromPath[int], chain_case_id: FromPath[int]
    ) -> Template | Redirect:
        await _owner_case(request.user, chain_id, chain_case_id)
        try:
            await chain_cases.withdraw(request.user, chain_case_id)
        except Conflict as exc:
            return await _case_page(
                request, chain_id, chain_case_id, errors={"_dra-tillbaka": exc.message}, status_code=409
            )
        return see_other(f"/kedjor/{chain_id}/arenden/{chain_case_id}?klart=tillbakadraget")

    @get("/kedjor/{chain_id:int}/arenden/{chain_case_id:int}/butiker/{business_id:int}")
    async def member(
        self,
        request: Request[Actor, Any, Any],
        chain_id: FromPath[int],
        chain_case_id: FromPath[int],
        business_id: FromPath[int],
    ) -> Template:
        return await _member_page(request, chain_id, chain_case_id, business_id)

    @post("/kedjor/{chain_id:int}/arenden/{chain_case_id:int}/butiker/{business_id:int}")
    async def save_member(
        self,
        request: Request[Actor, Any, Any],
        chain_id: FromPath[int],
        chain_case_id: FromPath[int],
        business_id: FromPath[int],
    ) -> Template | Redirect:
        case = await _owner_case(request.user, chain_id, chain_case_id)
        form = await request.form()
        errors: dict[str, str] = {}
        for point in case.points:
            raw = forms.text(form, f"status-{point}", 20)
            if not raw:
                continue
            comment = forms.text(form, f"kommentar-{point}")
            try:
                status = AnswerStatus(raw)
                await chain_cases.set_audit(request.user, chain_case_id, business_id, point, status, comment)
            except ValueError:
                errors[f"status-{point}"] = _("Välj uppfyllt, ej uppfyllt eller ej tillämpligt.")
            except (InvalidField, Conflict) as exc:
                errors[f"status-{point}"] = exc.message
        if errors:
            return await _member_page(
                request, chain_id, chain_case_id, business_id, errors=errors, status_code=400
            )
        return see_other(f"/kedjor/{chain_id}/arenden/{chain_case_id}?klart=sparad")


async def _member_page(
    request: Request[Actor, Any, Any],
    chain_id: int,
    case_id: int,
    business_id: int,
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    case = await _owner_case(request.user, chain_id, case_id)
    member = next((m for m in case.members if m.business_id == business_id), None)
    if member is None or not case.you_represent:
        raise NotFoundException()
    national = {p.number: p.title for p in checklist.in_reader_language(await checklist.current()).points}
    return await page(
        request,
        "owner/chain_case_member.html",
        status_code=status_code,
        case=case,
        member=member,
        audits={a.point: a for a in member.audits},
        titles=national,
        statuses=list(AnswerStatus),
        errors=errors or {},
    )


async def _kommun_case_page(
    request: Request[Actor, Any, Any],
    case_id: int,
    *,
    notice: str | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    case = await chain_cases.view(request.user, case_id)
    sampled = {s.business_id for s in case.sample}
    return await page(
        request,
        "kommun/chain_case.html",
        status_code=status_code,
        case=case,
        not_sampled=[m for m in case.members if m.business_id not in sampled],
        inspectors=[u for u in await list_users(request.user, Role.inspector) if u.active],
        sample_rule=_(SAMPLE_RULE),
        errors=errors or {},
        notice=notice,
        **await corrections_context(request.user, case_id),
    )


class KommunChainCasePages(Controller):
    opt = KOMMUN
    include_in_schema = False

    @get("/kommun/kedjearenden/{chain_case_id:int}")
    async def case(
        self,
        request: Request[Actor, Any, Any],
        chain_case_id: FromPath[int],
        klart: FromQuery[str | None] = None,
    ) -> Template:
        return await _kommun_case_page(request, chain_case_id, notice=notice_for(NOTICES, klart))

    @post("/kommun/kedjearenden/{chain_case_id:int}/tilldela")
    async def assign(
        self, request: Request[Actor, Any, Any], chain_case_id: FromPath[int]
    ) -> Template | Redirect:
        inspector = forms.number(await request.form(), "besiktningsperson")
        try:
            await chain_cases.assign(request.user, chain_case_id, inspector)
        except (InvalidField, RuleNotMet, Conflict) as exc:
            status = status_for(exc)
            return await _kommun_case_page(
                request, chain_case_id, errors={"besiktningsperson": exc.message}, status_code=status
            )
        return see_other(f"/kommun/kedjearenden/{chain_case_id}?klart=tilldelat")

    @post("/kommun/kedjearenden/{chain_case_id:int}/stickprov")
    async def add_to_sample(
        self, request: Request[Actor, Any, Any], chain_case_id: FromPath[int]
    ) -> Template | Redirect:
        business = forms.number(await request.form(), "butik") or 0
        try:
            if not business:
                raise InvalidField("butik", "invalid_field", field="butik")
            await chain_cases.add_to_sample(request.user, chain_case_id, business)
        except (InvalidField, RuleNotMet, Conflict) as exc:
            status = status_for(exc)
            return await _kommun_case_page(
                request, chain_case_id, errors={"butik": exc.message}, status_code=status
            )
        return see_other(f"/kommun/kedjearenden/{chain_case_id}?klart=tillagd")

    @post("/kommun/kedjearenden/{chain_case_id:int}/centrala-punkter")
    async def central_points(
        self, request: Request[Actor, Any, Any], chain_case_id: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        points = sorted(set(forms.point_numbers(form, "punkt")))
        try:
            await chain_cases.set_central_points(request.user, chain_case_id, points)
        except (InvalidField, Conflict) as exc:
            status = 400 if isinstance(exc, InvalidField) else 409
            return await _kommun_case_page(
                request, chain_case_id, errors={"punkter": exc.message}, status_code=status
            )
        return see_other(f"/kommun/kedjearenden/{chain_case_id}?klart=centrala")

    @post("/kommun/kedjearenden/{chain_case_id:int}/avsla")
    async def reject(
        self, request: Request[Actor, Any, Any], chain_case_id: FromPath[int]
    ) -> Template | Redirect:
        reason = forms.text(await request.form(), "skal")
        try:
            await chain_cases.reject(request.user, chain_case_id, reason)
        except (InvalidField, Conflict) as exc:
            status = 400 if isinstance(exc, InvalidField) else 409
            return await _kommun_case_page(
                request, chain_case_id, errors={"skal": exc.message}, status_code=status
            )
        return see_other(f"/kommun/kedjearenden/{chain_case_id}?klart=avslaget")

    @post("/kommun/kedjearenden/{chain_case_id:int}/aterkalla")
    async def revoke(
        self, request: Request[Actor, Any, Any], chain_case_id: FromPath[int]
    ) -> Template | Redirect:
        reason = forms.text(await request.form(), "aterkallelse")
        try:
            await chain_cases.revoke(request.user, chain_case_id, reason)
        except (InvalidField, Conflict) as exc:
            status = 400 if isinstance(exc, InvalidField) else 409
            return await _kommun_case_page(
                request, chain_case_id, errors={"aterkallelse": exc.message}, status_code=status
            )
        return see_other(f"/kommun/kedjearenden/{chain_case_id}?klart=aterkallat")


async def _decision_page(
    request: Request[Actor, Any, Any],
    case_id: int,
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    notice: str | None = None,
) -> Template:
    case = await chain_cases.view(request.user, case_id)
    problems = await chain_cases.approval_problems(request.user, case_id)
    return await page(
        request,
        "inspector/chain_decision.html",
        status_code=status_code,
        case=case,
        problems=[
            {"text": problem_text(p), "shops": _shop_names(case, list(p.shops))}  # type: ignore[arg-type]
            for p in problems
        ],
        errors=errors or {},
        notice=notice,
    )


class InspectorChainDecisionPages(Controller):
    """The assigned inspector's decision on the chain case: what still stops the approval, and the
    approval itself (every member shop gets its own certificate)."""

    opt = INSPECTOR
    include_in_schema = False

    @get("/besiktningar/kedjearenden/{chain_case_id:int}/beslut")
    async def decision(
        self,
        request: Request[Actor, Any, Any],
        chain_case_id: FromPath[int],
        klart: FromQuery[str | None] = None,
    ) -> Template:
        return await _decision_page(request, chain_case_id, notice=notice_for(NOTICES, klart))

    @post("/besiktningar/kedjearenden/{chain_case_id:int}/godkann")
    async def approve(
        self, request: Request[Actor, Any, Any], chain_case_id: FromPath[int]
    ) -> Template | Redirect:
        try:
            await chain_cases.approve(request.user, chain_case_id)
        except (RuleNotMet, Conflict) as exc:
            status = status_for(exc)
            return await _decision_page(
                request, chain_case_id, errors={"godkann": exc.message}, status_code=status
            )
        return see_other(f"/besiktningar/kedjearenden/{chain_case_id}/beslut?klart=godkant")
