"""Sign up and log in (logging out: web/pages/logout.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from certify.domain.errors import Forbidden, InvalidField
from certify.domain.status import Role
from certify.services import accounts, staff_login
from certify.text.catalogue import N_, gettext
from certify.web import sign_up
from certify.web.guards import PUBLIC
from certify.web.pages import forms
from certify.web.pages.render import notice_for, page, see_other
from certify.web.password_login import WrongLogin, log_in_with_password

WRONG_LOGIN = N_("Fel e-postadress eller lösenord.")
NO_NAME = N_("Skriv ditt namn.")
LOGIN_NOTICES = {
    "nytt-losenord": N_("Lösenordet är bytt. Logga in med det nya lösenordet."),
    "konto": sign_up.ANSWER,
}


HOMES = {Role.owner: "/mina-butiker", Role.inspector: "/besiktningar", Role.kommun: "/kommun/arenden"}


def home_for(role: Role) -> str:
    return HOMES.get(role, "/")


async def _staff_logins() -> list[tuple[int, str]]:
    """(kommun id, kommun name) of each kommun with its own provider: all the page needs of them."""
    return [(provider.kommun_id, provider.kommun_name) for provider in await staff_login.all_providers()]


class AuthPages(Controller):
    include_in_schema = False

    @get("/logga-in", opt=PUBLIC)
    async def login_form(
        self,
        request: Request[Any, Any, Any],
        nasta: FromQuery[str | None] = None,
        klart: FromQuery[str | None] = None,
    ) -> Template:
        return await page(
            request,
            "auth/login.html",
            values={},
            errors={},
            next=forms.safe_next(nasta),
            notice=notice_for(LOGIN_NOTICES, klart),
            staff_logins=await _staff_logins(),
        )

    @post("/logga-in", opt=PUBLIC)
    async def login(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = await request.form()
        email, password = forms.text(form, "email", 254), str(form.get("password") or "")
        target = forms.safe_next(forms.text(form, "next", 500))
        try:
            account_id = await log_in_with_password(request, email, password)
        except (WrongLogin, Forbidden) as exc:
            # Forbidden: the kommun's staff log in at its provider.
            return await page(
                request,
                "auth/login.html",
                status_code=403 if isinstance(exc, Forbidden) else 400,
                values={"email": email},
                errors={"email": exc.message if isinstance(exc, Forbidden) else gettext(WRONG_LOGIN)},
                next=target,
                staff_logins=await _staff_logins(),
            )
        actor = await accounts.get_user(account_id)
        return see_other(target or home_for(Role(actor.role)))

    @get("/skapa-konto", opt=PUBLIC)
    async def signup_form(
        self, request: Request[Any, Any, Any], nasta: FromQuery[str | None] = None
    ) -> Template:
        return await page(request, "auth/signup.html", values={}, errors={}, next=forms.safe_next(nasta))

    @post("/skapa-konto", opt=PUBLIC)
    async def signup(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = await request.form()
        values = {"name": forms.text(form, "name", 200), "email": forms.text(form, "email", 254)}
        password = str(form.get("password") or "")[:256]
        target = forms.safe_next(forms.text(form, "next", 500))
        errors: dict[str, str] = {}
        if not values["name"]:
            errors["name"] = gettext(NO_NAME)
        forms.collect(errors, "email", lambda: accounts.normalise_email(values["email"]))
        forms.collect(errors, "password", lambda: accounts.check_password(password))
        if not errors:
            try:
                await sign_up.sign_up(request, email=values["email"], name=values["name"], password=password)
            except InvalidField as exc:
                errors[exc.field] = forms.field_message(exc)
            else:
                # The same page whether or not the address had an account (see web/sign_up.py).
                return see_other(
                    "/logga-in?" + urlencode({"klart": "konto", **({"nasta": target} if target else {})})
                )
        return await page(
            request, "auth/signup.html", status_code=400, values=values, errors=errors, next=target
        )
