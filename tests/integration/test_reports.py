"""The kommun's status report against a hand-built data set, and every export carrying the same numbers."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pypdf
from openpyxl import load_workbook

from certify.domain.org_number import with_check_digit
from certify.domain.status import Role
from certify.formatting import format_date
from certify.services.clock import today
from tests.conftest import World
from tests.integration.scenario import Scenario, ok, shop_fields

IMPORT = (
    "namn;organisationsnummer;adress;postnummer;ort;område;e-post\n"
    f"Bullerbageriet;{with_check_digit('556677889')};Bullermyren 1;78456;Borlänge;Bullermyren;"
    "bageri@example.se\n"
    f"Myrens Kiosk;{with_check_digit('559000000')};Bullermyren 2;78456;Borlänge;Bullermyren;\n"
)


async def open_case(s: Scenario, area: str) -> None:
    shop = await s.new_shop(area=area)
    s.business_id = shop["id"]
    s.case_id = (await ok(await s.owner.post(f"/api/businesses/{shop['id']}/applications"), 201))["id"]


async def build(world: World) -> Scenario:
    """Centrum: one certified, one awaiting corrections (point 4 failed).
    Bullermyren: one submitted, one draft, two imported (one invited). Another kommun: one shop."""
    s = await Scenario.create(world)  # shop 1, Centrum
    await s.to_state("certified")
    await open_case(s, "Centrum")
    await s.to_state("corrections_required")
    await open_case(s, "Bullermyren")
    await s.to_state("submitted")
    await open_case(s, "Bullermyren")  # stays a draft
    report = await ok(
        await s.kommun.post("/api/businesses/import", files={"file": ("b.csv", IMPORT.encode())})
    )
    assert report["created"] == 2, report
    shops = await ok(await s.kommun.get("/api/businesses"))
    bakery = next(b for b in shops if b["name"] == "Bullerbageriet")
    await ok(await s.kommun.post(f"/api/businesses/{bakery['id']}/invite"), 201)
    await world.kommun("2080", "Falu kommun")
    await ok(await s.owner.post("/api/businesses", json={**_shop(99), "kommun_code": "2080"}), 201)
    return s


def _shop(index: int) -> dict[str, Any]:
    return shop_fields(index, area="Centrum")


def coverage_of(report: dict[str, Any]) -> dict[str, tuple[int, ...]]:
    return {
        c["area"]: (c["businesses"], c["invited"], c["signed_up"], c["applied"], c["certified"])
        for c in report["coverage"]
    }


async def test_status_report_figures(world: World) -> None:
    s = await build(world)
    until = (date.today() + timedelta(days=7)).isoformat()  # the booked visits lie two days ahead
    report = await ok(await s.kommun.get(f"/api/reports/status?to={until}"))

    assert report["kommun_name"] == "Borlänge kommun"
    assert coverage_of(report) == {
        "Bullermyren": (4, 1, 2, 1, 0),
        "Centrum": (2, 0, 2, 2, 1),
        "Totalt": (6, 1, 4, 3, 1),
    }
    total = report["coverage"][-1]
    assert (total["applied_pct"], total["certified_pct"]) == (50.0, 16.7)

    states = {c["state"]: c["cases"] for c in report["cases_by_state"]}
    assert states == {
        "draft": 1,
        "submitted": 1,
        "scheduled": 0,
        "corrections_required": 1,
        "certified": 1,
        "rejected": 0,
        "withdrawn": 0,
        "expired": 0,
        "revoked": 0,
    }
    by_area = {(c["group"], c["state"]): c["cases"] for c in report["cases_by_area"]}
    assert by_area == {
        ("Bullermyren", "draft"): 1,
        ("Bullermyren", "submitted"): 1,
        ("Centrum", "certified"): 1,
        ("Centrum", "corrections_required"): 1,
    }
    assert {(c["state"], c["cases"]) for c in report["cases_by_inspector"]} == {
        ("certified", 1),
        ("corrections_required", 1),
    }
    assert (report["corrections_overdue"], report["expiring_30_days"], report["expiring_90_days"]) == (
        0,
        0,
        0,
    )

    lead = {t["measure"]: t for t in report["lead_times"]}
    assert (
        lead["submission_to_decision"]["cases"] == 1 and lead["submission_to_decision"]["median_days"] == 0.0
    )
    assert lead["submission_to_first_visit"]["cases"] == 2
    assert lead["submission_to_first_visit"]["median_days"] == 2.0
    assert lead["submission_to_first_visit"]["p90_days"] == 2.0

    points = {d["point"]: (d["inspections"], d["failed"], d["failed_pct"]) for d in report["deficiencies"]}
    assert points[4] == (2, 1, 50.0) and points[1] == (2, 0, 0.0) and len(points) == 13
    assert {(d["area"], d["point"]): d["failed"] for d in report["deficiencies_by_area"] if d["failed"]} == {
        ("Centrum", 4): 1
    }
    assert report["changes"] == {
        "new_applications": 3,
        "certificates_issued": 1,
        "expired": 0,
        "revoked": 0,
        "failed_points": {"4": 1},
    }

    centrum = await ok(await s.kommun.get("/api/reports/status?area=Centrum"))
    assert coverage_of(centrum) == {"Centrum": (2, 0, 2, 2, 1), "Totalt": (2, 0, 2, 2, 1)}
    # Every part follows the area filter (the cases reach their area through the business).
    assert {c["state"]: c["cases"] for c in centrum["cases_by_state"] if c["cases"]} == {
        "certified": 1,
        "corrections_required": 1,
    }
    assert {(c["group"], c["state"]) for c in centrum["cases_by_area"]} == {
        ("Centrum", "certified"),
        ("Centrum", "corrections_required"),
    }
    assert {(c["state"], c["cases"]) for c in centrum["cases_by_inspector"]} == {
        ("certified", 1),
        ("corrections_required", 1),
    }
    centrum_points = {d["point"]: (d["inspections"], d["failed"]) for d in centrum["deficiencies"]}
    assert centrum_points[4] == (2, 1) and centrum_points[1] == (2, 0)
    assert (centrum["changes"]["new_applications"], centrum["changes"]["failed_points"]) == (2, {"4": 1})
    bullermyren = await ok(await s.kommun.get(f"/api/reports/status?area=Bullermyren&to={until}"))
    assert {c["state"]: c["cases"] for c in bullermyren["cases_by_state"] if c["cases"]} == {
        "draft": 1,
        "submitted": 1,
    }
    assert bullermyren["cases_by_inspector"] == [] and bullermyren["changes"]["failed_points"] == {}
    assert {d["inspections"] for d in bullermyren["deficiencies"]} == {0}
    assert [t["cases"] for t in bullermyren["lead_times"]] == [0, 0]
    earlier = await ok(await s.kommun.get("/api/reports/status?from=2020-01-01&to=2020-01-14"))
    assert earlier["changes"]["new_applications"] == 0 and earlier["period_to"] == "2020-01-14"


async def test_exports_carry_the_same_numbers(world: World) -> None:
    s = await build(world)

    response = await s.kommun.get("/api/reports/status.csv")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert "Borlänge kommun" in rows[0][0]
    start = rows.index(["Täckning"])
    assert rows[start + 1][:2] == ["Område", "Butiker"]
    total = next(r for r in rows[start:] if r and r[0] == "Totalt")
    assert total == ["Totalt", "6", "1", "4", "3", "1", "50,0", "16,7"]
    point_4 = next(r for r in rows[rows.index(["Brister vid första besiktning"]) :] if r and r[0] == "4")
    assert point_4[2:] == ["2", "1", "50,0"]

    response = await s.kommun.get("/api/reports/status.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert "Täckning" in workbook.sheetnames and "Ärenden per status" in workbook.sheetnames
    sheet_rows = list(workbook["Täckning"].iter_rows(values_only=True))
    assert sheet_rows[-1] == ("Totalt", 6, 1, 4, 3, 1, 50.0, 16.7)
    statuses = dict(workbook["Ärenden per status"].iter_rows(min_row=2, values_only=True))
    assert statuses["Certifierad"] == 1 and statuses["Utkast"] == 1
    changes = dict(workbook["Förändringar under perioden"].iter_rows(min_row=2, values_only=True))
    assert changes["Nya ansökningar"] == 3 and changes["Underkänd punkt 4"] == 1

    response = await s.kommun.get("/api/reports/status.pdf")
    assert response.content.startswith(b"%PDF")
    pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "lägesrapport Borlänge kommun" in text and format_date(today()) in text
    assert "Certifierade butiker per område" in text
    assert "Totalt 6 1 4 3 1 50,0 16,7" in text, "decimal commas in the tables"
    assert "50,0 %" in text and "50.0" not in text, "and on the bars"
    assert "2. Branschanpassad utbildning i säkerhetsfrågor" in text, "bar labels are not cut off"


async def test_only_the_kommun_reads_its_own_report(world: World) -> None:
    s = await build(world)
    assert (await s.owner.get("/api/reports/status")).status_code == 403
    assert (await s.inspector.get("/api/reports/status.pdf")).status_code == 403
    falun = (await world.client_for(Role.kommun, ["2080"]))[1]
    other = await ok(await falun.get("/api/reports/status"))
    assert coverage_of(other) == {"Centrum": (1, 0, 1, 0, 0), "Totalt": (1, 0, 1, 0, 0)}


async def test_report_page_shows_the_figures_and_links_the_downloads(world: World) -> None:
    s = await build(world)
    response = await s.kommun.get("/kommun/rapporter?omrade=Centrum")
    assert response.status_code == 200, response.text
    html = response.text
    assert "Lägesrapport Borlänge kommun, Centrum" in html
    assert "1 av 2" in html, "point 4 failed in one of two first inspections"
    assert "/api/reports/status.pdf?from=" in html and "area=Centrum" in html
    assert (await s.owner.get("/kommun/rapporter")).status_code in {403, 303}
