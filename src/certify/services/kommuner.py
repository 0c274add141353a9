"""Kommuner served by this installation."""

from __future__ import annotations

import re
import unicodedata

from certify.domain.certificate_number import normalise_prefix
from certify.domain.errors import Conflict, InvalidField
from certify.services.views import KommunView
from certify.tables import Kommun

_CODE = re.compile(r"^[0-9]{4}$")


def default_prefix(name: str) -> str:
    """Three letters for certificate numbers (first letter, second and last consonant).

    Borlänge gives BLG; any kommun can set its own with `certify add-kommun --prefix`.
    """
    word = name.replace(" kommun", "").strip()
    ascii_word = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().upper()
    consonants = [c for c in ascii_word[1:] if c.isalpha() and c not in "AEIOUY"]
    if len(consonants) < 2:
        return ascii_word[:3].ljust(3, "X")
    return ascii_word[0] + consonants[1] + consonants[-1]


async def add(code: str, name: str, contact_line: str = "", prefix: str = "") -> KommunView:
    if not _CODE.match(code):
        raise InvalidField("code", "kommun_code_invalid")
    if not name.strip():
        raise InvalidField("name", "field_empty")
    if await Kommun.exists().where(Kommun.code == code).run():
        raise Conflict("kommun_exists", kommun=code)
    await Kommun.insert(
        Kommun(
            code=code,
            name=name.strip(),
            contact_line=contact_line.strip(),
            certificate_prefix=normalise_prefix(prefix or default_prefix(name)),
        )
    ).run()
    return KommunView(code=code, name=name.strip(), contact_line=contact_line.strip())


async def list_all() -> list[KommunView]:
    rows = await Kommun.select(Kommun.code, Kommun.name, Kommun.contact_line).order_by(Kommun.name).run()
    return [KommunView(**r) for r in rows]


async def name_of(kommun_id: int) -> str | None:
    row = await Kommun.select(Kommun.name).where(Kommun.id == kommun_id).first().run()
    return None if row is None else str(row["name"])
