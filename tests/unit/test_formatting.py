"""Dates, times, numbers and sizes the Swedish way, from the one formatting module."""

from __future__ import annotations

from datetime import UTC, date, datetime

from certify.formatting import (
    format_date,
    format_datetime,
    format_decimal,
    format_file_size,
    format_percent,
    format_timestamp,
    format_weekday_datetime,
    machine_datetime,
)

NBSP = "\N{NO-BREAK SPACE}"


def plain(text: str) -> str:
    """CLDR puts no-break spaces between a number and its unit; compare with ordinary spaces."""
    return text.replace(NBSP, " ").replace("\N{NARROW NO-BREAK SPACE}", " ")


def test_dates_and_times_in_swedish_time_and_words() -> None:
    assert format_date(date(2026, 3, 1)) == "1 mars 2026"
    # 23:30 UTC on 31 December is already New Year's Day in Sweden.
    assert format_date(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "1 januari 2027"
    assert format_datetime(datetime(2026, 7, 1, 12, 5, tzinfo=UTC)) == "1 juli 2026 kl. 14:05"
    assert format_weekday_datetime(datetime(2026, 12, 3, 8, 30, tzinfo=UTC)) == (
        "torsdag 3 december 2026 kl. 09:30"
    )
    assert format_timestamp(datetime(2026, 12, 1, 9, 15, 42, tzinfo=UTC)) == "2026-12-01 10:15"
    assert format_date(None) == "" and format_datetime(None) == ""


def test_another_locale_through_the_same_functions() -> None:
    assert format_date(date(2026, 3, 1), locale="en") == "March 1, 2026"
    assert format_decimal(64.3, locale="en") == "64.3"


def test_decimal_commas_and_percentages() -> None:
    assert format_decimal(64.3) == "64,3"
    assert format_decimal(0) == "0,0"
    assert plain(format_decimal(12345.25, decimals=2)) == "12 345,25"
    assert plain(format_percent(64.3)) == "64,3 %"
    assert plain(format_percent(100)) == "100,0 %"


def test_file_sizes() -> None:
    assert plain(format_file_size(14 * 1024 * 1024 + 300_000)) == "14,3 MB"
    assert plain(format_file_size(2_500_000)) == "2,4 MB"
    assert plain(format_file_size(300)) == "1 kB"


def test_time_element_values_are_whole_seconds_with_an_offset() -> None:
    moment = datetime(2026, 12, 1, 3, 39, 7, 598966, tzinfo=UTC)
    assert machine_datetime(moment) == "2026-12-01T04:39:07+01:00"
