"""Evidence uploads: through the self-assessment form and the JSON API, type and size checks, access."""

from __future__ import annotations

import dataclasses

import pytest

from certify.domain import file_types
from certify.domain.errors import RuleNotMet
from certify.domain.status import Role
from certify.services import accounts, evidence
from certify.services.actor import Actor
from certify.services.clock import now
from certify.settings import Settings
from tests.conftest import World
from tests.integration.pages import JPEG, PDF, PNG, WEBP, errors_in, submit
from tests.integration.scenario import Scenario, ok

HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (JPEG, "image/jpeg"),
        (PNG, "image/png"),
        (WEBP, "image/webp"),
        (HEIC, "image/heic"),
        (PDF, "application/pdf"),
        (b"GIF89a" + b"\x00" * 20, None),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", None),
        (b"MZ\x90\x00", None),
        (b"", None),
    ],
)
def test_type_is_recognised_from_the_content(head: bytes, expected: str | None) -> None:
    assert file_types.detect(head) == expected


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\kim\\Bild 1.jpg", "Bild 1.jpg"),
        ('a"b<c>.png', "a_b_c_.png"),
        ("", "fil.pdf"),
        ("...", "fil.pdf"),
    ],
)
def test_file_names_are_for_display_only(raw: str, shown: str) -> None:
    assert evidence.display_name(raw, "application/pdf") == shown


async def upload_page(scenario: Scenario, point: int, name: str, data: bytes, mime: str = "image/png"):  # type: ignore[no-untyped-def]
    path = f"/arenden/{scenario.case_id}/egenkontroll/punkt/{point}"
    return await submit(
        scenario.owner,
        path,
        path,
        {f"svar-{point}": "fulfilled"},
        files=[(f"bevis-{point}", (name, data, mime))],
    )


async def test_upload_a_photo_with_an_answer_and_see_its_thumbnail(world: World) -> None:
    scenario = await Scenario.create(world)
    response = await upload_page(scenario, 9, "tejp.png", PNG)
    assert response.status_code == 303
    page = await scenario.owner.get(response.headers["location"])
    listed = await ok(await scenario.owner.get(f"/api/applications/{scenario.case_id}/evidence"))
    assert [(e["point"], e["file_name"], e["content_type"]) for e in listed] == [(9, "tejp.png", "image/png")]
    assert (
        f'src="/api/evidence/{listed[0]["id"]}/thumbnail"' in page.text
        and 'alt="Bild: tejp.png"' in page.text
    )
    shown = await scenario.owner.get(f"/api/evidence/{listed[0]['id']}")
    assert shown.status_code == 200 and shown.content == PNG
    assert shown.headers["content-type"] == "image/png"
    assert shown.headers["x-content-type-options"] == "nosniff"
    assert shown.headers["content-disposition"].startswith("inline;")


async def test_wrong_type_is_refused_and_the_rest_of_the_form_is_kept(world: World) -> None:
    scenario = await Scenario.create(world)
    path = f"/arenden/{scenario.case_id}/egenkontroll/punkt/2"
    response = await submit(
        scenario.owner,
        path,
        path,
        {"svar-2": "fulfilled", "kommentar-2": "Kim Svensson"},
        files=[("bevis-2", ("rutiner.png", b"MZ\x90\x00 not an image", "image/png"))],
    )
    assert response.status_code == 400
    [error] = errors_in(response.text)
    assert "rutiner.png" in error and "går inte att använda" in error and "PDF" in error
    assert "Kim Svensson" in response.text
    assert await ok(await scenario.owner.get(f"/api/applications/{scenario.case_id}/evidence")) == []
    assert len((await scenario.case(scenario.owner))["answers"]) == 1


async def test_oversize_upload_is_refused_with_the_limit(world: World, settings: Settings) -> None:
    scenario = await Scenario.create(world)
    too_big = PNG + b"\x00" * settings.upload_max_bytes
    response = await upload_page(scenario, 3, "stor.png", too_big)
    assert response.status_code == 400
    assert "för stor" in response.text and "högst 10 MB" in response.text


async def test_limits_come_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "CERTIFY_SECRET_KEY": "k" * 40,
            "CERTIFY_UPLOAD_MAX_MB": "2",
            "CERTIFY_UPLOAD_MAX_PER_CASE": "3",
            "CERTIFY_VAR_DIR": "/tmp",
        }
    )
    assert settings.upload_max_bytes == 2 * 1024 * 1024 and settings.upload_max_per_case == 3


async def test_at_most_the_configured_number_of_files_per_case(world: World, settings: Settings) -> None:
    scenario = await Scenario.create(world)
    owner = await evidence_owner(scenario)
    limits = evidence.UploadLimits.from_settings(dataclasses.replace(settings, upload_max_per_case=2))
    await evidence.add(owner, scenario.case_id, 1, "a.png", PNG, limits)
    await evidence.add(owner, scenario.case_id, 2, "b.pdf", PDF, limits)
    with pytest.raises(RuleNotMet, match="redan 2 filer"):
        await evidence.add(owner, scenario.case_id, 3, "c.png", PNG, limits)


