"""The text layer: every word a person reads is looked up here, in the language of the moment.

Message ids are the Swedish texts (Swedish is the authoritative language, and a template stays
readable); `locale/<code>/LC_MESSAGES/messages.po` holds each other language. The catalogues are read
once, with Babel, when first used. The language of the moment is a context variable: the web edge
sets it per request (certify.web.language), and `use()` sets it for a mail or a PDF written in its
reader's language.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from contextvars import ContextVar
from gettext import NullTranslations
from io import BytesIO
from pathlib import Path
from typing import Any, Final

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from certify.text.languages import DEFAULT, LANGUAGES, language

LOCALE_DIR: Final = Path(__file__).resolve().parent.parent / "locale"
DOMAIN: Final = "messages"

_active: ContextVar[str] = ContextVar("certify_language", default=DEFAULT)
_extra: dict[str, NullTranslations] = {}  # catalogues added at run time (the tests' pseudo-language)


def catalogue_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def _load(code: str) -> NullTranslations:
    """A language's compiled catalogue (Babel compiles the .po in memory); Swedish needs none."""
    path = catalogue_path(code)
    if code == DEFAULT or not path.exists():
        return NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language(code).locale)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


def translations(code: str) -> NullTranslations:
    return _extra.get(code) or _load(code)


def add_language(code: str, catalogue: NullTranslations) -> None:
    """Speak one more language at run time (the tests' pseudo-language); LANGUAGES must know it."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}")
    _extra[code] = catalogue


def current() -> str:
    """The code of the language of the moment."""
    return _active.get()


def current_locale() -> str:
    """The CLDR locale for dates and numbers in the language of the moment."""
    return language(_active.get()).locale


@contextlib.contextmanager
def use(code: str) -> Iterator[None]:
    """Speak this language inside the block (a mail to its recipient, a PDF for its reader)."""
    token = _active.set(code if code in LANGUAGES else DEFAULT)
    try:
        yield
    finally:
        _active.reset(token)


def translation() -> NullTranslations:
    """The catalogue of the language of the moment, for callers that fill placeholders themselves
    (Jinja's i18n extension formats what it gets, `num` and the named values alike)."""
    return translations(_active.get())


def gettext(message: str, **params: Any) -> str:
    """The message in the language of the moment, its `%(name)s` placeholders filled from params."""
    text = translations(_active.get()).gettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, count: int, **params: Any) -> str:
    """As gettext, in the grammatical number the language uses for `count` (`%(num)s` is the count)."""
    text = translations(_active.get()).ngettext(singular, plural, count)
    return text % {"num": count, **params}


def pgettext(context: str, message: str, **params: Any) -> str:
    """As gettext for a word that needs another translation in another use ("Punkt" in a heading)."""
    text = translations(_active.get()).pgettext(context, message)
    return text % params if params else text


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined; it is translated where it is shown."""
    return message


_ = gettext
