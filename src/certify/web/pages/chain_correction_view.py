"""What the chain case pages show of the correction round (kedjebesiktning): the systemic check
table, the serious points with their evidence, and what is still missing in words. Shared by the
chain case page (web/pages/chain_cases.py) and the correction pages (web/pages/chain_corrections.py).
"""

from __future__ import annotations

from typing import Any

from certify.domain.chain_rules import ChainProblem
from certify.services import chain_corrections
from certify.services.actor import Actor
from certify.services.chain_corrections import ChainCorrectionsView, ChainProblemText
from certify.text.problems import problem_text


def missing_in_words(problems: list[ChainProblemText], names: dict[int, str]) -> list[dict[str, Any]]:
    """Each problem as a sentence fragment, with the names of the shops it concerns."""
    return [
        {
            "text": problem_text(ChainProblem(p.code, tuple(p.shops), tuple(p.points))),  # type: ignore[arg-type]
            "shops": [names.get(s, str(s)) for s in p.shops],
        }
        for p in problems
    ]


async def corrections_context(actor: Actor, case_id: int) -> dict[str, Any]:
    """What the chain case page shows of the correction round (the representative's and a member
    owner's view); empty before the inspection starts."""
    corrections = await chain_corrections.view(actor, case_id)
    if not (corrections.failed or corrections.serious or corrections.fixes):
        return {"corrections": None}
    names = await chain_corrections.member_names(case_id)
    declared = {(d.business_id, d.point): d for d in corrections.systemic}
    serious = [s for s in corrections.serious if s.released_at is None]
    return {
        "corrections": corrections,
        "member_names": names if corrections.whole_case else {},
        "declared": declared,
        "open_serious": serious,
        "fixes_by": fixes_by(corrections),
        "report_missing": missing_in_words(corrections.report_problems, names),
        "release_missing": missing_in_words(corrections.release_problems, names),
    }


def fixes_by(corrections: ChainCorrectionsView) -> dict[tuple[int, int], list[Any]]:
    found: dict[tuple[int, int], list[Any]] = {}
    for fix in corrections.fixes:
        found.setdefault((fix.business_id, fix.point), []).append(fix)
    return found
