"""The retention plan in words: each kind of document, and what destroying it (gallring) removes,
in the language of the moment (the kommun's decision references stay as the kommun wrote them)."""

from __future__ import annotations

from collections.abc import Mapping

from certify.domain.retention import Disposal, RecordKind
from certify.text.catalogue import N_, _

KIND_LABELS: Mapping[RecordKind, str] = {
    RecordKind.case_data: N_("Ärendeuppgifter"),
    RecordKind.self_assessment: N_("Egenkontroller"),
    RecordKind.evidence: N_("Bevis (uppladdade filer)"),
    RecordKind.protocol: N_("Besiktningsprotokoll"),
    RecordKind.certificate: N_("Intyg"),
    RecordKind.email: N_("E-post"),
    RecordKind.audit: N_("Händelselogg"),
}

PURGE_MEANS: Mapping[RecordKind, str] = {
    RecordKind.case_data: N_(
        "Namn i ärendets historik och åtkomstlogg tas bort, och butikens telefon och e-post när inget "
        "annat ärende behöver dem. Ärendets status, datum och diarienummer finns kvar."
    ),
    RecordKind.self_assessment: N_("Butikens svar, kommentarer och markeringar per punkt raderas."),
    RecordKind.evidence: N_("De uppladdade filerna raderas."),
    RecordKind.protocol: N_(
        "Besiktningspersonens bedömningar, anmärkningar och ej uppfyllda kriterier raderas i alla omgångar."
    ),
    RecordKind.certificate: N_(
        "Intygets och dekalens PDF-filer raderas. Intygsnummer, giltighet och butik finns kvar, så att "
        "en dekal fortfarande kan kontrolleras."
    ),
    RecordKind.email: N_("E-postmeddelanden som ärendet skickade raderas."),
    RecordKind.audit: N_("Ärendets händelser och åtkomstloggen för dess filer raderas."),
}

DISPOSAL_CHOICES: Mapping[Disposal, str] = {
    Disposal.keep: N_("Bevaras"),
    Disposal.purge: N_("Gallras"),
}


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[RecordKind(kind)])


def purge_means(kind: str) -> str:
    return _(PURGE_MEANS[RecordKind(kind)])


def disposal_choices() -> list[tuple[str, str]]:
    return [(value.value, _(label)) for value, label in DISPOSAL_CHOICES.items()]
