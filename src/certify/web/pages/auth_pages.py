"""Sign up, log in and log out."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from certify.domain.errors import InvalidField
from certify.domain.status import Role
from certify.services import accounts, staff_login
from certify.services.actor import Actor
from certify.text.catalogue import N_, gettext
from certify.text.errors import text_for
from certify.web import login_throttle, sign_up
from certify.web.auth import log_in, log_out
from certify.web.guards import PUBLIC
from certify.web.pages import eid as eid_pages
from certify.web.pages import forms
from certify.web.pages.render import current_actor, notice_for, page, see_other

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
        await login_throttle.refuse_if_throttled(request, email)
        account_id = await accounts.authenticate(email, password) if email and password else None
        if account_id is None:
            await login_throttle.record_failure(request, email)
            return await page(
                request,
                "auth/login.html",
                status_code=400,
                values={"email": email},
                errors={"email": gettext(WRONG_LOGIN)},
                next=target,
                staff_logins=await _staff_logins(),
            )
        if await staff_login.password_login_refused(account_id):
            return await page(
                request,
                "auth/login.html",
                status_code=403,
                values={"email": email},
                errors={"email": text_for("staff_password_login_off")},
                next=target,
                staff_logins=await _staff_logins(),
            )
        await log_in(request, account_id)
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

    @post("/logga-ut", opt=PUBLIC)
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        actor: Actor | None = await current_actor(request)
        if actor is not None:
            await log_out(request)
        done = eid_pages.AFTER_LOGOUT if eid_pages.signed_in_with_eid(request) else "/?klart=utloggad"
        return see_other(done)
