"""Start page, sign up, log in, log out: the public side of the portal."""

from __future__ import annotations

import re
import time

import httpx
import pytest

from certify.domain.status import Role
from certify.services.sessions import SESSION_MAX_AGE, SESSION_RENEW_AFTER
from certify.tables import OutboxMessage
from tests.conftest import PASSWORD, World
from tests.integration.pages import errors_in, submit, token_in


async def test_start_page_explains_the_programme(world: World, anonymous) -> None:  # type: ignore[no-untyped-def]
    await world.kommun()
    page = await anonymous.get("/")
    assert page.status_code == 200
    assert '<html lang="sv" dir="ltr">' in page.text and "Borlänge kommun" in page.text
    assert "13" in page.text and "Säkerhetsansvarig" in page.text
    assert 'href="#innehall"' in page.text, "skip link"
    assert (await anonymous.get("/static/certify.css")).status_code == 200


async def test_sign_up_then_log_in_lands_on_my_shops(world: World, anonymous) -> None:  # type: ignore[no-untyped-def]
    await world.kommun()
    response = await submit(
        anonymous,
        "/skapa-konto",
        "/skapa-konto",
        {"name": "Åsa Öberg", "email": "Asa@Example.se", "password": "ett långt lösenord"},
    )
    assert response.status_code == 303 and response.headers["location"] == "/logga-in?klart=konto"
    page = await anonymous.get("/logga-in?klart=konto")
    assert page.status_code == 200 and "är kontot skapat och du kan logga in" in page.text
    login = await submit(
        anonymous, "/logga-in", "/logga-in", {"email": "asa@example.se", "password": "ett långt lösenord"}
    )
    assert login.status_code == 303 and login.headers["location"] == "/mina-butiker"
    assert "Logga ut" in (await anonymous.get("/mina-butiker")).text


async def test_sign_up_errors_are_shown_next_to_the_fields_with_input_kept(world: World, anonymous) -> None:  # type: ignore[no-untyped-def]
    await world.kommun()
    response = await submit(
        anonymous, "/skapa-konto", "/skapa-konto", {"name": "", "email": "inte-en-adress", "password": "kort"}
    )
    assert response.status_code == 400
    errors = errors_in(response.text)
    assert len(errors) == 3
    assert any("minst 10 tecken" in e for e in errors)
    assert 'value="inte-en-adress"' in response.text
    assert 'aria-invalid="true"' in response.text


async def test_sign_up_answers_the_same_whether_the_email_has_an_account(world: World, new_client) -> None:  # type: ignore[no-untyped-def]
    await world.kommun()
    await world.user(Role.owner)
    answers = []
    for email in ("owner1@example.se", "ny@example.se"):
        client = new_client()
        response = await submit(
            client,
            "/skapa-konto",
            "/skapa-konto",
            {"name": "X", "email": email, "password": "ett långt lösenord"},
        )
        page = await client.get(response.headers["location"])
        answers.append((response.status_code, response.headers["location"], page.status_code, page.text))
    taken, new = answers
    assert taken[:3] == new[:3] == (303, "/logga-in?klart=konto", 200)
    assert _without_tokens(taken[3]) == _without_tokens(new[3])
    [mail] = await OutboxMessage.select().where(OutboxMessage.recipient == "owner1@example.se").run()
    assert mail["subject"] == "Du har redan ett konto"
    assert "/glomt-losenord" in mail["body_text"] and "/logga-in" in mail["body_text"]
    assert await OutboxMessage.count().where(OutboxMessage.recipient == "ny@example.se") == 0
    old = await new_client().post(
        "/api/auth/login", json={"email": "owner1@example.se", "password": PASSWORD}
    )
    assert old.status_code == 200, "the existing account is unchanged"


def _without_tokens(html: str) -> str:
    return re.sub(r'value="[^"]{20,}"', "", html)


async def test_login_wording_is_the_same_whether_the_email_exists(world: World, new_client) -> None:  # type: ignore[no-untyped-def]
    await world.kommun()
    await world.user(Role.owner)
    known = await submit(
        new_client(), "/logga-in", "/logga-in", {"email": "owner1@example.se", "password": "fel lösenord!"}
    )
    unknown = await submit(
        new_client(), "/logga-in", "/logga-in", {"email": "ingen@example.se", "password": "fel lösenord!"}
    )
    assert known.status_code == unknown.status_code == 400
    assert errors_in(known.text) == errors_in(unknown.text) == ["Fel e-postadress eller lösenord."]


async def test_login_goes_back_to_the_page_asked_for(world: World, anonymous) -> None:  # type: ignore[no-untyped-def]
    await world.kommun()
    await world.user(Role.owner)
    redirect = await anonymous.get("/mina-butiker")
    assert redirect.status_code == 303 and redirect.headers["location"] == "/logga-in?nasta=/mina-butiker"
    response = await submit(
        anonymous,
        "/logga-in?nasta=/mina-butiker",
        "/logga-in",
        {"email": "owner1@example.se", "password": PASSWORD, "next": "/mina-butiker"},
    )
    assert response.status_code == 303 and response.headers["location"] == "/mina-butiker"


