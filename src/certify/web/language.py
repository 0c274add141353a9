"""The language of each request: chosen, kept, and offered on every page.

`?lang=xx` on any URL chooses; the choice is kept in a cookie and, for a logged-in person, on the
account (certify.services.accounts.choose_language). Without a choice the browser's Accept-Language
decides, and Swedish otherwise (certify.text.languages.choose). An unknown code is no error: it is
ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.types import Scope

from certify.services import accounts
from certify.services.actor import Actor
from certify.text import catalogue
from certify.text.languages import LANGUAGES, SHOWN, choose, known, language

LANGUAGE_COOKIE = "certify_lang"
LANGUAGE_PARAMETER = "lang"
_COOKIE_AGE = 365 * 24 * 3600
_COOKIE = Cookie(
    key=LANGUAGE_COOKIE, value="sv", path="/", max_age=_COOKIE_AGE, samesite="lax", httponly=True
).to_header(header="")
_COOKIE_ATTRIBUTES = _COOKIE[_COOKIE.index(";") :]  # written out once: Cookie is slow per header
_TO_SEND = "certify.language_cookie"  # scope state: the language code the cookie is to keep


def language_of(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The language this request is answered in."""
    user = connection.scope.get("user")
    return choose(
        requested=_requested(connection),
        account=user.language if isinstance(user, Actor) else None,
        cookie=connection.cookies.get(LANGUAGE_COOKIE),
        accept_language=connection.headers.get("accept-language"),
    )


async def keep_choice(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """A `?lang=` choice is kept: on the caller's account, and in the cookie (when it changes)."""
    chosen = known(_requested(connection))
    if chosen is None:
        return
    user = connection.scope.get("user")
    if isinstance(user, Actor) and user.language != chosen:
        await accounts.choose_language(user.id, chosen)
    if connection.cookies.get(LANGUAGE_COOKIE) != chosen:
        connection.scope["state"][_TO_SEND] = chosen


def _requested(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The `?lang=` of the address (most addresses have no query to parse)."""
    return connection.query_params.get(LANGUAGE_PARAMETER) if connection.scope.get("query_string") else None


def cookie_to_send(scope: Scope) -> str | None:
    """The Set-Cookie value keeping a new choice, if this request made one."""
    chosen = scope["state"].pop(_TO_SEND, None)
    return None if chosen is None else f"{LANGUAGE_COOKIE}={chosen}{_COOKIE_ATTRIBUTES}"


@dataclass(frozen=True, slots=True)
class LanguageLink:
    code: str
    name: str
    direction: str
    href: str
    current: bool


def language_links(connection: ASGIConnection[Any, Any, Any, Any]) -> list[LanguageLink]:
    """The language choice on every page: this page again, in each language. Only the path is kept:
    a query may carry values someone else chose (a return address), which a link must not repeat."""
    active = catalogue.current()
    links = []
    for code in SHOWN:
        lang = LANGUAGES[code]
        href = f"{connection.url.path}?{urlencode([(LANGUAGE_PARAMETER, code)])}"
        links.append(LanguageLink(code, lang.name, lang.direction, href, code == active))
    return links


def page_language() -> dict[str, str]:
    """What `<html lang dir>` says for the language of the moment."""
    lang = language(catalogue.current())
    return {"code": lang.code, "direction": lang.direction}
