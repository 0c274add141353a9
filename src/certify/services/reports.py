"""The kommun's status report: coverage, pipeline, deficiencies and the changes of a period.

Every figure is a grouped SQL query (the same SQL on SQLite and PostgreSQL) that starts from the
kommun's own rows: businesses, applications and certificates each carry the kommun, so the work
grows with the kommun's businesses and cases, not with the rest of the country in the same tables,
and only the groups travel to Python. The exception is "changes": the period's events (and the
period's failed verdicts, when the planner finds that cheaper than the kommun's cases) are read
through their time indexes, so they scale with the whole country's activity in the period (a few
thousand rows), not with the size of its tables. Lead times: median and 90th percentile are
computed in Python from the durations of the cases decided (or visited) within the period, fetched
as two timestamps per case — O(cases in the period), because SQLite has no percentile function.

Scope of each part: coverage, cases per state, overdue corrections, expiring certificates and
deficiencies describe the kommun now (all time); lead times and "changes" describe the period.
"First visit" is the case's booked visit time (Application.visit_at).
"""

from __future__ import annotations

import asyncio
import math
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import msgspec

from certify.database import as_datetime
from certify.domain.chain_workflow import ChainCaseState
from certify.domain.checklist import POINT_COUNT, load_checklist
from certify.domain.errors import InvalidField
from certify.domain.status import CaseState
from certify.services import policy
from certify.services.actor import Actor
from certify.services.clock import SWEDEN, now, today
from certify.services.policy import Capability
from certify.tables import Business, ChainCase, Kommun
from certify.text.catalogue import N_, gettext

DEFAULT_PERIOD_DAYS = 14
NO_AREA = N_("(inget område)")  # the group of shops without an area; worded by area_label
TOTAL = N_("Totalt")  # the coverage row of the whole kommun; worded by area_label
CHAIN_OPEN_STATES = frozenset(
    {
        ChainCaseState.draft,
        ChainCaseState.submitted,
        ChainCaseState.inspecting,
        ChainCaseState.corrections_required,
        ChainCaseState.held,
    }
)
_CONCLUDED_FIRST_ROUND = (
    CaseState.corrections_required,
    CaseState.certified,
    CaseState.rejected,
    CaseState.expired,
    CaseState.revoked,
)


class CoverageRow(msgspec.Struct, kw_only=True):
    area: str
    businesses: int
    invited: int
    signed_up: int
    applied: int
    certified: int
    applied_pct: float
    certified_pct: float


class StateCount(msgspec.Struct, kw_only=True):
    group: str  # the area or the inspector ("" for the kommun total)
    state: str
    cases: int


class LeadTime(msgspec.Struct, kw_only=True):
    measure: str  # "submission_to_decision" or "submission_to_first_visit"
    cases: int
    median_days: float | None
    p90_days: float | None


class PointShare(msgspec.Struct, kw_only=True):
    area: str  # "" for all areas
    point: int
    title: str
    inspections: int
    failed: int
    failed_pct: float


class Changes(msgspec.Struct, kw_only=True):
    new_applications: int
    certificates_issued: int
    expired: int
    revoked: int
    failed_points: dict[str, int]  # point number (as text) -> failed verdicts in the period


class ChainRow(msgspec.Struct, kw_only=True):
    """A chain with member shops in the kommun: counts and names only, nothing of its cases'
    contents (audits, documents, verdicts are security details)."""

    chain: str
    members: int  # member shops in the kommun (in the area, when one is chosen)
    certified: int  # of those, holding a certificate in force through a chain case of the chain
    open_case_state: str | None  # the state of the chain's open chain case in the kommun, if any


class StatusReport(msgspec.Struct, kw_only=True):
    kommun_code: str
    kommun_name: str
    generated_at: datetime
    period_from: date
    period_to: date
    area: str | None
    coverage: list[CoverageRow]
    cases_by_state: list[StateCount]
    cases_by_area: list[StateCount]
    cases_by_inspector: list[StateCount]
    corrections_overdue: int
    expiring_30_days: int
    expiring_90_days: int
    lead_times: list[LeadTime]
    deficiencies: list[PointShare]
    deficiencies_by_area: list[PointShare]
    changes: Changes
    chain_certified: int = 0  # shops holding a certificate in force through a chain case
    chains: list[ChainRow] = []


