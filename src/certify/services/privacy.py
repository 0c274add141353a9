"""Personal data (GDPR): retention in closed cases, a user's own data, closing an account.

Cases, events and certificates are the kommun's record and stay; what identifies people
(names, e-mail addresses, phone numbers, free-text comments, evidence files) is removed.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from certify import database
from certify.domain.errors import RuleNotMet
from certify.domain.status import OPEN_STATES, CaseState, Role
from certify.services import accounts, events, evidence
from certify.services.access import represented
from certify.services.actor import Actor
from certify.services.clock import now, today
from certify.tables import Account, Answer, Application, Business, Event, EvidenceRead, Representative

CLOSED_STATES = (CaseState.withdrawn.value, CaseState.rejected.value, CaseState.expired.value)
REMOVED = "(borttaget)"


async def apply_retention(years: int, on: date | None = None) -> list[int]:
    """Strip personal data from cases closed more than `years` ago; returns the case ids."""
    cutoff = (on or today()) - relativedelta(years=years)
    due = (
        await Application.select(Application.id, Application.business)
        .where(
            Application.state.is_in(list(CLOSED_STATES))
            & (Application.updated_at < cutoff)
            & Application.personal_data_removed_at.is_null()
        )
        .run()
    )
    for case in due:
        async with database.transaction():
            await _strip_case(case["id"])
            if not await _business_still_active(case["business"], case["id"]):
                await (
                    Business.update({Business.phone: "", Business.email: ""})
                    .where(Business.id == case["business"])
                    .run()
                )
            await (
                Application.update({Application.personal_data_removed_at: now()})
                .where(Application.id == case["id"])
                .run()
            )
            await events.record(
                "personal_data_removed", actor=None, application_id=case["id"], business_id=case["business"]
            )
    return [case["id"] for case in due]


async def _strip_case(application_id: int) -> None:
    await Answer.update({Answer.comment: ""}).where(Answer.application == application_id).run()
    await Event.update({Event.actor_label: REMOVED}).where(Event.application == application_id).run()
    await (
        EvidenceRead.update({EvidenceRead.actor_label: REMOVED, EvidenceRead.file_name: REMOVED})
        .where(EvidenceRead.application == application_id)
        .run()
    )
    await evidence.delete_for_case(application_id)


async def _business_still_active(business_id: int, stripped_case: int) -> bool:
    """A shop keeps its contact details while any other case of it is not closed and stripped."""
    return (
        await Application.exists()
        .where(
            (Application.business == business_id)
            & (Application.id != stripped_case)
            & (Application.state.not_in(list(CLOSED_STATES)) | Application.personal_data_removed_at.is_null())
        )
        .run()
    )


async def export_own_data(actor: Actor) -> dict[str, Any]:
    """Everything the service holds about the caller, as one JSON document."""
    user = await accounts.get_user(actor.id)
    shops = await Business.select().where(Business.id.is_in(represented(actor.id))).run()
    cases = (
        await Application.select(
            Application.id, Application.business, Application.state, Application.created_at
        )
        .where(Application.business.is_in(represented(actor.id)))
        .run()
    )
    answers = (
        await Answer.select(Answer.application, Answer.point, Answer.status, Answer.comment)
        .where(Answer.application.is_in([c["id"] for c in cases] or [-1]))
        .run()
    )
    actions = (
        await Event.select(Event.at, Event.action, Event.application, Event.business)
        .where(Event.actor == actor.id)
        .order_by(Event.id)
        .run()
    )
    reads = (
        await EvidenceRead.select(
            EvidenceRead.at, EvidenceRead.application, EvidenceRead.evidence_id, EvidenceRead.file_name
        )
        .where(EvidenceRead.actor == actor.id)
        .order_by(EvidenceRead.id)
        .run()
    )
    return {
        "account": {"email": user.email, "name": user.name, "role": user.role},
        "shops": shops,
        "cases": cases,
        "answers": answers,
        "my_actions": actions,
        "my_evidence_reads": reads,
    }


async def close_account(actor: Actor, password: str) -> None:
    """Anonymise the caller's account; their shops' history stays with the kommun."""
    if await accounts.authenticate(actor.email, password) != actor.id:
        raise RuleNotMet("wrong_password")
    if actor.role == Role.owner:
        open_cases = (
            await Application.select(Application.id)
            .where(
                Application.business.is_in(represented(actor.id))
                & Application.state.is_in([s.value for s in OPEN_STATES])
            )
            .run()
        )
        if open_cases:
            raise RuleNotMet(
                "open_applications_first",
                extra={"application_ids": [c["id"] for c in open_cases]},
            )
    async with database.transaction():
        await (
            Account.update(
                {
                    Account.email: f"stangt-{actor.id}-{secrets.token_hex(4)}@konto.invalid",
                    Account.name: "Stängt konto",
                    Account.password_hash: "!closed",
                    Account.eid_person_hash: None,  # the person may open a new account later
                    Account.active: False,
                    Account.sessions_valid_after: now(),
                }
            )
            .where(Account.id == actor.id)
            .run()
        )
        await Event.update({Event.actor_label: REMOVED}).where(Event.actor == actor.id).run()
        # A closed account acts for no company any more; its fullmakt goes with it.
        await Representative.delete().where(Representative.account == actor.id).run()
        await (
            EvidenceRead.update({EvidenceRead.actor_label: REMOVED})
            .where(EvidenceRead.actor == actor.id)
            .run()
        )
        await events.record("account_closed", actor=None, detail={"user_id": actor.id})
