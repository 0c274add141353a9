"""The owner's pages through the HTTP client: each page, each form's success and error path."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from pypdf import PdfReader

from certify.domain.org_number import with_check_digit
from certify.domain.status import Role
from certify.tables import Certificate
from tests.conftest import World
from tests.integration.pages import errors_in, submit
from tests.integration.scenario import Scenario, ok


def shop_form(**overrides: Any) -> dict[str, Any]:
    fields = {
        "name": "Dala Livs",
        "org_number": with_check_digit("556016068")[:6] + "-" + with_check_digit("556016068")[6:],
        "street_address": "Stationsgatan 1",
        "postal_code": "784 33",
        "city": "Borlänge",
        "area": "Centrum",
        "phone": "",
        "email": "",
        "chain": "",
    }
    fields.update(overrides)
    return fields


async def test_register_a_shop_and_see_it_in_my_shops(world: World) -> None:
    await world.kommun()
    _, owner = await world.client_for(Role.owner)
    assert "Du har inte registrerat" in (await owner.get("/mina-butiker")).text
    response = await submit(owner, "/butiker/ny", "/butiker/ny", shop_form(cash_free="ja"))
    assert response.status_code == 303
    shop_page = await owner.get(response.headers["location"])
    assert shop_page.status_code == 200
    assert "Butiken är registrerad" in shop_page.text and "Kontantfri butik" in shop_page.text
    assert "Starta ansökan" in shop_page.text
    listing = await owner.get("/mina-butiker")
    assert "Dala Livs" in listing.text and "Ingen ansökan" in listing.text


async def test_register_shows_every_wrong_field_and_keeps_the_input(world: World) -> None:
    await world.kommun()
    _, owner = await world.client_for(Role.owner)
    response = await submit(
        owner, "/butiker/ny", "/butiker/ny", shop_form(name="", org_number="556016-0681", postal_code="7843")
    )
    assert response.status_code == 400
    errors = errors_in(response.text)
    assert len(errors) == 3
    assert any("kontrollsiffran" in e for e in errors)
    assert any("Postnumret" in e or "postnumret" in e for e in errors)
    assert 'value="556016-0681"' in response.text and 'value="Stationsgatan 1"' in response.text
    assert 'href="#f-org_number"' in response.text and 'id="f-org_number"' in response.text


async def test_someone_elses_shop_and_case_are_404(world: World) -> None:
    scenario = await Scenario.create(world)
    _, stranger = await world.client_for(Role.owner)
    assert (await stranger.get(f"/butiker/{scenario.business_id}")).status_code == 404
    page = await stranger.get(f"/arenden/{scenario.case_id}/egenkontroll")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    assert (await stranger.get(f"/arenden/{scenario.case_id}/skicka-in")).status_code == 404


async def test_an_inspector_cannot_use_the_owner_pages(world: World) -> None:
    scenario = await Scenario.create(world)
    page = await scenario.inspector.get("/mina-butiker")
    assert page.status_code == 403 and "behörighet" in page.text


async def test_start_an_application_from_the_shop_page(world: World) -> None:
    await world.kommun()
    _, owner = await world.client_for(Role.owner)
    created = await submit(owner, "/butiker/ny", "/butiker/ny", shop_form())
    shop_path = created.headers["location"].split("?")[0]
    response = await submit(owner, shop_path, f"{shop_path}/ansokan")
    assert response.status_code == 303 and response.headers["location"].endswith("/egenkontroll")
    page = await owner.get(response.headers["location"])
    assert "0 av 13 besvarade" in page.text and "Börja med punkt 1" in page.text
    assert page.text.count('class="assessment-list__item"') == 13


async def test_submit_summary_lists_what_is_missing(world: World) -> None:
    scenario = await Scenario.create(world)
    await ok(await scenario.answer(1))
    await ok(await scenario.answer(2, "not_fulfilled"))
    page = await scenario.owner.get(f"/arenden/{scenario.case_id}/skicka-in")
    assert page.status_code == 200
    assert "Punkterna 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 är inte besvarade" in page.text
    assert "Punkt 2 är inte uppfylld." in page.text
    refused = await submit(
        scenario.owner, f"/arenden/{scenario.case_id}/egenkontroll", f"/arenden/{scenario.case_id}/skicka-in"
    )
    assert refused.status_code == 422 and "kunde inte skickas in" in refused.text


async def test_submitting_a_stale_page_is_refused_kindly(world: World) -> None:
    scenario = await Scenario.create(world)
    await scenario.answer_all()
    path = f"/arenden/{scenario.case_id}/skicka-in"
    response = await submit(scenario.owner, path, path, {"version": "1"})
    assert response.status_code == 422 and "har ändrats sedan du läste det" in response.text


async def test_corrections_show_failed_points_and_can_be_reported(world: World) -> None:
    scenario = await Scenario.create(world)
    await scenario.to_state("corrections_required")
    shop_path = f"/butiker/{scenario.business_id}"
    page = await scenario.owner.get(shop_path)
    assert "Brister att åtgärda" in page.text and "Punkt 4 brister." in page.text
    assert "Sedelboxar" in page.text or "Punkt 4." in page.text
    action = f"/arenden/{scenario.case_id}/atgardat"
    empty = await submit(scenario.owner, shop_path, action, {"kommentar": ""})
    assert empty.status_code == 400 and "Beskriv kort vad ni har gjort" in empty.text
    done = await submit(scenario.owner, shop_path, action, {"kommentar": "Sedelbox monterad."})
    assert done.status_code == 303
    after = await scenario.owner.get(done.headers["location"])
    assert "Besiktning bokad" in after.text and "Bristerna anmäldes som åtgärdade" in after.text


async def test_withdraw_after_confirmation(world: World) -> None:
    scenario = await Scenario.create(world)
    path = f"/arenden/{scenario.case_id}/dra-tillbaka"
    confirm = await scenario.owner.get(path)
    assert "Ja, dra tillbaka ansökan" in confirm.text
    done = await submit(scenario.owner, path, path, {})
    assert done.status_code == 303
    page = await scenario.owner.get(done.headers["location"])
    assert "Tillbakadragen" in page.text and "Starta ansökan" in page.text
    again = await submit(scenario.owner, f"/butiker/{scenario.business_id}", path, {})
    assert again.status_code == 409, "not allowed in the case's state: the refusal itself, as in the API"
    assert "Det går inte att göra nu, när ärendet har status tillbakadragen." in again.text


async def test_certified_shop_shows_certificate_and_renewal_date(world: World) -> None:
    scenario = await Scenario.create(world)
    case = await scenario.to_state("certified")
    page = await scenario.owner.get(f"/butiker/{scenario.business_id}")
    assert case["certificate"]["number"] in page.text
    assert "Ladda ner intyget" in page.text and "Du kan förnya intyget från" in page.text
    assert "Butiken godkändes och fick intyg" in page.text


async def test_opening_a_second_case_is_refused_with_a_page(world: World) -> None:
    scenario = await Scenario.create(world)
    shop_path = f"/butiker/{scenario.business_id}"
    response = await submit(scenario.owner, shop_path, f"{shop_path}/ansokan")
    assert response.status_code == 422 and "redan ett pågående ärende" in response.text


async def test_renewal_starts_from_the_shop_page_when_it_opens(world: World) -> None:
    scenario = await Scenario.create(world)
    await scenario.to_state("certified")
    soon = date.today() + timedelta(days=60)
    await (
        Certificate.update({Certificate.valid_until: soon})
        .where(Certificate.application == scenario.case_id)
        .run()
    )
    shop_path = f"/butiker/{scenario.business_id}"
    page = await scenario.owner.get(shop_path)
    assert "Dags att förnya" in page.text
    response = await submit(scenario.owner, shop_path, f"{shop_path}/ansokan")
    assert response.status_code == 303
    renewal = await scenario.owner.get(response.headers["location"])
    assert "0 av 13 besvarade" in renewal.text, "the previous answers wait for the owner to confirm them"
    assert renewal.text.count("Från förra ansökan – kontrollera och spara") == 13
    shop = await scenario.owner.get(shop_path)
    assert "Förnyelse av intyg" in shop.text and "Utkast" in shop.text


async def test_certificate_and_decal_downloads_for_the_owner_only(world: World) -> None:
    scenario = await Scenario.create(world)
    case = await scenario.to_state("certified")
    number = case["certificate"]["number"]
    for kind in ("intyg", "dekal"):
        response = await scenario.owner.get(f"/arenden/{scenario.case_id}/{kind}.pdf")
        assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"] == f'attachment; filename="{kind}-{number}.pdf"'
        assert number in "".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        )
    _, stranger = await world.client_for(Role.owner)
    assert (await stranger.get(f"/arenden/{scenario.case_id}/intyg.pdf")).status_code == 404


async def test_no_certificate_download_before_approval(world: World) -> None:
    scenario = await Scenario.create(world)
    response = await scenario.owner.get(f"/arenden/{scenario.case_id}/intyg.pdf")
    assert response.status_code == 404 and "inget intyg" in response.text
