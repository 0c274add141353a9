"""Acting for a company, as its representatives do it: who they are, the basis each states
(firmatecknare, or ombud with an uploaded fullmakt) and the fullmakt itself.

Who may see: the company's own representatives, and whoever may see the shop (its kommun, the
inspector of its case); anyone else gets 404. Only a representative states his own basis; a
representative removes another one of the same company, or leaves, as long as one stays. The
kommun's check of what was stated is services/representation_check.py; inviting another
representative is services/invitations.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from certify import database
from certify.domain.errors import InvalidField, NotFound, RuleNotMet
from certify.domain.representation import Basis, basis_problem, removal_problem
from certify.services import access_log, events, evidence, fullmakter, policy, representatives
from certify.services.access_log import ReadFile, ReadKind
from certify.services.actor import Actor
from certify.services.clock import now
from certify.services.evidence import UploadLimits
from certify.services.fullmakter import KeptBecause
from certify.services.policy import Capability, business_scope, fullmakt_scope
from certify.services.representation_check import CHECK
from certify.services.views import RepresentativeView
from certify.tables import Business, Representative


@dataclass(frozen=True, slots=True)
class FullmaktFile:
    """An uploaded fullmakt as received: the name for display only, never a path."""

    file_name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class FullmaktDownload:
    file_name: str
    content_type: str
    content: bytes


async def _visible(actor: Actor, business_id: int) -> None:
    found = await Business.exists().where((Business.id == business_id) & business_scope(actor)).run()
    if not found:
        raise NotFound("business_not_found")


async def list_for(actor: Actor, business_id: int) -> list[RepresentativeView]:
    await _visible(actor, business_id)
    return await representatives.of_business(business_id)


async def mine(actor: Actor, business_id: int) -> RepresentativeView | None:
    """The caller's own representation of the business (None for staff)."""
    return next((r for r in await list_for(actor, business_id) if r.account_id == actor.id), None)


async def _checked_file(upload: FullmaktFile, limits: UploadLimits) -> evidence.CheckedFile:
    """The same checks as evidence (type, size, PDF content); a photographed fullmakt is normalised."""
    return await evidence.checked_upload(upload.data, upload.file_name, limits, field="fullmakt")


async def state_basis(
    actor: Actor,
    business_id: int,
    basis: str,
    limits: UploadLimits,
    fullmakt: FullmaktFile | None = None,
) -> RepresentativeView:
    """The representative states on what basis he acts; an agent shows his fullmakt (now, or one
    uploaded before). A new fullmakt answers a kommun's request for one."""
    policy.require(actor, Capability.state_basis)
    if basis not in set(Basis):
        raise InvalidField("basis", "basis_invalid")
    checked = await _checked_file(fullmakt, limits) if fullmakt is not None else None
    async with database.transaction():
        row = (
            await Representative.select(Representative.id, Representative.fullmakt_uploaded_at)
            .where((Representative.business == business_id) & (Representative.account == actor.id))
            .first()
            .run()
        )
        if row is None:
            raise NotFound("business_not_found")
        problem = basis_problem(basis, checked is not None or row["fullmakt_uploaded_at"] is not None)
        if problem is not None:
            raise InvalidField("fullmakt", problem)
        changes: dict[Any, Any] = {Representative.basis: basis}
        detail: dict[str, Any] = {"basis": basis}
        if checked is not None:
            name = checked.name
            changes |= {
                Representative.fullmakt: checked.data,
                Representative.fullmakt_name: name,
                Representative.fullmakt_type: checked.content_type,
                Representative.fullmakt_size: len(checked.data),
                Representative.fullmakt_uploaded_at: now(),
            }
            detail["fullmakt"] = name
            await fullmakter.keep([row["id"]], KeptBecause.replaced)  # the one it replaces, if any
        await Representative.update(changes).where(Representative.id == row["id"]).run()
        await CHECK.stated(row["id"], fullmakt_uploaded=checked is not None)
        await events.record(
            "fullmakt_uploaded" if checked is not None else "representation_stated",
            actor=actor,
            application_id=await representatives.open_case_of(business_id),
            business_id=business_id,
            detail=detail,
        )
    return next(r for r in await representatives.of_business(business_id) if r.id == row["id"])


async def remove(actor: Actor, business_id: int, representative_id: int) -> bool:
    """A representative stops acting for the company: removed by another representative, or by
    himself (he leaves). His access to the shop and its cases ends with the row. When he was the
    account that registered or claimed the shop, the longest-standing representative left takes
    that place, so that the shop's own mails and papers still reach someone who acts for it.
    True when the caller left (he can no longer see the shop)."""
    policy.require(actor, Capability.remove_representative)
    async with database.transaction():
        await database.lock_business(business_id)  # two removals at once cannot leave nobody
        everyone = (
            await Representative.select(
                Representative.id, Representative.account, Representative.account.name
            )
            .where(Representative.business == business_id)
            .order_by(Representative.id)
            .run()
        )
        if not any(r["account"] == actor.id for r in everyone):
            raise NotFound("business_not_found")
        gone = next((r for r in everyone if r["id"] == representative_id), None)
        if gone is None:
            raise NotFound("representative_not_found")
        staying = [r for r in everyone if r["id"] != representative_id]
        problem = removal_problem(len(staying))
        if problem is not None:
            raise RuleNotMet(problem)
        left = gone["account"] == actor.id
        # His fullmakt is a registered document: it stays with the kommun (services/fullmakter.py).
        await fullmakter.keep([representative_id], KeptBecause.left if left else KeptBecause.removed)
        await Representative.delete().where(Representative.id == representative_id).run()
        await (
            Business.update({Business.owner: staying[0]["account"]})
            .where((Business.id == business_id) & (Business.owner == gone["account"]))
            .run()
        )
        await events.record(
            "representative_left" if left else "representative_removed",
            actor=actor,
            application_id=await representatives.open_case_of(business_id),
            business_id=business_id,
            detail={"representative_id": representative_id, "name": gone["account.name"]},
        )
    return left


async def read_fullmakt(actor: Actor, representative_id: int) -> FullmaktDownload:
    """The fullmakt's file; a fullmakt names the people who act for a company, so every read goes
    to the kommun's access log, like a read of evidence."""
    row = (
        await Representative.select(
            Representative.business,
            Representative.business.kommun,
            Representative.fullmakt,
            Representative.fullmakt_name,
            Representative.fullmakt_type,
        )
        .where((Representative.id == representative_id) & fullmakt_scope(actor))
        .first()
        .run()
    )
    if row is None or row["fullmakt"] is None:
        raise NotFound("file_not_found")
    read = ReadFile(
        application_id=await representatives.newest_case_of(row["business"]),
        kommun_id=row["business.kommun"],
        file_name=row["fullmakt_name"],
        business_id=row["business"],
        representative_id=representative_id,
    )
    await access_log.record(actor, read, ReadKind.fullmakt)
    return FullmaktDownload(
        file_name=row["fullmakt_name"], content_type=row["fullmakt_type"], content=bytes(row["fullmakt"])
    )
