"""Piccolo tables: the shape of the stored data and nothing else (rules live in domain/)."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    Boolean,
    Bytea,
    Date,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Kommun(Table, tablename="kommuner"):
    code = Varchar(length=4, unique=True)
    name = Varchar(length=100)
    contact_line = Varchar(length=300, default="")
    certificate_prefix = Varchar(length=5, default="")
    # How the kommun writes its diarienummer ("" = domain.diarienummer.DEFAULT_FORMAT), and whether
    # it types each case's number from its own case system instead of having one handed out.
    diarienummer_format = Varchar(length=40, default="")
    diarienummer_typed = Boolean(default=False)
    # The point numbers for which the kommun has switched "not applicable" off: [] = none.
    not_applicable_off = JSON(default=[])


class Account(Table, tablename="users"):
    email = Varchar(length=254, unique=True)  # stored lower-cased
    name = Varchar(length=200)
    role = Varchar(length=16, default="owner", index=True)
    password_hash = Varchar(length=255)
    active = Boolean(default=True)
    must_change_password = Boolean(default=False)
    kommun = ForeignKey(references=Kommun, null=True)  # the kommun of a kommun user
    language = Varchar(length=8, default="")  # chosen for pages and e-mails; "" = not chosen
    # A keyed hash of the personnummer an e-legitimation log-in verified (services/eid.py);
    # the number itself is never stored. NULL: the account is not linked to e-legitimation.
    eid_person_hash = Varchar(length=64, null=True, default=None, unique=True)
    sessions_valid_after = Timestamptz(default=TimestamptzNow())
    created_at = Timestamptz(default=TimestamptzNow())


class Session(Table, tablename="sessions"):
    """A log-in. The cookie holds a random token; this row only its SHA-256, so a copy of the table
    opens no session. Logging out deletes the row (certify.services.sessions)."""

    token_hash = Varchar(length=64, unique=True)
    account = ForeignKey(references=Account, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_seen_at = Timestamptz(default=TimestamptzNow())  # renewed at most every few minutes
    # A log-in through a kommun's own provider lasts until then at most: the provider is asked
    # again (is he still staff?) at the next log-in. NULL: only the idle timeout applies.
    ends_at = Timestamptz(default=None, null=True)
    # How the log-in was made (services.sessions.Via): "password", "eid" or "kommun" (through the
    # provider of `via_kommun`). Logging out ends it at that provider too; switching a kommun's
    # password log-in off ends the password sessions of its staff only.
    via = Varchar(length=10, default="password")
    via_kommun = ForeignKey(references=Kommun, null=True)


class InspectorKommun(Table, tablename="inspector_kommuner"):
    """Which kommuner an inspector serves (often police officers serving a region)."""

    inspector = ForeignKey(references=Account)
    kommun = ForeignKey(references=Kommun)


class Business(Table, tablename="businesses"):
    kommun = ForeignKey(references=Kommun, index=True)
    owner = ForeignKey(references=Account, null=True, index=True)
    name = Varchar(length=200)
    org_number = Varchar(length=10, index=True)
    street_address = Varchar(length=200)
    postal_code = Varchar(length=5)
    city = Varchar(length=100)
    area = Varchar(length=100, default="", index=True)
    phone = Varchar(length=40, default="")
    email = Varchar(length=254, default="")
    cash_free = Boolean(default=False)
    chain = Varchar(length=200, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class ChecklistVersion(Table, tablename="checklist_versions"):
    version = Varchar(length=20, unique=True)
    title = Varchar(length=200)
    current = Boolean(default=False)  # the national version new cases start on
    # A version a kommun published with its own points, for its cases started from valid_from: the
    # kommun's id, NULL for the national versions. Published rows are never changed. No foreign
    # key: the national versions are seed data, and a key to kommuner would make every TRUNCATE
    # of kommuner ... CASCADE take them along.
    kommun = Integer(null=True, default=None)
    valid_from = Date(null=True, default=None)


class ChecklistPoint(Table, tablename="checklist_points"):
    checklist_version = ForeignKey(references=ChecklistVersion, index=True)
    number = Integer()
    title_sv = Varchar(length=200)
    title_en = Varchar(length=200)
    criteria = JSON(default=[])
    guidance = Text(default="")
    cash_related = Boolean(default=False)
    local = Boolean(default=False)  # a kommun's own point, its texts as the kommun wrote them


class LocalPoint(Table, tablename="local_points"):
    """A kommun's own point as drafted: published into a checklist version (a copy), never read by
    a case directly. Criteria are [{"kind": ..., "text": ...}]; ids are given at publishing."""

    kommun = ForeignKey(references=Kommun, index=True)
    title = Varchar(length=200, default="")
    criteria = JSON(default=[])
    guidance = Text(default="")
    retired = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Application(Table, tablename="applications"):
    """The certification case of one shop."""

    business = ForeignKey(references=Business, index=True)
    # The business's kommun, copied when the case opens (a business never changes kommun), so the
    # kommun's reports start from its own cases; indexed by the (kommun, state) index the migration
    # creates, whose first column serves lookups by kommun alone.
    kommun = ForeignKey(references=Kommun)
    checklist_version = ForeignKey(references=ChecklistVersion)
    state = Varchar(length=32, default="draft", index=True)
    round = Integer(default=1)
    inspector = ForeignKey(references=Account, null=True, index=True)
    visit_at = Timestamptz(null=True, default=None)
    deadline = Date(null=True, default=None)
    version = Integer(default=1)
    previous_certificate = Varchar(length=32, default="")  # renewal of this certificate number
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    submitted_at = Timestamptz(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    # When the case ended (domain/status.py ENDED_STATES), set by the workflow as it enters one; the
    # retention plan's years count from here, so a later touch of the row postpones nothing.
    closed_at = Timestamptz(null=True, default=None)
    personal_data_removed_at = Timestamptz(null=True, default=None)  # by the kommun's plan (case_data)
    # Given when the kommun receives the case (submit), unique per kommun; NULL until then, or
    # until the kommun types it in (Kommun.diarienummer_typed).
    diarienummer = Varchar(length=50, null=True, default=None)
    # The chain case (kedjebesiktning) this shop case belongs to: a sampled member's inspection, or a
    # member's certified case after the chain case's approval. Such a case is decided in the chain
    # case, never on its own (services/chain_cases.py). NULL for an ordinary shop case.
    chain_case = ForeignKey(references="ChainCase", null=True, index=True)


class Answer(Table, tablename="answers"):
    """The owner's self-assessment of one point (unique per application and point)."""

    application = ForeignKey(references=Application, index=True)
    point = Integer()
    status = Varchar(length=16)
    comment = Text(default="")
    criteria = JSON(default={})  # criterion id -> met / not_met / not_applicable, as the owner marked
    carried_over = Boolean(default=False)  # brought over by a renewal, not yet confirmed by the owner
    updated_at = Timestamptz(default=TimestamptzNow())


