""" "Glömt lösenordet?": ask for a link by e-mail, then choose a new password through it.

Public pages. Asking always gets the same answer, whether or not the address has an account;
requests are throttled per client (429) and per address (further mails are silently not sent).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from markupsafe import Markup

from certify.domain.errors import InvalidField, NotFound
from certify.services import accounts, password_reset
from certify.text.catalogue import N_, gettext
from certify.web.api.password import ask_for_link
from certify.web.guards import PUBLIC
from certify.web.pages import forms
from certify.web.pages.password import NOT_THE_SAME
from certify.web.pages.render import page, see_other

ASK_PATH = "/glomt-losenord"
SENT = N_(
    "Om det finns ett konto med adressen {email} har vi skickat ett e-postmeddelande med en länk. "
    "Länken gäller i en timme. Hittar du inget meddelande, titta i skräpposten."
)


class PasswordResetPages(Controller):
    include_in_schema = False

    @get(ASK_PATH, opt=PUBLIC)
    async def ask_form(self, request: Request[Any, Any, Any]) -> Template:
        return await page(request, "auth/forgot_password.html", values={}, errors={}, sent=None)

    @post(ASK_PATH, opt=PUBLIC)
    async def ask(self, request: Request[Any, Any, Any]) -> Template:
        form = await request.form()
        raw = forms.text(form, "email", 254)
        errors: dict[str, str] = {}
        email = forms.collect(errors, "email", lambda: accounts.normalise_email(raw))
        if errors:
            return await page(
                request,
                "auth/forgot_password.html",
                status_code=400,
                values={"email": raw},
                errors=errors,
                sent=None,
            )
        await ask_for_link(request, email)
        return await page(
            request,
            "auth/forgot_password.html",
            values={},
            errors={},
            sent=Markup(gettext(SENT)).format(email=Markup("<bdi>{}</bdi>").format(email)),
        )

    @get(f"{password_reset.PATH}/{{token:str}}", opt=PUBLIC)
    async def choose_form(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
        link = await password_reset.check(token)
        return await page(
            request,
            "auth/reset_password.html",
            status_code=200 if link else 404,
            link=link,
            token=token,
            errors={},
        )

    @post(f"{password_reset.PATH}/{{token:str}}", opt=PUBLIC)
    async def choose(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Template | Redirect:
        form = await request.form()
        new = str(form.get("password") or "")[:256]
        errors: dict[str, str] = {}
        forms.collect(errors, "password", lambda: accounts.check_password(new))
        if not errors and str(form.get("repeat") or "") != new:
            errors["repeat"] = gettext(NOT_THE_SAME)
        if not errors:
            try:
                await password_reset.complete(token, new)
            except InvalidField as exc:
                errors["password"] = forms.field_message(exc)
            except NotFound:
                return await page(
                    request, "auth/reset_password.html", status_code=404, link=None, token=token, errors={}
                )
            else:
                return see_other("/logga-in?klart=nytt-losenord")
        link = await password_reset.check(token)
        return await page(
            request,
            "auth/reset_password.html",
            status_code=400 if link else 404,
            link=link,
            token=token,
            errors=errors if link else {},
        )
