"""A certificate's number, PREFIX-YEAR-SERIAL (BLG-2026-00017): the one place that knows its shape.

Numbers are printed on the certificate and the decal and typed back by hand on the public check,
often on a phone that turns "-" into a typographic dash; those are read as the hyphen they mean.
"""

from __future__ import annotations

import re

from certify.domain.errors import InvalidField

EXAMPLE = "BLG-2026-00017"
PREFIX = re.compile(r"[A-Z0-9]{1,5}")
_NUMBER = re.compile(r"[A-Z0-9]{1,5}-[0-9]{4}-[0-9]{5,9}")
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))


def compose(prefix: str, year: int, serial: int) -> str:
    return f"{prefix}-{year}-{serial:05d}"


def normalise_certificate_number(raw: str, field: str = "number") -> str:
    """The number as stored (upper case, ASCII hyphens, no spaces), or InvalidField naming `field`."""
    text = "".join(raw.split()).translate(_DASHES).upper()
    if not text:
        raise InvalidField(field, "field_empty")
    if not _NUMBER.fullmatch(text):
        raise InvalidField(field, "certificate_number_invalid", example=EXAMPLE)
    return text


def normalise_prefix(raw: str) -> str:
    """A kommun's prefix for its certificate numbers: 1–5 ASCII letters or digits."""
    prefix = raw.strip().upper()
    if not PREFIX.fullmatch(prefix):
        raise InvalidField("prefix", "certificate_prefix_invalid")
    return prefix
