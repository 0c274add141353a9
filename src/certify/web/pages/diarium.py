"""The kommun's document register page (/kommun/diarium): filters, the CSV export of what it shows,
and the kommun's settings for its diarienummer."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template

from certify.domain.diarienummer import compose
from certify.domain.document_register import Direction
from certify.domain.errors import InvalidField
from certify.services import diarium, document_register
from certify.services.actor import Actor
from certify.services.clock import today
from certify.services.document_register import RegisterQuery
from certify.text.catalogue import N_, _
from certify.text.register import direction_label
from certify.web import downloads
from certify.web.guards import KOMMUN
from certify.web.pages import forms
from certify.web.pages.case_screen import parse_date
from certify.web.pages.render import notice_for, page, see_other

PATH = "/kommun/diarium"
FIELDS = ("fran", "till", "diarienummer", "riktning")
SETTINGS_PATH = f"{PATH}/installningar"
MALFORMED_DATE = N_("Skriv dagen som ett datum, till exempel 2026-12-01.")
NOTICES = {
    "installningar": N_(
        "Inställningarna för diarienummer är sparade. De gäller ärenden som kommer in från nu."
    )
}


def _filters(params: dict[str, str]) -> tuple[RegisterQuery, dict[str, str]]:
    """The query the address asks for, and the fields' errors (a malformed day)."""
    errors: dict[str, str] = {}
    days = {}
    for field in ("fran", "till"):
        raw = params.get(field, "")
        days[field] = parse_date(raw) if raw else None
        if raw and days[field] is None:
            errors[field] = _(MALFORMED_DATE)
    direction = params.get("riktning", "")
    query = RegisterQuery(
        date_from=days["fran"],
        date_to=days["till"],
        diarienummer=" ".join(params.get("diarienummer", "").split())[:50],
        direction=Direction(direction) if direction in {d.value for d in Direction} else None,
    )
    return query, errors


def _params(request: Request[Actor, Any, Any]) -> dict[str, str]:
    return {k: str(request.query_params.get(k, "")).strip()[:60] for k in FIELDS}


async def _register_page(
    request: Request[Actor, Any, Any],
    *,
    notice: str | None = None,
    setting_errors: dict[str, str] | None = None,
    setting_values: dict[str, str] | None = None,
) -> Template:
    """The register as the address filters it, with the kommun's settings for its numbers."""
    params = _params(request)
    query, errors = _filters(params)
    documents = [] if errors else await document_register.entries(request.user, query)
    settings = await diarium.own_settings(request.user)
    return await page(
        request,
        "kommun/diarium.html",
        status_code=400 if errors or setting_errors else 200,
        documents=documents,
        values=params,
        errors={**errors, **(setting_errors or {})},
        directions=[(d.value, direction_label(d.value)) for d in Direction],
        direction_label=direction_label,
        export_link=f"{PATH}.csv?{urlencode({k: v for k, v in params.items() if v})}",
        notice=notice,
        settings=settings,
        setting_values=setting_values
        or {"format": settings.number_format, "inskrivna": "1" if settings.typed else ""},
        example=compose(settings.number_format, today().year, 42),
    )


class DiariumPages(Controller):
    opt = KOMMUN
    include_in_schema = False

    @get(PATH)
    async def register(self, request: Request[Actor, Any, Any]) -> Template:
        return await _register_page(request, notice=notice_for(NOTICES, request.query_params.get("klart")))

    @post(SETTINGS_PATH)
    async def save_settings(self, request: Request[Actor, Any, Any]) -> Template | Redirect:
        form = await request.form()
        number_format = forms.text(form, "format", 100)
        typed = form.get("inskrivna") == "1"
        try:
            await diarium.configure_own(request.user, number_format=number_format, typed=typed)
        except InvalidField as exc:
            return await _register_page(
                request,
                setting_errors={"format": exc.message},
                setting_values={"format": number_format, "inskrivna": "1" if typed else ""},
            )
        return see_other(f"{PATH}?klart=installningar")

    @get(f"{PATH}.csv", media_type="text/csv")
    async def register_csv(self, request: Request[Actor, Any, Any]) -> Response[bytes]:
        query, errors = _filters(_params(request))
        if errors:
            raise InvalidField(next(iter(errors)), "date_invalid")
        documents = await document_register.entries(request.user, query)
        name = f"diarium-{today().isoformat()}.csv"
        return downloads.file_response(
            document_register.as_csv(documents), "text/csv", name, cache="private, no-store"
        )
