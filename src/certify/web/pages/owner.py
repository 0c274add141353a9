"""The business owner's pages: my shops, register a shop, the shop and its case (the
self-assessment is web/pages/assessment.py).

Every rule is the services' (and through them the domain's); these handlers only read forms, call
the same services as the JSON API, and show the answer.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from certify.domain.actions import ACTIONS
from certify.domain.errors import InvalidField
from certify.domain.links import case_path
from certify.domain.material_changes import KIND_LABELS
from certify.domain.messages import CHANGE_FIELD_LABELS
from certify.domain.status import OPEN_STATES, Role
from certify.services import businesses, case_screen, cases, material_changes, representation
from certify.services.actor import Actor
from certify.services.businesses import BusinessInput
from certify.services.clock import today
from certify.text.catalogue import N_, gettext
from certify.web.guards import OWNER
from certify.web.pages import forms
from certify.web.pages.case_screen import Refused, act
from certify.web.pages.render import notice_for, page, see_other
from certify.web.pages.shop_details import REGISTER_FIELDS, read_shop_form
from certify.web.pages.timeline import timeline

NOTICES = {
    "konto": N_("Ditt konto är skapat. Börja med att registrera din butik."),
    "registrerad": N_("Butiken är registrerad. Nästa steg är egenkontrollen."),
    "inskickad": ACTIONS["submit"].done,
    "tillbakadragen": ACTIONS["withdraw"].done,
    "atgardat": ACTIONS["report_corrections"].done,
    "uppgifter": N_("Butikens uppgifter är sparade."),
    "lamnat": N_("Du företräder inte längre företaget. Dess butiker och ärenden syns inte längre här."),
    "forandring": N_(
        "Förändringen är anmäld till kommunen. Du får besked med e-post när kommunen har tagit ställning."
    ),
    "anmald": N_(
        "Ändringen av namn eller adress är anmäld till kommunen. Den syns i registret och på "
        "kontrollsidan när kommunen har godkänt den."
    ),
}
NO_COMMENT = N_("Beskriv kort vad ni har gjort åt bristerna.")


async def _latest_case_id(actor: Actor, business_id: int) -> int | None:
    listed = [c.id for c in await cases.list_visible(actor) if c.business_id == business_id]
    return max(listed, default=None)


async def shop_page(
    request: Request[Actor, Any, Any],
    business_id: int,
    *,
    notice: str | None = None,
    errors: dict[str, str] | None = None,
    change_values: dict[str, str] | None = None,
) -> Template:
    """The shop and its latest case; after a refused form, with its errors (and what the material
    change form held)."""
    actor = request.user
    shop = await businesses.get(actor, business_id)
    latest = await _latest_case_id(actor, business_id)
    screen = await case_screen.load(actor, latest) if latest is not None else None
    case = screen.case if screen else None
    renewal_opens = None
    if case and case.certificate and case.certificate.status == "valid":
        renewal_opens = case.certificate.valid_until - cases.RENEWAL_WINDOW
    return await page(
        request,
        "owner/shop.html",
        shop=shop,
        case=case,
        screen=screen,
        step=screen.next_step() if screen else None,
        timeline=timeline(screen.events) if screen else [],
        can_open=case is None or case.state not in OPEN_STATES,
        renewal_opens=renewal_opens,
        renewal_open_now=renewal_opens is not None and renewal_opens <= today(),
        change_labels=CHANGE_FIELD_LABELS,
        me=await representation.mine(actor, business_id),
        material_changes=await material_changes.list_for_business(actor, business_id),
        may_report_change=bool(case and case.certificate and case.certificate.status == "valid"),
        kind_labels=KIND_LABELS,
        change_values=change_values or {},
        notice=notice,
        errors=errors or {},
        status_code=400 if errors else 200,
    )


class OwnerPages(Controller):
    opt = OWNER
    include_in_schema = False

    @get("/mina-butiker")
    async def my_shops(
        self, request: Request[Actor, Any, Any], klart: FromQuery[str | None] = None
    ) -> Template:
        shops = await businesses.list_visible(request.user)
        return await page(request, "owner/shops.html", shops=shops, notice=notice_for(NOTICES, klart))

    # --- registering a shop -------------------------------------------------------------------

    @get("/butiker/ny")
    async def new_shop_form(self, request: Request[Actor, Any, Any]) -> Template:
        return await page(request, "owner/shop_form.html", values={}, errors={})

    @post("/butiker/ny")
    async def register_shop(self, request: Request[Actor, Any, Any]) -> Template | Redirect:
        values, errors = read_shop_form(await request.form(), REGISTER_FIELDS)
        if not errors:
            try:
                shop = await businesses.create(request.user, BusinessInput(**values))
            except InvalidField as exc:
                errors[exc.field] = forms.field_message(exc)
            else:
                return see_other(f"/butiker/{shop.id}?klart=registrerad")
        return await page(request, "owner/shop_form.html", status_code=400, values=values, errors=errors)

    # --- the shop and its case ----------------------------------------------------------------

    @get("/butiker/{business_id:int}")
    async def shop(
        self,
        request: Request[Actor, Any, Any],
        business_id: FromPath[int],
        klart: FromQuery[str | None] = None,
    ) -> Template:
        return await shop_page(request, business_id, notice=notice_for(NOTICES, klart))

    @post("/butiker/{business_id:int}/ansokan")
    async def open_case(self, request: Request[Actor, Any, Any], business_id: FromPath[int]) -> Redirect:
        case = await cases.open_case(request.user, business_id)
        return see_other(f"/arenden/{case.id}/egenkontroll")

    # --- workflow actions ---------------------------------------------------------------------

    @get("/arenden/{application_id:int}/skicka-in")
    async def submit_summary(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int]
    ) -> Template:
        return await self._submit_page(request, application_id)

    async def _submit_page(
        self, request: Request[Actor, Any, Any], application_id: int, refused: str = ""
    ) -> Template:
        case = await cases.view(request.user, application_id)
        problems = await cases.submit_problems(request.user, application_id)
        return await page(
            request,
            "owner/submit.html",
            status_code=422 if refused else 200,
            case=case,
            problems=problems,
            refused=refused,
            errors={},
        )

    @post("/arenden/{application_id:int}/skicka-in")
    async def submit(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int]
    ) -> Template | Redirect:
        case = await act(request, application_id, "submit")
        if isinstance(case, Refused):
            return await self._submit_page(request, application_id, refused=case.message)
        return see_other(case_path(Role.owner, case.id, case.business_id) + "?klart=inskickad")

    @get("/arenden/{application_id:int}/dra-tillbaka")
    async def withdraw_confirm(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int]
    ) -> Template:
        case = await cases.view(request.user, application_id)
        return await page(request, "owner/withdraw.html", case=case)

    @post("/arenden/{application_id:int}/dra-tillbaka")
    async def withdraw(self, request: Request[Actor, Any, Any], application_id: FromPath[int]) -> Redirect:
        case = await act(request, application_id, "withdraw")
        if isinstance(case, Refused):
            raise case.error
        return see_other(case_path(Role.owner, case.id, case.business_id) + "?klart=tillbakadragen")

    @post("/arenden/{application_id:int}/atgardat")
    async def report_corrections(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        comment = forms.text(form, "kommentar")
        if not comment:
            shown = await cases.view(request.user, application_id)
            errors = {"kommentar": gettext(NO_COMMENT)}
            return await shop_page(request, shown.business_id, errors=errors)
        case = await act(request, application_id, "report_corrections", comment=comment)
        if isinstance(case, Refused):
            raise case.error
        return see_other(case_path(Role.owner, case.id, case.business_id) + "?klart=atgardat")
