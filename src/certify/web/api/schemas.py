"""Request bodies: the wire contract, with limits so that bad input is refused as 400."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from litestar.params import PathParameter, QueryParameter
from msgspec import UNSET, Meta, UnsetType

from certify.domain.checklist import CriterionKind
from certify.domain.material_changes import DESCRIPTION_MAX, ChangeKind, Decision
from certify.domain.representation import Basis
from certify.domain.retention import Disposal, RecordKind
from certify.domain.status import AnswerStatus, CriterionMark, Role, VerdictValue

Short = Annotated[str, Meta(max_length=200)]
Name = Annotated[str, Meta(min_length=1, max_length=200)]
Email = Annotated[str, Meta(min_length=3, max_length=254)]
Password = Annotated[str, Meta(min_length=1, max_length=256)]
LongText = Annotated[str, Meta(max_length=4000)]
OrgNumber = Annotated[str, Meta(min_length=10, max_length=11)]
PostalCode = Annotated[str, Meta(min_length=5, max_length=6)]
Phone = Annotated[str, Meta(max_length=40)]
CriterionId = Annotated[str, Meta(pattern=r"^[0-9]{1,2}\.[0-9]{1,2}$")]  # 7.1
KommunCode = Annotated[str, Meta(pattern=r"^[0-9]{4}$")]
MAX_ID = 2**31 - 1
Id = Annotated[int, Meta(ge=1, le=MAX_ID)]
# Ids in paths and queries: out-of-range numbers are a 400, never a database overflow.
PathId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
Version = Annotated[int, Meta(ge=1, le=2**31 - 1)]


class Body(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Unknown fields are refused so that a typo is a 400, not silently ignored."""


class RegisterBody(Body):
    email: Email
    password: Password
    name: Name


class LoginBody(Body):
    email: Email
    password: Password


class UserCreateBody(Body):
    """No password: the new account gets a one-time password that its user must change."""

    email: Email
    name: Name
    role: Role
    kommun_codes: list[KommunCode] = []


class InspectorLinkBody(Body):
    email: Email


class BusinessCreateBody(Body):
    name: Name
    org_number: OrgNumber
    street_address: Name
    postal_code: PostalCode
    city: Name
    area: Short = ""
    phone: Phone = ""
    email: Annotated[str, Meta(max_length=254)] = ""
    cash_free: bool = False
    chain: Short = ""
    kommun_code: KommunCode | None = None


class BusinessPatchBody(Body):
    name: Name | UnsetType = UNSET
    org_number: OrgNumber | UnsetType = UNSET
    street_address: Name | UnsetType = UNSET
    postal_code: PostalCode | UnsetType = UNSET
    city: Name | UnsetType = UNSET
    area: Short | UnsetType = UNSET
    phone: Phone | UnsetType = UNSET
    email: Annotated[str, Meta(max_length=254)] | UnsetType = UNSET
    cash_free: bool | UnsetType = UNSET
    chain: Short | UnsetType = UNSET


class AnswerBody(Body):
    """The owner's answer: a status, the marks on the point's criteria (`{"7.1": "met"}`), or both;
    a status of fulfilled alone declares every required and applicable criterion met."""

    status: AnswerStatus | None = None
    criteria: Annotated[dict[CriterionId, CriterionMark], Meta(max_length=40)] | None = None
    comment: LongText = ""
    version: Version | None = None


class LocalCriterionBody(Body):
    kind: CriterionKind
    text: Annotated[str, Meta(min_length=1, max_length=2000)]


class LocalPointBody(Body):
    """A kommun's own point, in the kommun's words (Swedish): shown as written in every language."""

    title: Name
    criteria: Annotated[list[LocalCriterionBody], Meta(min_length=1, max_length=20)]
    guidance: Annotated[str, Meta(max_length=2000)] = ""


class PublishBody(Body):
    valid_from: date  # the first day a new case of the kommun starts on this version


class NotApplicableOffBody(Body):
    points: Annotated[list[int], Meta(max_length=50)]  # the points "not applicable" is switched off for


