"""The 13 points, read from the versioned data file shipped in the package."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

POINT_COUNT = 13
CASH_RELATED_POINTS = frozenset({3, 4, 5, 6, 12})


@dataclass(frozen=True, slots=True)
class ChecklistPointSpec:
    number: int
    title_sv: str
    title_en: str
    criteria: tuple[str, ...]
    guidance: str
    cash_related: bool


@dataclass(frozen=True, slots=True)
class ChecklistSpec:
    version: str
    title: str
    points: tuple[ChecklistPointSpec, ...]


def load_checklist(file_name: str = "checklist_v1.json") -> ChecklistSpec:
    raw = json.loads(resources.files("certify.domain").joinpath(file_name).read_text("utf-8"))
    points = tuple(
        ChecklistPointSpec(
            number=p["number"],
            title_sv=p["title_sv"],
            title_en=p["title_en"],
            criteria=tuple(p["criteria"]),
            guidance=p["guidance"],
            cash_related=p["cash_related"],
        )
        for p in raw["points"]
    )
    if [p.number for p in points] != list(range(1, POINT_COUNT + 1)):
        raise ValueError(f"{file_name}: points must be numbered 1..{POINT_COUNT}")
    return ChecklistSpec(version=raw["version"], title=raw["title"], points=points)
