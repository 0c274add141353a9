"""The correction round of a chain case from the browser (kedjebesiktning): on the chain case page
the chain's representative declares for every member shop whether a failed point's deficiency
exists there (the systemic check), reports the corrections and uploads evidence per shop and serious
point; the case's inspector has his own page to require corrections, mark a point a serious
deficiency, judge the evidence and release a held case. Each page says in words what is still
missing. The same service as the JSON API (services/chain_corrections.py) does the work.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from certify.domain.errors import Conflict, InvalidField, RuleNotMet
from certify.domain.numerals import ascii_int
from certify.services import chain_cases, chain_corrections
from certify.services.actor import Actor
from certify.services.chain_corrections import SystemicDeclaration
from certify.text.catalogue import N_, _
from certify.web.api.evidence import limits_of, read_upload
from certify.web.errors import status_for
from certify.web.guards import INSPECTOR, OWNER
from certify.web.pages import forms
from certify.web.pages.chain_cases import _case_page, _owner_case
from certify.web.pages.chain_correction_view import fixes_by, missing_in_words
from certify.web.pages.render import notice_for, page, see_other

INSPECTOR_NOTICES = {
    "atgarder": N_("Åtgärder är begärda. Kedjans företrädare har fått besked."),
    "allvarlig": N_("Punkten är markerad som allvarlig brist. Kedjeärendet är vilande."),
    "bedomt": N_("Underlaget är bedömt."),
    "havt": N_("Kedjeärendet är inte längre vilande och besiktas igen."),
}


class ChainCorrectionPages(Controller):
    """The chain's representative: the systemic check, the report and the evidence."""

    opt = OWNER
    include_in_schema = False

    @post("/kedjor/{chain_id:int}/arenden/{chain_case_id:int}/systemkontroll")
    async def systemic_check(
        self, request: Request[Actor, Any, Any], chain_id: FromPath[int], chain_case_id: FromPath[int]
    ) -> Template | Redirect:
        await _owner_case(request.user, chain_id, chain_case_id)
        form = await request.form()
        current = await chain_corrections.view(request.user, chain_case_id)
        names = await chain_corrections.member_names(chain_case_id)
        declarations = []
        for business in names:
            for point in current.failed_points:
                choice = forms.text(form, f"finns-{business}-{point}", 3)
                if choice not in ("ja", "nej"):
                    continue
                declarations.append(
                    SystemicDeclaration(
                        business_id=business,
                        point=point,
                        present=choice == "ja",
                        comment=forms.text(form, f"kommentar-{business}-{point}"),
                    )
                )
        try:
            await chain_corrections.declare(request.user, chain_case_id, declarations)
        except (InvalidField, RuleNotMet, Conflict) as exc:
            message = (
                _("Skriv vad kedjan har gjort i varje butik där samma brist finns.")
                if isinstance(exc, InvalidField)
                else exc.message
            )
            return await _case_page(
                request,
                chain_id,
                chain_case_id,
                errors={"_systemkontroll": message},
                status_code=status_for(exc),
            )
        return see_other(f"/kedjor/{chain_id}/arenden/{chain_case_id}?klart=systemkontroll")

    @post("/kedjor/{chain_id:int}/arenden/{chain_case_id:int}/rapportera")
    async def report(
        self, request: Request[Actor, Any, Any], chain_id: FromPath[int], chain_case_id: FromPath[int]
    ) -> Template | Redirect:
        await _owner_case(request.user, chain_id, chain_case_id)
        try:
            await chain_corrections.report_corrections(request.user, chain_case_id)
        except (RuleNotMet, Conflict) as exc:
            return await _case_page(
                request,
                chain_id,
                chain_case_id,
                errors={"_rapportera": exc.message},
                status_code=status_for(exc),
            )
        return see_other(f"/kedjor/{chain_id}/arenden/{chain_case_id}?klart=rapporterat")

    @post("/kedjor/{chain_id:int}/arenden/{chain_case_id:int}/underlag/{business_id:int}/{point:int}")
    async def upload_fix(
        self,
        request: Request[Actor, Any, Any],
        chain_id: FromPath[int],
        chain_case_id: FromPath[int],
        business_id: FromPath[int],
        point: FromPath[int],
    ) -> Template | Redirect:
        await _owner_case(request.user, chain_id, chain_case_id)
        form = await request.form()
        upload = form.get("fil")
        field = f"_underlag-{business_id}-{point}"
        if not isinstance(upload, UploadFile) or not upload.filename:
            return await _case_page(
                request, chain_id, chain_case_id, errors={field: _("Välj en fil.")}, status_code=400
            )
        limits = limits_of(request)
        try:
            content = await read_upload(upload, limits)
            await chain_corrections.add_fix(
                request.user,
                chain_case_id,
                business_id,
                point,
                forms.text(form, "kommentar"),
                upload.filename,
                content,
                limits,
            )
        except (InvalidField, RuleNotMet, Conflict) as exc:
            return await _case_page(
                request, chain_id, chain_case_id, errors={field: exc.message}, status_code=status_for(exc)
            )
        return see_other(f"/kedjor/{chain_id}/arenden/{chain_case_id}?klart=underlag")


