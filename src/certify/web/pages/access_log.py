"""The kommun's access log page: who read which piece of evidence or fullmakt of which case or
shop, filtered by case."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.response import Template

from certify.domain.numerals import ascii_int
from certify.services import access_log
from certify.services.actor import Actor
from certify.text.catalogue import N_, _
from certify.web.guards import KOMMUN
from certify.web.pages.render import page

PATH = "/kommun/atkomstlogg"
KIND_LABELS = {
    "file": N_("Hela filen"),
    "thumbnail": N_("Miniatyrbild"),
    "fullmakt": N_("Hela filen"),
    "change_file": N_("Hela filen"),
}


def _link(case_id: int | None, page_number: int) -> str:
    params = {"arende": str(case_id)} if case_id else {}
    return f"{PATH}?{urlencode({**params, 'sida': str(page_number)})}"


class AccessLogPages(Controller):
    opt = KOMMUN
    include_in_schema = False

    @get(PATH)
    async def access_log(self, request: Request[Actor, Any, Any]) -> Template:
        raw_case = request.query_params.get("arende", "").strip()
        case_id = ascii_int(raw_case) or None
        result = await access_log.list_for(
            request.user, application_id=case_id, page=ascii_int(request.query_params.get("sida", "")) or 1
        )
        return await page(
            request,
            "kommun/access_log.html",
            result=result,
            case_id=case_id,
            case_value=raw_case[:12],
            kind_labels={kind: _(label) for kind, label in KIND_LABELS.items()},
            previous_link=_link(case_id, result.page - 1) if result.page > 1 else None,
            next_link=_link(case_id, result.page + 1) if result.page < result.pages else None,
        )
