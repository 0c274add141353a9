"""Logging out of the pages, and out of the OpenID provider the session began at.

POST /logga-ut ends certify's session at once. When the session began at a provider (the
e-legitimation, or the kommun's own provider for its staff: sessions.Began) and that provider's
discovery names an end-session endpoint, the browser goes on there with certify's client id, the
return address /utloggad and a fresh `state` (kept in a short-lived encrypted cookie sent only to
/utloggad), so that the person's session at the provider ends too and the next log-in asks again.
Otherwise, or when the provider cannot be reached, the log-out is certify's alone.
/utloggad must be registered at every provider as a post-logout redirect URI; it says "you are
logged out" when the `state` is the one sent, and shows the start page without it otherwise.
"""

from __future__ import annotations

import hmac
from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect

from certify.services import staff_login
from certify.services.oidc import Client
from certify.services.sessions import Began, Via
from certify.settings import Settings
from certify.web.auth import log_out
from certify.web.guards import PUBLIC
from certify.web.pages import oidc_flow
from certify.web.pages.render import see_other

AFTER_LOGOUT = "/utloggad"  # the post-logout redirect URI to register at each provider
LOGOUT_COOKIE = "certify_logout"  # the `state` sent to the provider, until it sends the browser back
LOGGED_OUT = "/?klart=utloggad"


async def _provider(request: Request[Any, Any, Any], began: Began | None) -> Client | None:
    """The OpenID client of the provider the session began at, if it still is configured."""
    if began is None or began.via == Via.password:
        return None
    if began.via == Via.eid:
        eid: Client | None = request.app.state.get("eid")
        return eid
    provider = await staff_login.provider_of(began.kommun_id) if began.kommun_id is not None else None
    if provider is None:
        return None
    clients: staff_login.Clients = request.app.state.staff_login
    return clients.for_provider(provider)


class LogoutPages(Controller):
    include_in_schema = False

    @post("/logga-ut", opt=PUBLIC)
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        settings: Settings = request.app.state.settings
        client = await _provider(request, await log_out(request))
        leaving = await client.logout(settings.base_url + AFTER_LOGOUT) if client is not None else None
        if leaving is None:
            return see_other(LOGGED_OUT)
        response = Redirect(path=leaving.url, status_code=303)
        response.cookies.append(
            oidc_flow.sealed(settings, LOGOUT_COOKIE, {"state": leaving.state}, AFTER_LOGOUT)
        )
        return response

    @get(AFTER_LOGOUT, opt=PUBLIC)
    async def after_logout(self, request: Request[Any, Any, Any]) -> Redirect:
        """Back from the provider's end-session endpoint."""
        settings: Settings = request.app.state.settings
        kept = oidc_flow.opened(request, LOGOUT_COOKIE)
        state = str(request.query_params.get("state") or "")
        sent = str(kept.get("state") or "") if kept is not None else ""
        ours = bool(state and sent) and hmac.compare_digest(state.encode(), sent.encode())
        response = see_other(LOGGED_OUT if ours else "/")
        response.cookies.append(oidc_flow.gone(settings, LOGOUT_COOKIE, AFTER_LOGOUT))
        return response
