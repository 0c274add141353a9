"""`certify demo` (the README's first command) loads a kommun a newcomer can explore: a case in
every state, shops still to reach, and the three logins it prints."""

from __future__ import annotations

import httpx

from certify.demo import IMPORTED, PASSWORDS, SHOPS, USERS, load_demo
from certify.domain.status import CaseState, Role
from certify.tables import Application, Business, Invitation
from certify.text.catalogue import _, ngettext


async def test_the_demo_has_every_state_shops_to_reach_and_working_logins(
    anonymous: httpx.AsyncClient,
) -> None:
    printed = await load_demo()
    count = len(SHOPS) + len(IMPORTED)
    assert (
        ngettext("Läste in %(num)d demobutik i Borlänge.", "Läste in %(num)d demobutiker i Borlänge.", count)
        in printed
    )
    states = {r["state"] for r in await Application.select(Application.state).run()}
    assert states == {s.value for s in CaseState}
    assert await Business.count().where(Business.owner.is_null()).run() == len(IMPORTED)
    assert await Invitation.count().run() == 1

    response = await anonymous.post(
        "/api/auth/login", json={"email": USERS[Role.kommun][0], "password": PASSWORDS[Role.kommun]}
    )
    assert response.status_code == 200
    outreach = (await anonymous.get("/api/businesses/outreach")).json()
    assert outreach["counts"] == {"not_invited": 2, "invited": 1, "signed_up": 2, "applied": 8}

    again = await load_demo()
    assert again[0] == _("Demodata är redan inlästa.")
    assert await Business.count().run() == len(SHOPS) + len(IMPORTED)
