"""A case's diarienummer: the number the kommun registers it under when it receives it.

Each kommun writes its numbers in its own way ("KS {year}/{seq}" gives "KS 2026/00042"); the
sequence runs per kommun and calendar year. A kommun that numbers its cases in its own case system
types that number in instead. This module knows the shapes; services/diarium.py hands numbers out.
"""

from __future__ import annotations

import string
import unicodedata

from certify.domain.errors import InvalidField

DEFAULT_FORMAT = "{year}/{seq}"
EXAMPLE_FORMAT = "KS {year}/{seq}"
FORMAT_MAX = 40
NUMBER_MAX = 50
SEQUENCE_DIGITS = 5
_PLACEHOLDERS = frozenset({"year", "seq"})


def _printable(text: str) -> bool:
    return all(unicodedata.category(c)[0] != "C" for c in text)


def normalise_format(raw: str) -> str:
    """A kommun's format: `{seq}` once, `{year}` at most once, other text as it stands."""
    text = raw.strip()
    if not text:
        return DEFAULT_FORMAT
    if len(text) > FORMAT_MAX or not _printable(text):
        raise InvalidField("diarienummer_format", "diarienummer_format_invalid", example=EXAMPLE_FORMAT)
    names: list[str] = []
    try:
        for _literal, name, spec, conversion in string.Formatter().parse(text):
            if name is None:
                continue
            if name not in _PLACEHOLDERS or spec or conversion:
                raise ValueError(name)
            names.append(name)
    except ValueError:
        raise InvalidField(
            "diarienummer_format", "diarienummer_format_invalid", example=EXAMPLE_FORMAT
        ) from None
    if names.count("seq") != 1 or names.count("year") > 1:
        raise InvalidField("diarienummer_format", "diarienummer_format_invalid", example=EXAMPLE_FORMAT)
    return text


def compose(number_format: str, year: int, sequence: int) -> str:
    """The number in the kommun's format: KS {year}/{seq}, 2026, 42 → KS 2026/00042."""
    return (number_format or DEFAULT_FORMAT).format(year=year, seq=f"{sequence:0{SEQUENCE_DIGITS}d}")


def normalise_typed(raw: str) -> str:
    """A number typed from the kommun's own case system: as written, spaces tidied, not empty."""
    text = " ".join(raw.split())
    if not text:
        raise InvalidField("diarienummer", "field_empty")
    if len(text) > NUMBER_MAX or not _printable(text):
        raise InvalidField("diarienummer", "diarienummer_invalid", longest=NUMBER_MAX)
    return text
