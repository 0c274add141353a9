"""Numbers as this service reads them: ASCII digits 0-9 and nothing else.

Python's `str.isdigit()` and `int()` also take other scripts' digits: `int("٣")` is 3 and
`"²".isdigit()` is true while `int("²")` raises. A number in a page address, a query, a form field
or a setting is read here, so such input is refused as malformed instead of crashing or silently
meaning something else. Patterns use `[0-9]` (or `re.ASCII`) for the same reason: `\\d` matches
every script's digits.
"""

from __future__ import annotations

# Nine digits always fit the 32-bit integer columns (ids, page numbers, versions).
MAX_DIGITS = 9


def is_ascii_number(raw: str) -> bool:
    """One or more ASCII digits and nothing else (no sign, space, underscore or other script)."""
    return raw.isascii() and raw.isdigit()


def ascii_int(raw: str, max_digits: int = MAX_DIGITS) -> int | None:
    """The whole number `raw` spells in ASCII digits, or None when it is not one or is longer
    than `max_digits`."""
    if len(raw) <= max_digits and is_ascii_number(raw):
        return int(raw)
    return None
