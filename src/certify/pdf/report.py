"""The status report as a PDF for the fortnightly meeting: title, date, charts, then every table.

In the language of the moment (the request's), like the CSV and the workbook it shares its tables with.
Left to right only: in Arabic its letters would need the protocol's shaping (pdf/fonts.py)."""

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
from certify.pdf.fonts import BOLD, REGULAR, register_fonts
from certify.pdf.markup import paragraph
from certify.services.report_files import ReportTable, subtitle_of, tables, title_of
from certify.services.reports import TOTAL, StatusReport, area_label
from certify.text import catalogue
from certify.text.catalogue import _

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


def _wrapped(label: str) -> str:
    """The label on one line if it fits the label column, else broken at a space onto two."""
    if stringWidth(label, REGULAR, LABEL_SIZE) <= LABEL_ROOM:
        return label
    words = label.split()
    for cut in range(len(words) - 1, 0, -1):
        if stringWidth(" ".join(words[:cut]), REGULAR, LABEL_SIZE) <= LABEL_ROOM:
            return " ".join(words[:cut]) + "\n" + " ".join(words[cut:])
    return label


def bar_chart(title: str, labels: list[str], values: list[float], unit: str = "%") -> Drawing:
    """Horizontal bars, one per label, with the value written after each bar.

    Labels are shown whole: the label column is as wide as the longest label (long ones wrap), and
    the plot leaves room after the longest bar for its value."""
    shown = [_wrapped(label) for label in labels] or ["–"]
    lines = max(label.count("\n") + 1 for label in shown)
    row_height = 6 + lines * (LABEL_SIZE + 2)
    height = len(shown) * row_height + 40
    label_width = max(
        max(stringWidth(line, REGULAR, LABEL_SIZE) for line in label.split("\n")) for label in shown
    )
    drawing = Drawing(WIDTH, height)
    drawing.add(String(0, height - 12, title, fontName=BOLD, fontSize=10))
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width + 8, 10
    chart.width, chart.height = WIDTH - chart.x - VALUE_ROOM, height - 40
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = shown
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.categoryAxis.labels.leading = LABEL_SIZE + 2
    chart.categoryAxis.labels.textAnchor = "end"  # every line of a wrapped label ends at the axis
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max([100.0, *values]) if unit == "%" else max([1.0, *values])
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = LABEL_SIZE
    chart.valueAxis.labelTextFormat = format_decimal if unit != "%" else (lambda v: format_percent(v, 0))
    chart.bars[0].fillColor = BAR_COLOUR
    chart.barLabelFormat = format_percent if unit == "%" else format_decimal
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = LABEL_SIZE
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def _table(table: ReportTable, cell: ParagraphStyle) -> Table:
    def text(value: object) -> Flowable:
        shown = "" if value is None else (format_decimal(value) if isinstance(value, float) else str(value))
        return paragraph(shown, cell)

    data = [[text(c) for c in table.columns], *[[text(c) for c in row] for row in table.rows]]
    flowable = Table(data, repeatRows=1, hAlign="LEFT")
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
    register_fonts()
    styles = _styles()
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
        paragraph(title_of(report), styles["title"]),
        paragraph(subtitle_of(report), styles["sub"]),
        Spacer(1, 6 * mm),
        bar_chart(
            _("Certifierade butiker per område (%)"),
            [area_label(c.area) for c in areas],
            [c.certified_pct for c in areas],
        ),
        Spacer(1, 4 * mm),
        bar_chart(
            _("Underkända vid första besiktning per punkt (%)"),
            [f"{d.point}. {_(d.title)}" for d in report.deficiencies],
            [d.failed_pct for d in report.deficiencies],
        ),
    ]
    for table in tables(report):
        story += [paragraph(table.title, styles["h2"]), _table(table, styles["cell"])]
    doc.build(story)  # type: ignore[arg-type]
    return out.getvalue()
