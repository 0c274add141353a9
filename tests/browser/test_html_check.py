"""The Nu HTML checker as the browser session runs it: a page with known errors is caught."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import html_check

pytestmark = pytest.mark.browser

INVALID_PAGE = b"""<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>x</title></head>
<body><time datetime="2026-12-01T03:39:07.598966+00:00">1 december</time>
<input name="street_address" autocomplete="street-address"></body></html>"""


def test_the_checker_names_the_page_and_the_errors_vnu_finds(tmp_path: Path) -> None:
    missing = html_check.missing_tools()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the Nu HTML checker needs {', '.join(missing)}")
        pytest.skip(f"the Nu HTML checker needs {', '.join(missing)}")
    (tmp_path / "00001.html").write_bytes(INVALID_PAGE)
    (tmp_path / "00002.html").write_bytes(INVALID_PAGE)  # the same body again is checked once
    (tmp_path / html_check.INDEX).write_text(
        '{"file": "00001.html", "method": "GET", "url": "/butiker/ny", "status": 200}\n'
        '{"file": "00002.html", "method": "POST", "url": "/butiker/ny", "status": 400}\n'
    )

    errors = html_check.html_errors(tmp_path)

    assert len(errors) == 2, errors
    assert all(error.startswith("GET /butiker/ny (200)") for error in errors)
    assert "fraction of a second" in errors[0]
    assert "street-address" in errors[1]
