"""The one CSV/XLSX writer: no text cell a shop owner typed can become a formula in a spreadsheet."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from certify.services.spreadsheets import Sheet, csv_bytes, xlsx_bytes

HOSTILE = [
    '=HYPERLINK("http://angripare.example/","Klicka")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def as_read(value: object) -> object:
    """XML hands a carriage return back as a line feed; the cell is the same text."""
    return value.replace("\n", "\r") if isinstance(value, str) else value


@pytest.mark.parametrize("text", HOSTILE)
def test_a_csv_text_cell_starting_a_formula_gets_a_quote(text: str) -> None:
    content = csv_bytes([["Område", "Butiker"], [text, 3], ["Centrum", 2.5]])
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows == [["Område", "Butiker"], ["'" + text, "3"], ["Centrum", "2,5"]]


@pytest.mark.parametrize("text", HOSTILE)
def test_an_xlsx_text_cell_is_a_string_never_a_formula(text: str) -> None:
    content = xlsx_bytes([Sheet("Täckning", [["Område", "Butiker"], [text, 3]])], title="Rapport")
    cell, number = load_workbook(io.BytesIO(content))["Täckning"][2]
    assert (as_read(cell.value), cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert (number.value, number.data_type) == (3, "n")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml


def test_ordinary_text_and_numbers_are_left_alone() -> None:
    content = csv_bytes([["Åkes Järn & Färg", "O'Learys", 'Säg "hej"; då', None, -4]])
    (row,) = csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
    assert row == ["Åkes Järn & Färg", "O'Learys", 'Säg "hej"; då', "", "-4"]
