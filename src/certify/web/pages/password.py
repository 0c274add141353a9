"""Choosing one's own password: required after a reset or a new account made by the kommun."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from certify.domain.errors import InvalidField, RuleNotMet
from certify.services import accounts, user_admin
from certify.services.actor import Actor
from certify.text.catalogue import N_, gettext
from certify.web.auth import log_in
from certify.web.guards import ANY_USER
from certify.web.pages import forms
from certify.web.pages.auth_pages import home_for
from certify.web.pages.render import page, see_other

NOT_THE_SAME = N_("Du skrev inte samma lösenord två gånger.")


class PasswordPages(Controller):
    opt = ANY_USER
    include_in_schema = False

    @get("/byt-losenord")
    async def form(self, request: Request[Actor, Any, Any]) -> Template:
        return await page(request, "auth/change_password.html", errors={})

    @post("/byt-losenord")
    async def change(self, request: Request[Actor, Any, Any]) -> Template | Redirect:
        form = await request.form()
        current, new = str(form.get("current") or "")[:256], str(form.get("password") or "")[:256]
        errors: dict[str, str] = {}
        forms.collect(errors, "password", lambda: accounts.check_password(new))
        if not errors and str(form.get("repeat") or "") != new:
            errors["repeat"] = gettext(NOT_THE_SAME)
        if not errors:
            try:
                await user_admin.change_own_password(request.user, current, new)
            except RuleNotMet as exc:
                errors["current" if "nuvarande" in exc.message else "password"] = exc.message
            except InvalidField as exc:
                errors["password"] = forms.field_message(exc)
            else:
                await log_in(request, request.user.id)  # a fresh session: every older one has ended
                return see_other(home_for(request.user.role))
        return await page(request, "auth/change_password.html", status_code=400, errors=errors)
