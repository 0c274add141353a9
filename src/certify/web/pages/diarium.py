"""The kommun's document register page (/kommun/diarium): filters and the CSV export of what it shows."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get
from litestar.response import Template

from certify.domain.document_register import Direction
from certify.domain.errors import InvalidField
from certify.services import document_register
from certify.services.actor import Actor
from certify.services.clock import today
from certify.services.document_register import RegisterQuery
from certify.text.catalogue import N_, _
from certify.text.register import direction_label
from certify.web.guards import KOMMUN
from certify.web.pages.case_screen import parse_date
from certify.web.pages.render import page

PATH = "/kommun/diarium"
FIELDS = ("fran", "till", "diarienummer", "riktning")
MALFORMED_DATE = N_("Skriv dagen som ett datum, till exempel 2026-12-01.")


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


class DiariumPages(Controller):
    guards = KOMMUN
    include_in_schema = False

    @get(PATH)
    async def register(self, request: Request[Actor, Any, Any]) -> Template:
        params = _params(request)
        query, errors = _filters(params)
        documents = [] if errors else await document_register.entries(request.user, query)
        return await page(
            request,
            "kommun/diarium.html",
            status_code=400 if errors else 200,
            documents=documents,
            values=params,
            errors=errors,
            directions=[(d.value, direction_label(d.value)) for d in Direction],
            direction_label=direction_label,
            export_link=f"{PATH}.csv?{urlencode({k: v for k, v in params.items() if v})}",
        )

    @get(f"{PATH}.csv", media_type="text/csv")
    async def register_csv(self, request: Request[Actor, Any, Any]) -> Response[bytes]:
        query, errors = _filters(_params(request))
        if errors:
            raise InvalidField(next(iter(errors)), "date_invalid")
        documents = await document_register.entries(request.user, query)
        name = f"diarium-{today().isoformat()}.csv"
        return Response(
            document_register.as_csv(documents),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
