"""Who may see and do what: the one policy every service asks.

Two halves, both read from here only:

- **Capabilities**: what a role may do, one table (`RULES`) naming the roles and the refusal code a
  caller of another role gets (403; the words are certify.text.errors'). Route guards say which
  roles may call a route at all; a service asks `require(actor, Capability.x)` before it acts, so a
  service called from anywhere (a page, the API, the command line) refuses the same way.
- **Scopes**: which rows a caller may see. Owners see the shops whose company they represent
  (services/representatives.py), inspectors the cases assigned to them in the kommuner they still
  serve (a kommun that removes a shared inspector takes its cases out of his sight, decided ones
  too), kommun users everything in their own kommun. Anything outside the scope answers 404, as if
  it did not exist. The case read's SQL form of the scope is compared row by row with the Piccolo
  form in tests/integration/test_policy.py. Chains: a chain's representatives see the chain and all
  its members; a member shop's owner sees the chain's name and his own shop's membership only; a
  kommun sees the chains with members in its kommun and only those members; inspectors none yet.
  Chain cases (chain_case_scope): the chain's representatives, the case's kommun and the inspector
  assigned to it (in a kommun he still serves); a member shop's owner sees the case, and the service
  shows him his own shops' part only. The central documentation (chain_document_scope): the chain's
  representatives, the kommuner with a case of the chain, the inspectors assigned to one. The
  evidence of a fixed serious deficiency (chain_fix_scope): the chain's representatives, the case's
  kommun and inspector, and a member shop's owner for his own shop only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from certify.domain.errors import Forbidden
from certify.domain.status import Role
from certify.services.actor import Actor
from certify.tables import (
    Application,
    Business,
    Certificate,
    Chain,
    ChainCase,
    ChainCaseMember,
    ChainDocument,
    ChainFix,
    ChainMember,
    ChainRepresentative,
    InspectorKommun,
    MaterialChange,
    Representative,
)


class Capability(StrEnum):
    """What a service does on someone's behalf that not every role may do."""

    # The owner, for the shops whose company he represents.
    register_shop = "register_shop"
    edit_shop = "edit_shop"
    start_case = "start_case"
    answer_points = "answer_points"
    delete_own_evidence = "delete_own_evidence"
    claim_invitation = "claim_invitation"
    invite_representative = "invite_representative"
    state_basis = "state_basis"
    remove_representative = "remove_representative"
    report_material_change = "report_material_change"
    # The owner, for chains: a chain representative is an owner account listed for the chain.
    keep_chains = "keep_chains"
    keep_chain_cases = "keep_chain_cases"  # open, document, audit, submit, withdraw (chain representative)
    # The inspector, for the cases assigned to him.
    judge_points = "judge_points"
    decide_chain_cases = "decide_chain_cases"  # approve the chain case assigned to him
    reschedule_visit = "reschedule_visit"
    # The chain case's inspector: require corrections, mark serious, judge evidence, release.
    judge_chain_corrections = "judge_chain_corrections"
    keep_worklist = "keep_worklist"
    # The kommun, for its own kommun.
    search_cases = "search_cases"
    see_outreach = "see_outreach"
    invite_shops = "invite_shops"
    check_representation = "check_representation"
    decide_reported_change = "decide_reported_change"
    decide_material_change = "decide_material_change"
    change_org_number = "change_org_number"
    list_users = "list_users"
    administer_users = "administer_users"
    send_reset_link = "send_reset_link"
    read_access_log = "read_access_log"
    keep_diarium = "keep_diarium"
    decide_disclosure = "decide_disclosure"
    edit_checklist = "edit_checklist"
    edit_accessibility_statement = "edit_accessibility_statement"
    read_reports = "read_reports"
    read_outbox = "read_outbox"
    keep_webhooks = "keep_webhooks"
    keep_retention_plan = "keep_retention_plan"
    deliver_to_archive = "deliver_to_archive"
    see_chains = "see_chains"
    handle_chain_cases = "handle_chain_cases"  # assign (draws the sample), add to the sample, reject
    revoke_chain_cases = "revoke_chain_cases"  # revoke a certified chain case and its certificates


