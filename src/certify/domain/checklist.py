"""The 13 points, read from the versioned data files shipped in the package, and the criteria of
a kommun's own points (numbered after them when the kommun publishes them).

Version 2026.1 (checklist_v1.json) lists each point's criteria as plain sentences; version 2026.2
(checklist_v2.json) writes them as the programme does, each with a stable id and a kind. Both are
read into the same shape: a v1 sentence is criterion `<point>.<n>`, required, as v1 treated it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources

POINT_COUNT = 13
CASH_RELATED_POINTS = frozenset({3, 4, 5, 6, 12})
CURRENT_FILE = "checklist_v2.json"


class CriterionKind(StrEnum):
    required = "required"  # krav: not met fails the point
    conditional = "conditional"  # applies only when the shop has the thing it names
    recommended = "recommended"  # råd: never fails a point


@dataclass(frozen=True, slots=True)
class CriterionSpec:
    id: str
    kind: CriterionKind
    text: str  # the official Swedish, the catalogue's message id


@dataclass(frozen=True, slots=True)
class ChecklistPointSpec:
    number: int
    title_sv: str
    title_en: str
    criteria: tuple[CriterionSpec, ...]
    guidance: str
    cash_related: bool


@dataclass(frozen=True, slots=True)
class ChecklistSpec:
    version: str
    title: str
    points: tuple[ChecklistPointSpec, ...]


def criteria_from_data(number: int, raw: Sequence[str | Mapping[str, str]]) -> tuple[CriterionSpec, ...]:
    """A point's criteria as the data file or the checklist_points row holds them, in either form."""
    criteria: list[CriterionSpec] = []
    for index, item in enumerate(raw, start=1):
        if isinstance(item, str):
            criteria.append(CriterionSpec(id=f"{number}.{index}", kind=CriterionKind.required, text=item))
        else:
            criteria.append(CriterionSpec(id=item["id"], kind=CriterionKind(item["kind"]), text=item["text"]))
    ids = [c.id for c in criteria]
    if len(set(ids)) != len(ids) or any(not i.startswith(f"{number}.") for i in ids):
        raise ValueError(f"point {number}: criterion ids must be unique and start with {number}.")
    return tuple(criteria)


@dataclass(frozen=True, slots=True)
class LocalCriterion:
    """A criterion of a kommun's own point as the kommun wrote it; its id comes with its number."""

    kind: CriterionKind
    text: str

    @classmethod
    def from_data(cls, raw: Mapping[str, str]) -> LocalCriterion:
        return cls(kind=CriterionKind(raw["kind"]), text=raw["text"])


def local_criteria(number: int, criteria: Sequence[LocalCriterion]) -> tuple[CriterionSpec, ...]:
    """A local point's criteria as published under its number: ids `<number>.1`, `<number>.2`…"""
    return tuple(
        CriterionSpec(id=f"{number}.{index}", kind=c.kind, text=c.text)
        for index, c in enumerate(criteria, start=1)
    )


def criteria_named(raw: Sequence[str | Mapping[str, str]]) -> bool:
    """Whether a point's criteria were written with ids and kinds (2026.2 on), so that a fail must
    name the criteria not met; 2026.1's plain sentences were not."""
    return bool(raw) and not any(isinstance(item, str) for item in raw)


def criteria_as_data(criteria: Sequence[CriterionSpec]) -> list[dict[str, str]]:
    """What the checklist_points row stores for a version written with ids and kinds."""
    return [{"id": c.id, "kind": c.kind.value, "text": c.text} for c in criteria]


def load_checklist(file_name: str = CURRENT_FILE) -> ChecklistSpec:
    raw = json.loads(resources.files("certify.domain").joinpath(file_name).read_text("utf-8"))
    points = tuple(
        ChecklistPointSpec(
            number=p["number"],
            title_sv=p["title_sv"],
            title_en=p["title_en"],
            criteria=criteria_from_data(p["number"], p["criteria"]),
            guidance=p["guidance"],
            cash_related=p["cash_related"],
        )
        for p in raw["points"]
    )
    if [p.number for p in points] != list(range(1, POINT_COUNT + 1)):
        raise ValueError(f"{file_name}: points must be numbered 1..{POINT_COUNT}")
    return ChecklistSpec(version=raw["version"], title=raw["title"], points=points)
