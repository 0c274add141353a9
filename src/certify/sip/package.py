"""An E-ARK SIP (FGS Paketstruktur 2.0 = E-ARK CSIP and SIP) as one ZIP: plain data in, bytes out.

The layout is the CSIP's:

    <id>/METS.xml                               what is in the package, with checksums
    <id>/metadata/descriptive/arende.xml        the case (services/archive.py writes it)
    <id>/metadata/preservation/premis.xml       each file's SHA-256, size and format (PREMIS 3)
    <id>/representations/rep1/data/...          the documents themselves

Pure: no database and no clock; the same package gives the same bytes. The METS carries the CSIP
profile's attributes (csip:CONTENTINFORMATIONTYPE, csip:OAISPACKAGETYPE, ...) in the CSIP extension
namespace, which METS 1.12 admits on its elements; tests validate METS.xml and premis.xml against
the official METS 1.12.1 and PREMIS 3.0 schemas.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

METS = "http://www.loc.gov/METS/"
PREMIS = "http://www.loc.gov/premis/v3"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"

SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
METS_LOCATION = "http://www.loc.gov/standards/mets/mets.xsd"
PREMIS_LOCATION = "http://www.loc.gov/standards/premis/v3/premis.xsd"
REPRESENTATION = "representations/rep1"
DESCRIPTIVE = "metadata/descriptive/arende.xml"
PRESERVATION = "metadata/preservation/premis.xml"
SOFTWARE = "certify"

PDF_PUIDS = {
    b"1.0": "fmt/14",
    b"1.1": "fmt/15",
    b"1.2": "fmt/16",
    b"1.3": "fmt/17",
    b"1.4": "fmt/18",
    b"1.5": "fmt/19",
    b"1.6": "fmt/20",
    b"1.7": "fmt/276",
    b"2.0": "fmt/1129",
}
"""PRONOM's identifiers of the PDF versions, by the version in the file's first line."""
XML_PUID = "fmt/101"  # Extensible Markup Language 1.0

FORMAT_NAMES = {
    "application/pdf": "Portable Document Format",
    "text/xml": "Extensible Markup Language",
    "image/jpeg": "JPEG",
    "image/png": "Portable Network Graphics",
    "image/webp": "WebP",
    "image/heic": "High Efficiency Image File Format",
}


@dataclass(frozen=True, slots=True)
class ContentFile:
    """One document of the case, as it goes into the representation's data folder."""

    path: str  # under representations/rep1/data/, e.g. "intyg-BOR-2026-0001.pdf"
    content: bytes
    mime: str
    created: datetime  # when the document came in, was issued or was written
    original_name: str = ""  # the name it was sent in with, when someone uploaded it
    provenance: str = ""  # how the document came to be, as a PREMIS creation event (worded by the caller)


@dataclass(frozen=True, slots=True)
class Package:
    object_id: str  # the diarienummer: the package's identity (METS OBJID)
    folder: str  # the package's root folder and file name stem, e.g. "KS-2026-00042"
    label: str  # a short title of the case
    kommun_name: str  # the kommun, whose archive takes the package (the archival creator)
    created_at: datetime
    software_version: str
    descriptive: bytes  # metadata/descriptive/arende.xml
    files: tuple[ContentFile, ...]


