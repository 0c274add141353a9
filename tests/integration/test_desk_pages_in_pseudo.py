"""The inspector's and the kommun's pages word everything through the catalogue: each page, rendered in
the pseudo-language with real data in it, shows no word outside ⟦…⟧ but the data the test put in.

Also: in another language than Swedish, each of the 13 points offers its official Swedish wording.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import lxml.html

from certify.domain.retention import KINDS
from certify.services import jobs
from certify.services.imports import FIELD_LABELS
from certify.tables import Application
from tests.conftest import World
from tests.integration.pages import PNG, submit
from tests.integration.scenario import NA_COMMENT, Scenario, ok, shop_fields
from tests.pseudo import PSEUDO, assert_page_marked

KOMMUN = "Borlänge kommun"
SHOP = shop_fields()
# What the scenario writes: shops, people, remarks and comments are the data on the pages.
DATA = [
    KOMMUN,
    "Åkes Järn & Färg",
    SHOP["street_address"],
    SHOP["postal_code"],
    SHOP["city"],
    SHOP["area"],
    SHOP["phone"],
    "Owner",
    "Inspector",
    "Kommun",
    "Punkt 4 brister.",  # the inspector's remark
    "Kontantfri, kontrollerat.",
    NA_COMMENT,
    "Inga åtgärder gjordes.",
    "kassan.png",
]


def _without_swedish(html: str) -> str:
    """The page less what is Swedish on purpose (lang="sv": the official wording of the points,
    the import file's own column names)."""
    root = lxml.html.document_fromstring(html)
    for part in root.xpath("//body//*[@lang='sv']"):
        part.drop_tree()
    return lxml.html.tostring(root, encoding="unicode")


async def _page(client: httpx.AsyncClient, path: str, status: int = 200) -> str:
    separator = "&" if "?" in path else "?"
    response = await client.get(f"{path}{separator}lang={PSEUDO}")
    assert response.status_code == status, f"{path}: {response.status_code}"
    return response.text


def _assert_marked(where: str, html: str, *data: str) -> None:
    assert_page_marked(where, _without_swedish(html), data=[*DATA, *data])


async def _upload(s: Scenario, point: int) -> None:
    await ok(
        await s.owner.post(
            f"/api/applications/{s.case_id}/evidence",
            params={"point": point},
            files={"file": ("kassan.png", PNG, "image/png")},
        ),
        201,
    )


async def test_the_inspectors_pages_have_no_word_outside_the_catalogue(
    world: World, pseudo_language: str
) -> None:
    s = await Scenario.create(world)
    await _upload(s, 4)
    await s.to_state("scheduled")
    await ok(await s.verdict(1))
    await ok(await s.verdict(4, "fail", "Punkt 4 brister.", ["4.1"]))
    decided = await Scenario.create_in(world, s)
    await decided.to_state("corrections_required")

    _assert_marked("the inspector's queue", await _page(s.inspector, "/besiktningar"))
    inspection = await _page(s.inspector, f"/besiktningar/{s.case_id}")
    assert "⟦Visa på svenska⟧" in inspection, "the pseudo-language is not Swedish"
    _assert_marked("the inspection", inspection)
    _assert_marked("a decided inspection", await _page(s.inspector, f"/besiktningar/{decided.case_id}"))
    saved = await _page(s.inspector, f"/besiktningar/{s.case_id}?klart=punkt-4")
    _assert_marked("the inspection after saving a point", saved)


async def test_the_kommuns_case_pages_have_no_word_outside_the_catalogue(
    world: World, pseudo_language: str
) -> None:
    first = await Scenario.create(world)
    cases = {"submitted": first}
    for state in ("scheduled", "corrections_required", "certified", "rejected"):
        cases[state] = await Scenario.create_in(world, first)
    for state, scenario in cases.items():
        await scenario.to_state(state)
    kommun = first.kommun
    for state, scenario in cases.items():
        html = await _page(kommun, f"/kommun/arenden/{scenario.case_id}")
        certificate = (await scenario.case())["certificate"]
        numbers = [certificate["number"]] if certificate else []
        _assert_marked(f"the kommun's case page ({state})", html, *numbers)

    _assert_marked("the case list", await _page(kommun, "/kommun/arenden"))
    filtered = await _page(
        kommun,
        "/kommun/arenden?status=corrections_required&omrade=Centrum&inspektor=ingen&omgang=1"
        "&sortera=butik&ordning=stigande&forsenade=1&loper-ut=1",
    )
    _assert_marked("the filtered case list", filtered)
    _assert_marked("the case list, sorted by visit", await _page(kommun, "/kommun/arenden?sortera=besok"))


async def test_the_kommuns_other_pages_have_no_word_outside_the_catalogue(
    world: World, pseudo_language: str
) -> None:
    s = await Scenario.create(world)
    await _upload(s, 4)
    await s.to_state("certified")
    evidence = await ok(await s.kommun.get(f"/api/applications/{s.case_id}/evidence"))
    for item in evidence:
        assert (await s.kommun.get(f"/api/evidence/{item['id']}")).status_code == 200
    kommun = s.kommun

    _assert_marked("the shops", await _page(kommun, "/kommun/butiker"))
    _assert_marked("the shops not invited", await _page(kommun, "/kommun/butiker?steg=not_invited"))
    _assert_marked("the users", await _page(kommun, "/kommun/anvandare"))
    refused = await submit(
        kommun, f"/kommun/anvandare?lang={PSEUDO}", "/kommun/anvandare", {"name": "", "email": "", "role": ""}
    )
    assert refused.status_code == 400
    _assert_marked("the users with a refused new user", refused.text)
    created = await submit(
        kommun,
        f"/kommun/anvandare?lang={PSEUDO}",
        "/kommun/anvandare",
        {"name": "Nina Polis", "email": "nina.polis@example.se", "role": "inspector"},
    )
    password = lxml.html.document_fromstring(created.text).xpath("//strong[@class='kommun-password']")
    _assert_marked("the users with a new password", created.text, "Nina Polis", password[0].text_content())

    _assert_marked("the import page", await _page(kommun, "/kommun/import"))
    header = ";".join(FIELD_LABELS.values())
    bad_file = f"{header}\nButik Ett;556000-0000;Gatan 1;784 33;Borlänge;Centrum;\n;;;;;;\nTvå;;;;;;\n"
    failed = await submit(
        kommun,
        f"/kommun/import?lang={PSEUDO}",
        "/kommun/import",
        files=[("fil", ("butiker.csv", bad_file.encode(), "text/csv"))],
    )
    assert failed.status_code == 400
    _assert_marked("a failed import", failed.text, "Två", *FIELD_LABELS.values())
    unreadable = await submit(
        kommun,
        f"/kommun/import?lang={PSEUDO}",
        "/kommun/import",
        files=[("fil", ("butiker.csv", b"namn;ort\nButik;Borlange\n", "text/csv"))],
    )
    _assert_marked("an import with a bad header", unreadable.text, *FIELD_LABELS.values())

    _assert_marked("the reports", await _page(kommun, "/kommun/rapporter"))
    _assert_marked("the reports of an area", await _page(kommun, "/kommun/rapporter?omrade=Centrum"))
    _assert_marked("the access log", await _page(kommun, "/kommun/atkomstlogg"))
    _assert_marked("the access log of a case", await _page(kommun, f"/kommun/atkomstlogg?arende={s.case_id}"))
    outbox = lxml.html.document_fromstring(await _page(kommun, "/kommun/utkorg"))
    # The mails were written when queued, in their readers' language: stored data, not page words.
    for stored_mail in outbox.xpath("//article/h2|//article//pre"):
        stored_mail.drop_tree()
    _assert_marked("the outbox", lxml.html.tostring(outbox, encoding="unicode"))


async def test_the_retention_plan_and_a_purged_case_have_no_word_outside_the_catalogue(
    world: World, pseudo_language: str
) -> None:
    s = await Scenario.create(world)
    await ok(await s.act(s.owner, "withdraw"))
    decision = "KS 2025/118 § 45"
    _assert_marked("the case list without a plan", await _page(s.kommun, "/kommun/arenden"))
    _assert_marked("the retention page without a plan", await _page(s.kommun, "/kommun/gallring"))
    form = {f"{kind}-atgard": "purge" for kind in KINDS} | {f"{kind}-beslut": decision for kind in KINDS}
    refused = await submit(s.kommun, f"/kommun/gallring?lang={PSEUDO}", "/kommun/gallring", form)
    assert refused.status_code == 400
    _assert_marked("the retention page with a refused plan", refused.text, decision)
    form |= {f"{kind}-ar": "1" for kind in KINDS}
    saved = await submit(s.kommun, f"/kommun/gallring?lang={PSEUDO}", "/kommun/gallring", form)
    assert saved.status_code == 303
    closed_long_ago = datetime.now(UTC) - timedelta(days=800)
    await (
        Application.update({Application.closed_at: closed_long_ago}).where(Application.id == s.case_id).run()
    )
    assert len((await jobs.tick()).purged) == len(KINDS)
    number = (await s.case())["diarienummer"] or ""
    _assert_marked(
        "the retention page with its log", await _page(s.kommun, "/kommun/gallring"), decision, number
    )
    _assert_marked("a purged case", await _page(s.kommun, f"/kommun/arenden/{s.case_id}"), number)


async def test_in_english_each_point_offers_its_swedish_wording(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("scheduled")
    page = await s.inspector.get(f"/besiktningar/{s.case_id}?lang=en")
    root = lxml.html.document_fromstring(page.text)
    offers = root.xpath("//section[@id='punkt-1']//details[summary]")
    swedish = [d for d in offers if d.xpath("./div[@lang='sv']")]
    assert len(swedish) == 1, "one Swedish alternative per point"
    assert swedish[0].xpath("string(./summary)").strip(), "the summary says what the tap shows"
    text = swedish[0].xpath("string(./div[@lang='sv'])")
    assert "Säkerhetsansvarig" in text and "Utse en person i butiken" in text
    assert len(root.xpath("//div[@lang='sv']")) == 13

    in_swedish = await s.inspector.get(f"/besiktningar/{s.case_id}?lang=sv")
    assert 'lang="sv" dir="ltr">' not in in_swedish.text.split("<main", 1)[1], "Swedish needs no alternative"


async def test_the_import_page_names_the_files_columns_in_swedish(world: World, pseudo_language: str) -> None:
    """The file's own column names stay Swedish in every language: they are what the file says."""
    s = await Scenario.create(world)
    html = await _page(s.kommun, "/kommun/import")
    root = lxml.html.document_fromstring(html)
    assert root.xpath("string(//*[@id='f-fil-hint']//*[@lang='sv'])") == ";".join(FIELD_LABELS.values())


async def test_in_arabic_numbers_addresses_and_dates_keep_their_order(world: World) -> None:
    """Right-to-left text must not scramble an organisationsnummer, a certificate number, an address,
    an e-mail address or a date: each stands isolated in <bdi>."""
    s = await Scenario.create(world)
    case = await s.to_state("certified")
    page = await s.kommun.get(f"/kommun/arenden/{s.case_id}?lang=ar")
    assert page.status_code == 200
    root = lxml.html.document_fromstring(page.text)
    assert root.get("dir") == "rtl"
    isolated = [b.text_content() for b in root.xpath("//main//bdi")]
    shop = await ok(await s.kommun.get(f"/api/businesses/{s.business_id}"))
    assert shop["org_number"] in isolated
    assert case["certificate"]["number"] in isolated
    assert shop["email"] in isolated
    assert any(shop["street_address"] in text and shop["city"] in text for text in isolated)
    numbers = root.xpath(f"//bdi[@dir='ltr'][.='{case['certificate']['number']}']")
    assert numbers and numbers[0].getparent().tag == "strong", "the number stands out, left to right"
    assert len(root.xpath("//section[@aria-labelledby='intyg']//bdi")) == 3, "number and both dates"
