"""Organisationsnummer: shape and Luhn check digit."""

from __future__ import annotations

import pytest

from certify.domain.errors import InvalidField
from certify.domain.org_number import format_org_number, normalise_org_number, with_check_digit


@pytest.mark.parametrize("raw", ["556036-0793", "5560360793", " 556036-0793 "])
def test_accepted_forms_are_stored_as_ten_digits(raw: str) -> None:
    assert normalise_org_number(raw) == "5560360793"
    assert format_org_number("5560360793") == "556036-0793"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("556036-0794", "org_number_check_digit"),
        ("55603607", "org_number_invalid"),
        ("556036-07933", "org_number_invalid"),
        ("55603A-0793", "org_number_invalid"),
        ("", "org_number_invalid"),
    ],
)
def test_wrong_numbers_name_the_field_and_the_reason(raw: str, code: str) -> None:
    with pytest.raises(InvalidField) as refused:
        normalise_org_number(raw)
    assert refused.value.field == "org_number" and refused.value.code == code


def test_check_digit_completion_agrees_with_the_check() -> None:
    assert with_check_digit("556036079") == "5560360793"
