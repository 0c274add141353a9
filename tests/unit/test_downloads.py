"""A downloaded file keeps its name whatever it is, and the name can never break the header."""

from __future__ import annotations

from email.utils import decode_rfc2231
from urllib.parse import unquote

import pytest

from certify.web.downloads import content_disposition, file_response


def name_a_client_reads(header: str) -> str:
    """The name as a client that knows RFC 6266 reads it: `filename*` first, decoded by the standard
    library's RFC 2231 decoder."""
    if "filename*=" not in header:
        return fallback_of(header)
    charset, _language, value = decode_rfc2231(header.split("filename*=", 1)[1])
    return unquote(value, encoding=charset)


def fallback_of(header: str) -> str:
    return header.split('filename="', 1)[1].split('"', 1)[0]


def test_an_ascii_name_is_sent_as_it_is() -> None:
    header = content_disposition("intyg-0580-2026-0001.pdf")
    assert header == 'attachment; filename="intyg-0580-2026-0001.pdf"'
    assert content_disposition("protokoll.pdf", inline=True) == 'inline; filename="protokoll.pdf"'


def test_a_swedish_name_arrives_exact_with_a_readable_ascii_fallback() -> None:
    header = content_disposition("Rutiner för kassaräkning på Åsgatan ö.pdf")
    assert fallback_of(header) == "Rutiner for kassarakning pa Asgatan o.pdf"
    assert "filename*=utf-8''Rutiner%20f%C3%B6r%20kassar%C3%A4kning" in header
    assert name_a_client_reads(header) == "Rutiner för kassaräkning på Åsgatan ö.pdf"
    assert header.isascii()


@pytest.mark.parametrize("name", ['larm "nytt"\r\nSet-Cookie: x=1.pdf', "a\\b\x00\x7f.pdf"])
def test_quotes_and_control_characters_cannot_break_the_header(name: str) -> None:
    header = content_disposition(name)
    assert header.isascii() and header.isprintable(), "no newline, no control character"
    fallback = fallback_of(header)
    assert header.startswith(f"attachment; filename=\"{fallback}\"; filename*=utf-8''")
    assert '"' not in fallback and "\\" not in fallback
    assert name_a_client_reads(header) == name.translate({c: "_" for c in (0, 10, 13, 127)})


def test_a_file_response_is_never_sniffed_and_keeps_the_routes_own_headers() -> None:
    response = file_response(b"%PDF", "application/pdf", "ä.pdf", cache="private", headers={"ETag": '"1"'})
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private"
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Content-Disposition"].startswith('attachment; filename="a.pdf"; ')
    assert file_response(b"", "text/csv", "x.csv").headers["Cache-Control"] == "no-store"
