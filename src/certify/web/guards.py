"""Who may call each route: every route names the roles that may call it (public routes say so).

A route says it with `opt=KOMMUN` (or another set below); public ones with `opt=PUBLIC`. No caller
at all is 401 (the log-in page for pages), a caller of another role 403. The check runs in the
service's own stack (certify.web.stack), right after the caller is identified, not as a Litestar
guard: Litestar hands every guard its own copy of the route handler, which cost about 16 µs a
request on these machines (benchmarks/stack_profile.py) for a check that is one set lookup. The
app will not start with a route that is neither public nor guarded
(certify.web.auth.check_every_route_is_guarded).
"""

from __future__ import annotations

from typing import Any

from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Scope

from certify.domain.status import Role
from certify.services.actor import Actor

PUBLIC: dict[str, Any] = {"exclude_from_auth": True}
_ROLES = "roles"


def allow(*roles: Role) -> dict[str, Any]:
    """The route option letting only these roles through (403 for the others)."""
    return {_ROLES: frozenset(roles)}


def roles_of(handler: BaseRouteHandler) -> frozenset[Role]:
    """The roles a route lets through (empty: it names none)."""
    return handler.opt.get(_ROLES) or frozenset()


def names_roles(handler: BaseRouteHandler) -> bool:
    """Whether a route says which roles may call it."""
    return bool(roles_of(handler))


def admit(scope: Scope) -> None:
    """Refuses the caller the route does not let through: 401 without a session, 403 for another
    role. A route that names no roles is public (start-up made sure of that)."""
    handler = scope.get("route_handler")
    roles = handler.opt.get(_ROLES) if handler is not None else None
    if not roles:
        return
    # scope.get: OPTIONS requests and refusals made before identification carry no user at all.
    user = scope.get("user")
    if not isinstance(user, Actor):
        raise NotAuthorizedException(extra={"code": "not_logged_in"})
    if user.role not in roles:
        raise PermissionDeniedException(extra={"code": "forbidden"})


ANY_USER = allow(Role.owner, Role.inspector, Role.kommun)
OWNER = allow(Role.owner)
INSPECTOR = allow(Role.inspector)
KOMMUN = allow(Role.kommun)
OWNER_OR_KOMMUN = allow(Role.owner, Role.kommun)
