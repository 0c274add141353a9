"""Uploaded PDFs with script, launch actions or embedded files are refused, naming why (both databases)."""

from __future__ import annotations

import pytest

from tests.conftest import World
from tests.integration.pages import PDF, errors_in, submit
from tests.integration.scenario import Scenario, ok
from tests.unit.test_uploaded_pdf import FOUND, attachment, build, launch_link, open_action

REASONS = {
    "javascript": "innehåller JavaScript",
    "launch": "startar ett program",
    "embedded_file": "inbäddade filer",
}


@pytest.mark.parametrize("case", sorted(FOUND))
async def test_the_api_refuses_a_pdf_with_active_content(world: World, case: str) -> None:
    change, expected = FOUND[case]
    s = await Scenario.create(world)
    url = f"/api/applications/{s.case_id}/evidence"
    response = await s.owner.post(
        url, params={"point": 11}, files={"file": ("rutiner.pdf", build(change), "application/pdf")}
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert REASONS[expected.value] in body["detail"] and "PDF-dokumentet" in body["detail"]
    assert await ok(await s.owner.get(url)) == []


async def test_a_plain_pdf_is_still_accepted(world: World) -> None:
    s = await Scenario.create(world)
    url = f"/api/applications/{s.case_id}/evidence"
    response = await s.owner.post(
        url, params={"point": 11}, files={"file": ("rutiner.pdf", PDF, "application/pdf")}
    )
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("change", [open_action, launch_link, attachment])
async def test_the_assessment_form_refuses_it_and_keeps_the_answer(world: World, change) -> None:  # type: ignore[no-untyped-def]
    s = await Scenario.create(world)
    path = f"/arenden/{s.case_id}/egenkontroll/punkt/11"
    response = await submit(
        s.owner,
        path,
        path,
        {"svar-11": "fulfilled", "kommentar-11": "Rutinerna gicks igenom i maj."},
        files=[("bevis-11", ("rutiner.pdf", build(change), "application/pdf"))],
    )
    assert response.status_code == 400
    [error] = errors_in(response.text)
    assert "rutiner.pdf" in error and "PDF-dokumentet går inte att använda" in error
    assert "Rutinerna gicks igenom i maj." in response.text
    assert await ok(await s.owner.get(f"/api/applications/{s.case_id}/evidence")) == []
