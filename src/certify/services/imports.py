"""Importing the kommun's businesses from a CSV file, validated in full before anything is written.

Swedish spreadsheets export `;` or `,` separated files in UTF-8 (with or without BOM) or
Windows-1252; all of them are read. A business already known (same organisationsnummer and street
address in the kommun) is left as it is, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import msgspec

from certify import database
from certify.domain.errors import InvalidField
from certify.domain.org_number import normalise_org_number
from certify.services import events
from certify.services.accounts import normalise_email
from certify.services.actor import Actor
from certify.services.businesses import normalise_postal_code
from certify.tables import Business
from certify.text.errors import text_for

# Accepted header names (lower-cased) for each field; the Swedish name comes first.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("namn", "butik", "företag", "name"),
    "org_number": ("organisationsnummer", "orgnr", "org.nr", "org_number"),
    "street_address": ("adress", "gatuadress", "street_address", "address"),
    "postal_code": ("postnummer", "postnr", "postal_code"),
    "city": ("ort", "postort", "city"),
    "area": ("område", "omrade", "area"),
    "email": ("e-post", "epost", "mejl", "email", "e-mail"),
}
REQUIRED = ("name", "org_number", "street_address", "postal_code", "city")
FIELD_LABELS = {
    "name": "namn",
    "org_number": "organisationsnummer",
    "street_address": "adress",
    "postal_code": "postnummer",
    "city": "ort",
    "area": "område",
    "email": "e-post",
}
_LOOKUP_CHUNK = 500


class RowError(msgspec.Struct, kw_only=True):
    row: int  # the row as a spreadsheet numbers it: the header is row 1
    field: str
    message: str  # in the reader's language
    code: str  # stable (certify.text.errors), e.g. field_missing, duplicate_row, org_number_check_digit


class ImportReport(msgspec.Struct, kw_only=True):
    rows: int
    valid: int
    created: int
    unchanged: int
    written: bool
    errors: list[RowError]


class ImportFileError(InvalidField):
    """The file as a whole cannot be read as a business list."""

    def __init__(self, code: str, /, **params: object) -> None:
        super().__init__("file", code, **params)


@dataclass(slots=True)
class _Row:
    line: int
    fields: dict[str, str]
    errors: list[RowError] = field(default_factory=list)


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped) or, failing that, Windows-1252 as older Excel versions write."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFileError("import_not_text") from exc


def delimiter_of(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _header_map(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    names = [h.strip().lower() for h in header]
    for key, aliases in COLUMNS.items():
        for index, name in enumerate(names):
            if name in aliases:
                positions[key] = index
                break
    missing = [FIELD_LABELS[k] for k in REQUIRED if k not in positions]
    if missing:
        raise ImportFileError("import_header_incomplete", missing=", ".join(missing))
    return positions


def parse(data: bytes) -> list[_Row]:
    """Rows with their row numbers and each field validated and normalised by the core's rules."""
    try:
        return list(_rows(data))
    except csv.Error as exc:
        raise ImportFileError("import_not_csv") from exc


def _rows(data: bytes) -> Iterator[_Row]:
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    header = next(reader, None)
    if header is None:
        raise ImportFileError("import_empty")
    positions = _header_map(header)
    for row_number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        raw = {k: (cells[i].strip() if i < len(cells) else "") for k, i in positions.items()}
        yield _validate(row_number, raw)


def _validate(line: int, raw: dict[str, str]) -> _Row:
    row = _Row(line=line, fields={k: raw.get(k, "") for k in COLUMNS})
    checks: dict[str, Callable[[str], str]] = {
        "org_number": normalise_org_number,
        "postal_code": normalise_postal_code,
        "email": normalise_email,
    }
    for key in REQUIRED:
        if not row.fields[key]:
            row.errors.append(
                RowError(
                    row=line, field=FIELD_LABELS[key], message=text_for("field_missing"), code="field_missing"
                )
            )
    for key, check in checks.items():
        if row.fields[key]:
            try:
                row.fields[key] = check(row.fields[key])
            except InvalidField as exc:
                row.errors.append(
                    RowError(row=line, field=FIELD_LABELS[key], message=exc.message, code=exc.code)
                )
    return row


def _key(org_number: str, street_address: str) -> tuple[str, str]:
    return org_number, " ".join(street_address.lower().split())


async def _known(kommun_id: int, org_numbers: list[str]) -> set[tuple[str, str]]:
    known: set[tuple[str, str]] = set()
    for start in range(0, len(org_numbers), _LOOKUP_CHUNK):
        rows = (
            await Business.select(Business.org_number, Business.street_address)
            .where(
                (Business.kommun == kommun_id)
                & Business.org_number.is_in(org_numbers[start : start + _LOOKUP_CHUNK])
            )
            .run()
        )
        known.update(_key(r["org_number"], r["street_address"]) for r in rows)
    return known


async def import_businesses(
    data: bytes,
    kommun_id: int,
    *,
    actor: Actor | None = None,
    only_valid: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Validate every row; write all (or, if asked, only the valid rows) in one transaction."""
    rows = parse(data)
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        if row.errors:
            continue
        key = _key(row.fields["org_number"], row.fields["street_address"])
        if key in seen:
            row.errors.append(
                RowError(
                    row=row.line,
                    field="organisationsnummer",
                    message=text_for("duplicate_row", row=seen[key]),
                    code="duplicate_row",
                )
            )
        else:
            seen[key] = row.line
    valid = [r for r in rows if not r.errors]
    errors = [e for r in rows for e in r.errors]
    report = ImportReport(
        rows=len(rows), valid=len(valid), created=0, unchanged=0, written=False, errors=errors
    )
    if errors and not only_valid:
        return report
    async with database.transaction():
        known = await _known(kommun_id, sorted({r.fields["org_number"] for r in valid}))
        new = [r for r in valid if _key(r.fields["org_number"], r.fields["street_address"]) not in known]
        for done, row in enumerate(new, start=1):
            inserted = (
                await Business.insert(Business(kommun=kommun_id, owner=None, **row.fields))
                .returning(Business.id)
                .run()
            )
            await events.record(
                "business_imported", actor=actor, business_id=inserted[0]["id"], detail={"row": row.line}
            )
            if progress is not None:
                progress(done, len(new))
    report.created, report.unchanged, report.written = len(new), len(valid) - len(new), True
    return report
