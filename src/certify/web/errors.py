"""The one mapping from domain errors to HTTP answers (JSON for the API, a page for browsers)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from asyncpg.exceptions import DataError  # type: ignore[import-untyped]
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.exceptions.responses import create_debug_response
from litestar.response import Redirect, Template
from litestar.response.base import ASGIResponse
from litestar.types import Receive, Scope, Send

from certify.database import INTEGRITY_ERRORS
from certify.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidField,
    NotFound,
    RuleNotMet,
)
from certify.web import observability
from certify.web.auth import visitor

log = logging.getLogger("certify.web")

STATUS_BY_ERROR: tuple[tuple[type[DomainError], int], ...] = (
    (NotFound, 404),
    (Forbidden, 403),
    (Conflict, 409),
    (RuleNotMet, 422),
    (InvalidField, 400),
)


def status_for(exc: DomainError) -> int:
    for error_type, status in STATUS_BY_ERROR:
        if isinstance(exc, error_type):
            return status
    return 400


def error_body(status: int, detail: str, extra: Any = None) -> dict[str, Any]:
    """Litestar's own error shape, so clients parse one format for every error."""
    body: dict[str, Any] = {"status_code": status, "detail": detail}
    if extra:
        body["extra"] = extra
    return body


PAGE_ERROR_TITLES: dict[int, str] = {
    400: "Uppgifterna kunde inte tas emot",
    403: "Du har inte behörighet till sidan",
    404: "Sidan finns inte",
    405: "Det går inte att göra så här",
    409: "Det gick inte att göra just nu",
    413: "Filerna är för stora",
    422: "Något saknas",
    429: "För många försök",
    500: "Något gick fel",
}
INTERNAL_ERROR = "Ett oväntat fel uppstod. Ange felkoden {request_id} om du kontaktar kommunen."


def is_page(request: Request[Any, Any, Any]) -> bool:
    """Browsers get HTML pages; the JSON API (and its schema) keeps JSON errors."""
    return not request.url.path.startswith(("/api/", "/schema"))


class ErrorPage(Template):
    """An error page that knows who is logged in before it renders, so the header is the
    visitor's own also on a 404 outside any route (exception handlers are synchronous; the
    visitor is looked up when the answer is sent)."""

    def to_asgi_response(self, app: Any, request: Request[Any, Any, Any], **kwargs: Any) -> ASGIResponse:
        render = super().to_asgi_response

        async def send_page(scope: Scope, receive: Receive, send: Send) -> None:
            self.context["user"] = await visitor(request)
            await render(app, request, **kwargs)(scope, receive, send)

        return send_page  # type: ignore[return-value]  # an ASGI app, as the caller awaits it


def error_page(request: Request[Any, Any, Any], status: int, detail: str) -> Response[Any]:
    """An HTML error page in the shared layout (sync: it uses the kommun name last rendered)."""
    from certify.web.pages.render import PROGRAMME

    return ErrorPage(
        template_name="errors/error.html",
        context={
            "kommun_name": request.app.state.get("kommun_name", PROGRAMME),
            "user": request.scope.get("user"),
            "title": PAGE_ERROR_TITLES.get(status, "Något gick fel"),
            "detail": detail,
            "status": status,
        },
        status_code=status,
    )


def domain_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, DomainError)
    status = status_for(exc)
    if is_page(request):
        return error_page(request, status, exc.message)
    extra: Any = exc.extra
    if isinstance(exc, InvalidField):
        extra = [{"key": exc.field, "message": exc.message, "source": "body"}]
    return Response(error_body(status, exc.message, extra), status_code=status, media_type=MediaType.JSON)


def integrity_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A constraint stopped a write that raced another: nothing was written, try again."""
    log.info("integrity error on %s: %s", request.url.path, exc)
    return Response(
        error_body(409, "Uppgiften krockade med en samtidig ändring. Ladda om och försök igen."),
        status_code=409,
        media_type=MediaType.JSON,
    )


def json_error(exc: HTTPException) -> Response[Any]:
    """An HTTP error as JSON, whatever media type the route itself produces (e.g. a PDF)."""
    return Response(
        error_body(exc.status_code, exc.detail, exc.extra),
        status_code=exc.status_code,
        media_type=MediaType.JSON,
        headers=exc.headers,
    )


def not_authorized_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A page visitor who is not logged in goes to the log-in page and comes back afterwards."""
    assert isinstance(exc, NotAuthorizedException)
    if not is_page(request):
        return json_error(exc)
    target = request.url.path if request.method == "GET" else "/"
    return Redirect(path=f"/logga-in?nasta={quote(target)}", status_code=303)


def http_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 500:
        return internal_error_handler(request, exc)
    if not is_page(request) or exc.status_code > 500:
        return json_error(exc)
    detail = exc.detail if exc.status_code not in {404, 405} else ""
    if exc.status_code == 403 and "CSRF" in exc.detail:
        detail = (
            "Sidan hade legat öppen för länge eller skickades från fel ställe. Gå tillbaka och försök igen."
        )
    if exc.status_code == 413:
        detail = "Det du skickade var för stort. Ladda upp färre filer åt gången."
    if exc.status_code == 429:
        detail = "Du har försökt logga in för många gånger. Vänta en minut och försök igen."
    return error_page(request, exc.status_code, detail)


def out_of_range_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A number too large for the database (e.g. an id in a URL) is bad input, not a crash."""
    detail = "Ett tal i anropet är för stort."
    if is_page(request):
        return error_page(request, 400, detail)
    return Response(error_body(400, detail), status_code=400, media_type=MediaType.JSON)


def nesting_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """msgspec refuses absurdly deep JSON with RecursionError: that is bad input, not a crash."""
    return Response(
        error_body(400, "The request body is nested too deeply."), status_code=400, media_type=MediaType.JSON
    )


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A fault of ours: the traceback goes to the log under the request id; the client gets the
    id and a plain sentence, never the error itself (unless CERTIFY_DEBUG is on)."""
    request_id = observability.request_id(request.scope)
    log.error(
        "internal error",
        exc_info=exc,
        extra={"fields": {"request_id": request_id, "method": request.method, "path": request.url.path}},
    )
    if request.app.debug:
        return create_debug_response(request, exc)
    detail = INTERNAL_ERROR.format(request_id=request_id)
    if is_page(request):
        return error_page(request, 500, detail)
    return Response(
        error_body(500, detail, {"request_id": request_id}), status_code=500, media_type=MediaType.JSON
    )


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    DomainError: domain_error_handler,
    RecursionError: nesting_error_handler,
    OverflowError: out_of_range_handler,
    DataError: out_of_range_handler,
    NotAuthorizedException: not_authorized_handler,
    HTTPException: http_error_handler,
    Exception: internal_error_handler,
    **{error: integrity_error_handler for error in INTEGRITY_ERRORS},
}
