"""Secrecy for security measures (OSL 18 kap. 8 §): the one rule for what may leave.

A shop's answers and their comments, its evidence files, the inspector's remarks and verdicts and
the inspection protocol describe its security measures: they may be covered by secrecy, carry the
marking on every page that shows them, and never leave through a public or bulk channel (the
verify page, the open register, the status report and its exports, webhooks and e-mails). Those
channels carry states, dates, numbers and names only.

Every channel that forwards an event's detail (e-mails and webhooks, services/notifications.py)
passes it through `disclosable`; the other public and bulk producers (the verify page, the open
register, the status report and its files) select no column that holds marked content, and the
secrecy sweep test (tests/integration/test_secrecy.py) proves it for every one of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from certify.domain.document_register import EVENT_DOCUMENTS, KINDS, SECURITY_SECRECY

MARKING = SECURITY_SECRECY
"""The code of the marking; text/register.py words it, the one place that does."""

DISCLOSABLE_DETAIL: frozenset[str] = frozenset(
    {
        # numbers
        "event_id",
        "evidence_id",
        "change_id",
        "file_id",  # a file sent with a reported material change, by number
        "reinspection_id",  # the case that re-inspects a reported material change
        "representative_id",
        "inspector_id",
        "previous_inspector_id",
        "user_id",
        "kommun_id",
        "point",  # which point a file or an answer belongs to, never how it went
        "round",
        "size",
        "row",
        "certificate",
        "renews",
        "diarienummer",
        "days_left",
        # dates
        "visit_at",
        "previous_visit_at",
        "deadline",
        # names and states
        "proposed",  # a shop's new name or address, public once accepted
        "fields",  # the names of changed fields, not their values
        "basis",  # firmatecknare or ombud
        "role",
        "via",
        "changed",
        "unassigned",
        "document_id",  # an utlämnande: which register entry, the assessment and the decision's number
        "assessment",
        "decision",
    }
)
"""The detail keys an event may carry out of the case. Anything else (a comment, a remark, a
verdict, an answer's status, a file's name or type, an e-mail address, who asked for a document)
stays inside."""

WORDED_DETAIL = "reason"
"""A decision's own words: they leave only with a decision whose document carries no marking
(a revocation, a refused change of name); a rejection's or a correction's reasons stay inside."""


def is_marked(action: str) -> bool:
    """Whether the document this event brings in or sends out may be covered by secrecy."""
    kind = EVENT_DOCUMENTS.get(action)
    return kind is not None and KINDS[kind].secrecy == MARKING


def disclosable(action: str, detail: Mapping[str, Any]) -> dict[str, Any]:
    """The part of an event's detail that a public or bulk channel may carry."""
    kept = {key: value for key, value in detail.items() if key in DISCLOSABLE_DETAIL}
    if WORDED_DETAIL in detail and not is_marked(action):
        kept[WORDED_DETAIL] = detail[WORDED_DETAIL]
    return kept


class Assessment(StrEnum):
    """The kommun's assessment when someone outside the case asks for a marked document
    (utlämnande): the secrecy test decides whether it is handed out whole, in part or not at all."""

    released = "released"
    released_in_part = "released_in_part"
    refused = "refused"