class RetentionLineBody(Body):
    """One line of the plan: `action` keep (bevaras) or purge (gallras); `years` after the case
    closed (1–100, purge only); `decision` the kommun's decision it rests on."""

    kind: RecordKind
    action: Disposal
    decision: Annotated[str, Meta(max_length=200)]
    years: Annotated[int, Meta(ge=1, le=100)] | None = None


class RetentionPlanBody(Body):
    """The whole plan: exactly one line per kind of document."""

    lines: Annotated[list[RetentionLineBody], Meta(max_length=20)]


class DiarienummerBody(Body):
    diarienummer: Annotated[str, Meta(max_length=200)]


class DisclosureBody(Body):
    """Utlämnande: which of the case's marked register entries, who asked, the assessment
    (released, released_in_part, refused) and the decision's reference."""

    document_id: Annotated[int, Meta(ge=1, le=MAX_ID)]
    requester: Annotated[str, Meta(max_length=200)]
    assessment: Annotated[str, Meta(max_length=40)]
    decision: Annotated[str, Meta(max_length=100)]


class VerdictBody(Body):
    """The inspector's verdict; a fail names the criteria not met (`failed_criteria`)."""

    verdict: VerdictValue
    remark: LongText = ""
    failed_criteria: Annotated[list[CriterionId], Meta(max_length=40)] = []
    version: Version | None = None


class ChangeDecisionBody(Body):
    """The kommun's reason for rejecting a reported change (required then; optional on accepting)."""

    reason: LongText = ""


class ActionBody(Body):
    """One body for every action; each reads what it needs and its guard names what is missing."""

    version: Version | None = None
    inspector_id: Id | None = None
    visit_at: datetime | None = None
    deadline: date | None = None
    reason: LongText | None = None
    comment: LongText | None = None


class RepresentationBody(Body):
    """How the caller acts for the company; an agent uploads his fullmakt first (or with the page)."""

    basis: Basis


class RepresentativeInviteBody(Body):
    email: Email


class MaterialChangeBody(Body):
    """A change that may affect a certified shop's security level, reported by its owner."""

    kind: ChangeKind
    description: Annotated[str, Meta(min_length=1, max_length=DESCRIPTION_MAX)]


class MaterialChangeDecisionBody(Body):
    """The kommun's decision on a reported change: note it, or require a re-inspection."""

    decision: Decision


class ChainBody(Body):
    """A new chain: its name and its central organisationsnummer."""

    name: Name
    org_number: OrgNumber


class ChainRepresentativeBody(Body):
    """The e-mail address of an existing owner account that is to act for the chain too."""

    email: Email


class ChainInviteBody(Body):
    """The e-mail address of the shop owner the chain invites."""

    email: Email


class ChainShopBody(Body):
    """A shop: one the caller represents."""

    business_id: Id


class ChainCaseOpenBody(Body):
    """The kommun whose member shops of the chain the case covers."""

    kommun_code: KommunCode


class ChainAuditBody(Body):
    """The chain's internal audit of one point at one member shop; not_applicable needs a comment."""

    status: AnswerStatus
    comment: LongText = ""
    version: Version | None = None


class ChainCaseActionBody(Body):
    """One body for the chain case's actions: assign names the inspector, reject the reason."""

    version: Version | None = None
    inspector_id: Id | None = None
    reason: LongText | None = None


class ChainSampleBody(Body):
    """A member shop the kommun adds to the sample."""

    business_id: Id
    version: Version | None = None


class ChainCentralVerdictBody(Body):
    """The inspector's judgement of a central point; a fail or not applicable needs a remark."""

    verdict: VerdictValue
    remark: LongText = ""
    version: Version | None = None


class ChainCentralPointsBody(Body):
    """The points judged on the chain's central documentation (the kommun's marking)."""

    points: Annotated[list[Annotated[int, Meta(ge=1, le=99)]], Meta(max_length=40)]
    version: Version | None = None
