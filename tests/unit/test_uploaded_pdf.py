"""PDFs built with pikepdf that carry script, launch actions or embedded files are found; a plain
document (with an ordinary web link) is not."""

from __future__ import annotations

import io
from collections.abc import Callable

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from certify.uploaded_pdf import ActiveContent, active_content


def build(change: Callable[[pikepdf.Pdf], None] = lambda pdf: None, *, compress: bool = False) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    change(pdf)
    out = io.BytesIO()
    mode = pikepdf.ObjectStreamMode.generate if compress else pikepdf.ObjectStreamMode.disable
    pdf.save(out, object_stream_mode=mode, deterministic_id=True)
    return out.getvalue()


def javascript(code: str = "app.alert('hej')") -> Dictionary:
    return Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String(code))


def link(pdf: pikepdf.Pdf, action: Dictionary) -> None:
    annotation = pdf.make_indirect(
        Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 100, 100]), A=action)
    )
    pdf.pages[0].obj.Annots = Array([annotation])


def open_action(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = pdf.make_indirect(javascript())


def names_tree(pdf: pikepdf.Pdf) -> None:
    tree = Dictionary(Names=Array([String("start"), pdf.make_indirect(javascript())]))
    pdf.Root.Names = Dictionary(JavaScript=pdf.make_indirect(tree))


def page_open_action(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].obj.AA = Dictionary(O=javascript())


def document_close_action(pdf: pikepdf.Pdf) -> None:
    pdf.Root.AA = Dictionary(WC=javascript())


def launch_link(pdf: pikepdf.Pdf) -> None:
    link(pdf, Dictionary(Type=Name.Action, S=Name.Launch, F=String("cmd.exe")))


def launch_on_open(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(S=Name.Launch, Win=Dictionary(F=String("calc.exe")))


def attachment(pdf: pikepdf.Pdf) -> None:
    pdf.attachments["rutiner.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00", mime_type="application/x")


def script_in_annotation_actions(pdf: pikepdf.Pdf) -> None:
    link(pdf, Dictionary(S=Name.URI, URI=String("https://example.se/"), Next=javascript()))


FOUND = {
    "open action with JavaScript": (open_action, ActiveContent.javascript),
    "JavaScript name tree": (names_tree, ActiveContent.javascript),
    "page open action (/AA)": (page_open_action, ActiveContent.javascript),
    "document close action (/AA)": (document_close_action, ActiveContent.javascript),
    "script chained after a link": (script_in_annotation_actions, ActiveContent.javascript),
    "launch from a link annotation": (launch_link, ActiveContent.launch),
    "launch on open": (launch_on_open, ActiveContent.launch),
    "embedded file": (attachment, ActiveContent.embedded_file),
}


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "object streams"])
@pytest.mark.parametrize("case", sorted(FOUND))
def test_active_content_is_found(case: str, compress: bool) -> None:
    change, expected = FOUND[case]
    assert active_content(build(change, compress=compress)) == expected


def test_script_hidden_in_a_compressed_object_stream_is_found() -> None:
    data = build(open_action, compress=True)
    assert b"JavaScript" not in data, "a string search would not see it"
    assert active_content(data) == ActiveContent.javascript


def test_a_plain_document_with_a_web_link_passes() -> None:
    def web_link(pdf: pikepdf.Pdf) -> None:
        link(pdf, Dictionary(Type=Name.Action, S=Name.URI, URI=String("https://polisen.se/")))
        pdf.Root.OpenAction = Array([pdf.pages[0].obj, Name.Fit])  # open at page 1: a destination

    assert active_content(build()) is None
    assert active_content(build(web_link, compress=True)) is None


def test_what_cannot_be_read_or_needs_a_password_is_not_vouched_for() -> None:
    assert active_content(b"%PDF-1.7\n" + b"\x00" * 64) == ActiveContent.unreadable
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="hemligt", owner="hemligt"))
    assert active_content(out.getvalue()) == ActiveContent.encrypted
