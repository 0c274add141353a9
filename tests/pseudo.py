"""The tests' pseudo-language: every catalogue message wrapped in ⟦…⟧, so a word a reader sees outside
the markers did not come from a catalogue (a literal in a template, a service or a PDF).

Its dates and numbers are written with Arabic CLDR data: month and day names then come out in Arabic
script, which the check does not count as words, so only the service's own words are judged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from gettext import NullTranslations
from io import BytesIO

import lxml.html
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations

from certify.text import catalogue, extraction
from certify.text.languages import LANGUAGES, Language

PSEUDO = "qps"
OPEN, CLOSE = "⟦", "⟧"
_INNERMOST = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]{2,}")
_NOT_WORDS = re.compile(r"[\w.+-]+@[\w.-]+|https?://\S+|/[\w./?=&%-]*")  # e-mail addresses, URLs, paths
_SHOWN_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")


def _wrap(text: str) -> str:
    return f"{OPEN}{text}{CLOSE}"


def pseudo_catalogue() -> NullTranslations:
    """The Swedish messages, each wrapped; compiled by Babel like the real catalogues."""
    template = extraction.extract()
    pseudo = Catalog(locale="ar")
    for message in template:
        if not message.id:
            continue
        string = tuple(_wrap(i) for i in message.id) if message.pluralizable else _wrap(message.id)
        if message.pluralizable:
            string = tuple(string) + (string[-1],) * (pseudo.num_plurals - len(string))
        pseudo.add(message.id, string, context=message.context)
    compiled = BytesIO()
    write_mo(compiled, pseudo)
    compiled.seek(0)
    return Translations(fp=compiled)


@pytest.fixture
def pseudo_language() -> Iterator[str]:
    """Speak the pseudo-language: `?lang=qps` on a page, `Accept-Language: qps` on the API."""
    LANGUAGES[PSEUDO] = Language(PSEUDO, "Pseudo", "ltr", babel_locale="ar")
    catalogue.add_language(PSEUDO, pseudo_catalogue())
    try:
        yield PSEUDO
    finally:
        catalogue._extra.pop(PSEUDO, None)
        LANGUAGES.pop(PSEUDO, None)


def visible_texts(html: str) -> list[str]:
    """What a reader sees or hears on a page: text (not scripts or styles), the page title, and the
    attributes read aloud or shown (title, alt, placeholder, aria-label, a button's value)."""
    root = lxml.html.document_fromstring(html)
    for hidden in root.xpath("//script|//style"):
        hidden.drop_tree()
    texts = [" ".join(root.itertext())]
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        texts.extend(element.get(name, "") for name in _SHOWN_ATTRIBUTES)
        if element.tag == "input" and element.get("type") in {"submit", "button"}:
            texts.append(element.get("value", ""))
    return [text for text in texts if text.strip()]


def unmarked_words(text: str, data: Iterable[str] = ()) -> list[str]:
    """The words in `text` that no catalogue gave: outside every ⟦…⟧ and not part of the data
    (shop names, addresses, people) the test put in."""
    while True:
        stripped = _INNERMOST.sub(" ", text)
        if stripped == text:
            break
        text = stripped
    for value in sorted(data, key=len, reverse=True):
        if value:
            text = text.replace(value, " ")
    text = _NOT_WORDS.sub(" ", text)
    return _WORD.findall(text)


def assert_all_marked(where: str, texts: str | Iterable[str], data: Iterable[str] = ()) -> None:
    """Fails naming the words that did not come from a catalogue, and where they were seen."""
    data = list(data)
    every = [texts] if isinstance(texts, str) else list(texts)
    found = [word for text in every for word in unmarked_words(text, data)]
    assert not found, f"{where}: words outside the catalogue: {sorted(set(found))}"


def assert_page_marked(where: str, html: str, data: Iterable[str] = ()) -> None:
    """As assert_all_marked for a page; the language choice names each language in itself."""
    names = [language.name for language in LANGUAGES.values()]
    assert_all_marked(where, visible_texts(html), [*data, *names])
