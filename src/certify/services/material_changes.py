"""Reported material changes (väsentlig förändring) of a certified shop, the kommun's decision on
each (noted, or a re-inspection: a linked case), and the files sent with them.

The sibling of services/business_changes.py (a changed name or address, which the kommun accepts or
rejects): both are reports of a certified shop's owner that its kommun decides on; this one never
changes the business, it asks whether the shop still meets the programme. What may be reported and
decided is domain/material_changes.py; the re-inspection case itself is opened by services/cases.py
(the renewal's carry-over of answers) and its end revokes or replaces the certificate there.
"""

from __future__ import annotations

from typing import Any

from certify import database
from certify.domain.errors import Conflict, InvalidField, NotFound, RuleNotMet
from certify.domain.material_changes import (
    DECIDED_STATE,
    DESCRIPTION_MAX,
    MAX_FILES,
    ChangeKind,
    ChangeState,
    Decision,
)
from certify.domain.status import Role
from certify.services import access_log, cases, events, evidence
from certify.services.access_log import ReadFile, ReadKind
from certify.services.actor import Actor
from certify.services.clock import now, today
from certify.services.evidence import UploadLimits
from certify.services.policy import (
    Capability,
    business_scope,
    material_change_scope,
    own_kommun,
    represented,
    require,
)
from certify.services.views import MaterialChangeFileView, MaterialChangeView
from certify.tables import Business, Certificate, MaterialChange, MaterialChangeFile

_COLUMNS = (
    MaterialChange.id,
    MaterialChange.business,
    MaterialChange.business.name,
    MaterialChange.kommun,
    MaterialChange.certificate,
    MaterialChange.kind,
    MaterialChange.description,
    MaterialChange.state,
    MaterialChange.reported_at,
    MaterialChange.decided_at,
    MaterialChange.reinspection,
)
_FILE_COLUMNS = (
    MaterialChangeFile.id,
    MaterialChangeFile.change,
    MaterialChangeFile.file_name,
    MaterialChangeFile.content_type,
    MaterialChangeFile.size,
    MaterialChangeFile.uploaded_at,
)


def _file_view(row: dict[str, Any]) -> MaterialChangeFileView:
    return MaterialChangeFileView(
        id=row["id"],
        file_name=row["file_name"],
        content_type=row["content_type"],
        size=row["size"],
        uploaded_at=row["uploaded_at"],
    )


async def _views(rows: list[dict[str, Any]]) -> list[MaterialChangeView]:
    ids = [r["id"] for r in rows]
    files: dict[int, list[MaterialChangeFileView]] = {i: [] for i in ids}
    if ids:
        for f in (
            await MaterialChangeFile.select(*_FILE_COLUMNS)
            .where(MaterialChangeFile.change.is_in(ids))
            .order_by(MaterialChangeFile.id)
            .run()
        ):
            files[f["change"]].append(_file_view(f))
    return [
        MaterialChangeView(
            id=r["id"],
            business_id=r["business"],
            business_name=r["business.name"],
            certificate=r["certificate"],
            kind=r["kind"],
            description=r["description"],
            state=r["state"],
            reported_at=r["reported_at"],
            decided_at=r["decided_at"],
            reinspection_id=r["reinspection"],
            files=files[r["id"]],
        )
        for r in rows
    ]


async def _certificate_in_force(business_id: int) -> dict[str, Any] | None:
    """The shop's certificate in force today (not revoked, not replaced), if any."""
    on = today()
    return (
        await Certificate.select(Certificate.number, Certificate.application)
        .where(
            (Certificate.business == business_id)
            & Certificate.revoked_at.is_null()
            & (Certificate.replaced_by == "")
            & (Certificate.valid_from <= on)
            & (Certificate.valid_until >= on)
        )
        .order_by(Certificate.valid_until, ascending=False)
        .first()
        .run()
    )


async def _certificate_case(number: str) -> int | None:
    row = await Certificate.select(Certificate.application).where(Certificate.number == number).first().run()
    return row["application"] if row else None


