"""The JSON API takes JSON bodies only: anything else is refused with 415 before it is read.

Litestar decodes a JSON `data` parameter whatever Content-Type the request names, so a body sent
as `text/plain` or as a form — what a page on another site can make a browser send without
asking — was accepted. One app-wide check (run by certify.web.stack before any guard), keyed on
the body each handler declares:
- a handler taking a JSON body needs `Content-Type: application/json` (or a `+json` type);
- an API handler taking no body refuses a body of any other type (it is never a JSON client);
- file uploads keep multipart, and the pages keep their forms.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException
from litestar.handlers.base import BaseRouteHandler
from litestar.params import BodyKwarg
from litestar.types import Scope

API_PREFIX = "/api/"
READS = frozenset({"GET", "HEAD", "OPTIONS"})


@lru_cache(maxsize=256)
def _declared_body(handler: BaseRouteHandler) -> RequestEncodingType | None:
    """The encoding of the handler's `data` parameter; None when it takes no body."""
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return None
    body = data.kwarg_definition
    return body.media_type if isinstance(body, BodyKwarg) else RequestEncodingType.JSON


def is_json(content_type: str) -> bool:
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def json_bodies_only(scope: Scope, headers: Mapping[bytes, bytes]) -> None:
    """Refuses (415) a body the routed handler must not read; `headers` are the request's, by
    lower-case name."""
    if scope["method"] in READS:
        return
    declared = _declared_body(scope["route_handler"])
    if declared is None and not scope["path"].startswith(API_PREFIX):
        return  # a page reads its own form
    if declared is not None and declared != RequestEncodingType.JSON:
        return  # a file upload: multipart
    content_type = headers.get(b"content-type")
    if content_type is None:
        if headers.get(b"content-length", b"0") == b"0" and b"transfer-encoding" not in headers:
            return  # no body at all
    elif is_json(content_type.decode("latin-1")):
        return
    raise HTTPException(status_code=415, extra={"code": "not_json"})
