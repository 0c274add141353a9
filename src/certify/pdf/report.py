"""The status report as a PDF for the fortnightly meeting: title, date, charts, then every table.

In the language of the moment (the request's), like the CSV and the workbook it shares its tables with;
in Arabic right-aligned, the tables mirrored and the letters shaped (pdf/fonts.py, pdf/markup.py). A
table cell too long for its column is broken by reportlab, which in Arabic puts its lines in the wrong
order; the report's cells are short (names, numbers, point titles)."""

from __future__ import annotations

import io

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, Table, TableStyle

from certify.formatting import format_decimal, format_percent
from certify.pdf.fonts import BOLD, LTR, REGULAR, Script, script_for
from certify.pdf.markup import Setter
from certify.services.report_files import ReportTable, subtitle_of, tables, title_of
from certify.services.reports import TOTAL, StatusReport, area_label
from certify.services.spreadsheets import Cell
from certify.text import catalogue
from certify.text.catalogue import _
from certify.text.languages import language

WIDTH = A4[0] - 40 * mm
BAR_COLOUR = colors.HexColor("#1f5f8b")
LABEL_SIZE = 7
LABEL_ROOM = WIDTH * 0.45  # the category labels' column; longer labels wrap onto a second line
VALUE_ROOM = 40  # right of the plot: the value after a full bar ("100,0 %")


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20, spaceAfter=4),
        "sub": ParagraphStyle("sub", fontName=REGULAR, fontSize=9, leading=12, textColor=colors.grey),
        "h2": ParagraphStyle("h2", fontName=BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4),
        "cell": ParagraphStyle("cell", fontName=REGULAR, fontSize=8, leading=10),
    }


def _wrapped(label: str, script: Script = LTR) -> str:
    """The label on one line if it fits the label column, else broken at a space onto two; each
    line as drawn in the script."""
    font = script.regular
    lines = [label]
    if stringWidth(label, font, LABEL_SIZE) > LABEL_ROOM:
        words = label.split()
        for cut in range(len(words) - 1, 0, -1):
            if stringWidth(" ".join(words[:cut]), font, LABEL_SIZE) <= LABEL_ROOM:
                lines = [" ".join(words[:cut]), " ".join(words[cut:])]
                break
    return "\n".join(script.visual(line) for line in lines)


def bar_chart(
    title: str, labels: list[str], values: list[float], unit: str = "%", script: Script = LTR
) -> Drawing:
    """Horizontal bars, one per label, with the value written after each bar.

    Labels are shown whole: the label column is as wide as the longest label (long ones wrap), and
    the plot leaves room after the longest bar for its value."""
    shown = [_wrapped(label, script) for label in labels] or ["–"]
    lines = max(label.count("\n") + 1 for label in shown)
    row_height = 6 + lines * (LABEL_SIZE + 2)
    height = len(shown) * row_height + 40
    label_width = max(
        max(stringWidth(line, script.regular, LABEL_SIZE) for line in label.split("\n")) for label in shown
    )
    drawing = Drawing(WIDTH, height)
    heading = script.visual(title)
    if script.rtl:
        drawing.add(String(WIDTH, height - 12, heading, fontName=script.bold, fontSize=10, textAnchor="end"))
    else:
        drawing.add(String(0, height - 12, heading, fontName=script.bold, fontSize=10))
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width + 8, 10
    chart.width, chart.height = WIDTH - chart.x - VALUE_ROOM, height - 40
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = shown
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = script.regular
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.categoryAxis.labels.leading = LABEL_SIZE + 2
    chart.categoryAxis.labels.textAnchor = "end"  # every line of a wrapped label ends at the axis
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max([100.0, *values]) if unit == "%" else max([1.0, *values])
    chart.valueAxis.labels.fontName = script.regular
    chart.valueAxis.labels.fontSize = LABEL_SIZE
    chart.valueAxis.labelTextFormat = format_decimal if unit != "%" else (lambda v: format_percent(v, 0))
    chart.bars[0].fillColor = BAR_COLOUR
    chart.barLabelFormat = format_percent if unit == "%" else format_decimal
    chart.barLabels.fontName = script.regular
    chart.barLabels.fontSize = LABEL_SIZE
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def _table(table: ReportTable, setter: Setter) -> Table:
    def text(value: object) -> Flowable:
        shown = "" if value is None else (format_decimal(value) if isinstance(value, float) else str(value))
        return setter(shown, "cell")

    rows: list[list[Cell]] = [list(table.columns), *table.rows]
    data = [setter.row([text(c) for c in row]) for row in rows]
    flowable = Table(data, repeatRows=1, hAlign=setter.table_align)
    flowable.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6eef4")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return flowable


def render_report(report: StatusReport) -> bytes:
    """CPU-bound and synchronous: call it in a thread from async code."""
    script = script_for(language(catalogue.current()).direction)
    setter = Setter(script, _styles())
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title_of(report),
        author=report.kommun_name,
        invariant=1,
        lang=catalogue.current(),
    )
    areas = [c for c in report.coverage if c.area != TOTAL]
    story: list[object] = [
        setter(title_of(report), "title", WIDTH),
        setter(subtitle_of(report), "sub", WIDTH),
        Spacer(1, 6 * mm),
        bar_chart(
            _("Certifierade butiker per område (%)"),
            [area_label(c.area) for c in areas],
            [c.certified_pct for c in areas],
            script=script,
        ),
        Spacer(1, 4 * mm),
        bar_chart(
            _("Underkända vid första besiktning per punkt (%)"),
            [f"{d.point}. {_(d.title)}" for d in report.deficiencies],
            [d.failed_pct for d in report.deficiencies],
            script=script,
        ),
    ]
    for table in tables(report):
        story += [setter(table.title, "h2", WIDTH), _table(table, setter)]
    doc.build(story)  # type: ignore[arg-type]
    return out.getvalue()
