"""Steps the browser tests take through the JSON API before the browser takes over: one owner
signing up and applying, and staff logging in, written once for every journey."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from tests.browser.server import STAFF_PASSWORD


def staff(base_url: str, email: str) -> httpx.Client:
    """A logged-in client for one of the test server's staff accounts."""
    client = httpx.Client(base_url=base_url)
    client.post("/api/auth/login", json={"email": email, "password": STAFF_PASSWORD}).raise_for_status()
    return client


def owner_submits(
    base_url: str, owner: Mapping[str, str], shop: Mapping[str, Any], comments: Mapping[int, str] = {}
) -> tuple[httpx.Client, int, int]:
    """A new owner signs up, logs in, registers the shop, answers all 13 points as met (with the
    given comments) and submits: the owner's client, the shop's id and the case's id."""
    client = httpx.Client(base_url=base_url)
    client.post("/api/auth/register", json=dict(owner)).raise_for_status()
    login = {"email": owner["email"], "password": owner["password"]}
    client.post("/api/auth/login", json=login).raise_for_status()
    created = client.post("/api/businesses", json=dict(shop))
    created.raise_for_status()
    shop_id = int(created.json()["id"])
    case = client.post(f"/api/businesses/{shop_id}/applications")
    case.raise_for_status()
    case_id = int(case.json()["id"])
    for point in range(1, 14):
        client.put(
            f"/api/applications/{case_id}/answers/{point}",
            json={"status": "fulfilled", "comment": comments.get(point, "")},
        ).raise_for_status()
    client.post(f"/api/applications/{case_id}/submit").raise_for_status()
    return client, shop_id, case_id
