"""The data set for the load benchmark: one kommun, ten owners, shops with cases in all states."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from certify.domain.org_number import with_check_digit
from certify.domain.status import AnswerStatus, Role, VerdictValue
from certify.services import accounts, businesses, cases, kommuner
from certify.services.actor import Actor
from certify.services.businesses import BusinessInput
from certify.services.cases import ActionInput
from certify.services.clock import SWEDEN, now, today

PASSWORD = "load-test-password"
STATES = ("draft", "submitted", "scheduled", "certified")


async def seed(shops: int) -> None:
    await kommuner.add("2081", "Borlänge kommun", "Stadshuset, Röda vägen 50, 781 81 Borlänge", "BLG")
    kommun = await _actor(
        await accounts.create_account(
            email="kommun@load.test",
            name="Handläggare",
            role=Role.kommun,
            password=PASSWORD,
            kommun_codes=["2081"],
        )
    )
    inspector = await _actor(
        await accounts.create_account(
            email="inspector@load.test",
            name="Inspektör",
            role=Role.inspector,
            password=PASSWORD,
            kommun_codes=["2081"],
        )
    )
    owners = [
        await _actor(
            await accounts.create_account(
                email=f"owner{i}@load.test", name=f"Ägare {i}", role=Role.owner, password=PASSWORD
            )
        )
        for i in range(10)
    ]
    visit = datetime.combine(today() + timedelta(days=1), time(10), tzinfo=SWEDEN)
    for index in range(shops):
        owner = owners[index % len(owners)]
        shop = await businesses.create(
            owner,
            BusinessInput(
                name=f"Butik {index}",
                org_number=with_check_digit(f"55{index:07d}"),
                street_address=f"Gatan {index}",
                postal_code="78433",
                city="Borlänge",
                area=("Centrum", "Bullermyren", "Tjärna Ängar")[index % 3],
            ),
        )
        case = await cases.open_case(owner, shop.id)
        target = STATES[index % len(STATES)]
        if target == "draft":
            continue
        for point in range(1, 14):
            await cases.set_answer(owner, case.id, point, AnswerStatus.fulfilled, "Klart.")
        await cases.perform(owner, case.id, "submit", ActionInput())
        if target == "submitted":
            continue
        await cases.perform(kommun, case.id, "assign", ActionInput(inspector_id=inspector.id, visit_at=visit))
        if target == "scheduled":
            continue
        for point in range(1, 14):
            await cases.set_verdict(inspector, case.id, point, VerdictValue.passed, "")
        await cases.perform(inspector, case.id, "approve", ActionInput())
        if index % 20 == 0:
            print(f"  {index}/{shops} shops", flush=True)


async def _actor(account_id: int) -> Actor:
    actor = await accounts.load_actor(account_id, now())
    assert actor is not None
    return actor
