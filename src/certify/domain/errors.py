"""The domain's errors; web/errors.py maps each to one HTTP status."""

from __future__ import annotations

from collections.abc import Sequence


class DomainError(Exception):
    """Base class: the message is written for the person who made the request."""

    def __init__(self, message: str, *, extra: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know that it exists."""


class Forbidden(DomainError):
    """The caller's role may not do this."""


class Conflict(DomainError):
    """Someone else changed the record first, or a unique value is taken."""


class InvalidTransition(Conflict):
    """The action is not allowed from the case's current state."""

    def __init__(self, action: str, state: str, allowed: Sequence[str]) -> None:
        super().__init__(
            f"'{action}' is not allowed when the case is '{state}'",
            extra={"state": state, "allowed_actions": list(allowed)},
        )


class RuleNotMet(DomainError):
    """A business rule stops the action; the message says which."""


class InvalidField(DomainError):
    """One input field is wrong; the message names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", extra={"field": field})
        self.field = field