class Verdict(Table, tablename="verdicts"):
    """The inspector's judgement of one point in one round (unique per application, round, point)."""

    application = ForeignKey(references=Application, index=True)
    round = Integer()
    point = Integer()
    verdict = Varchar(length=16)
    remark = Text(default="")
    failed_criteria = JSON(default=[])  # the ids of the criteria a fail names
    inspector = ForeignKey(references=Account, null=True)
    updated_at = Timestamptz(default=TimestamptzNow())


class Certificate(Table, tablename="certificates"):
    number = Varchar(length=32, unique=True)
    application = ForeignKey(references=Application, index=True)
    business = ForeignKey(references=Business, index=True)
    kommun = ForeignKey(references=Kommun)
    inspector = ForeignKey(references=Account, null=True)
    issued_at = Timestamptz(default=TimestamptzNow())
    valid_from = Date()
    valid_until = Date(index=True)
    revoked_at = Timestamptz(null=True, default=None)
    revoked_reason = Text(default="")
    replaced_by = Varchar(length=32, default="")
    # The shop as inspected and as the certificate names it, copied at issue: a later edit of the
    # business never changes what this certificate vouched for.
    shop_name = Varchar(length=200, default="")
    street_address = Varchar(length=200, default="")
    postal_code = Varchar(length=5, default="")
    city = Varchar(length=100, default="")
    pdf = Bytea(null=True, default=None)
    pdf_sha256 = Varchar(length=64, default="")
    decal_pdf = Bytea(null=True, default=None)


