"""Dates, times, numbers and sizes as a reader expects them: the one place pages, mails and PDFs use.

Babel writes them from CLDR's data for the language of the moment (certify.text; in Swedish:
"1 december 2026", "1 december 2026 kl. 14:30", "64,3 %"); every moment is shown in Swedish time,
whoever reads it.
`machine_datetime` is the exception: the value of an HTML `<time datetime>`, which must be ISO 8601
with at most millisecond precision.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Final

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel import units as babel_units

from certify.services.clock import SWEDEN
from certify.text.catalogue import current_locale

KILOBYTE: Final = 1024
MEGABYTE: Final = 1024 * 1024


def _cldr(locale: str | None) -> str:
    """The locale asked for, else the one of the language of the moment (certify.text)."""
    return locale or current_locale()


def local_time(moment: datetime) -> datetime:
    """The moment in Swedish time (the service's readers are in Sweden); a naive one is UTC."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(SWEDEN)


def format_date(value: date | datetime | None, locale: str | None = None) -> str:
    """A calendar day in words: "1 december 2026" (a moment counts by its Swedish date)."""
    if value is None:
        return ""
    day = local_time(value).date() if isinstance(value, datetime) else value
    return babel_dates.format_date(day, format="long", locale=_cldr(locale))


def format_day_month(value: date, locale: str | None = None) -> str:
    """The day and month without the year, in the locale's order: "1 december"."""
    return babel_dates.format_skeleton("MMMMd", value, locale=_cldr(locale))


def format_time(moment: datetime, locale: str | None = None) -> str:
    """Hours and minutes in Swedish time: "14:30"."""
    return babel_dates.format_time(local_time(moment), format="short", locale=_cldr(locale))


def format_datetime(moment: datetime | None, locale: str | None = None) -> str:
    """A day and a time of day: "1 december 2026 kl. 14:30" (CLDR's date-at-time pattern)."""
    if moment is None:
        return ""
    pattern = Locale.parse(_cldr(locale)).datetime_formats_relative.get("long", "{1} {0}")
    return (
        pattern.replace("'", "")
        .replace("{1}", format_date(moment, locale))
        .replace("{0}", format_time(moment, locale))
    )


def format_weekday_datetime(moment: datetime, locale: str | None = None) -> str:
    """As format_datetime with the weekday first, for appointments: "tisdag 1 december 2026 kl. 14:30"."""
    weekday = babel_dates.format_date(local_time(moment), format="EEEE", locale=_cldr(locale))
    return f"{weekday} {format_datetime(moment, locale)}"


def format_timestamp(moment: datetime, locale: str | None = None) -> str:
    """A compact moment for lists and footers: "2026-12-01 14:30"."""
    return babel_dates.format_datetime(local_time(moment), format="short", locale=_cldr(locale))


def format_decimal(value: float, decimals: int = 1, locale: str | None = None, *, group: bool = True) -> str:
    """A number with a fixed count of decimals and the locale's separators: "64,3", "1 234,0"
    (without `group`: "1234,0", for files a spreadsheet reads back as numbers)."""
    pattern = ("#,##0" if group else "0") + ("." + "0" * decimals if decimals else "")
    return babel_numbers.format_decimal(value, format=pattern, locale=_cldr(locale))


def format_integer(value: int, locale: str | None = None) -> str:
    """A whole number with the locale's grouping: "12 345"."""
    return babel_numbers.format_decimal(value, format="#,##0", locale=_cldr(locale))


def format_percent(value: float, decimals: int = 1, locale: str | None = None) -> str:
    """A percentage given in percent (64.3 → "64,3 %"), with the locale's sign and spacing."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + " %"
    return babel_numbers.format_percent(value / 100, format=pattern, locale=_cldr(locale))


def format_file_size(size: int, locale: str | None = None) -> str:
    """A file's size for people: "310 kB" below a megabyte, else "14,2 MB" or "10 MB" (binary units)."""
    if size < MEGABYTE:
        kilobytes = max(1, round(size / KILOBYTE))
        return babel_units.format_unit(kilobytes, "digital-kilobyte", length="short", locale=_cldr(locale))
    return babel_units.format_unit(
        size / MEGABYTE, "digital-megabyte", length="short", format="#,##0.#", locale=_cldr(locale)
    )


def machine_datetime(moment: datetime) -> str:
    """The value of `<time datetime>`: ISO 8601 to the whole second, in Swedish time with offset."""
    return local_time(moment).replace(microsecond=0).isoformat()
