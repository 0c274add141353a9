"""Which documents a case brings into the kommun and sends out, as the register lists them.

A register entry says what kind of document came in or went out, never what it says: a self-
assessment, an evidence file or a protocol describes a shop's security measures, so its entry names
the kind (and a file number, a round or a certificate number) and carries a secrecy marking. Which
event registers which kind is the one table EVENT_DOCUMENTS; services/document_register.py writes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Direction(StrEnum):
    incoming = "in"
    outgoing = "out"


SECURITY_SECRECY = "osl_18_8"
"""May be covered by the secrecy of security and surveillance measures (OSL 18 kap. 8 §)."""


@dataclass(frozen=True, slots=True)
class DocumentKind:
    name: str
    direction: Direction
    secrecy: str  # "" when the document describes no security measure


KINDS: Mapping[str, DocumentKind] = {
    kind.name: kind
    for kind in (
        DocumentKind("self_assessment", Direction.incoming, SECURITY_SECRECY),
        DocumentKind("evidence", Direction.incoming, SECURITY_SECRECY),
        DocumentKind("corrections_report", Direction.incoming, SECURITY_SECRECY),
        DocumentKind("business_change", Direction.incoming, ""),
        DocumentKind("material_change", Direction.incoming, SECURITY_SECRECY),
        DocumentKind("material_change_file", Direction.incoming, SECURITY_SECRECY),
        DocumentKind("fullmakt", Direction.incoming, ""),
        DocumentKind("fullmakt_request", Direction.outgoing, ""),
        DocumentKind("approval", Direction.outgoing, ""),
        DocumentKind("corrections_decision", Direction.outgoing, SECURITY_SECRECY),
        DocumentKind("rejection", Direction.outgoing, SECURITY_SECRECY),
        DocumentKind("revocation", Direction.outgoing, ""),
        DocumentKind("disclosure", Direction.outgoing, SECURITY_SECRECY),
        DocumentKind("archive_package", Direction.outgoing, SECURITY_SECRECY),
        DocumentKind("chain_audit", Direction.incoming, SECURITY_SECRECY),
        DocumentKind("chain_documentation", Direction.incoming, SECURITY_SECRECY),
        DocumentKind("chain_corrections_decision", Direction.outgoing, SECURITY_SECRECY),
        DocumentKind("chain_corrections_report", Direction.incoming, SECURITY_SECRECY),
        DocumentKind("chain_fix", Direction.incoming, SECURITY_SECRECY),
        DocumentKind("chain_rejection", Direction.outgoing, SECURITY_SECRECY),
        DocumentKind("chain_revocation", Direction.outgoing, ""),
    )
}

EVENT_DOCUMENTS: Mapping[str, str] = {
    "submit": "self_assessment",  # with every evidence file attached by then
    "evidence_added": "evidence",  # an owner's file added after the case came in
    "report_corrections": "corrections_report",
    "business_change_reported": "business_change",
    "material_change_reported": "material_change",  # a change that may affect the security level
    "material_change_file_added": "material_change_file",  # a file sent with it
    "fullmakt_uploaded": "fullmakt",  # an agent's power of attorney
    "fullmakt_requested": "fullmakt_request",  # the kommun asks a representative for one
    "approve": "approval",  # the decision with the certificate
    "require_corrections": "corrections_decision",  # the decision with the inspection protocol
    "reject": "rejection",
    "revoke": "revocation",
    "reinspection_revoked": "revocation",  # the re-inspection after a reported change was rejected
    "disclosure_decided": "disclosure",  # a marked document handed out (or refused) to someone outside
    "archive_exported": "archive_package",  # the closed case delivered to the kommun's e-archive
    # A chain case comes in with the chain's internal audit of its members and, one entry per file,
    # its central documentation (services/document_register.py registers both).
    "chain_case_submitted": "chain_audit",
    # The rest of a chain case's documents go to or come from the chain, not one shop; each member's
    # own approval and revocation are registered on its shop case by the ordinary events.
    "chain_corrections_required": "chain_corrections_decision",
    "chain_corrections_reported": "chain_corrections_report",  # with the chain's systemic check
    "chain_fix_added": "chain_fix",  # evidence that a serious deficiency is fixed at a member
    "chain_case_rejected": "chain_rejection",
    "chain_case_revoked": "chain_revocation",
}
"""The event that brings a document in or sends it out → the kind of document."""
