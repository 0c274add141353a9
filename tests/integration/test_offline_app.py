"""The inspector's installable app, as the server serves it: the manifest, the service worker and
the offline line on her pages (the behaviour on the phone is in tests/browser/test_offline_inspector.py)."""

from __future__ import annotations

import json
from html import unescape

import httpx

from certify.web.observability import SECURITY_HEADERS
from tests.conftest import World
from tests.integration.scenario import Scenario
from tests.integration.test_inspector_pages import booked, page_of


async def test_the_service_worker_is_served_for_the_inspector_pages_and_never_kept_stale(
    world: World,
) -> None:
    answer = await world.new_client().get("/offline-sw.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["service-worker-allowed"] == "/besiktningar"
    assert answer.headers["cache-control"] == "no-cache"
    assert "caches" in answer.text


async def test_the_manifest_names_the_app_in_swedish_and_starts_at_my_inspections(world: World) -> None:
    answer = await world.new_client().get("/besiktningar.webmanifest")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/manifest+json")
    manifest = answer.json()
    assert manifest["name"] == "Besiktning – Skydd mot rån i handeln"
    assert manifest["lang"] == "sv"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/besiktningar",
        "/besiktningar",
        "standalone",
    )
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert (await world.new_client().get(icon["src"])).status_code == 200


async def test_the_manifest_follows_the_chosen_language(world: World) -> None:
    answer = await world.new_client().get("/besiktningar.webmanifest", headers={"Accept-Language": "en"})
    assert answer.json()["name"] == "Inspection – Robbery protection in retail"


def test_scripts_and_the_worker_come_from_the_site_itself_only() -> None:
    policy = SECURITY_HEADERS["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "worker-src" not in policy or "worker-src 'self'" in policy


def _words(html: str) -> dict[str, str]:
    start = html.index('data-words="') + len('data-words="')
    return dict(json.loads(unescape(html[start : html.index('"', start)])))


async def test_the_inspector_pages_carry_the_offline_line_and_its_words(world: World) -> None:
    s = await booked(world)
    for path in ("/besiktningar", page_of(s)):
        html = (await s.inspector.get(path)).text
        assert 'id="offline-status" hidden' in html  # shown by the script only: no copy without it
        assert '<script src="/static/offline.js" defer></script>' in html
        assert '<link rel="manifest" href="/besiktningar.webmanifest">' in html
        words = _words(html)
        assert words["pending"] == "Sparad i telefonen, skickas när du har nät."
        assert "{time}" in words["saved"] and "synkroniserad" in words["saved"]
    queue = (await s.inspector.get("/besiktningar")).text
    assert f'href="{page_of(s)}" data-offline-case' in queue


async def test_owners_do_not_get_the_inspector_app_but_shrinking_and_progress(world: World) -> None:
    s = await Scenario.create(world)  # a draft: the owner's form is open
    html = (await s.owner.get(f"/arenden/{s.case_id}/egenkontroll/punkt/1")).text
    assert "webmanifest" not in html and "offline.js" not in html
    assert "/static/upload.js" in html and "data-upload-progress" in html


async def test_the_offline_words_are_in_every_language(world: World) -> None:
    s = await booked(world)
    for language, pending in (
        ("en", "Saved on the phone, sent when you have a connection."),
        ("fi", "Tallennettu puhelimeen, lähetetään kun sinulla on verkkoyhteys."),
        ("ar", "محفوظ في الهاتف، يُرسل عندما يتوفر لديك اتصال."),
    ):
        client: httpx.AsyncClient = s.inspector
        html = (await client.get(page_of(s), headers={"Accept-Language": language})).text
        assert _words(html)["pending"] == pending
