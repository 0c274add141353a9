"""Swedish organisationsnummer: 10 digits, the last a Luhn check digit."""

from __future__ import annotations

import re

from certify.domain.errors import InvalidField

_SHAPE = re.compile(r"^([0-9]{6})-?([0-9]{4})$")  # ASCII digits only (certify.domain.numerals)


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check used by Swedish personal and organisation numbers."""
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def normalise_org_number(raw: str, field: str = "org_number") -> str:
    """Accept NNNNNN-NNNN or NNNNNNNNNN; return the 10 digits or name the field."""
    match = _SHAPE.match(raw.strip())
    if match is None:
        raise InvalidField(field, "org_number_invalid")
    digits = match.group(1) + match.group(2)
    if not luhn_valid(digits):
        raise InvalidField(field, "org_number_check_digit")
    return digits


def format_org_number(digits: str) -> str:
    return f"{digits[:6]}-{digits[6:]}"


def with_check_digit(first_nine: str) -> str:
    """Complete nine digits with their Luhn check digit (for demo and test data)."""
    for check in "0123456789":
        if luhn_valid(first_nine + check):
            return first_nine + check
    raise ValueError(first_nine)
