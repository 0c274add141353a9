"""Every uploaded photo is stored normalised: upright, longest side at most CERTIFY_IMAGE_MAX_PX
(2048 here), without EXIF, GPS, XMP or comments; bombs are refused naming the file; PDFs are kept
byte for byte."""

from __future__ import annotations

import io

from PIL import Image

from certify.tables import Evidence, Representative
from tests.conftest import World
from tests.integration.pages import PDF, errors_in, submit
from tests.integration.scenario import Scenario, ok
from tests.integration.test_thumbnails import png_claiming

GPS_IFD = 0x8825
ORIENTATION = 0x0112
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>Storgatan 1</rdf:Description></x:xmpmeta>'


def camera_photo(width: int = 4000, height: int = 3000, orientation: int = 6) -> bytes:
    """What a phone sends: 12 megapixels stored sideways with an orientation flag, the position,
    the phone's make and serial, an XMP packet and a comment."""
    picture = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    picture = Image.blend(picture, Image.effect_noise((width, height), 60).convert("RGB"), 0.4)
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Telefonmakarna AB"
    exif[0xA431] = "SERIE-4711"  # BodySerialNumber
    exif[GPS_IFD] = {1: "N", 2: (59.0, 19.0, 48.0), 3: "E", 4: (18.0, 4.0, 6.0)}
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=95, exif=exif, xmp=XMP, comment=b"SERIE-4711")
    return out.getvalue()


def assert_no_metadata(image: Image.Image, data: bytes) -> None:
    exif = image.getexif()
    assert dict(exif) == {} and dict(exif.get_ifd(GPS_IFD)) == {}, "no EXIF, no position"
    assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment"} & set(image.info)
    assert b"xmpmeta" not in data and b"SERIE-4711" not in data and b"Storgatan" not in data


async def upload(s: Scenario, data: bytes, name: str, mime: str) -> dict[str, object]:
    return await ok(
        await s.owner.post(
            f"/api/applications/{s.case_id}/evidence", params={"point": 3}, files={"file": (name, data, mime)}
        ),
        201,
    )


async def test_a_phone_photo_comes_back_upright_small_and_without_position(world: World) -> None:
    s = await Scenario.create(world)
    photo = camera_photo()
    with Image.open(io.BytesIO(photo)) as sent:  # the test's photo carries what must go
        assert sent.size == (4000, 3000) and sent.getexif()[ORIENTATION] == 6
        assert sent.getexif().get_ifd(GPS_IFD)[2] == (59.0, 19.0, 48.0) and b"xmpmeta" in photo

    created = await upload(s, photo, "IMG_0042.jpg", "image/jpeg")
    download = await s.owner.get(f"/api/evidence/{created['id']}")
    assert download.status_code == 200 and download.headers["content-type"] == "image/jpeg"
    stored = download.content
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (1536, 2048), "turned upright, longest side 2048"
        assert image.info.get("progressive") == 1
        assert_no_metadata(image, stored)
    assert created["size"] == len(stored) < len(photo) / 5 and created["content_type"] == "image/jpeg"
    row = (
        await Evidence.select(Evidence.content, Evidence.size)
        .where(Evidence.id == created["id"])
        .first()
        .run()
    )
    assert row is not None and bytes(row["content"]) == stored and row["size"] == len(stored), (
        "only this kept"
    )
    assert download.headers["etag"].endswith(f'-{len(stored)}"'), "the ETag names the stored version"


async def test_png_and_webp_keep_their_format_and_transparency_but_lose_metadata(world: World) -> None:
    s = await Scenario.create(world)
    picture = Image.new("RGBA", (3000, 1000), (200, 30, 30, 128))
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N", 2: (59.0, 19.0, 48.0)}
    for image_format, mime in (("PNG", "image/png"), ("WEBP", "image/webp")):
        out = io.BytesIO()
        picture.save(out, format=image_format, exif=exif)
        created = await upload(s, out.getvalue(), f"skylt.{image_format.lower()}", mime)
        stored = (await s.owner.get(f"/api/evidence/{created['id']}")).content
        with Image.open(io.BytesIO(stored)) as image:
            assert image.format == image_format and created["content_type"] == mime
            assert image.size == (2048, 683) and image.mode == "RGBA"
            assert_no_metadata(image, stored)


async def test_an_iphones_heic_becomes_a_jpeg_without_position(world: World) -> None:
    s = await Scenario.create(world)
    picture = Image.open(io.BytesIO(camera_photo(2400, 1800, orientation=1))).convert("RGB")
    exif = Image.Exif()
    exif[0x010F] = "Telefonmakarna AB"
    exif[GPS_IFD] = {1: "N", 2: (59.0, 19.0, 48.0)}
    out = io.BytesIO()
    picture.save(out, format="HEIF", exif=exif, quality=90)
    heic = out.getvalue()
    assert heic[4:12] == b"ftypheic"
    created = await upload(s, heic, "IMG_0007.HEIC", "image/heic")
    assert (created["content_type"], created["file_name"]) == ("image/jpeg", "IMG_0007.jpg")
    download = await s.owner.get(f"/api/evidence/{created['id']}")
    assert download.headers["content-type"] == "image/jpeg"
    assert download.headers["content-disposition"].startswith("inline;"), "shown now, not downloaded"
    with Image.open(io.BytesIO(download.content)) as image:
        assert image.format == "JPEG" and image.size == (2048, 1536)
        assert_no_metadata(image, download.content)
    assert (await s.owner.get(f"/api/evidence/{created['id']}/thumbnail")).status_code == 200


