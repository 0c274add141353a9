"""Who may see what: the one place that scopes queries to the caller.

Owners see the shops whose company they represent (services/representatives.py), inspectors the
cases assigned to them in the kommuner they still serve (a kommun that removes a shared inspector
takes its cases out of his sight, decided ones too), kommun users everything in their own kommun.
Anything outside the scope answers 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from certify.domain.status import Role
from certify.services.actor import Actor
from certify.tables import Application, Business, InspectorKommun, Representative


def represented(account_id: int) -> Any:
    """The ids of the businesses an owner account acts for: a sub-query for `is_in`."""
    return Representative.select(Representative.business).where(Representative.account == account_id)


def business_scope(actor: Actor) -> Any:
    """A where-clause on Business limiting rows to what the actor may see."""
    if actor.role == Role.owner:
        return Business.id.is_in(represented(actor.id))
    if actor.role == Role.kommun:
        return Business.kommun == actor.kommun_id
    # Inspectors see the shops of the cases assigned to them.
    return Business.id.is_in(Application.select(Application.business).where(_inspector_cases(actor)))


def _inspector_cases(actor: Actor) -> Any:
    served = InspectorKommun.select(InspectorKommun.kommun).where(InspectorKommun.inspector == actor.id)
    return (Application.inspector == actor.id) & Application.kommun.is_in(served)


def application_scope(actor: Actor) -> Any:
    """A where-clause on Application limiting rows to what the actor may see."""
    if actor.role == Role.owner:
        return Application.business.is_in(represented(actor.id))
    if actor.role == Role.kommun:
        return Application.business.kommun == actor.kommun_id
    return _inspector_cases(actor)


def application_scope_sql(actor: Actor) -> tuple[str, int]:
    """The same rule as application_scope, as SQL over `applications a JOIN businesses b`,
    for the hand-written case read (the hottest query of the service)."""
    if actor.role == Role.owner:
        return "b.id IN (SELECT r.business FROM representatives r WHERE r.account = {})", actor.id
    if actor.role == Role.kommun:
        assert actor.kommun_id is not None
        return "b.kommun = {}", actor.kommun_id
    return (
        "a.inspector = {} AND a.kommun IN "
        "(SELECT ik.kommun FROM inspector_kommuner ik WHERE ik.inspector = a.inspector)",
        actor.id,
    )
