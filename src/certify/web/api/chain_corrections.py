"""The correction round of a chain case over the API (kedjebesiktning, issue 17): the inspector
requires corrections, the chain declares for every member shop whether a failed point's deficiency
exists there (the systemic check) and reports its corrections, which enlarges the sample; a serious
deficiency holds the case until every member has evidence the inspector accepted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get, post, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody
from msgspec import Meta

from certify.domain import file_types
from certify.services import chain_corrections
from certify.services.actor import Actor
from certify.services.chain_cases import ChainCaseView
from certify.services.chain_corrections import ChainCorrectionsView, ChainFixView, SystemicDeclaration
from certify.web import downloads
from certify.web.api.evidence import limits_of, read_upload
from certify.web.api.schemas import Body as StrictBody
from certify.web.api.schemas import Id, LongText, PathId, Version
from certify.web.guards import ANY_USER, INSPECTOR, OWNER

SECRECY = (
    "The declarations and the evidence are security details of the shops: they go to the chain's "
    "representatives, the case's kommun and its assigned inspector; a member shop's owner sees his "
    "own shop's only; anyone else 404."
)
REFUSAL = (
    "A refusal is 422 with every problem in `extra.problems` (code, shops by id, points) and the "
    "shops' names in `extra.shop_names`."
)


class ChainVersionBody(StrictBody):
    version: Version | None = None


class SystemicDeclarationBody(StrictBody):
    business_id: Id
    point: Annotated[int, Meta(ge=1, le=99)]
    present: bool
    comment: LongText = ""


class SystemicCheckBody(StrictBody):
    """The chain's declarations for member shops and failed points (any number at once)."""

    declarations: list[SystemicDeclarationBody]
    version: Version | None = None


class SeriousPointBody(StrictBody):
    """A failed point the inspector marks as a serious deficiency, where it was found:
    `business_id` a sampled shop, or null for the chain's central documentation."""

    point: Id
    business_id: Id | None = None
    remark: LongText = ""
    version: Version | None = None


class FixJudgementBody(StrictBody):
    judgement: Literal["accepted", "refused"]


@dataclass
class ChainFixUpload:
    file: UploadFile
    comment: str = ""