async def delete_files_for_case(application_id: int) -> int:
    """Remove the files sent with the changes reported against the case's certificate: evidence the
    shop sent about that certificate, destroyed with the case's evidence by the kommun's retention
    plan (services/retention.py). The reports themselves stay; the caller holds the transaction."""
    numbers = Certificate.select(Certificate.number).where(Certificate.application == application_id)
    changes = MaterialChange.select(MaterialChange.id).where(MaterialChange.certificate.is_in(numbers))
    count = await MaterialChangeFile.count().where(MaterialChangeFile.change.is_in(changes)).run()
    await MaterialChangeFile.delete().where(MaterialChangeFile.change.is_in(changes)).run()
    return count


async def report(actor: Actor, business_id: int, kind: str, description: str) -> MaterialChangeView:
    """The owner (or another representative) reports a change of a certified shop to its kommun."""
    require(actor, Capability.report_material_change)
    if kind not in ChangeKind.__members__:
        raise InvalidField("kind", "invalid_field", field="kind")
    description = description.strip()
    if not description or len(description) > DESCRIPTION_MAX:
        raise InvalidField("description", "change_description_missing", limit=DESCRIPTION_MAX)
    async with database.transaction():
        shop = (
            await Business.select(Business.id, Business.kommun)
            .where((Business.id == business_id) & Business.id.is_in(represented(actor.id)))
            .first()
            .run()
        )
        if shop is None:
            raise NotFound("business_not_found")
        await database.lock_business(business_id)
        certificate = await _certificate_in_force(business_id)
        if certificate is None:
            raise RuleNotMet("change_needs_certificate")
        rows = (
            await MaterialChange.insert(
                MaterialChange(
                    business=business_id,
                    kommun=shop["kommun"],
                    certificate=certificate["number"],
                    kind=kind,
                    description=description,
                    state=ChangeState.reported.value,
                    reported_by=actor.id,
                    reported_at=now(),
                )
            )
            .returning(MaterialChange.id)
            .run()
        )
        change_id = rows[0]["id"]
        await events.record(
            "material_change_reported",
            actor=actor,
            application_id=certificate["application"],
            business_id=business_id,
            detail={"change_id": change_id, "kind": kind, "certificate": certificate["number"]},
        )
    return await get(actor, change_id)


async def add_file(
    actor: Actor, change_id: int, file_name: str, data: bytes, limits: UploadLimits
) -> MaterialChangeFileView:
    """A photo or document with the report, while the kommun has not decided yet (owner)."""
    require(actor, Capability.report_material_change)
    upload = await evidence.checked_upload(data, file_name, limits, field="file")
    data, content_type, name = upload.data, upload.content_type, upload.name
    async with database.transaction():
        change = await _load(actor, change_id)
        await database.lock_business(change["business"])
        if change["state"] != ChangeState.reported:
            raise Conflict("change_already_decided", extra={"state": change["state"]})
        count = await MaterialChangeFile.count().where(MaterialChangeFile.change == change_id).run()
        if count >= MAX_FILES:
            raise RuleNotMet("too_many_files", limit=MAX_FILES)
        rows = (
            await MaterialChangeFile.insert(
                MaterialChangeFile(
                    change=change_id,
                    file_name=name,
                    content_type=content_type,
                    size=len(data),
                    content=data,
                    uploaded_by=actor.id,
                    uploaded_at=now(),
                )
            )
            .returning(*_FILE_COLUMNS)
            .run()
        )
        await events.record(
            "material_change_file_added",
            actor=actor,
            application_id=await _certificate_case(change["certificate"]),
            business_id=change["business"],
            detail={"change_id": change_id, "file_id": rows[0]["id"], "size": len(data)},
        )
    return _file_view(rows[0])


async def _load(actor: Actor, change_id: int) -> dict[str, Any]:
    row = (
        await MaterialChange.select(*_COLUMNS)
        .where((MaterialChange.id == change_id) & material_change_scope(actor))
        .first()
        .run()
    )
    if row is None:
        raise NotFound("change_not_found")
    return row


async def get(actor: Actor, change_id: int) -> MaterialChangeView:
    return (await _views([await _load(actor, change_id)]))[0]


