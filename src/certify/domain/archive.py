"""Which cases go to the kommun's e-archive, and what their packages are called.

A case is delivered once it is closed (domain/status.py CLOSED_STATES: decided or ended — certified,
rejected, withdrawn, expired, revoked) and registered (it has a diarienummer, so it came in to the
kommun). Its package is a ZIP named by the diarienummer, made safe for any file system:
`KS 2026/00042` → `KS-2026-00042.zip`.
"""

from __future__ import annotations

import re
import unicodedata

from certify.domain.status import CLOSED_STATES

NOT_SAFE = re.compile(r"[^A-Za-z0-9._]+")


def is_closed(state: str) -> bool:
    """Decided or ended: nothing more happens in the case, so the archive may take it."""
    return state in CLOSED_STATES


def package_id(diarienummer: str) -> str:
    """The diarienummer with every run of characters a file name cannot carry made one hyphen
    (letters lose their accents: Ä → A)."""
    plain = unicodedata.normalize("NFKD", diarienummer).encode("ascii", "ignore").decode("ascii")
    return NOT_SAFE.sub("-", plain).strip("-.") or "arende"


def package_name(diarienummer: str) -> str:
    return package_id(diarienummer) + ".zip"
