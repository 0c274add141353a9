"""The kommun's document register: entries written with the events that bring documents in or send
them out (one call from services/events.py, in the same transaction), and read by the kommun's page,
its CSV export and GET /api/register/documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from certify.domain.document_register import EVENT_DOCUMENTS, KINDS, Direction
from certify.domain.status import CaseState, Role
from certify.formatting import format_datetime
from certify.services import policy, spreadsheets
from certify.services.actor import Actor
from certify.services.clock import SWEDEN
from certify.services.policy import Capability
from certify.services.views import RegisteredDocumentView
from certify.tables import Application, Business, ChainCase, Evidence, RegisteredDocument
from certify.text.register import description, direction_label, secrecy_marking, title_of_columns

NAMED_DETAIL = (
    "evidence_id",
    "file_id",
    "certificate",
    "round",
    "document_kind",
    "document_detail",
    "assessment",
    "decision",
    "package",
    "chain_case_id",
    "shops",
)
"""What an entry's description may name from its event (text/register.py words it)."""


async def after_event(
    action: str,
    *,
    actor: Actor | None,
    application_id: int | None,
    business_id: int | None,
    detail: dict[str, Any],
    at: datetime,
) -> None:
    """Register what the event brought in or sent out, if anything (caller's transaction)."""
    kind = EVENT_DOCUMENTS.get(action)
    if kind == "chain_audit":
        await _chain_case_received(detail, at)
        return
    if kind is not None and kind.startswith("chain_"):
        await _chain_document(kind, detail, at)
        return
    if kind is None or business_id is None:
        return
    shop = (
        await Business.select(Business.name, Business.kommun).where(Business.id == business_id).first().run()
    )
    assert shop is not None
    if kind == "self_assessment":
        # The kommun receives the self-assessment with every file attached to it by then.
        files = (
            await Evidence.select(Evidence.id)
            .where(Evidence.application == application_id)
            .order_by(Evidence.id)
            .run()
        )
        await _insert(shop, application_id, business_id, kind, [{}], at)
        await _insert(
            shop, application_id, business_id, "evidence", [{"evidence_id": f["id"]} for f in files], at
        )
        return
    if kind == "evidence" and (actor is None or actor.role != Role.owner or await _is_draft(application_id)):
        return  # a draft's files come in with the submission; an inspector's photos never come in
    named: dict[str, Any] = {k: detail[k] for k in NAMED_DETAIL if k in detail}
    # An utlämnande goes to whoever asked, an archive package to the kommun's e-archive (named by
    # the kommun); every other document to or from the shop.
    counterpart = detail.get("requester") or detail.get("recipient") or shop["name"]
    await _insert({**shop, "name": counterpart}, application_id, business_id, kind, [named], at)


async def _chain_case_received(detail: dict[str, Any], at: datetime) -> None:
    """A chain case comes in: the chain's internal audit of its members, and each file of its
    central documentation, from the chain (no one shop's case)."""
    chain = {"kommun": detail["kommun_id"], "name": detail["chain_name"]}
    case = {"chain_case_id": detail["chain_case_id"]}
    await _insert(chain, None, None, "chain_audit", [{**case, "shops": detail["members"]}], at)
    files = [{**case, "file_id": file_id} for file_id in detail["document_ids"]]
    await _insert(chain, None, None, "chain_documentation", files, at)


async def _chain_document(kind: str, detail: dict[str, Any], at: datetime) -> None:
    """A later document of a chain case, to or from the chain: named by the case, its round and the
    file it carries, never by what it says."""
    case = (
        await ChainCase.select(ChainCase.kommun, ChainCase.chain.name)
        .where(ChainCase.id == detail["chain_case_id"])
        .first()
        .run()
    )
    assert case is not None
    named = {"chain_case_id": detail["chain_case_id"]}
    if "round" in detail:
        named["round"] = detail["round"]
    if "chain_fix_id" in detail:
        named["file_id"] = detail["chain_fix_id"]
    await _insert({"kommun": case["kommun"], "name": case["chain.name"]}, None, None, kind, [named], at)


async def _is_draft(application_id: int | None) -> bool:
    row = await Application.select(Application.state).where(Application.id == application_id).first().run()
    return row is None or row["state"] == CaseState.draft


async def _insert(
    shop: dict[str, Any],
    application_id: int | None,
    business_id: int | None,
    kind: str,
    details: list[dict[str, Any]],
    at: datetime,
) -> None:
    if not details:
        return
    spec = KINDS[kind]
    await RegisteredDocument.insert(
        *[
            RegisteredDocument(
                kommun=shop["kommun"],
                application=application_id,
                business=business_id,
                registered_at=at,
                direction=spec.direction.value,
                kind=kind,
                counterpart=shop["name"],
                detail=detail,
                secrecy=spec.secrecy,
            )
            for detail in details
        ]
    ).run()


@dataclass(frozen=True, slots=True)
class RegisterQuery:
    date_from: date | None = None  # first day, Swedish time
    date_to: date | None = None  # last day, inclusive
    case_id: int | None = None
    diarienummer: str = ""
    direction: Direction | None = None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=SWEDEN)


async def entries(actor: Actor, query: RegisterQuery) -> list[RegisteredDocumentView]:
    """The kommun's own register, oldest first, worded in the language of the moment."""
    policy.own_kommun(actor, Capability.keep_diarium)
    where: Any = RegisteredDocument.kommun == actor.kommun_id
    if query.date_from is not None:
        where = where & (RegisteredDocument.registered_at >= _start_of(query.date_from))
    if query.date_to is not None:
        where = where & (RegisteredDocument.registered_at < _start_of(query.date_to + timedelta(days=1)))
    if query.case_id is not None:
        where = where & (RegisteredDocument.application == query.case_id)
    if query.diarienummer:
        where = where & (RegisteredDocument.application.diarienummer == query.diarienummer)
    if query.direction is not None:
        where = where & (RegisteredDocument.direction == query.direction.value)
    rows = (
        await RegisteredDocument.select(
            RegisteredDocument.id,
            RegisteredDocument.registered_at,
            RegisteredDocument.application,
            RegisteredDocument.application.diarienummer,
            RegisteredDocument.direction,
            RegisteredDocument.kind,
            RegisteredDocument.counterpart,
            RegisteredDocument.detail,
            RegisteredDocument.secrecy,
        )
        .where(where)
        .order_by(RegisteredDocument.registered_at)
        .order_by(RegisteredDocument.id)
        .output(load_json=True)
        .run()
    )
    return [
        RegisteredDocumentView(
            id=r["id"],
            registered_at=r["registered_at"],
            case_id=r["application"],
            diarienummer=r["application.diarienummer"],
            direction=r["direction"],
            counterpart=r["counterpart"],
            kind=r["kind"],
            description=description(r["kind"], r["detail"] or {}),
            secrecy=r["secrecy"] or None,
            secrecy_marking=secrecy_marking(r["secrecy"]) or None,
        )
        for r in rows
    ]


def as_csv(documents: list[RegisteredDocumentView]) -> bytes:
    """The register as the kommun opens it in a spreadsheet (through the one safe writer)."""
    rows: list[list[spreadsheets.Cell]] = [title_of_columns()]
    rows += [
        [
            format_datetime(d.registered_at),
            d.diarienummer or "",
            direction_label(d.direction),
            d.counterpart,
            d.description,
            d.secrecy_marking or "",
        ]
        for d in documents
    ]
    return spreadsheets.csv_bytes(rows)