async def test_login_never_redirects_off_site(world: World, anonymous) -> None:  # type: ignore[no-untyped-def]
    await world.kommun()
    await world.user(Role.owner)
    response = await submit(
        anonymous,
        "/logga-in",
        "/logga-in",
        {"email": "owner1@example.se", "password": PASSWORD, "next": "//evil.example"},
    )
    assert response.headers["location"] == "/mina-butiker"


async def test_logout_ends_the_session(world: World) -> None:
    await world.kommun()
    _, client = await world.client_for(Role.owner)
    response = await submit(client, "/mina-butiker", "/logga-ut")
    assert response.status_code == 303
    assert (await client.get("/mina-butiker")).status_code == 303


async def test_a_form_without_the_csrf_token_is_refused(world: World, anonymous) -> None:  # type: ignore[no-untyped-def]
    await world.kommun()
    await world.user(Role.owner)
    await anonymous.get("/logga-in")  # has the cookie, but the form lacks the token
    response = await anonymous.post("/logga-in", data={"email": "owner1@example.se", "password": PASSWORD})
    assert response.status_code == 403
    assert "text/html" in response.headers["content-type"] and "försök igen" in response.text
    assert "certify_session" not in response.cookies


async def test_a_token_from_another_visitor_is_refused(world: World, new_client) -> None:  # type: ignore[no-untyped-def]
    await world.kommun()
    await world.user(Role.owner)
    other_token = token_in((await new_client().get("/logga-in")).text)
    visitor = new_client()
    await visitor.get("/logga-in")
    response = await visitor.post(
        "/logga-in", data={"_csrf_token": other_token, "email": "owner1@example.se", "password": PASSWORD}
    )
    assert response.status_code == 403


async def test_failed_logins_are_throttled_on_pages_and_api(world: World, anonymous) -> None:  # type: ignore[no-untyped-def]
    await world.kommun()
    await world.user(Role.owner)
    page = await anonymous.get("/logga-in")
    token = token_in(page.text)
    wrong = {"_csrf_token": token, "email": "owner1@example.se", "password": "fel lösenord!"}
    statuses = [(await anonymous.post("/logga-in", data=wrong)).status_code for _ in range(10)]
    assert statuses == [400] * 10
    right = {**wrong, "password": PASSWORD}
    refused = await anonymous.post("/logga-in", data=right)
    assert refused.status_code == 429 and "Vänta en minut" in refused.text
    api = await anonymous.post("/api/auth/login", json={"email": "owner1@example.se", "password": PASSWORD})
    assert api.status_code == 429 and api.headers["retry-after"] == "60"
    assert (await anonymous.get("/logga-in")).status_code == 200, "reading the page is not limited"


async def test_successful_logins_do_not_count(world: World) -> None:
    await world.kommun()
    owner = await world.user(Role.owner)
    for _ in range(12):
        await world.login(owner)


async def test_cookies_are_httponly_samesite_and_secure_on_https(world: World, anonymous) -> None:  # type: ignore[no-untyped-def]
    await world.kommun()
    await world.user(Role.owner)
    response = await submit(
        anonymous, "/logga-in", "/logga-in", {"email": "owner1@example.se", "password": PASSWORD}
    )
    cookies = [v.lower() for k, v in response.headers.multi_items() if k == "set-cookie"]
    session = next(c for c in cookies if c.startswith("certify_session="))
    assert "httponly" in session and "samesite=lax" in session and "secure" in session


def _session_cookie(response: httpx.Response) -> str | None:
    return next(
        (
            v
            for k, v in response.headers.multi_items()
            if k == "set-cookie" and v.startswith("certify_session=")
        ),
        None,
    )


async def test_an_active_session_slides_forward_without_a_new_cookie_on_every_answer(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await world.kommun()
    _, client = await world.client_for(Role.owner)
    answer = await client.get("/api/me")
    assert answer.status_code == 200 and _session_cookie(answer) is None, "the login's cookie is current"

    started = time.time()
    monkeypatch.setattr(time, "time", lambda: started + SESSION_RENEW_AFTER + 1)
    later = await client.get("/api/me")
    assert later.status_code == 200 and _session_cookie(later) is not None, "renewed, idle timeout moved"

    monkeypatch.setattr(time, "time", lambda: started + SESSION_RENEW_AFTER + SESSION_MAX_AGE - 60)
    assert (await client.get("/api/me")).status_code == 200, "measured from the last renewal, not the login"


async def test_a_session_idle_for_longer_than_its_lifetime_is_over(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await world.kommun()
    _, client = await world.client_for(Role.owner)
    started = time.time()
    monkeypatch.setattr(time, "time", lambda: started + SESSION_MAX_AGE + 1)
    assert (await client.get("/api/me")).status_code == 401


async def test_unknown_page_is_an_html_404_and_api_stays_json(anonymous) -> None:  # type: ignore[no-untyped-def]
    page = await anonymous.get("/finns-inte")
    assert page.status_code == 404 and "Sidan finns inte" in page.text
    api = await anonymous.get("/api/finns-inte")
    assert api.status_code == 404 and api.headers["content-type"].startswith("application/json")
    assert (await anonymous.get("/api/me")).status_code == 401
