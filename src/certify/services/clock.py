"""Time as the kommun sees it: instants in UTC, calendar dates in Swedish time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SWEDEN = ZoneInfo("Europe/Stockholm")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return now().astimezone(SWEDEN).date()


def local_date(instant: datetime) -> date:
    return instant.astimezone(SWEDEN).date()
