"""Every route, called as every role and as a stranger, answers as this table says.

The table is written independently of the guards in the code; a route missing from it fails
the test, so no endpoint or page can be added without saying who may call it.

JSON API: anonymous → 401, a role not allowed → 403, an allowed role is never refused.
HTML pages: anonymous → 303 to /logga-in?nasta=…, a role not allowed → a 403 page, an allowed role
is neither refused nor sent to log in. On routes about one case, shop, certificate, file, user,
message or webhook, a stranger of an allowed role (another owner, an inspector not assigned, a case
officer of another kommun) gets 404, as if the object did not exist.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from certify.domain.status import Role
from certify.services import clock
from certify.tables import ChainFix
from tests.conftest import PASSWORD, World
from tests.integration.pages import PNG
from tests.integration.scenario import Scenario, future_deadline, ok, visit_time

PUBLIC = "public"
OWNER, INSPECTOR, KOMMUN = "owner", "inspector", "kommun"
ANY_USER = {OWNER, INSPECTOR, KOMMUN}

# (method, path) -> who may call it.
TABLE: dict[tuple[str, str], set[str]] = {
    # --- JSON API -----------------------------------------------------------------------------
    ("GET", "/health"): {PUBLIC},
    ("GET", "/ready"): {PUBLIC},
    ("POST", "/api/auth/register"): {PUBLIC},
    ("POST", "/api/auth/login"): {PUBLIC},
    ("POST", "/api/auth/logout"): ANY_USER,
    ("GET", "/api/me"): ANY_USER,
    ("POST", "/api/me/password"): ANY_USER,
    ("POST", "/api/auth/forgot-password"): {PUBLIC},
    ("POST", "/api/auth/reset-password"): {PUBLIC},
    ("GET", "/api/me/data"): ANY_USER,
    ("POST", "/api/me/close"): ANY_USER,
    ("GET", "/api/checklist"): {PUBLIC},
    ("GET", "/api/checklist/{version}"): {PUBLIC},
    ("GET", "/api/kommuner"): {PUBLIC},
    ("POST", "/api/users"): {KOMMUN},
    ("GET", "/api/users"): {KOMMUN},
    ("POST", "/api/users/{user_id}/deactivate"): {KOMMUN},
    ("POST", "/api/users/{user_id}/reset-password"): {KOMMUN},
    ("POST", "/api/users/{owner_id}/send-reset-link"): {KOMMUN},
    ("POST", "/api/users/link-inspector"): {KOMMUN},
    ("POST", "/api/users/{user_id}/unlink"): {KOMMUN},
    ("POST", "/api/businesses"): {OWNER},
    ("GET", "/api/businesses"): ANY_USER,
    ("POST", "/api/businesses/import"): {KOMMUN},
    ("GET", "/api/businesses/outreach"): {KOMMUN},
    ("GET", "/api/businesses/{business_id}"): ANY_USER,
    ("PATCH", "/api/businesses/{business_id}"): {OWNER, KOMMUN},
    ("POST", "/api/businesses/{business_id}/applications"): {OWNER},
    ("GET", "/api/businesses/{business_id}/changes"): ANY_USER,
    ("POST", "/api/businesses/{business_id}/changes/{change_id}/accept"): {KOMMUN},
    ("POST", "/api/businesses/{business_id}/changes/{change_id}/reject"): {KOMMUN},
    ("POST", "/api/businesses/{business_id}/material-changes"): {OWNER},
    ("GET", "/api/businesses/{business_id}/material-changes"): {OWNER, KOMMUN},
    ("GET", "/api/material-changes"): {KOMMUN},
    ("GET", "/api/material-changes/{material_change_id}"): {OWNER, KOMMUN},
    ("POST", "/api/material-changes/{material_change_id}/files"): {OWNER},
    ("POST", "/api/material-changes/{material_change_id}/decision"): {KOMMUN},
    ("GET", "/api/material-change-files/{material_file_id}"): {OWNER, KOMMUN},
    ("POST", "/butiker/{business_id}/forandring"): {OWNER},
    ("GET", "/kommun/forandringar/{material_change_id}"): {KOMMUN},
    ("POST", "/kommun/forandringar/{material_change_id}/beslut"): {KOMMUN},
    ("POST", "/api/businesses/{business_id}/invite"): {KOMMUN},
    ("POST", "/api/invitations/{token}/claim"): {OWNER},
    ("GET", "/api/businesses/{business_id}/representatives"): ANY_USER,
    ("PUT", "/api/businesses/{business_id}/representation"): {OWNER},
    ("POST", "/api/businesses/{business_id}/representation/fullmakt"): {OWNER},
    ("POST", "/api/businesses/{business_id}/representatives/invite"): {OWNER},
    ("DELETE", "/api/businesses/{business_id}/representatives/{representative_id}"): {OWNER},
    ("GET", "/api/representatives/{representative_id}/fullmakt"): {OWNER, KOMMUN},
    ("GET", "/api/businesses/{business_id}/kept-fullmakter"): {KOMMUN},
    ("GET", "/api/kept-fullmakter/{document_id}/file"): {KOMMUN},
    ("POST", "/api/applications/{application_id}/representatives/{representative_id}/checked"): {KOMMUN},
    ("POST", "/api/applications/{application_id}/representatives/{representative_id}/ask-for-fullmakt"): {
        KOMMUN
    },
    ("POST", "/api/chains"): {OWNER},
    ("GET", "/api/chains"): {OWNER},
    ("GET", "/api/chains/{chain_id}"): {OWNER},
    ("POST", "/api/chains/{chain_id}/representatives"): {OWNER},
    ("DELETE", "/api/chains/{chain_id}/representatives/me"): {OWNER},
    ("POST", "/api/chains/{chain_id}/members"): {OWNER},
    ("DELETE", "/api/chains/{chain_id}/members/{business_id}"): {OWNER},
    ("POST", "/api/chains/{chain_id}/invitations"): {OWNER},
    ("POST", "/api/chain-invitations/{token}/accept"): {OWNER},
    ("GET", "/api/kommun/chains"): {KOMMUN},
    ("POST", "/api/chains/{chain_id}/cases"): {OWNER},
    ("GET", "/api/chains/{chain_id}/cases"): {OWNER},
    ("POST", "/api/chains/{chain_id}/documents"): {OWNER},
    ("GET", "/api/chains/{chain_id}/documents"): {OWNER},
    ("GET", "/api/chain-documents/{chain_document_id}"): ANY_USER,
    ("GET", "/api/chain-cases/{chain_case_id}"): ANY_USER,
    ("PUT", "/api/chain-cases/{chain_case_id}/audits/{business_id}/{point}"): {OWNER},
    ("POST", "/api/chain-cases/{chain_case_id}/submit"): {OWNER},
    ("POST", "/api/chain-cases/{chain_case_id}/withdraw"): {OWNER},
    ("POST", "/api/chain-cases/{chain_case_id}/assign"): {KOMMUN},
    ("POST", "/api/chain-cases/{chain_case_id}/sample"): {KOMMUN},
    ("PUT", "/api/chain-cases/{chain_case_id}/central-points"): {KOMMUN},
    ("PUT", "/api/chain-cases/{chain_case_id}/central-verdicts/{point}"): {INSPECTOR},
    ("GET", "/api/inspector/chain-cases"): {INSPECTOR},
    ("DELETE", "/api/chain-cases/{chain_case_id}/sample/{business_id}"): {KOMMUN},
    ("POST", "/api/chain-cases/{chain_case_id}/reject"): {KOMMUN},
    ("POST", "/api/chain-cases/{chain_case_id}/approve"): {INSPECTOR},
    ("POST", "/api/chain-cases/{chain_case_id}/revoke"): {KOMMUN},
    ("GET", "/api/kommun/chain-cases"): {KOMMUN},
    ("GET", "/api/chain-cases/{chain_case_id}/corrections"): ANY_USER,
    ("POST", "/api/chain-cases/{chain_case_id}/require-corrections"): {INSPECTOR},
    ("PUT", "/api/chain-cases/{chain_case_id}/systemic-check"): {OWNER},
    ("POST", "/api/chain-cases/{chain_case_id}/report-corrections"): {OWNER},
    ("POST", "/api/chain-cases/{chain_case_id}/serious-points"): {INSPECTOR},
    ("POST", "/api/chain-cases/{chain_case_id}/fixes/{business_id}/{point}"): {OWNER},
    ("GET", "/api/chain-fixes/{chain_fix_id}"): ANY_USER,
    ("POST", "/api/chain-fixes/{chain_fix_id}/judgement"): {INSPECTOR},
    ("POST", "/api/chain-cases/{chain_case_id}/release"): {INSPECTOR},
    ("GET", "/api/applications"): ANY_USER,
    ("GET", "/api/applications/{application_id}"): ANY_USER,
    ("PUT", "/api/applications/{application_id}/answers/{point}"): {OWNER},
    ("PUT", "/api/applications/{application_id}/verdicts/{point}"): {INSPECTOR},
    ("PUT", "/api/applications/{application_id}/diarienummer"): {KOMMUN},
    ("POST", "/api/applications/{application_id}/disclosures"): {KOMMUN},
    ("POST", "/api/applications/{application_id}/archive-package"): {KOMMUN},
    ("GET", "/api/register/documents"): {KOMMUN},
    ("GET", "/api/kommun/retention/plan"): {KOMMUN},
    ("PUT", "/api/kommun/retention/plan"): {KOMMUN},
    ("GET", "/api/kommun/retention/purges"): {KOMMUN},
    ("GET", "/api/applications/{application_id}/checklist"): ANY_USER,
    ("GET", "/api/kommun/checklist/local-points"): {KOMMUN},
    ("POST", "/api/kommun/checklist/local-points"): {KOMMUN},
    ("PUT", "/api/kommun/checklist/local-points/{point_id}"): {KOMMUN},
    ("POST", "/api/kommun/checklist/local-points/{point_id}/retire"): {KOMMUN},
    ("GET", "/api/kommun/checklist/versions"): {KOMMUN},
    ("POST", "/api/kommun/checklist/versions"): {KOMMUN},
    ("GET", "/api/kommun/checklist/not-applicable-off"): {KOMMUN},
    ("PUT", "/api/kommun/checklist/not-applicable-off"): {KOMMUN},
    ("POST", "/api/applications/{application_id}/{action}"): ANY_USER,
    ("GET", "/api/applications/{application_id}/events"): ANY_USER,
    ("GET", "/api/applications/{application_id}/evidence"): ANY_USER,
    ("POST", "/api/applications/{application_id}/evidence"): {OWNER, INSPECTOR},
    ("GET", "/api/evidence/{evidence_id}"): ANY_USER,
    ("GET", "/api/evidence/{evidence_id}/thumbnail"): ANY_USER,
    ("DELETE", "/api/evidence/{evidence_id}"): {OWNER},
    ("GET", "/api/evidence-reads"): {KOMMUN},
    ("GET", "/api/certificates/{number}"): {PUBLIC},
    ("GET", "/api/certificates/{number}/pdf"): ANY_USER,
    ("GET", "/api/certificates/{number}/decal.pdf"): ANY_USER,
    ("GET", "/api/public/certified"): {PUBLIC},
    ("GET", "/register.csv"): {PUBLIC},
    ("GET", "/api/outbox"): {KOMMUN},
    ("POST", "/api/outbox/{message_id}/resend"): {KOMMUN},
    ("GET", "/api/webhooks"): {KOMMUN},
    ("POST", "/api/webhooks"): {KOMMUN},
    ("GET", "/api/webhooks/{webhook_id}/deliveries"): {KOMMUN},
    ("GET", "/api/reports/status"): {KOMMUN},
    ("GET", "/api/reports/status.csv"): {KOMMUN},
    ("GET", "/api/reports/status.xlsx"): {KOMMUN},
    ("GET", "/api/reports/status.pdf"): {KOMMUN},
    # --- public pages -------------------------------------------------------------------------
    ("GET", "/"): {PUBLIC},
    ("GET", "/static/{file_path}"): {PUBLIC},
    ("GET", "/offline-sw.js"): {PUBLIC},
    ("GET", "/besiktningar.webmanifest"): {PUBLIC},
    ("GET", "/verify"): {PUBLIC},
    ("GET", "/verify/{number}"): {PUBLIC},
    ("GET", "/logga-in"): {PUBLIC},
    ("POST", "/logga-in"): {PUBLIC},
    ("GET", "/skapa-konto"): {PUBLIC},
    ("POST", "/skapa-konto"): {PUBLIC},
    ("POST", "/logga-ut"): {PUBLIC},
    ("GET", "/utloggad"): {PUBLIC},
    ("GET", "/glomt-losenord"): {PUBLIC},
    ("POST", "/glomt-losenord"): {PUBLIC},
    ("GET", "/nytt-losenord/{token}"): {PUBLIC},
    ("POST", "/nytt-losenord/{token}"): {PUBLIC},
    ("GET", "/e-legitimation/logga-in"): {PUBLIC},
    ("GET", "/e-legitimation/tillbaka"): {PUBLIC},
    ("GET", "/e-legitimation/nytt-konto"): {PUBLIC},
    ("POST", "/e-legitimation/nytt-konto"): {PUBLIC},
    ("GET", "/e-legitimation/koppla"): {OWNER},
    ("GET", "/personal/logga-in/{kommun_id}"): {PUBLIC},
    ("GET", "/personal/tillbaka"): {PUBLIC},
    ("GET", "/byt-losenord"): ANY_USER,
    ("POST", "/byt-losenord"): ANY_USER,
    # --- the owner's pages --------------------------------------------------------------------
    ("GET", "/mina-butiker"): {OWNER},
    ("GET", "/butiker/ny"): {OWNER},
    ("POST", "/butiker/ny"): {OWNER},
    ("GET", "/butiker/{business_id}"): {OWNER},
    ("GET", "/butiker/{business_id}/andra"): {OWNER},
    ("GET", "/butiker/{business_id}/foretradare"): {OWNER},
    ("POST", "/butiker/{business_id}/foretradare"): {OWNER},
    ("POST", "/butiker/{business_id}/foretradare/bjud-in"): {OWNER},
    ("POST", "/butiker/{business_id}/foretradare/{representative_id}/ta-bort"): {OWNER},
    ("POST", "/butiker/{business_id}/andra"): {OWNER},
    ("GET", "/kedjor"): {OWNER},
    ("POST", "/kedjor"): {OWNER},
    ("GET", "/kedjor/{chain_id}"): {OWNER},
    ("POST", "/kedjor/{chain_id}/bjud-in"): {OWNER},
    ("POST", "/kedjor/{chain_id}/foretradare"): {OWNER},
    ("POST", "/kedjor/{chain_id}/lamna"): {OWNER},
    ("POST", "/kedjor/{chain_id}/butiker"): {OWNER},
    ("POST", "/kedjor/{chain_id}/medlemmar/{business_id}/ta-bort"): {OWNER},
    ("POST", "/kedjor/{chain_id}/arenden"): {OWNER},
    ("GET", "/kedjor/{chain_id}/arenden/{chain_case_id}"): {OWNER},
    ("POST", "/kedjor/{chain_id}/arenden/{chain_case_id}/dokument"): {OWNER},
    ("POST", "/kedjor/{chain_id}/arenden/{chain_case_id}/skicka"): {OWNER},
    ("GET", "/kedjor/{chain_id}/arenden/{chain_case_id}/butiker/{business_id}"): {OWNER},
    ("POST", "/kedjor/{chain_id}/arenden/{chain_case_id}/butiker/{business_id}"): {OWNER},
    ("GET", "/kommun/kedjearenden/{chain_case_id}"): {KOMMUN},
    ("POST", "/kommun/kedjearenden/{chain_case_id}/tilldela"): {KOMMUN},
    ("POST", "/kommun/kedjearenden/{chain_case_id}/stickprov"): {KOMMUN},
    ("POST", "/kedjor/{chain_id}/arenden/{chain_case_id}/systemkontroll"): {OWNER},
    ("POST", "/kedjor/{chain_id}/arenden/{chain_case_id}/rapportera"): {OWNER},
    ("POST", "/kedjor/{chain_id}/arenden/{chain_case_id}/underlag/{business_id}/{point}"): {OWNER},
    ("GET", "/besiktningar/kedjearenden/{chain_case_id}/atgarder"): {INSPECTOR},
    ("POST", "/besiktningar/kedjearenden/{chain_case_id}/begar-atgarder"): {INSPECTOR},
    ("POST", "/besiktningar/kedjearenden/{chain_case_id}/allvarlig-brist"): {INSPECTOR},
    ("POST", "/besiktningar/kedjearenden/{chain_case_id}/underlag/{chain_fix_id}"): {INSPECTOR},
    ("POST", "/besiktningar/kedjearenden/{chain_case_id}/hav-vilande"): {INSPECTOR},
    ("POST", "/kommun/kedjearenden/{chain_case_id}/centrala-punkter"): {KOMMUN},
    ("POST", "/kommun/kedjearenden/{chain_case_id}/avsla"): {KOMMUN},
    ("GET", "/kommun/kedjearenden/{chain_case_id}/rutt"): {KOMMUN},
    ("GET", "/besiktningar/kedjearenden/{chain_case_id}"): {INSPECTOR},
    ("GET", "/besiktningar/kedjearenden/{chain_case_id}/rutt"): {INSPECTOR},
    ("POST", "/besiktningar/kedjearenden/{chain_case_id}/centrala/{point}"): {INSPECTOR},
    ("POST", "/kommun/kedjearenden/{chain_case_id}/aterkalla"): {KOMMUN},
    ("GET", "/besiktningar/kedjearenden/{chain_case_id}/beslut"): {INSPECTOR},
    ("POST", "/besiktningar/kedjearenden/{chain_case_id}/godkann"): {INSPECTOR},
    ("POST", "/kedjor/{chain_id}/arenden/{chain_case_id}/dra-tillbaka"): {OWNER},
    ("GET", "/kedjeinbjudan/{token}"): {OWNER},
    ("POST", "/kedjeinbjudan/{token}"): {OWNER},
    ("GET", "/kommun/kedjor"): {KOMMUN},
    ("GET", "/mitt-konto"): ANY_USER,
    ("GET", "/mitt-konto/mina-uppgifter.json"): ANY_USER,
    ("POST", "/mitt-konto/stang"): ANY_USER,
    ("POST", "/butiker/{business_id}/ansokan"): {OWNER},
    ("GET", "/arenden/{application_id}/egenkontroll"): {OWNER},
    ("GET", "/arenden/{application_id}/egenkontroll/punkt/{point}"): {OWNER},
    ("POST", "/arenden/{application_id}/egenkontroll/punkt/{point}"): {OWNER},
    ("POST", "/arenden/{application_id}/bevis/{evidence_id}/ta-bort"): {OWNER},
    ("GET", "/arenden/{application_id}/skicka-in"): {OWNER},
    ("POST", "/arenden/{application_id}/skicka-in"): {OWNER},
    ("GET", "/arenden/{application_id}/dra-tillbaka"): {OWNER},
    ("POST", "/arenden/{application_id}/dra-tillbaka"): {OWNER},
    ("POST", "/arenden/{application_id}/atgardat"): {OWNER},
    # --- every role's way into a case ----------------------------------------------------------
    ("GET", "/arenden/{application_id}"): ANY_USER,
    ("GET", "/arenden/{application_id}/intyg.pdf"): ANY_USER,
    ("GET", "/arenden/{application_id}/dekal.pdf"): ANY_USER,
    ("GET", "/arenden/{application_id}/protokoll.pdf"): {INSPECTOR, KOMMUN},
    ("GET", "/arenden/{application_id}/protokoll.sv.pdf"): {INSPECTOR, KOMMUN},
    # --- the inspector's pages ----------------------------------------------------------------
    ("GET", "/besiktningar"): {INSPECTOR},
    ("GET", "/besiktningar/{application_id}"): {INSPECTOR},
    ("POST", "/besiktningar/{application_id}/punkt/{point}"): {INSPECTOR},
    ("POST", "/besiktningar/{application_id}/godkann"): {INSPECTOR},
    ("POST", "/besiktningar/{application_id}/begar-atgarder"): {INSPECTOR},
    ("POST", "/besiktningar/{application_id}/avsla"): {INSPECTOR},
    ("POST", "/besiktningar/{application_id}/boka-om"): {INSPECTOR},
    # --- the kommun's pages -------------------------------------------------------------------
    ("GET", "/kommun/arenden"): {KOMMUN},
    ("GET", "/kommun/arenden/{application_id}"): {KOMMUN},
    ("GET", "/kommun/atkomstlogg"): {KOMMUN},
    ("POST", "/kommun/arenden/{application_id}/tilldela"): {KOMMUN},
    ("POST", "/kommun/arenden/{application_id}/avsla"): {KOMMUN},
    ("POST", "/kommun/arenden/{application_id}/diarienummer"): {KOMMUN},
    ("POST", "/kommun/arenden/{application_id}/utlamnande"): {KOMMUN},
    ("POST", "/kommun/arenden/{application_id}/arkivpaket"): {KOMMUN},
    ("GET", "/kommun/diarium"): {KOMMUN},
    ("GET", "/kommun/tillganglighet"): {KOMMUN},
    ("POST", "/kommun/tillganglighet"): {KOMMUN},
    ("GET", "/kommun/gallring"): {KOMMUN},
    ("POST", "/kommun/gallring"): {KOMMUN},
    ("GET", "/tillganglighet"): {PUBLIC},
    ("GET", "/tillganglighet/{code}"): {PUBLIC},
    ("GET", "/kommun/diarium.csv"): {KOMMUN},
    ("POST", "/kommun/diarium/installningar"): {KOMMUN},
    ("GET", "/kommun/checklista"): {KOMMUN},
    ("POST", "/kommun/checklista/punkter"): {KOMMUN},
    ("POST", "/kommun/checklista/punkter/{point_id}"): {KOMMUN},
    ("POST", "/kommun/checklista/punkter/{point_id}/ta-bort"): {KOMMUN},
    ("POST", "/kommun/checklista/publicera"): {KOMMUN},
    ("POST", "/kommun/checklista/ej-tillamplig"): {KOMMUN},
    ("POST", "/kommun/arenden/{application_id}/aterkalla"): {KOMMUN},
    ("POST", "/kommun/arenden/{application_id}/andringar/{change_id}/godkann"): {KOMMUN},
    ("POST", "/kommun/arenden/{application_id}/andringar/{change_id}/avsla"): {KOMMUN},
    ("POST", "/kommun/arenden/{application_id}/foretradare/{representative_id}/kontrollerad"): {KOMMUN},
    ("POST", "/kommun/arenden/{application_id}/foretradare/{representative_id}/begar-fullmakt"): {KOMMUN},
    ("GET", "/kommun/anvandare"): {KOMMUN},
    ("POST", "/kommun/anvandare"): {KOMMUN},
    ("POST", "/kommun/anvandare/{user_id}/inaktivera"): {KOMMUN},
    ("POST", "/kommun/anvandare/{user_id}/aktivera"): {KOMMUN},
    ("POST", "/kommun/anvandare/{user_id}/nytt-losenord"): {KOMMUN},
    ("POST", "/kommun/anvandare/{owner_id}/skicka-losenordslank"): {KOMMUN},
    ("POST", "/kommun/anvandare/befintlig"): {KOMMUN},
    ("POST", "/kommun/anvandare/{user_id}/ta-bort"): {KOMMUN},
    ("GET", "/kommun/inloggning"): {KOMMUN},
    ("POST", "/kommun/inloggning"): {KOMMUN},
    ("POST", "/kommun/inloggning/koppla-bort"): {KOMMUN},
    ("GET", "/kommun/utkorg"): {KOMMUN},
    ("POST", "/kommun/utkorg/{message_id}/skicka-igen"): {KOMMUN},
    ("GET", "/kommun/rapporter"): {KOMMUN},
    ("GET", "/kommun/import"): {KOMMUN},
    ("POST", "/kommun/import"): {KOMMUN},
    ("GET", "/kommun/butiker"): {KOMMUN},
    ("POST", "/kommun/butiker/{business_id}/bjud-in"): {KOMMUN},
    ("GET", "/inbjudan/{token}"): {PUBLIC},
    ("POST", "/inbjudan/{token}"): {OWNER},
}
LOCAL_POINT = {"title": "Anhöriglista", "criteria": [{"kind": "required", "text": "Listan finns."}]}
LOCAL_POINT_FORM = {"titel": "Anhöriglista", "kriterium-1": "Listan finns.", "typ-1": "required"}
# Routes whose object belongs to someone: a stranger of an allowed role gets 404.
OBJECT_IDS = (
    "{business_id}",
    "{application_id}",
    "{evidence_id}",
    "{user_id}",
    "{owner_id}",
    "{message_id}",
    "{webhook_id}",
    "{change_id}",
    "{representative_id}",
    "{point_id}",
    "{material_change_id}",
    "{material_file_id}",
    "{chain_id}",
    "{document_id}",
    "{chain_case_id}",
    "{chain_document_id}",
    "{chain_fix_id}",
)
SCOPED = {path for (_, path) in TABLE if any(name in path for name in OBJECT_IDS)} | {
    "/api/certificates/{number}/pdf",
    "/api/certificates/{number}/decal.pdf",
}
# They end the caller's session, so the sessions the table uses would end: tested on their own below.
ENDS_SESSION = {"/api/auth/logout", "/logga-ut", "/api/me/close", "/mitt-konto/stang"}
NOT_OURS = {"/schema"}  # Litestar's own OpenAPI routes


def app_routes(app: Any) -> set[tuple[str, str]]:
    routes = set()
    for route in app.routes:
        if route.path.startswith(tuple(NOT_OURS)):
            continue
        path = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)  # {id:int} -> {id}
        for method in getattr(route, "methods", set()) - {"OPTIONS", "HEAD"}:
            routes.add((method, path))
    return routes


def test_every_route_is_in_the_table(app: Any) -> None:
    missing = app_routes(app) - set(TABLE)
    assert not missing, f"say who may call: {sorted(missing)}"
    assert not set(TABLE) - app_routes(app), "the table lists routes that no longer exist"


def is_page(template: str) -> bool:
    return not template.startswith("/api/")


# Each role tries an action it may do; the case is certified, so the state or a rule refuses it
# (409/422) — what matters here is that no guard does.
ACTION_FOR = {OWNER: "withdraw", INSPECTOR: "approve", KOMMUN: "revoke"}


def minimal_requests() -> dict[str, dict[str, Any]]:
    """Valid bodies, so that a stranger is refused for the object (404), not for the body (400).

    None of them changes what later rows use: the case is certified, so every action, answer and
    upload is refused; the user deactivated and reset is a spare inspector nobody logs in as; the
    wrong current password changes no password; the CSV holds no rows; a second webhook and a resent
    e-mail harm nothing.
    """
    wrong_password = {"current_password": "not the password", "new_password": "a brand new password 42"}
    return {
        "/api/applications/{application_id}/answers/{point}": {"json": {"status": "fulfilled"}},
        "/api/applications/{application_id}/verdicts/{point}": {"json": {"verdict": "pass"}},
        "/api/applications/{application_id}/diarienummer": {"json": {"diarienummer": "KS 2026/1"}},
        "/api/applications/{application_id}/evidence": {
            "params": {"point": 1},
            "files": {"file": ("skylt.png", PNG, "image/png")},
        },
        "/api/businesses/import": {
            "files": {
                "file": ("butiker.csv", b"namn,organisationsnummer,adress,postnummer,ort\n", "text/csv")
            }
        },
        "/api/me/password": {"json": wrong_password},
        "/api/webhooks": {"json": {"url": "https://hooks.example.se/certify", "event_types": ["submit"]}},
        "/byt-losenord": {
            "data": {
                "current": "not the password",
                "password": "a brand new password 42",
                "repeat": "a brand new password 42",
            }
        },
        "/arenden/{application_id}/atgardat": {"data": {"kommentar": "Larmet är lagat."}},
        "/besiktningar/{application_id}/punkt/{point}": {"data": {"bedomning": "pass", "anmarkning": ""}},
        "/besiktningar/{application_id}/begar-atgarder": {"data": {"deadline": future_deadline()}},
        "/besiktningar/{application_id}/avsla": {"data": {"skal": "Brister kvarstår."}},
        "/besiktningar/{application_id}/boka-om": {"data": {"besok": visit_time()[:16]}},
        "/kommun/arenden/{application_id}/tilldela": {"data": {"besok": visit_time()[:16]}},
        "/kommun/arenden/{application_id}/diarienummer": {"data": {"diarienummer": "KS 2026/1"}},
        # An utlämnande of the case's first register entry (its self-assessment): a harmless new entry.
        "/api/applications/{application_id}/disclosures": {
            "json": {"document_id": 1, "requester": "Journalist", "assessment": "refused", "decision": "§ 1"}
        },
        "/kommun/arenden/{application_id}/utlamnande": {
            "data": {"handling": "1", "begard-av": "Journalist", "bedomning": "refused", "beslut": "§ 1"}
        },
        "/api/businesses/{business_id}/representation": {"json": {"basis": "signatory"}},
        "/api/businesses/{business_id}/representation/fullmakt": {
            "files": {"file": ("fullmakt.png", PNG, "image/png")}
        },
        "/api/businesses/{business_id}/representatives/invite": {"json": {"email": "kollega@example.se"}},
        "/butiker/{business_id}/foretradare": {"data": {"grund": "firmatecknare"}},
        "/butiker/{business_id}/foretradare/bjud-in": {"data": {"e-post": "kollega2@example.se"}},
        "/kommun/diarium/installningar": {"data": {"format": "{year}/{seq}"}},
        "/api/kommun/checklist/local-points": {"json": LOCAL_POINT},
        "/api/kommun/checklist/local-points/{point_id}": {"json": LOCAL_POINT},
        "/api/kommun/checklist/versions": {"json": {"valid_from": clock.today().isoformat()}},
        "/kommun/checklista/punkter": {"data": LOCAL_POINT_FORM},
        "/kommun/checklista/punkter/{point_id}": {"data": LOCAL_POINT_FORM},
        "/kommun/checklista/publicera": {"data": {"fran": clock.today().isoformat()}},
        "/api/kommun/checklist/not-applicable-off": {"json": {"points": [4]}},
        "/kommun/checklista/ej-tillamplig": {"data": {"avstangd": "4"}},
        # A reported material change: another is harmless; noting it changes nothing else.
        "/api/businesses/{business_id}/material-changes": {
            "json": {"kind": "other", "description": "Ny skylt vid entrén."}
        },
        "/api/material-changes/{material_change_id}/files": {
            "files": {"file": ("skylt.png", PNG, "image/png")}
        },
        "/api/material-changes/{material_change_id}/decision": {"json": {"decision": "note"}},
        "/butiker/{business_id}/forandring": {"data": {"typ": "other", "beskrivning": "Ny skylt."}},
        "/kommun/forandringar/{material_change_id}/beslut": {"data": {"beslut": "note"}},
        # Chains: a new chain (the second caller finds its number taken: 409); the shop is in the
        # chain, so the member routes find it, the last representative cannot leave (422).
        "/api/chains": {"json": {"name": "Ny kedja", "org_number": "5566778899"}},
        "/kedjor": {"data": {"namn": "Ny kedja", "organisationsnummer": "5566778899"}},
        "/api/chains/{chain_id}/representatives": {"json": {"email": "ingen-sadan@example.se"}},
        "/kedjor/{chain_id}/foretradare": {"data": {"foretradare": "ingen-sadan@example.se"}},
        "/api/chains/{chain_id}/members": {"json": {"business_id": 1}},
        "/kedjor/{chain_id}/butiker": {"data": {"butik": "1"}},
        "/api/chains/{chain_id}/invitations": {"json": {"email": "butik@example.se"}},
        "/kedjor/{chain_id}/bjud-in": {"data": {"e-post": "butik@example.se"}},
        "/api/chain-invitations/{token}/accept": {"json": {"business_id": 1}},
        "/kedjeinbjudan/{token}": {"data": {"butik": "1"}},
        # The chain case is assigned (inspecting): audits, submit, withdraw and assign are refused
        # by its state (409), a second case in the kommun by the rule (422); the shop is sampled
        # already (409) and stays (409); a new central document is harmless.
        "/api/chains/{chain_id}/cases": {"json": {"kommun_code": "2081"}},
        "/api/chains/{chain_id}/documents": {"files": {"file": ("rutiner.png", PNG, "image/png")}},
        "/api/chain-cases/{chain_case_id}/audits/{business_id}/{point}": {"json": {"status": "fulfilled"}},
        "/api/chain-cases/{chain_case_id}/sample": {"json": {"business_id": 1}},
        "/api/chain-cases/{chain_case_id}/central-points": {"json": {"points": [1, 2]}},
        "/kedjor/{chain_id}/arenden": {"data": {"kommun": "2081"}},
        "/kedjor/{chain_id}/arenden/{chain_case_id}/dokument": {
            "files": {"fil": ("rutiner.png", PNG, "image/png")}
        },
        "/kedjor/{chain_id}/arenden/{chain_case_id}/butiker/{business_id}": {
            "data": {"status-1": "fulfilled"}
        },
        "/kommun/kedjearenden/{chain_case_id}/tilldela": {"data": {"besiktningsperson": "1"}},
        "/kommun/kedjearenden/{chain_case_id}/stickprov": {"data": {"butik": "1"}},
        # The correction round: nothing failed, so corrections and a serious point are refused
        # (422), the systemic check, the report, evidence, judging and release by the state (409).
        "/api/chain-cases/{chain_case_id}/systemic-check": {"json": {"declarations": []}},
        "/api/chain-cases/{chain_case_id}/serious-points": {"json": {"point": 5}},
        "/api/chain-cases/{chain_case_id}/fixes/{business_id}/{point}": {
            "files": {"file": ("larm.png", PNG, "image/png")}
        },
        "/api/chain-fixes/{chain_fix_id}/judgement": {"json": {"judgement": "accepted"}},
        "/kedjor/{chain_id}/arenden/{chain_case_id}/underlag/{business_id}/{point}": {
            "files": {"fil": ("larm.png", PNG, "image/png")}
        },
        "/besiktningar/kedjearenden/{chain_case_id}/allvarlig-brist": {"data": {"brist": "5"}},
        "/besiktningar/kedjearenden/{chain_case_id}/underlag/{chain_fix_id}": {
            "data": {"bedomning": "accepted"}
        },
        # The assigned inspector judges central point 1 (a pass; nothing later depends on it).
        "/api/chain-cases/{chain_case_id}/central-verdicts/{point}": {"json": {"verdict": "pass"}},
        "/besiktningar/kedjearenden/{chain_case_id}/centrala/{point}": {"data": {"bedomning": "pass"}},
        # The kommun's reject and revoke get no reason: refused (422), so the case stays certified.
    }


def fill(template: str, ids: dict[str, Any], role: str) -> str:
    values = {**ids, "action": ACTION_FOR.get(role, "withdraw")}
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), template)


async def csrf_token(client: httpx.AsyncClient) -> str:
    """The token a page's form would carry: the csrftoken cookie, set by any page."""
    if "csrftoken" not in client.cookies:
        await client.get("/")
    return client.cookies["csrftoken"]