def period(period_from: date | None, period_to: date | None) -> tuple[date, date]:
    """Both ends inclusive; the default is the last 14 days (the kommun's meeting rhythm)."""
    end = period_to or today()
    start = period_from or end - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    if start > end:
        raise InvalidField("from", "period_reversed")
    if start.year < 2000 or end.year > 2999:
        raise InvalidField("from", "period_out_of_range")
    return start, end


def _instant(day: date) -> datetime:
    """Midnight in Sweden as UTC: stored instants are UTC, so comparisons stay correct on SQLite."""
    return datetime.combine(day, time(0), SWEDEN).astimezone(UTC)


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def percentile(sorted_values: list[float], share: float) -> float | None:
    """Nearest-rank percentile of an ascending list (the median is share=0.5 by the same rule)."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(share * len(sorted_values)))
    return round(sorted_values[rank - 1], 1)


def median(sorted_values: list[float]) -> float | None:
    if not sorted_values:
        return None
    middle = len(sorted_values) // 2
    if len(sorted_values) % 2:
        return round(sorted_values[middle], 1)
    return round((sorted_values[middle - 1] + sorted_values[middle]) / 2, 1)


class _Query:
    """Raw SQL scoped to one kommun and optionally one area; `{}` are Piccolo's placeholders.

    The scope goes through the kommun column of the rows the query starts from (`rows(..., by="a")`
    for applications, "c" for certificates, "b" for businesses), so the database reads only the
    kommun's rows whatever the size of the rest of the country. A query that starts from
    applications or certificates writes <businesses> where the join to the business belongs: it
    is joined only when an area is chosen (a query that groups by area joins it itself), and a
    joined business is scoped by its own kommun too, so the planner reads only the kommun's
    businesses on that side of the join as well.
    """

    def __init__(self, kommun_id: int, area: str | None) -> None:
        self.kommun_id = kommun_id
        self.area = area

    async def rows(self, sql: str, *args: Any, by: str = "b") -> list[dict[str, Any]]:
        """`args` fill the placeholders written before <scope>, which always comes last."""
        if by != "b":
            join = f"JOIN businesses b ON b.id = {by}.business" if self.area is not None else ""
            sql = sql.replace("<businesses>", join)
        scope, scope_args = [f"{by}.kommun = {{}}"], [self.kommun_id]
        if by != "b" and "JOIN businesses b ON" in sql:
            scope.append("b.kommun = {}")
            scope_args.append(self.kommun_id)
        if self.area is not None:
            assert by == "b" or "JOIN businesses b ON" in sql, "an area filter needs the business of each row"
            scope.append("b.area = {}")
            scope_args.append(self.area)
        sql = sql.replace("<scope>", " AND ".join(scope))
        return list(await Business.raw(sql, *args, *scope_args).run())


async def status_report(
    actor: Actor, *, period_from: date | None = None, period_to: date | None = None, area: str | None = None
) -> StatusReport:
    kommun_id = policy.own_kommun(actor, Capability.read_reports)
    kommun = await Kommun.select(Kommun.code, Kommun.name).where(Kommun.id == kommun_id).first().run()
    assert kommun is not None, "a kommun user always belongs to a kommun"
    start, end = period(period_from, period_to)
    q = _Query(kommun_id, area or None)
    on = today()
    since, until = _instant(start), _instant(end + timedelta(days=1))
    # The parts are independent reads: run them side by side (separate pool connections).
    coverage, by_area, by_inspector, overdue = await asyncio.gather(
        _coverage(q, on), _cases_by_area(q), _cases_by_inspector(q), _overdue(q, on)
    )
    expiring, lead_times, deficiencies, changes = await asyncio.gather(
        _expiring(q, on), _lead_times(q, since, until), _deficiencies(q), _changes(q, since, until)
    )
    chain_certified, chains = await asyncio.gather(_chain_certified(q, on), _chains(q, on))
    totals: dict[str, int] = {}
    for row in by_area:
        totals[row.state] = totals.get(row.state, 0) + row.cases
    return StatusReport(
        kommun_code=kommun["code"],
        kommun_name=kommun["name"],
        generated_at=now(),
        period_from=start,
        period_to=end,
        area=area or None,
        coverage=coverage,
        cases_by_state=[StateCount(group="", state=s, cases=totals.get(s, 0)) for s in CaseState],
        cases_by_area=by_area,
        cases_by_inspector=by_inspector,
        corrections_overdue=overdue,
        expiring_30_days=expiring[0],
        expiring_90_days=expiring[1],
        lead_times=lead_times,
        deficiencies=[d for d in deficiencies if d.area == ""],
        deficiencies_by_area=[d for d in deficiencies if d.area != ""],
        changes=changes,
        chain_certified=chain_certified,
        chains=chains,
    )


_CHAIN_CERTIFICATES = """
    SELECT c.business FROM certificates c JOIN applications a ON a.id = c.application
    WHERE c.kommun = {} AND a.chain_case IS NOT NULL AND c.revoked_at IS NULL
      AND c.valid_from <= {} AND c.valid_until >= {}
