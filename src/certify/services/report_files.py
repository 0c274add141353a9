"""The status report as tables, and those tables as CSV and XLSX (pure: report in, bytes out).

One list of tables feeds every format, so the CSV, the workbook and the PDF carry the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from certify.formatting import format_date, format_datetime
from certify.services import spreadsheets
from certify.services.reports import StatusReport
from certify.services.spreadsheets import Cell, Sheet
from certify.text.vocabulary import state_label

MEASURE_LABELS = {
    "submission_to_decision": "Ansökan till beslut",
    "submission_to_first_visit": "Ansökan till första besök",
}


@dataclass(frozen=True, slots=True)
class ReportTable:
    title: str  # also the sheet name: at most 31 characters, no []:*?/\
    columns: list[str]
    rows: list[list[Cell]]


def title_of(report: StatusReport) -> str:
    area = f", {report.area}" if report.area else ""
    return f"Skydd mot rån i handeln – lägesrapport {report.kommun_name}{area}"


def subtitle_of(report: StatusReport) -> str:
    return (
        f"Period {format_date(report.period_from)} – {format_date(report.period_to)}; "
        f"framtagen {format_datetime(report.generated_at)}"
    )


def tables(report: StatusReport) -> list[ReportTable]:
    lead = [[MEASURE_LABELS[t.measure], t.cases, t.median_days, t.p90_days] for t in report.lead_times]
    changes = report.changes
    return [
        ReportTable(
            "Täckning",
            [
                "Område",
                "Butiker",
                "Inbjudna",
                "Registrerade",
                "Har ansökt",
                "Certifierade",
                "Ansökt %",
                "Certifierade %",
            ],
            [
                [
                    c.area,
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
            "Ärenden per status",
            ["Status", "Ärenden"],
            [[state_label(s.state), s.cases] for s in report.cases_by_state],
        ),
        ReportTable(
            "Ärenden per område",
            ["Område", "Status", "Ärenden"],
            [[s.group, state_label(s.state), s.cases] for s in report.cases_by_area],
        ),
        ReportTable(
            "Ärenden per besiktningsperson",
            ["Besiktningsperson", "Status", "Ärenden"],
            [[s.group, state_label(s.state), s.cases] for s in report.cases_by_inspector],
        ),
        ReportTable(
            "Att bevaka",
            ["Mått", "Antal"],
            [
                ["Åtgärdsfrister som passerats", report.corrections_overdue],
                ["Intyg som går ut inom 30 dagar", report.expiring_30_days],
                ["Intyg som går ut inom 90 dagar", report.expiring_90_days],
            ],
        ),
        ReportTable("Ledtider (dagar)", ["Mått", "Ärenden", "Median", "90:e percentil"], lead),
        ReportTable(
            "Brister vid första besiktning",
            ["Punkt", "Rubrik", "Besiktningar", "Underkända", "Underkända %"],
            [[d.point, d.title, d.inspections, d.failed, d.failed_pct] for d in report.deficiencies],
        ),
        ReportTable(
            "Brister per område",
            ["Område", "Punkt", "Besiktningar", "Underkända", "Underkända %"],
            [[d.area, d.point, d.inspections, d.failed, d.failed_pct] for d in report.deficiencies_by_area],
        ),
        ReportTable(
            "Förändringar under perioden",
            ["Mått", "Antal"],
            [
                ["Nya ansökningar", changes.new_applications],
                ["Utfärdade intyg", changes.certificates_issued],
                ["Utgångna intyg", changes.expired],
                ["Återkallade intyg", changes.revoked],
                *[_row(f"Underkänd punkt {p}", n) for p, n in changes.failed_points.items()],
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
