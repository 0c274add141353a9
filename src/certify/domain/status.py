"""The enumerations that are stored as text: the StrEnum values are what the database holds."""

from __future__ import annotations

from enum import StrEnum


class CaseState(StrEnum):
    draft = "draft"
    submitted = "submitted"
    scheduled = "scheduled"
    corrections_required = "corrections_required"
    certified = "certified"
    rejected = "rejected"
    withdrawn = "withdrawn"
    expired = "expired"
    revoked = "revoked"


OPEN_STATES = frozenset(
    {
        CaseState.draft,
        CaseState.submitted,
        CaseState.scheduled,
        CaseState.corrections_required,
    }
)
ANSWER_EDITABLE_STATES = frozenset({CaseState.draft, CaseState.corrections_required})

ENDED_STATES = frozenset({CaseState.withdrawn, CaseState.rejected, CaseState.expired, CaseState.revoked})
"""The case's life is over: nothing of it is in force any more. The retention plan's years count
from the day a case entered one of these (services/retention.py); a certified case is not among
them, its certificate is still in force."""

CLOSED_STATES = frozenset({CaseState.certified}) | ENDED_STATES
"""Nothing more is done in the case: it was decided (certified) or its life ended. The archive
takes these (domain/archive.py); every state is either open or closed."""


class Role(StrEnum):
    owner = "owner"
    inspector = "inspector"
    kommun = "kommun"


class AnswerStatus(StrEnum):
    fulfilled = "fulfilled"
    not_fulfilled = "not_fulfilled"
    not_applicable = "not_applicable"


class CriterionMark(StrEnum):
    """The owner's mark on one criterion of a point."""

    met = "met"
    not_met = "not_met"
    not_applicable = "not_applicable"


class VerdictValue(StrEnum):
    passed = "pass"
    failed = "fail"
    not_applicable = "not_applicable"


class CertificateStatus(StrEnum):
    valid = "valid"
    expired = "expired"
    revoked = "revoked"