"""
"""The shops holding a certificate in force that a chain case issued (kedjebesiktning)."""


async def _chain_certified(q: _Query, on: date) -> int:
    rows = await q.rows(
        f"SELECT COUNT(*) AS n FROM businesses b WHERE b.id IN ({_CHAIN_CERTIFICATES}) AND <scope>",
        q.kommun_id,
        on,
        on,
    )
    return int(rows[0]["n"] or 0) if rows else 0


async def _chains(q: _Query, on: date) -> list[ChainRow]:
    """Each chain with members in the kommun: how many, how many certified through the chain's own
    chain cases, and the state of its open chain case here."""
    rows = await q.rows(
        f"""
        SELECT ch.id AS chain_id, ch.name AS chain, COUNT(*) AS members,
               SUM(CASE WHEN b.id IN ({_CHAIN_CERTIFICATES}
                                      AND a.chain_case IN (SELECT cc.id FROM chain_cases cc
                                                           WHERE cc.chain = ch.id))
                   THEN 1 ELSE 0 END) AS certified
        FROM chain_members m
        JOIN chains ch ON ch.id = m.chain
        JOIN businesses b ON b.id = m.business
        WHERE <scope>
        GROUP BY ch.id, ch.name
        ORDER BY ch.name, ch.id
        """,
        q.kommun_id,
        on,
        on,
    )
    open_states = {
        r["chain"]: r["state"]
        for r in await ChainCase.select(ChainCase.chain, ChainCase.state)
        .where((ChainCase.kommun == q.kommun_id) & ChainCase.state.is_in(list(CHAIN_OPEN_STATES)))
        .run()
    }
    return [
        ChainRow(
            chain=r["chain"],
            members=int(r["members"] or 0),
            certified=int(r["certified"] or 0),
            open_case_state=open_states.get(r["chain_id"]),
        )
        for r in rows
    ]


async def _coverage(q: _Query, on: date) -> list[CoverageRow]:
    """The kommun's businesses, each looked up in two sets read once through their own kommun
    column: the businesses that have applied and those holding a valid certificate (uncorrelated
    IN subqueries, which both databases build once and probe per business). The cost follows the
    kommun's own rows, not the size of the national tables (measured in benchmarks/report_scale.py)."""
    rows = await q.rows(
        """
        SELECT b.area AS area,
               COUNT(*) AS businesses,
               SUM(CASE WHEN EXISTS (SELECT 1 FROM invitations i WHERE i.business = b.id)
                   THEN 1 ELSE 0 END) AS invited,
               COUNT(b.owner) AS signed_up,
               SUM(CASE WHEN b.id IN (SELECT a.business FROM applications a
                                      WHERE a.kommun = {} AND a.submitted_at IS NOT NULL)
                   THEN 1 ELSE 0 END) AS applied,
               SUM(CASE WHEN b.id IN (SELECT c.business FROM certificates c
                                      WHERE c.kommun = {} AND c.revoked_at IS NULL
                                        AND c.valid_from <= {} AND c.valid_until >= {})
                   THEN 1 ELSE 0 END) AS certified
        FROM businesses b
        WHERE <scope>
        GROUP BY b.area
        ORDER BY b.area
        """,
        q.kommun_id,
        q.kommun_id,
        on,
        on,
    )
    result = [_coverage_row(r["area"] or NO_AREA, r) for r in rows]
    keys = ("businesses", "invited", "signed_up", "applied", "certified")
    total = {k: sum(int(r[k] or 0) for r in rows) for k in keys}
    return [*result, _coverage_row(TOTAL, total)]


