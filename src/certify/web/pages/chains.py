"""Chains from the browser: the owner's chains (create one), a chain's page (members with status,
representatives, invite a shop's owner, add one's own shop, take a shop out, leave), the page an
invitation link opens (pick the shop that joins), and the kommun's table of chains with members in
its kommun. The same services as the JSON API (services/chains.py) do the work.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from certify.domain.errors import Conflict, InvalidField, RuleNotMet
from certify.services import businesses, chain_cases, chains, kommuner
from certify.services.actor import Actor
from certify.text.catalogue import N_, _
from certify.web.guards import KOMMUN, OWNER
from certify.web.pages import forms
from certify.web.pages.render import notice_for, page, see_other

NOTICES = {
    "skapad": N_("Kedjan är skapad. Du är dess företrädare."),
    "inbjuden": N_("Inbjudan är skickad med e-post. Länken kan användas en gång och gäller i 30 dagar."),
    "foretradare": N_("Personen företräder nu också kedjan."),
    "tillagd": N_("Butiken hör nu till kedjan."),
    "borttagen": N_("Butiken hör inte längre till kedjan."),
    "lamnat": N_("Du företräder inte längre kedjan."),
    "medlem": N_("Din butik hör nu till kedjan."),
}
FORM_FIELDS = {"name": "namn", "org_number": "organisationsnummer", "email": "e-post", "business_id": "butik"}
"""The service's field names → the form's (the page's own words are Swedish)."""


def _refused(exc: InvalidField | RuleNotMet | Conflict, field: str) -> tuple[dict[str, str], int]:
    if isinstance(exc, InvalidField):
        return {FORM_FIELDS.get(exc.field, field): exc.message}, 400
    return {field: exc.message}, 409 if isinstance(exc, Conflict) else 422


async def _chains_page(
    request: Request[Actor, Any, Any],
    *,
    notice: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    return await page(
        request,
        "owner/chains.html",
        status_code=status_code,
        chains=await chains.list_visible(request.user),
        values=values or {},
        errors=errors or {},
        notice=notice,
    )


async def chain_page(
    request: Request[Actor, Any, Any],
    chain_id: int,
    *,
    notice: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    chain = await chains.get(request.user, chain_id)
    member_ids = {m.business_id for m in chain.members}
    return await page(
        request,
        "owner/chain.html",
        status_code=status_code,
        chain=chain,
        chain_cases=await chain_cases.list_for_chain(request.user, chain_id) if chain.you_represent else [],
        kommuner=await kommuner.list_all() if chain.you_represent else [],
        own_shops=[s for s in await businesses.list_visible(request.user) if s.id not in member_ids],
        values=values or {},
        errors=errors or {},
        notice=notice,
    )


async def _number(form: Any, name: str) -> int:
    return forms.number(form, name) or 0


class ChainPages(Controller):
    opt = OWNER
    include_in_schema = False

    @get("/kedjor")
    async def my_chains(
        self, request: Request[Actor, Any, Any], klart: FromQuery[str | None] = None
    ) -> Template:
        return await _chains_page(request, notice=notice_for(NOTICES, klart))

    @post("/kedjor")
    async def create(self, request: Request[Actor, Any, Any]) -> Template | Redirect:
        form = await request.form()
        values = {
            "namn": forms.text(form, "namn", 200),
            "organisationsnummer": forms.text(form, "organisationsnummer", 20),
        }
        try:
            chain = await chains.create(request.user, values["namn"], values["organisationsnummer"])
        except (InvalidField, RuleNotMet, Conflict) as exc:
            errors, status = _refused(exc, "organisationsnummer")
            return await _chains_page(request, errors=errors, values=values, status_code=status)
        return see_other(f"/kedjor/{chain.id}?klart=skapad")

    @get("/kedjor/{chain_id:int}")
    async def chain(
        self, request: Request[Actor, Any, Any], chain_id: FromPath[int], klart: FromQuery[str | None] = None
    ) -> Template:
        return await chain_page(request, chain_id, notice=notice_for(NOTICES, klart))

    @post("/kedjor/{chain_id:int}/bjud-in")
    async def invite(self, request: Request[Actor, Any, Any], chain_id: FromPath[int]) -> Template | Redirect:
        email = forms.text(await request.form(), "e-post", 254)
        try:
            await chains.invite(request.user, chain_id, email)
        except InvalidField:
            errors = {"e-post": _(forms.FIELD_MESSAGES["email"])}
            return await chain_page(
                request, chain_id, errors=errors, values={"e-post": email}, status_code=400
            )
        return see_other(f"/kedjor/{chain_id}?klart=inbjuden")

    @post("/kedjor/{chain_id:int}/foretradare")
    async def add_representative(
        self, request: Request[Actor, Any, Any], chain_id: FromPath[int]
    ) -> Template | Redirect:
        email = forms.text(await request.form(), "foretradare", 254)
        values = {"foretradare": email}
        try:
            await chains.add_representative(request.user, chain_id, email)
        except InvalidField:
            errors = {"foretradare": _(forms.FIELD_MESSAGES["email"])}
            return await chain_page(request, chain_id, errors=errors, values=values, status_code=400)
        except RuleNotMet as exc:
            return await chain_page(
                request, chain_id, errors={"foretradare": exc.message}, values=values, status_code=422
            )
        return see_other(f"/kedjor/{chain_id}?klart=foretradare")

    @post("/kedjor/{chain_id:int}/lamna")
    async def leave(self, request: Request[Actor, Any, Any], chain_id: FromPath[int]) -> Template | Redirect:
        try:
            await chains.leave(request.user, chain_id)
        except RuleNotMet as exc:
            return await chain_page(request, chain_id, errors={"_lamna": exc.message}, status_code=422)
        return see_other("/kedjor?klart=lamnat")

    @post("/kedjor/{chain_id:int}/butiker")
    async def add_own_shop(
        self, request: Request[Actor, Any, Any], chain_id: FromPath[int]
    ) -> Template | Redirect:
        business_id = await _number(await request.form(), "butik")
        if not business_id:
            errors = {"butik": _("Välj en butik.")}
            return await chain_page(request, chain_id, errors=errors, status_code=400)
        try:
            await chains.add_own_shop(request.user, chain_id, business_id)
        except Conflict as exc:
            return await chain_page(request, chain_id, errors={"butik": exc.message}, status_code=409)
        return see_other(f"/kedjor/{chain_id}?klart=tillagd")

    @post("/kedjor/{chain_id:int}/medlemmar/{business_id:int}/ta-bort")
    async def remove_member(
        self, request: Request[Actor, Any, Any], chain_id: FromPath[int], business_id: FromPath[int]
    ) -> Redirect:
        still_sees = await chains.remove_member(request.user, chain_id, business_id)
        if not still_sees:
            return see_other("/kedjor?klart=borttagen")
        return see_other(f"/kedjor/{chain_id}?klart=borttagen")

    @get("/kedjeinbjudan/{token:str}")
    async def invitation(self, request: Request[Actor, Any, Any], token: FromPath[str]) -> Template:
        return await _invitation_page(request, token)

    @post("/kedjeinbjudan/{token:str}")
    async def accept(self, request: Request[Actor, Any, Any], token: FromPath[str]) -> Template | Redirect:
        business_id = await _number(await request.form(), "butik")
        if not business_id:
            return await _invitation_page(
                request, token, errors={"butik": _("Välj en butik.")}, status_code=400
            )
        try:
            chain = await chains.accept(request.user, token, business_id)
        except Conflict as exc:
            return await _invitation_page(request, token, errors={"butik": exc.message}, status_code=409)
        return see_other(f"/kedjor/{chain.id}?klart=medlem")


async def _invitation_page(
    request: Request[Actor, Any, Any],
    token: str,
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    invitation = await chains.lookup(request.user, token)
    return await page(
        request,
        "owner/chain_invitation.html",
        status_code=status_code,
        invitation=invitation,
        token=token,
        shops=await businesses.list_visible(request.user),
        errors=errors or {},
    )


class KommunChainPages(Controller):
    opt = KOMMUN
    include_in_schema = False

    @get("/kommun/kedjor")
    async def kommun_chains(self, request: Request[Actor, Any, Any]) -> Template:
        return await page(
            request,
            "kommun/chains.html",
            chains=await chains.list_visible(request.user),
            chain_cases=await chain_cases.list_for_kommun(request.user),
        )
