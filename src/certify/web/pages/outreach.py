"""Reaching every business from the browser: the kommun imports a CSV file, follows how far each
shop has come and invites the shops without an owner; the invited shop's owner claims it from the
e-mailed link.

The work is done by the same services as the JSON API (services/imports.py, services/outreach.py,
services/invitations.py).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from certify.domain.errors import InvalidField, NotFound, RuleNotMet
from certify.domain.numerals import ascii_int
from certify.domain.status import Role
from certify.formatting import format_file_size
from certify.services import case_search, imports, invitations, outreach
from certify.services.actor import Actor
from certify.services.imports import ImportFileError, ImportReport, RowError
from certify.text.catalogue import N_, _
from certify.web.api.outreach import MAX_IMPORT_BYTES
from certify.web.guards import KOMMUN, OWNER, PUBLIC
from certify.web.pages import forms
from certify.web.pages.render import current_actor, page, see_other

IMPORT_PAGE = "/kommun/import"
SHOPS_PAGE = "/kommun/butiker"
STAGE_LABELS = {
    outreach.Stage.not_invited: N_("Inte inbjuden"),
    outreach.Stage.invited: N_("Inbjuden, inget konto"),
    outreach.Stage.signed_up: N_("Har konto, inte ansökt"),
    outreach.Stage.applied: N_("Har ansökt"),
}
NOTICES = {"inbjuden": N_("Inbjudan är skickad med e-post till butiken.")}
ROW_MESSAGES = {
    "organisationsnummer": forms.FIELD_MESSAGES["org_number"],
    "postnummer": forms.FIELD_MESSAGES["postal_code"],
    "e-post": forms.FIELD_MESSAGES["email"],
}
HEADER_EXAMPLE = ";".join(imports.FIELD_LABELS.values())
"""The file's first row as the kommun may write it: the columns' Swedish names (the file's own words)."""
UNKNOWN_INVITATION = N_("Inbjudan finns inte. Kontrollera att du har kopierat hela länken från e-posten.")
USED_INVITATION = N_("Inbjudan har redan använts, eller så är butiken redan kopplad till ett konto.")
EXPIRED_INVITATION = N_("Inbjudan har gått ut. Kontakta kommunen så skickar de en ny.")


def row_message(error: RowError) -> str:
    """The import service's checks speak codes; the kommun's staff read their language."""
    if error.code in {"field_missing", "duplicate_row"}:
        return error.message[:1].upper() + error.message[1:]
    if error.code == "org_number_check_digit":
        return _(forms.CHECK_DIGIT_MESSAGE)
    return _(ROW_MESSAGES[error.field]) if error.field in ROW_MESSAGES else error.message


def _notice(klart: str | None) -> str | None:
    return _(NOTICES[klart]) if klart in NOTICES else None


async def _import_page(
    request: Request[Actor, Any, Any],
    *,
    report: ImportReport | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    only_valid: bool = False,
    status_code: int | None = None,
) -> Template:
    failed = bool(errors) or (report is not None and not report.written)
    return await page(
        request,
        "kommun/import.html",
        status_code=status_code or (400 if failed else 200),
        report=report,
        row_errors=[(e.row, e.field, row_message(e)) for e in report.errors] if report else [],
        errors=errors or {},
        notice=notice,
        only_valid=only_valid,
        max_bytes=MAX_IMPORT_BYTES,
        header_example=HEADER_EXAMPLE,
    )


def _shops_link(stage: str | None, area: str | None, number: int = 1) -> str:
    params = {"steg": stage or "", "omrade": area or "", "sida": str(number) if number > 1 else ""}
    query = urlencode({k: v for k, v in params.items() if v})
    return SHOPS_PAGE + ("?" + query if query else "")


async def _shops_page(
    request: Request[Actor, Any, Any],
    *,
    stage: outreach.Stage | None = None,
    area: str | None = None,
    number: int = 1,
    notice: str | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    result = await outreach.overview(request.user, stage=stage, area=area, page=number)
    stages = [("", _("Alla"), sum(result.counts.values()), _shops_link(None, area))] + [
        (s.value, _(label), result.counts[s.value], _shops_link(s.value, area))
        for s, label in STAGE_LABELS.items()
    ]
    return await page(
        request,
        "kommun/shops.html",
        status_code=status_code,
        result=result,
        stages=stages,
        stage_labels={s.value: _(label) for s, label in STAGE_LABELS.items()},
        areas=await case_search.areas(request.user),
        notice=notice,
        errors=errors or {},
        previous_link=_shops_link(stage, area, result.page - 1) if result.page > 1 else None,
        next_link=_shops_link(stage, area, result.page + 1) if result.page < result.pages else None,
    )


INVITATION_ANSWERS = {
    invitations.Usable.yes: (200, ""),
    invitations.Usable.unknown: (404, UNKNOWN_INVITATION),
    invitations.Usable.used: (409, USED_INVITATION),
    invitations.Usable.expired: (409, EXPIRED_INVITATION),
}


async def _open_invitation(token: str) -> tuple[invitations.InvitationLookup, int, str]:
    """The invitation (its shop and purpose), or why it cannot be used (404 unknown, 409 used or
    expired)."""
    found = await invitations.lookup(token)
    status, problem = INVITATION_ANSWERS[found.usable]
    return found, status, _(problem) if problem else ""


class OutreachPages(Controller):
    include_in_schema = False

    @get(IMPORT_PAGE, opt=KOMMUN)
    async def import_form(
        self, request: Request[Actor, Any, Any], klart: FromQuery[str | None] = None
    ) -> Template:
        return await _import_page(request, notice=_notice(klart))

    @post(IMPORT_PAGE, opt=KOMMUN)
    async def import_file(self, request: Request[Actor, Any, Any]) -> Template:
        form = await request.form()
        upload = form.get("fil")
        only_valid = form.get("bara-giltiga") == "1"
        if not isinstance(upload, UploadFile) or not upload.filename:
            return await _import_page(request, errors={"fil": _("Välj en CSV-fil.")}, only_valid=only_valid)
        content = await upload.read(MAX_IMPORT_BYTES + 1)
        if len(content) > MAX_IMPORT_BYTES:
            message = _("Filen är större än {size}. Dela upp den i flera filer.").format(
                size=format_file_size(MAX_IMPORT_BYTES)
            )
            return await _import_page(request, errors={"fil": message}, only_valid=only_valid)
        assert request.user.kommun_id is not None
        try:
            report = await imports.import_businesses(
                content, request.user.kommun_id, actor=request.user, only_valid=only_valid
            )
        except ImportFileError as exc:
            return await _import_page(request, errors={"fil": exc.message}, only_valid=only_valid)
        return await _import_page(request, report=report, only_valid=only_valid)

    @get(SHOPS_PAGE, opt=KOMMUN)
    async def shops(
        self,
        request: Request[Actor, Any, Any],
        steg: FromQuery[str | None] = None,
        omrade: FromQuery[str | None] = None,
        sida: FromQuery[str | None] = None,
        klart: FromQuery[str | None] = None,
    ) -> Template:
        stage = outreach.Stage(steg) if steg in set(outreach.Stage) else None
        number = ascii_int(sida or "", max_digits=6) or 1
        return await _shops_page(
            request, stage=stage, area=omrade or None, number=number, notice=_notice(klart)
        )

    @post(SHOPS_PAGE + "/{business_id:int}/bjud-in", opt=KOMMUN)
    async def invite(
        self, request: Request[Actor, Any, Any], business_id: FromPath[int]
    ) -> Template | Redirect:
        try:
            await invitations.invite(request.user, business_id)
        except InvalidField:
            message = _("Butiken saknar e-postadress. Lägg till den i CSV-filen och importera igen.")
            return await _shops_page(request, errors={"_invite": message}, status_code=400)
        except RuleNotMet as exc:
            return await _shops_page(request, errors={"_invite": exc.message}, status_code=409)
        return see_other(f"{SHOPS_PAGE}?klart=inbjuden")

    @get("/inbjudan/{token:str}", opt=PUBLIC)
    async def invitation(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
        found, status, problem = await _open_invitation(token)
        actor = await current_actor(request)
        return await page(
            request,
            "invitation.html",
            status_code=status,
            shop=found.shop,
            purpose=found.purpose,
            problem=problem,
            token=token,
            is_owner=actor is not None and actor.role == Role.owner,
        )

    @post("/inbjudan/{token:str}", opt=OWNER)
    async def claim(self, request: Request[Actor, Any, Any], token: FromPath[str]) -> Template | Redirect:
        try:
            shop = await invitations.claim(request.user, token[:200])
        except (NotFound, RuleNotMet):
            found, status, problem = await _open_invitation(token)
            return await page(
                request,
                "invitation.html",
                status_code=status if status != 200 else 409,
                shop=found.shop,
                purpose=found.purpose,
                problem=problem or _(USED_INVITATION),
                token=token,
                is_owner=True,
            )
        return see_other(f"/butiker/{shop.id}/foretradare")