class BusinessChange(Table, tablename="business_changes"):
    """A change of a certified shop's name or address reported by its owner (anmäld ändring): the
    business keeps what was inspected until the kommun accepts the change."""

    business = ForeignKey(references=Business, index=True)
    kommun = ForeignKey(references=Kommun, index=True)  # the business's kommun: who decides
    state = Varchar(length=16, default="reported", index=True)  # reported, accepted, rejected
    proposed = JSON(default={})  # field -> new value
    previous = JSON(default={})  # field -> value when reported
    reported_by = ForeignKey(references=Account, null=True)
    reported_at = Timestamptz(default=TimestamptzNow())
    decided_by = ForeignKey(references=Account, null=True)
    decided_at = Timestamptz(null=True, default=None)
    reason = Text(default="")  # the kommun's reason for a rejection


class MaterialChange(Table, tablename="material_changes"):
    """A change that may affect a certified shop's security level (väsentlig förändring), reported
    by its owner; the kommun notes it or requires a re-inspection (services/material_changes.py).
    The description describes security measures: it carries the secrecy marking wherever shown."""

    business = ForeignKey(references=Business, index=True)
    kommun = ForeignKey(references=Kommun, index=True)  # the business's kommun: who decides
    certificate = Varchar(length=32, default="")  # the number in force when it was reported
    kind = Varchar(length=24)  # domain.material_changes.ChangeKind
    description = Text(default="")
    state = Varchar(length=16, default="reported", index=True)  # domain.material_changes.ChangeState
    reported_by = ForeignKey(references=Account, null=True)
    reported_at = Timestamptz(default=TimestamptzNow())
    decided_by = ForeignKey(references=Account, null=True)
    decided_at = Timestamptz(null=True, default=None)
    # The re-inspection the kommun required: the linked case. NULL otherwise.
    reinspection = ForeignKey(references=Application, null=True, index=True)


class MaterialChangeFile(Table, tablename="material_change_files"):
    """A photo or document sent with a reported change; bytes in the row, like evidence."""

    change = ForeignKey(references=MaterialChange, index=True)
    file_name = Varchar(length=200)
    content_type = Varchar(length=100)
    size = Integer()
    content = Bytea()
    uploaded_by = ForeignKey(references=Account, null=True)
    uploaded_at = Timestamptz(default=TimestamptzNow())


class CertificateSequence(Table, tablename="certificate_sequences"):
    """The last number handed out per kommun and year: numbers are gap-free and never reused."""

    key = Varchar(length=20, unique=True)  # "<kommun code>-<year>"
    last_number = Integer(default=0)


class DiarienummerSequence(Table, tablename="diarienummer_sequences"):
    """The last diarienummer handed out per kommun and year: gap-free and never reused."""

    key = Varchar(length=20, unique=True)  # "<kommun code>-<year>"
    last_number = Integer(default=0)


class Event(Table, tablename="events"):
    """The audit trail: rows are only ever inserted, and deleted only by the kommun's retention plan
    (kind audit, services/retention.py)."""

    application = ForeignKey(references=Application, null=True, index=True)
    business = ForeignKey(references=Business, null=True, index=True)
    actor = ForeignKey(references=Account, null=True)
    actor_label = Varchar(length=200, default="")
    action = Varchar(length=40, index=True)
    from_state = Varchar(length=32, default="")
    to_state = Varchar(length=32, default="")
    detail = JSON(default={})
    at = Timestamptz(default=TimestamptzNow(), index=True)