def _coverage_row(area: str, r: dict[str, Any]) -> CoverageRow:
    businesses = int(r["businesses"] or 0)
    applied, certified = int(r["applied"] or 0), int(r["certified"] or 0)
    return CoverageRow(
        area=area,
        businesses=businesses,
        invited=int(r["invited"] or 0),
        signed_up=int(r["signed_up"] or 0),
        applied=applied,
        certified=certified,
        applied_pct=_pct(applied, businesses),
        certified_pct=_pct(certified, businesses),
    )


async def _cases_by_area(q: _Query) -> list[StateCount]:
    rows = await q.rows(
        """
        SELECT b.area AS area, a.state AS state, COUNT(*) AS cases
        FROM applications a JOIN businesses b ON b.id = a.business
        WHERE <scope>
        GROUP BY b.area, a.state
        ORDER BY b.area, a.state
        """,
        by="a",
    )
    return [StateCount(group=r["area"] or NO_AREA, state=r["state"], cases=int(r["cases"])) for r in rows]


async def _cases_by_inspector(q: _Query) -> list[StateCount]:
    rows = await q.rows(
        """
        SELECT u.name AS inspector, a.state AS state, COUNT(*) AS cases
        FROM applications a <businesses> JOIN users u ON u.id = a.inspector
        WHERE <scope>
        GROUP BY u.id, u.name, a.state
        ORDER BY u.name, a.state
        """,
        by="a",
    )
    return [StateCount(group=r["inspector"], state=r["state"], cases=int(r["cases"])) for r in rows]


async def _overdue(q: _Query, on: date) -> int:
    rows = await q.rows(
        """
        SELECT COUNT(*) AS n FROM applications a <businesses>
        WHERE a.state = {} AND a.deadline < {} AND <scope>
        """,
        CaseState.corrections_required.value,
        on,
        by="a",
    )
    return int(rows[0]["n"])


async def _expiring(q: _Query, on: date) -> tuple[int, int]:
    rows = await q.rows(
        """
        SELECT SUM(CASE WHEN c.valid_until <= {} THEN 1 ELSE 0 END) AS within_30, COUNT(*) AS within_90
        FROM certificates c <businesses>
        WHERE c.revoked_at IS NULL AND c.replaced_by = '' AND c.valid_until >= {} AND c.valid_until <= {}
          AND <scope>
        """,
        on + timedelta(days=30),
        on,
        on + timedelta(days=90),
        by="c",
    )
    return int(rows[0]["within_30"] or 0), int(rows[0]["within_90"] or 0)


def _days(start: Any, end: Any) -> float:
    return (as_datetime(end) - as_datetime(start)).total_seconds() / 86400


async def _lead_times(q: _Query, start: datetime, end: datetime) -> list[LeadTime]:
    result = []
    measures = (("submission_to_decision", "decided_at"), ("submission_to_first_visit", "visit_at"))
    for measure, column in measures:
        rows = await q.rows(
            f"""
            SELECT a.submitted_at AS started, a.{column} AS ended
            FROM applications a <businesses>
            WHERE a.submitted_at IS NOT NULL AND a.{column} >= {{}} AND a.{column} < {{}} AND <scope>
            """,
            start,
            end,
            by="a",
        )
        durations = sorted(_days(r["started"], r["ended"]) for r in rows)
        result.append(
            LeadTime(
                measure=measure,
                cases=len(durations),
                median_days=median(durations),
                p90_days=percentile(durations, 0.9),
            )
        )
    return result


