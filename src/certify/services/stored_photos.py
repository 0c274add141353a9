"""Photos stored before every upload was normalised: brought into the stored form once, after an
upgrade (`certify normalise-photos`).

Uploads are normalised since the photo issue (services/evidence.checked_upload): upright, at most
CERTIFY_IMAGE_MAX_PX, without EXIF, GPS, XMP or maker notes. Evidence and fullmakt photos stored
before that still carry the shop's position and the phone's serial number. This pass rewrites each
such image in place with the same normaliser, one row per transaction (an interrupted run loses
nothing and resumes where it stopped), and leaves images already in the stored form untouched, so
running it twice re-encodes nothing. PDFs are never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from certify import database
from certify.domain.file_types import IMAGE_TYPES
from certify.images import normalised
from certify.images.reading import ImageRefused
from certify.services import events, evidence
from certify.tables import Evidence, Representative

Progress = Callable[[int, int], None]


@dataclass
class Cleanup:
    examined: int = 0
    rewritten: int = 0
    unreadable: int = 0  # left as they are: a file Pillow cannot read cannot be re-encoded either


async def _rewrite(data: bytes, max_px: int) -> normalised.Normalised | None:
    if not await evidence.in_turn(normalised.needs_normalising, data, max_px):
        return None
    return await evidence.in_turn(normalised.normalise, data, max_px)


async def normalise_stored(max_px: int, progress: Progress | None = None) -> Cleanup:
    """Every stored evidence photo and photographed fullmakt in the stored form; a count of each."""
    report = Cleanup()
    files = await Evidence.select(Evidence.id).where(Evidence.content_type.is_in(list(IMAGE_TYPES))).run()
    fullmakter = (
        await Representative.select(Representative.id)
        .where(Representative.fullmakt_type.is_in(list(IMAGE_TYPES)))
        .run()
    )
    total = len(files) + len(fullmakter)
    for row in files:
        await _evidence(row["id"], max_px, report)
        report.examined += 1
        if progress:
            progress(report.examined, total)
    for row in fullmakter:
        await _fullmakt(row["id"], max_px, report)
        report.examined += 1
        if progress:
            progress(report.examined, total)
    if report.rewritten:
        async with database.transaction():
            await events.record(
                "stored_photos_normalised", actor=None, detail={"rewritten": report.rewritten}
            )
    return report


async def _evidence(evidence_id: int, max_px: int, report: Cleanup) -> None:
    row = (
        await Evidence.select(Evidence.content, Evidence.content_type, Evidence.file_name)
        .where(Evidence.id == evidence_id)
        .first()
        .run()
    )
    if row is None:
        return
    try:
        image = await _rewrite(bytes(row["content"]), max_px)
    except ImageRefused:
        report.unreadable += 1
        return
    if image is None:
        return
    async with database.transaction():
        await (
            Evidence.update(
                {
                    Evidence.content: image.data,
                    Evidence.size: len(image.data),
                    Evidence.content_type: image.media_type,
                    Evidence.file_name: evidence.stored_name(
                        row["file_name"], row["content_type"], image.media_type
                    ),
                    Evidence.thumbnail: None,  # made again from the new picture on first request
                }
            )
            .where(Evidence.id == evidence_id)
            .run()
        )
    report.rewritten += 1


async def _fullmakt(representative_id: int, max_px: int, report: Cleanup) -> None:
    row = (
        await Representative.select(
            Representative.fullmakt, Representative.fullmakt_type, Representative.fullmakt_name
        )
        .where(Representative.id == representative_id)
        .first()
        .run()
    )
    if row is None or row["fullmakt"] is None:
        return
    try:
        image = await _rewrite(bytes(row["fullmakt"]), max_px)
    except ImageRefused:
        report.unreadable += 1
        return
    if image is None:
        return
    async with database.transaction():
        await (
            Representative.update(
                {
                    Representative.fullmakt: image.data,
                    Representative.fullmakt_size: len(image.data),
                    Representative.fullmakt_type: image.media_type,
                    Representative.fullmakt_name: evidence.stored_name(
                        row["fullmakt_name"], row["fullmakt_type"], image.media_type
                    ),
                }
            )
            .where(Representative.id == representative_id)
            .run()
        )
    report.rewritten += 1
