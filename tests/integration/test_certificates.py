"""Certificates as issued: archived PDF and decal, access, public lookup, register, renewal."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from certify.domain.status import Role
from certify.formatting import format_date
from certify.services import certificates
from certify.tables import Answer, Certificate
from certify.text.catalogue import _, ngettext
from tests.conftest import World
from tests.integration.scenario import Scenario, ok

BASE_URL = os.environ["CERTIFY_BASE_URL"]


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


async def certified(world: World, **shop: object) -> tuple[Scenario, str]:
    s = await Scenario.create(world)
    if shop:
        await ok(await s.owner.patch(f"/api/businesses/{s.business_id}", json=shop))
    case = await s.to_state("certified")
    return s, case["certificate"]["number"]


async def test_the_certificate_is_archived_as_issued_and_downloads_are_reads(world: World) -> None:
    s, number = await certified(world, name="Ångströms Järn & Färg i Söderbärke")
    response = await s.owner.get(f"/api/certificates/{number}/pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert f'filename="intyg-{number}.pdf"' in response.headers["content-disposition"]

    text = pdf_text(response.content)
    assert "Ångströms Järn & Färg i Söderbärke" in text
    assert "Intyg – Skydd mot rån i handeln" in text and "Borlänge kommun" in text
    case = await s.case()
    issued = format_date(datetime.fromisoformat(case["certificate"]["issued_at"]))
    valid_until = format_date(date.fromisoformat(case["certificate"]["valid_until"]))
    assert number in text and issued in text and valid_until in text
    assert text.count("Uppfyllt") == 13

    stored = (
        await Certificate.select(Certificate.pdf_sha256).where(Certificate.number == number).first().run()
    )
    assert stored is not None and stored["pdf_sha256"] == hashlib.sha256(response.content).hexdigest()
    public = await ok(await s.owner.get(f"/api/certificates/{number}"))
    assert public["pdf_sha256"] == stored["pdf_sha256"]

    again = await s.kommun.get(f"/api/certificates/{number}/pdf")
    assert again.content == response.content, "a download returns the stored bytes"
    rerendered = await certificates.render_issued(number)
    assert rerendered == response.content, "rendering the same certificate gives the same bytes"


async def test_cash_free_points_show_not_applicable_with_the_remark(world: World) -> None:
    s = await Scenario.create(world, cash_free=True)
    number = (await s.to_state("certified"))["certificate"]["number"]
    text = pdf_text((await s.owner.get(f"/api/certificates/{number}/pdf")).content)
    assert text.count("Ej tillämpligt") == 5 and "Kontantfri, kontrollerat." in " ".join(text.split())


async def test_the_decal_carries_the_year_the_kommun_and_the_number(world: World) -> None:
    s, number = await certified(world)
    response = await s.owner.get(f"/api/certificates/{number}/decal.pdf")
    assert response.status_code == 200
    assert f'filename="dekal-{number}.pdf"' in response.headers["content-disposition"]
    text = pdf_text(response.content)
    valid_until = date.fromisoformat((await s.case())["certificate"]["valid_until"])
    assert "Säkerhetsskyddad" in text and str(valid_until.year) in text
    assert "Borlänge kommun" in text and number in text
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert round(float(page.mediabox.width) / 72 * 25.4) == 100, "10 cm wide"


@pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")) and os.environ.get("CI") != "true",
    reason="needs poppler-utils and zbar-tools (installed by .ci/run)",
)
async def test_the_qr_codes_open_the_verification_page(world: World, tmp_path: Path) -> None:
    s, number = await certified(world)
    for kind in ("pdf", "decal.pdf"):
        pdf = tmp_path / f"{kind}.pdf"
        pdf.write_bytes((await s.owner.get(f"/api/certificates/{number}/{kind}")).content)
        subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / kind)], check=True)
        image = next(tmp_path.glob(f"{kind}*.png"))
        decoded = subprocess.run(
            ["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(image)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        assert decoded == f"{BASE_URL}/verify/{number}"


async def test_only_the_owner_the_kommun_and_the_approving_inspector_may_download(
    world: World,
    anonymous,  # type: ignore[no-untyped-def]
) -> None:
    s, number = await certified(world)
    _, stranger = await world.client_for(Role.owner)
    _, other_inspector = await world.client_for(Role.inspector)
    await world.kommun("2080", "Falu kommun")
    _, other_kommun = await world.client_for(Role.kommun, ["2080"])
    for path in (f"/api/certificates/{number}/pdf", f"/api/certificates/{number}/decal.pdf"):
        assert (await s.owner.get(path)).status_code == 200
        assert (await s.kommun.get(path)).status_code == 200
        assert (await s.inspector.get(path)).status_code == 200
        assert (await stranger.get(path)).status_code == 404
        assert (await other_inspector.get(path)).status_code == 404
        assert (await other_kommun.get(path)).status_code == 404
        assert (await anonymous.get(path)).status_code == 401


async def test_public_lookup_for_valid_expired_revoked_and_unknown(world: World, anonymous) -> None:  # type: ignore[no-untyped-def]
    s, number = await certified(world)
    assert (await ok(await anonymous.get(f"/api/certificates/{number}")))["status"] == "valid"
    assert (await ok(await anonymous.get(f"/api/certificates/{number.lower()}")))["number"] == number

    await (
        Certificate.update({Certificate.valid_until: date.today() - timedelta(days=1)})
        .where(Certificate.number == number)
        .run()
    )
    assert (await ok(await anonymous.get(f"/api/certificates/{number}")))["status"] == "expired"

    other = await Scenario.create_in(world, s)
    other_number = (await other.to_state("revoked"))["certificate"]["number"]
    revoked = await ok(await anonymous.get(f"/api/certificates/{other_number}"))
    assert revoked["status"] == "revoked" and revoked["revoked_at"] == date.today().isoformat()

    unknown = await anonymous.get("/api/certificates/BLG-2026-99999")
    assert unknown.status_code == 404 and "inget intyg" in unknown.json()["detail"]


async def test_lookups_are_rate_limited_per_client(world: World, anonymous) -> None:  # type: ignore[no-untyped-def]
    answers = [(await anonymous.get(f"/api/certificates/BLG-2026-{n:05d}")).status_code for n in range(40)]
    assert answers[:30] == [404] * 30
    assert 429 in answers[30:]


async def test_the_open_register_lists_certificates_in_force(world: World, anonymous) -> None:  # type: ignore[no-untyped-def]
    s, number = await certified(world)
    revoked = await Scenario.create_in(world, s)
    await revoked.to_state("revoked")
    listed = await ok(await anonymous.get("/api/public/certified"))
    assert [e["number"] for e in listed] == [number]
    assert set(listed[0]) >= {"shop_name", "street_address", "area", "valid_until"}
    assert "email" not in listed[0] and "org_number" not in listed[0]

    response = await anonymous.get("/register.csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert list(rows[0]) == [
        "Intygsnummer", "Butik", "Gatuadress", "Postnummer", "Ort", "Område", "Kommun", "Giltigt till",
    ]  # fmt: skip
    assert [(r["Intygsnummer"], r["Butik"]) for r in rows] == [(number, listed[0]["shop_name"])]


async def test_renewal_opens_120_days_before_expiry_prefilled_and_without_a_gap(world: World) -> None:
    s, number = await certified(world)
    too_early = await s.owner.post(f"/api/businesses/{s.business_id}/applications")
    assert too_early.status_code == 422
    first = await s.case()
    opens_on = date.fromisoformat(first["certificate"]["valid_until"]) - timedelta(days=120)
    assert too_early.json()["extra"]["opens_on"] == opens_on.isoformat()
    assert format_date(opens_on) in too_early.json()["detail"], "the day in words, in the reader's language"

    ends = date.today() + timedelta(days=100)
    await Certificate.update({Certificate.valid_until: ends}).where(Certificate.number == number).run()
    renewal = await ok(await s.owner.post(f"/api/businesses/{s.business_id}/applications"), 201)
    assert renewal["previous_certificate"] == number
    assert len(renewal["answers"]) == 13, "the previous answers are filled in"
    assert await Answer.count().where(Answer.application == renewal["id"]).run() == 13

    s.case_id = renewal["id"]
    await s.answer_all()  # the owner confirms the answers brought over
    await ok(await s.act(s.owner, "submit"))
    from tests.integration.scenario import visit_time

    await ok(await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time()))
    await s.judge_all()
    approved = await ok(await s.act(s.inspector, "approve"))
    new = approved["certificate"]
    assert new["valid_from"] == (ends + timedelta(days=1)).isoformat(), "no gap, no overlap"
    assert new["number"] != number

    old_public = await ok(await s.owner.get(f"/api/certificates/{number}"))
    assert old_public["status"] == "valid" and old_public["replaced_by"] == new["number"]
    new_public = await ok(await s.owner.get(f"/api/certificates/{new['number']}"))
    assert new_public["replaces"] == number


async def test_tick_expires_and_reminds_once(world: World) -> None:
    s, number = await certified(world)
    valid_until = date.fromisoformat((await s.case())["certificate"]["valid_until"])

    def tick(on: date) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "certify.cli", "tick", "--as-of", on.isoformat()],
            capture_output=True,
            text=True,
            env={**os.environ, "LC_ALL": "", "LC_MESSAGES": "", "LANG": "sv_SE.UTF-8"},
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def reminders(count: int) -> str:
        return ngettext("%(num)d påminnelse", "%(num)d påminnelser", count)

    assert reminders(1) in tick(valid_until - timedelta(days=89))
    assert reminders(0) in tick(valid_until - timedelta(days=88)), "each reminder is recorded once"
    assert reminders(1) in tick(valid_until - timedelta(days=29))
    out = tick(valid_until + timedelta(days=1))
    assert _("gick ut: {number}").format(number=number) in out
    case = await s.case()
    assert case["state"] == "expired"
    events = await ok(await s.kommun.get(f"/api/applications/{s.case_id}/events"))
    assert [e["action"] for e in events if e["action"].startswith(("reminder", "expire"))] == [
        "reminder_90",
        "reminder_30",
        "expire",
    ]
    assert ngettext("%(num)d intyg gick ut", "%(num)d intyg gick ut", 0) in tick(
        valid_until + timedelta(days=2)
    )


async def test_the_verification_page_states_the_verdict_without_personal_data(
    world: World,
    anonymous,  # type: ignore[no-untyped-def]
) -> None:
    s, number = await certified(world)
    page = await anonymous.get(f"/verify/{number}")
    assert page.status_code == 200 and 'lang="sv"' in page.text
    assert ">Giltigt<" in page.text and shop_name(s) in page.text
    stored = (
        await Certificate.select(Certificate.pdf_sha256).where(Certificate.number == number).first().run()
    )
    assert stored is not None and stored["pdf_sha256"] in page.text
    for personal in ("owner1@example.se", "Owner 1", "butik1@example.se", "0243-12 34 56"):
        assert personal not in page.text

    await (
        Certificate.update({Certificate.valid_until: date.today() - timedelta(days=1)})
        .where(Certificate.number == number)
        .run()
    )
    assert ">Utgånget<" in (await anonymous.get(f"/verify/{number}")).text

    revoked = await Scenario.create_in(world, s)
    revoked_number = (await revoked.to_state("revoked"))["certificate"]["number"]
    assert ">Återkallat<" in (await anonymous.get(f"/verify/{revoked_number}")).text

    unknown = await anonymous.get("/verify/BLG-2026-99999")
    assert unknown.status_code == 404 and ">Okänt nummer<" in unknown.text
    odd = await anonymous.get("/verify/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert odd.status_code == 404 and "<script>alert(1)" not in odd.text


async def test_the_verification_page_shows_the_renewal_chain(world: World, anonymous) -> None:  # type: ignore[no-untyped-def]
    s, number = await certified(world)
    ends = date.today() + timedelta(days=60)
    await Certificate.update({Certificate.valid_until: ends}).where(Certificate.number == number).run()
    renewal = await ok(await s.owner.post(f"/api/businesses/{s.business_id}/applications"), 201)
    s.case_id = renewal["id"]
    await s.answer_all()  # the owner confirms the answers brought over
    await ok(await s.act(s.owner, "submit"))
    from tests.integration.scenario import visit_time

    await ok(await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time()))
    await s.judge_all()
    new_number = (await ok(await s.act(s.inspector, "approve")))["certificate"]["number"]
    old_page = (await anonymous.get(f"/verify/{number}")).text
    assert "Ersatt av" in old_page and new_number in old_page and ">Giltigt<" in old_page
    new_page = (await anonymous.get(f"/verify/{new_number}")).text
    assert "Ersätter" in new_page and number in new_page


def shop_name(s: Scenario) -> str:
    from tests.integration.scenario import shop_fields

    return shop_fields(1)["name"].replace("&", "&amp;")
