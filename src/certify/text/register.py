"""The document register in words: each kind's description, the directions, the secrecy marking
and the export's columns, in the language of the moment. A description names the kind of document
and at most a file number, a round or a certificate number: never what the document says."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from certify.domain.document_register import SECURITY_SECRECY, Direction
from certify.text.catalogue import N_, _

DESCRIPTIONS: Mapping[str, str] = {
    "self_assessment": N_("Ansökan om certifiering med egenkontroll"),
    "evidence": N_("Bilaga till egenkontrollen (fil {evidence_id})"),
    "corrections_report": N_("Anmälan om åtgärdade brister (inför besiktning {round})"),
    "business_change": N_("Anmälan om ändrat namn eller adress"),
    "fullmakt": N_("Fullmakt för ett ombud"),
    "fullmakt_request": N_("Begäran om fullmakt"),
    "approval": N_("Beslut: godkänd, med intyg {certificate}"),
    "corrections_decision": N_("Beslut: brister att åtgärda, med besiktningsprotokoll (besiktning {round})"),
    "rejection": N_("Beslut: ansökan avslagen"),
    "revocation": N_("Beslut: intyget återkallat"),
}

DIRECTIONS: Mapping[str, str] = {
    Direction.incoming: N_("Inkommande"),
    Direction.outgoing: N_("Utgående"),
}

MARKINGS: Mapping[str, str] = {
    SECURITY_SECRECY: N_("Kan omfattas av sekretess (18 kap. 8 § OSL)"),
}


def description(kind: str, detail: Mapping[str, Any]) -> str:
    return _(DESCRIPTIONS[kind]).format(
        evidence_id=detail.get("evidence_id", ""),
        round=detail.get("round", ""),
        certificate=detail.get("certificate", ""),
    )


def direction_label(direction: str) -> str:
    return _(DIRECTIONS[direction])


def secrecy_marking(code: str) -> str:
    return _(MARKINGS[code]) if code else ""


def title_of_columns() -> list[str | int | float | None]:
    return [
        _("Datum"),
        _("Diarienummer"),
        _("Riktning"),
        _("Avsändare eller mottagare"),
        _("Beskrivning"),
        _("Sekretess"),
    ]
