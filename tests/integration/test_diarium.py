"""The diarienummer: given when the kommun receives a case, gap-free per kommun and year."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, date, datetime

import pypdf
import pytest
from click.testing import CliRunner

from certify.cli import main
from certify.domain.diarienummer import compose, normalise_format
from certify.domain.errors import InvalidField
from certify.domain.status import Role
from certify.services import cases, diarium
from certify.services.actor import Actor
from certify.services.cases import ActionInput
from certify.tables import Answer, Application
from tests.conftest import World
from tests.integration.scenario import ALL_POINTS, Scenario, ok, shop_fields


async def _answered(s: Scenario) -> None:
    """Setup only: the self-assessment filled in straight in the table (the API path is tested
    elsewhere); the submissions under test go through HTTP."""
    await Answer.insert(
        *[Answer(application=s.case_id, point=p, status="fulfilled", comment="") for p in ALL_POINTS]
    ).run()


async def _cases(world: World, first: Scenario, count: int) -> list[Scenario]:
    made = [first]
    while len(made) < count:
        made.append(await Scenario.create_in(world, made[-1]))
    for s in made:
        await _answered(s)
    return made


async def test_fifty_concurrent_submissions_get_fifty_consecutive_numbers(world: World) -> None:
    await world.kommun()
    await diarium.configure("2081", number_format="KS {year}/{seq}")
    scenarios = await _cases(world, await Scenario.create(world), 50)

    responses = await asyncio.gather(*(s.act(s.owner, "submit") for s in scenarios))

    assert [r.status_code for r in responses] == [200] * 50, [
        r.text for r in responses if r.status_code != 200
    ]
    numbers = [r.json()["diarienummer"] for r in responses]
    year = datetime.now(UTC).year  # the test does not run in the last hour of a year
    assert sorted(numbers) == [f"KS {year}/{n:05d}" for n in range(1, 51)]
    stored = await Application.select(Application.diarienummer).run()
    assert sorted(r["diarienummer"] for r in stored) == sorted(numbers)


async def test_the_number_is_shown_to_the_owner_and_in_the_timeline(world: World) -> None:
    s = await Scenario.create(world)
    draft = await s.case(s.owner)
    assert draft["diarienummer"] is None
    await s.to_state("submitted")
    year = datetime.now(UTC).year
    assert (await s.case(s.owner))["diarienummer"] == f"{year}/00001"
    page = await s.owner.get(f"/butiker/{s.business_id}")
    assert f"{year}/00001" in page.text


async def _submit_at(s: Scenario, at: datetime) -> str | None:
    """Submit as the owner at a chosen moment (the service's `at`, as demo data replays history)."""
    owner = Actor(id=s.owner_id, email="", name="", role=Role.owner)
    return (await cases.perform(owner, s.case_id, "submit", ActionInput(), at=at)).diarienummer  # type: ignore[union-attr]


async def test_the_year_rolls_over_at_midnight_swedish_time(world: World) -> None:
    first = await Scenario.create(world)
    made = await _cases(world, first, 3)
    # 22:59 UTC on 31 December is 23:59 in Sweden; 23:00 UTC is already the new year there.
    assert await _submit_at(made[0], datetime(2026, 12, 31, 22, 59, tzinfo=UTC)) == "2026/00001"
    assert await _submit_at(made[1], datetime(2026, 12, 31, 23, 0, tzinfo=UTC)) == "2027/00001"
    assert await _submit_at(made[2], datetime(2027, 1, 2, 8, 0, tzinfo=UTC)) == "2027/00002"


async def test_two_kommuner_count_separately(world: World) -> None:
    borlange = await Scenario.create(world)
    second = await Scenario.create_in(world, borlange)
    await world.kommun("2062", "Mora kommun")
    await diarium.configure("2062", number_format="MK-{seq}-{year}")
    shop = await ok(
        await borlange.owner.post(
            "/api/businesses",
            json={**shop_fields(900, city="Mora", postal_code="792 30"), "kommun_code": "2062"},
        ),
        201,
    )
    case = await ok(await borlange.owner.post(f"/api/businesses/{shop['id']}/applications"), 201)
    mora = Scenario(
        world,
        borlange.owner,
        borlange.inspector,
        borlange.kommun,
        borlange.owner_id,
        borlange.inspector_id,
        borlange.kommun_id,
        case_id=case["id"],
    )
    for s in (borlange, mora, second):
        await _answered(s)
        await ok(await s.act(s.owner, "submit"))
    year = datetime.now(UTC).year
    assert (await borlange.case(borlange.owner))["diarienummer"] == f"{year}/00001"
    assert (await mora.case(borlange.owner))["diarienummer"] == f"MK-00001-{year}"
    assert (await second.case(borlange.owner))["diarienummer"] == f"{year}/00002"


async def test_a_kommun_that_types_its_own_numbers(world: World) -> None:
    await world.kommun()
    await diarium.configure("2081", typed=True)
    s = await Scenario.create(world)
    await s.to_state("submitted")
    assert (await s.case())["diarienummer"] is None
    refused = await s.kommun.put(f"/api/applications/{s.case_id}/diarienummer", json={"diarienummer": "   "})
    assert refused.status_code == 400
    saved = await ok(
        await s.kommun.put(
            f"/api/applications/{s.case_id}/diarienummer", json={"diarienummer": " KS  2026/118 "}
        )
    )
    assert saved["diarienummer"] == "KS 2026/118"
    again = await s.kommun.put(
        f"/api/applications/{s.case_id}/diarienummer", json={"diarienummer": "KS 2026/119"}
    )
    assert again.status_code == 409
    owner_try = await s.owner.put(f"/api/applications/{s.case_id}/diarienummer", json={"diarienummer": "X"})
    assert owner_try.status_code in {403, 404}
    other = await Scenario.create_in(world, s)
    await other.to_state("submitted")
    taken = await s.kommun.put(
        f"/api/applications/{other.case_id}/diarienummer", json={"diarienummer": "KS 2026/118"}
    )
    assert taken.status_code == 409, taken.text


def test_formats() -> None:
    assert compose(normalise_format("KS {year}/{seq}"), 2026, 42) == "KS 2026/00042"
    assert compose(normalise_format(""), 2026, 7) == "2026/00007"
    for bad in ("KS {year}", "{seq}{seq}", "{seq:03d}", "{kommun}{seq}", "{", "x" * 41 + "{seq}"):
        with pytest.raises(InvalidField):
            normalise_format(bad)


def test_the_cli_sets_and_shows_a_kommuns_diarium() -> None:
    runner = CliRunner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "sv_SE.UTF-8"})
    assert runner.invoke(main, ["add-kommun", "--code", "2081", "--name", "Borlänge kommun"]).exit_code == 0
    bad = runner.invoke(main, ["diarium", "set", "--kommun", "2081", "--format", "KS {year}"])
    assert bad.exit_code == 1 and "{seq}" in bad.output and bad.output.strip().count("\n") == 0
    done = runner.invoke(main, ["diarium", "set", "--kommun", "2081", "--format", "KS {year}/{seq}"])
    assert done.exit_code == 0, done.output
    assert f"KS {date.today().year}/00042" in done.output
    typed = runner.invoke(main, ["diarium", "set", "--kommun", "2081", "--typed"])
    assert "ärendesystem" in typed.output
    shown = runner.invoke(main, ["diarium", "show", "--kommun", "2081"])
    assert "Format: KS {year}/{seq}" in shown.output and "ärendesystem" in shown.output


