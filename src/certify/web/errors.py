"""The one mapping from domain errors to HTTP answers (JSON for the API, a page for browsers)."""

from __future__ import annotations

import logging
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException

from certify.database import INTEGRITY_ERRORS
from certify.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidField,
    NotFound,
    RuleNotMet,
)

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


def domain_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, DomainError)
    status = status_for(exc)
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


def http_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, HTTPException)
    return json_error(exc)


def nesting_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """msgspec refuses absurdly deep JSON with RecursionError: that is bad input, not a crash."""
    return Response(
        error_body(400, "The request body is nested too deeply."), status_code=400, media_type=MediaType.JSON
    )


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    DomainError: domain_error_handler,
    RecursionError: nesting_error_handler,
    HTTPException: http_error_handler,
    **{error: integrity_error_handler for error in INTEGRITY_ERRORS},
}