async def list_for_business(actor: Actor, business_id: int) -> list[MaterialChangeView]:
    """The shop's reported changes, newest first; 404 for a shop outside the caller's reach."""
    if actor.role == Role.inspector:
        raise NotFound("business_not_found")
    if not await Business.exists().where((Business.id == business_id) & business_scope(actor)).run():
        raise NotFound("business_not_found")
    rows = (
        await MaterialChange.select(*_COLUMNS)
        .where((MaterialChange.business == business_id) & material_change_scope(actor))
        .order_by(MaterialChange.id, ascending=False)
        .run()
    )
    return await _views(rows)


async def waiting(actor: Actor) -> list[MaterialChangeView]:
    """The kommun's reported changes that wait for its decision, oldest first (its case list)."""
    if actor.role != Role.kommun:
        return []
    rows = (
        await MaterialChange.select(*_COLUMNS)
        .where(material_change_scope(actor) & (MaterialChange.state == ChangeState.reported.value))
        .order_by(MaterialChange.id)
        .run()
    )
    return await _views(rows)


async def of_reinspection(actor: Actor, application_id: int) -> MaterialChangeView | None:
    """The reported change a case re-inspects, if it is such a case and the caller may see it."""
    row = (
        await MaterialChange.select(*_COLUMNS)
        .where((MaterialChange.reinspection == application_id) & material_change_scope(actor))
        .first()
        .run()
    )
    return (await _views([row]))[0] if row else None


async def read_file(actor: Actor, file_id: int) -> tuple[MaterialChangeFileView, bytes]:
    """A file of a change the caller may see (404 otherwise)."""
    row = (
        await MaterialChangeFile.select(
            *_FILE_COLUMNS,
            MaterialChangeFile.content,
            MaterialChangeFile.change.kommun,
            MaterialChangeFile.change.business,
            MaterialChangeFile.change.certificate,
        )
        .where(
            (MaterialChangeFile.id == file_id)
            & MaterialChangeFile.change.is_in(
                MaterialChange.select(MaterialChange.id).where(material_change_scope(actor))
            )
        )
        .first()
        .run()
    )
    if row is None:
        raise NotFound("file_not_found")
    view = _file_view(row)
    # Like evidence, a file about a shop's security measures is read on the record (the access log).
    await access_log.record(
        actor,
        ReadFile(
            application_id=await _certificate_case(row["change.certificate"]),
            kommun_id=row["change.kommun"],
            file_name=view.file_name,
            evidence_id=view.id,
            business_id=row["change.business"],
        ),
        ReadKind.change_file,
    )
    return view, bytes(row["content"])


async def decide(actor: Actor, change_id: int, decision: Decision) -> MaterialChangeView:
    """The shop's kommun notes the change (it stays on the certificate's history) or requires a
    re-inspection (a linked case, submitted, that the kommun assigns as usual)."""
    own_kommun(actor, Capability.decide_material_change)
    async with database.transaction():
        change = await _load(actor, change_id)
        await database.lock_business(change["business"])
        if change["state"] != ChangeState.reported:
            raise Conflict("change_already_decided", extra={"state": change["state"]})
        state = DECIDED_STATE[decision]
        certificate_case = await _certificate_case(change["certificate"])
        values: dict[Any, Any] = {
            MaterialChange.state: state.value,
            MaterialChange.decided_by: actor.id,
            MaterialChange.decided_at: now(),
        }
        detail: dict[str, Any] = {
            "change_id": change_id,
            "kind": change["kind"],
            "certificate": change["certificate"],
        }
        if decision == Decision.reinspect:
            reinspection = await cases.open_reinspection(
                actor, change["business"], change["certificate"], change_id
            )
            values[MaterialChange.reinspection] = reinspection
            detail["reinspection_id"] = reinspection
        rows = (
            await MaterialChange.update(values)
            .where((MaterialChange.id == change_id) & (MaterialChange.state == ChangeState.reported.value))
            .returning(MaterialChange.id)
            .run()
        )
        if not rows:
            raise Conflict("changed_concurrently")
        await events.record(
            f"material_change_{state.value}",
            actor=actor,
            application_id=certificate_case,
            business_id=change["business"],
            detail=detail,
        )
    return await get(actor, change_id)
