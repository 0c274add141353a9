"""The words for what stops an action (certify.domain.rules.Problem), in the language of the moment.

A problem about points agrees in number with them ("punkt 4 är underkänd", "punkterna 4, 9 är
underkända"); the text is a fragment, so a page can list several or put one after "Kan inte …:".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Final

from certify.domain.rules import Problem
from certify.text.catalogue import _, ngettext


def _points(problem: Problem) -> str:
    return ", ".join(str(p) for p in problem.points)


# Each is marked where it is written (the extractor reads these literal calls).
_TEXTS: Final[dict[str, Callable[[Problem], str]]] = {
    "points_unanswered": lambda p: ngettext(
        "punkt %(points)s är inte besvarad",
        "punkterna %(points)s är inte besvarade",
        len(p.points),
        points=_points(p),
    ),
    "answers_not_confirmed": lambda p: ngettext(
        "svaret på punkt %(points)s kommer från förra ansökan och är inte kontrollerat och sparat",
        "svaren på punkterna %(points)s kommer från förra ansökan och är inte kontrollerade och sparade",
        len(p.points),
        points=_points(p),
    ),
    "points_not_fulfilled": lambda p: ngettext(
        "punkt %(points)s är inte uppfylld",
        "punkterna %(points)s är inte uppfyllda",
        len(p.points),
        points=_points(p),
    ),
    "not_applicable_not_allowed": lambda p: ngettext(
        "punkt %(points)s kan inte vara ej tillämplig (bara kontantpunkter i kontantfri butik)",
        "punkterna %(points)s kan inte vara ej tillämpliga (bara kontantpunkter i kontantfri butik)",
        len(p.points),
        points=_points(p),
    ),
    "not_applicable_without_comment": lambda p: ngettext(
        "punkt %(points)s är ej tillämplig men saknar motivering",
        "punkterna %(points)s är ej tillämpliga men saknar motivering",
        len(p.points),
        points=_points(p),
    ),
    "not_applicable_without_remark": lambda p: ngettext(
        "punkt %(points)s är ej tillämplig men saknar anmärkning",
        "punkterna %(points)s är ej tillämpliga men saknar anmärkning",
        len(p.points),
        points=_points(p),
    ),
    "points_not_judged": lambda p: ngettext(
        "punkt %(points)s saknar bedömning",
        "punkterna %(points)s saknar bedömning",
        len(p.points),
        points=_points(p),
    ),
    "points_failed": lambda p: ngettext(
        "punkt %(points)s är underkänd",
        "punkterna %(points)s är underkända",
        len(p.points),
        points=_points(p),
    ),
    "no_point_failed": lambda p: _("ingen punkt är underkänd"),
    "deadline_missing": lambda p: _("en sista dag för åtgärder (deadline) saknas"),
    "deadline_not_in_future": lambda p: _("sista dag för åtgärder (deadline) måste ligga i framtiden"),
    "visit_time_missing": lambda p: _("tid för besöket (visit_at) saknas"),
    "visit_in_past": lambda p: _("tiden för besöket (visit_at) har redan passerat; välj en senare tid"),
    "inspector_not_found": lambda p: _("besiktningspersonen finns inte"),
    "inspector_inactive": lambda p: _("besiktningspersonen är inaktiverad"),
    "inspector_not_in_kommun": lambda p: _("besiktningspersonen arbetar inte i butikens kommun"),
    "reason_missing": lambda p: _("ett skäl (reason) saknas"),
    "certificate_still_valid": lambda p: _("intyget är fortfarande giltigt"),
    # A chain case's problems (domain/chain_rules.py); the shops are named in extra.shop_names.
    "chain_no_members": lambda p: _("kedjeärendet har inga medlemsbutiker"),
    "member_audit_missing": lambda p: ngettext(
        "kedjans interna revision saknas för %(num)d medlemsbutik",
        "kedjans interna revision saknas för %(num)d medlemsbutiker",
        len(getattr(p, "shops", ())),
    ),
    "central_documentation_missing": lambda p: _("kedjans centrala dokumentation saknas"),
    "nothing_failed": lambda p: _(
        "ingen punkt är underkänd i stickprovet eller i den centrala dokumentationen"
    ),
    "systemic_check_missing": lambda p: ngettext(
        "för punkt %(points)s saknas kedjans besked om samma brist finns i %(num)d medlemsbutik",
        "för punkt %(points)s saknas kedjans besked om samma brist finns i %(num)d medlemsbutiker",
        len(getattr(p, "shops", ())),
        points=_points(p),
    ),
    "no_serious_deficiency": lambda p: _("ingen punkt är markerad som allvarlig brist"),
    "serious_deficiency_open": lambda p: ngettext(
        "för den allvarliga bristen i punkt %(points)s saknas godkänt underlag från %(num)d medlemsbutik",
        "för den allvarliga bristen i punkt %(points)s saknas godkänt underlag från %(num)d medlemsbutiker",
        len(getattr(p, "shops", ())),
        points=_points(p),
    ),
    # What stops the approval of a chain case (chain_rules.approve_problems).
    "no_sample": lambda p: _("inget stickprov är draget"),
    "sample_not_judged": lambda p: ngettext(
        "%(num)d butik i stickprovet är inte färdigbedömd",
        "%(num)d butiker i stickprovet är inte färdigbedömda",
        len(getattr(p, "shops", ())),
    ),
    "central_not_judged": lambda p: ngettext(
        "den centrala punkten %(points)s är inte bedömd",
        "de centrala punkterna %(points)s är inte bedömda",
        len(p.points),
        points=_points(p),
    ),
    "sample_failed": lambda p: ngettext(
        "punkt %(points)s är underkänd i stickprovet",
        "punkterna %(points)s är underkända i stickprovet",
        len(p.points),
        points=_points(p),
    ),
    "central_failed": lambda p: ngettext(
        "den centrala punkten %(points)s är underkänd",
        "de centrala punkterna %(points)s är underkända",
        len(p.points),
        points=_points(p),
    ),
    "sample_not_enlarged": lambda p: _("stickprovet är inte utökat efter bristerna"),
    "member_audit_not_fulfilled": lambda p: ngettext(
        "kedjans interna revision visar brister i %(num)d butik som inte besöktes",
        "kedjans interna revision visar brister i %(num)d butiker som inte besöktes",
        len(getattr(p, "shops", ())),
    ),
}

PROBLEM_CODES: Final = tuple(_TEXTS)


def problem_text(problem: Problem) -> str:
    """One problem in words, starting in lower case (it is a fragment of a sentence)."""
    return _TEXTS[problem.code](problem)


def problem_texts(problems: Iterable[Problem]) -> list[str]:
    return [problem_text(p) for p in problems]
