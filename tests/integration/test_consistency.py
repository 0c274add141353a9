"""What a reader sees the same way everywhere: formats, names of states, times, sizes and grammar."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import httpx
import pypdf

from certify.domain.status import CaseState
from certify.tables import OutboxMessage
from certify.text.vocabulary import state_label
from tests.conftest import World
from tests.integration.pages import PNG, errors_in, submit
from tests.integration.scenario import Scenario

NBSP = "\N{NO-BREAK SPACE}"


async def test_every_page_links_a_favicon_that_is_served(anonymous: httpx.AsyncClient) -> None:
    start = await anonymous.get("/")
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in start.text
    icon = await anonymous.get("/static/favicon.svg")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.startswith("<svg")


async def build_report_data(world: World) -> Scenario:
    """A certified case, a case awaiting corrections and a withdrawn one, in one kommun."""
    s = await Scenario.create(world)
    await s.to_state("certified")
    failed = await Scenario.create_in(world, s)
    await failed.to_state("corrections_required")
    withdrawn = await Scenario.create_in(world, failed)
    await withdrawn.to_state("withdrawn")
    return s


async def test_the_report_page_and_pdf_write_decimal_commas(world: World) -> None:
    s = await build_report_data(world)
    html = (await s.kommun.get("/kommun/rapporter")).text
    shown = " ".join(html.replace(NBSP, " ").split())
    assert "33,3 %" in shown, "one of three shops certified"
    assert not re.search(r"\d\.\d %", shown), "no decimal point before a per cent sign"
    assert re.search(r"median \d+,\d dagar", shown), "lead times with a decimal comma"

    pdf = (await s.kommun.get("/api/reports/status.pdf")).content
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())
    text = text.replace(NBSP, " ")
    assert "33,3 %" in text and "33,3" in text
    assert not re.search(r"\d\.\d", text), "no decimal point anywhere in the report PDF"


async def test_each_state_has_one_name_on_pages_and_in_exports(world: World) -> None:
    s = await build_report_data(world)
    page = (await s.kommun.get("/kommun/arenden?status=")).text
    rows = list(csv.reader(io.StringIO((await s.kommun.get("/api/reports/status.csv")).text), delimiter=";"))
    start = rows.index(["Ärenden per status"]) + 2
    exported = {r[0] for r in rows[start:] if r and r[0] in {state_label(s) for s in CaseState}}
    for state in ("corrections_required", "withdrawn", "certified"):
        assert state_label(state) in exported
    assert state_label("corrections_required") in page
    for other_name in ("Åtgärder krävs", "Återtagen"):
        assert other_name not in page and all(other_name not in r for r in rows)


async def test_the_outbox_shows_swedish_time(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("submitted")  # the owner's receipt goes to the outbox
    summer_noon_utc = datetime(2026, 7, 1, 12, 5, tzinfo=UTC)
    await OutboxMessage.update({OutboxMessage.created_at: summer_noon_utc}, force=True).run()
    html = (await s.kommun.get("/kommun/utkorg")).text
    assert "2026-07-01 14:05" in html, "12:05 UTC is 14:05 in Swedish summer time"
    assert "12:05" not in html
    assert '<time datetime="2026-07-01T14:05:00+02:00">' in html


async def test_a_file_over_the_limit_is_refused_with_its_own_size_and_the_limit(world: World) -> None:
    s = await Scenario.create(world)
    path = f"/arenden/{s.case_id}/egenkontroll/punkt/3"
    fourteen_mb = PNG + b"\x00" * int(14.3 * 1024 * 1024)
    response = await submit(
        s.owner,
        path,
        path,
        {"svar-3": "fulfilled"},
        files=[("bevis-3", ("stor.png", fourteen_mb, "image/png"))],
    )
    assert response.status_code == 400
    message = errors_in(response.text)[0].replace(NBSP, " ")
    assert "Filen är för stor (14,3 MB). En fil får vara högst 10 MB." in message, message


async def test_the_owner_gets_printing_advice_with_the_downloads(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("certified")
    html = (await s.owner.get(f"/butiker/{s.business_id}")).text
    assert "/dekal.pdf" in html and "100 % storlek" in html and "10 × 10 cm" in html
