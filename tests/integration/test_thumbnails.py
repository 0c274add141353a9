"""Thumbnails: made once from a photo, small, cached with an ETag, authorised exactly like the file."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from certify.domain.status import Role
from certify.tables import Evidence
from tests.conftest import World
from tests.integration.pages import PDF
from tests.integration.scenario import Scenario, ok, visit_time


def phone_photo(width: int = 4000, height: int = 3000, orientation: int | None = None) -> bytes:
    """A JPEG the size of a phone's photo: a gradient with grain, like a real picture compresses."""
    picture = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    grain = Image.effect_noise((width, height), 60).convert("RGB")
    picture = Image.blend(picture, grain, 0.4)
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=95, exif=exif.tobytes())
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG file whose header claims a huge picture: what a decompression bomb looks like."""
    out = io.BytesIO()
    Image.new("1", (1, 1)).save(out, format="PNG")
    data = bytearray(out.getvalue())
    ihdr = 8 + 8  # signature, then the IHDR chunk's length and type
    data[ihdr : ihdr + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr - 4 : ihdr + 13]))
    data[ihdr + 13 : ihdr + 17] = struct.pack(">I", crc)
    return bytes(data)


async def upload(s: Scenario, data: bytes, name: str = "kassan.jpg", mime: str = "image/jpeg") -> int:
    created = await ok(
        await s.owner.post(
            f"/api/applications/{s.case_id}/evidence",
            params={"point": 3},
            files={"file": (name, data, mime)},
        ),
        201,
    )
    return int(created["id"])


async def test_a_phone_photo_gets_a_small_thumbnail_made_once_and_cached(world: World) -> None:
    s = await Scenario.create(world)
    photo = phone_photo()
    assert len(photo) > 3_000_000
    evidence_id = await upload(s, photo)

    first = await s.owner.get(f"/api/evidence/{evidence_id}/thumbnail")
    assert first.status_code == 200 and first.headers["content-type"] == "image/webp"
    assert len(first.content) < 60_000
    assert Image.open(io.BytesIO(first.content)).size == (480, 360)
    assert first.headers["cache-control"] == "private, max-age=31536000, immutable"
    etag = first.headers["etag"]
    stored = await Evidence.select(Evidence.thumbnail).where(Evidence.id == evidence_id).first().run()
    assert stored is not None and bytes(stored["thumbnail"]) == first.content, "kept, not made again"

    again = await s.owner.get(f"/api/evidence/{evidence_id}/thumbnail", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    weak = await s.owner.get(
        f"/api/evidence/{evidence_id}/thumbnail", headers={"If-None-Match": f'"other", W/{etag}'}
    )
    assert weak.status_code == 304

    whole = await s.owner.get(f"/api/evidence/{evidence_id}")
    assert whole.status_code == 200 and len(whole.content) < len(photo) / 4, "the normalised photo"
    assert whole.headers["cache-control"].startswith("private, max-age=")
    assert whole.headers["etag"] != etag
    unchanged = await s.owner.get(
        f"/api/evidence/{evidence_id}", headers={"If-None-Match": whole.headers["etag"]}
    )
    assert unchanged.status_code == 304 and unchanged.content == b""

    log = await ok(await s.kommun.get("/api/evidence-reads"))
    assert [r["kind"] for r in log["reads"]] == ["file", "thumbnail"], "a 304 sends nothing, logs nothing"


async def test_the_thumbnail_is_authorised_like_the_file(world: World) -> None:
    s = await Scenario.create(world)
    evidence_id = await upload(s, phone_photo(400, 300))
    stranger_owner = (await world.client_for(Role.owner))[1]
    unassigned_inspector = (await world.client_for(Role.inspector))[1]
    await world.kommun("2080", "Falu kommun")
    other_kommun = (await world.client_for(Role.kommun, ["2080"]))[1]
    path = f"/api/evidence/{evidence_id}/thumbnail"
    first = await s.owner.get(path)
    for stranger in (stranger_owner, unassigned_inspector, other_kommun):
        assert (await stranger.get(path)).status_code == 404
        refused = await stranger.get(path, headers={"If-None-Match": first.headers["etag"]})
        assert refused.status_code == 404, "a known ETag does not open the door"
    assert (await world.new_client().get(path)).status_code == 401
    assert (await s.kommun.get(path)).status_code == 200

    await s.to_state("scheduled")
    assert (await s.inspector.get(path)).status_code == 200


async def test_the_thumbnail_is_upright_and_documents_have_none(world: World) -> None:
    s = await Scenario.create(world)
    turned = await upload(s, phone_photo(800, 400, orientation=6))  # the phone was held upright
    thumbnail = await s.owner.get(f"/api/evidence/{turned}/thumbnail")
    assert Image.open(io.BytesIO(thumbnail.content)).size == (240, 480)
    document = await upload(s, PDF, "rutiner.pdf", "application/pdf")
    assert (await s.owner.get(f"/api/evidence/{document}/thumbnail")).status_code == 404


@pytest.mark.parametrize("side", [12_000, 30_000])  # over Pillow's limit; over twice the limit
async def test_a_stored_decompression_bomb_gets_no_thumbnail_but_a_clear_error(
    world: World, side: int
) -> None:
    """Uploads are refused as bombs now (test_photo_normalisation.py); a file stored before that
    still cannot make the thumbnail decode it."""
    s = await Scenario.create(world)
    bomb = await upload(s, phone_photo(40, 30))
    await Evidence.update({Evidence.content: png_claiming(side, side)}).where(Evidence.id == bomb).run()
    refused = await s.owner.get(f"/api/evidence/{bomb}/thumbnail")
    assert refused.status_code == 422
    assert "för många bildpunkter" in refused.json()["detail"]
    broken = await upload(s, phone_photo(40, 30), "trasig.jpg")
    await (
        Evidence.update({Evidence.content: b"\xff\xd8\xff\xe0" + b"\x00" * 64})
        .where(Evidence.id == broken)
        .run()
    )
    unreadable = await s.owner.get(f"/api/evidence/{broken}/thumbnail")
    assert unreadable.status_code == 422 and "går inte att läsa" in unreadable.json()["detail"]


async def test_the_pages_show_thumbnails_and_link_to_the_whole_file(world: World) -> None:
    s = await Scenario.create(world)
    evidence_id = await upload(s, phone_photo(400, 300))
    await s.to_state("submitted")
    await ok(await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time()))
    for client, path in (
        (s.owner, f"/arenden/{s.case_id}/egenkontroll/punkt/3"),
        (s.inspector, f"/besiktningar/{s.case_id}"),
        (s.kommun, f"/kommun/arenden/{s.case_id}"),
    ):
        html = (await client.get(path)).text
        assert f'<img src="/api/evidence/{evidence_id}/thumbnail"' in html, path
        assert f'href="/api/evidence/{evidence_id}"' in html, path
        assert f'src="/api/evidence/{evidence_id}"' not in html, path