async def evidence_owner(scenario: Scenario) -> Actor:
    actor = await accounts.load_actor(scenario.owner_id, now())
    assert actor is not None
    return actor


async def test_json_api_upload_list_download_and_remove(world: World) -> None:
    scenario = await Scenario.create(world)
    url = f"/api/applications/{scenario.case_id}/evidence"
    created = await ok(
        await scenario.owner.post(
            url, params={"point": 11}, files={"file": ("rutiner.pdf", PDF, "text/plain")}
        ),
        201,
    )
    assert created["content_type"] == "application/pdf" and created["size"] == len(PDF)
    download = await scenario.owner.get(f"/api/evidence/{created['id']}")
    assert download.headers["content-disposition"].startswith('attachment; filename="rutiner.pdf"')
    bad = await scenario.owner.post(
        url, params={"point": 11}, files={"file": ("x.jpg", b"hello", "image/jpeg")}
    )
    assert bad.status_code == 422 and "går inte att använda" in bad.json()["detail"]
    wrong_point = await scenario.owner.post(
        url, params={"point": 14}, files={"file": ("x.png", PNG, "image/png")}
    )
    assert wrong_point.status_code == 400
    assert (await scenario.owner.delete(f"/api/evidence/{created['id']}")).status_code == 204
    assert await ok(await scenario.owner.get(url)) == []


async def test_files_are_seen_by_owner_inspector_and_kommun_only(world: World) -> None:
    scenario = await Scenario.create(world)
    await upload_page(scenario, 5, "rum.jpg", JPEG, "image/jpeg")
    [item] = await ok(await scenario.owner.get(f"/api/applications/{scenario.case_id}/evidence"))
    file_url = f"/api/evidence/{item['id']}"
    assert (await scenario.kommun.get(file_url)).status_code == 200
    assert (await scenario.inspector.get(file_url)).status_code == 404, "not yet assigned to this case"
    await scenario.to_state("scheduled")
    assert (await scenario.inspector.get(file_url)).status_code == 200
    _, stranger = await world.client_for(Role.owner)
    await world.kommun("2080", "Falu kommun")
    _, other_kommun = await world.client_for(Role.kommun, ["2080"])
    assert (await other_kommun.get(file_url)).status_code == 404
    assert (await stranger.get(file_url)).status_code == 404
    assert (await stranger.get(f"/api/applications/{scenario.case_id}/evidence")).status_code == 404
    assert (await world.new_client().get(file_url)).status_code == 401


async def test_uploads_stop_once_the_case_is_submitted(world: World) -> None:
    scenario = await Scenario.create(world)
    await scenario.to_state("submitted")
    url = f"/api/applications/{scenario.case_id}/evidence"
    response = await scenario.owner.post(
        url, params={"point": 1}, files={"file": ("a.png", PNG, "image/png")}
    )
    assert response.status_code == 409


async def test_remove_a_file_from_the_form(world: World) -> None:
    scenario = await Scenario.create(world)
    await upload_page(scenario, 9, "tejp.png", PNG)
    [item] = await ok(await scenario.owner.get(f"/api/applications/{scenario.case_id}/evidence"))
    path = f"/arenden/{scenario.case_id}/egenkontroll/punkt/9"
    response = await submit(scenario.owner, path, f"/arenden/{scenario.case_id}/bevis/{item['id']}/ta-bort")
    assert response.status_code == 303 and "klart=borttagen" in response.headers["location"]
    assert await ok(await scenario.owner.get(f"/api/applications/{scenario.case_id}/evidence")) == []


async def test_an_upload_form_without_the_csrf_token_is_refused(world: World) -> None:
    scenario = await Scenario.create(world)
    path = f"/arenden/{scenario.case_id}/egenkontroll/punkt/1"
    await scenario.owner.get(path)
    response = await scenario.owner.post(
        path, data={"svar-1": "fulfilled"}, files=[("bevis-1", ("a.png", PNG, "image/png"))]
    )
    assert response.status_code == 403
    assert await ok(await scenario.owner.get(f"/api/applications/{scenario.case_id}/evidence")) == []
    assert (await scenario.case(scenario.owner))["answers"] == []


async def test_someone_else_cannot_remove_a_file(world: World) -> None:
    scenario = await Scenario.create(world)
    await upload_page(scenario, 9, "tejp.png", PNG)
    [item] = await ok(await scenario.owner.get(f"/api/applications/{scenario.case_id}/evidence"))
    _, stranger = await world.client_for(Role.owner)
    assert (await stranger.delete(f"/api/evidence/{item['id']}")).status_code == 404
    assert len(await ok(await scenario.owner.get(f"/api/applications/{scenario.case_id}/evidence"))) == 1
