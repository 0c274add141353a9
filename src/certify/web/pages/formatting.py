"""Jinja filters that write dates and sizes the Swedish way (25 november 2026 kl. 14.30)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from certify.services.clock import SWEDEN

MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip


def datum(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(SWEDEN).date()
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def datumtid(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(SWEDEN)
    return f"{datum(local.date())} kl. {local:%H.%M}"


def storlek(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} kB"
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " MB"


FILTERS: dict[str, Any] = {"datum": datum, "datumtid": datumtid, "storlek": storlek}
