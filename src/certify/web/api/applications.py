"""Cases: reading, answers, verdicts, workflow actions and the audit trail."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from certify.domain.status import CaseState
from certify.services import archive, cases, checklist, diarium, disclosures
from certify.services.actor import Actor
from certify.services.clock import SWEDEN
from certify.services.views import (
    AnswerView,
    ApplicationListItem,
    ApplicationView,
    ChecklistView,
    EventView,
    RegisteredDocumentView,
    VerdictView,
)
from certify.web import auth, downloads
from certify.web.api.schemas import (
    ActionBody,
    AnswerBody,
    DiarienummerBody,
    DisclosureBody,
    PathId,
    QueryId,
    VerdictBody,
)
from certify.web.guards import ANY_USER, INSPECTOR, KOMMUN, OWNER
from certify.web.idempotency import idempotent


class ApplicationsController(Controller):
    path = "/api/applications"
    tags = ["applications"]

    @get("/", opt=ANY_USER, summary="Cases the caller may see, filtered")
    async def list_applications(
        self,
        request: Request[Actor, Any, Any],
        case_state: Annotated[CaseState | None, QueryParameter(name="state")] = None,
        area: FromQuery[str | None] = None,
        inspector_id: QueryId = None,
    ) -> list[ApplicationListItem]:
        return await cases.list_visible(request.user, state=case_state, area=area, inspector_id=inspector_id)

    @get("/{application_id:int}", opt=ANY_USER, summary="One case with answers, verdicts, certificate")
    async def get_application(
        self, request: Request[Actor, Any, Any], application_id: PathId
    ) -> Response[ApplicationView]:
        """Served from this instance's memory when nothing it shows changed (services.case_cache),
        already encoded."""
        cache, caught_up = auth.case_cache(request.scope), auth.caught_up(request.scope)
        read = await cache.json(request.user, application_id, caught_up)
        return Response(read, media_type=MediaType.JSON)

    @get(
        "/{application_id:int}/checklist",
        opt=ANY_USER,
        summary="The checklist the case is judged on, local points included, in the request's language",
    )
    async def case_checklist(
        self, request: Request[Actor, Any, Any], application_id: PathId
    ) -> ChecklistView:
        return checklist.in_reader_language(await cases.checklist_of(request.user, application_id))

    @put(
        "/{application_id:int}/answers/{point:int}",
        opt=OWNER,
        middleware=[idempotent],
        summary="Answer one point (owner)",
    )
    async def put_answer(
        self,
        request: Request[Actor, Any, Any],
        application_id: PathId,
        point: FromPath[int],
        data: JSONBody[AnswerBody],
    ) -> AnswerView:
        return await cases.set_answer(
            request.user, application_id, point, data.status, data.comment, data.version, data.criteria or {}
        )

    @put(
        "/{application_id:int}/verdicts/{point:int}",
        opt=INSPECTOR,
        middleware=[idempotent],
        summary="Judge one point (the assigned inspector)",
    )
    async def put_verdict(
        self,
        request: Request[Actor, Any, Any],
        application_id: PathId,
        point: FromPath[int],
        data: JSONBody[VerdictBody],
    ) -> VerdictView:
        return await cases.set_verdict(
            request.user, application_id, point, data.verdict, data.remark, data.version, data.failed_criteria
        )

    @put(
        "/{application_id:int}/diarienummer",
        opt=KOMMUN,
        summary="Register the number from the kommun's own case system (kommun, once)",
        description=(
            "Only for a kommun that types its diarienummer in instead of having certify hand them out, "
            "and only once the case has come in (submitted). 409 when the case already has a number "
            "or another case of the kommun has this one."
        ),
    )
    async def put_diarienummer(
        self, request: Request[Actor, Any, Any], application_id: PathId, data: JSONBody[DiarienummerBody]
    ) -> ApplicationView:
        await diarium.register_typed(request.user, application_id, data.diarienummer)
        return await cases.view(request.user, application_id)

    @post(
        "/{application_id:int}/disclosures",
        opt=KOMMUN,
        status_code=201,
        summary="Record a decision on handing out a marked document to someone outside the case (kommun)",
        description=(
            "Utlämnande: `document_id` is one of the case's register entries marked for secrecy, "
            "`requester` who asked, `assessment` released, released_in_part or refused, `decision` the "
            "decision's reference. The register gets an outgoing entry; returned here."
        ),
    )
    async def disclose(
        self, request: Request[Actor, Any, Any], application_id: PathId, data: JSONBody[DisclosureBody]
    ) -> RegisteredDocumentView:
        return await disclosures.decide(
            request.user,
            application_id,
            document_id=data.document_id,
            requester=data.requester,
            assessment=data.assessment,
            decision=data.decision,
        )

    @post(
        "/{application_id:int}/archive-package",
        opt=KOMMUN,
        status_code=200,
        media_type="application/zip",
        summary="Deliver the closed case to the e-archive: its E-ARK SIP as a ZIP (kommun)",
        description=(
            "One E-ARK SIP (FGS Paketstruktur 2.0): METS.xml, PREMIS with each file's SHA-256, the "
            "certificate as issued, the protocols, the self-assessment and verdicts as PDF and XML, the "
            "evidence files and the audit trail as XML; named by the diarienummer. The delivery is "
            "registered as an outgoing document and in the audit trail; the case itself does not change. "
            "404 for another kommun's case, 409 while the case is open or has no diarienummer."
        ),
    )
    async def archive_package(
        self, request: Request[Actor, Any, Any], application_id: PathId
    ) -> Response[bytes]:
        package = await archive.export(request.user, application_id)
        return downloads.file_response(package.content, "application/zip", package.file_name)

    @post(
        "/{application_id:int}/{action:str}",
        opt=ANY_USER,
        middleware=[idempotent],
        status_code=200,
        summary="Perform a workflow action (who may act is set per action)",
        description=(
            "Actions: submit, withdraw, report_corrections (owner); assign, revoke (kommun); "
            "require_corrections, approve (assigned inspector); reject (inspector or kommun). "
            "409 when not allowed from the current state or on a concurrent change; "
            "422 when a rule is not met."
        ),
    )
    async def act(
        self,
        request: Request[Actor, Any, Any],
        application_id: PathId,
        action: FromPath[str],
        data: JSONBody[ActionBody | None] = None,
    ) -> ApplicationView:
        body = data or ActionBody()
        visit_at = body.visit_at
        if visit_at is not None and visit_at.tzinfo is None:
            visit_at = visit_at.replace(tzinfo=SWEDEN)  # local Swedish time when no offset is given
        result = await cases.perform(
            request.user,
            application_id,
            action,
            cases.ActionInput(
                version=body.version,
                inspector_id=body.inspector_id,
                visit_at=visit_at,
                deadline=body.deadline,
                reason=body.reason,
                comment=body.comment,
            ),
        )
        assert result is not None
        return result

    @get("/{application_id:int}/events", opt=ANY_USER, summary="The case's audit trail, in order")
    async def list_events(self, request: Request[Actor, Any, Any], application_id: PathId) -> list[EventView]:
        return await cases.list_events(request.user, application_id)
