"""The kommun's status report as JSON and as CSV, XLSX and PDF downloads (own kommun only)."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.params import QueryParameter

from certify.pdf.report import render_report
from certify.services import report_files, reports
from certify.services.actor import Actor
from certify.services.reports import StatusReport
from certify.web import downloads
from certify.web.guards import KOMMUN

From = Annotated[date | None, QueryParameter(name="from", description="First day (default: 14 days ago)")]
To = Annotated[date | None, QueryParameter(name="to", description="Last day, inclusive (default: today)")]
Area = Annotated[str | None, QueryParameter(name="area", description="Only this area")]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _report(
    request: Request[Actor, Any, Any], start: date | None, end: date | None, area: str | None
) -> StatusReport:
    return await reports.status_report(request.user, period_from=start, period_to=end, area=area)


def _download(content: bytes, media_type: str, report: StatusReport, suffix: str) -> Response[bytes]:
    name = f"lagesrapport-{report.kommun_code}-{report.period_to.isoformat()}.{suffix}"
    return downloads.file_response(content, media_type, name, cache="private, no-store")


class ReportsController(Controller):
    path = "/api/reports"
    tags = ["reports"]
    opt = KOMMUN

    @get("/status", summary="Coverage, pipeline, deficiencies and the period's changes (kommun only)")
    async def status(
        self, request: Request[Actor, Any, Any], start: From = None, end: To = None, area: Area = None
    ) -> StatusReport:
        return await _report(request, start, end, area)

    @get(
        "/status.csv", media_type="text/csv", summary="The status report as CSV (semicolon-separated, UTF-8)"
    )
    async def status_csv(
        self, request: Request[Actor, Any, Any], start: From = None, end: To = None, area: Area = None
    ) -> Response[bytes]:
        report = await _report(request, start, end, area)
        return _download(report_files.to_csv(report), "text/csv", report, "csv")

    @get("/status.xlsx", media_type=XLSX, summary="The status report as a workbook, one sheet per table")
    async def status_xlsx(
        self, request: Request[Actor, Any, Any], start: From = None, end: To = None, area: Area = None
    ) -> Response[bytes]:
        report = await _report(request, start, end, area)
        return _download(await asyncio.to_thread(report_files.to_xlsx, report), XLSX, report, "xlsx")

    @get(
        "/status.pdf",
        media_type="application/pdf",
        summary="The status report as a PDF with charts, dated and titled for the kommun",
    )
    async def status_pdf(
        self, request: Request[Actor, Any, Any], start: From = None, end: To = None, area: Area = None
    ) -> Response[bytes]:
        report = await _report(request, start, end, area)
        return _download(await asyncio.to_thread(render_report, report), "application/pdf", report, "pdf")
