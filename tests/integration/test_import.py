"""Importing the kommun's businesses from CSV: all-or-nothing, idempotent, Swedish file habits."""

from __future__ import annotations

from pathlib import Path

import httpx
from click.testing import CliRunner

from certify.cli import main
from certify.domain.org_number import with_check_digit
from certify.domain.status import Role
from certify.text import catalogue
from certify.text.catalogue import _
from tests.conftest import World
from tests.integration.scenario import ok

ORG_1 = with_check_digit("556010001")
ORG_2 = with_check_digit("556010002")
ORG_3 = with_check_digit("556010003")
VALID = (
    "namn,organisationsnummer,adress,postnummer,ort,område,e-post\n"
    f"Järnia Centrum,{ORG_1[:6]}-{ORG_1[6:]},Borlänge Torget 5,784 33,Borlänge,Centrum,jarnia@example.se\n"
    f'"Kiosken ""Hörnan"", Tjärna",{ORG_2},Tjärnavägen 1,78446,Borlänge,Tjärna Ängar,\n'
    f"Resebutiken,{ORG_3},Stationsgatan 2,784 33,Borlänge,Resecentrum,info@rese.example.se\n"
)


async def upload(client: httpx.AsyncClient, content: bytes, only_valid: bool = False) -> httpx.Response:
    return await client.post(
        f"/api/businesses/import?only_valid={'true' if only_valid else 'false'}",
        files={"file": ("butiker.csv", content, "text/csv")},
    )


async def kommun_client(world: World) -> httpx.AsyncClient:
    await world.kommun()
    return (await world.client_for(Role.kommun))[1]


async def test_a_valid_file_is_imported_and_a_second_import_changes_nothing(world: World) -> None:
    kommun = await kommun_client(world)
    first = await ok(await upload(kommun, VALID.encode()))
    assert first == {"rows": 3, "valid": 3, "created": 3, "unchanged": 0, "written": True, "errors": []}
    shops = await ok(await kommun.get("/api/businesses"))
    assert sorted(s["name"] for s in shops) == ["Järnia Centrum", 'Kiosken "Hörnan", Tjärna', "Resebutiken"]
    assert {s["owner_id"] for s in shops} == {None}
    kiosk = next(s for s in shops if s["name"].startswith("Kiosken"))
    assert kiosk["postal_code"] == "78446" and kiosk["area"] == "Tjärna Ängar"

    again = await ok(await upload(kommun, VALID.encode()))
    assert again["created"] == 0 and again["unchanged"] == 3
    assert len(await ok(await kommun.get("/api/businesses"))) == 3


async def test_bad_rows_are_reported_and_nothing_is_written(world: World) -> None:
    kommun = await kommun_client(world)
    bad = VALID + (
        f"Fel Kontroll,{ORG_1[:9]}{(int(ORG_1[9]) + 1) % 10},Gatan 1,784 33,Borlänge,Centrum,\n"
        f",{ORG_1},Gatan 2,7843,Borlänge,Centrum,inte-en-adress\n"
    )
    report = await ok(await upload(kommun, bad.encode()))
    assert report["written"] is False and report["created"] == 0 and report["valid"] == 3
    found = {(e["row"], e["field"]) for e in report["errors"]}
    assert found == {(5, "organisationsnummer"), (6, "namn"), (6, "postnummer"), (6, "e-post")}
    assert next(e["code"] for e in report["errors"] if e["row"] == 5) == "org_number_check_digit"
    assert await ok(await kommun.get("/api/businesses")) == []

    partial = await ok(await upload(kommun, bad.encode(), only_valid=True))
    assert partial["written"] is True and partial["created"] == 3
    assert len(await ok(await kommun.get("/api/businesses"))) == 3


async def test_semicolon_windows_1252_file_with_swedish_letters(world: World) -> None:
    kommun = await kommun_client(world)
    text = VALID.replace(",", ";")  # the quoted name now holds a quoted ';'
    report = await ok(await upload(kommun, text.encode("cp1252")))
    assert report["created"] == 3, report
    names = {s["name"] for s in await ok(await kommun.get("/api/businesses"))}
    assert "Järnia Centrum" in names and 'Kiosken "Hörnan"; Tjärna' in names


async def test_utf8_with_bom_and_owners_cannot_import(world: World) -> None:
    kommun = await kommun_client(world)
    report = await ok(await upload(kommun, VALID.encode("utf-8-sig")))
    assert report["created"] == 3
    owner = (await world.client_for(Role.owner))[1]
    assert (await upload(owner, VALID.encode())).status_code == 403


def test_cli_import_and_a_missing_file(tmp_path: Path) -> None:
    """Synchronous on purpose: each CLI command runs its own event loop, as from a shell."""
    runner = CliRunner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "en_US.UTF-8"})
    added = runner.invoke(main, ["add-kommun", "--code", "2081", "--name", "Borlänge kommun"])
    assert added.exit_code == 0, added.output
    file = tmp_path / "butiker.csv"
    file.write_bytes(VALID.replace(",", ";").encode("cp1252"))

    def english(message: str, **values: object) -> str:
        with catalogue.use("en"):
            return _(message).format(**values)

    result = runner.invoke(main, ["import-businesses", str(file), "--kommun", "2081"])
    assert result.exit_code == 0, result.output
    assert english("skrivna {done}/{total}", done=3, total=3) in result.output
    imported = "{created} importerade, {unchanged} redan kända, {skipped} rader hoppades över"
    assert english(imported, created=3, unchanged=0, skipped=0) in result.output
    again = runner.invoke(main, ["import-businesses", str(file)])
    assert english(imported, created=0, unchanged=3, skipped=0) in again.output

    missing = runner.invoke(main, ["import-businesses", str(tmp_path / "nej.csv")])
    assert missing.exit_code == 1
    assert missing.output.strip().splitlines() == [
        "certify: "
        + english(
            "kan inte läsa {file}: {error}", file=tmp_path / "nej.csv", error="No such file or directory"
        )
    ]


async def test_an_invited_business_is_claimed_by_its_owner(world: World) -> None:
    kommun = await kommun_client(world)
    await ok(await upload(kommun, VALID.encode()))
    shop = next(b for b in await ok(await kommun.get("/api/businesses")) if b["name"] == "Järnia Centrum")
    invitation = await ok(await kommun.post(f"/api/businesses/{shop['id']}/invite"), 201)
    assert invitation["email"] == "jarnia@example.se"

    mail = (await ok(await kommun.get("/api/outbox")))[0]
    assert mail["recipient"] == "jarnia@example.se" and mail["kind"] == "invitation"
    link = next(line for line in mail["body_text"].splitlines() if "/inbjudan/" in line)
    token = link.rsplit("/", 1)[1]

    owner_id, owner = await world.client_for(Role.owner)
    claimed = await ok(await owner.post(f"/api/invitations/{token}/claim"))
    assert claimed["owner_id"] == owner_id and claimed["name"] == "Järnia Centrum"
    assert (await owner.post(f"/api/invitations/{token}/claim")).status_code == 404, "a link works once"
    assert (await kommun.post(f"/api/businesses/{shop['id']}/invite")).status_code == 422
    report = await ok(await kommun.get("/api/reports/status"))
    assert report["coverage"][-1]["invited"] == 1 and report["coverage"][-1]["signed_up"] == 1
