"""Log-in with e-legitimation (the HTTP side of certify.services.eid).

/e-legitimation/logga-in sends the browser to the provider; what must come back with it (state,
nonce, PKCE verifier, where to go next) travels in a short-lived encrypted cookie that only
/e-legitimation/* receives, and is used once. The callback checks `state` against that cookie and
lets the service check the rest. A person the service does not know yet gives an e-mail address
for notices (/e-legitimation/nytt-konto) and gets an owner account in the verified name. An owner
who logged in with a password links e-legitimation from "Mitt konto" (/e-legitimation/koppla).
Without CERTIFY_EID_ISSUER every route here answers 404 and the log-in page shows no button.
The session records that it began here: logging out ends it at the provider too (web/pages/logout.py).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from certify.domain.errors import Conflict, InvalidField
from certify.services import eid
from certify.services.actor import Actor
from certify.services.sessions import Began, Via
from certify.settings import Settings
from certify.text.catalogue import N_, _
from certify.web.auth import log_in
from certify.web.guards import OWNER, PUBLIC
from certify.web.pages import forms, oidc_flow
from certify.web.pages.render import current_actor, page, see_other

PATH = "/e-legitimation"
CALLBACK = f"{PATH}/tillbaka"
NEW_ACCOUNT = f"{PATH}/nytt-konto"
FLOW_COOKIE = "certify_eid_flow"  # state, nonce, verifier: between leaving for the provider and coming back
NEW_COOKIE = "certify_eid_new"  # a verified person who has no account yet, while choosing an e-mail address
OWNER_HOME = "/mina-butiker"  # only owners log in with e-legitimation (services/eid.py)

REFUSALS = {
    "state": N_(
        "Inloggningen kunde inte kopplas till den här webbläsaren, eller tog för lång tid. "
        "Börja om från inloggningssidan."
    ),
    "cancelled": N_("Inloggningen avbröts hos e-legitimationen. Du är inte inloggad."),
    "code": N_("E-legitimationen godkände inte inloggningen (den kan redan ha använts). Börja om."),
    "id_token": N_("Svaret från e-legitimationen kunde inte bekräftas. Du är inte inloggad."),
    "person_number": N_("E-legitimationen lämnade inget personnummer, så vi vet inte vem du är."),
    "name": N_("E-legitimationen lämnade inget namn, så vi kan inte skapa kontot."),
    "unreachable": N_("Vi når inte e-legitimationen just nu. Försök igen om en stund."),
    "already_linked": N_("Ditt konto är redan kopplat till en e-legitimation."),
    "person_linked": N_("Den här e-legitimationen hör redan till ett annat konto."),
    "not_owner": N_("Bara butiksägare kan logga in med e-legitimation."),
    "other_account": N_("Du bytte konto under inloggningen. Börja om från Mitt konto."),
    "inactive": N_("Kontot är stängt eller inaktiverat."),
}


def _provider(request: Request[Any, Any, Any]) -> eid.Provider:
    provider: eid.Provider | None = request.app.state.get("eid")
    if provider is None:
        raise NotFoundException()
    return provider


def _settings(request: Request[Any, Any, Any]) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _status(reason: str) -> int:
    return 503 if reason == "unreachable" else 400


class EidPages(Controller):
    include_in_schema = False

    async def _refused(self, request: Request[Any, Any, Any], reason: str, status: int = 400) -> Template:
        settings = _settings(request)
        response = await page(
            request, "auth/eid_refused.html", status_code=status, message=_(REFUSALS[reason])
        )
        response.cookies.extend(
            [oidc_flow.gone(settings, FLOW_COOKIE, PATH), oidc_flow.gone(settings, NEW_COOKIE, PATH)]
        )
        return response

    async def _start(self, request: Request[Any, Any, Any], data: dict[str, Any]) -> Redirect | Template:
        settings = _settings(request)
        try:
            started = await _provider(request).start(settings.base_url + CALLBACK)
        except eid.Refused as exc:
            return await self._refused(request, exc.reason, status=503)
        flow = oidc_flow.flow(started, **data)
        response = Redirect(path=started.url, status_code=303)
        response.cookies.append(oidc_flow.sealed(settings, FLOW_COOKIE, flow, PATH))
        return response

    @get(f"{PATH}/logga-in", opt=PUBLIC)
    async def start_login(
        self, request: Request[Any, Any, Any], nasta: FromQuery[str | None] = None
    ) -> Redirect | Template:
        return await self._start(request, {"next": forms.safe_next(nasta)})

    @get(f"{PATH}/koppla", opt=OWNER)
    async def start_link(self, request: Request[Actor, Any, Any]) -> Redirect | Template:
        _provider(request)
        if await eid.is_linked(request.user.id):
            return await self._refused(request, "already_linked", status=409)
        return await self._start(request, {"link": request.user.id})

    @get(CALLBACK, opt=PUBLIC)
    async def callback(self, request: Request[Any, Any, Any]) -> Redirect | Template:
        provider, settings = _provider(request), _settings(request)
        try:
            back = oidc_flow.returned(request, FLOW_COOKIE)
            back.check_issuer(provider.settings.issuer)
            flow = back.flow
            person = await provider.finish(
                code=back.code,
                code_verifier=flow["verifier"],
                nonce=flow["nonce"],
                redirect_uri=settings.base_url + CALLBACK,
            )
        except eid.Refused as exc:
            return await self._refused(request, exc.reason, status=_status(exc.reason))
        if "link" in flow:
            return await self._link(request, int(flow["link"]), person)
        try:
            account_id = await eid.account_of(person)
        except eid.Refused as exc:
            return await self._refused(request, exc.reason, status=403)
        if account_id is None:
            response = see_other(NEW_ACCOUNT)
            pending = {"name": person.name, "hash": person.person_hash, "next": flow.get("next")}
            response.cookies.extend(
                [
                    oidc_flow.gone(settings, FLOW_COOKIE, PATH),
                    oidc_flow.sealed(settings, NEW_COOKIE, pending, PATH),
                ]
            )
            return response
        return await self._logged_in(request, account_id, flow.get("next"))

    async def _link(
        self, request: Request[Any, Any, Any], account_id: int, person: eid.Person
    ) -> Redirect | Template:
        actor = await current_actor(request)
        if actor is None or actor.id != account_id:
            return await self._refused(request, "other_account")
        try:
            await eid.link(account_id, person)
        except Conflict as exc:
            return await self._refused(request, exc.code, status=409)
        response = see_other("/mitt-konto")
        response.cookies.append(oidc_flow.gone(_settings(request), FLOW_COOKIE, PATH))
        return response

    async def _logged_in(
        self, request: Request[Any, Any, Any], account_id: int, target: str | None
    ) -> Redirect:
        """A fresh session (log_in ends this browser's earlier one), and the way home."""
        settings = _settings(request)
        await log_in(request, account_id, began=Began(Via.eid))
        response = see_other(forms.safe_next(target) or OWNER_HOME)
        response.cookies.extend(
            [oidc_flow.gone(settings, FLOW_COOKIE, PATH), oidc_flow.gone(settings, NEW_COOKIE, PATH)]
        )
        return response

    @get(NEW_ACCOUNT, opt=PUBLIC)
    async def new_account_form(self, request: Request[Any, Any, Any]) -> Template:
        _provider(request)
        pending = oidc_flow.opened(request, NEW_COOKIE)
        if pending is None:
            return await self._refused(request, "state")
        return await page(request, "auth/eid_new_account.html", name=pending["name"], values={}, errors={})

    @post(NEW_ACCOUNT, opt=PUBLIC)
    async def new_account(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        _provider(request)
        pending = oidc_flow.opened(request, NEW_COOKIE)
        if pending is None:
            return await self._refused(request, "state")
        form = await request.form()
        email = forms.text(form, "email", 254)
        person = eid.Person(name=pending["name"], person_hash=pending["hash"])
        error = ""
        try:
            account_id = await eid.create_owner(person, email)
        except InvalidField:
            error = _("Skriv en e-postadress, till exempel namn@example.se.")
        except Conflict as exc:
            if exc.code != "email_taken":
                return await self._refused(request, exc.code, status=409)
            error = _(
                "Det finns redan ett konto med den e-postadressen. Logga in med lösenordet och koppla "
                "e-legitimationen under Mitt konto."
            )
        if error:
            return await page(
                request,
                "auth/eid_new_account.html",
                status_code=422,
                name=pending["name"],
                values={"email": email},
                errors={"email": error},
            )
        return await self._logged_in(request, account_id, pending.get("next"))
