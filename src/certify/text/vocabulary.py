"""One name for each state, answer, verdict and role, in the language of the moment.

Pages, exports, mails and PDFs all ask here; nobody keeps a label list of its own.
"""

from __future__ import annotations

from collections.abc import Mapping

from certify.domain.actions import ACTIONS
from certify.domain.checklist import CriterionKind
from certify.domain.representation import Basis, CheckState
from certify.domain.status import (
    AnswerStatus,
    CaseState,
    CertificateStatus,
    CriterionMark,
    Role,
    VerdictValue,
)
from certify.text.catalogue import N_, gettext

PROGRAMME = N_("Skydd mot rån i handeln")  # the programme's name, on every page, mail and document

STATES: Mapping[str, str] = {
    CaseState.draft: N_("Utkast"),
    CaseState.submitted: N_("Inskickad"),
    CaseState.scheduled: N_("Besiktning bokad"),
    CaseState.corrections_required: N_("Brister att åtgärda"),
    CaseState.certified: N_("Certifierad"),
    CaseState.rejected: N_("Avslagen"),
    CaseState.withdrawn: N_("Tillbakadragen"),
    CaseState.expired: N_("Utgången"),
    CaseState.revoked: N_("Återkallad"),
}

ANSWERS: Mapping[str, str] = {
    AnswerStatus.fulfilled: N_("Uppfyllt"),
    AnswerStatus.not_fulfilled: N_("Ej uppfyllt"),
    AnswerStatus.not_applicable: N_("Ej tillämpligt"),
}

VERDICTS: Mapping[str, str] = {
    VerdictValue.passed: N_("Godkänd"),
    VerdictValue.failed: N_("Underkänd"),
    VerdictValue.not_applicable: N_("Ej tillämplig"),
}
NOT_JUDGED = N_("Ej bedömd")

CRITERION_KINDS: Mapping[str, str] = {
    CriterionKind.required: N_("Krav"),
    CriterionKind.conditional: N_("Krav om butiken har det som nämns"),
    CriterionKind.recommended: N_("Råd, inget krav"),
}

ROLES: Mapping[str, str] = {
    Role.owner: N_("Butiksägare"),
    Role.inspector: N_("Besiktningsperson"),
    Role.kommun: N_("Handläggare"),
}

# What `certify kommun-login` sets and the kommun's settings page shows, field by field.
KOMMUN_LOGIN_FIELDS: Mapping[str, str] = {
    "issuer": N_("Utfärdare"),
    "client_id": N_("Klient-id"),
    "client_secret": N_("Klienthemlighet"),
    "groups_claim": N_("Anspråk med grupper"),
    "kommun_group": N_("Grupp för kommunens handläggare"),
    "inspector_group": N_("Grupp för besiktningspersoner"),
    "password_login": N_("Inloggning med lösenord"),
}

CERTIFICATE_STATUSES: Mapping[str, str] = {
    CertificateStatus.valid: N_("Giltigt"),
    CertificateStatus.expired: N_("Utgånget"),
    CertificateStatus.revoked: N_("Återkallat"),
}

BASES: Mapping[str, str] = {
    Basis.signatory: N_("Firmatecknare"),
    Basis.agent: N_("Ombud med fullmakt"),
}
BASIS_NOT_STATED = N_("Inte angivet")

CHECK_STATES: Mapping[str, str] = {
    CheckState.unchecked: N_("Inte kontrollerad"),
    CheckState.checked: N_("Kontrollerad"),
    CheckState.fullmakt_requested: N_("Fullmakt begärd"),
}


CHAIN_STATES: Mapping[str, str] = {
    "draft": N_("Utkast"),
    "submitted": N_("Inskickad"),
    "inspecting": N_("Besiktas"),
    "corrections_required": N_("Brister att åtgärda"),
    "held": N_("Vilande: allvarlig brist"),
    "certified": N_("Certifierad"),
    "rejected": N_("Avslagen"),
    "withdrawn": N_("Tillbakadragen"),
    "revoked": N_("Återkallad"),
}
"""The chain case's states (domain/chain_workflow.ChainCaseState)."""

SAMPLE_REASONS: Mapping[str, str] = {
    "random": N_("Slumpvis dragen"),
    "never_inspected": N_("Aldrig besiktad"),
    "failed_last_time": N_("Underkända punkter vid förra besiktningen"),
    "longest_since_inspection": N_("Längst sedan förra besiktningen"),
    "added_by_kommun": N_("Tillagd av kommunen"),
    "enlarged": N_("Slumpvis dragen när stickprovet utökades"),
}
"""Why a shop is in a chain case's sample (domain/chain_sample.SampleReason)."""


def _label(labels: Mapping[str, str], value: str | None) -> str:
    return gettext(labels[value]) if value in labels else (value or "")


def programme() -> str:
    return gettext(PROGRAMME)


def action_label(action: str) -> str:
    """The button of a workflow action (domain/actions.py keeps one label per action)."""
    return gettext(ACTIONS[action].label)


def state_label(state: str | None) -> str:
    return _label(STATES, state)


def chain_state_label(state: str | None) -> str:
    return _label(CHAIN_STATES, state)


def sample_reason_label(reason: str | None) -> str:
    return _label(SAMPLE_REASONS, reason)


def answer_label(status: str | None) -> str:
    return _label(ANSWERS, status)


def verdict_label(verdict: str | None) -> str:
    """A point's verdict; "Ej bedömd" while it has none."""
    return _label(VERDICTS, verdict) if verdict else gettext(NOT_JUDGED)


def checklist_text(text: str, local: bool) -> str:
    """A checklist text for the reader: the programme's through the catalogue (its Swedish is the
    message id); a kommun's own point as the kommun wrote it, in every language (never in the
    catalogue: the kommun's words are its own)."""
    return text if local else gettext(text)


def criterion_kind_label(kind: str | None) -> str:
    return _label(CRITERION_KINDS, kind)


def criterion_choices(kind: str) -> list[tuple[str, str]]:
    """The marks a criterion can take, in the answers' words: met, not met, and for a conditional
    criterion also "does not apply" (a requirement always applies)."""
    marks = [(CriterionMark.met, AnswerStatus.fulfilled), (CriterionMark.not_met, AnswerStatus.not_fulfilled)]
    if kind == CriterionKind.conditional:
        marks.append((CriterionMark.not_applicable, AnswerStatus.not_applicable))
    return [(mark.value, gettext(ANSWERS[word])) for mark, word in marks]


FAILED_CRITERION = N_("Kriterium {criterion} är inte uppfyllt: {text}")


def failed_criterion(criterion: str, text_sv: str, local: bool) -> str:
    """One criterion a fail names, with its text, for the deficiency list and the protocol."""
    return gettext(FAILED_CRITERION).format(criterion=criterion, text=checklist_text(text_sv, local))


def role_label(role: str | None) -> str:
    return _label(ROLES, role)


def certificate_status_label(status: str | None) -> str:
    return _label(CERTIFICATE_STATUSES, status)


def kommun_login_field(name: str) -> str:
    return _label(KOMMUN_LOGIN_FIELDS, name)


def basis_label(basis: str | None) -> str:
    """How a representative acts for the company; "Inte angivet" until he says."""
    return _label(BASES, basis) if basis else gettext(BASIS_NOT_STATED)


def check_label(state: str | None) -> str:
    return _label(CHECK_STATES, state)
