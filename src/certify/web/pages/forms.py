"""Reading posted forms and turning the services' field errors into plain words (certify.text)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from certify.domain.errors import InvalidField
from certify.domain.numerals import ascii_int
from certify.domain.status import CriterionMark
from certify.services.accounts import MIN_PASSWORD_LENGTH
from certify.text.catalogue import N_, gettext

FIELD_MESSAGES: Mapping[str, str] = {
    "name": N_("Skriv ett namn."),
    "email": N_("Skriv en e-postadress, till exempel namn@exempel.se."),
    "password": N_("Lösenordet måste ha minst {count} tecken."),
    "org_number": N_("Skriv organisationsnumret med 10 siffror, till exempel 556016-0680."),
    "postal_code": N_("Skriv postnumret med 5 siffror, till exempel 784 33."),
    "street_address": N_("Skriv butikens gatuadress."),
    "city": N_("Skriv orten."),
}
"""Swedish message ids: `message_for` words them in the language of the moment."""
CHECK_DIGIT_MESSAGE = N_(
    "Organisationsnumret stämmer inte: sista siffran (kontrollsiffran) är fel. "
    "Kontrollera att det är rätt skrivet."
)


def message_for(field: str) -> str:
    """What to write in a field that is empty or wrong, in the language of the moment."""
    return gettext(FIELD_MESSAGES[field]).format(count=MIN_PASSWORD_LENGTH)


def field_message(error: InvalidField) -> str:
    """The sentence for a field the services refused, in the reader's language."""
    if error.code == "org_number_check_digit":
        return gettext(CHECK_DIGIT_MESSAGE)
    return message_for(error.field) if error.field in FIELD_MESSAGES else error.message


def collect(errors: dict[str, str], field: str, check: Callable[[], Any]) -> Any:
    """Run one field's check; keep its message so that every wrong field is shown at once."""
    try:
        return check()
    except InvalidField as exc:
        errors[field] = field_message(exc)
        return None


def text(form: Mapping[str, Any], name: str, max_length: int = 4000) -> str:
    value = form.get(name)
    return value.strip()[:max_length] if isinstance(value, str) else ""


CRITERION_FIELD = "kriterium-"  # partials/criteria_choices.html names each criterion's radios so


def criterion_marks(form: Mapping[str, Any]) -> dict[str, CriterionMark]:
    """The marks chosen on a point's criteria (criterion id -> mark); a value that is not a mark is
    left out, as if nothing were chosen."""
    marks: dict[str, CriterionMark] = {}
    for name in form:
        value = text(form, name, 20)
        if name.startswith(CRITERION_FIELD) and value in set(CriterionMark):
            marks[name.removeprefix(CRITERION_FIELD)[:8]] = CriterionMark(value)
    return marks


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: never //host or a full URL (no open redirect after log-in)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return None


def number(form: Mapping[str, Any], name: str) -> int | None:
    """A field holding an id or a count, in ASCII digits (certify.domain.numerals); None otherwise."""
    return ascii_int(text(form, name, 12))


def point_numbers(form: Any, name: str) -> list[int]:
    """The point numbers ticked in a group of checkboxes; anything not a one- or two-digit ASCII
    number is left out, as if not ticked."""
    values = (v for v in form.getall(name, []) if isinstance(v, str))
    return [n for n in (ascii_int(v, 2) for v in values) if n is not None]


def case_version(form: Mapping[str, Any]) -> int | None:
    """The case version a form was rendered with, so a stale page gets 409 instead of acting."""
    return ascii_int(text(form, "version", 12))
