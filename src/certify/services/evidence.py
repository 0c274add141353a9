"""Evidence: photos and documents attached to the points of a case.

Who may add: the owner while the answers can be changed, the assigned inspector while the visit is
booked. Who may see: whoever may see the case (owner, assigned inspector, the case's kommun);
anyone else gets 404, as if the file did not exist.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import msgspec

from certify import database, uploaded_pdf
from certify.domain import file_types
from certify.domain.errors import Conflict, Forbidden, InvalidField, NotFound, RuleNotMet
from certify.domain.status import ANSWER_EDITABLE_STATES, CaseState, Role
from certify.images import normalised, thumbnail
from certify.images.reading import ImageRefused, Refusal, pixel_limit
from certify.loop_local import PerLoop
from certify.services import access_log, checklist, events, policy
from certify.services.access_log import ReadFile, ReadKind
from certify.services.actor import Actor
from certify.services.clock import now
from certify.services.policy import Capability, application_scope
from certify.settings import Settings
from certify.tables import Application, Evidence
from certify.uploaded_pdf import ActiveContent

T = TypeVar("T")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\"\\/<>:|?*]+")


@dataclass(frozen=True, slots=True)
class UploadLimits:
    max_bytes: int
    max_per_case: int
    image_max_px: int = 2048  # longest side of a stored photo

    @classmethod
    def from_settings(cls, settings: Settings) -> UploadLimits:
        return cls(
            max_bytes=settings.upload_max_bytes,
            max_per_case=settings.upload_max_per_case,
            image_max_px=settings.image_max_px,
        )


class EvidenceView(msgspec.Struct, kw_only=True):
    id: int
    application_id: int
    point: int
    file_name: str
    content_type: str
    size: int
    uploaded_at: datetime
    by_inspector: bool = False  # the inspector's own photo, not the shop's evidence

    @property
    def is_image(self) -> bool:
        return self.content_type in file_types.BROWSER_IMAGE_TYPES


def display_name(raw: str, content_type: str) -> str:
    """The last path segment without control or path characters: shown to people, never opened."""
    base = unicodedata.normalize("NFC", raw.replace("\\", "/").rsplit("/", 1)[-1])
    cleaned = _UNSAFE.sub("_", base).strip(" .")[:200]
    return cleaned or f"fil.{file_types.EXTENSIONS[content_type]}"


def check_size(size: int, limits: UploadLimits) -> None:
    """RuleNotMet naming the file's own size and the limit when the file is too large."""
    if size > limits.max_bytes:
        raise RuleNotMet("file_too_large", size_bytes=size, limit_bytes=limits.max_bytes)


def check_file(data: bytes, limits: UploadLimits) -> str:
    """The file's media type, or RuleNotMet saying in plain words why it cannot be used."""
    if not data:
        raise RuleNotMet("file_empty")
    check_size(len(data), limits)
    content_type = file_types.detect(data[:32])
    if content_type is None:
        raise RuleNotMet("file_type_not_accepted")
    return content_type


PDF_REFUSALS: dict[ActiveContent, str] = {  # the error code of each reason a PDF is refused
    ActiveContent.javascript: "pdf_javascript",
    ActiveContent.launch: "pdf_launch",
    ActiveContent.embedded_file: "pdf_embedded_file",
    ActiveContent.unreadable: "pdf_unreadable",
    ActiveContent.encrypted: "pdf_encrypted",
}
THUMBNAIL_REFUSALS: dict[Refusal, str] = {
    Refusal.too_many_pixels: "thumbnail_too_many_pixels",
    Refusal.unreadable: "thumbnail_unreadable",
}
IMAGE_REFUSALS: dict[Refusal, str] = {  # an upload: the error names the file
    Refusal.too_many_pixels: "image_too_many_pixels",
    Refusal.unreadable: "image_unreadable",
}


async def check_pdf(data: bytes) -> None:
    """RuleNotMet naming why, when a PDF carries script, launch actions or embedded files."""
    found = await asyncio.to_thread(uploaded_pdf.active_content, data)
    if found is not None:
        raise RuleNotMet(PDF_REFUSALS[found], extra={"reason": found.value})


IMAGES_AT_ONCE = 2
"""Pictures decoded at a time per process (normalised or made into thumbnails). A 12-megapixel photo
takes about 36 MB decoded, one at Pillow's pixel limit about 270 MB: many uploads at once wait
their turn instead of taking the memory together (the machine has two cores to decode with)."""
_image_turns = PerLoop(lambda: asyncio.Semaphore(IMAGES_AT_ONCE))


async def in_turn(work: Callable[..., T], *args: Any) -> T:
    """CPU-bound image work in a thread, at most IMAGES_AT_ONCE at a time."""
    async with _image_turns.get():
        return await asyncio.to_thread(work, *args)


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """An upload as it is stored: a photo normalised (its bytes and type after that), a PDF as sent."""

    data: bytes
    content_type: str
    name: str


