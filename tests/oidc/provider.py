"""A real OpenID provider for the tests: tests/oidc/provider.mjs (npm oidc-provider) on loopback.

The suite starts it once, on a free port of 127.0.0.1, and stops it at the end. Without Node or
the npm package (`npm ci --prefix tests`) the e-legitimation tests skip on a developer's machine
and FAIL under CI=true: CI must prove the log-in against a real provider.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from joserfc.jwk import RSAKey

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "provider.mjs"
PACKAGE = HERE.parent / "node_modules" / "oidc-provider" / "package.json"
CLIENT_ID, CLIENT_SECRET = "certify", "certify-test-client-secret"
OTHER_CLIENT_ID = "another-service"  # registered with the same return address, for the audience test
# The staff log-in: one client per kommun at the same provider (as two kommuner's Entra IDs would
# be two registrations), returning to /personal/tillbaka.
STAFF_CLIENTS = {"2081": ("certify-borlange", "borlange-secret"), "2080": ("certify-falun", "falun-secret")}
KOMMUN_GROUP, INSPECTOR_GROUP = "certify-handlaggare", "certify-besiktning"
PERSON_NUMBER_SCOPE = "https://id.oidc.se/scope/naturalPersonNumber"
PERSON_NUMBER_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"

# Test persons (Skatteverket's test personnummer series); the login name picks one.
ANNA = "anna"
ANNA_NUMBER = "198507099805"
BERTIL = "bertil"
BERTIL_NUMBER = "195001182046"
PEOPLE = {
    ANNA: {
        "name": "Anna Andersson",
        "given_name": "Anna",
        "family_name": "Andersson",
        PERSON_NUMBER_CLAIM: ANNA_NUMBER,
    },
    BERTIL: {
        "name": "Bertil Berg",
        "given_name": "Bertil",
        "family_name": "Berg",
        PERSON_NUMBER_CLAIM: BERTIL_NUMBER,
    },
    "nameless-number": {PERSON_NUMBER_CLAIM: "196408233234"},
    # Staff at the kommuner's providers (the login name picks one, as above).
    # email_verified: the provider vouches for the address, so a first log-in may link an account.
    "karin": {
        "name": "Karin Handläggare",
        "email": "karin@borlange.se",
        "email_verified": True,
        "groups": [KOMMUN_GROUP, "alla"],
    },
    "ivar": {
        "name": "Ivar Besiktning",
        "email": "ivar@polisen.se",
        "email_verified": True,
        "groups": [INSPECTOR_GROUP],
    },
    "nils": {"name": "Nils Utan Grupp", "email": "nils@borlange.se", "groups": ["alla"]},
    "falun-staff": {
        "name": "Fia Falun",
        "email": "fia@falun.se",
        "email_verified": True,
        "groups": [KOMMUN_GROUP],
    },
    "no-number": {"name": "Cecilia Utan Nummer"},
}


@dataclass
class RunningProvider:
    issuer: str
    process: subprocess.Popen[bytes]
    output: Path
    base_url: str

    def forge_next_id_token(self, mode: str) -> None:
        """The next token response carries a forged ID token (see provider.mjs)."""
        response = httpx.post(f"{self.issuer}/test/forge", params={"mode": mode}, timeout=5)
        assert response.status_code == 204, response.text

    def forge_nothing(self) -> None:
        """The next token response is the provider's own again (a test that failed before using
        its forgery must not hand it to the next test)."""
        self.forge_next_id_token("")

    def set_person(self, login: str, claims: dict[str, object]) -> None:
        """Replace what the provider says about a person from now on (see provider.mjs)."""
        response = httpx.post(f"{self.issuer}/test/person", params={"login": login}, json=claims, timeout=5)
        assert response.status_code == 204, response.text


def _missing(reason: str) -> None:
    message = f"the OpenID provider for the e-legitimation tests cannot run: {reason}"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI=true: install Node and run `npm ci --prefix tests`)", pytrace=False)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _config(port: int, keys: list[RSAKey], base_url: str) -> dict[str, object]:
    client = {
        "redirect_uris": [f"{base_url}/e-legitimation/tillbaka"],
        "post_logout_redirect_uris": [f"{base_url}/utloggad"],
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
    }
    return {
        "port": port,
        "keys": [key.as_dict(private=True) for key in keys],  # the first one signs
        "clients": [
            {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, **client},
            {"client_id": OTHER_CLIENT_ID, "client_secret": "another-secret", **client},
            *(
                {
                    "client_id": client_id,
                    "client_secret": secret,
                    **client,
                    "redirect_uris": [f"{base_url}/personal/tillbaka"],
                }
                for client_id, secret in STAFF_CLIENTS.values()
            ),
        ],
        "people": PEOPLE,
        "scopes": {PERSON_NUMBER_SCOPE: [PERSON_NUMBER_CLAIM]},
    }


def signing_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


@contextlib.contextmanager
def running_provider(keys: list[RSAKey], port: int | None = None) -> Iterator[RunningProvider]:
    """The provider on 127.0.0.1 (a free port unless given), until the block ends."""
    node = shutil.which("node")
    if node is None:
        _missing("no `node` on PATH")
    if not PACKAGE.exists():
        _missing(f"{PACKAGE.parent} is not installed")
    base_url = os.environ["CERTIFY_BASE_URL"]
    port = port or _free_port()
    issuer = f"http://127.0.0.1:{port}"
    work = Path(tempfile.mkdtemp(prefix="certify-oidc-"))
    config_file, output = work / "provider.json", work / "provider.log"
    config_file.write_text(json.dumps(_config(port, keys, base_url)), encoding="utf-8")
    with output.open("wb") as log:
        process = subprocess.Popen(
            [str(node), str(SCRIPT), str(config_file)], stdout=log, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 30
        while not _answers(f"{issuer}/.well-known/openid-configuration"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    f"the OpenID provider did not start:\n{output.read_text(encoding='utf-8')}"
                )
            time.sleep(0.1)
        yield RunningProvider(issuer=issuer, process=process, output=output, base_url=base_url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[RunningProvider]:
    """One provider for the whole run."""
    with running_provider([signing_key("provider-key-1")]) as provider:
        yield provider


_FORM = re.compile(r'<form[^>]*action="([^"]+)"')
_INPUT = re.compile(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"')


async def through_provider(browser: httpx.AsyncClient, url: str, login: str, base_url: str) -> str:
    """Go through the provider's pages as the person would (log in as `login`, agree to share
    the claims) and return the address it sends the browser back to at certify."""
    response = await browser.get(url)
    for _ in range(12):
        if response.is_redirect:
            location = str(response.url.join(response.headers["location"]))
            if location.startswith(base_url):
                return location
            response = await browser.get(location)
            continue
        assert response.status_code == 200, response.text
        action = _FORM.search(response.text)
        assert action, response.text
        fields = dict(_INPUT.findall(response.text))
        fields.update(login=login, password="any password works in devInteractions")
        response = await browser.post(str(response.url.join(action.group(1))), data=fields)
    raise AssertionError("the provider never sent the browser back to certify")


async def _at_provider(browser: httpx.AsyncClient, url: str, base_url: str) -> httpx.Response | str:
    """Follow the provider's redirects: its page, or the address it sends the browser to at certify."""
    response = await browser.get(url)
    for _ in range(12):
        if not response.is_redirect:
            return response
        location = str(response.url.join(response.headers["location"]))
        if location.startswith(base_url):
            return location
        response = await browser.get(location)
    raise AssertionError("the provider kept redirecting")


async def asks_to_log_in(browser: httpx.AsyncClient, url: str, base_url: str) -> bool:
    """Whether the provider shows its log-in form for this authorization URL (no session there),
    rather than sending the browser straight back to certify."""
    reached = await _at_provider(browser, url, base_url)
    return not isinstance(reached, str) and 'name="login"' in reached.text


async def log_out_at_provider(browser: httpx.AsyncClient, url: str, base_url: str) -> str:
    """At the provider's end-session endpoint, confirm ("Yes, sign me out") as the person would,
    and return the address it sends the browser back to at certify."""
    reached = await _at_provider(browser, url, base_url)
    assert not isinstance(reached, str), "the provider asked nothing"
    assert reached.status_code == 200, reached.text
    action = _FORM.search(reached.text)
    assert action, reached.text
    fields = dict(_INPUT.findall(reached.text))
    fields["logout"] = "yes"
    response = await browser.post(str(reached.url.join(action.group(1))), data=fields)
    for _ in range(12):
        assert response.is_redirect, response.text
        location = str(response.url.join(response.headers["location"]))
        if location.startswith(base_url):
            return location
        response = await browser.get(location)
    raise AssertionError("the provider never sent the browser back to certify")
