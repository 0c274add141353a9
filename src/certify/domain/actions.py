"""Every workflow action described once: who may take it, what it is called, whom it tells.

The machine (domain/workflow.py) declares the transitions; this registry says everything else about
each of its events, and every room looks the action up here instead of matching its name: the
machine's role check and refusals, services/cases.py, the notifications, the timeline and the pages.
Texts are Swedish message ids marked with N_; whoever shows one translates it with `_()` then.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from certify.domain.status import Role
from certify.text.catalogue import N_

SYSTEM: Final = "system"
"""The role of the scheduled jobs (an expiry is nobody's decision)."""


class Audience(StrEnum):
    """Who hears about an action by e-mail."""

    owner = "owner"  # the shop's representatives (every one with an active account)
    inspector = "inspector"  # the inspector assigned to the case
    kommun = "kommun"  # the kommun's case officers


class Field(StrEnum):
    """What an action carries besides the case (the fields of services.cases.ActionInput)."""

    inspector_id = "inspector_id"
    visit_at = "visit_at"
    deadline = "deadline"
    reason = "reason"
    comment = "comment"


@dataclass(frozen=True, slots=True)
class Action:
    """One workflow action. An inspector must also be the one assigned to the case."""

    name: str  # the machine's event
    roles: frozenset[str]  # who may take it (Role values, or SYSTEM)
    label: str  # N_: its button
    verb: str  # N_: what could not be done, in a refusal ("Kan inte {verb}: …")
    done: str  # N_: the notice on the page after it was taken
    sentence: str  # N_: the case timeline's sentence; `{name}` placeholders come from the event detail
    notifies: frozenset[Audience] = frozenset()
    needs: tuple[Field, ...] = ()  # the fields the action requires
    # May be taken on a sampled shop's case of a chain case (Application.chain_case set), which is
    # otherwise decided in the chain case, never on its own: booking and reassigning the visit, a
    # shared inspector's removal, and a member's own certificate's expiry and revocation.
    in_chain_case: bool = False


def _action(
    name: str,
    roles: set[str],
    *,
    label: str,
    verb: str,
    done: str,
    sentence: str,
    notifies: set[Audience] | None = None,
    needs: tuple[Field, ...] = (),
    in_chain_case: bool = False,
) -> tuple[str, Action]:
    return name, Action(
        name, frozenset(roles), label, verb, done, sentence, frozenset(notifies or ()), needs, in_chain_case
    )


ACTIONS: Mapping[str, Action] = MappingProxyType(
    dict(
        [
            _action(
                "submit",
                {Role.owner},
                label=N_("Skicka in ansökan"),
                verb=N_("skicka in ansökan"),
                done=N_("Ansökan är inskickad. Kommunen bokar en besiktning och hör av sig."),
                sentence=N_("Ansökan skickades in till kommunen."),
                notifies={Audience.owner},
            ),
            _action(
                "assign",
                {Role.kommun},
                label=N_("Tilldela och boka"),
                verb=N_("tilldela besiktningsperson"),
                done=N_("Besiktningen är bokad och besiktningspersonen tilldelad."),
                sentence=N_("Besiktning bokades till {visit_at}."),
                notifies={Audience.owner, Audience.inspector},
                needs=(Field.inspector_id, Field.visit_at),
                in_chain_case=True,
            ),
            _action(
                "unassign",
                {Role.kommun},
                label=N_("Ta bort besiktningspersonen"),
                verb=N_("ta bort besiktningspersonen från ärendet"),
                done=N_("Besiktningspersonen är borttagen från ärendet. Kommunen utser en ny."),
                sentence=N_("Besiktningspersonen togs bort från ärendet. Kommunen utser en ny."),
                needs=(Field.reason,),
                in_chain_case=True,
            ),
            _action(
                "require_corrections",
                {Role.inspector},
                label=N_("Begär åtgärder"),
                verb=N_("begära åtgärder"),
                done=N_("Begäran om åtgärder är skickad till butiken."),
                sentence=N_("Besiktningen visade brister."),
                notifies={Audience.owner},
                needs=(Field.deadline,),
            ),
            _action(
                "report_corrections",
                {Role.owner},
                label=N_("Jag har åtgärdat bristerna"),
                verb=N_("anmäla åtgärdade brister"),
                done=N_("Tack! Besiktningspersonen kontrollerar åtgärderna."),
                sentence=N_("Bristerna anmäldes som åtgärdade. Besiktningspersonen kontrollerar dem."),
            ),
            _action(
                "approve",
                {Role.inspector},
                label=N_("Godkänn butiken"),
                verb=N_("godkänna"),
                done=N_("Butiken är godkänd och intyget är utfärdat."),
                sentence=N_("Butiken godkändes och fick intyg {certificate}."),
                notifies={Audience.owner},
            ),
            _action(
                "reject",
                {Role.inspector, Role.kommun},
                label=N_("Avslå ansökan"),
                verb=N_("avslå"),
                done=N_("Ansökan är avslagen."),
                sentence=N_("Ansökan avslogs. Skäl: {reason}"),
                needs=(Field.reason,),
            ),
            _action(
                "withdraw",
                {Role.owner},
                label=N_("Dra tillbaka ansökan"),
                verb=N_("dra tillbaka ansökan"),
                done=N_("Ansökan är tillbakadragen."),
                sentence=N_("Ansökan drogs tillbaka."),
            ),
            _action(
                "expire",
                {SYSTEM},
                label=N_("Markera som utgånget"),
                verb=N_("markera som utgånget"),
                done=N_("Intyget har gått ut."),
                sentence=N_("Intyget gick ut."),
                in_chain_case=True,
            ),
            _action(
                "revoke",
                {Role.kommun},
                label=N_("Återkalla intyget"),
                verb=N_("återkalla intyget"),
                done=N_("Intyget är återkallat."),
                sentence=N_("Intyget återkallades. Skäl: {reason}"),
                notifies={Audience.owner},
                needs=(Field.reason,),
                in_chain_case=True,
            ),
        ]
    )
)
"""The workflow's actions by the machine's event name (a test checks both name the same events)."""
