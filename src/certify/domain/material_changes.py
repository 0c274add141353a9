"""Reported material changes (väsentlig förändring): what the owner of a certified shop may report
and what the kommun may decide about it (pure; services/material_changes.py stores it).

The programme asks a shop to contact the inspector again after a change that may affect its
security level. The kommun either notes the change (it stays on the certificate's history) or
requires a re-inspection: a linked case on the current checklist, prefilled from the answers the
certificate was given on. While that case runs the certificate stays valid; its rejection revokes
the certificate, its approval issues a new certificate that replaces the old one from that day.
"""

from __future__ import annotations

from enum import StrEnum

from certify.text.catalogue import N_


class ChangeKind(StrEnum):
    premises = "premises"  # new premises
    counter = "counter"  # rebuilt counter or counting room
    till = "till"  # new till or cash system
    alarm = "alarm"  # alarm removed or changed
    owner = "owner"  # new owner
    other = "other"


KIND_LABELS: dict[str, str] = {
    ChangeKind.premises: N_("Nya lokaler"),
    ChangeKind.counter: N_("Ombyggd kassadisk eller uppräkningsrum"),
    ChangeKind.till: N_("Nytt kassasystem eller ny kontanthantering"),
    ChangeKind.alarm: N_("Larm borttaget eller ändrat"),
    ChangeKind.owner: N_("Ny ägare"),
    ChangeKind.other: N_("Annan förändring"),
}
"""Each kind in words (N_: translated where shown)."""


class ChangeState(StrEnum):
    reported = "reported"  # waiting for the kommun
    noted = "noted"  # the kommun noted it: recorded on the certificate's history
    reinspection = "reinspection"  # the kommun required a re-inspection (the linked case)


class Decision(StrEnum):
    note = "note"
    reinspect = "reinspect"


DECIDED_STATE: dict[Decision, ChangeState] = {
    Decision.note: ChangeState.noted,
    Decision.reinspect: ChangeState.reinspection,
}

DESCRIPTION_MAX = 4000
"""The longest description kept (a few paragraphs)."""

MAX_FILES = 10
"""Files per reported change."""
