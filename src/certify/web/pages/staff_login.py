"""Staff log-in through the kommun's own OpenID provider (the HTTP side of
certify.services.staff_login).

/personal/logga-in/{kommun} sends the browser to that kommun's provider; state, nonce, PKCE
verifier and the kommun travel in a short-lived encrypted cookie sent only to /personal/*
(web/pages/oidc_flow.py, as for e-legitimation), used once. The callback /personal/tillbaka is
the one return address to register at every kommun's provider. The session it opens lasts
CERTIFY_STAFF_SESSION_HOURS at most, and records the kommun whose provider began it: logging out
ends the session there too (web/pages/logout.py).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from certify.domain.status import Role
from certify.services import accounts, staff_login
from certify.services.oidc import Refused
from certify.services.sessions import Began, Via
from certify.settings import Settings
from certify.text.catalogue import N_, _
from certify.web.auth import log_in
from certify.web.guards import PUBLIC
from certify.web.pages import forms, oidc_flow
from certify.web.pages.auth_pages import home_for
from certify.web.pages.render import page, see_other

PATH = "/personal"
CALLBACK = f"{PATH}/tillbaka"
FLOW_COOKIE = "certify_staff_flow"

REFUSALS = {
    "state": N_(
        "Inloggningen kunde inte kopplas till den här webbläsaren, eller tog för lång tid. "
        "Börja om från inloggningssidan."
    ),
    "cancelled": N_("Inloggningen avbröts hos kommunens inloggningstjänst. Du är inte inloggad."),
    "code": N_(
        "Kommunens inloggningstjänst godkände inte inloggningen (den kan redan ha använts). Börja om."
    ),
    "id_token": N_("Svaret från kommunens inloggningstjänst kunde inte bekräftas. Du är inte inloggad."),
    "unreachable": N_("Vi når inte kommunens inloggningstjänst just nu. Försök igen om en stund."),
    "no_group": N_(
        "Kommunens inloggningstjänst säger inte att du är handläggare eller besiktningsman här. "
        "Fråga kommunens administratör om behörighet."
    ),
    "role": N_(
        "Din e-postadress hör till ett konto som inte är personal med den här rollen i kommunen. "
        "Kontakta kommunens administratör."
    ),
    "email": N_("Kommunens inloggningstjänst lämnade ingen e-postadress, så vi vet inte vem du är."),
    "email_unverified": N_(
        "Kommunens inloggningstjänst har inte bekräftat din e-postadress, så vi kopplar den inte till "
        "kontot med samma adress. Kontakta kommunens administratör."
    ),
    "link": N_(
        "Kontot med din e-postadress kan inte kopplas till kommunens inloggningstjänst av sig självt: "
        "det är redan kopplat här eller används i fler kommuner. Kontakta kommunens administratör."
    ),
}

FORBIDDEN = {"no_group", "role", "email_unverified", "link"}  # who the person is was proven: 403


def _status(reason: str) -> int:
    if reason in FORBIDDEN:
        return 403
    return 503 if reason == "unreachable" else 400


def _settings(request: Request[Any, Any, Any]) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _clients(request: Request[Any, Any, Any]) -> staff_login.Clients:
    clients: staff_login.Clients = request.app.state.staff_login
    return clients


class StaffLoginPages(Controller):
    include_in_schema = False

    async def _refused(self, request: Request[Any, Any, Any], reason: str, status: int = 400) -> Template:
        response = await page(
            request, "auth/eid_refused.html", status_code=status, message=_(REFUSALS[reason])
        )
        response.cookies.append(oidc_flow.gone(_settings(request), FLOW_COOKIE, PATH))
        return response

    @get(f"{PATH}/logga-in/{{kommun_id:int}}", opt=PUBLIC)
    async def start(
        self, request: Request[Any, Any, Any], kommun_id: FromPath[int], nasta: FromQuery[str | None] = None
    ) -> Redirect | Template:
        settings = _settings(request)
        provider = await staff_login.provider_of(kommun_id)
        if provider is None:
            return await self._refused(request, "state", status=404)
        try:
            started = await _clients(request).for_provider(provider).start(settings.base_url + CALLBACK)
        except Refused as exc:
            return await self._refused(request, exc.reason, status=503)
        flow = oidc_flow.flow(started, kommun=kommun_id, next=forms.safe_next(nasta))
        response = Redirect(path=started.url, status_code=303)
        response.cookies.append(oidc_flow.sealed(settings, FLOW_COOKIE, flow, PATH))
        return response

    @get(CALLBACK, opt=PUBLIC)
    async def callback(self, request: Request[Any, Any, Any]) -> Redirect | Template:
        settings = _settings(request)
        try:
            back = oidc_flow.returned(request, FLOW_COOKIE)
            provider = await staff_login.provider_of(int(back.flow["kommun"]))
            if provider is None:
                raise Refused("state")
            back.check_issuer(provider.issuer)
            claims = (
                await _clients(request)
                .for_provider(provider)
                .claims(
                    code=back.code,
                    code_verifier=back.flow["verifier"],
                    nonce=back.flow["nonce"],
                    redirect_uri=settings.base_url + CALLBACK,
                )
            )
            account_id = await staff_login.account_for(provider, claims)
        except Refused as exc:
            return await self._refused(request, exc.reason, status=_status(exc.reason))
        await log_in(
            request,
            account_id,
            staff_login.session_ends_at(settings.staff_session_hours),
            Began(Via.kommun, provider.kommun_id),
        )
        user = await accounts.get_user(account_id)
        response = see_other(forms.safe_next(back.flow.get("next")) or home_for(Role(user.role)))
        response.cookies.append(oidc_flow.gone(settings, FLOW_COOKIE, PATH))
        return response