class RegisteredDocument(Table, tablename="document_register"):
    """The kommun's register of documents in and out (OSL 5 kap.): one row per document, written in
    the transaction of the event that brought it in or sent it out; rows are only ever inserted.
    The case's diarienummer is read through the case (a typed-in number may come later)."""

    kommun = ForeignKey(references=Kommun, index=True)
    application = ForeignKey(references=Application, null=True, index=True)
    business = ForeignKey(references=Business, null=True)
    registered_at = Timestamptz(default=TimestamptzNow(), index=True)
    direction = Varchar(length=3)  # domain.document_register.Direction
    kind = Varchar(length=32)  # domain.document_register.KINDS
    counterpart = Varchar(length=200, default="")  # the sender or recipient: the shop, as named then
    detail = JSON(default={})  # what the description names: a file, a round, a certificate number
    secrecy = Varchar(length=16, default="")  # the marking given at registration ("" none)


class JobRun(Table, tablename="job_runs"):
    """One row per scheduled job and day: the unique key lets exactly one instance do the work."""

    key = Varchar(length=80, unique=True)
    started_at = Timestamptz(default=TimestamptzNow())


class IdempotencyKey(Table, tablename="idempotency_keys"):
    """A write sent with an `Idempotency-Key` header, and the answer it got: the same key from the
    same account answers this again instead of writing twice (certify.services.idempotency).
    Unique per (account, key); `status_code` 0 while the first request is still being applied."""

    account = ForeignKey(references=Account)
    key = Varchar(length=255)
    fingerprint = Varchar(length=64)  # SHA-256 of the method, path, query and body
    status_code = Integer(default=0)
    media_type = Varchar(length=100, default="")
    body = Bytea(default=b"")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class OutboxMessage(Table, tablename="outbox"):
    """An e-mail waiting to be sent; written in the transaction of the event that caused it."""

    kommun = ForeignKey(references=Kommun, null=True, index=True)
    event = ForeignKey(references=Event, null=True)
    kind = Varchar(length=40)
    recipient = Varchar(length=254)
    subject = Varchar(length=300)
    body_text = Text()
    body_html = Text()
    message_id = Varchar(length=200, unique=True)
    status = Varchar(length=16, default="pending", index=True)  # pending, sending, sent, failed
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(default=TimestamptzNow())
    claimed_until = Timestamptz(null=True, default=None)
    last_error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    sent_at = Timestamptz(null=True, default=None)


class Webhook(Table, tablename="webhooks"):
    """A kommun's endpoint for event types; the secret signs each delivery."""

    kommun = ForeignKey(references=Kommun, index=True)
    url = Varchar(length=500)
    event_types = JSON(default=[])
    secret = Varchar(length=100)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())


class WebhookDelivery(Table, tablename="webhook_deliveries"):
    """One event for one webhook; `log` keeps every attempt with its HTTP status."""

    webhook = ForeignKey(references=Webhook, index=True)
    event = ForeignKey(references=Event, null=True)
    event_type = Varchar(length=40)
    payload = Text()  # the exact body that is signed and POSTed
    status = Varchar(length=16, default="pending", index=True)  # pending, sending, delivered, failed
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(default=TimestamptzNow())
    claimed_until = Timestamptz(null=True, default=None)
    last_status_code = Integer(null=True, default=None)
    log = JSON(default=[])
    created_at = Timestamptz(default=TimestamptzNow())
    delivered_at = Timestamptz(null=True, default=None)


