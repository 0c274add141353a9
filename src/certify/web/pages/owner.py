"""The business owner's pages: my shops, register a shop, the shop and its case, the self-assessment.

Every rule is the services' (and through them the domain's); these handlers only read forms, call
the same services as the JSON API, and show the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from certify.domain.checklist import POINT_COUNT
from certify.domain.errors import Conflict, InvalidField, NotFound, RuleNotMet
from certify.domain.org_number import normalise_org_number
from certify.domain.status import ANSWER_EDITABLE_STATES, OPEN_STATES, AnswerStatus
from certify.services import businesses, case_screen, cases, certificates, checklist, evidence
from certify.services.accounts import normalise_email
from certify.services.actor import Actor
from certify.services.businesses import BusinessInput, normalise_postal_code
from certify.services.case_screen import CaseScreen, ScreenPoint
from certify.services.clock import today
from certify.services.evidence import UploadLimits
from certify.services.views import ApplicationView
from certify.web.api.evidence import limits_of, read_upload
from certify.web.guards import OWNER
from certify.web.pages import forms
from certify.web.pages.case_screen import Refused, act, answer_choices, verdict_label
from certify.web.pages.render import page, see_other
from certify.web.pages.timeline import timeline

NOTICES = {
    "konto": "Ditt konto är skapat. Börja med att registrera din butik.",
    "registrerad": "Butiken är registrerad. Nästa steg är egenkontrollen.",
    "sparat": "Dina svar är sparade.",
    "inskickad": "Ansökan är inskickad. Kommunen bokar en besiktning och hör av sig.",
    "tillbakadragen": "Ansökan är tillbakadragen.",
    "atgardat": "Tack! Besiktningspersonen kontrollerar åtgärderna.",
    "borttagen": "Filen är borttagen.",
}
BUSINESS_FIELDS = (
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


@dataclass(frozen=True, slots=True)
class PointForm:
    """One point of the self-assessment: the shared screen point with what the form shows."""

    point: ScreenPoint
    choices: list[tuple[str, str]]
    status: str
    comment: str


async def _latest_case(actor: Actor, business_id: int) -> ApplicationView | None:
    listed = [c for c in await cases.list_visible(actor) if c.business_id == business_id]
    if not listed:
        return None
    return await cases.view(actor, max(c.id for c in listed))


def _points(screen: CaseScreen, posted: dict[int, tuple[str, str]] | None) -> list[PointForm]:
    saved = {a.point: (a.status, a.comment) for a in screen.case.answers}
    shown = {**saved, **(posted or {})}
    return [
        PointForm(
            point=p,
            choices=answer_choices(p.number, screen.shop.cash_free),
            status=shown.get(p.number, ("", ""))[0],
            comment=shown.get(p.number, ("", ""))[1],
        )
        for p in screen.points
    ]


def _uploads(form: Any, point: int) -> list[UploadFile]:
    """The files chosen for a point (an empty file input still sends a part with no name)."""
    return [f for f in form.getall(f"bevis-{point}", []) if isinstance(f, UploadFile) and f.filename]


async def _shop_page(
    request: Request[Actor, Any, Any],
    business_id: int,
    *,
    notice: str | None = None,
    errors: dict[str, str] | None = None,
) -> Template:
    actor = request.user
    shop = await businesses.get(actor, business_id)
    case = await _latest_case(actor, business_id)
    events = timeline(await cases.list_events(actor, case.id)) if case else []
    current_round = [v for v in case.verdicts if v.round == case.round] if case else []
    titles = {p.number: p.title_sv for p in (await checklist.current()).points}
    renewal_opens = None
    if case and case.certificate and case.certificate.status == "valid":
        renewal_opens = case.certificate.valid_until - cases.RENEWAL_WINDOW
    return await page(
        request,
        "owner/shop.html",
        shop=shop,
        case=case,
        timeline=events,
        failed=[v for v in current_round if v.verdict == "fail"],
        titles=titles,
        can_open=case is None or case.state not in OPEN_STATES,
        renewal_opens=renewal_opens,
        renewal_open_now=renewal_opens is not None and renewal_opens <= today(),
        notice=notice,
        errors=errors or {},
        status_code=400 if errors else 200,
    )


def _pdf_download(name: str, pdf: bytes) -> Response[bytes]:
    return Response(
        content=pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


def _page_position(field: str) -> tuple[int, int]:
    """Where a self-assessment field sits on the page: by point, the answer before the files."""
    kind, _, point = field.partition("-")
    return int(point), 0 if kind == "svar" else 1


class OwnerPages(Controller):
    guards = OWNER
    include_in_schema = False

    @get("/mina-butiker")
    async def my_shops(
        self, request: Request[Actor, Any, Any], klart: FromQuery[str | None] = None
    ) -> Template:
        shops = await businesses.list_visible(request.user)
        return await page(request, "owner/shops.html", shops=shops, notice=NOTICES.get(klart or ""))

    # --- registering a shop -------------------------------------------------------------------

    @get("/butiker/ny")
    async def new_shop_form(self, request: Request[Actor, Any, Any]) -> Template:
        return await page(request, "owner/shop_form.html", values={}, errors={})

    @post("/butiker/ny")
    async def register_shop(self, request: Request[Actor, Any, Any]) -> Template | Redirect:
        form = await request.form()
        values: dict[str, Any] = {name: forms.text(form, name, 254) for name in BUSINESS_FIELDS}
        values["cash_free"] = form.get("cash_free") == "ja"
        errors: dict[str, str] = {}
        for required in ("name", "street_address", "city"):
            if not values[required]:
                errors[required] = forms.FIELD_MESSAGES[required]
        forms.collect(errors, "org_number", lambda: normalise_org_number(values["org_number"]))
        forms.collect(errors, "postal_code", lambda: normalise_postal_code(values["postal_code"]))
        if values["email"]:
            forms.collect(errors, "email", lambda: normalise_email(values["email"]))
        if not errors:
            try:
                shop = await businesses.create(request.user, BusinessInput(**values))
            except InvalidField as exc:
                errors[exc.field] = forms.field_message(exc)
            else:
                return see_other(f"/butiker/{shop.id}?klart=registrerad")
        ordered = {name: errors[name] for name in BUSINESS_FIELDS if name in errors}
        return await page(request, "owner/shop_form.html", status_code=400, values=values, errors=ordered)

    # --- the shop and its case ----------------------------------------------------------------

    @get("/butiker/{business_id:int}")
    async def shop(
        self,
        request: Request[Actor, Any, Any],
        business_id: FromPath[int],
        klart: FromQuery[str | None] = None,
    ) -> Template:
        return await _shop_page(request, business_id, notice=NOTICES.get(klart or ""))

    @post("/butiker/{business_id:int}/ansokan")
    async def open_case(self, request: Request[Actor, Any, Any], business_id: FromPath[int]) -> Redirect:
        case = await cases.open_case(request.user, business_id)
        return see_other(f"/arenden/{case.id}/egenkontroll")

    # --- the self-assessment ------------------------------------------------------------------

    async def _assessment(
        self,
        request: Request[Actor, Any, Any],
        application_id: int,
        *,
        posted: dict[int, tuple[str, str]] | None = None,
        errors: dict[str, str] | None = None,
        notice: str | None = None,
    ) -> Template:
        screen = await case_screen.load(request.user, application_id)
        limits = limits_of(request)
        return await page(
            request,
            "owner/assessment.html",
            status_code=400 if errors else 200,
            case=screen.case,
            shop=screen.shop,
            points=_points(screen, posted),
            answered=len(screen.case.answers),
            total=POINT_COUNT,
            editable=screen.case.state in ANSWER_EDITABLE_STATES,
            errors=errors or {},
            notice=notice,
            max_mb=limits.max_bytes // (1024 * 1024),
            max_files=limits.max_per_case,
            file_count=screen.file_count,
            verdict_label=verdict_label,
        )

    @get("/arenden/{application_id:int}/egenkontroll")
    async def assessment(
        self,
        request: Request[Actor, Any, Any],
        application_id: FromPath[int],
        klart: FromQuery[str | None] = None,
    ) -> Template:
        return await self._assessment(request, application_id, notice=NOTICES.get(klart or ""))

    @post("/arenden/{application_id:int}/egenkontroll")
    async def save_assessment(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int]
    ) -> Template | Redirect:
        """Save every changed answer and every chosen file; what fails is shown, the rest is kept."""
        actor = request.user
        form = await request.form()
        case = await cases.view(actor, application_id)
        saved = {a.point: (a.status, a.comment) for a in case.answers}
        limits = limits_of(request)
        posted: dict[int, tuple[str, str]] = {}
        errors: dict[str, str] = {}
        for point in range(1, POINT_COUNT + 1):
            status, comment = forms.text(form, f"svar-{point}", 40), forms.text(form, f"kommentar-{point}")
            posted[point] = (status, comment)
            if status:
                if (status, comment) != saved.get(point):
                    await self._save_answer(actor, application_id, point, status, comment, errors)
            elif comment and comment != saved.get(point, ("", ""))[1]:
                errors[f"svar-{point}"] = f"Punkt {point}: välj ett svar för att kunna spara kommentaren."
        for point in range(1, POINT_COUNT + 1):
            for upload in _uploads(form, point):
                await self._save_file(actor, application_id, point, upload, limits, errors)
        if errors:
            in_page_order = dict(sorted(errors.items(), key=lambda item: _page_position(item[0])))
            return await self._assessment(request, application_id, posted=posted, errors=in_page_order)
        if form.get("efter") == "skicka-in":
            return see_other(f"/arenden/{application_id}/skicka-in")
        return see_other(f"/arenden/{application_id}/egenkontroll?klart=sparat")

    @staticmethod
    async def _save_answer(
        actor: Actor, application_id: int, point: int, status: str, comment: str, errors: dict[str, str]
    ) -> None:
        try:
            await cases.set_answer(actor, application_id, point, AnswerStatus(status), comment)
        except ValueError:
            errors[f"svar-{point}"] = f"Punkt {point}: välj ett av svaren."
        except (RuleNotMet, Conflict) as exc:
            errors[f"svar-{point}"] = exc.message

    @staticmethod
    async def _save_file(
        actor: Actor,
        application_id: int,
        point: int,
        upload: UploadFile,
        limits: UploadLimits,
        errors: dict[str, str],
    ) -> None:
        try:
            data = await read_upload(upload, limits)
            await evidence.add(actor, application_id, point, upload.filename, data, limits)
        except (RuleNotMet, Conflict) as exc:
            name = evidence.display_name(upload.filename, "application/pdf")
            errors[f"bevis-{point}"] = f"Punkt {point}, filen {name}: {exc.message}"

    @post("/arenden/{application_id:int}/bevis/{evidence_id:int}/ta-bort")
    async def remove_file(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int], evidence_id: FromPath[int]
    ) -> Redirect:
        removed = await evidence.remove(request.user, evidence_id)
        return see_other(
            f"/arenden/{removed.application_id}/egenkontroll?klart=borttagen#punkt-{removed.point}"
        )

    # --- certificate and decal ----------------------------------------------------------------

    @get("/arenden/{application_id:int}/intyg.pdf")
    async def certificate(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int]
    ) -> Response[bytes]:
        return await _issued_document(request.user, application_id, "certificate")

    @get("/arenden/{application_id:int}/dekal.pdf")
    async def decal(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int]
    ) -> Response[bytes]:
        return await _issued_document(request.user, application_id, "decal")

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
        return see_other(f"/butiker/{case.business_id}?klart=inskickad")

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
            raise RuleNotMet(case.message)
        return see_other(f"/butiker/{case.business_id}?klart=tillbakadragen")

    @post("/arenden/{application_id:int}/atgardat")
    async def report_corrections(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        comment = forms.text(form, "kommentar")
        if not comment:
            shown = await cases.view(request.user, application_id)
            errors = {"kommentar": "Beskriv kort vad ni har gjort åt bristerna."}
            return await _shop_page(request, shown.business_id, errors=errors)
        case = await act(request, application_id, "report_corrections", comment=comment)
        if isinstance(case, Refused):
            raise RuleNotMet(case.message)
        return see_other(f"/butiker/{case.business_id}?klart=atgardat")


async def _issued_document(actor: Actor, application_id: int, kind: str) -> Response[bytes]:
    """The certificate or decal of the owner's case, exactly as archived when it was issued."""
    case = await cases.view(actor, application_id)
    if case.certificate is None:
        raise NotFound("Ärendet har inget intyg.")
    download = await certificates.download(actor, case.certificate.number, kind)
    return _pdf_download(download.filename, download.content)
