"""The case's records as XML for the archive: the case's description (after FGS Ärendehantering 2.0
/ CITS ERMS as far as its data fits, in a shape of our own: ERMS's schema is not ours to extend),
the self-assessment with the inspector's verdicts, and the audit trail.

Pure: plain data in, bytes out. Element names are the archive's vocabulary (namespace
`urn:x-certify:arkiv:1`), values are stored codes (states, verdicts), never worded sentences, so
the XML reads the same whatever the language of the moment.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from lxml import etree

NAMESPACE = "urn:x-certify:arkiv:1"
NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot carry (a pasted control character in a comment): left out."""


@dataclass(frozen=True, slots=True)
class CaseDescription:
    diarienummer: str
    case_id: int
    kommun_code: str
    kommun_name: str
    shop_name: str
    org_number: str
    street_address: str
    postal_code: str
    city: str
    area: str
    state: str  # the stored state code: certified, rejected, withdrawn, expired, revoked
    checklist_version: str
    rounds: int
    opened_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None
    closed_at: datetime
    certificate_number: str = ""
    certificate_valid_from: date | None = None
    certificate_valid_until: date | None = None
    certificate_status: str = ""
    secrecy: str = ""  # the marking code of what the package holds (domain.secrecy.MARKING)


@dataclass(frozen=True, slots=True)
class PointRecord:
    number: int
    title_sv: str
    local: bool
    answer_status: str  # "" when the owner gave none
    comment: str
    criteria: Mapping[str, str]  # criterion id -> met / not_met / not_applicable
    verdicts: tuple[VerdictRecord, ...]


@dataclass(frozen=True, slots=True)
class VerdictRecord:
    round: int
    verdict: str
    remark: str
    failed_criteria: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EventRecord:
    at: datetime
    actor: str
    action: str
    from_state: str
    to_state: str
    detail: Mapping[str, Any]


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _clean(value: str) -> str:
    return NOT_XML.sub("", value)


def _add(parent: etree._Element, name: str, value: object | None = None, **attributes: str) -> etree._Element:
    child = etree.SubElement(parent, _q(name), {k: _clean(v) for k, v in attributes.items()})
    if value is not None:
        child.text = _clean(_plain(value))
    return child


def _plain(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _root(name: str, **attributes: str) -> etree._Element:
    return etree.Element(_q(name), {k: _clean(v) for k, v in attributes.items()}, nsmap={None: NAMESPACE})


def _bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def description_xml(case: CaseDescription, documents: Iterable[str]) -> bytes:
    """The case as the archive describes it: identity, parties, dates, decision, what it holds."""
    root = _root("arende")
    _add(root, "diarienummer", case.diarienummer)
    _add(root, "arendeId", case.case_id)
    _add(root, "arendetyp", "Skydd mot rån i handeln")
    _add(root, "kommun", case.kommun_name, kod=case.kommun_code)
    shop = _add(root, "part", roll="sokande")
    _add(shop, "namn", case.shop_name)
    _add(shop, "organisationsnummer", case.org_number)
    _add(shop, "gatuadress", case.street_address)
    _add(shop, "postnummer", case.postal_code)
    _add(shop, "ort", case.city)
    if case.area:
        _add(shop, "omrade", case.area)
    _add(root, "status", case.state)
    _add(root, "checklista", case.checklist_version)
    _add(root, "besiktningsomgangar", case.rounds)
    dates = _add(root, "datum")
    _add(dates, "oppnat", case.opened_at)
    if case.submitted_at:
        _add(dates, "inkommet", case.submitted_at)
    if case.decided_at:
        _add(dates, "beslutat", case.decided_at)
    _add(dates, "avslutat", case.closed_at)
    if case.certificate_number:
        certificate = _add(root, "intyg", nummer=case.certificate_number, status=case.certificate_status)
        if case.certificate_valid_from:
            _add(certificate, "giltigtFran", case.certificate_valid_from)
        if case.certificate_valid_until:
            _add(certificate, "giltigtTill", case.certificate_valid_until)
    if case.secrecy:
        _add(root, "sekretess", case.secrecy)
    held = _add(root, "handlingar")
    for path in documents:
        _add(held, "handling", href=path)
    return _bytes(root)


def assessment_xml(diarienummer: str, checklist_version: str, points: Iterable[PointRecord]) -> bytes:
    """The owner's self-assessment point by point, with each round's verdict on the point."""
    root = _root("egenkontroll", diarienummer=diarienummer, checklista=checklist_version)
    for point in points:
        item = _add(root, "punkt", nummer=str(point.number), lokal="true" if point.local else "false")
        _add(item, "rubrik", point.title_sv)
        answer = _add(item, "svar", status=point.answer_status)
        if point.comment:
            _add(answer, "kommentar", point.comment)
        for criterion, mark in sorted(point.criteria.items()):
            _add(answer, "kriterium", mark, id=criterion)
        for verdict in point.verdicts:
            judged = _add(item, "bedomning", omgang=str(verdict.round), utfall=verdict.verdict)
            if verdict.remark:
                _add(judged, "anmarkning", verdict.remark)
            for criterion in verdict.failed_criteria:
                _add(judged, "ejUppfylltKriterium", criterion)
    return _bytes(root)


def events_xml(diarienummer: str, events: Iterable[EventRecord]) -> bytes:
    """The case's audit trail in order; each detail value as JSON text, as it is stored."""
    root = _root("handelser", diarienummer=diarienummer)
    for event in events:
        item = _add(
            root,
            "handelse",
            tid=_plain(event.at),
            atgard=event.action,
            franStatus=event.from_state,
            tillStatus=event.to_state,
        )
        _add(item, "aktor", event.actor)
        for key, value in event.detail.items():
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
            _add(item, "detalj", text, nyckel=key)
    return _bytes(root)
