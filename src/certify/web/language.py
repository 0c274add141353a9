"""The language of each request: chosen, kept, and offered on every page.

`?lang=xx` on any URL chooses; the choice is kept in a cookie and, for a logged-in person, on the
account (certify.services.accounts.choose_language). Without a choice the browser's Accept-Language
decides, and Swedish otherwise (certify.text.languages.choose). An unknown code is no error: it is
ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.base import DefineMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from certify.services import accounts
from certify.services.actor import Actor
from certify.text import catalogue
from certify.text.languages import LANGUAGES, SHOWN, choose, known, language

LANGUAGE_COOKIE = "certify_lang"
LANGUAGE_PARAMETER = "lang"
_COOKIE_AGE = 365 * 24 * 3600


def language_of(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The language this request is answered in."""
    user = connection.scope.get("user")
    return choose(
        requested=connection.query_params.get(LANGUAGE_PARAMETER),
        account=user.language if isinstance(user, Actor) else None,
        cookie=connection.cookies.get(LANGUAGE_COOKIE),
        accept_language=connection.headers.get("accept-language"),
    )


class LanguageMiddleware:
    """Speaks the request's language for everything it renders, and keeps a `?lang=` choice."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.cookie = Cookie(
            key=LANGUAGE_COOKIE, path="/", max_age=_COOKIE_AGE, samesite="lax", httponly=True
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope)
        with catalogue.use(language_of(connection)):
            await self._answer(connection, scope, receive, send)

    async def _answer(
        self, connection: ASGIConnection[Any, Any, Any, Any], scope: Scope, receive: Receive, send: Send
    ) -> None:
        chosen = known(connection.query_params.get(LANGUAGE_PARAMETER))
        if chosen is None:
            await self.app(scope, receive, send)
            return
        user = scope.get("user")
        if isinstance(user, Actor) and user.language != chosen:
            await accounts.choose_language(user.id, chosen)
        header = "" if connection.cookies.get(LANGUAGE_COOKIE) == chosen else self._header(chosen)

        async def send_with_cookie(message: Message) -> None:
            if header and message["type"] == "http.response.start":
                MutableScopeHeaders.from_message(message).add("set-cookie", header)
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _header(self, code: str) -> str:
        return replace(self.cookie, value=code).to_header(header="")


def middleware() -> DefineMiddleware:
    return DefineMiddleware(LanguageMiddleware)


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