@dataclass(frozen=True, slots=True)
class Rule:
    roles: frozenset[Role]
    refusal: str  # the error code a caller of another role gets


def _rule(refusal: str, *roles: Role) -> Rule:
    return Rule(frozenset(roles), refusal)


_OWNER, _INSPECTOR, _KOMMUN = Role.owner, Role.inspector, Role.kommun

RULES: dict[Capability, Rule] = {
    Capability.register_shop: _rule("only_owner_registers_business", _OWNER),
    Capability.edit_shop: _rule("inspector_may_not_edit_business", _OWNER, _KOMMUN),
    Capability.start_case: _rule("only_owner_starts_application", _OWNER),
    Capability.answer_points: _rule("only_owner_answers", _OWNER),
    Capability.delete_own_evidence: _rule("only_owner_deletes_own_files", _OWNER),
    Capability.claim_invitation: _rule("owner_must_log_in_to_claim", _OWNER),
    Capability.invite_representative: _rule("only_representative_invites", _OWNER),
    Capability.state_basis: _rule("only_representative_states_basis", _OWNER),
    Capability.remove_representative: _rule("only_representative_removes", _OWNER),
    Capability.report_material_change: _rule("only_owner_reports_change", _OWNER),
    Capability.keep_chains: _rule("only_owner_keeps_chains", _OWNER),
    Capability.judge_points: _rule("only_assigned_inspector_judges", _INSPECTOR),
    Capability.reschedule_visit: _rule("only_assigned_inspector_reschedules", _INSPECTOR),
    Capability.judge_chain_corrections: _rule("only_assigned_inspector_judges", _INSPECTOR),
    Capability.keep_worklist: _rule("only_inspectors_have_worklist", _INSPECTOR),
    Capability.search_cases: _rule("only_kommun_searches_cases", _KOMMUN),
    Capability.see_outreach: _rule("only_kommun_sees_outreach", _KOMMUN),
    Capability.invite_shops: _rule("only_kommun_invites", _KOMMUN),
    Capability.check_representation: _rule("only_kommun_checks_representation", _KOMMUN),
    Capability.decide_reported_change: _rule("only_kommun_decides_change", _KOMMUN),
    Capability.decide_material_change: _rule("forbidden", _KOMMUN),
    Capability.change_org_number: _rule("only_kommun_changes_org_number", _KOMMUN),
    Capability.list_users: _rule("only_kommun_lists_users", _KOMMUN),
    Capability.administer_users: _rule("only_kommun_administers_users", _KOMMUN),
    Capability.send_reset_link: _rule("only_kommun_sends_reset_link", _KOMMUN),
    Capability.read_access_log: _rule("only_kommun_reads_access_log", _KOMMUN),
    Capability.keep_diarium: _rule("forbidden", _KOMMUN),
    Capability.decide_disclosure: _rule("forbidden", _KOMMUN),
    Capability.edit_checklist: _rule("forbidden", _KOMMUN),
    Capability.edit_accessibility_statement: _rule("forbidden", _KOMMUN),
    Capability.read_reports: _rule("forbidden", _KOMMUN),
    Capability.read_outbox: _rule("forbidden", _KOMMUN),
    Capability.keep_webhooks: _rule("forbidden", _KOMMUN),
    Capability.keep_retention_plan: _rule("forbidden", _KOMMUN),
    Capability.deliver_to_archive: _rule("forbidden", _KOMMUN),
    Capability.see_chains: _rule("forbidden", _KOMMUN),
    Capability.keep_chain_cases: _rule("only_owner_keeps_chains", _OWNER),
    Capability.handle_chain_cases: _rule("forbidden", _KOMMUN),
    # Like a shop case: the assigned inspector approves, the kommun revokes (domain/actions.py).
    Capability.decide_chain_cases: _rule("only_assigned_inspector_decides_chain_case", _INSPECTOR),
    Capability.revoke_chain_cases: _rule("forbidden", _KOMMUN),
}


