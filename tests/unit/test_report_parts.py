"""The pure parts behind reports, imports and webhooks: percentiles, CSV habits, signatures, backoff."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, timedelta

import pytest

from certify.domain.errors import InvalidField
from certify.services.delivery import retry_delay
from certify.services.imports import decode, delimiter_of, parse
from certify.services.reports import median, percentile, period
from certify.services.webhooks import signature


def test_median_and_nearest_rank_percentile() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
    assert median(values) == 5.5 and percentile(values, 0.9) == 9.0
    assert median([4.0]) == 4.0 and percentile([4.0], 0.9) == 4.0
    assert median([]) is None and percentile([], 0.9) is None


def test_swedish_csv_habits() -> None:
    assert decode("Åre;Älvdalen".encode("cp1252")) == "Åre;Älvdalen"
    assert decode("\ufeffÅre".encode()) == "Åre"
    assert delimiter_of("namn;adress\nA,B;C") == ";" and delimiter_of("namn,adress") == ","


def test_header_without_required_columns_is_one_clear_error() -> None:
    with pytest.raises(InvalidField) as refused:
        list(parse(b"namn;adress;postnummer;ort\nA;B;78433;C\n"))
    assert refused.value.code == "import_header_incomplete"
    assert refused.value.params == {"missing": "organisationsnummer"}


def test_row_numbers_are_spreadsheet_rows_even_with_quoted_newlines() -> None:
    data = 'namn,organisationsnummer,adress,postnummer,ort\n"Två\nrader",1,G,1,O\n'.encode()
    (row,) = list(parse(data))
    assert row.line == 2, "one record is one spreadsheet row, however many lines it spans"
    assert {e.field for e in row.errors} == {"organisationsnummer", "postnummer"}


def test_signature_is_hmac_sha256_of_the_raw_body() -> None:
    body = b'{"event":"submit"}'
    expected = hmac.new(b"hemlig", body, hashlib.sha256).hexdigest()
    assert signature("hemlig", body) == f"sha256={expected}"


def test_backoff_doubles_up_to_six_hours() -> None:
    assert [retry_delay(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (1, 2, 4)]
    assert retry_delay(20) == timedelta(hours=6)


def test_period_defaults_to_fourteen_days_and_refuses_nonsense() -> None:
    start, end = period(None, date(2026, 11, 25))
    assert (start, end) == (date(2026, 11, 12), date(2026, 11, 25))
    with pytest.raises(InvalidField):
        period(date(2026, 12, 1), date(2026, 11, 1))
    with pytest.raises(InvalidField):
        period(date(1, 1, 1), date(9999, 12, 31))


def test_files_that_are_not_csv_text_are_one_clear_error() -> None:
    with pytest.raises(InvalidField) as not_text:
        parse(b"namn;organisationsnummer\n\x81\x8d")
    assert not_text.value.code == "import_not_text"
    with pytest.raises(InvalidField) as not_csv:
        parse(b"namn;organisationsnummer;adress;postnummer;ort\n" + b"A" * 200_000 + b";1;G;78433;O\n")
    assert not_csv.value.code == "import_not_csv"