@dataclass(frozen=True, slots=True)
class _Entry:
    """A file of the package with its fixity, as METS and PREMIS name it."""

    path: str  # from the package root
    content: bytes
    mime: str
    created: datetime
    original_name: str
    provenance: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def pronom_id(mime: str, content: bytes) -> str:
    """The PRONOM identifier where the format and its version are certain, else ""."""
    if mime == "application/pdf" and content.startswith(b"%PDF-"):
        return PDF_PUIDS.get(content[5:8], "")
    if mime == "text/xml":
        return XML_PUID
    return ""


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _element(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    child = etree.SubElement(parent, tag, {k: v for k, v in attributes.items()})
    if text is not None:
        child.text = text
    return child


def _m(name: str) -> str:
    return f"{{{METS}}}{name}"


def _p(name: str) -> str:
    return f"{{{PREMIS}}}{name}"


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def premis_xml(package: Package, entries: list[_Entry]) -> bytes:
    """One PREMIS object per file (SHA-256, size, format), the event that computed the digests, and
    the agents: certify and the kommun."""
    root = etree.Element(_p("premis"), nsmap={"premis": PREMIS, "xsi": XSI}, version="3.0")
    root.set(f"{{{XSI}}}schemaLocation", f"{PREMIS} {PREMIS_LOCATION}")
    for entry in entries:
        item = _element(root, _p("object"))
        item.set(f"{{{XSI}}}type", "premis:file")
        identifier = _element(item, _p("objectIdentifier"))
        _element(identifier, _p("objectIdentifierType"), "local")
        _element(identifier, _p("objectIdentifierValue"), entry.path)
        characteristics = _element(item, _p("objectCharacteristics"))
        _element(characteristics, _p("compositionLevel"), "0")
        fixity = _element(characteristics, _p("fixity"))
        _element(fixity, _p("messageDigestAlgorithm"), "SHA-256")
        _element(fixity, _p("messageDigest"), entry.sha256)
        _element(fixity, _p("messageDigestOriginator"), SOFTWARE)
        _element(characteristics, _p("size"), str(len(entry.content)))
        found = _element(characteristics, _p("format"))
        designation = _element(found, _p("formatDesignation"))
        _element(designation, _p("formatName"), FORMAT_NAMES.get(entry.mime, entry.mime))
        puid = pronom_id(entry.mime, entry.content)
        if puid:
            registry = _element(found, _p("formatRegistry"))
            _element(registry, _p("formatRegistryName"), "PRONOM")
            _element(registry, _p("formatRegistryKey"), puid)
            _element(registry, _p("formatRegistryRole"), "specification")
        if entry.original_name:
            _element(item, _p("originalName"), entry.original_name)
    event = _element(root, _p("event"))
    event_id = _element(event, _p("eventIdentifier"))
    _element(event_id, _p("eventIdentifierType"), "local")
    _element(event_id, _p("eventIdentifierValue"), f"{package.folder}-digests")
    _element(event, _p("eventType"), "message digest calculation")
    _element(event, _p("eventDateTime"), _when(package.created_at))
    outcome = _element(event, _p("eventOutcomeInformation"))
    _element(outcome, _p("eventOutcome"), "success")
    for role, value in (("executing program", SOFTWARE), ("authorizer", package.kommun_name)):
        agent_link = _element(event, _p("linkingAgentIdentifier"))
        _element(agent_link, _p("linkingAgentIdentifierType"), "local")
        _element(agent_link, _p("linkingAgentIdentifierValue"), value)
        _element(agent_link, _p("linkingAgentRole"), role)
    for entry in entries:
        object_link = _element(event, _p("linkingObjectIdentifier"))
        _element(object_link, _p("linkingObjectIdentifierType"), "local")
        _element(object_link, _p("linkingObjectIdentifierValue"), entry.path)
    for number, entry in enumerate((e for e in entries if e.provenance), start=1):
        _creation(root, f"{package.folder}-creation-{number}", entry)
    for name, kind, version in (
        (SOFTWARE, "software", package.software_version),
        (package.kommun_name, "organization", ""),
    ):
        agent = _element(root, _p("agent"))
        agent_id = _element(agent, _p("agentIdentifier"))
        _element(agent_id, _p("agentIdentifierType"), "local")
        _element(agent_id, _p("agentIdentifierValue"), name)
        _element(agent, _p("agentName"), name)
        _element(agent, _p("agentType"), kind)
        if version:
            _element(agent, _p("agentVersion"), version)
    return _serialise(root)


def _creation(root: etree._Element, identifier: str, entry: _Entry) -> None:
    """How a document came to be (e.g. stored when issued, or drawn at export), at its creation time."""
    event = _element(root, _p("event"))
    event_id = _element(event, _p("eventIdentifier"))
    _element(event_id, _p("eventIdentifierType"), "local")
    _element(event_id, _p("eventIdentifierValue"), identifier)
    _element(event, _p("eventType"), "creation")
    _element(event, _p("eventDateTime"), _when(entry.created))
    detail = _element(event, _p("eventDetailInformation"))
    _element(detail, _p("eventDetail"), entry.provenance)
    agent_link = _element(event, _p("linkingAgentIdentifier"))
    _element(agent_link, _p("linkingAgentIdentifierType"), "local")
    _element(agent_link, _p("linkingAgentIdentifierValue"), SOFTWARE)
    _element(agent_link, _p("linkingAgentRole"), "executing program")
    object_link = _element(event, _p("linkingObjectIdentifier"))
    _element(object_link, _p("linkingObjectIdentifierType"), "local")
    _element(object_link, _p("linkingObjectIdentifierValue"), entry.path)


def _md_ref(parent: etree._Element, entry: _Entry, mdtype: str, **other: str) -> None:
    ref = _element(
        parent,
        _m("mdRef"),
        LOCTYPE="URL",
        MDTYPE=mdtype,
        MIMETYPE=entry.mime,
        SIZE=str(len(entry.content)),
        CREATED=_when(entry.created),
        CHECKSUM=entry.sha256,
        CHECKSUMTYPE="SHA-256",
        **other,
    )
    ref.set(f"{{{XLINK}}}type", "simple")
    ref.set(f"{{{XLINK}}}href", entry.path)


def mets_xml(package: Package, descriptive: _Entry, preservation: _Entry, data: list[_Entry]) -> bytes:
    """The root METS of the CSIP: header with agents, the descriptive and preservation metadata by
    reference, every data file with its checksum, and the CSIP's physical structure map."""
    root = etree.Element(
        _m("mets"),
        nsmap={"mets": METS, "xlink": XLINK, "xsi": XSI, "csip": CSIP, "sip": SIP},
        OBJID=package.object_id,
        LABEL=package.label,
        TYPE="Other",
        PROFILE=SIP_PROFILE,
    )
    root.set(f"{{{XSI}}}schemaLocation", f"{METS} {METS_LOCATION}")
    root.set(f"{{{CSIP}}}OTHERTYPE", "Case")
    root.set(f"{{{CSIP}}}CONTENTINFORMATIONTYPE", "OTHER")
    root.set(f"{{{CSIP}}}OTHERCONTENTINFORMATIONTYPE", "FGS Arendehantering")
    header = _element(root, _m("metsHdr"), CREATEDATE=_when(package.created_at), RECORDSTATUS="NEW")
    header.set(f"{{{CSIP}}}OAISPACKAGETYPE", "SIP")
    software = _element(header, _m("agent"), ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    _element(software, _m("name"), SOFTWARE)
    note = _element(software, _m("note"), package.software_version)
    note.set(f"{{{CSIP}}}NOTETYPE", "SOFTWARE VERSION")
    archivist = _element(header, _m("agent"), ROLE="ARCHIVIST", TYPE="ORGANIZATION")
    _element(archivist, _m("name"), package.kommun_name)
    dmd = _element(root, _m("dmdSec"), ID="dmd-1", CREATED=_when(package.created_at), STATUS="CURRENT")
    _md_ref(dmd, descriptive, "OTHER", OTHERMDTYPE="certify-arende")
    amd = _element(root, _m("amdSec"), ID="amd-1")
    digiprov = _element(amd, _m("digiprovMD"), ID="premis-1", STATUS="CURRENT")
    _md_ref(digiprov, preservation, "PREMIS")
    file_section = _element(root, _m("fileSec"), ID="filesec-1")
    group = _element(file_section, _m("fileGrp"), ID="grp-rep1", USE="Representations/rep1")
    for number, entry in enumerate(data, start=1):
        item = _element(
            group,
            _m("file"),
            ID=f"file-{number}",
            MIMETYPE=entry.mime,
            SIZE=str(len(entry.content)),
            CREATED=_when(entry.created),
            CHECKSUM=entry.sha256,
            CHECKSUMTYPE="SHA-256",
        )
        location = _element(item, _m("FLocat"), LOCTYPE="URL")
        location.set(f"{{{XLINK}}}type", "simple")
        location.set(f"{{{XLINK}}}href", entry.path)
    structure = _element(root, _m("structMap"), ID="struct-1", TYPE="PHYSICAL", LABEL="CSIP")
    top = _element(structure, _m("div"), ID="div-root", LABEL=package.folder)
    _element(top, _m("div"), ID="div-metadata", LABEL="Metadata", DMDID="dmd-1", ADMID="premis-1")
    representation = _element(top, _m("div"), ID="div-rep1", LABEL="Representations/rep1")
    for number in range(1, len(data) + 1):
        _element(representation, _m("fptr"), FILEID=f"file-{number}")
    return _serialise(root)


def build(package: Package) -> bytes:
    """The package as a ZIP whose one top folder is the package's id."""
    data = [
        _Entry(f"{REPRESENTATION}/data/{f.path}", f.content, f.mime, f.created, f.original_name, f.provenance)
        for f in package.files
    ]
    descriptive = _Entry(DESCRIPTIVE, package.descriptive, "text/xml", package.created_at, "")
    preservation_content = premis_xml(package, [descriptive, *data])
    preservation = _Entry(PRESERVATION, preservation_content, "text/xml", package.created_at, "")
    mets = mets_xml(package, descriptive, preservation, data)
    stamp = package.created_at.timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, content in (
            ("METS.xml", mets),
            (DESCRIPTIVE, descriptive.content),
            (PRESERVATION, preservation_content),
            *((entry.path, entry.content) for entry in data),
        ):
            info = zipfile.ZipInfo(f"{package.folder}/{path}", date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()
