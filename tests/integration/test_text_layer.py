"""The text layer: every page of every role, and every language choice."""

from __future__ import annotations

import httpx

from tests.pseudo import PSEUDO, assert_page_marked

KOMMUN = "Borlänge kommun"


async def test_start_page_has_no_word_outside_the_catalogue(
    anonymous: httpx.AsyncClient, pseudo_language: str
) -> None:
    page = await anonymous.get(f"/?lang={PSEUDO}")
    assert page.status_code == 200
    assert_page_marked("/", page.text, data=[KOMMUN])
