"""The caller's own account: download everything the service holds about you, close the account.

The same services as GET /api/me/data and POST /api/me/close (services/privacy.py owns the rules:
the password is asked again, an owner withdraws open applications first).
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template

from certify.domain.errors import RuleNotMet
from certify.services import accounts, eid, privacy
from certify.services.actor import Actor
from certify.text.catalogue import N_, gettext
from certify.web import downloads
from certify.web.auth import log_out
from certify.web.guards import ANY_USER
from certify.web.pages.render import page, see_other

PATH = "/mitt-konto"
DATA_FILE = "mina-uppgifter.json"
NO_PASSWORD = N_("Skriv ditt lösenord för att stänga kontot.")


class AccountPages(Controller):
    opt = ANY_USER
    include_in_schema = False

    async def _page(
        self, request: Request[Actor, Any, Any], errors: dict[str, str] | None = None
    ) -> Template:
        return await page(
            request,
            "account.html",
            status_code=422 if errors else 200,
            account=await accounts.get_user(request.user.id),
            eid_linked=await eid.is_linked(request.user.id),
            errors=errors or {},
        )

    @get(PATH)
    async def account(self, request: Request[Actor, Any, Any]) -> Template:
        return await self._page(request)

    @get(f"{PATH}/{DATA_FILE}")
    async def my_data(self, request: Request[Actor, Any, Any]) -> Response[bytes]:
        data = await privacy.export_own_data(request.user)
        return downloads.file_response(
            msgspec.json.format(msgspec.json.encode(data), indent=2), "application/json", DATA_FILE
        )

    @post(f"{PATH}/stang")
    async def close(self, request: Request[Actor, Any, Any]) -> Template | Redirect:
        form = await request.form()
        password = str(form.get("password") or "")[:256]
        if not password:
            return await self._page(request, {"password": gettext(NO_PASSWORD)})
        try:
            await privacy.close_account(request.user, password)
        except RuleNotMet as exc:
            return await self._page(request, {"password": exc.message})
        await log_out(request)
        return see_other("/?klart=konto-stangt")
