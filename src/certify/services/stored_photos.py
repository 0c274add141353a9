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

from piccolo.columns import Column
from piccolo.table import Table

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


@dataclass(frozen=True, slots=True)
class _Store:
    """Where one kind of photo is kept: the table and its columns for the bytes, type, name, size."""

    table: type[Table]
    data: Column
    media_type: Column
    name: Column
    size: Column
    cleared: tuple[Column, ...] = ()  # derived from the picture, made again when next needed


_STORES = (
    _Store(
        Evidence,
        Evidence.content,
        Evidence.content_type,
        Evidence.file_name,
        Evidence.size,
        (Evidence.thumbnail,),
    ),
    _Store(
        Representative,
        Representative.fullmakt,
        Representative.fullmakt_type,
        Representative.fullmakt_name,
        Representative.fullmakt_size,
    ),
)


async def normalise_stored(max_px: int, progress: Progress | None = None) -> Cleanup:
    """Every stored evidence photo and photographed fullmakt in the stored form; a count of each."""
    report = Cleanup()
    found = [
        (store, row["id"])
        for store in _STORES
        for row in await store.table.select(store.table._meta.primary_key)
        .where(store.media_type.is_in(list(IMAGE_TYPES)))
        .run()
    ]
    for store, row_id in found:
        await _normalise(store, row_id, max_px, report)
        report.examined += 1
        if progress:
            progress(report.examined, len(found))
    if report.rewritten:
        async with database.transaction():
            await events.record(
                "stored_photos_normalised", actor=None, detail={"rewritten": report.rewritten}
            )
    return report


async def _normalise(store: _Store, row_id: int, max_px: int, report: Cleanup) -> None:
    key = store.table._meta.primary_key
    row = (
        await store.table.select(store.data, store.media_type, store.name).where(key == row_id).first().run()
    )
    if row is None or row[store.data._meta.name] is None:
        return
    sent_as, name = row[store.media_type._meta.name], row[store.name._meta.name]
    try:
        image = await _rewrite(bytes(row[store.data._meta.name]), max_px)
    except ImageRefused:
        report.unreadable += 1
        return
    if image is None:
        return
    async with database.transaction():
        await (
            store.table.update(
                {
                    store.data: image.data,
                    store.size: len(image.data),
                    store.media_type: image.media_type,
                    store.name: evidence.stored_name(name, sent_as, image.media_type),
                    **dict.fromkeys(store.cleared),
                }
            )
            .where(key == row_id)
            .run()
        )
    report.rewritten += 1
