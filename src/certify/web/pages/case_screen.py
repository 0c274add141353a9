"""The case screen's edge, shared by the owner's, the inspector's and the kommun's case pages: the
choices for answers and verdicts (worded by certify.text.vocabulary), reading the visit and deadline
fields, and act-and-refuse (perform a workflow action with the version the page showed; a refusal
comes back in words for the page).

The view model itself is services/case_screen.py; each role's page module composes both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Redirect

from certify.domain.errors import Conflict, InvalidTransition, RuleNotMet
from certify.domain.links import case_path
from certify.domain.status import VerdictValue
from certify.services import cases
from certify.services.actor import Actor
from certify.services.clock import SWEDEN
from certify.services.views import ApplicationView
from certify.text import vocabulary
from certify.text.catalogue import N_, _
from certify.web.guards import ANY_USER
from certify.web.pages import forms
from certify.web.pages.render import see_other

NOT_ANSWERED = N_("Inte besvarad")


def verdict_label(value: str | None) -> str:
    """The vocabulary's word for a verdict ("Ej bedömd" while there is none)."""
    return vocabulary.verdict_label(value)


def answer_label(value: str | None) -> str:
    """The vocabulary's word for the shop's answer, "Inte besvarad" while there is none."""
    return vocabulary.answer_label(value) if value else _(NOT_ANSWERED)


def verdict_choices(point: int, not_applicable: frozenset[int]) -> list[tuple[str, str]]:
    """The verdicts the inspector may give; `not_applicable` is the case screen's
    (services.not_applicable, by the domain rule)."""
    values = [VerdictValue.passed, VerdictValue.failed]
    if point in not_applicable:
        values.append(VerdictValue.not_applicable)
    return [(v.value, vocabulary.verdict_label(v)) for v in values]


def parse_visit(raw: str) -> datetime | None:
    """A datetime-local field ("2026-11-27T10:00") in Swedish time; None when empty or malformed."""
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=SWEDEN)


def visit_value(moment: datetime | None) -> str:
    """The value of a datetime-local field showing a visit time (Swedish time, to the minute)."""
    return moment.astimezone(SWEDEN).strftime("%Y-%m-%dT%H:%M") if moment else ""


def parse_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def refusal(exc: Conflict | RuleNotMet) -> str:
    """The refusal in words; a state conflict names the state the case is in now."""
    if isinstance(exc, InvalidTransition):
        state = vocabulary.state_label(str(exc.extra.get("state", "")))
        return _("Det går inte att göra nu, när ärendet har status {state}. Ladda om sidan.").format(
            state=state.lower()
        )
    return exc.message


@dataclass(frozen=True, slots=True)
class Refused:
    """An action the rules or a concurrent change refused, worded for the page."""

    message: str
    error: RuleNotMet | Conflict


async def act(
    request: Request[Actor, Any, Any], application_id: int, action: str, **fields: Any
) -> ApplicationView | Refused:
    """Perform the action with the version the page showed; a refusal comes back as words."""
    form = await request.form()
    try:
        result = await cases.perform(
            request.user,
            application_id,
            action,
            cases.ActionInput(version=forms.case_version(form), **fields),
        )
    except (RuleNotMet, Conflict) as exc:
        return Refused(refusal(exc), exc)
    assert result is not None  # a person acted, so the updated case comes back
    return result


@get("/arenden/{application_id:int}", opt=ANY_USER, include_in_schema=False)
async def open_case(request: Request[Actor, Any, Any], application_id: FromPath[int]) -> Redirect:
    """A reader-neutral link to a case lands on the reader's own page of it (404 for a case the
    reader may not see); a visitor who is not logged in logs in first and comes back here."""
    case = await cases.view(request.user, application_id)
    return see_other(case_path(request.user.role, case.id, case.business_id))
