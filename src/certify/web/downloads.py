"""One way to answer with a file: the Content-Disposition header for any name, never sniffed.

A name may be anything a user typed or a shop's name made into one (å ä ö, quotes, a newline): the
header carries a plain-ASCII `filename` that every client understands and, when that had to change
the name, the exact name as an RFC 6266 / RFC 5987 `filename*` (UTF-8, percent-encoded by the
standard library's RFC 2231 encoder, the form RFC 5987 adopts)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from email.utils import encode_rfc2231

from litestar import Response

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
