"""certify.domain.numerals: the one reading of a number a person or an address wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from certify.domain.numerals import ascii_int


@pytest.mark.parametrize(("raw", "number"), [("0", 0), ("7", 7), ("0042", 42), ("123456789", 123456789)])
def test_ascii_digits_are_read(raw: str, number: int) -> None:
    assert ascii_int(raw) == number


@pytest.mark.parametrize("raw", ["", "²", "٣", "３", "+1", "-1", " 1", "1 ", "1_0", "1.0", "1234567890"])
def test_anything_else_is_no_number(raw: str) -> None:
    assert ascii_int(raw) is None


def test_the_digit_limit_is_the_callers() -> None:
    assert ascii_int("123456", max_digits=6) == 123456
    assert ascii_int("1234567", max_digits=6) is None


def test_no_code_reads_a_number_with_isdigit_alone() -> None:
    """`"²".isdigit()` is true and `int("²")` raises: every number goes through numerals (a chain
    form once answered 500 this way)."""
    source = Path(__file__).resolve().parents[2] / "src" / "certify"
    found = [
        f"{path.relative_to(source)}:{number}"
        for path in source.rglob("*.py")
        if path.name != "numerals.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ".isdigit()" in line and "isascii()" not in line
    ]
    assert found == []
