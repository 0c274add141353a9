"""Numbers in page and API addresses are ASCII digits, as everywhere else (certify.domain.numerals).

Litestar reads an `{id:int}` path segment with Python's int(), which also takes `٣`, `３`, `+3`,
`3_0` and surrounding spaces, so `/api/applications/٣` meant case 3. This app-wide check (run by
certify.web.stack before any guard) answers such an address 404, as Litestar already does for `²`
or `abc`.
"""

from __future__ import annotations

from functools import lru_cache

from litestar.exceptions import NotFoundException
from litestar.types import Scope

from certify.domain.numerals import is_ascii_number


@lru_cache(maxsize=256)
def _parameter_segments(path_template: str) -> tuple[tuple[int, str], ...]:
    """Where each `{name}` parameter sits in a route's path (the template carries no types)."""
    return tuple(
        (index, part[1:-1])
        for index, part in enumerate(path_template.split("/"))
        if part.startswith("{") and part.endswith("}")
    )


def ascii_path_numbers(scope: Scope) -> None:
    """A parameter Litestar parsed as an int must have been written in ASCII digits."""
    segments = _parameter_segments(scope.get("path_template", ""))
    if not segments:
        return
    values, parts = scope["path_params"], scope["path"].split("/")
    for index, name in segments:
        if isinstance(values.get(name), int) and not (index < len(parts) and is_ascii_number(parts[index])):
            raise NotFoundException(extra={"code": "not_found"})
