"""The one wiring module: create_app(settings) builds the whole service."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from litestar import Litestar
from litestar.openapi import OpenAPIConfig

from certify import database
from certify.database import use_piccolo_conf
from certify.services import eid, jobs, mailer, staff_login, webhooks
from certify.settings import Settings
from certify.web import admission, auth, idempotency, site
from certify.web.api.applications import ApplicationsController
from certify.web.api.auth import AuthController
from certify.web.api.businesses import BusinessesController
from certify.web.api.catalog import CatalogController
from certify.web.api.certificates import CertificatesController, RegisterController
from certify.web.api.chain_cases import ChainCasesController
from certify.web.api.chain_corrections import ChainCorrectionsController
from certify.web.api.chains import ChainsController
from certify.web.api.health import health, ready
from certify.web.api.local_points import LocalPointsController
from certify.web.api.notifications import OutboxController, WebhooksController
from certify.web.api.outreach import OutreachController
from certify.web.api.password import PasswordController, PasswordResetController
from certify.web.api.privacy import PrivacyController
from certify.web.api.register import DocumentRegisterController
from certify.web.api.reports import ReportsController
from certify.web.api.representation import RepresentationController
from certify.web.api.retention import RetentionController
from certify.web.api.users import UsersController
from certify.web.api_docs import ApiDocsPage
from certify.web.errors import EXCEPTION_HANDLERS
from certify.web.observability import configure_logging
from certify.web.openapi import document_errors
from certify.web.pages.accessibility import AccessibilityPages, StatementPages
from certify.web.pages.diarium import DiariumPages
from certify.web.pages.eid import EidPages
from certify.web.pages.kommun_login import KommunLoginPages
from certify.web.pages.local_points import LocalPointPages
from certify.web.pages.logout import LogoutPages
from certify.web.pages.outbox import OutboxPages
from certify.web.pages.reports import ReportPages
from certify.web.pages.retention import RetentionPages
from certify.web.pages.staff_login import StaffLoginPages
from certify.web.password_gate import require_own_password
from certify.web.stack import Stack


def create_app(settings: Settings | None = None) -> Litestar:
    use_piccolo_conf()
    settings = settings or Settings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(application: Litestar) -> AsyncIterator[None]:
        await database.prepare()
        await application.state.sessions.start()
        scheduler = asyncio.create_task(jobs.run_daily()) if settings.background_jobs else None
        senders = _start_senders(settings)
        try:
            yield
        finally:
            for sender in senders:
                sender.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sender
            if scheduler is not None:
                scheduler.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await scheduler
            await application.state.sessions.stop()
            await database.close()

    stack = Stack(settings)
    app = Litestar(
        route_handlers=[
            AuthController,
            UsersController,
            PasswordController,
            PasswordResetController,
            PrivacyController,
            CatalogController,
            BusinessesController,
            ApplicationsController,
            CertificatesController,
            RegisterController,
            health,
            ready,
            OutboxController,
            WebhooksController,
            OutreachController,
            RepresentationController,
            ChainsController,
            ChainCasesController,
            ChainCorrectionsController,
            ReportsController,
            DocumentRegisterController,
            LocalPointsController,
            RetentionController,
            RetentionPages,
            ReportPages,
            DiariumPages,
            LocalPointPages,
            AccessibilityPages,
            StatementPages,
            OutboxPages,
            EidPages,
            LogoutPages,
            KommunLoginPages,
            StaffLoginPages,
            *site.ROUTE_HANDLERS,
            site.static_files(),
        ],
        middleware=[stack.middleware, site.csrf_middleware(settings)],
        before_send=[stack.answering],
        on_app_init=[auth.install, admission.install],
        before_request=require_own_password,
        template_config=site.template_config(),
        request_max_body_size=site.upload_body_limit(settings),
        lifespan=[lifespan],
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=OpenAPIConfig(
            title="certify – Skydd mot rån i handeln",
            version="1.0",
            description=(
                "The kommun's certification service. Session-cookie authentication: "
                "log in with POST /api/auth/login."
            ),
            render_plugins=[ApiDocsPage()],
            path="/schema",
        ),
        debug=settings.debug,
        logging_config=None,
    )
    app.state.settings = settings
    app.state.eid = eid.Provider(settings.eid, settings.secret_key) if settings.eid else None
    app.state.staff_login = staff_login.Clients()
    auth.check_every_route_is_guarded(app)
    document_errors(app)
    idempotency.document(app)
    configure_logging()
    return app


def _start_senders(settings: Settings) -> list[asyncio.Task[None]]:
    """The outbox sender (when SMTP is configured) and the webhook deliverer run beside the app."""
    if not settings.background_jobs:
        return []
    tasks = [asyncio.create_task(webhooks.run_deliverer(settings))]
    if settings.smtp is not None:
        tasks.append(asyncio.create_task(mailer.run_sender(settings)))
    return tasks


def asgi() -> Any:
    """Entry point for ASGI servers (uvicorn --factory certify.app:asgi)."""
    return create_app()