@pytest.fixture
async def parties(world: World) -> dict[str, Any]:
    s = await Scenario.create(world)
    photo = await ok(
        await s.owner.post(
            f"/api/applications/{s.case_id}/evidence",
            params={"point": 1},
            files={"file": ("skylt.png", PNG, "image/png")},
        ),
        201,
    )
    case = await s.to_state("certified")
    hook = await ok(
        await s.kommun.post(
            "/api/webhooks", json={"url": "https://hooks.example.se/a", "event_types": ["*"]}
        ),
        201,
    )
    messages = await ok(await s.kommun.get("/api/outbox"))
    assert messages, "certifying a case queues e-mail to the owner"
    await world.kommun("2080", "Falu kommun")
    strangers = {
        OWNER: (await world.client_for(Role.owner))[1],
        INSPECTOR: (await world.client_for(Role.inspector))[1],
        KOMMUN: (await world.client_for(Role.kommun, ["2080"]))[1],
    }
    representative = await ok(
        await s.owner.post(
            f"/api/businesses/{s.business_id}/representation/fullmakt",
            files={"file": ("fullmakt.png", PNG, "image/png")},
        )
    )
    await ok(  # a new fullmakt: the first one is kept (services/fullmakter.py)
        await s.owner.post(
            f"/api/businesses/{s.business_id}/representation/fullmakt",
            files={"file": ("ny-fullmakt.png", PNG, "image/png")},
        )
    )
    [kept] = await ok(await s.kommun.get(f"/api/businesses/{s.business_id}/kept-fullmakter"))
    local = await ok(await s.kommun.post("/api/kommun/checklist/local-points", json=LOCAL_POINT), 201)
    renamed = await ok(await s.owner.patch(f"/api/businesses/{s.business_id}", json={"name": "Nytt namn"}))
    material = await ok(
        await s.owner.post(
            f"/api/businesses/{s.business_id}/material-changes",
            json={"kind": "counter", "description": "Kassadisken är ombyggd."},
        ),
        201,
    )
    material_file = await ok(
        await s.owner.post(
            f"/api/material-changes/{material['id']}/files", files={"file": ("disk.png", PNG, "image/png")}
        ),
        201,
    )
    chain = await ok(
        await s.owner.post("/api/chains", json={"name": "Kedjan", "org_number": "5566778881"}), 201
    )
    await ok(
        await s.owner.post(f"/api/chains/{chain['id']}/members", json={"business_id": s.business_id}), 201
    )
    chain_case = await ok(
        await s.owner.post(f"/api/chains/{chain['id']}/cases", json={"kommun_code": "2081"}), 201
    )
    chain_document = await ok(
        await s.owner.post(
            f"/api/chains/{chain['id']}/documents", files={"file": ("rutiner.png", PNG, "image/png")}
        ),
        201,
    )
    for point in range(1, 14):
        await ok(
            await s.owner.put(
                f"/api/chain-cases/{chain_case['id']}/audits/{s.business_id}/{point}",
                json={"status": "fulfilled"},
            )
        )
    await ok(await s.owner.post(f"/api/chain-cases/{chain_case['id']}/submit", json={}))
    await ok(
        await s.kommun.post(
            f"/api/chain-cases/{chain_case['id']}/assign", json={"inspector_id": s.inspector_id}
        )
    )
    # Evidence of a fixed serious deficiency (the inspection that fails a point is another test's).
    chain_fix = (
        await ChainFix.insert(
            ChainFix(
                chain_case=chain_case["id"],
                business=s.business_id,
                point=5,
                file_name="larm.png",
                content_type="image/png",
                size=len(PNG),
                content=PNG,
            )
        )
        .returning(ChainFix.id)
        .run()
    )
    return {
        "ids": {
            "chain_id": chain["id"],
            "chain_fix_id": chain_fix[0]["id"],
            "chain_case_id": chain_case["id"],
            "chain_document_id": chain_document["id"],
            "change_id": renamed["reported_change"]["id"],
            "business_id": s.business_id,
            "application_id": s.case_id,
            "point": 1,
            "version": "2026.1",
            "number": case["certificate"]["number"],
            "evidence_id": photo["id"],
            "user_id": await world.user(Role.inspector, name="Extra Besiktningsperson"),
            "owner_id": s.owner_id,
            "message_id": messages[0]["id"],
            "webhook_id": hook["id"],
            "representative_id": representative["id"],
            "point_id": local["id"],
            "material_change_id": material["id"],
            "material_file_id": material_file["id"],
            "document_id": kept["id"],
            "token": "ingen-sadan-inbjudan",
            "kommun_id": 1,  # a kommun without its own staff log-in: 404
            "file_path": "certify.css",
            "code": "2081",
        },
        "clients": {OWNER: s.owner, INSPECTOR: s.inspector, KOMMUN: s.kommun},
        "strangers": strangers,
        "anonymous": world.new_client(),
    }


