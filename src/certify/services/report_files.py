"""The status report as tables, and those tables as CSV and XLSX (pure: report in, bytes out).

One list of tables feeds every format, so the CSV, the workbook and the PDF carry the same numbers.
Every title, column and label is worded in the language of the moment (the request's), states by the
one vocabulary, dates by certify.formatting; the numbers and the kommun's own names stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from certify.formatting import format_date, format_datetime
from certify.services import spreadsheets
from certify.services.reports import TOTAL, StatusReport, area_label
from certify.services.spreadsheets import Cell, Sheet
from certify.text.catalogue import N_, _
from certify.text.vocabulary import chain_state_label, state_label

MEASURE_LABELS = {  # message ids: shown through _() (the reports page too)
    "submission_to_decision": N_("Ansökan till beslut"),
    "submission_to_first_visit": N_("Ansökan till första besök"),
}


@dataclass(frozen=True, slots=True)
class ReportTable:
    title: str  # also the sheet name (spreadsheets.xlsx_bytes makes it one Excel accepts)
    columns: list[str]
    rows: list[list[Cell]]


def title_of(report: StatusReport) -> str:
    if report.area:
        return _("Skydd mot rån i handeln – lägesrapport {kommun}, {area}").format(
            kommun=report.kommun_name, area=area_label(report.area)
        )
    return _("Skydd mot rån i handeln – lägesrapport {kommun}").format(kommun=report.kommun_name)


def subtitle_of(report: StatusReport) -> str:
    return _("Period {start} – {end}; framtagen {moment}").format(
        start=format_date(report.period_from),
        end=format_date(report.period_to),
        moment=format_datetime(report.generated_at),
    )


def tables(report: StatusReport) -> list[ReportTable]:
    lead = [[_(MEASURE_LABELS[t.measure]), t.cases, t.median_days, t.p90_days] for t in report.lead_times]
    changes = report.changes
    area, state, cases, measure, count = _("Område"), _("Status"), _("Ärenden"), _("Mått"), _("Antal")
    inspections, failed, failed_pct = _("Besiktningar"), _("Underkända"), _("Underkända %")
    return [
        ReportTable(
            _("Täckning"),
            [
                area,
                _("Butiker"),
                _("Inbjudna"),
                _("Registrerade"),
                _("Har ansökt"),
                _("Certifierade"),
                _("Ansökt %"),
                _("Certifierade %"),
            ],
            [
                [
                    area_label(c.area),
                    c.businesses,
                    c.invited,
                    c.signed_up,
                    c.applied,
                    c.certified,
                    c.applied_pct,
                    c.certified_pct,
                ]
                for c in report.coverage
            ],
        ),
        ReportTable(
            _("Ärenden per status"),
            [state, cases],
            [[state_label(s.state), s.cases] for s in report.cases_by_state],
        ),
        ReportTable(
            _("Ärenden per område"),
            [area, state, cases],
            [[area_label(s.group), state_label(s.state), s.cases] for s in report.cases_by_area],
        ),
        ReportTable(
            _("Ärenden per besiktningsperson"),
            [_("Besiktningsperson"), state, cases],
            [[s.group, state_label(s.state), s.cases] for s in report.cases_by_inspector],
        ),
        ReportTable(
            _("Att bevaka"),
            [measure, count],
            [
                [_("Åtgärdsfrister som passerats"), report.corrections_overdue],
                [_("Intyg som går ut inom 30 dagar"), report.expiring_30_days],
                [_("Intyg som går ut inom 90 dagar"), report.expiring_90_days],
            ],
        ),
        ReportTable(_("Ledtider (dagar)"), [measure, cases, _("Median"), _("90:e percentil")], lead),
        ReportTable(
            _("Brister vid första besiktning"),
            [_("Punkt"), _("Rubrik"), inspections, failed, failed_pct],
            [[d.point, _(d.title), d.inspections, d.failed, d.failed_pct] for d in report.deficiencies],
        ),
        ReportTable(
            _("Brister per område"),
            [area, _("Punkt"), inspections, failed, failed_pct],
            [
                [area_label(d.area), d.point, d.inspections, d.failed, d.failed_pct]
                for d in report.deficiencies_by_area
            ],
        ),
        ReportTable(
            _("Kedjor"),
            [_("Kedja"), _("Butiker i kommunen"), _("Certifierade genom kedjan"), _("Öppet kedjeärende")],
            [
                *[
                    _row(c.chain, c.members, c.certified, chain_state_label(c.open_case_state))
                    for c in report.chains
                ],
                _row(
                    _(TOTAL),
                    sum(c.members for c in report.chains),
                    report.chain_certified,
                    "",
                ),
            ],
        ),
        ReportTable(
            _("Förändringar under perioden"),
            [measure, count],
            [
                [_("Nya ansökningar"), changes.new_applications],
                [_("Utfärdade intyg"), changes.certificates_issued],
                [_("Utgångna intyg"), changes.expired],
                [_("Återkallade intyg"), changes.revoked],
                *[
                    _row(_("Underkänd punkt {point}").format(point=p), n)
                    for p, n in changes.failed_points.items()
                ],
            ],
        ),
    ]


def _row(*cells: Cell) -> list[Cell]:
    return list(cells)


def to_csv(report: StatusReport) -> bytes:
    """The title lines, then one block per table: its title, its columns, its rows."""
    rows: list[list[Cell]] = [[title_of(report)], [subtitle_of(report)]]
    for table in tables(report):
        rows += [[], [table.title], list(table.columns), *table.rows]
    return spreadsheets.csv_bytes(rows)


def to_xlsx(report: StatusReport) -> bytes:
    """One sheet per table, a header row first; numbers stay numbers."""
    return spreadsheets.xlsx_bytes(
        (Sheet(table.title, [table.columns, *table.rows]) for table in tables(report)),
        title=title_of(report),
    )
