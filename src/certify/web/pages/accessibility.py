"""The accessibility statement (/tillganglighet, linked from every page's footer) and the kommun's
page for editing its own (/kommun/tillganglighet).

A visitor sees the statement of the kommun he works for, or of the one kommun the installation
serves; with several kommuner and no kommun of his own, he chooses from a list
(/tillganglighet/{code} is each kommun's statement)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from certify.domain.accessibility import DIGG_COMPLAINTS_URL, STANDARD
from certify.domain.errors import InvalidField
from certify.services import accessibility
from certify.services.accessibility import Statement
from certify.services.actor import Actor
from certify.text.accessibility import compliance_choices, compliance_text, known_shortcomings
from certify.text.catalogue import N_
from certify.web.guards import KOMMUN, PUBLIC
from certify.web.pages import forms
from certify.web.pages.case_screen import parse_date
from certify.web.pages.render import current_actor, notice_for, page, see_other

PATH = "/tillganglighet"
EDIT_PATH = "/kommun/tillganglighet"
NOTICES = {"sparad": N_("Tillgänglighetsredogörelsen är sparad och publicerad.")}


async def _statement_page(request: Request[Any, Any, Any], statement: Statement) -> Template:
    return await page(
        request,
        "accessibility.html",
        statement=statement,
        compliance=compliance_text(statement.compliance),
        known_shortcomings=known_shortcomings(),
        standard=STANDARD,
        digg_url=DIGG_COMPLAINTS_URL,
    )


class StatementPages(Controller):
    include_in_schema = False

    @get(PATH, opt=PUBLIC)
    async def statement(self, request: Request[Any, Any, Any]) -> Template:
        found = await accessibility.for_visitor(await current_actor(request))
        if isinstance(found, Statement):
            return await _statement_page(request, found)
        return await page(request, "accessibility_choose.html", kommuner=found)

    @get(f"{PATH}/{{code:str}}", opt=PUBLIC)
    async def kommun_statement(self, request: Request[Any, Any, Any], code: FromPath[str]) -> Template:
        return await _statement_page(request, await accessibility.for_kommun(code[:4]))


async def _edit_page(
    request: Request[Actor, Any, Any],
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
) -> Template:
    own = await accessibility.own(request.user)
    return await page(
        request,
        "kommun/accessibility.html",
        status_code=400 if errors else 200,
        statement=own,
        values=values
        or {
            "efterlevnad": own.compliance.value,
            "brister": own.shortcomings,
            "kontakt": own.contact,
            "granskad": own.reviewed_on.isoformat(),
        },
        errors=errors or {},
        choices=compliance_choices(),
        known_shortcomings=known_shortcomings(),
        notice=notice,
    )


class AccessibilityPages(Controller):
    opt = KOMMUN
    include_in_schema = False

    @get(EDIT_PATH)
    async def edit(self, request: Request[Actor, Any, Any]) -> Template:
        return await _edit_page(request, notice=notice_for(NOTICES, request.query_params.get("klart")))

    @post(EDIT_PATH)
    async def save(self, request: Request[Actor, Any, Any]) -> Template | Redirect:
        form = await request.form()
        values = {
            "efterlevnad": forms.text(form, "efterlevnad", 16),
            "brister": forms.text(form, "brister", 8000),
            "kontakt": forms.text(form, "kontakt", 2000),
            "granskad": forms.text(form, "granskad", 20),
        }
        try:
            await accessibility.save(
                request.user,
                compliance=values["efterlevnad"],
                shortcomings=values["brister"],
                contact=values["kontakt"],
                reviewed_on=parse_date(values["granskad"]),
            )
        except InvalidField as exc:
            return await _edit_page(request, values=values, errors={exc.field: exc.message})
        return see_other(f"{EDIT_PATH}?klart=sparad")
