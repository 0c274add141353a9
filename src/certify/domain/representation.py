"""Acting for a company: on what basis an owner account acts for a business, how far the kommun has
checked that, and the one rule the workflow asks (pure: codes and facts, no I/O, no words)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Basis(StrEnum):
    """How a person may act for the company (an empty basis: not stated yet)."""

    signatory = "signatory"  # firmatecknare: signs for the company by the register
    agent = "agent"  # ombud: acts under a fullmakt (power of attorney) from the company


class CheckState(StrEnum):
    """How far the representation check has come for one representative."""

    unchecked = "unchecked"  # stated (or not yet), nobody has checked it
    checked = "checked"  # the check found the basis sound
    fullmakt_requested = "fullmakt_requested"  # a fullmakt is asked for and none uploaded since


@dataclass(frozen=True, slots=True)
class RepresentativeFact:
    basis: str
    check_state: str
    has_fullmakt: bool


def basis_problem(basis: str, has_fullmakt: bool) -> str | None:
    """The error code when a basis cannot be stated so: an agent shows his fullmakt."""
    if basis == Basis.agent and not has_fullmakt:
        return "fullmakt_missing"
    return None


def booking_problem(representatives: Iterable[RepresentativeFact]) -> str | None:
    """The error code that stops booking an inspection: a fullmakt asked for and not uploaded."""
    if any(r.check_state == CheckState.fullmakt_requested for r in representatives):
        return "fullmakt_awaited"
    return None


def after_statement(current: str, *, fullmakt_uploaded: bool) -> str:
    """The check state after a representative states his basis: a new fullmakt answers a request
    and is checked anew; any other new statement is checked anew, while a request stays open."""
    if fullmakt_uploaded or current != CheckState.fullmakt_requested:
        return CheckState.unchecked
    return CheckState.fullmakt_requested


def removal_problem(remaining: int) -> str | None:
    """The error code when a representative cannot go (removed or leaving): a shop always keeps
    one, so that someone can still apply for it and hear from the kommun."""
    if remaining < 1:
        return "last_representative"
    return None
