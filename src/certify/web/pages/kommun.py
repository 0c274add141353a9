"""The kommun's pages: the case list, the whole case with its actions, and user administration.

The list's filtering, sorting and paging is services/case_search.py (in SQL); the actions go through
the same workflow service as the JSON API.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from certify.domain.actions import ACTIONS
from certify.domain.archive import is_closed
from certify.domain.errors import Conflict, InvalidField, NotFound, RuleNotMet
from certify.domain.links import case_path, material_change_path
from certify.domain.material_changes import KIND_LABELS
from certify.domain.messages import CHANGE_FIELD_LABELS
from certify.domain.numerals import ascii_int
from certify.domain.secrecy import Assessment
from certify.domain.status import CaseState, Role
from certify.services import (
    archive,
    business_changes,
    case_screen,
    case_search,
    chain_cases,
    diarium,
    disclosures,
    fullmakter,
    material_changes,
    password_reset,
    retention,
    user_admin,
)
from certify.services.accounts import list_users
from certify.services.actor import Actor
from certify.services.case_search import SORT_COLUMNS, CaseQuery
from certify.services.chain_cases import OPEN_STATES
from certify.services.representation_check import CHECK
from certify.text.catalogue import N_, _
from certify.text.errors import text_for
from certify.text.register import assessment_label
from certify.text.retention import kind_label
from certify.web import downloads
from certify.web.guards import KOMMUN
from certify.web.pages import forms
from certify.web.pages.case_screen import (
    Refused,
    act,
    answer_label,
    parse_visit,
    verdict_label,
    visit_value,
)
from certify.web.pages.render import page, see_other
from certify.web.pages.timeline import timeline

SORT_LABELS = {
    "andrad": N_("Senast ändrad"),
    "butik": N_("Butikens namn"),
    "status": N_("Status"),
    "besok": N_("Besökstid"),
    "deadline": N_("Sista dag för åtgärder"),
    "omgang": N_("Omgång"),
}
NOTICES = {
    "tilldelad": ACTIONS["assign"].done,
    "behorighet-kontrollerad": N_("Företrädarens behörighet är markerad som kontrollerad."),
    "fullmakt-begard": N_(
        "Fullmakten är begärd och företrädaren har fått ett e-postmeddelande. Besiktningen kan bokas "
        "när fullmakten är uppladdad."
    ),
    "avslagen": ACTIONS["reject"].done,
    "aterkallad": ACTIONS["revoke"].done,
    "diarieford": N_("Diarienumret är sparat."),
    "utlamnande": N_("Beslutet om utlämnande är registrerat i diariet."),
    "ombesiktning": N_(
        "Ombesiktningen är öppnad som ett nytt ärende. Tilldela en besiktningsperson som vanligt."
    ),
    "andring-godkand": N_("Ändringen är godkänd. Registret och kontrollsidan visar de nya uppgifterna."),
    "andring-avslagen": N_("Ändringen är avslagen. Butiken behåller uppgifterna från besiktningen."),
    "inaktiverad": N_("Användaren är inaktiverad. Alla inloggningar är avslutade."),
    "aktiverad": N_("Användaren är aktiverad igen."),
    "lank-skickad": N_("Länken för nytt lösenord är skickad till butiksägaren. Den gäller i en timme."),
    "kopplad": N_("Besiktningspersonen arbetar nu även för er kommun och har fått ett e-postmeddelande."),
    "borttagen": N_(
        "Besiktningspersonen arbetar inte längre för er kommun. Hens öppna ärenden här väntar på "
        "en ny besiktningsperson."
    ),
}

# The assign form's fields in words, each error linked to its field (ids f-inspektor, f-besok).
CHOOSE_INSPECTOR = N_("Välj en besiktningsperson.")
CHOOSE_VISIT = N_("Välj dag och tid för besöket.")
MALFORMED_VISIT = N_("Skriv dag och tid för besöket som datum och klockslag, till exempel 2026-12-15 10:00.")
MISSING_REASON = {
    "reject": N_("Skriv skälet till att ansökan avslås."),
    "revoke": N_("Skriv skälet till att intyget återkallas."),
}


def _notice(klart: str | None) -> str | None:
    """The confirmation after a POST-redirect-GET, in the reader's language."""
    return _(NOTICES[klart]) if klart in NOTICES else None


