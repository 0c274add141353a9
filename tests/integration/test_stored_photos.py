"""Photos stored before uploads were normalised are brought into the stored form by one run of
`certify normalise-photos`; PDFs and photos already normalised are left byte for byte."""

from __future__ import annotations

import io

from click.testing import CliRunner
from PIL import Image

from certify.cli import main
from certify.services import stored_photos
from certify.tables import Evidence, Representative
from tests.conftest import World
from tests.integration.pages import PDF
from tests.integration.scenario import Scenario, ok
from tests.integration.test_photo_normalisation import assert_no_metadata, camera_photo, upload


async def _stored_before_the_upgrade(s: Scenario, data: bytes, name: str, mime: str) -> int:
    """A file as the service stored it before normalising: the bytes as sent."""
    rows = (
        await Evidence.insert(
            Evidence(
                application=s.case_id,
                point=5,
                file_name=name,
                content_type=mime,
                size=len(data),
                content=data,
                uploaded_by=s.owner_id,
            )
        )
        .returning(Evidence.id)
        .run()
    )
    return int(rows[0]["id"])


async def test_old_photos_lose_position_and_size_and_nothing_else_changes(world: World) -> None:
    s = await Scenario.create(world)
    old_photo = await _stored_before_the_upgrade(s, camera_photo(), "IMG_0001.jpg", "image/jpeg")
    old_pdf = await _stored_before_the_upgrade(s, PDF, "larm.pdf", "application/pdf")
    new_photo = (await upload(s, camera_photo(1600, 1200, 1), "IMG_0002.jpg", "image/jpeg"))["id"]
    before = {
        row["id"]: bytes(row["content"]) for row in await Evidence.select(Evidence.id, Evidence.content).run()
    }

    report = await stored_photos.normalise_stored(2048)
    assert (report.examined, report.rewritten, report.unreadable) == (2, 1, 0)

    download = await s.owner.get(f"/api/evidence/{old_photo}")
    assert download.status_code == 200
    with Image.open(io.BytesIO(download.content)) as image:
        assert image.size == (1536, 2048), "turned upright, longest side 2048"
        assert_no_metadata(image, download.content)
    listed = {e["id"]: e for e in (await ok(await s.owner.get(f"/api/applications/{s.case_id}/evidence")))}
    assert listed[old_photo]["size"] == len(download.content)
    assert (await s.owner.get(f"/api/evidence/{old_pdf}")).content == before[old_pdf] == PDF
    assert (await s.owner.get(f"/api/evidence/{new_photo}")).content == before[new_photo]

    again = await stored_photos.normalise_stored(2048)
    assert again.rewritten == 0, "a second run re-encodes nothing"
    assert (await s.owner.get(f"/api/evidence/{old_photo}")).content == download.content


async def test_an_old_photographed_fullmakt_is_normalised_too(world: World) -> None:
    s = await Scenario.create(world)
    photo = camera_photo()
    await (
        Representative.update(
            {
                Representative.fullmakt: photo,
                Representative.fullmakt_name: "fullmakt.jpg",
                Representative.fullmakt_type: "image/jpeg",
                Representative.fullmakt_size: len(photo),
            }
        )
        .where(Representative.business == s.business_id)
        .run()
    )
    report = await stored_photos.normalise_stored(2048)
    assert report.rewritten == 1
    row = await Representative.select(Representative.fullmakt, Representative.fullmakt_size).first().run()
    assert row is not None and row["fullmakt_size"] == len(row["fullmakt"]) < len(photo)
    with Image.open(io.BytesIO(bytes(row["fullmakt"]))) as image:
        assert max(image.size) == 2048
        assert_no_metadata(image, bytes(row["fullmakt"]))


def test_the_command_says_what_it_did() -> None:
    """Synchronous on purpose: the command runs its own event loop, as from a shell."""
    runner = CliRunner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "sv_SE.UTF-8"})
    result = runner.invoke(main, ["normalise-photos"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == (
        "certify: 0 av 0 sparade bilder normaliserades, 0 gick inte att läsa"
    )
