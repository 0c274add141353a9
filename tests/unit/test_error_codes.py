"""Every error the service raises carries a code that the one text table words; no raise site
writes a sentence of its own."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from certify.domain.errors import Conflict, InvalidField, InvalidTransition, NotFound, RuleNotMet
from certify.images.reading import Refusal
from certify.services.evidence import PDF_REFUSALS, THUMBNAIL_REFUSALS
from certify.text import catalogue
from certify.text.errors import CODES, ERRORS, text_for
from certify.uploaded_pdf import ActiveContent

SOURCE = Path(__file__).resolve().parents[2] / "src" / "certify"
_ERROR = r"(?:NotFound|Forbidden|Conflict|RuleNotMet|DomainError|ImportFileError)"
RAISED = re.compile(rf"\b{_ERROR}\(\s*f?\"([^\"]*)\"")
RAISED_FIELD = re.compile(r"\bInvalidField\(\s*[^,()]+,\s*f?\"([^\"]*)\"")
HTTP_CODE = re.compile(r"extra=\{\"code\": \"(\w+)\"")
TEXT_FOR = re.compile(r"\btext_for\(\s*\"(\w+)\"")
CODE = re.compile(r"[a-z][a-z0-9_]*")


def _raised_codes() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in SOURCE.rglob("*.py"):
        text = path.read_text("utf-8")
        for pattern in (RAISED, RAISED_FIELD, HTTP_CODE, TEXT_FOR):
            for code in pattern.findall(text):
                found.setdefault(code, set()).add(path.relative_to(SOURCE).as_posix())
    return found


def test_every_raised_code_is_a_stable_code_with_a_text() -> None:
    found = _raised_codes()
    assert len(found) > 80, "the scan finds the raise sites"
    not_codes = {c: sorted(p) for c, p in found.items() if not CODE.fullmatch(c)}
    assert not not_codes, f"a sentence where a code belongs: {not_codes}"
    unknown = {c: sorted(p) for c, p in found.items() if c not in ERRORS}
    assert not unknown, f"codes without a text in certify.text.errors: {unknown}"


def test_every_refused_file_has_a_code_with_a_text() -> None:
    assert set(PDF_REFUSALS) == set(ActiveContent) and set(THUMBNAIL_REFUSALS) == set(Refusal)
    assert {*PDF_REFUSALS.values(), *THUMBNAIL_REFUSALS.values()} <= set(ERRORS)


def test_codes_are_snake_case() -> None:
    assert all(CODE.fullmatch(code) for code in CODES)


_CODE_FIRST = {"NotFound", "Forbidden", "Conflict", "RuleNotMet", "DomainError", "ImportFileError"} | {
    "text_for"
}


def _named(call: ast.Call) -> str:
    return call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")


def test_every_raise_site_gives_the_values_its_text_names() -> None:
    """A placeholder the raise site does not fill fails while the error is being worded (a 500)."""
    checked = 0
    for path in SOURCE.rglob("*.py"):
        for call in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(call, ast.Call):
                continue
            position = 0 if _named(call) in _CODE_FIRST else 1 if _named(call) == "InvalidField" else None
            if position is None or len(call.args) <= position:
                continue
            code = call.args[position]
            if not (isinstance(code, ast.Constant) and code.value in ERRORS):
                continue
            if any(keyword.arg is None for keyword in call.keywords):
                continue  # **values: filled from a mapping the scan cannot see
            given = {keyword.arg for keyword in call.keywords} - {"extra"}
            named = {name for _, name, _, _ in string.Formatter().parse(ERRORS[code.value]) if name}
            assert named <= given, f"{path.name}:{call.lineno} {code.value} lacks {sorted(named - given)}"
            checked += 1
    assert checked > 80, "the scan finds the raise sites"


@pytest.mark.parametrize(
    ("error", "code", "text"),
    [
        (NotFound("case_not_found"), "case_not_found", "Ärendet finns inte."),
        (Conflict("kommun_exists", kommun="2081"), "kommun_exists", "Kommun 2081 finns redan."),
        (
            InvalidTransition("approve", "draft", ["submit"]),
            "transition_not_allowed",
            "Det går inte att göra nu, när ärendet har status utkast.",
        ),
        (
            InvalidField("postal_code", "postal_code_invalid"),
            "postal_code_invalid",
            "Postnumret ska ha fem siffror, till exempel 781 81.",
        ),
        (
            RuleNotMet("too_many_files", limit=20),
            "too_many_files",
            "Ärendet har redan 20 filer, så många som är tillåtet. Ta bort en fil innan du laddar upp en ny.",
        ),
    ],
)
def test_an_error_is_a_code_and_values_worded_when_read(error: Exception, code: str, text: str) -> None:
    with catalogue.use("sv"):
        assert error.code == code
        assert error.message == text
        assert str(error) == text


def test_an_invalid_field_names_its_field_apart_from_the_words() -> None:
    refused = InvalidField("email", "email_invalid")
    assert refused.field == "email" and refused.extra == {"field": "email"}
    assert "email" not in refused.message


def test_every_text_takes_named_values_only() -> None:
    """str.format with named placeholders: a positional `{}` or `{0}` cannot be filled."""
    for code, message in ERRORS.items():
        assert "{}" not in message and not re.search(r"\{\d", message), code
    assert text_for("internal_error", request_id="abc123").endswith("abc123 om du kontaktar kommunen.")