def _flag(params: Mapping[str, str], name: str) -> bool:
    return params.get(name) == "1"


def case_query(params: Mapping[str, str]) -> CaseQuery:
    """The list's address (?status=…&omrade=…) as a query; anything unknown is ignored."""
    state = params.get("status", "")
    inspector = params.get("inspektor", "")
    round_ = params.get("omgang", "")
    page_number = params.get("sida", "")
    sort = params.get("sortera", "andrad")
    return CaseQuery(
        state=CaseState(state) if state in CaseState.__members__ else None,
        area=params.get("omrade", "")[:100],
        inspector_id=ascii_int(inspector),
        unassigned=inspector == "ingen",
        round=ascii_int(round_),
        overdue_corrections=_flag(params, "forsenade"),
        expiring_soon=_flag(params, "loper-ut"),
        diarienummer=" ".join(params.get("diarienummer", "").split())[:50],
        sort=sort if sort in SORT_COLUMNS else "andrad",
        descending=params.get("ordning", "fallande") != "stigande",
        page=ascii_int(page_number) or 1,
    )


DISCLOSURE_FIELDS: Mapping[str, str] = {
    "document_id": "handling",
    "requester": "begard-av",
    "assessment": "bedomning",
    "decision": "beslut",
}
"""The utlämnande form's fields by the service's names for them."""


def page_link(params: Mapping[str, str], number: int) -> str:
    return "/kommun/arenden?" + urlencode({**{k: v for k, v in params.items() if v}, "sida": str(number)})


async def _inspectors(actor: Actor) -> list[Any]:
    return [u for u in await list_users(actor, Role.inspector) if u.active]


async def _case_page(
    request: Request[Actor, Any, Any],
    application_id: int,
    *,
    notice: str | None = None,
    errors: dict[str, str] | None = None,
    refused: str = "",
    refused_status: int = 422,
    assign_values: dict[str, str] | None = None,
    typed_number: str = "",
    disclosure_values: dict[str, str] | None = None,
) -> Template:
    """The case; after a refused assign form, with what was chosen in it and its errors."""
    actor = request.user
    screen = await case_screen.load(actor, application_id)
    booking_problem = await CHECK.booking_problem(screen.case.business_id)
    return await page(
        request,
        "kommun/case.html",
        status_code=refused_status if refused else 400 if errors else 200,
        booking_blocked=text_for(booking_problem) if booking_problem else "",
        screen=screen,
        case=screen.case,
        shop=screen.shop,
        points=screen.points,
        timeline=timeline(screen.events),
        inspectors=await _inspectors(actor),
        assign_values=assign_values
        or {
            "inspektor": str(screen.case.inspector_id or ""),
            "besok": visit_value(screen.case.visit_at),
        },
        notice=notice,
        errors=errors or {},
        refused=refused,
        verdict_label=verdict_label,
        answer_label=answer_label,
        change_labels=CHANGE_FIELD_LABELS,
        types_diarienummer=await diarium.types_numbers(actor),
        typed_number=typed_number,
        disclosable=await disclosures.marked_documents(actor, application_id),
        assessments=[(a.value, assessment_label(a.value)) for a in Assessment],
        disclosure_values=disclosure_values or {},
        kept_fullmakter=await fullmakter.list_for(actor, screen.shop.id),
        material_changes=await material_changes.list_for_business(actor, screen.shop.id),
        reinspected=await material_changes.of_reinspection(actor, application_id),
        kind_labels=KIND_LABELS,
        change_link=material_change_path,
        archivable=is_closed(screen.case.state) and bool(screen.case.diarienummer),
        purged=[kind_label(kind) for kind in await retention.purged_kinds(application_id)],
    )


