"""One way to answer with a file: the Content-Disposition header for any name, never sniffed.

A name may be anything a user typed or a shop's name made into one (å ä ö, quotes, a newline): the
header carries a plain-ASCII `filename` that every client understands and, when that had to change
the name, the exact name as an RFC 6266 / RFC 5987 `filename*` (UTF-8, percent-encoded by the
standard library's RFC 2231 encoder, the form RFC 5987 adopts)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.utils import encode_rfc2231

from litestar import Response
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Schema,
)

UNSAFE_IN_QUOTES = frozenset('"\\')
"""Characters a quoted `filename` cannot hold as they are (clients disagree on backslash escapes)."""


def _printable(file_name: str) -> str:
    """The name without control characters (a newline would split the header), each made `_`."""
    return "".join("_" if unicodedata.category(ch).startswith("C") else ch for ch in file_name)


def ascii_name(file_name: str) -> str:
    """The name in printable ASCII: accents dropped (å → a), anything else, quotes and control
    characters `_`."""
    letters = (ch for ch in unicodedata.normalize("NFKD", file_name) if not unicodedata.combining(ch))
    return "".join(ch if " " <= ch <= "~" and ch not in UNSAFE_IN_QUOTES else "_" for ch in letters)


def content_disposition(file_name: str, *, inline: bool = False) -> str:
    """`attachment` (or `inline`) with the name; `filename*` only when the ASCII form differs."""
    kind = "inline" if inline else "attachment"
    fallback = ascii_name(file_name)
    exact = _printable(file_name)
    if exact == fallback:
        return f'{kind}; filename="{fallback}"'
    return f'{kind}; filename="{fallback}"; filename*={encode_rfc2231(exact, "utf-8")}'


def file_response(
    content: bytes,
    media_type: str,
    file_name: str,
    *,
    inline: bool = False,
    cache: str = "no-store",
    headers: Mapping[str, str] | None = None,
) -> Response[bytes]:
    """A file to save (or, `inline`, to show), its type declared and not sniffed; `cache` is the
    route's Cache-Control, `headers` any further ones of the route (ETag, CSP, Content-Language)."""
    return Response(
        content=content,
        media_type=media_type,
        headers={
            "Content-Disposition": content_disposition(file_name, inline=inline),
            "Cache-Control": cache,
            "X-Content-Type-Options": "nosniff",
            **(headers or {}),
        },
    )


def file_operation(media_types: Iterable[str], *, not_modified: bool = False) -> type[Operation]:
    """The OpenAPI operation of a route that answers with a file of one of `media_types` (a route
    declares one media type; a stored upload may be any type we accept). `not_modified`: the route
    answers 304 to a current If-None-Match."""
    types = sorted(media_types)

    @dataclass
    class FileOperation(Operation):
        def __post_init__(self) -> None:
            ok = self.responses.get("200") if self.responses else None
            if isinstance(ok, OpenAPIResponse):
                ok.description = "The file"
                ok.content = {
                    media_type: OpenAPIMediaType(
                        schema=Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
                    )
                    for media_type in types
                }
            if not_modified and self.responses is not None:
                self.responses["304"] = OpenAPIResponse(
                    description="Not Modified: the copy named in If-None-Match is current"
                )

    return FileOperation
