"""Acting for a company from the browser: a representative's page for his shop's company (state
one's basis, upload a fullmakt, invite another representative, remove one or leave). The kommun's
two checks sit on its case page (web/pages/kommun.py). The same services as the JSON API do the
work; these handlers read forms and show answers.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from certify.domain.errors import InvalidField, RuleNotMet
from certify.domain.representation import Basis
from certify.services import businesses, invitations, representation
from certify.services.actor import Actor
from certify.services.representation import FullmaktFile
from certify.text.catalogue import N_, _
from certify.web.api.evidence import limits_of, read_upload
from certify.web.guards import OWNER
from certify.web.pages import forms
from certify.web.pages.render import notice_for, page, see_other

NOTICES = {
    "angiven": N_("Tack! Kommunen ser hur du företräder företaget och kontrollerar det."),
    "inbjuden": N_("Inbjudan är skickad med e-post. Länken kan användas en gång."),
    "borttagen": N_("Personen företräder inte längre företaget och ser inte längre butiken."),
}
FORM_BASIS = {"firmatecknare": Basis.signatory, "ombud": Basis.agent}
"""The form's words for a basis (the page's own addresses are Swedish)."""


async def _representation_page(
    request: Request[Actor, Any, Any],
    business_id: int,
    *,
    notice: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int | None = None,
) -> Template:
    actor = request.user
    shop = await businesses.get(actor, business_id)
    everyone = await representation.list_for(actor, business_id)
    me = next((r for r in everyone if r.account_id == actor.id), None)
    chosen = next((word for word, basis in FORM_BASIS.items() if me and basis == me.basis), "")
    return await page(
        request,
        "owner/representation.html",
        status_code=status_code or (400 if errors else 200),
        shop=shop,
        representatives=everyone,
        me=me,
        values=values or {"grund": chosen},
        notice=notice,
        errors=errors or {},
    )


class RepresentationPages(Controller):
    opt = OWNER
    include_in_schema = False

    @get("/butiker/{business_id:int}/foretradare")
    async def representation(
        self,
        request: Request[Actor, Any, Any],
        business_id: FromPath[int],
        klart: FromQuery[str | None] = None,
    ) -> Template:
        return await _representation_page(request, business_id, notice=notice_for(NOTICES, klart))

    @post("/butiker/{business_id:int}/foretradare")
    async def state_basis(
        self, request: Request[Actor, Any, Any], business_id: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        chosen = forms.text(form, "grund", 20)
        upload = form.get("fullmakt")
        values = {"grund": chosen}
        if chosen not in FORM_BASIS:
            return await _representation_page(
                request, business_id, errors={"grund": _("Välj hur du företräder företaget.")}, values=values
            )
        limits = limits_of(request)
        try:
            fullmakt = None
            if isinstance(upload, UploadFile) and upload.filename and FORM_BASIS[chosen] == Basis.agent:
                fullmakt = FullmaktFile(file_name=upload.filename, data=await read_upload(upload, limits))
            await representation.state_basis(request.user, business_id, FORM_BASIS[chosen], limits, fullmakt)
        except InvalidField as exc:
            return await _representation_page(
                request, business_id, errors={"fullmakt": exc.message}, values=values
            )
        except RuleNotMet as exc:
            return await _representation_page(
                request, business_id, errors={"fullmakt": exc.message}, values=values, status_code=422
            )
        return see_other(f"/butiker/{business_id}/foretradare?klart=angiven")

    @post("/butiker/{business_id:int}/foretradare/bjud-in")
    async def invite(
        self, request: Request[Actor, Any, Any], business_id: FromPath[int]
    ) -> Template | Redirect:
        email = forms.text(await request.form(), "e-post", 254)
        try:
            await invitations.invite_representative(request.user, business_id, email)
        except InvalidField:
            return await _representation_page(
                request,
                business_id,
                errors={"e-post": _(forms.FIELD_MESSAGES["email"])},
                values={"e-post": email},
            )
        except RuleNotMet as exc:
            return await _representation_page(
                request,
                business_id,
                errors={"e-post": exc.message},
                values={"e-post": email},
                status_code=422,
            )
        return see_other(f"/butiker/{business_id}/foretradare?klart=inbjuden")

    @post("/butiker/{business_id:int}/foretradare/{representative_id:int}/ta-bort")
    async def remove(
        self, request: Request[Actor, Any, Any], business_id: FromPath[int], representative_id: FromPath[int]
    ) -> Template | Redirect:
        try:
            left = await representation.remove(request.user, business_id, representative_id)
        except RuleNotMet as exc:
            return await _representation_page(
                request, business_id, errors={"_foretradare": exc.message}, status_code=422
            )
        if left:
            return see_other("/mina-butiker?klart=lamnat")
        return see_other(f"/butiker/{business_id}/foretradare?klart=borttagen")
