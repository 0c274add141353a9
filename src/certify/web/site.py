"""What the browser-facing side adds to the app: templates, static files, CSRF, the page routes.

create_app() takes these as they are; tests build the same pieces through create_app().
"""

from __future__ import annotations

from pathlib import Path

from litestar.config.csrf import CSRFConfig
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.router import Router
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import ASGIApp, ControllerRouterHandler, Message, Send

from certify.domain.links import case_path
from certify.domain.status import CaseState
from certify.keys import derive_key
from certify.settings import TEMPLATES_DIR, Settings
from certify.text import vocabulary
from certify.text.register import case_secrecy_marking
from certify.web import offline_app, template_text
from certify.web.api.evidence import EvidenceController
from certify.web.api.material_changes import MaterialChangesController
from certify.web.guards import PUBLIC
from certify.web.language import language_links, page_language
from certify.web.pages.access_log import AccessLogPages
from certify.web.pages.account import AccountPages
from certify.web.pages.assessment import AssessmentPages
from certify.web.pages.auth_pages import AuthPages
from certify.web.pages.case_screen import open_case
from certify.web.pages.certificate_files import certificate_pdf, decal_pdf
from certify.web.pages.chain_cases import ChainCasePages, InspectorChainDecisionPages, KommunChainCasePages
from certify.web.pages.chain_corrections import ChainCorrectionPages, InspectorChainCorrectionPages
from certify.web.pages.chain_inspection import InspectorChainCasePages, KommunChainRoutePages
from certify.web.pages.chains import ChainPages, KommunChainPages
from certify.web.pages.formatting import FILTERS
from certify.web.pages.inspector import InspectorPages
from certify.web.pages.kommun import KommunPages
from certify.web.pages.material_changes import MaterialChangeKommunPages, MaterialChangeOwnerPages
from certify.web.pages.outreach import OutreachPages
from certify.web.pages.owner import OwnerPages
from certify.web.pages.password import PasswordPages
from certify.web.pages.password_reset import PasswordResetPages
from certify.web.pages.protocol import protocol_pdf
from certify.web.pages.public import PublicPages
from certify.web.pages.representation import RepresentationPages
from certify.web.pages.shop_details import ShopDetailsPages
from certify.web.pages.verify import VerifyPages

STATIC_DIR = Path(__file__).resolve().parent / "static"


def _engine_callback(engine: JinjaTemplateEngine) -> None:
    """Templates word everything through the text layer: `{{ _("…") }}`, `{% trans %}`, and the
    vocabulary's labels; `template_text` reads the catalogue of the request's language."""
    env = engine.engine
    env.add_extension("jinja2.ext.i18n")
    env.newstyle_gettext = True  # type: ignore[attr-defined]  # set by the i18n extension
    env.globals.update(template_text.CALLABLES)
    env.filters.update(FILTERS)
    env.globals.update(
        case_path=case_path,
        case_states=list(CaseState),
        programme=vocabulary.programme,
        action_label=vocabulary.action_label,
        state_label=vocabulary.state_label,
        answer_label=vocabulary.answer_label,
        chain_state_label=vocabulary.chain_state_label,
        sample_reason_label=vocabulary.sample_reason_label,
        verdict_label=vocabulary.verdict_label,
        criterion_kind_label=vocabulary.criterion_kind_label,
        checklist_text=vocabulary.checklist_text,
        criterion_choices=vocabulary.criterion_choices,
        failed_criterion=vocabulary.failed_criterion,
        role_label=vocabulary.role_label,
        kommun_login_field=vocabulary.kommun_login_field,
        certificate_status_label=vocabulary.certificate_status_label,
        basis_label=vocabulary.basis_label,
        check_label=vocabulary.check_label,
        language_links=language_links,
        page_language=page_language,
        case_secrecy_marking=case_secrecy_marking,
        offline_page=offline_app.page_state,
    )


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(
        directory=TEMPLATES_DIR, engine=JinjaTemplateEngine, engine_callback=_engine_callback
    )


def csrf_middleware(settings: Settings) -> DefineMiddleware:
    """Every form carries a token; the JSON API relies on JSON bodies and SameSite cookies instead.
    Innermost of the app's middleware, where Litestar itself would put its CSRF middleware."""
    return DefineMiddleware(CsrfMiddleware, config=_csrf_config(settings))


class CsrfMiddleware(CSRFMiddleware):
    """Litestar's CSRF middleware, checking exactly as it does, with the token's cookie written out
    as text: Litestar's Cookie took about 35 µs per header, on every request from a browser that has
    none yet (benchmarks/session_cost.py). The token is hex: nothing to quote."""

    def __init__(self, app: ASGIApp, config: CSRFConfig) -> None:
        super().__init__(app, config)
        header = Cookie(
            key=config.cookie_name,
            value="-",
            path=config.cookie_path,
            secure=config.cookie_secure,
            httponly=config.cookie_httponly,
            samesite=config.cookie_samesite,
            domain=config.cookie_domain,
        ).to_header(header="")
        self._attributes = header[header.index(";") :]

    def create_send_wrapper(self, send: Send, token: str, csrf_cookie: str | None) -> Send:
        if csrf_cookie is not None:
            return send
        cookie = f"{self.config.cookie_name}={token}{self._attributes}".encode("latin-1")

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                MutableScopeHeaders.from_message(message).headers.append((b"set-cookie", cookie))
            await send(message)

        return send_with_cookie


def _csrf_config(settings: Settings) -> CSRFConfig:
    return CSRFConfig(
        secret=derive_key(settings.secret_key, b"certify csrf").hex(),
        cookie_name="csrftoken",
        cookie_secure=settings.secure_cookies,
        cookie_httponly=True,
        cookie_samesite="lax",
        exclude=["^/api/", "^/static/", "^/schema"],
    )


def static_files() -> Router:
    return create_static_files_router(path="/static", directories=[STATIC_DIR], opt=PUBLIC)


def upload_body_limit(settings: Settings) -> int:
    """A form may carry a few files at their largest; a bigger body is refused before it is read."""
    return settings.upload_max_bytes * 3 + 1024 * 1024


ROUTE_HANDLERS: list[ControllerRouterHandler] = [
    PublicPages,
    AuthPages,
    OwnerPages,
    RepresentationPages,
    ChainPages,
    KommunChainPages,
    ChainCasePages,
    KommunChainCasePages,
    ChainCorrectionPages,
    InspectorChainCorrectionPages,
    InspectorChainCasePages,
    KommunChainRoutePages,
    InspectorChainDecisionPages,
    ShopDetailsPages,
    AccountPages,
    AssessmentPages,
    EvidenceController,
    MaterialChangesController,
    MaterialChangeOwnerPages,
    MaterialChangeKommunPages,
    PasswordPages,
    PasswordResetPages,
    InspectorPages,
    KommunPages,
    AccessLogPages,
    protocol_pdf,
    open_case,
    certificate_pdf,
    decal_pdf,
    VerifyPages,
    OutreachPages,
    offline_app.service_worker,
    offline_app.manifest,
]
