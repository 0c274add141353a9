"""Shops: registered by their owner (or later imported by the kommun), always within one kommun."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from certify import database
from certify.domain.errors import InvalidField, NotFound
from certify.domain.org_number import format_org_number, normalise_org_number
from certify.domain.status import Role
from certify.services import business_changes, events, policy, representatives
from certify.services.accounts import normalise_email
from certify.services.actor import Actor
from certify.services.policy import Capability, business_scope
from certify.services.views import BusinessView
from certify.tables import Application, Business, Kommun

_POSTAL_CODE = re.compile(r"^[0-9]{3} ?[0-9]{2}$")


@dataclass(frozen=True, slots=True)
class BusinessInput:
    name: str
    org_number: str
    street_address: str
    postal_code: str
    city: str
    area: str = ""
    phone: str = ""
    email: str = ""
    cash_free: bool = False
    chain: str = ""
    kommun_code: str | None = None


def normalise_postal_code(raw: str) -> str:
    if not _POSTAL_CODE.match(raw.strip()):
        raise InvalidField("postal_code", "postal_code_invalid")
    return raw.replace(" ", "").strip()


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Normalise and check the fields that have a shape of their own."""
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    for required in ("name", "street_address", "city"):
        if required in cleaned and not cleaned[required]:
            raise InvalidField(required, "field_empty")
    if "org_number" in cleaned:
        cleaned["org_number"] = normalise_org_number(cleaned["org_number"])
    if "postal_code" in cleaned:
        cleaned["postal_code"] = normalise_postal_code(cleaned["postal_code"])
    if cleaned.get("email"):
        cleaned["email"] = normalise_email(cleaned["email"])
    return cleaned


async def resolve_kommun(code: str | None) -> int:
    """The kommun by code; the code may be left out when the installation serves one kommun."""
    if code:
        row = await Kommun.select(Kommun.id).where(Kommun.code == code).first().run()
        if row is None:
            raise InvalidField("kommun_code", "kommun_code_unknown", kommun=code)
        return int(row["id"])
    rows = await Kommun.select(Kommun.id).limit(2).run()
    if len(rows) != 1:
        raise InvalidField("kommun_code", "kommun_code_required")
    return int(rows[0]["id"])


INSPECTED_COLUMNS = tuple(getattr(Business, name) for name in business_changes.INSPECTED_FIELDS)

_COLUMNS = (
    Business.id,
    Business.name,
    Business.org_number,
    Business.street_address,
    Business.postal_code,
    Business.city,
    Business.area,
    Business.phone,
    Business.email,
    Business.cash_free,
    Business.chain,
    Business.owner,
    Business.kommun.code,
)


def _view(row: dict[str, Any], current_state: str | None) -> BusinessView:
    return BusinessView(
        id=row["id"],
        name=row["name"],
        org_number=format_org_number(row["org_number"]),
        street_address=row["street_address"],
        postal_code=row["postal_code"],
        city=row["city"],
        area=row["area"],
        phone=row["phone"],
        email=row["email"],
        cash_free=row["cash_free"],
        kommun_code=row["kommun.code"],
        chain=row["chain"],
        owner_id=row["owner"],
        current_state=current_state,
    )


async def latest_states(business_ids: list[int]) -> dict[int, str]:
    """Each shop's newest case's state (shops without a case are missing)."""
    if not business_ids:
        return {}
    rows = (
        await Application.select(Application.business, Application.state)
        .where(Application.business.is_in(business_ids))
        .order_by(Application.id)
        .run()
    )
    return {r["business"]: r["state"] for r in rows}  # the last (newest) case wins


async def create(actor: Actor, data: BusinessInput) -> BusinessView:
    policy.require(actor, Capability.register_shop)
    fields = _clean({k: v for k, v in asdict(data).items() if k != "kommun_code"})
    async with database.transaction():
        kommun_id = await resolve_kommun(data.kommun_code)
        rows = (
            await Business.insert(Business(kommun=kommun_id, owner=actor.id, **fields))
            .returning(Business.id)
            .run()
        )
        business_id = rows[0]["id"]
        await representatives.add(business_id, actor.id)  # the basis is stated next, on the shop page
        await events.record("business_registered", actor=actor, business_id=business_id)
    return await get(actor, business_id)


async def get(actor: Actor, business_id: int) -> BusinessView:
    row = (
        await Business.select(*_COLUMNS)
        .where((Business.id == business_id) & business_scope(actor))
        .first()
        .run()
    )
    if row is None:
        raise NotFound("business_not_found")
    view = _view(row, (await latest_states([business_id])).get(business_id))
    view.reported_change = await business_changes.waiting_for(business_id)
    return view


async def list_visible(actor: Actor) -> list[BusinessView]:
    rows = await Business.select(*_COLUMNS).where(business_scope(actor)).order_by(Business.name).run()
    states = await latest_states([r["id"] for r in rows])
    return [_view(r, states.get(r["id"])) for r in rows]


async def update(actor: Actor, business_id: int, changes: dict[str, Any]) -> BusinessView:
    """The owner (or the kommun) corrects the shop's facts; the org number stays as registered.

    On a certified shop the owner's change of name or address is a reported change the kommun
    decides on (services/business_changes.py); the other fields change at once.
    """
    policy.require(actor, Capability.edit_shop)
    if "org_number" in changes:
        policy.require(actor, Capability.change_org_number)
    fields = _clean(changes)
    async with database.transaction():
        await database.lock_business(business_id)
        shop = (
            await Business.select(Business.id, Business.kommun, *INSPECTED_COLUMNS)
            .where((Business.id == business_id) & business_scope(actor))
            .first()
            .run()
        )
        if shop is None:
            raise NotFound("business_not_found")
        inspected = {k: fields.pop(k) for k in business_changes.INSPECTED_FIELDS if k in fields}
        if inspected and actor.role == Role.owner and await business_changes.certified(business_id):
            await business_changes.report(actor, shop, inspected)
        else:
            fields.update(inspected)
        if fields:
            await (
                Business.update({getattr(Business, k): v for k, v in fields.items()})
                .where(Business.id == business_id)
                .run()
            )
            await events.record(
                "business_updated", actor=actor, business_id=business_id, detail={"fields": sorted(fields)}
            )
    return await get(actor, business_id)