async def test_a_decompression_bomb_is_refused_naming_the_file_and_nothing_is_stored(world: World) -> None:
    s = await Scenario.create(world)
    bomb = png_claiming(30_000, 30_000)
    assert len(bomb) < 100
    response = await s.owner.post(
        f"/api/applications/{s.case_id}/evidence",
        params={"point": 3},
        files={"file": ("bomb.png", bomb, "image/png")},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["extra"]["code"] == "image_too_many_pixels" and body["extra"]["field"] == "file"
    assert "”bomb.png”" in body["detail"] and "för många bildpunkter" in body["detail"]
    english = await s.owner.post(
        f"/api/applications/{s.case_id}/evidence",
        params={"point": 3},
        files={"file": ("bomb.png", bomb, "image/png")},
        headers={"Accept-Language": "en"},
    )
    assert english.status_code == 400 and "bomb.png" in english.json()["detail"]
    assert english.json()["detail"] != body["detail"], "worded in the reader's language"

    path = f"/arenden/{s.case_id}/egenkontroll/punkt/3"
    page = await submit(s.owner, path, path, {}, files=[("bevis-3", ("bomb.png", bomb, "image/png"))])
    assert page.status_code == 400
    [error] = errors_in(page.text)
    assert error.startswith("Bilden ”bomb.png” har för många bildpunkter")
    assert await Evidence.count().where(Evidence.application == s.case_id).run() == 0


async def test_a_broken_image_is_refused_naming_the_file(world: World) -> None:
    s = await Scenario.create(world)
    response = await s.owner.post(
        f"/api/applications/{s.case_id}/evidence",
        params={"point": 3},
        files={"file": ("trasig.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "image/jpeg")},
    )
    assert response.status_code == 422 and response.json()["extra"]["code"] == "image_unreadable"
    assert "”trasig.jpg” går inte att läsa" in response.json()["detail"]
    assert await Evidence.count().where(Evidence.application == s.case_id).run() == 0


async def test_the_inspectors_photo_from_the_form_is_normalised_too(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("scheduled")
    path = f"/besiktningar/{s.case_id}"
    photo = camera_photo(1200, 900)
    response = await submit(
        s.inspector,
        path,
        f"{path}/punkt/1",
        {"bedomning": "pass"},
        files=[("foto", ("IMG_0001.jpg", photo, "image/jpeg"))],
    )
    assert response.status_code == 303, errors_in(response.text)
    [listed] = await ok(await s.inspector.get(f"/api/applications/{s.case_id}/evidence"))
    stored = (await s.inspector.get(f"/api/evidence/{listed['id']}")).content
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (900, 1200), "upright; already small enough, not enlarged"
        assert_no_metadata(image, stored)

    bomb = png_claiming(30_000, 30_000)
    refused = await submit(
        s.inspector,
        path,
        f"{path}/punkt/2",
        {"bedomning": "pass"},
        files=[("foto", ("bomb.png", bomb, "image/png"))],
    )
    assert refused.status_code == 400
    assert any("”bomb.png” har för många bildpunkter" in e for e in errors_in(refused.text))


async def test_a_photographed_fullmakt_is_normalised(world: World) -> None:
    s = await Scenario.create(world)
    bomb = await s.owner.post(
        f"/api/businesses/{s.business_id}/representation/fullmakt",
        files={"file": ("fullmakt.png", png_claiming(30_000, 30_000), "image/png")},
    )
    assert bomb.status_code == 400 and bomb.json()["extra"]["field"] == "fullmakt"
    assert "”fullmakt.png”" in bomb.json()["detail"]
    assert await Representative.count().where(Representative.fullmakt_size > 0).run() == 0
    response = await s.owner.post(
        f"/api/businesses/{s.business_id}/representation/fullmakt",
        files={"file": ("fullmakt.jpg", camera_photo(2400, 1800), "image/jpeg")},
    )
    assert response.status_code in (200, 201), response.text
    row = await Representative.select(Representative.fullmakt, Representative.fullmakt_size).first().run()
    assert row is not None and row["fullmakt_size"] == len(row["fullmakt"])
    with Image.open(io.BytesIO(bytes(row["fullmakt"]))) as image:
        assert image.size == (1536, 2048)
        assert_no_metadata(image, bytes(row["fullmakt"]))


async def test_a_pdf_is_stored_byte_for_byte(world: World) -> None:
    s = await Scenario.create(world)
    created = await upload(s, PDF, "rutiner.pdf", "application/pdf")
    download = await s.owner.get(f"/api/evidence/{created['id']}")
    assert download.content == PDF and created["size"] == len(PDF)
    assert download.headers["content-type"] == "application/pdf"
