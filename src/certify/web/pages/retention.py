"""The kommun's retention plan (/kommun/gallring): one line per kind of document, kept or destroyed
after some years by the kommun's decision, and the log of what the plan destroyed. The same service as
GET/PUT /api/kommun/retention/plan."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from certify.domain.errors import InvalidField
from certify.domain.numerals import ascii_int
from certify.domain.retention import KINDS, Disposal, LineInput
from certify.services import retention
from certify.services.actor import Actor
from certify.text.catalogue import N_
from certify.text.retention import disposal_choices, kind_label, purge_means
from certify.web.guards import KOMMUN
from certify.web.pages import forms
from certify.web.pages.render import notice_for, page, see_other

PATH = "/kommun/gallring"
NOTICES = {"sparad": N_("Gallringsplanen är sparad. Den tillämpas vid nästa dagliga körning.")}
FORM_FIELD = {"action": "atgard", "years": "ar", "decision": "beslut"}


def _form_field(field: str) -> str:
    """The form's name for a field the domain named (`lines.<kind>.<field>`; `lines` the whole plan)."""
    parts = field.split(".")
    if len(parts) == 3:
        return f"{parts[1]}-{FORM_FIELD[parts[2]]}"
    return "_plan"


async def _plan_page(
    request: Request[Actor, Any, Any],
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
) -> Template:
    plan = await retention.own_plan(request.user)
    if values is None:
        values = {}
        for line in plan.lines:
            values[f"{line.kind}-atgard"] = line.disposal.value
            values[f"{line.kind}-ar"] = str(line.years or "")
            values[f"{line.kind}-beslut"] = line.decision
    return await page(
        request,
        "kommun/retention.html",
        status_code=400 if errors else 200,
        plan=plan,
        kinds=[(kind.value, kind_label(kind), purge_means(kind)) for kind in KINDS],
        choices=disposal_choices(),
        values=values,
        errors=errors or {},
        purges=await retention.purge_log(request.user),
        kind_label=kind_label,
        notice=notice,
    )


class RetentionPages(Controller):
    opt = KOMMUN
    include_in_schema = False

    @get(PATH)
    async def plan(self, request: Request[Actor, Any, Any]) -> Template:
        return await _plan_page(request, notice=notice_for(NOTICES, request.query_params.get("klart")))

    @post(PATH)
    async def save(self, request: Request[Actor, Any, Any]) -> Template | Redirect:
        form = await request.form()
        values: dict[str, str] = {}
        lines = []
        for kind in KINDS:
            action = values[f"{kind}-atgard"] = forms.text(form, f"{kind}-atgard", 16)
            years = values[f"{kind}-ar"] = forms.text(form, f"{kind}-ar", 8)
            decision = values[f"{kind}-beslut"] = forms.text(form, f"{kind}-beslut", 400)
            lines.append(
                LineInput(
                    kind=kind.value,
                    disposal=action,
                    years=ascii_int(years, max_digits=3) if action == Disposal.purge else None,
                    decision=decision,
                )
            )
        try:
            await retention.save_plan(request.user, lines)
        except InvalidField as exc:
            return await _plan_page(request, values=values, errors={_form_field(exc.field): exc.message})
        return see_other(f"{PATH}?klart=sparad")