async def call(
    client: httpx.AsyncClient, method: str, template: str, path: str, requests: dict[str, dict[str, Any]]
) -> httpx.Response:
    request = dict(requests.get(template, {}))
    if method == "GET":
        return await client.request(method, path, params=request.get("params"))
    if is_page(template):
        request["data"] = {"_csrf_token": await csrf_token(client), **request.get("data", {})}
    elif "files" not in request:
        request.setdefault("json", {})
    return await client.request(method, path, **request)


def judge(
    who: str, method: str, template: str, response: httpx.Response, *, may: bool, stranger: bool = False
) -> list[str]:
    """What is wrong with the answer, in words (nothing when it is as the table says)."""
    status, page, scoped = response.status_code, is_page(template), template in SCOPED
    where = f"{who} {method} {template}: {status}"
    location = response.headers.get("location", "")
    if status >= 500:
        return [f"{where}, a server error"]
    if not may and who == "anonymous" and page:
        if status != 303 or not location.startswith("/logga-in?nasta="):
            return [f"{where} to {location or '-'}, expected 303 to /logga-in?nasta=…"]
        back = parse_qs(urlsplit(location).query).get("nasta", [""])[0]
        if method == "GET" and back != response.request.url.path:
            return [f"{where}, expected nasta={response.request.url.path}, not {back}"]
        return []
    if not may and who == "anonymous":
        return [] if status == 401 else [f"{where}, expected 401"]
    if not may and stranger and scoped and status == 404:
        return []  # refused either way; not even saying that the object exists is fine
    if not may:
        if status != 403:
            return [f"{where}, expected 403"]
        if page and not response.headers.get("content-type", "").startswith("text/html"):
            return [f"{where}, expected an HTML page, not {response.headers.get('content-type')}"]
        return []
    if status in {401, 403} or location.startswith("/logga-in"):
        return [f"{where} {location}, expected access"]
    if stranger and scoped and status != 404:
        return [f"{where}, expected 404"]
    if not stranger and scoped and status == 404:
        return [f"{where}, expected its own object to be found"]
    return []


