"""Who is calling: the logged-in user as the services see them."""

from __future__ import annotations

from dataclasses import dataclass

from certify.domain.status import Role


@dataclass(frozen=True, slots=True)
class Actor:
    id: int
    email: str
    name: str
    role: Role
    kommun_id: int | None = None  # a kommun user's own kommun
    inspector_kommun_ids: frozenset[int] = frozenset()  # the kommuner an inspector serves
    must_change_password: bool = False
    language: str = ""  # the language the person chose (certify.text), "" when none

    @property
    def label(self) -> str:
        return f"{self.name} <{self.email}>"


def kommun_reader(kommun_id: int) -> Actor:
    """certify itself reading a case as the case's own kommun would, through the same scoped views,
    for work no person asked for just then: the archive package, the protocol stored with a decision."""
    return Actor(id=0, email="", name="certify", role=Role.kommun, kommun_id=kommun_id)