def may(actor: Actor, capability: Capability) -> bool:
    return actor.role in RULES[capability].roles


def refusal(capability: Capability) -> Forbidden:
    """The 403 a caller gets who may not do this (for a rule finer than the role, such as "only
    the person who uploaded it")."""
    return Forbidden(RULES[capability].refusal)


def require(actor: Actor, capability: Capability) -> None:
    """Forbidden (403) with the capability's refusal code unless the actor's role may do it."""
    if not may(actor, capability):
        raise refusal(capability)


def own_kommun(actor: Actor, capability: Capability) -> int:
    """The kommun a kommun user acts for, after `require`: the scope of every kommun capability."""
    require(actor, capability)
    if actor.kommun_id is None:
        raise refusal(capability)
    return actor.kommun_id


# --- scopes ------------------------------------------------------------------------------------


def represented(account_id: int) -> Any:
    """The ids of the businesses an owner account acts for: a sub-query for `is_in`."""
    return Representative.select(Representative.business).where(Representative.account == account_id)


def _served(actor: Actor) -> Any:
    return InspectorKommun.select(InspectorKommun.kommun).where(InspectorKommun.inspector == actor.id)


def _inspector_cases(actor: Actor) -> Any:
    return (Application.inspector == actor.id) & Application.kommun.is_in(_served(actor))


def business_scope(actor: Actor) -> Any:
    """A where-clause on Business limiting rows to what the actor may see."""
    if actor.role == Role.owner:
        return Business.id.is_in(represented(actor.id))
    if actor.role == Role.kommun:
        return Business.kommun == actor.kommun_id
    # Inspectors see the shops of the cases assigned to them.
    return Business.id.is_in(Application.select(Application.business).where(_inspector_cases(actor)))


def application_scope(actor: Actor) -> Any:
    """A where-clause on Application limiting rows to what the actor may see."""
    if actor.role == Role.owner:
        return Application.business.is_in(represented(actor.id))
    if actor.role == Role.kommun:
        return Application.business.kommun == actor.kommun_id
    return _inspector_cases(actor)


def application_scope_sql(actor: Actor) -> tuple[str, int]:
    """The same rule as application_scope, as SQL over `applications a JOIN businesses b`, for the
    hand-written case read (the hottest query of the service); `{}` is the placeholder."""
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


def certificate_scope(actor: Actor) -> Any:
    """Who downloads a certificate's documents: the shop's representatives, the shop's kommun,
    and the inspector who approved."""
    if actor.role == Role.owner:
        return Certificate.business.is_in(represented(actor.id))
    if actor.role == Role.kommun:
        return Certificate.kommun == actor.kommun_id
    return Certificate.inspector == actor.id


def fullmakt_scope(actor: Actor) -> Any:
    """Who reads a representative's fullmakt: the company's own representatives and the shop's
    kommun; never an inspector."""
    if actor.role == Role.owner:
        return Representative.business.is_in(represented(actor.id))
    if actor.role == Role.kommun:
        return Representative.business.kommun == actor.kommun_id
    return Representative.id.is_null()  # never true


def material_change_scope(actor: Actor) -> Any:
    """Who sees a reported material change: the shop's representatives and the shop's kommun, and
    the inspector assigned to the re-inspection it led to (what to look at on site; the files and
    the API stay with the shop and the kommun, by their routes' guards)."""
    if actor.role == Role.owner:
        return MaterialChange.business.is_in(represented(actor.id))
    if actor.role == Role.kommun:
        return MaterialChange.kommun == actor.kommun_id
    return MaterialChange.reinspection.is_in(
        Application.select(Application.id).where(_inspector_cases(actor))
    )