async def _deficiencies(q: _Query) -> list[PointShare]:
    """Share of concluded first inspections (round 1) in which each of the programme's 13 points
    failed (a kommun's local points, numbered from 14, are its own and not compared here).

    The denominator counts cases whose first inspection ended (corrections asked, or decided; every
    such step requires the inspector's verdicts); the numerator goes from each of the kommun's
    concluded cases to its failed round-1 verdicts through the partial index of failed verdicts
    (application, round, point), never reading the far larger set of passed ones. The CROSS JOIN
    keeps SQLite (which plans without statistics) from starting at every failed verdict in the
    country instead; PostgreSQL treats it as a plain inner join and orders it by cost.
    """
    concluded = (
        "(a.round > 1 OR a.state IN (" + ", ".join(f"'{s.value}'" for s in _CONCLUDED_FIRST_ROUND) + "))"
    )
    inspections = await q.rows(
        f"""
        SELECT b.area AS area, COUNT(*) AS n
        FROM applications a JOIN businesses b ON b.id = a.business
        WHERE {concluded} AND <scope>
        GROUP BY b.area
        """,
        by="a",
    )
    failures = await q.rows(
        f"""
        SELECT b.area AS area, v.point AS point, COUNT(*) AS n
        FROM applications a JOIN businesses b ON b.id = a.business CROSS JOIN verdicts v
        WHERE v.application = a.id AND v.round = 1 AND v.verdict = 'fail' AND {concluded} AND <scope>
        GROUP BY b.area, v.point
        """,
        by="a",
    )
    titles = {p.number: p.title_sv for p in load_checklist().points}
    per_area = {r["area"]: int(r["n"]) for r in inspections}
    failed = {(r["area"], r["point"]): int(r["n"]) for r in failures}
    total = sum(per_area.values())
    result = []
    for point in range(1, POINT_COUNT + 1):
        n = sum(v for (_, p), v in failed.items() if p == point)
        result.append(
            PointShare(
                area="",
                point=point,
                title=titles[point],
                inspections=total,
                failed=n,
                failed_pct=_pct(n, total),
            )
        )
    for area, judged in sorted(per_area.items()):
        for point in range(1, POINT_COUNT + 1):
            n = failed.get((area, point), 0)
            result.append(
                PointShare(
                    area=area or NO_AREA,
                    point=point,
                    title=titles[point],
                    inspections=judged,
                    failed=n,
                    failed_pct=_pct(n, judged),
                )
            )
    return result


async def _changes(q: _Query, start: datetime, end: datetime) -> Changes:
    events = await q.rows(
        """
        SELECT e.action AS action, COUNT(*) AS n
        FROM events e JOIN businesses b ON b.id = e.business
        WHERE e.action IN ('submit', 'approve', 'expire', 'revoke', 'reinspection_revoked')
          AND e.at >= {} AND e.at < {} AND <scope>
        GROUP BY e.action
        """,
        start,
        end,
    )
    counts = {r["action"]: int(r["n"]) for r in events}
    failed = await q.rows(
        """
        SELECT v.point AS point, COUNT(*) AS n
        FROM applications a <businesses> JOIN verdicts v ON v.application = a.id
        WHERE v.verdict = 'fail' AND v.point <= {} AND v.updated_at >= {} AND v.updated_at < {} AND <scope>
        GROUP BY v.point
        ORDER BY v.point
        """,
        POINT_COUNT,  # the programme's points: a kommun's local points are not counted here
        start,
        end,
        by="a",
    )
    return Changes(
        new_applications=counts.get("submit", 0),
        certificates_issued=counts.get("approve", 0),
        expired=counts.get("expire", 0),
        # A certificate revoked by the kommun, or by a rejected re-inspection after a reported change.
        revoked=counts.get("revoke", 0) + counts.get("reinspection_revoked", 0),
        failed_points={str(r["point"]): int(r["n"]) for r in failed},
    )


def area_label(area: str) -> str:
    """An area as a reader sees it: the total and "no area" rows in the language of the moment, a
    shop's own area as the kommun wrote it."""
    return gettext(area) if area in (NO_AREA, TOTAL) else area
