"""The accessibility statement's facts that do not depend on the kommun: what DIGG asks a statement
to contain, the standard, how this e-service is assessed, and where to complain."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from certify.domain.errors import InvalidField

STANDARD = "WCAG 2.1 AA"
DIGG_COMPLAINTS_URL = "https://www.digg.se/tdosanmalan"
"""DIGG's form for reporting a lack of accessibility in digital public services."""
INSTALLATION_REVIEWED_ON = date(2026, 12, 1)
"""When the installation's statement (and the known shortcomings below) was last reviewed."""
SHORTCOMINGS_MAX = 4000
CONTACT_MAX = 1000


class Compliance(StrEnum):
    full = "full"  # helt förenlig
    partial = "partial"  # delvis förenlig
    none = "none"  # inte förenlig


def check_statement(
    compliance: str, shortcomings: str, contact: str, reviewed_on: date | None, today: date
) -> Compliance:
    """The kommun's statement as entered, or InvalidField naming the field."""
    if compliance not in Compliance.__members__:
        raise InvalidField("efterlevnad", "compliance_invalid")
    if len(shortcomings) > SHORTCOMINGS_MAX:
        raise InvalidField("brister", "text_too_long", longest=SHORTCOMINGS_MAX)
    if len(contact) > CONTACT_MAX:
        raise InvalidField("kontakt", "text_too_long", longest=CONTACT_MAX)
    if reviewed_on is None:
        raise InvalidField("granskad", "date_invalid")
    if reviewed_on > today:
        raise InvalidField("granskad", "review_in_future")
    return Compliance(compliance)
