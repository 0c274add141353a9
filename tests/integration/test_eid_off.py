"""Without CERTIFY_EID_ISSUER everything works as before: no button, no e-legitimation routes."""

from __future__ import annotations

import httpx
import pytest

from certify.settings import EidSettings, SettingsError


async def test_without_a_provider_there_is_no_e_legitimation(anonymous: httpx.AsyncClient) -> None:
    login_page = await anonymous.get("/logga-in")
    assert login_page.status_code == 200 and "e-legitimation" not in login_page.text
    for path in (
        "/e-legitimation/logga-in",
        "/e-legitimation/tillbaka?state=x&code=y",
        "/e-legitimation/nytt-konto",
    ):
        assert (await anonymous.get(path)).status_code == 404, path


def test_the_settings_of_the_provider() -> None:
    assert EidSettings.from_env({}) is None
    eid = EidSettings.from_env(
        {
            "CERTIFY_EID_ISSUER": "https://eid.example.se/oidc/",
            "CERTIFY_EID_CLIENT_ID": "certify",
            "CERTIFY_EID_CLIENT_SECRET": "secret",
        }
    )
    assert eid is not None and eid.issuer == "https://eid.example.se/oidc"
    assert eid.person_number_claim == "https://id.oidc.se/claim/personalIdentityNumber"
    assert "openid" in eid.scopes
    base = {"CERTIFY_EID_CLIENT_ID": "certify", "CERTIFY_EID_CLIENT_SECRET": "secret"}
    for issuer in ("http://eid.example.se", "ftp://eid.example.se", "eid.example.se"):
        with pytest.raises(SettingsError, match="CERTIFY_EID_ISSUER"):
            EidSettings.from_env({**base, "CERTIFY_EID_ISSUER": issuer})
    with pytest.raises(SettingsError, match="CLIENT_SECRET"):
        EidSettings.from_env({"CERTIFY_EID_ISSUER": "https://eid.example.se", "CERTIFY_EID_CLIENT_ID": "x"})
    with pytest.raises(SettingsError, match="openid"):
        EidSettings.from_env({**base, "CERTIFY_EID_ISSUER": "https://e.se", "CERTIFY_EID_SCOPES": "profile"})
