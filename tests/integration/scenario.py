"""Building cases through the HTTP API, the way the real clients do."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import httpx

from certify.domain.checklist import CASH_RELATED_POINTS
from certify.domain.org_number import with_check_digit
from certify.domain.status import Role
from tests.conftest import World

ALL_POINTS = range(1, 14)
NA_COMMENT = "Butiken är kontantfri."


def shop_fields(index: int = 1, **overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": f"Åkes Järn & Färg {index}",
        "org_number": with_check_digit(f"55601{index:04d}"),
        "street_address": "Borlänge Torget 5",
        "postal_code": "784 33",
        "city": "Borlänge",
        "area": "Centrum",
        "phone": "0243-12 34 56",
        "email": f"butik{index}@example.se",
        "cash_free": False,
    }
    fields.update(overrides)
    return fields


def visit_time() -> str:
    return (datetime.now().astimezone() + timedelta(days=2)).replace(microsecond=0).isoformat()


def future_deadline() -> str:
    return (date.today() + timedelta(days=30)).isoformat()


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    return response.json() if response.content else None


@dataclass
class Scenario:
    """A kommun, one owner with one shop, an inspector and a case officer, all logged in."""

    world: World
    owner: httpx.AsyncClient
    inspector: httpx.AsyncClient
    kommun: httpx.AsyncClient
    owner_id: int
    inspector_id: int
    kommun_id: int
    cash_free: bool = False
    business_id: int = 0
    case_id: int = 0
    shops: int = field(default=0)

    @classmethod
    async def create(cls, world: World, *, cash_free: bool = False) -> Scenario:
        await world.kommun()
        owner_id, owner = await world.client_for(Role.owner)
        inspector_id, inspector = await world.client_for(Role.inspector)
        kommun_id, kommun = await world.client_for(Role.kommun)
        scenario = cls(world, owner, inspector, kommun, owner_id, inspector_id, kommun_id, cash_free)
        shop = await scenario.new_shop()
        scenario.business_id = shop["id"]
        case = await ok(await owner.post(f"/api/businesses/{shop['id']}/applications"), 201)
        scenario.case_id = case["id"]
        return scenario

    @classmethod
    async def create_in(cls, world: World, like: Scenario, *, cash_free: bool = False) -> Scenario:
        """Another shop and case for the same owner, inspector and case officer."""
        scenario = cls(
            world,
            like.owner,
            like.inspector,
            like.kommun,
            like.owner_id,
            like.inspector_id,
            like.kommun_id,
            cash_free,
            shops=like.shops + 100,
        )
        shop = await scenario.new_shop()
        scenario.business_id = shop["id"]
        case = await ok(await scenario.owner.post(f"/api/businesses/{shop['id']}/applications"), 201)
        scenario.case_id = case["id"]
        return scenario

    async def new_shop(self, **overrides: Any) -> dict[str, Any]:
        self.shops += 1
        fields = shop_fields(self.shops, cash_free=self.cash_free, **overrides)
        return await ok(await self.owner.post("/api/businesses", json=fields), 201)

    async def case(self, client: httpx.AsyncClient | None = None) -> dict[str, Any]:
        return await ok(await (client or self.kommun).get(f"/api/applications/{self.case_id}"))

    async def answer(self, point: int, status: str = "fulfilled", comment: str = "") -> httpx.Response:
        return await self.owner.put(
            f"/api/applications/{self.case_id}/answers/{point}",
            json={"status": status, "comment": comment},
        )

    async def answer_all(self) -> None:
        for point in ALL_POINTS:
            if self.cash_free and point in CASH_RELATED_POINTS:
                await ok(await self.answer(point, "not_applicable", NA_COMMENT))
            else:
                await ok(await self.answer(point))

    async def verdict(
        self, point: int, verdict: str = "pass", remark: str = "", failed: list[str] | None = None
    ) -> httpx.Response:
        """A verdict; a fail names the criteria not met (`failed`), as version 2026.2 requires."""
        body: dict[str, Any] = {"verdict": verdict, "remark": remark}
        if failed is not None:
            body["failed_criteria"] = failed
        return await self.inspector.put(f"/api/applications/{self.case_id}/verdicts/{point}", json=body)

    async def judge_all(self, fail: set[int] = frozenset()) -> None:  # type: ignore[assignment]
        for point in ALL_POINTS:
            if point in fail:
                await ok(await self.verdict(point, "fail", f"Punkt {point} brister.", [f"{point}.1"]))
            elif self.cash_free and point in CASH_RELATED_POINTS:
                await ok(await self.verdict(point, "not_applicable", "Kontantfri, kontrollerat."))
            else:
                await ok(await self.verdict(point))

    async def act(self, client: httpx.AsyncClient, action: str, **body: Any) -> httpx.Response:
        return await client.post(f"/api/applications/{self.case_id}/{action}", json=body)

    async def to_state(self, state: str) -> dict[str, Any]:
        """Drive the case along the normal path until it is in `state`."""
        if state == "draft":
            return await self.case()
        if state == "withdrawn":
            return await ok(await self.act(self.owner, "withdraw"))
        await self.answer_all()
        await ok(await self.act(self.owner, "submit"))
        if state == "submitted":
            return await self.case()
        await ok(await self.act(self.kommun, "assign", inspector_id=self.inspector_id, visit_at=visit_time()))
        if state == "scheduled":
            return await self.case()
        if state in {"corrections_required", "rejected"}:
            await self.judge_all(fail={4})
            await ok(await self.act(self.inspector, "require_corrections", deadline=future_deadline()))
            if state == "rejected":
                await ok(await self.act(self.kommun, "reject", reason="Inga åtgärder gjordes."))
            return await self.case()
        await self.judge_all()
        await ok(await self.act(self.inspector, "approve"))
        if state == "certified":
            return await self.case()
        if state == "revoked":
            return await ok(await self.act(self.kommun, "revoke", reason="Butiken har flyttat."))
        raise ValueError(f"no path to {state} in this helper")