async def _inspector_page(
    request: Request[Actor, Any, Any],
    case_id: int,
    *,
    notice: str | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    actor = request.user
    case = await chain_cases.view(actor, case_id)
    corrections = await chain_corrections.view(actor, case_id)
    names = await chain_corrections.member_names(case_id)
    return await page(
        request,
        "inspector/chain_corrections.html",
        status_code=status_code,
        case=case,
        corrections=corrections,
        member_names=names,
        open_serious=[s for s in corrections.serious if s.released_at is None],
        serious_points={s.point for s in corrections.serious if s.released_at is None},
        fixes_by=fixes_by(corrections),
        report_missing=missing_in_words(corrections.report_problems, names),
        release_missing=missing_in_words(corrections.release_problems, names),
        errors=errors or {},
        notice=notice,
    )


class InspectorChainCorrectionPages(Controller):
    """The chain case's inspector: corrections, serious deficiencies, evidence, release."""

    opt = INSPECTOR
    include_in_schema = False

    @get("/besiktningar/kedjearenden/{chain_case_id:int}/atgarder")
    async def corrections(
        self,
        request: Request[Actor, Any, Any],
        chain_case_id: FromPath[int],
        klart: FromQuery[str | None] = None,
    ) -> Template:
        return await _inspector_page(request, chain_case_id, notice=notice_for(INSPECTOR_NOTICES, klart))

    @post("/besiktningar/kedjearenden/{chain_case_id:int}/begar-atgarder")
    async def require_corrections(
        self, request: Request[Actor, Any, Any], chain_case_id: FromPath[int]
    ) -> Template | Redirect:
        try:
            await chain_corrections.require_corrections(request.user, chain_case_id)
        except (RuleNotMet, Conflict) as exc:
            return await _inspector_page(
                request, chain_case_id, errors={"_atgarder": exc.message}, status_code=status_for(exc)
            )
        return see_other(f"/besiktningar/kedjearenden/{chain_case_id}/atgarder?klart=atgarder")

    @post("/besiktningar/kedjearenden/{chain_case_id:int}/allvarlig-brist")
    async def mark_serious(
        self, request: Request[Actor, Any, Any], chain_case_id: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        where = forms.text(form, "brist", 24)  # "{point}" (central) or "{point}-{business}"
        point_raw, _sep, business_raw = where.partition("-")
        point = ascii_int(point_raw, 2)
        business = ascii_int(business_raw, 9) if business_raw else None
        try:
            if point is None or (business_raw and business is None):
                raise InvalidField("brist", "invalid_field", field="brist")
            await chain_corrections.mark_serious(
                request.user, chain_case_id, point, business, forms.text(form, "anmarkning")
            )
        except (InvalidField, RuleNotMet, Conflict) as exc:
            message = _("Välj en underkänd punkt.") if isinstance(exc, InvalidField) else exc.message
            return await _inspector_page(
                request, chain_case_id, errors={"brist": message}, status_code=status_for(exc)
            )
        return see_other(f"/besiktningar/kedjearenden/{chain_case_id}/atgarder?klart=allvarlig")

    @post("/besiktningar/kedjearenden/{chain_case_id:int}/underlag/{chain_fix_id:int}")
    async def judge_fix(
        self, request: Request[Actor, Any, Any], chain_case_id: FromPath[int], chain_fix_id: FromPath[int]
    ) -> Template | Redirect:
        judgement = forms.text(await request.form(), "bedomning", 10)
        try:
            if judgement not in chain_corrections.FIX_JUDGEMENTS:
                raise InvalidField("bedomning", "invalid_field", field="bedomning")
            await chain_corrections.judge_fix(request.user, chain_fix_id, judgement, chain_case_id)
        except (InvalidField, Conflict) as exc:
            return await _inspector_page(
                request, chain_case_id, errors={"_underlag": exc.message}, status_code=status_for(exc)
            )
        return see_other(f"/besiktningar/kedjearenden/{chain_case_id}/atgarder?klart=bedomt")

    @post("/besiktningar/kedjearenden/{chain_case_id:int}/hav-vilande")
    async def release(
        self, request: Request[Actor, Any, Any], chain_case_id: FromPath[int]
    ) -> Template | Redirect:
        try:
            await chain_corrections.release(request.user, chain_case_id)
        except (RuleNotMet, Conflict) as exc:
            return await _inspector_page(
                request, chain_case_id, errors={"_hav": exc.message}, status_code=status_for(exc)
            )
        return see_other(f"/besiktningar/kedjearenden/{chain_case_id}/atgarder?klart=havt")