class Invitation(Table, tablename="invitations"):
    """An e-mailed invitation to claim an imported shop; only the token's hash is stored."""

    business = ForeignKey(references=Business, index=True)
    email = Varchar(length=254)
    token_hash = Varchar(length=64, unique=True)
    invited_by = ForeignKey(references=Account, null=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    claimed_at = Timestamptz(null=True, default=None)
    claimed_by = ForeignKey(references=Account, null=True)
    # "shop": the kommun invites an imported shop to be claimed; "representative": a representative
    # invites another person to act for the company too (services/representation.py).
    purpose = Varchar(length=16, default="shop")


class Representative(Table, tablename="representatives"):
    """An owner account that acts for a business, and on what basis (services/representation.py);
    unique on (business, account) by the migration's index. `businesses.owner` is the account
    that registered or claimed the shop (or, once he stopped acting for it, the longest-standing
    representative left); every account that may act for it has a row here."""

    business = ForeignKey(references=Business, index=True)
    account = ForeignKey(references=Account, index=True)
    basis = Varchar(length=16, default="")  # signatory, agent; "" = not stated yet
    check_state = Varchar(length=24, default="unchecked")  # unchecked, checked, fullmakt_requested
    checked_by = ForeignKey(references=Account, null=True)
    checked_at = Timestamptz(null=True, default=None)
    # The fullmakt (power of attorney) of an agent: bytes in the row, like evidence.
    fullmakt_name = Varchar(length=200, default="")
    fullmakt_type = Varchar(length=100, default="")
    fullmakt_size = Integer(default=0)
    fullmakt = Bytea(null=True, default=None)
    fullmakt_uploaded_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class Evidence(Table, tablename="evidence"):
    """A photo or document attached to one point of a case. The bytes are stored here so every
    app instance serves them; the file name is for display only, never a path."""

    application = ForeignKey(references=Application, index=True)
    point = Integer()
    file_name = Varchar(length=200)
    content_type = Varchar(length=100)
    size = Integer()
    content = Bytea()
    uploaded_by = ForeignKey(references=Account, null=True)
    uploaded_at = Timestamptz(default=TimestamptzNow())
    thumbnail = Bytea(null=True, default=None)  # a photo's small WebP, made on first request and kept


class EvidenceRead(Table, tablename="evidence_reads"):
    """The access log of evidence and fullmakter: who read which file of which case, when. Apart
    from the case's events (the story told to people); rows are only inserted (names aside, which
    the kommun's retention plan and a closed account remove; the plan's audit line deletes them).
    The file is named by id and its name at the time, not by a foreign key, so the log outlives a
    removed file."""

    application = ForeignKey(references=Application, index=True)
    kommun = ForeignKey(references=Kommun, index=True)  # the case's kommun: whose log it is
    evidence_id = Integer()
    point = Integer()
    file_name = Varchar(length=200, default="")
    kind = Varchar(length=16, default="file")  # file, thumbnail, fullmakt
    # A fullmakt read (kind "fullmakt"): whose fullmakt, of which shop; application is then the
    # shop's newest case, or NULL when it has none; evidence_id and point stay 0.
    business_id = Integer(null=True, default=None)
    representative_id = Integer(null=True, default=None)
    actor = ForeignKey(references=Account, null=True)
    actor_label = Varchar(length=200, default="")
    at = Timestamptz(default=TimestamptzNow(), index=True)


class PasswordReset(Table, tablename="password_resets"):
    """An e-mailed link to choose a new password: single use, short-lived; only the token's hash
    is stored. `requested_by` is the case officer who sent it, empty when the user asked."""

    account = ForeignKey(references=Account, index=True)
    token_hash = Varchar(length=64, unique=True)
    requested_by = ForeignKey(references=Account, null=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class KommunLogin(Table, tablename="kommun_logins"):
    """A kommun's own OpenID Connect provider for its staff (services/staff_login.py).
    The client secret is stored as given: the database must be protected like the secret key."""

    kommun = ForeignKey(references=Kommun, unique=True)
    issuer = Varchar(length=500)
    client_id = Varchar(length=255)
    client_secret = Text(default="")
    groups_claim = Varchar(length=100, default="groups")  # the ID token claim listing groups or roles
    kommun_group = Varchar(length=255, default="")  # the value that makes a kommun user ("" none)
    inspector_group = Varchar(length=255, default="")  # the value that makes an inspector ("" none)
    password_login_off = Boolean(default=False)  # this kommun's staff may not log in with a password


class AccessibilityStatement(Table, tablename="accessibility_statements"):
    """A kommun's accessibility statement for this e-service (lagen om tillgänglighet till digital
    offentlig service), as the kommun wrote it; a kommun without one shows the installation's."""

    kommun = ForeignKey(references=Kommun, unique=True)
    compliance = Varchar(length=16, default="partial")  # domain.accessibility.Compliance
    shortcomings = Text(default="")  # the kommun's own, beside the service's known ones
    contact = Text(default="")  # how to report a problem or ask for another format ("" kommun's contact)
    reviewed_on = Date()  # the kommun's last review of the statement
    updated_at = Timestamptz(default=TimestamptzNow())


class RetentionPlanLine(Table, tablename="retention_plan_lines"):
    """One line of a kommun's retention plan (its dokumenthanteringsplan): a kind of document is kept
    or destroyed `years` after the case closed, by the decision named (domain/retention.py). Unique
    on (kommun, kind) by the migration's index; a kommun without lines keeps everything."""

    kommun = ForeignKey(references=Kommun, index=True)
    kind = Varchar(length=24)  # domain.retention.RecordKind
    disposal = Varchar(length=8, default="keep")  # domain.retention.Disposal
    years = Integer(null=True, default=None)  # None when kept
    decision = Varchar(length=200, default="")  # e.g. "KS 2025/118 § 45"
    updated_by = ForeignKey(references=Account, null=True)
    updated_at = Timestamptz(default=TimestamptzNow())


class RetentionPurge(Table, tablename="retention_purges"):
    """The log of what the plan destroyed: which kind of which case, by which plan line (its years and
    decision as they were then), and when. Never purged itself; unique on (application, kind) by the
    migration's index, so a kind of a case is destroyed once."""

    kommun = ForeignKey(references=Kommun, index=True)
    application = ForeignKey(references=Application, index=True)
    kind = Varchar(length=24)  # domain.retention.RecordKind
    years = Integer(default=0)
    decision = Varchar(length=200, default="")
    detail = JSON(default={})  # how many rows or files went
    purged_at = Timestamptz(default=TimestamptzNow(), index=True)


class StaffIdentity(Table, tablename="staff_identities"):
    """Which account a kommun's provider means by a `sub` (subjects are unique per provider only,
    so per kommun); unique on (kommun, subject) by the migration's index."""

    kommun = ForeignKey(references=Kommun)
    subject = Varchar(length=255)
    account = ForeignKey(references=Account, index=True)


class Chain(Table, tablename="chains"):
    """A chain (kedja) of shops: its name and central organisationsnummer (10 digits, unique by the
    migration's index). Its representatives are owner accounts (ChainRepresentative); its member
    shops are ordinary businesses with their own owners (ChainMember). services/chains.py."""

    name = Varchar(length=200)
    org_number = Varchar(length=10)
    created_by = ForeignKey(references=Account, null=True)
    created_at = Timestamptz(default=TimestamptzNow())


class ChainRepresentative(Table, tablename="chain_representatives"):
    """An owner account acting for a chain (its security function); unique on (chain, account)."""

    chain = ForeignKey(references=Chain, index=True)
    account = ForeignKey(references=Account, index=True)
    created_at = Timestamptz(default=TimestamptzNow())


class ChainMember(Table, tablename="chain_members"):
    """A shop in a chain; a shop is in at most one chain (unique on business). `way`: "invited" (its
    owner accepted the chain's invitation) or "own" (a chain representative who represents the shop
    added it)."""

    chain = ForeignKey(references=Chain, index=True)
    business = ForeignKey(references=Business)
    joined_at = Timestamptz(default=TimestamptzNow())
    way = Varchar(length=8, default="invited")


class ChainInvitation(Table, tablename="chain_invitations"):
    """A chain's e-mailed invitation to a shop's owner; only the token's hash is stored (unique).
    Works once: `accepted_at` and the shop that joined are set when it is taken up."""

    chain = ForeignKey(references=Chain, index=True)
    email = Varchar(length=254)
    token_hash = Varchar(length=64)
    invited_by = ForeignKey(references=Account, null=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    accepted_at = Timestamptz(null=True, default=None)
    business = ForeignKey(references=Business, null=True)


class ChainCase(Table, tablename="chain_cases"):
    """A chain case (kedjebesiktning): one kommun's case for the chain's member shops in that kommun
    (services/chain_cases.py; states in domain/chain_workflow.py). `seed`: the recorded seed of the
    sample's random part, so anyone can draw it again; `central_points`: the points judged on the
    chain's central documentation (the kommun's marking; default chain_rules.CENTRAL_POINTS)."""

    chain = ForeignKey(references=Chain, index=True)
    kommun = ForeignKey(references=Kommun, index=True)
    checklist_version = ForeignKey(references=ChecklistVersion)
    state = Varchar(length=32, default="draft", index=True)
    version = Integer(default=1)
    round = Integer(default=1)
    seed = Varchar(length=64, default="")
    renewal = Boolean(default=False)
    central_points = JSON(default=[1, 2, 11, 12, 13])
    inspector = ForeignKey(references=Account, null=True, index=True)
    diarienummer = Varchar(length=50, null=True, default=None)
    reason = Text(default="")  # the kommun's reason for a rejection
    created_by = ForeignKey(references=Account, null=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    submitted_at = Timestamptz(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)


class ChainCaseMember(Table, tablename="chain_case_members"):
    """A member shop a chain case covers: the chain's members in the case's kommun when it opened;
    unique on (chain_case, business)."""

    chain_case = ForeignKey(references=ChainCase, index=True)
    business = ForeignKey(references=Business, index=True)


class ChainDocument(Table, tablename="chain_documents"):
    """A file of a chain's central documentation: stored once per chain and reused by its cases in
    every kommun. A security detail: never in a public or bulk channel."""

    chain = ForeignKey(references=Chain, index=True)
    file_name = Varchar(length=200)
    content_type = Varchar(length=100)
    size = Integer()
    content = Bytea()
    uploaded_by = ForeignKey(references=Account, null=True)
    uploaded_at = Timestamptz(default=TimestamptzNow())


class ChainAudit(Table, tablename="chain_audits"):
    """The chain's internal audit of one point at one member shop (like an owner's self-assessment:
    fulfilled, not_fulfilled or not_applicable, with a comment); unique on (chain_case, business,
    point). A security detail of the shop."""

    chain_case = ForeignKey(references=ChainCase, index=True)
    business = ForeignKey(references=Business)
    point = Integer()
    status = Varchar(length=32)
    comment = Text(default="")
    updated_by = ForeignKey(references=Account, null=True)
    updated_at = Timestamptz(default=TimestamptzNow())


class ChainSample(Table, tablename="chain_samples"):
    """A shop in a chain case's sample and why (chain_sample.SampleReason); unique on (chain_case,
    business). Drawn shops stay; the kommun may add shops."""

    chain_case = ForeignKey(references=ChainCase, index=True)
    business = ForeignKey(references=Business)
    reason = Varchar(length=32)
    round = Integer(default=1)
    added_at = Timestamptz(default=TimestamptzNow())


class ChainCentralVerdict(Table, tablename="chain_central_verdicts"):
    """The inspector's judgement of one central point on the chain's documentation (pass, fail,
    not_applicable with a remark); unique on (chain_case, point). A security detail of the chain."""

    chain_case = ForeignKey(references=ChainCase, index=True)
    round = Integer(default=1)
    point = Integer()
    verdict = Varchar(length=16)
    remark = Text(default="")
    inspector = ForeignKey(references=Account, null=True)
    updated_at = Timestamptz(default=TimestamptzNow())


class ChainSystemicCheck(Table, tablename="chain_systemic_checks"):
    """The chain's declaration, after a failed point, whether the same deficiency exists at one
    member shop (`present`) and what it did; unique on (chain_case, round, business, point)."""

    chain_case = ForeignKey(references=ChainCase, index=True)
    round = Integer(default=1)
    business = ForeignKey(references=Business)
    point = Integer()
    present = Boolean(default=False)
    comment = Text(default="")
    updated_by = ForeignKey(references=Account, null=True)
    updated_at = Timestamptz(default=TimestamptzNow())


class ChainSeriousPoint(Table, tablename="chain_serious_points"):
    """A point the inspector marked as a serious deficiency ("allvarlig brist"): the chain case is
    held until every member has judged evidence of the fix; unique on (chain_case, point).
    `business`: the sampled shop where it was found (NULL: in the central documentation)."""

    chain_case = ForeignKey(references=ChainCase, index=True)
    point = Integer()
    business = ForeignKey(references=Business, null=True)
    remark = Text(default="")
    marked_by = ForeignKey(references=Account, null=True)
    marked_at = Timestamptz(default=TimestamptzNow())
    released_at = Timestamptz(null=True, default=None)


class ChainFix(Table, tablename="chain_fixes"):
    """The chain's evidence that a serious point is fixed at one member shop (a file and a comment),
    and the inspector's judgement of it (`judgement`: "" until judged, then accepted or refused).
    A security detail of the shop."""

    chain_case = ForeignKey(references=ChainCase, index=True)
    business = ForeignKey(references=Business, index=True)
    point = Integer()
    comment = Text(default="")
    file_name = Varchar(length=200)
    content_type = Varchar(length=100)
    size = Integer()
    content = Bytea()
    uploaded_by = ForeignKey(references=Account, null=True)
    uploaded_at = Timestamptz(default=TimestamptzNow())
    judgement = Varchar(length=16, default="")
    judged_by = ForeignKey(references=Account, null=True)
    judged_at = Timestamptz(null=True, default=None)


class FullmaktDocument(Table, tablename="fullmakt_documents"):
    """A fullmakt kept after its representative stopped acting for the shop (removed, left, closed
    his account, or uploaded a new one): a registered incoming document, so it stays until the
    kommun's retention plan destroys it with the case data of `application` (services/fullmakter.py).
    The person's name is as it was then; "(borttaget)" once his account is closed."""

    business = ForeignKey(references=Business, index=True)
    kommun = ForeignKey(references=Kommun, index=True)  # the shop's kommun: who reads it
    # The case whose retention it follows: the shop's newest when it was kept; NULL when it had none.
    application = ForeignKey(references=Application, null=True, index=True)
    account = ForeignKey(references=Account, null=True, index=True)  # whose fullmakt it was
    representative_id = Integer()  # the representatives row it came from (the access log names it)
    person_name = Varchar(length=200, default="")
    file_name = Varchar(length=200)
    content_type = Varchar(length=100)
    size = Integer()
    content = Bytea()
    uploaded_at = Timestamptz(null=True, default=None)
    kept_at = Timestamptz(default=TimestamptzNow())
    reason = Varchar(length=16, default="")  # removed, left, account_closed, replaced


class Protocol(Table, tablename="protocols"):
    """An inspection protocol exactly as it went out with a decision (services/issued_protocols.py):
    one round's protocol, for the action that sent it (require_corrections, approve, reject), in one
    language — the Swedish original always, and the owner's language when he chose another. Unique on
    (application, round, action, language) by the migration's index. Cases decided before this table
    existed have none: their protocols are drawn from the case's records when asked for."""

    application = ForeignKey(references=Application, index=True)
    round = Integer()
    action = Varchar(length=32)  # the workflow action (domain/actions.py) that issued it
    language = Varchar(length=8)  # certify.text language code
    pdf = Bytea()
    sha256 = Varchar(length=64)
    issued_at = Timestamptz(default=TimestamptzNow())


ALL_TABLES: list[type[Table]] = [
    Kommun,
    Account,
    Session,
    InspectorKommun,
    Business,
    ChecklistVersion,
    ChecklistPoint,
    LocalPoint,
    Application,
    Answer,
    Verdict,
    Certificate,
    CertificateSequence,
    DiarienummerSequence,
    BusinessChange,
    MaterialChange,
    MaterialChangeFile,
    Event,
    RegisteredDocument,
    JobRun,
    IdempotencyKey,
    OutboxMessage,
    Webhook,
    WebhookDelivery,
    Invitation,
    Representative,
    Evidence,
    EvidenceRead,
    PasswordReset,
    KommunLogin,
    StaffIdentity,
    AccessibilityStatement,
    RetentionPlanLine,
    RetentionPurge,
    Chain,
    ChainRepresentative,
    ChainMember,
    ChainInvitation,
    FullmaktDocument,
    Protocol,
    ChainCase,
    ChainCaseMember,
    ChainDocument,
    ChainAudit,
    ChainSample,
]