def chains_represented(account_id: int) -> Any:
    """The ids of the chains an owner account acts for (is a chain representative of)."""
    return ChainRepresentative.select(ChainRepresentative.chain).where(
        ChainRepresentative.account == account_id
    )


async def represents_chain(actor: Actor, chain_id: int) -> bool:
    """Whether the actor is one of the chain's representatives (an owner account listed for it), who
    keeps the chain, its central documentation and its cases. The one place for that rule: the
    chain cases, their corrections and the chain's own representatives list ask it."""
    if actor.role != Role.owner:
        return False
    return bool(
        await ChainRepresentative.exists()
        .where((ChainRepresentative.chain == chain_id) & (ChainRepresentative.account == actor.id))
        .run()
    )


def chain_member_scope(actor: Actor) -> Any:
    """A where-clause on ChainMember: the memberships the actor may see. A chain representative
    sees every member of his chains, a shop's owner his own shops' memberships, a kommun the members
    in its kommun; an inspector none."""
    if actor.role == Role.owner:
        return ChainMember.chain.is_in(chains_represented(actor.id)) | ChainMember.business.is_in(
            represented(actor.id)
        )
    if actor.role == Role.kommun:
        return ChainMember.business.kommun == actor.kommun_id
    return ChainMember.id.is_null()  # never true


def chain_scope(actor: Actor) -> Any:
    """A where-clause on Chain: the chains the actor may see at all (their name; which members he
    sees is chain_member_scope's). Its representatives, the owners of its member shops, and the
    kommuner where it has members; no inspector yet."""
    members = ChainMember.select(ChainMember.chain).where(chain_member_scope(actor))
    if actor.role == Role.owner:
        return Chain.id.is_in(chains_represented(actor.id)) | Chain.id.is_in(members)
    if actor.role == Role.kommun:
        return Chain.id.is_in(members)
    return Chain.id.is_null()  # never true


def _inspector_chain_cases(actor: Actor) -> Any:
    return (ChainCase.inspector == actor.id) & ChainCase.kommun.is_in(_served(actor))


def chain_case_scope(actor: Actor) -> Any:
    """A where-clause on ChainCase: the chain cases the actor may see at all. A member shop's
    owner sees the case his shop is in (the service shows him only his own shops' part)."""
    if actor.role == Role.owner:
        members = ChainCaseMember.select(ChainCaseMember.chain_case).where(
            ChainCaseMember.business.is_in(represented(actor.id))
        )
        return ChainCase.chain.is_in(chains_represented(actor.id)) | ChainCase.id.is_in(members)
    if actor.role == Role.kommun:
        return ChainCase.kommun == actor.kommun_id
    return _inspector_chain_cases(actor)


def chain_document_scope(actor: Actor) -> Any:
    """A where-clause on ChainDocument: who reads a chain's central documentation. Never the owner
    of a member shop who does not represent the chain."""
    if actor.role == Role.owner:
        return ChainDocument.chain.is_in(chains_represented(actor.id))
    if actor.role == Role.kommun:
        cases = ChainCase.select(ChainCase.chain).where(ChainCase.kommun == actor.kommun_id)
    else:
        cases = ChainCase.select(ChainCase.chain).where(_inspector_chain_cases(actor))
    return ChainDocument.chain.is_in(cases)


def chain_fix_scope(actor: Actor) -> Any:
    """A where-clause on ChainFix: who reads the chain's evidence that a serious deficiency is fixed
    (a security detail of the shop). The chain's representatives, the case's kommun and its assigned
    inspector; a member shop's owner only his own shop's."""
    if actor.role == Role.owner:
        cases = ChainCase.select(ChainCase.id).where(ChainCase.chain.is_in(chains_represented(actor.id)))
        return ChainFix.chain_case.is_in(cases) | ChainFix.business.is_in(represented(actor.id))
    return ChainFix.chain_case.is_in(ChainCase.select(ChainCase.id).where(chain_case_scope(actor)))
