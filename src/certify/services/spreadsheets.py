"""The one writer of every CSV and XLSX file the service hands out (pure: rows in, bytes out).

Shop owners type the text that ends up in these files (names, addresses, areas), and a kommun opens
them in a spreadsheet program. A text cell must therefore never become a formula there (CSV or
formula injection): in CSV a text starting with one of OWASP's trigger characters gets a leading
single quote; in XLSX every text is stored as a string cell, marked as quoted text. Numbers stay
numbers. Quoting is the csv module's job, never ours.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook

from certify.formatting import format_decimal

Cell = str | int | float | None

SHEET_TITLE_LENGTH = 31
_NOT_IN_SHEET_TITLES = re.compile(r"[\[\]:*?/\\]")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""OWASP's list: a cell starting with one of these may be read as a formula by a spreadsheet."""


def as_text(value: str) -> str:
    """The text as a CSV cell no spreadsheet evaluates: a single quote before a trigger character."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format_decimal(value, group=False)  # a decimal comma, no grouping: Excel reads a number
    if isinstance(value, int):
        return str(value)
    return as_text(str(value))


def csv_bytes(rows: Iterable[Sequence[Cell]]) -> bytes:
    """Semicolon-separated UTF-8 with BOM and CRLF line ends: what Swedish Excel opens directly."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows([_csv_cell(c) for c in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


@dataclass(frozen=True, slots=True)
class Sheet:
    title: str  # any text: sheet_title makes it one Excel accepts
    rows: Sequence[Sequence[Cell]]


def sheet_title(title: str) -> str:
    """A sheet name Excel accepts: none of []:*?/\\ (a dash instead), at most 31 characters (a
    translated title may be longer than the Swedish one)."""
    return _NOT_IN_SHEET_TITLES.sub("-", title)[:SHEET_TITLE_LENGTH]


def xlsx_bytes(sheets: Iterable[Sheet], *, title: str) -> bytes:
    """One worksheet per sheet; text cells are strings (never formulas), numbers stay numbers."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet_title(sheet.title))
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = worksheet.cell(row=r, column=c)
                if isinstance(value, str):
                    cell.value = value
                    cell.data_type = "s"  # openpyxl would take a leading "=" as a formula
                    if value.startswith(FORMULA_TRIGGERS):
                        cell.quotePrefix = True  # and stays text when someone edits it
                else:
                    cell.value = value
    workbook.properties.title = title
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
