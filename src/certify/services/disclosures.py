"""Utlämnande: someone outside a case asks the kommun for one of its marked documents; the kommun
tests the secrecy, decides, and records who asked, its assessment and the decision's reference.

The decision is an event (the audit trail) that registers an outgoing document (the document
register's `disclosure` kind, services/document_register.py); who asked is kept there and on the
event, never in a webhook (domain/secrecy.py). Only a kommun user of the case's own kommun decides.
"""

from __future__ import annotations

from certify import database
from certify.domain.errors import InvalidField, NotFound
from certify.domain.secrecy import MARKING, Assessment
from certify.services import document_register, events, policy
from certify.services.actor import Actor
from certify.services.document_register import RegisterQuery
from certify.services.policy import Capability, application_scope
from certify.services.views import RegisteredDocumentView
from certify.tables import Application, RegisteredDocument

LONGEST_REQUESTER = 200
LONGEST_DECISION = 100


def _checked(requester: str, assessment: str, decision: str) -> tuple[str, Assessment, str]:
    requester, decision = requester.strip(), decision.strip()
    if not requester or len(requester) > LONGEST_REQUESTER:
        raise InvalidField("requester", "disclosure_requester_invalid", longest=LONGEST_REQUESTER)
    if assessment not in set(Assessment):
        raise InvalidField("assessment", "disclosure_assessment_unknown")
    if not decision or len(decision) > LONGEST_DECISION:
        raise InvalidField("decision", "disclosure_decision_invalid", longest=LONGEST_DECISION)
    return requester, Assessment(assessment), decision


async def decide(
    actor: Actor, application_id: int, *, document_id: int, requester: str, assessment: str, decision: str
) -> RegisteredDocumentView:
    """Record the kommun's decision on handing out one of the case's marked documents."""
    policy.require(actor, Capability.decide_disclosure)
    asked_by, judged, reference = _checked(requester, assessment, decision)
    async with database.transaction():
        case = (
            await Application.select(Application.id, Application.business)
            .where((Application.id == application_id) & application_scope(actor))
            .first()
            .run()
        )
        if case is None:
            raise NotFound("case_not_found")
        document = (
            await RegisteredDocument.select(RegisteredDocument.kind, RegisteredDocument.detail)
            .where(
                (RegisteredDocument.id == document_id)
                & (RegisteredDocument.application == application_id)
                & (RegisteredDocument.secrecy == MARKING)
                & (RegisteredDocument.kind != "disclosure")
            )
            .first()
            .output(load_json=True)
            .run()
        )
        if document is None:
            raise InvalidField("document_id", "disclosure_document_unknown")
        await events.record(
            "disclosure_decided",
            actor=actor,
            application_id=application_id,
            business_id=case["business"],
            detail={
                "document_id": document_id,
                "document_kind": document["kind"],
                "document_detail": document["detail"] or {},
                "requester": asked_by,
                "assessment": judged.value,
                "decision": reference,
            },
        )
    register = await document_register.entries(actor, RegisterQuery(case_id=application_id))
    return next(d for d in reversed(register) if d.kind == "disclosure")


async def marked_documents(actor: Actor, application_id: int) -> list[RegisteredDocumentView]:
    """The case's marked documents that someone outside may ask for (the form's choices)."""
    register = await document_register.entries(actor, RegisterQuery(case_id=application_id))
    return [d for d in register if d.secrecy == MARKING and d.kind != "disclosure"]
