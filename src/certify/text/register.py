"""The document register in words: each kind's description, the directions, the secrecy marking
and the export's columns, in the language of the moment. A description names the kind of document
and at most a file number, a round or a certificate number: never what the document says."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from certify.domain.document_register import SECURITY_SECRECY, Direction
from certify.domain.secrecy import Assessment
from certify.text.catalogue import N_, _

DESCRIPTIONS: Mapping[str, str] = {
    "self_assessment": N_("Ansökan om certifiering med egenkontroll"),
    "evidence": N_("Bilaga till egenkontrollen (fil {evidence_id})"),
    "corrections_report": N_("Anmälan om åtgärdade brister (inför besiktning {round})"),
    "business_change": N_("Anmälan om ändrat namn eller adress"),
    "material_change": N_("Anmälan om väsentlig förändring (intyg {certificate})"),
    "material_change_file": N_("Bilaga till anmälan om väsentlig förändring (fil {file_id})"),
    "fullmakt": N_("Fullmakt för ett ombud"),
    "fullmakt_request": N_("Begäran om fullmakt"),
    "approval": N_("Beslut: godkänd, med intyg {certificate}"),
    "corrections_decision": N_("Beslut: brister att åtgärda, med besiktningsprotokoll (besiktning {round})"),
    "rejection": N_("Beslut: ansökan avslagen"),
    "revocation": N_("Beslut: intyget återkallat"),
    "disclosure": N_("Beslut om utlämnande av allmän handling ({document}): {assessment}, beslut {decision}"),
    "archive_package": N_("Arkivpaket {package} (E-ARK SIP) levererat till e-arkivet"),
    "chain_audit": N_("Kedjeärende {chain_case}: kedjans interna revision av {shops} butiker"),
    "chain_documentation": N_("Kedjeärende {chain_case}: kedjans centrala dokumentation (fil {file_id})"),
    "chain_corrections_decision": N_(
        "Kedjeärende {chain_case}: beslut om brister att åtgärda (omgång {round})"
    ),
    "chain_corrections_report": N_(
        "Kedjeärende {chain_case}: kedjans anmälan om åtgärdade brister, med systematisk kontroll av alla "
        "butiker (inför omgång {round})"
    ),
    "chain_fix": N_("Kedjeärende {chain_case}: underlag för en åtgärdad allvarlig brist (fil {file_id})"),
    "chain_rejection": N_("Kedjeärende {chain_case}: beslut: ansökan avslagen"),
    "chain_revocation": N_("Kedjeärende {chain_case}: beslut: intygen från kedjeärendet återkallade"),
}

DIRECTIONS: Mapping[str, str] = {
    Direction.incoming: N_("Inkommande"),
    Direction.outgoing: N_("Utgående"),
}

ASSESSMENTS: Mapping[str, str] = {
    Assessment.released: N_("lämnas ut"),
    Assessment.released_in_part: N_("lämnas ut delvis"),
    Assessment.refused: N_("lämnas inte ut"),
}

MARKINGS: Mapping[str, str] = {
    SECURITY_SECRECY: N_("Kan omfattas av sekretess (18 kap. 8 § OSL)"),
}


def description(kind: str, detail: Mapping[str, Any]) -> str:
    asked_for = detail.get("document_kind")
    return _(DESCRIPTIONS[kind]).format(
        evidence_id=detail.get("evidence_id", ""),
        file_id=detail.get("file_id", ""),
        round=detail.get("round", ""),
        certificate=detail.get("certificate", ""),
        document=description(asked_for, detail.get("document_detail") or {}) if asked_for else "",
        assessment=assessment_label(detail["assessment"]) if "assessment" in detail else "",
        decision=detail.get("decision", ""),
        package=detail.get("package", ""),
        chain_case=detail.get("chain_case_id", ""),
        shops=detail.get("shops", ""),
    )


def assessment_label(code: str) -> str:
    return _(ASSESSMENTS[code])


def direction_label(direction: str) -> str:
    return _(DIRECTIONS[direction])


def secrecy_marking(code: str) -> str:
    return _(MARKINGS[code]) if code else ""


def case_secrecy_marking() -> str:
    """The marking on every page and in every document that shows what a shop answered, sent in
    or was judged on (templates/partials/secrecy_marking.html, the protocol's header)."""
    return secrecy_marking(SECURITY_SECRECY)


def title_of_columns() -> list[str | int | float | None]:
    return [
        _("Datum"),
        _("Diarienummer"),
        _("Riktning"),
        _("Avsändare eller mottagare"),
        _("Beskrivning"),
        _("Sekretess"),
    ]