class KommunPages(Controller):
    opt = KOMMUN
    include_in_schema = False

    @get("/kommun/arenden")
    async def case_list(self, request: Request[Actor, Any, Any]) -> Template:
        params = {k: str(v) for k, v in request.query_params.items()}
        query = case_query(params)
        result = await case_search.search(request.user, query)
        return await page(
            request,
            "kommun/cases.html",
            retention_in_force=(await retention.own_plan(request.user)).in_force,
            result=result,
            params=params,
            query=query,
            areas=await case_search.areas(request.user),
            inspectors=await list_users(request.user, Role.inspector),
            sort_labels={key: _(label) for key, label in SORT_LABELS.items()},
            expiry_days=case_search.EXPIRY_HORIZON.days,
            previous_link=page_link(params, result.page - 1) if result.page > 1 else None,
            next_link=page_link(params, result.page + 1) if result.page < result.pages else None,
            waiting_changes=await material_changes.waiting(request.user),
            kind_labels=KIND_LABELS,
            chain_cases=[
                c for c in await chain_cases.list_for_kommun(request.user) if c.state in OPEN_STATES
            ],
        )

    @get("/kommun/arenden/{application_id:int}")
    async def case(
        self,
        request: Request[Actor, Any, Any],
        application_id: FromPath[int],
        klart: FromQuery[str | None] = None,
    ) -> Template:
        return await _case_page(request, application_id, notice=_notice(klart))

    async def _act(
        self, request: Request[Actor, Any, Any], application_id: int, action: str, done: str, **fields: Any
    ) -> Template | Redirect:
        result = await act(request, application_id, action, **fields)
        if isinstance(result, Refused):
            status = 409 if isinstance(result.error, Conflict) else 422
            return await _case_page(request, application_id, refused=result.message, refused_status=status)
        return see_other(case_path(Role.kommun, result.id, result.business_id) + f"?klart={done}")

    @post("/kommun/arenden/{application_id:int}/tilldela")
    async def assign(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        inspector = forms.text(form, "inspektor", 12)
        visit = forms.text(form, "besok", 20)
        visit_at = parse_visit(visit)
        inspector_id = ascii_int(inspector)
        errors: dict[str, str] = {}
        if inspector_id is None:
            errors["inspektor"] = _(CHOOSE_INSPECTOR)
        if visit_at is None:
            errors["besok"] = _(MALFORMED_VISIT if visit else CHOOSE_VISIT)
        if errors:
            return await _case_page(
                request,
                application_id,
                errors=errors,
                assign_values={"inspektor": inspector, "besok": visit},
            )
        return await self._act(
            request, application_id, "assign", "tilldelad", inspector_id=inspector_id, visit_at=visit_at
        )

    @post("/kommun/arenden/{application_id:int}/avsla")
    async def reject(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int]
    ) -> Template | Redirect:
        return await self._with_reason(request, application_id, "reject", "avslagen", "skal-avsla")

    @post("/kommun/arenden/{application_id:int}/aterkalla")
    async def revoke(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int]
    ) -> Template | Redirect:
        return await self._with_reason(request, application_id, "revoke", "aterkallad", "skal-aterkalla")

    async def _with_reason(
        self, request: Request[Actor, Any, Any], application_id: int, action: str, done: str, field: str
    ) -> Template | Redirect:
        """Reject or revoke: the reason is a field of its own form, named by its id when empty."""
        reason = forms.text(await request.form(), "skal")
        if not reason:
            return await _case_page(request, application_id, errors={field: _(MISSING_REASON[action])})
        return await self._act(request, application_id, action, done, reason=reason)

    @post("/kommun/arenden/{application_id:int}/diarienummer")
    async def register_diarienummer(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int]
    ) -> Template | Redirect:
        """A kommun that numbers its cases in its own case system types the number in."""
        typed = forms.text(await request.form(), "diarienummer", 200)
        try:
            await diarium.register_typed(request.user, application_id, typed)
        except InvalidField as exc:
            return await _case_page(
                request, application_id, errors={"diarienummer": exc.message}, typed_number=typed
            )
        except Conflict as exc:
            return await _case_page(request, application_id, refused=exc.message, typed_number=typed)
        return see_other(f"/kommun/arenden/{application_id}?klart=diarieford")

    @post("/kommun/arenden/{application_id:int}/arkivpaket", status_code=200)
    async def archive_package(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int]
    ) -> Template | Response[bytes]:
        """The closed case's E-ARK SIP as a download, its delivery registered (services/archive.py)."""
        try:
            package = await archive.export(request.user, application_id)
        except Conflict as exc:
            return await _case_page(request, application_id, refused=exc.message, refused_status=409)
        return downloads.file_response(package.content, "application/zip", package.file_name)

    @post("/kommun/arenden/{application_id:int}/utlamnande")
    async def disclose(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int]
    ) -> Template | Redirect:
        """Utlämnande: the kommun's decision on handing out a marked document to someone outside."""
        form = await request.form()
        values = {
            "handling": forms.text(form, "handling", 12),
            "begard-av": forms.text(form, "begard-av", 300),
            "bedomning": forms.text(form, "bedomning", 40),
            "beslut": forms.text(form, "beslut", 200),
        }
        try:
            await disclosures.decide(
                request.user,
                application_id,
                document_id=ascii_int(values["handling"]) or 0,
                requester=values["begard-av"],
                assessment=values["bedomning"],
                decision=values["beslut"],
            )
        except InvalidField as exc:
            return await _case_page(
                request,
                application_id,
                errors={DISCLOSURE_FIELDS[exc.field]: exc.message},
                disclosure_values=values,
            )
        return see_other(f"/kommun/arenden/{application_id}?klart=utlamnande")

    async def _decide_change(
        self, request: Request[Actor, Any, Any], application_id: int, change_id: int, *, accept: bool
    ) -> Template | Redirect:
        screen = await case_screen.load(request.user, application_id)
        reason = "" if accept else forms.text(await request.form(), "skal")
        try:
            await business_changes.decide(
                request.user, screen.shop.id, change_id, accept=accept, reason=reason
            )
        except InvalidField:
            return await _case_page(
                request, application_id, errors={"skal_andring": _("Skriv varför ändringen avslås.")}
            )
        except Conflict as exc:
            return await _case_page(request, application_id, refused=exc.message)
        done = "andring-godkand" if accept else "andring-avslagen"
        return see_other(f"/kommun/arenden/{application_id}?klart={done}")

    @post("/kommun/arenden/{application_id:int}/andringar/{change_id:int}/godkann")
    async def accept_change(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int], change_id: FromPath[int]
    ) -> Template | Redirect:
        return await self._decide_change(request, application_id, change_id, accept=True)

    @post("/kommun/arenden/{application_id:int}/andringar/{change_id:int}/avsla")
    async def reject_change(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int], change_id: FromPath[int]
    ) -> Template | Redirect:
        return await self._decide_change(request, application_id, change_id, accept=False)

    # --- the representation check ------------------------------------------------------------

    @post("/kommun/arenden/{application_id:int}/foretradare/{representative_id:int}/kontrollerad")
    async def mark_checked(
        self,
        request: Request[Actor, Any, Any],
        application_id: FromPath[int],
        representative_id: FromPath[int],
    ) -> Template | Redirect:
        return await self._check(request, application_id, representative_id, ask=False)

    @post("/kommun/arenden/{application_id:int}/foretradare/{representative_id:int}/begar-fullmakt")
    async def ask_for_fullmakt(
        self,
        request: Request[Actor, Any, Any],
        application_id: FromPath[int],
        representative_id: FromPath[int],
    ) -> Template | Redirect:
        return await self._check(request, application_id, representative_id, ask=True)

    async def _check(
        self, request: Request[Actor, Any, Any], application_id: int, representative_id: int, *, ask: bool
    ) -> Template | Redirect:
        """Mark one representative's basis checked, or ask him for a fullmakt (the representation
        check, services/representation_check.py)."""
        try:
            if ask:
                await CHECK.ask_for_fullmakt(request.user, application_id, representative_id)
            else:
                await CHECK.mark_checked(request.user, application_id, representative_id)
        except RuleNotMet as exc:
            return await _case_page(request, application_id, refused=exc.message)
        done = "fullmakt-begard" if ask else "behorighet-kontrollerad"
        return see_other(f"/kommun/arenden/{application_id}?klart={done}#foretradare")

    # --- users --------------------------------------------------------------------------------

    async def _users_page(
        self,
        request: Request[Actor, Any, Any],
        *,
        notice: str | None = None,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        created: tuple[str, str] | None = None,
        status_code: int | None = None,
    ) -> Template:
        return await page(
            request,
            "kommun/users.html",
            status_code=status_code or (400 if errors else 200),
            users=await list_users(request.user),
            owners=await user_admin.list_shop_owners(request.user, request.query_params.get("sok", "")),
            search=request.query_params.get("sok", "")[:100],
            notice=notice,
            errors=errors or {},
            values=values or {"role": "inspector"},
            created=created,
        )

    @get("/kommun/anvandare")
    async def users(self, request: Request[Actor, Any, Any], klart: FromQuery[str | None] = None) -> Template:
        return await self._users_page(request, notice=_notice(klart))

    @post("/kommun/anvandare")
    async def create_user(self, request: Request[Actor, Any, Any]) -> Template:
        """The temporary password is shown once on the answer; it is never stored in clear."""
        form = await request.form()
        values = {
            "name": forms.text(form, "name", 200),
            "email": forms.text(form, "email", 254),
            "role": forms.text(form, "role", 20),
        }
        errors: dict[str, str] = {}
        if not values["name"]:
            errors["name"] = _(forms.FIELD_MESSAGES["name"])
        if values["role"] not in (Role.inspector, Role.kommun):
            errors["role"] = _("Välj besiktningsperson eller handläggare.")
        if not errors:
            try:
                user, password = await user_admin.create_user(
                    request.user, name=values["name"], email=values["email"], role=Role(values["role"])
                )
            except InvalidField as exc:
                errors[exc.field if exc.field in values else "email"] = forms.field_message(exc)
            except Conflict as exc:
                errors["email"] = exc.message
            else:
                return await self._users_page(request, created=(user.name, password))
        return await self._users_page(request, errors=errors, values=values)

    @post("/kommun/anvandare/befintlig")
    async def link_inspector(self, request: Request[Actor, Any, Any]) -> Template | Redirect:
        """An inspector who already has an account (another kommun's) starts serving this one."""
        form = await request.form()
        email = forms.text(form, "existing_email", 254)
        try:
            await user_admin.link_inspector(request.user, email, request.app.state.settings.base_url)
        except InvalidField:
            message, status = _(forms.FIELD_MESSAGES["email"]), 400
        except (NotFound, RuleNotMet) as exc:
            message, status = exc.message, 404 if isinstance(exc, NotFound) else 422
        else:
            return see_other("/kommun/anvandare?klart=kopplad")
        return await self._users_page(
            request, errors={"existing_email": message}, values={"existing_email": email}, status_code=status
        )

    @post("/kommun/anvandare/{user_id:int}/ta-bort")
    async def unlink_inspector(self, request: Request[Actor, Any, Any], user_id: FromPath[int]) -> Redirect:
        await user_admin.unlink_inspector(request.user, user_id)
        return see_other("/kommun/anvandare?klart=borttagen")

    @post("/kommun/anvandare/{user_id:int}/inaktivera")
    async def deactivate(self, request: Request[Actor, Any, Any], user_id: FromPath[int]) -> Redirect:
        await user_admin.deactivate(request.user, user_id)
        return see_other("/kommun/anvandare?klart=inaktiverad")

    @post("/kommun/anvandare/{user_id:int}/aktivera")
    async def reactivate(self, request: Request[Actor, Any, Any], user_id: FromPath[int]) -> Redirect:
        await user_admin.reactivate(request.user, user_id)
        return see_other("/kommun/anvandare?klart=aktiverad")

    @post("/kommun/anvandare/{owner_id:int}/skicka-losenordslank")
    async def send_reset_link(self, request: Request[Actor, Any, Any], owner_id: FromPath[int]) -> Redirect:
        """A shop owner who cannot log in gets a link to choose a new password, by e-mail."""
        await password_reset.send_by_kommun(request.user, owner_id)
        return see_other("/kommun/anvandare?klart=lank-skickad#agare")

    @post("/kommun/anvandare/{user_id:int}/nytt-losenord")
    async def reset_password(self, request: Request[Actor, Any, Any], user_id: FromPath[int]) -> Template:
        password = await user_admin.reset_password(request.user, user_id)
        user = next(u for u in await list_users(request.user) if u.id == user_id)
        return await self._users_page(request, created=(user.name, password))
