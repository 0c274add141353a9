"""What the services hand back: plain msgspec Structs, used as-is by the JSON API and the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec


class KommunView(msgspec.Struct, kw_only=True):
    code: str
    name: str
    contact_line: str


class UserView(msgspec.Struct, kw_only=True):
    id: int
    email: str
    name: str
    role: str
    active: bool
    kommun_code: str | None = None
    kommun_codes: list[str] = msgspec.field(default_factory=list)
    must_change_password: bool = False


class CreatedUserView(UserView, kw_only=True):
    """The new account and its one-time password, shown this once; only its hash is stored."""

    temporary_password: str


class TemporaryPasswordView(msgspec.Struct, kw_only=True):
    """Shown once to the kommun after a reset; only its hash is stored."""

    user_id: int
    temporary_password: str


class BusinessView(msgspec.Struct, kw_only=True):
    id: int
    name: str
    org_number: str
    street_address: str
    postal_code: str
    city: str
    area: str
    phone: str
    email: str
    cash_free: bool
    kommun_code: str
    chain: str
    owner_id: int | None
    current_state: str | None = None  # the state of the shop's latest case, if any
    reported_change: BusinessChangeView | None = None  # waiting for the kommun (one shop read only)


class BusinessChangeView(msgspec.Struct, kw_only=True):
    """A reported change of a certified shop's name or address and the kommun's decision on it."""

    id: int
    business_id: int
    state: str  # reported, accepted, rejected, withdrawn
    proposed: dict[str, str]  # field -> the new value
    previous: dict[str, str]  # field -> the value when it was reported
    reported_at: datetime
    decided_at: datetime | None = None
    reason: str = ""  # why the kommun rejected it


class MaterialChangeFileView(msgspec.Struct, kw_only=True):
    """A file sent with a reported material change (its bytes at its own address)."""

    id: int
    file_name: str
    content_type: str
    size: int
    uploaded_at: datetime


class MaterialChangeView(msgspec.Struct, kw_only=True):
    """A change that may affect a certified shop's security (väsentlig förändring) and the kommun's
    decision. `description` and the files describe security measures: marked wherever shown."""

    id: int
    business_id: int
    business_name: str
    certificate: str  # the certificate in force when it was reported
    kind: str  # premises, counter, till, alarm, owner, other
    description: str
    state: str  # reported, noted, reinspection
    reported_at: datetime
    decided_at: datetime | None = None
    reinspection_id: int | None = None  # the linked re-inspection case
    files: list[MaterialChangeFileView] = msgspec.field(default_factory=list)


class CriterionView(msgspec.Struct, kw_only=True):
    """One criterion of a point: `kind` is required, conditional (applies when the shop has the thing
    it names) or recommended (never fails a point); `text` in the reader's language, `text_sv` the
    official Swedish."""

    id: str
    kind: str
    text: str
    text_sv: str


class ChecklistPointView(msgspec.Struct, kw_only=True):
    """One point: `title`, criteria texts and `guidance` in the reader's language; the `_sv` fields
    are the official Swedish text, which decides in case of doubt."""

    number: int
    title: str
    title_sv: str
    title_en: str
    criteria: list[CriterionView]
    guidance: str
    guidance_sv: str
    cash_related: bool
    local: bool = False  # a kommun's own point: its texts are the kommun's words, in every language


class LocalCriterionView(msgspec.Struct, kw_only=True):
    kind: str  # required, conditional or recommended
    text: str


class LocalPointView(msgspec.Struct, kw_only=True):
    """A kommun's own point as drafted (in the kommun's words; numbered when published)."""

    id: int
    title: str
    criteria: list[LocalCriterionView]
    guidance: str
    retired: bool


class KommunChecklistVersionView(msgspec.Struct, kw_only=True):
    """A version the kommun published: for its cases started on or after `valid_from`."""

    version: str
    valid_from: date
    local_points: int


class NotApplicableOffView(msgspec.Struct, kw_only=True):
    """The points for which the kommun has switched "not applicable" off."""

    points: list[int]


class ChecklistView(msgspec.Struct, kw_only=True):
    version: str
    title: str  # in the reader's language
    title_sv: str
    points: list[ChecklistPointView]


class AnswerView(msgspec.Struct, kw_only=True):
    point: int
    status: str
    comment: str
    criteria: dict[str, str] = {}  # criterion id -> met / not_met / not_applicable, as marked
    carried_over: bool = False  # brought over by a renewal; the owner confirms it by saving the point


class VerdictView(msgspec.Struct, kw_only=True):
    point: int
    round: int
    verdict: str
    remark: str
    failed_criteria: list[str] = []  # the criteria a fail names


class CertificateSummary(msgspec.Struct, kw_only=True):
    number: str
    issued_at: datetime
    valid_from: date
    valid_until: date
    status: str
    replaced_by: str | None = None


class FullmaktView(msgspec.Struct, kw_only=True):
    """An agent's uploaded fullmakt, described (the bytes come from its own address)."""

    file_name: str
    content_type: str
    size: int
    uploaded_at: datetime


