"""Role guards: every route names the roles that may call it (public routes say so explicitly).

No caller at all is 401 (the log-in page for pages), a caller of another role 403. The app will not
start with a route that is neither public nor guarded (certify.web.auth.check_every_route_is_guarded).
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from certify.domain.status import Role
from certify.services.actor import Actor

PUBLIC: dict[str, Any] = {"exclude_from_auth": True}


def allow(*roles: Role) -> list[Guard]:
    """A guard list letting only these roles through (403 for the others)."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        # Async on purpose: Litestar runs a plain function guard in a worker thread, one hop per request.
        # scope.get: the auth middleware skips OPTIONS, so there may be no user at all.
        user = connection.scope.get("user")
        if not isinstance(user, Actor):
            raise NotAuthorizedException(extra={"code": "not_logged_in"})
        if user.role not in roles:
            raise PermissionDeniedException(extra={"code": "forbidden"})

    guard.__name__ = "allow_" + "_".join(r.value for r in roles)
    guard.roles = frozenset(roles)  # type: ignore[attr-defined]
    return [guard]


def names_roles(handler: BaseRouteHandler) -> bool:
    """Whether a route says which roles may call it (app-wide guards do not count)."""
    return any(getattr(guard, "roles", None) for guard in handler.resolve_guards())


ANY_USER = allow(Role.owner, Role.inspector, Role.kommun)
OWNER = allow(Role.owner)
INSPECTOR = allow(Role.inspector)
KOMMUN = allow(Role.kommun)
OWNER_OR_KOMMUN = allow(Role.owner, Role.kommun)
