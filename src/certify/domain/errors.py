"""The domain's errors: WHAT happened, as a stable code and named values, never HOW it is said.

Each error carries `code` (stable snake_case, the API's `extra.code`) and `params` (the named values
its text needs). The words live in one table, certify.text.errors, and are rendered in the language
of the moment when `message` is read. web/errors.py maps each class to one HTTP status.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from certify.domain.rules import Problem


class DomainError(Exception):
    """Base class: a stable code, the values its text names, and extra data for API clients."""

    def __init__(self, code: str, /, *, extra: Mapping[str, object] | None = None, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params: dict[str, object] = params
        self.extra: dict[str, object] = dict(extra or {})

    @property
    def message(self) -> str:
        """The text for the person who made the request, in the language of the moment."""
        from certify.text.errors import error_text  # the text layer words the domain, not vice versa

        return error_text(self)

    def __str__(self) -> str:
        return self.message


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
            "transition_not_allowed",
            extra={"action": action, "state": state, "allowed_actions": list(allowed)},
            action=action,
            state=state,
        )


class RuleNotMet(DomainError):
    """A business rule stops the action; the code says which."""


class ActionRefused(RuleNotMet):
    """A workflow guard refused an action: `problems` says everything still missing.

    The code is the first problem's (e.g. `points_not_fulfilled`), so a client can branch on the
    main reason; `extra["problems"]` lists every problem's code and points.
    """

    def __init__(self, action: str, problems: Sequence[Problem]) -> None:
        super().__init__(
            problems[0].code,
            extra={"action": action, "problems": [p.as_json() for p in problems]},
        )
        self.action = action
        self.problems = tuple(problems)


class InvalidField(DomainError):
    """One input field is wrong: `field` names it, the code says what is wrong with it."""

    def __init__(self, field: str, code: str, /, **params: object) -> None:
        super().__init__(code, extra={"field": field}, **params)
        self.field = field
