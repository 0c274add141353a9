"""Reported material changes on the pages: the owner's form on the shop page, and the kommun's
page for one change with its two decisions (the same service as the JSON API)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from certify.domain.errors import Conflict, InvalidField, RuleNotMet
from certify.domain.material_changes import KIND_LABELS, ChangeKind, Decision
from certify.services import evidence, material_changes
from certify.services.actor import Actor
from certify.text.catalogue import N_, gettext
from certify.web.api.evidence import limits_of, read_upload
from certify.web.guards import KOMMUN, OWNER
from certify.web.pages import forms
from certify.web.pages.owner import shop_page
from certify.web.pages.render import notice_for, page, see_other

CHOOSE_KIND = N_("Välj vad som har ändrats.")
DESCRIBE = N_("Beskriv förändringen.")
NOTICES = {
    "noterad": N_("Förändringen är noterad i intygets historik. Intyget gäller som tidigare."),
    "ombesiktning": N_(
        "Ombesiktningen är öppnad som ett nytt ärende. Tilldela en besiktningsperson som vanligt."
    ),
}


class MaterialChangeOwnerPages(Controller):
    opt = OWNER
    include_in_schema = False

    @post("/butiker/{business_id:int}/forandring")
    async def report(
        self, request: Request[Actor, Any, Any], business_id: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        values = {"typ": forms.text(form, "typ", 20), "beskrivning": forms.text(form, "beskrivning")}
        upload = form.get("fil")
        file = upload if isinstance(upload, UploadFile) and upload.filename else None
        errors: dict[str, str] = {}
        if values["typ"] not in ChangeKind.__members__:
            errors["typ"] = gettext(CHOOSE_KIND)
        if not values["beskrivning"]:
            errors["beskrivning"] = gettext(DESCRIBE)
        limits = limits_of(request)
        data = b""
        if file is not None:
            try:  # the file is checked before anything is reported: all or nothing
                data = await read_upload(file, limits)
                await evidence.checked_upload(data, file.filename, limits, field="fil")
            except (RuleNotMet, InvalidField) as exc:
                errors["fil"] = exc.message
        if not errors:
            try:
                change = await material_changes.report(
                    request.user, business_id, values["typ"], values["beskrivning"]
                )
                if file is not None:
                    await material_changes.add_file(request.user, change.id, file.filename, data, limits)
            except InvalidField as exc:
                errors["beskrivning"] = exc.message
            except RuleNotMet as exc:
                errors["typ"] = exc.message
            else:
                return see_other(f"/butiker/{business_id}?klart=forandring")
        return await shop_page(request, business_id, errors=errors, change_values=values)


class MaterialChangeKommunPages(Controller):
    opt = KOMMUN
    include_in_schema = False

    async def _page(
        self,
        request: Request[Actor, Any, Any],
        change_id: int,
        *,
        notice: str | None = None,
        refused: str = "",
    ) -> Template:
        change = await material_changes.get(request.user, change_id)
        return await page(
            request,
            "kommun/material_change.html",
            status_code=409 if refused else 200,
            change=change,
            kind_labels=KIND_LABELS,
            notice=notice,
            refused=refused,
        )

    @get("/kommun/forandringar/{material_change_id:int}")
    async def show(
        self,
        request: Request[Actor, Any, Any],
        material_change_id: FromPath[int],
        klart: FromQuery[str | None] = None,
    ) -> Template:
        return await self._page(request, material_change_id, notice=notice_for(NOTICES, klart))

    @post("/kommun/forandringar/{material_change_id:int}/beslut")
    async def decide(
        self, request: Request[Actor, Any, Any], material_change_id: FromPath[int]
    ) -> Template | Redirect:
        chosen = forms.text(await request.form(), "beslut", 20)
        if chosen not in Decision.__members__:
            raise InvalidField("beslut", "invalid_field", field="beslut")
        decision = Decision(chosen)
        try:
            change = await material_changes.decide(request.user, material_change_id, decision)
        except (Conflict, RuleNotMet) as exc:
            return await self._page(request, material_change_id, refused=exc.message)
        if change.reinspection_id is not None:
            return see_other(f"/kommun/arenden/{change.reinspection_id}?klart=ombesiktning")
        return see_other(f"/kommun/forandringar/{material_change_id}?klart=noterad")
