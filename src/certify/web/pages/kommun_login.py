"""The kommun's own log-in for its staff, on its settings page (/kommun/inloggning): what
`certify kommun-login set/show/clear` does for an administrator, a kommun user does here for his
own kommun only, through the same service (certify.services.staff_login) and its refusals.

The client secret is write-only: the page says whether one is stored, never shows it, and an
empty field keeps the stored one. Password log-in is switched off only by a kommun user whose own
session began at this provider, and the provider is disconnected only while a kommun user has a
password: the service refuses, worded, what would lock the kommun out.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from certify.domain.errors import InvalidField, RuleNotMet
from certify.services import staff_login
from certify.services.actor import Actor
from certify.services.sessions import PASSWORD
from certify.settings import Settings
from certify.text.catalogue import N_
from certify.web.auth import session_began
from certify.web.guards import KOMMUN
from certify.web.pages import forms
from certify.web.pages import logout as logout_pages
from certify.web.pages import staff_login as staff_login_pages
from certify.web.pages.render import notice_for, page, see_other

PATH = "/kommun/inloggning"
TEXT_FIELDS = ("issuer", "client_id", "groups_claim", "kommun_group", "inspector_group")
NOTICES = {
    "sparad": N_("Inställningarna för inloggningen är sparade."),
    "bortkopplad": N_("Kommunens egen inloggning är bortkopplad. Personalen loggar in med lösenord."),
}


def _kommun_id(request: Request[Actor, Any, Any]) -> int:
    kommun_id = request.user.kommun_id
    assert kommun_id is not None  # a kommun user always has his kommun (accounts)
    return kommun_id


async def _kommun_user(request: Request[Actor, Any, Any]) -> staff_login.KommunUser:
    """The caller, and how his session began (a password when that cannot be told: the strictest)."""
    return staff_login.KommunUser(request.user, await session_began(request) or PASSWORD)


def _values(provider: staff_login.Provider | None) -> dict[str, Any]:
    if provider is None:
        return {"groups_claim": "groups", "password_login": True}
    return {
        **{name: getattr(provider, name) for name in TEXT_FIELDS},
        "password_login": not provider.password_login_off,
    }


class KommunLoginPages(Controller):
    opt = KOMMUN
    include_in_schema = False

    async def _page(
        self,
        request: Request[Actor, Any, Any],
        *,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        notice: str | None = None,
        status_code: int = 200,
    ) -> Template:
        settings: Settings = request.app.state.settings
        provider = await staff_login.provider_of(_kommun_id(request))
        return await page(
            request,
            "kommun/login_settings.html",
            status_code=status_code,
            provider=provider,
            values=values if values is not None else _values(provider),
            errors=errors or {},
            notice=notice,
            callback=settings.base_url + staff_login_pages.CALLBACK,
            after_logout=settings.base_url + logout_pages.AFTER_LOGOUT,
        )

    @get(PATH)
    async def settings_page(
        self, request: Request[Actor, Any, Any], klart: FromQuery[str | None] = None
    ) -> Template:
        return await self._page(request, notice=notice_for(NOTICES, klart))

    @post(PATH)
    async def save(self, request: Request[Actor, Any, Any]) -> Template | Redirect:
        form = await request.form()
        texts = {name: forms.text(form, name, 1000) for name in TEXT_FIELDS}
        password_login = form.get("password_login") == "1"
        values: dict[str, Any] = {**texts, "password_login": password_login}
        secret = forms.text(form, "client_secret", 4000)
        try:
            await staff_login.configure(
                _kommun_id(request),
                **texts,
                client_secret=secret or None,  # empty: the stored secret stays
                password_login_off=not password_login,
                by=await _kommun_user(request),
            )
        except InvalidField as exc:
            return await self._page(request, values=values, errors={exc.field: exc.message}, status_code=400)
        except RuleNotMet as exc:
            return await self._page(
                request, values=values, errors={"password_login": exc.message}, status_code=422
            )
        return see_other(f"{PATH}?klart=sparad")

    @post(f"{PATH}/koppla-bort")
    async def disconnect(self, request: Request[Actor, Any, Any]) -> Template | Redirect:
        try:
            await staff_login.clear(_kommun_id(request), by=await _kommun_user(request))
        except RuleNotMet as exc:
            return await self._page(request, errors={"_clear": exc.message}, status_code=422)
        return see_other(f"{PATH}?klart=bortkopplad")