async def checked_upload(data: bytes, file_name: str, limits: UploadLimits, field: str) -> CheckedFile:
    """Every upload passes here (evidence, inspector's photos, fullmakter): type and size checked,
    a PDF's active content refused, every photo normalised (images/normalised.py; HEIC to JPEG).
    A decompression bomb is refused as a wrong `field` (400) naming the file; a broken image as a
    rule (422)."""
    content_type = check_file(data, limits)
    name = display_name(file_name, content_type)
    if content_type == "application/pdf":
        await check_pdf(data)
        return CheckedFile(data=data, content_type=content_type, name=name)
    try:
        image = await in_turn(normalised.normalise, data, limits.image_max_px)
    except ImageRefused as exc:
        code = IMAGE_REFUSALS[exc.reason]
        if exc.reason == Refusal.too_many_pixels:
            raise InvalidField(field, code, file_name=name, millions=pixel_limit() // 1_000_000) from exc
        raise RuleNotMet(code, extra={"field": field}, file_name=name) from exc
    name = stored_name(name, content_type, image.media_type)
    return CheckedFile(data=image.data, content_type=image.media_type, name=name)


def stored_name(name: str, sent_as: str, stored_as: str) -> str:
    """The display name of a normalised photo: a HEIC stored as JPEG is called what it is now."""
    if sent_as == stored_as:
        return name
    return display_name(f"{name.rsplit('.', 1)[0]}.{file_types.EXTENSIONS[stored_as]}", stored_as)


_STORED_COLUMNS = (
    Evidence.id,
    Evidence.application,
    Evidence.point,
    Evidence.file_name,
    Evidence.content_type,
    Evidence.size,
    Evidence.uploaded_at,
)
_VIEW_COLUMNS = (*_STORED_COLUMNS, Evidence.uploaded_by, Evidence.uploaded_by.role)


def _view(row: dict[str, Any]) -> EvidenceView:
    return EvidenceView(
        id=row["id"],
        application_id=row["application"],
        point=row["point"],
        file_name=row["file_name"],
        content_type=row["content_type"],
        size=row["size"],
        uploaded_at=row["uploaded_at"],
        by_inspector=row.get("uploaded_by.role") == Role.inspector,
    )


async def _case(actor: Actor, application_id: int) -> dict[str, Any]:
    row = (
        await Application.select(
            Application.id, Application.state, Application.business, Application.checklist_version
        )
        .where((Application.id == application_id) & application_scope(actor))
        .first()
        .run()
    )
    if row is None:
        raise NotFound("case_not_found")
    return row


def _check_may_add(actor: Actor, state: str) -> None:
    if actor.role == Role.owner and state not in ANSWER_EDITABLE_STATES:
        raise Conflict(
            "evidence_locked",
            extra={"state": state},
        )
    if actor.role == Role.inspector and state != CaseState.scheduled:
        raise Conflict("inspector_uploads_when_scheduled")
    if actor.role == Role.kommun:
        raise Forbidden("kommun_does_not_upload")


async def add(
    actor: Actor,
    application_id: int,
    point: int,
    file_name: str,
    data: bytes,
    limits: UploadLimits,
) -> EvidenceView:
    upload = await checked_upload(data, file_name, limits, field="file")
    data, content_type, name = upload.data, upload.content_type, upload.name
    async with database.transaction():
        case = await _case(actor, application_id)
        await checklist.check_point(case["checklist_version"], point)
        _check_may_add(actor, case["state"])
        await database.lock_business(case["business"])  # two uploads cannot both take the last place
        count = await Evidence.count().where(Evidence.application == application_id).run()
        if count >= limits.max_per_case:
            raise RuleNotMet("too_many_files", limit=limits.max_per_case)
        rows = (
            await Evidence.insert(
                Evidence(
                    application=application_id,
                    point=point,
                    file_name=name,
                    content_type=content_type,
                    size=len(data),
                    content=data,
                    uploaded_by=actor.id,
                    uploaded_at=now(),
                )
            )
            .returning(*_STORED_COLUMNS)
            .run()
        )
        await events.record(
            "evidence_added",
            actor=actor,
            application_id=application_id,
            business_id=case["business"],
            detail={
                "point": point,
                "file_name": name,
                "content_type": content_type,
                "size": len(data),
                "evidence_id": rows[0]["id"],
            },
        )
    return _view({**rows[0], "uploaded_by.role": actor.role})


async def list_for_case(actor: Actor, application_id: int) -> list[EvidenceView]:
    await _case(actor, application_id)
    rows = (
        await Evidence.select(*_VIEW_COLUMNS)
        .where(Evidence.application == application_id)
        .order_by(Evidence.point)
        .order_by(Evidence.id)
        .run()
    )
    return [_view(r) for r in rows]


@dataclass(frozen=True, slots=True)
class Download:
    """A file or thumbnail as served: `content` is None when the reader's copy is current."""

    view: EvidenceView
    etag: str
    media_type: str
    content: bytes | None


def _etag(view: EvidenceView, kind: ReadKind) -> str:
    """A file's bytes never change under its id: id, upload time and size name one version for good
    (also across a restored backup); a thumbnail adds the recipe it was made with."""
    stamp = f"{view.id}-{int(view.uploaded_at.timestamp() * 1_000_000)}-{view.size}"
    return stamp if kind == ReadKind.file else f"{stamp}-t{thumbnail.RECIPE}"


async def read(
    actor: Actor, evidence_id: int, kind: ReadKind, current: frozenset[str] = frozenset()
) -> Download:
    """The file or its thumbnail, for whoever may see the case (404 for anyone else). Nothing is
    sent, nor logged, when the reader already holds this version (its ETag is in `current`)."""
    row = (
        await Evidence.select(*_VIEW_COLUMNS, Evidence.application.kommun)
        .where((Evidence.id == evidence_id) & Evidence.application.is_in(_visible_cases(actor)))
        .first()
        .run()
    )
    if row is None:
        raise NotFound("file_not_found")
    view = _view(row)
    if kind == ReadKind.thumbnail and not view.is_image:
        raise NotFound("thumbnail_not_found")
    etag = _etag(view, kind)
    media_type = view.content_type if kind == ReadKind.file else thumbnail.MEDIA_TYPE
    if etag in current:
        return Download(view=view, etag=etag, media_type=media_type, content=None)
    content = await (_content(evidence_id) if kind == ReadKind.file else _thumbnail(evidence_id))
    # Evidence may show people and premises: every read is in the access log (not the case's story).
    await access_log.record(actor, _read_file(view, row["application.kommun"]), kind)
    return Download(view=view, etag=etag, media_type=media_type, content=content)


async def _content(evidence_id: int) -> bytes:
    row = await Evidence.select(Evidence.content).where(Evidence.id == evidence_id).first().run()
    if row is None:
        raise NotFound("file_not_found")
    return bytes(row["content"])


async def _thumbnail(evidence_id: int) -> bytes:
    """Made from the photo on first request and kept; two first requests at once both make it."""
    row = await Evidence.select(Evidence.thumbnail).where(Evidence.id == evidence_id).first().run()
    if row is None:
        raise NotFound("file_not_found")
    if row["thumbnail"] is not None:
        return bytes(row["thumbnail"])
    try:
        small = await in_turn(thumbnail.make_thumbnail, await _content(evidence_id))
    except ImageRefused as exc:
        raise RuleNotMet(
            THUMBNAIL_REFUSALS[exc.reason],
            extra={"reason": exc.reason.value},
            millions=pixel_limit() // 1_000_000,
        ) from exc
    await Evidence.update({Evidence.thumbnail: small}).where(Evidence.id == evidence_id).run()
    return small


def _read_file(view: EvidenceView, kommun_id: int) -> ReadFile:
    return ReadFile(
        evidence_id=view.id,
        application_id=view.application_id,
        kommun_id=kommun_id,
        point=view.point,
        file_name=view.file_name,
    )


async def delete_for_case(application_id: int) -> int:
    """Remove every file of a case (the kommun's retention plan); the caller holds the transaction."""
    count = await Evidence.count().where(Evidence.application == application_id).run()
    await Evidence.delete().where(Evidence.application == application_id).run()
    return count


def _visible_cases(actor: Actor) -> Any:
    return Application.select(Application.id).where(application_scope(actor))


async def remove(actor: Actor, evidence_id: int) -> EvidenceView:
    """The owner takes a file back while the answers can still be changed."""
    async with database.transaction():
        row = (
            await Evidence.select(*_VIEW_COLUMNS)
            .where((Evidence.id == evidence_id) & Evidence.application.is_in(_visible_cases(actor)))
            .first()
            .run()
        )
        if row is None:
            raise NotFound("file_not_found")
        policy.require(actor, Capability.delete_own_evidence)
        if row["uploaded_by"] != actor.id:
            raise policy.refusal(Capability.delete_own_evidence)
        case = await _case(actor, row["application"])
        _check_may_add(actor, case["state"])
        await Evidence.delete().where(Evidence.id == evidence_id).run()
        await events.record(
            "evidence_removed",
            actor=actor,
            application_id=case["id"],
            business_id=case["business"],
            detail={"point": row["point"], "file_name": row["file_name"]},
        )
    return _view(row)
