"""The languages the service speaks, and how a request's language is chosen.

Adding a language: copy `locale/messages.pot` to `locale/<code>/LC_MESSAGES/messages.po`, translate
it, and add one `Language` line below (README: "Adding a language").
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Final, Literal


@dataclass(frozen=True, slots=True)
class Language:
    code: str  # BCP 47 primary tag, also the catalogue's folder name
    name: str  # the language's name in itself, as the language choice shows it
    direction: Literal["ltr", "rtl"] = "ltr"
    babel_locale: str = ""  # the CLDR locale for dates and numbers; the code when empty

    @property
    def locale(self) -> str:
        return self.babel_locale or self.code


DEFAULT: Final = "sv"

LANGUAGES: dict[str, Language] = {  # in the order of the language choice on every page
    "sv": Language("sv", "Svenska"),
    "en": Language("en", "English", babel_locale="en_GB"),  # day before month, 24-hour clock
    "ar": Language("ar", "العربية", "rtl"),
    "fi": Language("fi", "Suomi"),
}

SHOWN: Final = tuple(LANGUAGES)  # the languages offered (the tests' pseudo-language is added later)


def language(code: str) -> Language:
    """The language of a known code; Swedish for anything else."""
    return LANGUAGES.get(code, LANGUAGES[DEFAULT])


def known(code: str | None) -> str | None:
    """The code when the service speaks it (`en-GB` counts as `en`), else None."""
    if not code:
        return None
    primary = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in LANGUAGES else None


@functools.lru_cache(maxsize=256)  # a browser sends the same header with every request
def from_accept_language(header: str | None) -> str | None:
    """The best language the browser asks for (RFC 9110 weights; `q=0` means "not this one")."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        weight = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                weight = float(params[2:])
            except ValueError:
                continue
        code = known(tag)
        if code is not None and weight > 0:
            ranked.append((-weight, position, code))
    return min(ranked)[2] if ranked else None


def choose(
    *, requested: str | None, cookie: str | None, account: str | None, accept_language: str | None
) -> str:
    """`?lang=` first, then the logged-in user's choice, the browser's kept choice, the browser's
    languages, and Swedish when none of them names a language the service speaks."""
    return (
        known(requested)
        or known(account)
        or known(cookie)
        or from_accept_language(accept_language)
        or DEFAULT
    )
