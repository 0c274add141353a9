"""Personal data (GDPR): a user's own data, closing an account.

What a case leaves behind is the kommun's record: only the kommun's retention plan destroys any of it
(services/retention.py). Closing an account anonymises the person and ends what the account may do;
it never deletes a case's answers, files, verdicts, certificates, e-mails or events, nor a fullmakt
(kept without the person's name, services/fullmakter.py).
"""

from __future__ import annotations

import secrets
from typing import Any

from certify import database
from certify.domain.errors import RuleNotMet
from certify.domain.status import OPEN_STATES, Role
from certify.services import accounts, chains, events, fullmakter
from certify.services.actor import Actor
from certify.services.clock import now
from certify.services.fullmakter import KeptBecause
from certify.services.policy import represented
from certify.services.retention import REMOVED
from certify.tables import Account, Answer, Application, Business, Event, EvidenceRead, Representative


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
        "my_kept_fullmakter": await fullmakter.kept_about(actor.id),
    }


async def close_account(actor: Actor, password: str) -> None:
    """Anonymise the caller's account; their shops' documents stay with the kommun, which alone
    decides (its retention plan) when any of them is destroyed. Only the person's name is taken out
    of the case histories' labels; no row of a case is deleted."""
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
        sole = await chains.left_without_representative(actor.id)
        if sole:
            raise RuleNotMet("chain_representative_first", extra={"chain_ids": sole})
        await chains.forget_account(actor.id)
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
        # A closed account acts for no company any more; its fullmakter are registered documents
        # and stay with the kommun, without his name (services/fullmakter.py).
        mine = await Representative.select(Representative.id).where(Representative.account == actor.id).run()
        await fullmakter.keep([r["id"] for r in mine], KeptBecause.account_closed)
        await fullmakter.anonymise(actor.id, REMOVED)
        await Representative.delete().where(Representative.account == actor.id).run()
        await (
            EvidenceRead.update({EvidenceRead.actor_label: REMOVED})
            .where(EvidenceRead.actor == actor.id)
            .run()
        )
        await events.record("account_closed", actor=None, detail={"user_id": actor.id})
