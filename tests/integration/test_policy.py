"""The policy's two forms of the case scope agree: the Piccolo where-clause every list and service
uses, and the SQL string the hand-written case read uses, row by row for every account."""

from __future__ import annotations

from datetime import UTC, datetime

from certify import database
from certify.domain.status import Role
from certify.services import accounts
from certify.services.actor import Actor
from certify.services.policy import Capability, application_scope, application_scope_sql, may
from certify.tables import Account, Application, InspectorKommun, Kommun, Representative
from tests.conftest import World
from tests.integration.scenario import Scenario, ok, visit_time


async def _seen_by_piccolo(actor: Actor) -> set[int]:
    rows = await Application.select(Application.id).where(application_scope(actor)).run()
    return {row["id"] for row in rows}


async def _seen_by_sql(actor: Actor) -> set[int]:
    scope, value = application_scope_sql(actor)
    sql = "SELECT a.id FROM applications a JOIN businesses b ON b.id = a.business WHERE " + scope
    return {row["id"] for row in await database.read(sql, value)}


async def test_the_case_reads_sql_scope_matches_the_piccolo_scope_for_every_account(world: World) -> None:
    first = await Scenario.create(world)
    await first.to_state("scheduled")
    await Scenario.create_in(world, first)  # the same owner's second shop, a draft
    other = await Scenario.create(world)
    await other.to_state("certified")
    # A regional inspector who judged a case in 2081 and then stopped serving 2081.
    third = await Scenario.create_in(world, other)
    await third.to_state("submitted")
    await world.kommun("2080", "Falu kommun")
    regional = await world.user(Role.inspector, ["2081", "2080"])
    await ok(await third.act(third.kommun, "assign", inspector_id=regional, visit_at=visit_time()))
    borlange = await Kommun.select(Kommun.id).where(Kommun.code == "2081").first().run()
    assert borlange is not None
    await (
        InspectorKommun.delete()
        .where((InspectorKommun.inspector == regional) & (InspectorKommun.kommun == borlange["id"]))
        .run()
    )
    # The other owner also acts for the first owner's company.
    await Representative.insert(Representative(business=first.business_id, account=other.owner_id)).run()
    await world.user(Role.kommun, ["2080"])  # a kommun user with no cases at all

    compared = 0
    for row in await Account.select(Account.id).run():
        actor = await accounts.load_actor(row["id"], datetime.now(UTC))
        assert actor is not None
        piccolo, sql = await _seen_by_piccolo(actor), await _seen_by_sql(actor)
        assert piccolo == sql, f"{actor.role} {actor.id}: Piccolo {sorted(piccolo)} vs SQL {sorted(sql)}"
        compared += bool(piccolo)
    # The data set exercises every branch: owners, inspectors and kommun users who see cases.
    assert compared >= 5
    regional_actor = await accounts.load_actor(regional, datetime.now(UTC))
    assert regional_actor is not None and await _seen_by_piccolo(regional_actor) == set()


async def test_each_capability_belongs_to_the_roles_the_programme_gives_it(world: World) -> None:
    await world.kommun()
    owner = await accounts.load_actor(await world.user(Role.owner), datetime.now(UTC))
    inspector = await accounts.load_actor(await world.user(Role.inspector), datetime.now(UTC))
    kommun = await accounts.load_actor(await world.user(Role.kommun), datetime.now(UTC))
    assert owner and inspector and kommun
    assert may(owner, Capability.answer_points) and not may(inspector, Capability.answer_points)
    assert may(inspector, Capability.judge_points) and not may(kommun, Capability.judge_points)
    assert may(kommun, Capability.keep_diarium) and not may(owner, Capability.keep_diarium)
    assert may(kommun, Capability.edit_shop) and may(owner, Capability.edit_shop)
    assert not may(inspector, Capability.edit_shop)
    assert may(owner, Capability.report_material_change)
    assert not may(kommun, Capability.report_material_change)
    assert may(kommun, Capability.decide_material_change)
    assert not may(owner, Capability.decide_material_change)
