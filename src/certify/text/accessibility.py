"""The accessibility statement in words: the compliance levels and the service's known shortcomings,
in the language of the moment (the kommun's own text stays as the kommun wrote it)."""

from __future__ import annotations

from collections.abc import Mapping

from certify.domain.accessibility import Compliance
from certify.text.catalogue import N_, _

COMPLIANCE: Mapping[str, str] = {
    Compliance.full: N_("Tjänsten är helt förenlig med lagkraven."),
    Compliance.partial: N_(
        "Tjänsten är delvis förenlig med lagkraven, på grund av de brister som beskrivs nedan."
    ),
    Compliance.none: N_("Tjänsten är inte förenlig med lagkraven."),
}

COMPLIANCE_CHOICES: Mapping[str, str] = {
    Compliance.full: N_("Helt förenlig"),
    Compliance.partial: N_("Delvis förenlig"),
    Compliance.none: N_("Inte förenlig"),
}

KNOWN_SHORTCOMINGS: Mapping[str, str] = {
    "untagged_pdfs": N_(
        "De PDF-filer som tjänsten skapar (intyg, dekal, besiktningsprotokoll och lägesrapport) är inte "
        "taggade. De kan vara svåra att läsa med skärmläsare. Samma uppgifter finns på webbsidorna."
    ),
    "uploaded_files": N_(
        "Bilder och dokument som butiker laddar upp som bevis granskas inte för tillgänglighet, och "
        "bilderna har ingen textbeskrivning utöver filnamnet och punkten de hör till."
    ),
    "automated_only": N_(
        "Granskningen görs med automatiska verktyg. Sådana verktyg hittar inte alla brister, till "
        "exempel om texter är begripliga eller om ordningen vid tangentbordsnavigering är logisk."
    ),
}


def compliance_text(compliance: str) -> str:
    return _(COMPLIANCE[compliance])


def compliance_choices() -> list[tuple[str, str]]:
    return [(value, _(label)) for value, label in COMPLIANCE_CHOICES.items()]


def known_shortcomings() -> list[str]:
    return [_(text) for text in KNOWN_SHORTCOMINGS.values()]
