"""The owner's shop form: registering a shop and, here, changing its details later.

One reading of the form for both (the same fields, checks and messages); the change goes
through businesses.update, the same service as PATCH /api/businesses/{id}, which owns every rule
about what may change (the org number only by the kommun; a certified shop's name and address as
the service says).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from certify.domain.errors import Conflict, InvalidField, RuleNotMet
from certify.domain.org_number import normalise_org_number
from certify.services import businesses
from certify.services.accounts import normalise_email
from certify.services.actor import Actor
from certify.services.businesses import normalise_postal_code
from certify.services.views import BusinessView
from certify.web.guards import OWNER
from certify.web.pages import forms
from certify.web.pages.render import page, see_other

REGISTER_FIELDS = (
    "name",
    "org_number",
    "street_address",
    "postal_code",
    "city",
    "area",
    "phone",
    "email",
    "chain",
)
EDITABLE_FIELDS = tuple(name for name in REGISTER_FIELDS if name != "org_number")
"""The owner's org number is as registered; only the kommun corrects it."""
REQUIRED = ("name", "street_address", "city")


def read_shop_form(form: Mapping[str, Any], fields: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, str]]:
    """The posted values and every wrong field's message at once, in the form's order."""
    values: dict[str, Any] = {name: forms.text(form, name, 254) for name in fields}
    values["cash_free"] = form.get("cash_free") == "ja"
    errors: dict[str, str] = {}
    for required in REQUIRED:
        if not values[required]:
            errors[required] = forms.message_for(required)
    if "org_number" in fields:
        forms.collect(errors, "org_number", lambda: normalise_org_number(values["org_number"]))
    forms.collect(errors, "postal_code", lambda: normalise_postal_code(values["postal_code"]))
    if values["email"]:
        forms.collect(errors, "email", lambda: normalise_email(values["email"]))
    return values, {name: errors[name] for name in fields if name in errors}


def _shown(shop: BusinessView) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(shop, name) for name in EDITABLE_FIELDS}
    values["postal_code"] = f"{shop.postal_code[:3]} {shop.postal_code[3:]}"
    values["cash_free"] = shop.cash_free
    return values


def _changes(shop: BusinessView, values: Mapping[str, Any]) -> dict[str, Any]:
    """Only what the owner changed: an untouched field is not sent as a change."""
    now_stored = {**_shown(shop), "postal_code": shop.postal_code}
    posted = {**values, "postal_code": normalise_postal_code(values["postal_code"])}
    if posted["email"]:
        posted["email"] = normalise_email(posted["email"])
    return {k: v for k, v in posted.items() if v != now_stored[k]}


class ShopDetailsPages(Controller):
    opt = OWNER
    include_in_schema = False

    async def _form(
        self,
        request: Request[Actor, Any, Any],
        shop: BusinessView,
        values: dict[str, Any],
        errors: dict[str, str] | None = None,
    ) -> Template:
        return await page(
            request,
            "owner/shop_form.html",
            status_code=400 if errors else 200,
            shop=shop,
            values=values,
            errors=errors or {},
        )

    @get("/butiker/{business_id:int}/andra")
    async def edit_form(self, request: Request[Actor, Any, Any], business_id: FromPath[int]) -> Template:
        shop = await businesses.get(request.user, business_id)
        return await self._form(request, shop, _shown(shop))

    @post("/butiker/{business_id:int}/andra")
    async def edit(
        self, request: Request[Actor, Any, Any], business_id: FromPath[int]
    ) -> Template | Redirect:
        shop = await businesses.get(request.user, business_id)
        values, errors = read_shop_form(await request.form(), EDITABLE_FIELDS)
        if not errors:
            try:
                updated = await businesses.update(request.user, business_id, _changes(shop, values))
            except InvalidField as exc:
                errors[exc.field] = forms.field_message(exc)
            except (RuleNotMet, Conflict) as exc:
                errors["_regel"] = exc.message
            else:
                done = "anmald" if updated.reported_change else "uppgifter"
                return see_other(f"/butiker/{business_id}?klart={done}")
        return await self._form(request, shop, values, errors)