class ChainCorrectionsController(Controller):
    tags = ["chain cases"]

    @get(
        "/api/chain-cases/{chain_case_id:int}/corrections",
        opt=ANY_USER,
        summary="The chain case's correction round: failed points, systemic check, serious points, evidence",
        description=(
            "`report_problems`: what still stops the chain reporting its corrections; "
            "`release_problems`: what still stops releasing a held case. " + SECRECY
        ),
    )
    async def corrections(
        self, request: Request[Actor, Any, Any], chain_case_id: PathId
    ) -> ChainCorrectionsView:
        return await chain_corrections.view(request.user, chain_case_id)

    @post(
        "/api/chain-cases/{chain_case_id:int}/require-corrections",
        opt=INSPECTOR,
        status_code=200,
        summary="Require corrections after a failed point (the case's inspector)",
        description=(
            "From inspecting, when a sampled shop or a central point has a failed verdict (422 "
            "`nothing_failed` otherwise). The chain's representatives are told by e-mail."
        ),
    )
    async def require_corrections(
        self, request: Request[Actor, Any, Any], chain_case_id: PathId, data: JSONBody[ChainVersionBody]
    ) -> ChainCaseView:
        return await chain_corrections.require_corrections(request.user, chain_case_id, data.version)

    @put(
        "/api/chain-cases/{chain_case_id:int}/systemic-check",
        opt=OWNER,
        summary="Declare per member shop whether a failed point's deficiency is there (chain representative)",
        description=(
            "While corrections are required (409 `chain_systemic_check_not_open` otherwise). A point "
            "that did not fail is 422 `chain_point_not_failed`; a shop not in the case 404; a present "
            "deficiency needs a comment saying what the chain did (400). " + SECRECY
        ),
    )
    async def systemic_check(
        self, request: Request[Actor, Any, Any], chain_case_id: PathId, data: JSONBody[SystemicCheckBody]
    ) -> ChainCorrectionsView:
        declarations = [
            SystemicDeclaration(
                business_id=d.business_id, point=d.point, present=d.present, comment=d.comment
            )
            for d in data.declarations
        ]
        return await chain_corrections.declare(request.user, chain_case_id, declarations, data.version)

    @post(
        "/api/chain-cases/{chain_case_id:int}/report-corrections",
        opt=OWNER,
        status_code=200,
        summary="Report the corrections; the sample is enlarged (chain representative)",
        description=(
            "Needs the systemic check complete: for every failed point a declaration for every member "
            "(422 `systemic_check_missing` naming the shops otherwise). The round goes up; the failed "
            "shops are judged again (passed points stand); the sample grows by its first size, drawn "
            "at random from the members not yet sampled with Python's "
            "`random.Random(f'{seed}:{round}').sample(sorted ids, k)` (reason `enlarged`, `round` the "
            "new round). " + REFUSAL
        ),
    )
    async def report_corrections(
        self, request: Request[Actor, Any, Any], chain_case_id: PathId, data: JSONBody[ChainVersionBody]
    ) -> ChainCaseView:
        return await chain_corrections.report_corrections(request.user, chain_case_id, data.version)

    @post(
        "/api/chain-cases/{chain_case_id:int}/serious-points",
        opt=INSPECTOR,
        status_code=200,
        summary="Mark a failed point a serious deficiency; the case is held (the case's inspector)",
        description=(
            "The point must have failed where it is said to be found (422 `chain_point_not_failed`); "
            "marked already: 409 `chain_point_already_serious`. The case is held until every member "
            "shop has evidence the inspector accepted."
        ),
    )
    async def mark_serious(
        self, request: Request[Actor, Any, Any], chain_case_id: PathId, data: JSONBody[SeriousPointBody]
    ) -> ChainCaseView:
        return await chain_corrections.mark_serious(
            request.user, chain_case_id, data.point, data.business_id, data.remark, data.version
        )

    @post(
        "/api/chain-cases/{chain_case_id:int}/fixes/{business_id:int}/{point:int}",
        opt=OWNER,
        status_code=201,
        summary="Upload evidence that a serious deficiency is fixed at a member shop (chain representative)",
        description=(
            f"Multipart fields `file` ({file_types.ACCEPTED_LABEL}) and `comment`. While the case is "
            "held (409 `chain_case_not_held`); the point must be marked serious (422 "
            "`chain_point_not_serious`). Checked like every upload (photos normalised, PDFs without "
            "active content). " + SECRECY
        ),
    )
    async def add_fix(
        self,
        request: Request[Actor, Any, Any],
        chain_case_id: PathId,
        business_id: PathId,
        point: PathId,
        data: Annotated[ChainFixUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> ChainFixView:
        limits = limits_of(request)
        content = await read_upload(data.file, limits)
        return await chain_corrections.add_fix(
            request.user,
            chain_case_id,
            business_id,
            point,
            (data.comment or "")[:4000],
            data.file.filename,
            content,
            limits,
        )

    @get(
        "/api/chain-fixes/{chain_fix_id:int}",
        opt=ANY_USER,
        summary="Download one piece of evidence of a fixed serious deficiency",
        description=SECRECY + " Always downloaded, never rendered here.",
        operation_class=downloads.file_operation(file_types.EXTENSIONS),
    )
    async def download_fix(self, request: Request[Actor, Any, Any], chain_fix_id: PathId) -> Response[bytes]:
        fix, content = await chain_corrections.read_fix(request.user, chain_fix_id)
        return downloads.file_response(
            content,
            fix.content_type,
            fix.file_name,
            cache="private, no-store",
            headers={"Content-Security-Policy": "default-src 'none'; sandbox"},
        )

    @post(
        "/api/chain-fixes/{chain_fix_id:int}/judgement",
        opt=INSPECTOR,
        status_code=200,
        summary="Accept or refuse one piece of evidence (the case's inspector)",
        description="While the case is held. Refused evidence does not count; the chain uploads again.",
    )
    async def judge_fix(
        self, request: Request[Actor, Any, Any], chain_fix_id: PathId, data: JSONBody[FixJudgementBody]
    ) -> ChainCorrectionsView:
        return await chain_corrections.judge_fix(request.user, chain_fix_id, data.judgement)

    @post(
        "/api/chain-cases/{chain_case_id:int}/release",
        opt=INSPECTOR,
        status_code=200,
        summary="Release a held chain case (the case's inspector)",
        description=(
            "Needs, for every serious point, accepted evidence from every member shop (422 "
            "`serious_deficiency_open` naming the shops otherwise). The case is inspected again. " + REFUSAL
        ),
    )
    async def release(
        self, request: Request[Actor, Any, Any], chain_case_id: PathId, data: JSONBody[ChainVersionBody]
    ) -> ChainCaseView:
        return await chain_corrections.release(request.user, chain_case_id, data.version)
