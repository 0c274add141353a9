"""API errors: a stable `extra.code` for programs, and `detail` in the request's language for
people (Accept-Language or ?lang=), for our own errors and Litestar's alike."""

from __future__ import annotations

from typing import Any

import httpx

from certify.text.errors import CODES
from tests.conftest import World
from tests.integration.scenario import Scenario, ok, shop_fields
from tests.pseudo import PSEUDO, assert_all_marked

QPS = {"accept-language": PSEUDO}


def _refused(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["extra"]["code"] == code, body
    assert_all_marked(f"{response.request.method} {response.request.url.path}", body["detail"])
    return body


async def test_every_kind_of_api_error_speaks_the_request_language_and_names_its_code(
    world: World, anonymous: httpx.AsyncClient, pseudo_language: str
) -> None:
    s = await Scenario.create(world)
    case = f"/api/applications/{s.case_id}"

    # 400: a query parameter of the wrong type (Litestar's own validation) names the field.
    wrong = await s.kommun.get("/api/businesses/outreach?page=abc", headers=QPS)
    assert _refused(wrong, 400, "invalid_field")["extra"]["field"] == "page"
    assert_all_marked("400 detail", wrong.json()["detail"], data=["page"])
    # 400: a field our rules refuse names the field and says what is wrong with it.
    postal = await s.owner.post("/api/businesses", json=shop_fields(9, postal_code="ABCDE"), headers=QPS)
    assert _refused(postal, 400, "postal_code_invalid")["extra"]["field"] == "postal_code"

    # 401: not logged in.
    _refused(await anonymous.get("/api/applications", headers=QPS), 401, "not_logged_in")
    # 403: the role may not do this (a guard), and may not take this action (the service).
    _refused(await s.owner.get("/api/reports/status", headers=QPS), 403, "forbidden")
    _refused(await s.owner.post(f"{case}/assign", json={}, headers=QPS), 403, "role_may_not_act")
    # 404: a case that does not exist, and a path that does not exist.
    _refused(await s.kommun.get("/api/applications/999999", headers=QPS), 404, "case_not_found")
    _refused(await s.kommun.get("/api/no-such-thing", headers=QPS), 404, "not_found")
    # 415: not JSON.
    not_json = await s.owner.post(
        "/api/businesses", content=b"{}", headers={**QPS, "content-type": "text/plain"}
    )
    _refused(not_json, 415, "not_json")

    # 422: a guard refuses submitting; the code is the first problem's, every problem is listed.
    for point in range(2, 14):
        await ok(await s.answer(point))
    await ok(await s.answer(1, "not_fulfilled"))
    refused = _refused(
        await s.owner.post(f"{case}/submit", json={}, headers=QPS), 422, "points_not_fulfilled"
    )
    assert refused["extra"]["problems"] == [{"code": "points_not_fulfilled", "points": [1]}]
    assert refused["extra"]["action"] == "submit"

    # 409: the action is not allowed in the case's state.
    transition = _refused(
        await s.owner.post(f"{case}/report_corrections", json={}, headers=QPS), 409, "transition_not_allowed"
    )
    assert transition["extra"]["state"] == "draft"


async def test_the_language_changes_the_words_never_the_code(world: World, pseudo_language: str) -> None:
    s = await Scenario.create(world)
    answers: dict[str, dict[str, Any]] = {}
    for language in ("sv", "en", PSEUDO):
        response = await s.kommun.get("/api/applications/999999", headers={"accept-language": language})
        assert response.status_code == 404
        answers[language] = response.json()
    assert {a["extra"]["code"] for a in answers.values()} == {"case_not_found"}
    assert answers["sv"]["detail"] == "Ärendet finns inte."
    assert answers[PSEUDO]["detail"] == "⟦Ärendet finns inte.⟧"
    by_parameter = await s.kommun.get(f"/api/applications/999999?lang={PSEUDO}")
    assert by_parameter.json()["detail"] == "⟦Ärendet finns inte.⟧"


async def test_the_checklist_answers_in_the_request_language_and_keeps_the_swedish(
    anonymous: httpx.AsyncClient, pseudo_language: str
) -> None:
    swedish = await ok(await anonymous.get("/api/checklist?lang=sv"))
    marked = await ok(await anonymous.get(f"/api/checklist?lang={PSEUDO}"))
    assert len(marked["points"]) == 13
    assert_all_marked("the checklist's title", marked["title"])
    for point, sv in zip(marked["points"], swedish["points"], strict=True):
        where = f"checklist point {point['number']}"
        assert_all_marked(where, [point["title"], *(c["text"] for c in point["criteria"]), point["guidance"]])
        assert point["title_sv"] == sv["title"] == sv["title_sv"]
        assert [c["text_sv"] for c in point["criteria"]] == [c["text"] for c in sv["criteria"]]
        ids_and_kinds = [(c["id"], c["kind"]) for c in point["criteria"]]
        assert ids_and_kinds == [(c["id"], c["kind"]) for c in sv["criteria"]]
        assert point["guidance_sv"] == sv["guidance"]


async def test_the_schema_lists_every_error_code(anonymous: httpx.AsyncClient) -> None:
    schema = await ok(await anonymous.get("/schema/openapi.json"))
    responses = schema["paths"]["/api/applications/{application_id}"]["get"]["responses"]
    for status in ("400", "401", "403", "404", "409", "415", "422"):
        assert responses[status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }
    code = schema["components"]["schemas"]["Error"]["properties"]["extra"]["properties"]["code"]
    assert code["enum"] == list(CODES)
    for listed in (
        "points_not_fulfilled",
        "transition_not_allowed",
        "invalid_field",
        "not_json",
        "stale_version",
    ):
        assert listed in code["enum"] and f"`{listed}`" in code["description"]