async def test_the_kommun_types_the_number_on_the_case_page(world: World) -> None:
    await world.kommun()
    await diarium.configure("2081", typed=True)
    s = await Scenario.create(world)
    await s.to_state("submitted")
    page = await s.kommun.get(f"/kommun/arenden/{s.case_id}")
    assert "Inte diariefört" in page.text and 'name="diarienummer"' in page.text
    token = s.kommun.cookies["csrftoken"]
    empty = await s.kommun.post(
        f"/kommun/arenden/{s.case_id}/diarienummer",
        data={"diarienummer": " "},
        headers={"x-csrftoken": token},
    )
    assert empty.status_code == 400 and 'id="f-diarienummer-error"' in empty.text
    saved = await s.kommun.post(
        f"/kommun/arenden/{s.case_id}/diarienummer",
        data={"diarienummer": "KS 2026/118"},
        headers={"x-csrftoken": token},
    )
    assert saved.status_code == 303
    page = await s.kommun.get(saved.headers["location"])
    assert "KS 2026/118" in page.text and 'name="diarienummer"' not in page.text
    assert "diarieförde ärendet med diarienummer KS 2026/118" in page.text  # the timeline


async def test_the_protocol_and_the_inspector_show_the_number(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("corrections_required")
    number = (await s.case())["diarienummer"]
    assert number
    pdf = await s.kommun.get(f"/arenden/{s.case_id}/protokoll.pdf")
    text = pypdf.PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().replace("\n", " ")
    assert f"Diarienummer {number}" in text
    assert number in (await s.inspector.get(f"/besiktningar/{s.case_id}")).text


async def test_the_kommun_sets_its_format_on_the_diarium_page(world: World) -> None:
    s = await Scenario.create(world)
    token = s.kommun.cookies.get("csrftoken") or (await s.kommun.get("/")).cookies["csrftoken"]
    page = await s.kommun.get("/kommun/diarium")
    assert 'value="{year}/{seq}"' in page.text
    bad = await s.kommun.post(
        "/kommun/diarium/installningar", data={"format": "KS {år}/{seq}"}, headers={"x-csrftoken": token}
    )
    assert (
        bad.status_code == 400 and 'id="f-format-error"' in bad.text and 'value="KS {år}/{seq}"' in bad.text
    )
    saved = await s.kommun.post(
        "/kommun/diarium/installningar", data={"format": "BRÅ-{year}-{seq}"}, headers={"x-csrftoken": token}
    )
    assert saved.status_code == 303
    shown = await s.kommun.get(saved.headers["location"])
    assert "De gäller ärenden som kommer in från nu" in shown.text
    await s.to_state("submitted")
    assert (await s.case())["diarienummer"] == f"BRÅ-{datetime.now(UTC).year}-00001"
    typed = await s.kommun.post(
        "/kommun/diarium/installningar",
        data={"format": "BRÅ-{year}-{seq}", "inskrivna": "1"},
        headers={"x-csrftoken": token},
    )
    assert typed.status_code == 303 and (await diarium.show("2081")).typed


async def test_the_kommun_finds_a_case_by_its_number(world: World) -> None:
    s = await Scenario.create(world)
    other = await Scenario.create_in(world, s)
    await s.to_state("submitted")
    await other.to_state("submitted")
    number = (await other.case())["diarienummer"]
    found = await s.kommun.get("/kommun/arenden", params={"diarienummer": f" {number} "})
    assert f"/kommun/arenden/{other.case_id}" in found.text
    assert f'/kommun/arenden/{s.case_id}"' not in found.text
    assert f'value="{number}"' in found.text
