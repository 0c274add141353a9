"""The chain case over the API (kedjebesiktning, issue 17) up to the drawn sample: the chain opens a
case in a kommun, keeps its central documentation, records its internal audit of every member,
submits or withdraws; the kommun assigns an inspector (which draws the sample), adds shops to the
sample and rejects; the kommun lists its chain cases."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody

from certify.domain import file_types
from certify.services import chain_cases
from certify.services.actor import Actor
from certify.services.chain_cases import ChainCaseSummary, ChainCaseView, ChainDocumentView
from certify.web import downloads
from certify.web.api.evidence import EvidenceUpload, limits_of, read_upload
from certify.web.api.schemas import (
    ChainAuditBody,
    ChainCaseActionBody,
    ChainCaseOpenBody,
    ChainCentralPointsBody,
    ChainCentralVerdictBody,
    ChainSampleBody,
    PathId,
)
from certify.web.guards import ANY_USER, INSPECTOR, KOMMUN, OWNER

SECRECY = (
    "The audits (status and comment per point) and the central documentation are security details: "
    "they go to the chain's representatives, the case's kommun and its assigned inspector only."
)
SAMPLE_RULE = (
    "The sample (IAF MD 1; the French arrêté of 25 November 2011, art. 12–13): 2–12 members → a "
    "quarter, rounded up; more than 12 → ⌈√n⌉ (first) or ⌈0.8·√n⌉ (renewal); at least a quarter of "
    "it drawn at random from the recorded `seed` (Python's random.Random(seed).sample over the sorted "
    "member ids), the rest by risk: never inspected, failed points last time, longest since an "
    "inspection."
)


class ChainCasesController(Controller):
    tags = ["chain cases"]

    @post(
        "/api/chains/{chain_id:int}/cases",
        opt=OWNER,
        status_code=201,
        summary="Open the chain's case in one kommun, for its member shops there (chain representative)",
        description=(
            "422 `chain_no_members_in_kommun` without members there; 422 `chain_case_open_exists` "
            "while one is open (its id in `extra.chain_case_id`); 400 for an unknown kommun code."
        ),
    )
    async def open_case(
        self, request: Request[Actor, Any, Any], chain_id: PathId, data: JSONBody[ChainCaseOpenBody]
    ) -> ChainCaseView:
        return await chain_cases.open_case(request.user, chain_id, data.kommun_code)

    @get(
        "/api/chains/{chain_id:int}/cases",
        opt=OWNER,
        summary="The chain's cases in every kommun (chain representative)",
    )
    async def chain_cases_of(
        self, request: Request[Actor, Any, Any], chain_id: PathId
    ) -> list[ChainCaseSummary]:
        return await chain_cases.list_for_chain(request.user, chain_id)

    @get(
        "/api/chain-cases/{chain_case_id:int}",
        opt=ANY_USER,
        summary="A chain case: members with audit completeness, the sample with its reasons and seed",
        description=(
            "The chain's representatives, the case's kommun and its assigned inspector see it whole; "
            "a member shop's owner sees his own shops' part only (`whole_case` false: no audits, no "
            "documents, no seed); anyone else 404. " + SAMPLE_RULE
        ),
    )
    async def get_case(self, request: Request[Actor, Any, Any], chain_case_id: PathId) -> ChainCaseView:
        return await chain_cases.view(request.user, chain_case_id)

    @put(
        "/api/chain-cases/{chain_case_id:int}/audits/{business_id:int}/{point:int}",
        opt=OWNER,
        summary="Record the chain's internal audit of one point at one member (chain representative)",
        description=(
            "While the case is a draft (409 `chain_case_not_draft` after); not_applicable needs a "
            "comment (400 `chain_audit_comment_missing`). " + SECRECY
        ),
    )
    async def set_audit(
        self,
        request: Request[Actor, Any, Any],
        chain_case_id: PathId,
        business_id: PathId,
        point: PathId,
        data: JSONBody[ChainAuditBody],
    ) -> ChainCaseView:
        return await chain_cases.set_audit(
            request.user, chain_case_id, business_id, point, data.status, data.comment, data.version
        )

    @post(
        "/api/chains/{chain_id:int}/documents",
        opt=OWNER,
        status_code=201,
        summary="Upload a file of the chain's central documentation (chain representative)",
        description=(
            f"Multipart field `file`: {file_types.ACCEPTED_LABEL}. Stored once per chain and used by "
            "its cases in every kommun; checked like every upload (photos normalised, PDFs without "
            "active content). " + SECRECY
        ),
    )
    async def add_document(
        self,
        request: Request[Actor, Any, Any],
        chain_id: PathId,
        data: Annotated[EvidenceUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> ChainDocumentView:
        limits = limits_of(request)
        content = await read_upload(data.file, limits)
        return await chain_cases.add_document(request.user, chain_id, data.file.filename, content, limits)

    @get(
        "/api/chains/{chain_id:int}/documents",
        opt=OWNER,
        summary="The chain's central documentation (chain representative)",
    )
    async def list_documents(
        self, request: Request[Actor, Any, Any], chain_id: PathId
    ) -> list[ChainDocumentView]:
        return await chain_cases.list_documents(request.user, chain_id)

    @get(
        "/api/chain-documents/{chain_document_id:int}",
        opt=ANY_USER,
        summary="Download a file of a chain's central documentation",
        description=(
            "The chain's representatives, the kommuner with a case of the chain and the inspectors "
            "assigned to one; anyone else 404. Always downloaded, never rendered here."
        ),
        operation_class=downloads.file_operation(file_types.EXTENSIONS),
    )
    async def download_document(
        self, request: Request[Actor, Any, Any], chain_document_id: PathId
    ) -> Response[bytes]:
        document, content = await chain_cases.read_document(request.user, chain_document_id)
        return downloads.file_response(
            content,
            document.content_type,
            document.file_name,
            cache="private, no-store",
            headers={"Content-Security-Policy": "default-src 'none'; sandbox"},
        )

    @post(
        "/api/chain-cases/{chain_case_id:int}/submit",
        opt=OWNER,
        status_code=200,
        summary="Send the chain case to the kommun (chain representative)",
        description=(
            "Needs central documentation and an internal audit of every point at every member: "
            "otherwise 422 with every problem in `extra.problems` (the shops by id) and the shops' "
            "names in `extra.shop_names`. The kommun receives it with a diarienummer."
        ),
    )
    async def submit(
        self, request: Request[Actor, Any, Any], chain_case_id: PathId, data: JSONBody[ChainCaseActionBody]
    ) -> ChainCaseView:
        return await chain_cases.submit(request.user, chain_case_id, data.version)

    @post(
        "/api/chain-cases/{chain_case_id:int}/withdraw",
        opt=OWNER,
        status_code=200,
        summary="Withdraw the chain case before it is assigned (chain representative)",
    )
    async def withdraw(
        self, request: Request[Actor, Any, Any], chain_case_id: PathId, data: JSONBody[ChainCaseActionBody]
    ) -> ChainCaseView:
        return await chain_cases.withdraw(request.user, chain_case_id, data.version)

    @post(
        "/api/chain-cases/{chain_case_id:int}/assign",
        opt=KOMMUN,
        status_code=200,
        summary="Assign an inspector; the sample is drawn now (kommun)",
        description=(
            "`inspector_id`: an active inspector serving the kommun (422 otherwise). The sample is "
            "drawn from a fresh seed recorded with the case. " + SAMPLE_RULE
        ),
    )
    async def assign(
        self, request: Request[Actor, Any, Any], chain_case_id: PathId, data: JSONBody[ChainCaseActionBody]
    ) -> ChainCaseView:
        return await chain_cases.assign(request.user, chain_case_id, data.inspector_id, data.version)

    @put(
        "/api/chain-cases/{chain_case_id:int}/central-points",
        opt=KOMMUN,
        summary="Mark the points judged on the chain's central documentation (kommun)",
        description=(
            "Default 1, 2, 11, 12, 13 (security officer, training, routines, cash transports, care of "
            "robbery victims). Until the case is assigned: 409 `chain_central_points_fixed` after; a "
            "point the case's checklist does not have is 400 naming `points`."
        ),
    )
    async def set_central_points(
        self, request: Request[Actor, Any, Any], chain_case_id: PathId, data: JSONBody[ChainCentralPointsBody]
    ) -> ChainCaseView:
        return await chain_cases.set_central_points(request.user, chain_case_id, data.points, data.version)

    @put(
        "/api/chain-cases/{chain_case_id:int}/central-verdicts/{point:int}",
        opt=INSPECTOR,
        summary="Judge a central point on the chain's documentation (the chain case's inspector)",
        description=(
            "`verdict` pass, fail or not_applicable; a fail or not applicable needs a `remark` (422 "
            "`remark_required`). Once per case, not at the shops; while the case is inspected (409 "
            "`chain_central_verdicts_locked`); a point not marked central is 400 naming `point`. "
            "The kommun and the chain read them in the case (`central_verdicts`). " + SECRECY
        ),
    )
    async def set_central_verdict(
        self,
        request: Request[Actor, Any, Any],
        chain_case_id: PathId,
        point: PathId,
        data: JSONBody[ChainCentralVerdictBody],
    ) -> ChainCaseView:
        return await chain_cases.set_central_verdict(
            request.user, chain_case_id, point, data.verdict, data.remark, data.version
        )

    @get(
        "/api/inspector/chain-cases",
        opt=INSPECTOR,
        summary="The chain cases assigned to the inspector, newest first (inspector)",
    )
    async def inspector_chain_cases(self, request: Request[Actor, Any, Any]) -> list[ChainCaseSummary]:
        return await chain_cases.list_for_inspector(request.user)

    @post(
        "/api/chain-cases/{chain_case_id:int}/sample",
        opt=KOMMUN,
        status_code=200,
        summary="Add a member shop to the sample (kommun)",
        description=(
            "While the case is inspected (409 `chain_sample_not_open` otherwise); a shop already "
            "sampled 409 `chain_shop_already_sampled`; a shop not in the case 404."
        ),
    )
    async def add_to_sample(
        self, request: Request[Actor, Any, Any], chain_case_id: PathId, data: JSONBody[ChainSampleBody]
    ) -> ChainCaseView:
        return await chain_cases.add_to_sample(request.user, chain_case_id, data.business_id, data.version)

    @delete(
        "/api/chain-cases/{chain_case_id:int}/sample/{business_id:int}",
        opt=KOMMUN,
        status_code=200,
        summary="Take a shop the kommun added out of the sample again (kommun)",
        description="A drawn shop stays: 409 `chain_drawn_shop_stays`.",
    )
    async def remove_from_sample(
        self, request: Request[Actor, Any, Any], chain_case_id: PathId, business_id: PathId
    ) -> ChainCaseView:
        return await chain_cases.remove_from_sample(request.user, chain_case_id, business_id)

    @post(
        "/api/chain-cases/{chain_case_id:int}/reject",
        opt=KOMMUN,
        status_code=200,
        summary="Reject the chain case, with a reason (kommun)",
        description="`reason` is required (400 `chain_reject_reason_missing`).",
    )
    async def reject(
        self, request: Request[Actor, Any, Any], chain_case_id: PathId, data: JSONBody[ChainCaseActionBody]
    ) -> ChainCaseView:
        return await chain_cases.reject(request.user, chain_case_id, data.reason or "", data.version)

    @post(
        "/api/chain-cases/{chain_case_id:int}/approve",
        opt=INSPECTOR,
        status_code=200,
        summary="Approve the chain case: every member shop gets its own certificate (assigned inspector)",
        description=(
            "Only with every sampled shop and every central point judged and passed, no serious "
            "deficiency open (422 naming what is missing, `extra.shop_names` naming the shops). In "
            "one transaction every member shop in the case gets a certified shop case and its own "
            "certificate (own number, PDF and decal, valid two years; a member's certificate in "
            "force is replaced like an ordinary renewal); nothing is issued if any of it fails."
        ),
    )
    async def approve(
        self, request: Request[Actor, Any, Any], chain_case_id: PathId, data: JSONBody[ChainCaseActionBody]
    ) -> ChainCaseView:
        return await chain_cases.approve(request.user, chain_case_id, data.version)

    @post(
        "/api/chain-cases/{chain_case_id:int}/revoke",
        opt=KOMMUN,
        status_code=200,
        summary="Revoke a certified chain case and every certificate it issued, with a reason (kommun)",
        description=(
            "`reason` is required (400 `chain_revoke_reason_missing`). Every certificate the case "
            "issued that still stands is revoked, and its shop case with it, each owner told as for "
            "an ordinary revocation. A member's own certificate is revoked alone on its shop case."
        ),
    )
    async def revoke(
        self, request: Request[Actor, Any, Any], chain_case_id: PathId, data: JSONBody[ChainCaseActionBody]
    ) -> ChainCaseView:
        return await chain_cases.revoke(request.user, chain_case_id, data.reason or "", data.version)

    @get(
        "/api/kommun/chain-cases",
        opt=KOMMUN,
        summary="The kommun's chain cases, newest first (kommun)",
    )
    async def kommun_chain_cases(self, request: Request[Actor, Any, Any]) -> list[ChainCaseSummary]:
        return await chain_cases.list_for_kommun(request.user)
