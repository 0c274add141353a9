"""The one wiring module: create_app(settings) builds the whole service."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from litestar import Litestar
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin

from certify import database
from certify.database import use_piccolo_conf
from certify.services import jobs
from certify.settings import Settings
from certify.web.api.applications import ApplicationsController
from certify.web.api.auth import AuthController
from certify.web.api.businesses import BusinessesController
from certify.web.api.catalog import CatalogController
from certify.web.api.certificates import CertificatesController, RegisterController
from certify.web.api.health import health, ready
from certify.web.api.users import UsersController
from certify.web.auth import session_auth
from certify.web.errors import EXCEPTION_HANDLERS
from certify.web.observability import configure_logging, request_middleware
from certify.web.openapi import document_errors

MAX_BODY_BYTES = 25 * 1024 * 1024  # an evidence upload (10 MB by default) plus form fields


def create_app(settings: Settings | None = None) -> Litestar:
    use_piccolo_conf()
    settings = settings or Settings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        await database.prepare()
        scheduler = asyncio.create_task(jobs.run_daily()) if settings.background_jobs else None
        try:
            yield
        finally:
            if scheduler is not None:
                scheduler.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await scheduler
            await database.close()

    auth = session_auth(settings)
    app = Litestar(
        route_handlers=[
            AuthController,
            UsersController,
            CatalogController,
            BusinessesController,
            ApplicationsController,
            CertificatesController,
            RegisterController,
            health,
            ready,
        ],
        middleware=[request_middleware],
        request_max_body_size=MAX_BODY_BYTES,
        on_app_init=[auth.on_app_init],
        lifespan=[lifespan],
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=OpenAPIConfig(
            title="certify – Skydd mot rån i handeln",
            version="1.0",
            description=(
                "The kommun's certification service. Session-cookie authentication: "
                "log in with POST /api/auth/login."
            ),
            render_plugins=[ScalarRenderPlugin()],
            path="/schema",
        ),
        debug=settings.debug,
        logging_config=None,
    )
    app.state.settings = settings
    document_errors(app)
    configure_logging()
    return app


def asgi() -> Any:
    """Entry point for ASGI servers (uvicorn --factory certify.app:asgi)."""
    return create_app()
