"""The kommun's own points (/kommun/checklista): the draft (add, edit, retire), publishing it as
the kommun's next checklist version from a date, the versions already published, and the points
for which the kommun switches "not applicable" off."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from certify.domain.checklist import CriterionKind, LocalCriterion
from certify.domain.errors import Conflict, DomainError, InvalidField, RuleNotMet
from certify.services import checklist, local_points, not_applicable
from certify.services.actor import Actor
from certify.services.clock import today
from certify.text.catalogue import N_, gettext
from certify.web.guards import KOMMUN
from certify.web.pages import forms
from certify.web.pages.case_screen import parse_date
from certify.web.pages.render import notice_for, page, see_other

PATH = "/kommun/checklista"
NEW = "ny"  # the add form's key in `values` and `errors`
ROWS = 2  # blank criterion rows under a point's criteria
MAX_ROWS = 20
NOTICES = {
    "tillagd": N_("Den lokala punkten är tillagd i utkastet."),
    "sparad": N_("Den lokala punkten är sparad i utkastet."),
    "borttagen": N_("Punkten är borttagen ur utkastet. Publicerade versioner behåller den."),
    "publicerad": N_("Checklistan är publicerad. Nya ärenden från det datumet får de lokala punkterna."),
    "ej-tillamplig": N_(
        "Inställningen för ”ej tillämplig” är sparad. Den gäller genast i kommunens ärenden."
    ),
}
MALFORMED_DATE = N_("Skriv dagen som ett datum, till exempel 2026-12-01.")


def _posted(form: Mapping[str, Any]) -> dict[str, Any]:
    """A point's form as typed: title, guidance and the criterion rows (kind, text)."""
    rows = []
    for index in range(1, MAX_ROWS + 1):
        kind = forms.text(form, f"typ-{index}", 20)
        text = forms.text(form, f"kriterium-{index}", 2000)
        if text:
            rows.append({"kind": kind if kind in CriterionKind.__members__ else "required", "text": text})
    return {
        "title": forms.text(form, "titel", 200),
        "guidance": forms.text(form, "vagledning", 2000),
        "criteria": rows,
    }


def _criteria(values: Mapping[str, Any]) -> list[LocalCriterion]:
    return [LocalCriterion(kind=CriterionKind(c["kind"]), text=c["text"]) for c in values["criteria"]]


async def _page(
    request: Request[Actor, Any, Any],
    *,
    notice: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, dict[str, Any]] | None = None,
) -> Template:
    drafted = await local_points.draft(request.user)
    spec = checklist.in_reader_language(await checklist.current())
    shown = {
        str(p.id): {
            "title": p.title,
            "guidance": p.guidance,
            "criteria": [{"kind": c.kind, "text": c.text} for c in p.criteria],
        }
        for p in drafted
    }
    shown[NEW] = {"title": "", "guidance": "", "criteria": []}
    shown.update(values or {})
    return await page(
        request,
        "kommun/local_points.html",
        status_code=400 if errors else 200,
        points=[p for p in drafted if not p.retired],
        retired=[p for p in drafted if p.retired],
        versions=await local_points.published(request.user),
        shown=shown,
        rows=ROWS,
        kinds=[k.value for k in CriterionKind],
        errors=errors or {},
        notice=notice,
        first_day=today().isoformat(),
        cash_points=[p for p in spec.points if p.cash_related],
        switched_off=await not_applicable.settings(request.user),
    )


class LocalPointPages(Controller):
    opt = KOMMUN
    include_in_schema = False

    @get(PATH)
    async def overview(self, request: Request[Actor, Any, Any]) -> Template:
        return await _page(request, notice=notice_for(NOTICES, request.query_params.get("klart")))

    @post(f"{PATH}/punkter")
    async def add(self, request: Request[Actor, Any, Any]) -> Template | Redirect:
        values = _posted(await request.form())
        try:
            await local_points.add(request.user, values["title"], _criteria(values), values["guidance"])
        except InvalidField as exc:
            return await _page(request, errors={f"{NEW}-{_field(exc)}": exc.message}, values={NEW: values})
        return see_other(f"{PATH}?klart=tillagd")

    @post(f"{PATH}/punkter/{{point_id:int}}")
    async def edit(self, request: Request[Actor, Any, Any], point_id: FromPath[int]) -> Template | Redirect:
        values = _posted(await request.form())
        try:
            await local_points.edit(
                request.user, point_id, values["title"], _criteria(values), values["guidance"]
            )
        except (InvalidField, Conflict) as exc:
            return await _page(
                request, errors={f"{point_id}-{_field(exc)}": exc.message}, values={str(point_id): values}
            )
        return see_other(f"{PATH}?klart=sparad")

    @post(f"{PATH}/punkter/{{point_id:int}}/ta-bort")
    async def retire(self, request: Request[Actor, Any, Any], point_id: FromPath[int]) -> Redirect:
        await local_points.retire(request.user, point_id)
        return see_other(f"{PATH}?klart=borttagen")

    @post(f"{PATH}/publicera")
    async def publish(self, request: Request[Actor, Any, Any]) -> Template | Redirect:
        raw = forms.text(await request.form(), "fran", 20)
        day = parse_date(raw) if raw else None
        if day is None:
            return await _page(request, errors={"fran": gettext(MALFORMED_DATE)})
        try:
            await local_points.publish(request.user, day)
        except (RuleNotMet, Conflict) as exc:
            return await _page(request, errors={"fran": exc.message})
        return see_other(f"{PATH}?klart=publicerad")

    @post(f"{PATH}/ej-tillamplig")
    async def switch_not_applicable_off(self, request: Request[Actor, Any, Any]) -> Redirect:
        form = await request.form()
        chosen = forms.point_numbers(form, "avstangd")
        shown = {p.number for p in (await checklist.current()).points if p.cash_related}
        kept = [p for p in await not_applicable.settings(request.user) if p not in shown]  # set by the API
        try:
            await not_applicable.switch_off(request.user, [*chosen, *kept])
        except InvalidField:
            return see_other(PATH)  # only a tampered form names a point outside the checklist
        return see_other(f"{PATH}?klart=ej-tillamplig")


def _field(error: DomainError) -> str:
    """The form field an error concerns: the title, else the criteria (the first criterion's text)."""
    return "titel" if error.extra.get("field") == "title" else "kriterium-1"
