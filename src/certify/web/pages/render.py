"""Rendering a page with what the shared layout needs: the kommun's name and the caller.

Other page modules (inspector, kommun, /verify) use `page()` too, so the layout gets the same
context everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Request
from litestar.response import Redirect, Template

from certify.services import kommuner
from certify.services.actor import Actor
from certify.text import gettext
from certify.text.vocabulary import programme


async def current_actor(request: Request[Any, Any, Any]) -> Actor | None:
    """The logged-in user, also on public pages (where the auth middleware does not run)."""
    user = request.scope.get("user")
    return user if isinstance(user, Actor) else None


async def kommun_name(actor: Actor | None) -> str:
    """The kommun shown in the header: the user's own, or the one kommun this installation serves."""
    if actor is not None and actor.kommun_id is not None:
        own = await kommuner.name_of(actor.kommun_id)
        if own:
            return own
    all_kommuner = await kommuner.list_all()
    return all_kommuner[0].name if len(all_kommuner) == 1 else programme()


async def page(
    request: Request[Any, Any, Any],
    template_name: str,
    *,
    status_code: int = 200,
    **context: Any,
) -> Template:
    actor = await current_actor(request)
    name = await kommun_name(actor)
    request.app.state.kommun_name = name  # remembered for error pages, which cannot query
    return Template(
        template_name=template_name,
        context={"kommun_name": name, "user": actor, **context},
        status_code=status_code,
    )


def notice_for(notices: Mapping[str, str], done: str | None) -> str | None:
    """The confirmation named by `?klart=` after a redirect (a message id), in the reader's language."""
    return gettext(notices[done]) if done and done in notices else None


def see_other(path: str) -> Redirect:
    """POST-redirect-GET: 303 makes the browser fetch the next page with GET."""
    return Redirect(path=path, status_code=303)
