"""A user with a temporary password must choose their own before doing anything else.

One hook for the whole app: pages redirect to the change-password form; the JSON API answers 403
saying how to change it. Logging out and changing the password stay open.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import PermissionDeniedException

from certify.services.actor import Actor
from certify.web.errors import is_page
from certify.web.pages.render import see_other

CHANGE_PAGE = "/byt-losenord"
OPEN_PATHS = frozenset({CHANGE_PAGE, "/logga-ut", "/api/me", "/api/me/password", "/api/auth/logout"})


async def require_own_password(request: Request[Any, Any, Any]) -> Response[Any] | None:
    user = request.scope.get("user")
    if not isinstance(user, Actor) or not user.must_change_password or request.url.path in OPEN_PATHS:
        return None
    if is_page(request):
        return see_other(CHANGE_PAGE)
    raise PermissionDeniedException(extra={"code": "must_change_password", "must_change_password": True})
