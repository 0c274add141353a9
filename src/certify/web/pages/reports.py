"""The kommun's report page: the same figures as GET /api/reports/status, with bars and downloads."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.params import FromQuery
from litestar.response import Template

from certify.domain.errors import InvalidField
from certify.services import reports
from certify.services.actor import Actor
from certify.services.report_files import MEASURE_LABELS
from certify.web.guards import KOMMUN
from certify.web.pages.render import page


def _date(raw: str | None, field: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidField(field, "date_invalid") from exc


class ReportPages(Controller):
    opt = KOMMUN
    include_in_schema = False

    @get("/kommun/rapporter")
    async def status(
        self,
        request: Request[Actor, Any, Any],
        fran: FromQuery[str | None] = None,
        till: FromQuery[str | None] = None,
        omrade: FromQuery[str | None] = None,
    ) -> Template:
        report = await reports.status_report(
            request.user, period_from=_date(fran, "fran"), period_to=_date(till, "till"), area=omrade or None
        )
        query = {"from": report.period_from.isoformat(), "to": report.period_to.isoformat()}
        if report.area:
            query["area"] = report.area
        return await page(
            request,
            "kommun/reports.html",
            report=report,
            download_query=urlencode(query),
            measure_labels=MEASURE_LABELS,
            area_label=reports.area_label,
            areas=[c.area for c in report.coverage[:-1]],  # the last row is the whole kommun
        )
