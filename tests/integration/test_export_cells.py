"""Every CSV and XLSX export, fed stored text that starts like a formula (both databases)."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from pypdf import PdfReader

from certify.tables import Business
from tests.conftest import World
from tests.integration.scenario import Scenario, ok
from tests.unit.test_spreadsheets import HOSTILE, as_read


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


async def test_the_open_register_csv_quotes_every_formula_start(world: World, anonymous) -> None:  # type: ignore[no-untyped-def]
    s = await Scenario.create(world)
    await s.to_state("certified")
    for text in HOSTILE:
        # Stored text, however it got there (the API strips a leading tab; an old row may have one).
        await Business.update({Business.area: text}).where(Business.id == s.business_id).run()
        rows = csv_rows((await anonymous.get("/register.csv")).content)
        assert rows[1][rows[0].index("Område")] == "'" + text


async def test_the_status_report_csv_and_xlsx_never_carry_a_formula(world: World) -> None:
    s = await Scenario.create(world)
    shops = [await s.new_shop(area=f"Område {i}") for i in range(len(HOSTILE))]
    for shop, text in zip(shops, HOSTILE, strict=True):
        await Business.update({Business.area: text}).where(Business.id == shop["id"]).run()

    rows = csv_rows(await _download(s, "csv"))
    start = rows.index(["Täckning"]) + 2
    areas = {r[0] for r in rows[start : start + len(HOSTILE) + 2]}
    assert {"'" + text for text in HOSTILE} <= areas

    workbook = load_workbook(io.BytesIO(await _download(s, "xlsx")))
    cells = [row[0] for row in workbook["Täckning"].iter_rows(min_row=2)]
    hostile = [c for c in cells if as_read(c.value) in HOSTILE]
    assert len(hostile) == len(HOSTILE)
    assert all(c.data_type == "s" for c in hostile), [(c.value, c.data_type) for c in hostile]
    assert not any(c.data_type == "f" for sheet in workbook for row in sheet.iter_rows() for c in row)


async def _download(s: Scenario, kind: str) -> bytes:
    response = await s.kommun.get(f"/api/reports/status.{kind}")
    assert response.status_code == 200, response.text
    return response.content


async def test_the_report_pdf_prints_markup_in_an_area_as_text(world: World) -> None:
    s = await Scenario.create(world)
    area = '<img src="/etc/passwd"/> <a href="https://angripare.example/">Klicka</a>'
    await ok(await s.owner.patch(f"/api/businesses/{s.business_id}", json={"area": area}))
    response = await s.kommun.get("/api/reports/status.pdf")
    assert response.status_code == 200, response.text
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert "".join(area.split()) in text
    assert not any("/Annots" in page for page in reader.pages)
