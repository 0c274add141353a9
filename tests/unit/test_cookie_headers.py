"""The cookies the stack writes out as text (certify.web.stack) say what Litestar's Cookie says."""

from __future__ import annotations

import secrets

import pytest
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import Cookie

from certify.services.sessions import SESSION_MAX_AGE
from certify.web import auth, language
from certify.web.site import CsrfMiddleware


@pytest.mark.parametrize("secure", [False, True])
def test_the_session_cookie_and_its_drop_are_litestars(secure: bool) -> None:
    token = secrets.token_urlsafe(32)
    written = auth.SessionCookie(secure)
    fields = {"key": auth.SESSION_COOKIE, "path": "/", "httponly": True, "secure": secure, "samesite": "lax"}
    expected = Cookie(value=token, max_age=SESSION_MAX_AGE, **fields).to_header(header="")
    assert written.header(token) == expected
    assert written.header("") == Cookie(value="", max_age=0, **fields).to_header(header="")


@pytest.mark.parametrize("code", ["sv", "en", "ar"])
def test_the_language_cookie_is_litestars(code: str) -> None:
    scope = {"state": {"certify.language_cookie": code}}
    a_year = 365 * 24 * 3600
    expected = Cookie(
        key=language.LANGUAGE_COOKIE, value=code, path="/", max_age=a_year, samesite="lax", httponly=True
    ).to_header(header="")
    assert language.cookie_to_send(scope) == expected  # type: ignore[arg-type]
    assert language.cookie_to_send(scope) is None, "sent once"  # type: ignore[arg-type]


@pytest.mark.parametrize("secure", [False, True])
async def test_the_csrf_cookie_is_litestars(secure: bool) -> None:
    config = CSRFConfig(secret="s" * 32, cookie_secure=secure, cookie_httponly=True, cookie_samesite="lax")
    sent: list[dict[str, object]] = []

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    middleware = CsrfMiddleware(app=lambda *_: None, config=config)  # type: ignore[arg-type]
    wrapped = middleware.create_send_wrapper(send=send, token="ab12", csrf_cookie=None)  # type: ignore[arg-type]
    await wrapped({"type": "http.response.start", "status": 200, "headers": []})
    expected = Cookie(
        key="csrftoken", value="ab12", path="/", secure=secure, httponly=True, samesite="lax"
    ).to_header(header="")
    assert sent[0]["headers"] == [(b"set-cookie", expected.encode())]
    assert middleware.create_send_wrapper(send=send, token="ab12", csrf_cookie="ab12") is send  # type: ignore[arg-type]
