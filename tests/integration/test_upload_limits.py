"""Upload limits as configured (here 1 MB per file and 2 files per case), seen through the pages."""

from __future__ import annotations

import dataclasses

import pytest

from certify.settings import Settings
from tests.conftest import World
from tests.integration.pages import PDF, PNG, errors_in, submit
from tests.integration.scenario import Scenario, ok

MB = 1024 * 1024


@pytest.fixture
def settings() -> Settings:
    return dataclasses.replace(Settings.from_env(), upload_max_bytes=MB, upload_max_per_case=2)


async def test_the_configured_size_limit_is_named(world: World) -> None:
    scenario = await Scenario.create(world)
    path = f"/arenden/{scenario.case_id}/egenkontroll/punkt/1"
    response = await submit(
        scenario.owner,
        path,
        path,
        {},
        files=[("bevis-1", ("stor.pdf", PDF + b"\x00" * MB, "application/pdf"))],
    )
    assert response.status_code == 400 and "högst 1 MB" in errors_in(response.text)[0]


async def test_a_body_far_over_the_limit_gets_an_html_413(world: World) -> None:
    scenario = await Scenario.create(world)
    path = f"/arenden/{scenario.case_id}/egenkontroll/punkt/1"
    huge = PNG + b"\x00" * (5 * MB)
    response = await submit(
        scenario.owner, path, path, {}, files=[("bevis-1", ("jatte.png", huge, "image/png"))]
    )
    assert response.status_code == 413
    assert "text/html" in response.headers["content-type"] and "Ladda upp färre filer" in response.text


async def test_the_case_file_limit_through_the_form(world: World) -> None:
    scenario = await Scenario.create(world)
    path = f"/arenden/{scenario.case_id}/egenkontroll/punkt/1"
    files = [("bevis-1", (f"{n}.png", PNG, "image/png")) for n in ("a", "b", "c")]
    response = await submit(scenario.owner, path, path, {}, files=files)
    assert response.status_code == 400
    assert errors_in(response.text) == [
        "Filen c.png: Ärendet har redan 2 filer, så många som är tillåtet. "
        "Ta bort en fil innan du laddar upp en ny."
    ]
    assert "Ärendet har 2 av högst 2 filer." in response.text
    assert len(await ok(await scenario.owner.get(f"/api/applications/{scenario.case_id}/evidence"))) == 2