class RepresentativeView(msgspec.Struct, kw_only=True):
    """A person who acts for the shop's company, the basis he stated and how far it is checked."""

    id: int
    business_id: int
    account_id: int
    name: str
    basis: str  # signatory, agent; "" = not stated yet
    check: str  # unchecked, checked, fullmakt_requested
    checked_at: datetime | None
    fullmakt: FullmaktView | None


class ApplicationView(msgspec.Struct, kw_only=True):
    id: int
    business_id: int
    business_name: str
    state: str
    round: int
    version: int
    checklist_version: str
    inspector_id: int | None
    inspector_name: str | None
    visit_at: datetime | None
    deadline: date | None
    answers: list[AnswerView]
    verdicts: list[VerdictView]
    certificate: CertificateSummary | None
    previous_certificate: str | None
    # The kommun's registration number, given when it received the case (None before, or until a
    # kommun that types numbers from its own case system has done so).
    diarienummer: str | None = None
    allowed_actions: list[str]
    created_at: datetime
    updated_at: datetime
    representatives: list[RepresentativeView] = msgspec.field(default_factory=list)
    # The chain case a sampled shop's case belongs to: decided there, never on its own.
    chain_case_id: int | None = None


class ApplicationListItem(msgspec.Struct, kw_only=True):
    id: int
    business_id: int
    business_name: str
    area: str
    state: str
    round: int
    inspector_id: int | None
    visit_at: datetime | None
    deadline: date | None
    updated_at: datetime


class EventView(msgspec.Struct, kw_only=True):
    at: datetime
    actor: str
    action: str
    from_state: str
    to_state: str
    detail: dict[str, Any]


class PublicCertificateView(msgspec.Struct, kw_only=True):
    """What anyone may know about a certificate: no personal data."""

    number: str
    status: str
    shop_name: str
    street_address: str  # public like the open register: a copied decal elsewhere does not match
    postal_code: str
    city: str
    kommun: str
    issued_at: date
    valid_from: date
    valid_until: date
    revoked_at: date | None = None
    replaced_by: str | None = None
    replaces: str | None = None
    pdf_sha256: str = ""
    chain: str | None = None  # the chain's name when certified through a chain case (kedjebesiktning)


class RegisterEntry(msgspec.Struct, kw_only=True):
    """One line of the open register of certified shops."""

    number: str
    shop_name: str
    street_address: str
    postal_code: str
    city: str
    area: str
    kommun: str
    valid_until: date


class RegisteredDocumentView(msgspec.Struct, kw_only=True):
    """One entry of the kommun's document register: what came in or went out, never its content."""

    id: int
    registered_at: datetime
    case_id: int | None
    diarienummer: str | None
    direction: str  # "in" or "out"
    counterpart: str  # the sender (in) or the recipient (out)
    kind: str  # self_assessment, evidence, corrections_report, business_change, approval, …
    description: str  # worded in the reader's language; names no security detail
    secrecy: str | None  # the marking's code, e.g. "osl_18_8"; None when not marked
    secrecy_marking: str | None  # the marking in words


class RetentionLineView(msgspec.Struct, kw_only=True):
    """One line of the kommun's retention plan: a kind of document kept or destroyed (gallras)."""

    kind: str  # case_data, self_assessment, evidence, protocol, certificate, email, audit
    action: str  # keep or purge
    years: int | None  # purge: years after the case closed; None when kept
    decision: str  # the kommun's decision, e.g. "KS 2025/118 § 45"


class RetentionPlanView(msgspec.Struct, kw_only=True):
    """The kommun's retention plan; `in_force` false (and no lines) until it has entered one, and
    until then nothing of its cases is destroyed."""

    in_force: bool
    lines: list[RetentionLineView]


class RetentionPurgeView(msgspec.Struct, kw_only=True):
    """One entry of the purge log: which kind of which case was destroyed, by which plan line, when."""

    case_id: int
    diarienummer: str | None
    kind: str
    years: int
    decision: str
    detail: dict[str, int]  # how many rows or files went, by what they are
    purged_at: datetime
