"""The certificate number's one format: as issued, and as typed back by hand."""

from __future__ import annotations

import pytest

from certify.domain.certificate_number import compose, normalise_certificate_number, normalise_prefix
from certify.domain.errors import InvalidField


def test_numbers_are_composed_with_a_five_digit_serial() -> None:
    assert compose("BLG", 2026, 17) == "BLG-2026-00017"


@pytest.mark.parametrize(
    "typed",
    [
        "BLG-2026-00017",
        "blg-2026-00017",
        " BLG - 2026 - 00017 ",
        "BLG\u20132026\u201400017",
        "BLG\u22122026-00017",
    ],
)
def test_typed_numbers_are_read_as_printed(typed: str) -> None:
    assert normalise_certificate_number(typed) == "BLG-2026-00017"


@pytest.mark.parametrize(
    "typed",
    ["", "BLG", "BLG-26-00017", "BLG-2026-17", "BLÖ-2026-00017", "BLG_2026_00017", "SE-2081-0000-9999"],
)
def test_anything_else_names_the_field(typed: str) -> None:
    with pytest.raises(InvalidField) as refused:
        normalise_certificate_number(typed, field="nummer")
    assert refused.value.field == "nummer"


def test_a_kommun_prefix_is_ascii() -> None:
    assert normalise_prefix(" blg ") == "BLG"
    for bad in ("", "BÖR", "TOOLONG", "B-G"):
        with pytest.raises(InvalidField):
            normalise_prefix(bad)