async def test_each_role_gets_what_the_table_says(parties: dict[str, Any]) -> None:
    ids, requests = parties["ids"], minimal_requests()
    problems: list[str] = []
    for (method, template), allowed in sorted(TABLE.items()):
        path = fill(template, ids, "")
        response = await call(parties["anonymous"], method, template, path, requests)
        problems += judge("anonymous", method, template, response, may=PUBLIC in allowed)
        if template in ENDS_SESSION:
            continue
        for role, client in parties["clients"].items():
            may = PUBLIC in allowed or role in allowed
            path = fill(template, ids, role)
            response = await call(client, method, template, path, requests)
            problems += judge(role, method, template, response, may=may)
            response = await call(parties["strangers"][role], method, template, path, requests)
            problems += judge(f"stranger {role}", method, template, response, may=may, stranger=True)
    assert not problems, "\n".join(problems)


async def test_an_unknown_certificate_number_is_a_404_page(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.get("/verify/SE-2081-0000-9999")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


async def test_logout_ends_the_session(world: World) -> None:
    await world.kommun()
    for role in (Role.owner, Role.inspector, Role.kommun):
        _, client = await world.client_for(role)
        await ok(await client.post("/api/auth/logout"), 204)
        assert (await client.get("/api/me")).status_code == 401, role
        assert (await client.post("/api/auth/logout")).status_code == 401, role


async def test_logging_out_of_the_pages_ends_the_session(world: World) -> None:
    await world.kommun()
    clients = {"anonymous": world.new_client()}
    for role in (Role.owner, Role.inspector, Role.kommun):
        clients[role.value] = (await world.client_for(role))[1]
    for who, client in clients.items():
        response = await client.post("/logga-ut", data={"_csrf_token": await csrf_token(client)})
        assert (response.status_code, response.headers["location"]) == (303, "/?klart=utloggad"), who
        assert (await client.get("/api/me")).status_code == 401, who
        assert (await client.get("/byt-losenord")).headers["location"] == "/logga-in?nasta=/byt-losenord"


async def test_closing_the_account_ends_the_session(world: World) -> None:
    await world.kommun()
    for role in (Role.owner, Role.inspector, Role.kommun):
        _, client = await world.client_for(role)
        wrong = await client.post("/api/me/close", json={"password": "not the password"})
        assert wrong.status_code not in {204, 401}, role  # the status itself is test_privacy's to say
        await ok(await client.get("/api/me"))
        await ok(await client.post("/api/me/close", json={"password": PASSWORD}), 204)
        assert (await client.get("/api/me")).status_code == 401, role
