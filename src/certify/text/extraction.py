"""Keeping the catalogues in step with the code: `certify catalogue` runs this.

Babel extracts every marked message from the Python sources (`_`, `N_`, `ngettext`, `pgettext`) and
the templates (Jinja's extractor), and the checklist's texts from its data files; the result is
`locale/messages.pot`, and each language's `messages.po` is updated from it (new messages empty,
vanished ones dropped, translations kept). The tests compare a fresh extraction with the files.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Final

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from certify.settings import TEMPLATES_DIR
from certify.text.catalogue import DEFAULT, LOCALE_DIR, catalogue_path
from certify.text.languages import LANGUAGES

SOURCE_DIR: Final = Path(__file__).resolve().parent.parent
TEMPLATE_PATH: Final = LOCALE_DIR / "messages.pot"
_FIXED_DATE: Final = datetime(2026, 12, 1)  # the files change only when their messages do
_PROJECT: Final = "certify"
_JINJA_OPTIONS: Final = {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true", "trimmed": "true"}


def _checklist_messages() -> Iterator[tuple[str, int, str]]:
    """Each checklist file's title, and each point's title, criteria and guidance."""
    for path in sorted((SOURCE_DIR / "domain").glob("checklist_*.json")):
        data = json.loads(path.read_text("utf-8"))
        relative = path.relative_to(SOURCE_DIR.parent.parent).as_posix()
        yield relative, 0, data["title"]
        for point in data["points"]:
            criteria = [c if isinstance(c, str) else c["text"] for c in point["criteria"]]
            for text in (point["title_sv"], *criteria, point["guidance"]):
                yield relative, point["number"], text


def extract() -> Catalog:
    """Every message of the service, as a catalogue template."""
    catalog = Catalog(project=_PROJECT, creation_date=_FIXED_DATE, fuzzy=False)
    sources = [
        (SOURCE_DIR, [("**.py", "python")], {}),
        (
            TEMPLATES_DIR,
            [("**.html", "jinja2.ext:babel_extract"), ("**.txt", "jinja2.ext:babel_extract")],
            {"**.html": _JINJA_OPTIONS, "**.txt": _JINJA_OPTIONS},
        ),
    ]
    repository = SOURCE_DIR.parent.parent  # locations relative to the checkout, whatever its folder
    for directory, method_map, options in sources:
        for filename, lineno, message, comments, context in extract_from_dir(
            directory,
            method_map,
            options_map=options,
            strip_comment_tags=True,
            comment_tags=("TRANSLATORS:",),
        ):
            location = (Path(directory, filename).relative_to(repository).as_posix(), lineno)
            catalog.add(
                message, locations=[location], auto_comments=comments, context=context, flags=_flags(message)
            )
    for filename, lineno, message in _checklist_messages():
        catalog.add(message, locations=[(filename, lineno)])
    return catalog


def _flags(message: str | tuple[str, ...]) -> tuple[str, ...]:
    texts = message if isinstance(message, tuple) else (message,)
    return ("python-format",) if any("%(" in text for text in texts) else ()


def write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        write_po(out, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False)


def update() -> dict[str, int]:
    """Write the template and bring every language's catalogue up to date; untranslated counts."""
    template = extract()
    write(template, TEMPLATE_PATH)
    untranslated: dict[str, int] = {}
    for code in LANGUAGES:
        if code == DEFAULT:
            continue
        path = catalogue_path(code)
        if path.exists():
            with path.open("rb") as po:
                catalog = read_po(po, locale=LANGUAGES[code].locale)
        else:
            catalog = Catalog(locale=LANGUAGES[code].locale, project=_PROJECT, creation_date=_FIXED_DATE)
        catalog.update(template, update_header_comment=False, no_fuzzy_matching=True)
        catalog.revision_date = _FIXED_DATE
        catalog.fuzzy = False  # the header's plural rule must be used
        catalog.last_translator = catalog.language_team = "certify"
        write(catalog, path)
        untranslated[code] = sum(1 for message in catalog if message.id and not _translated(message.string))
    return untranslated


def _translated(string: str | tuple[str, ...] | None) -> bool:
    strings = string if isinstance(string, tuple) else (string,)
    return all(s for s in strings)
