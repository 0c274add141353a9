"""What an uploaded PDF must not carry: script, actions that start programs or open other files,
and embedded files (pure: bytes in, a finding out; CPU-bound, so callers run it in a thread).

The kommun's staff and the inspector open shops' documents; a PDF that runs JavaScript, launches a
program or carries a hidden file is refused on upload. The file is parsed with pikepdf (qpdf), and
every object is looked at, wherever it sits: the document's open action, the additional actions
(/AA) of the document, pages, annotations and form fields, the name trees, the outlines. A string
search alone would miss what compressed object streams hide.
"""

from __future__ import annotations

import io
from enum import StrEnum

import pikepdf


class ActiveContent(StrEnum):
    javascript = "javascript"
    launch = "launch"  # starts a program, opens another file, sends data away
    embedded_file = "embedded_file"
    unreadable = "unreadable"  # not a PDF we can read through, so not one we can vouch for
    encrypted = "encrypted"  # needs a password to open: its content cannot be checked


SCRIPT_ACTIONS = frozenset({"/JavaScript", "/Rendition"})  # a rendition action may carry /JS
LAUNCH_ACTIONS = frozenset({"/Launch", "/GoToR", "/ImportData", "/SubmitForm", "/RichMediaExecute"})
EMBEDDING_ACTIONS = frozenset({"/GoToE"})


def active_content(data: bytes) -> ActiveContent | None:
    """The first kind of active content found in the PDF, or None when it has none."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            for obj in pdf.objects:
                found = _inspect(obj, depth=0)
                if found is not None:
                    return found
    except pikepdf.PasswordError:
        return ActiveContent.encrypted
    except pikepdf.PdfError:
        return ActiveContent.unreadable
    return None


_MAX_DEPTH = 64  # direct objects nest only so deep in a real file; deeper is refused, not recursed


def _inspect(obj: object, depth: int) -> ActiveContent | None:
    """Look at one object and the direct objects inside it (indirect ones come in pdf.objects)."""
    if depth > _MAX_DEPTH:
        return ActiveContent.unreadable
    if isinstance(obj, pikepdf.Array):
        children = list(obj)
    elif isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        found = _finding_of(obj)
        if found is not None:
            return found
        children = list(obj.values())
    else:
        return None
    for child in children:
        if isinstance(child, pikepdf.Object) and child.is_indirect:
            continue  # an object of its own: pdf.objects brings it
        found = _inspect(child, depth + 1)
        if found is not None:
            return found
    return None


def _finding_of(entries: pikepdf.Dictionary | pikepdf.Stream) -> ActiveContent | None:
    keys = set(entries.keys())
    action = str(entries.get("/S", ""))
    if keys & {"/JS", "/JavaScript", "/XFA"} or action in SCRIPT_ACTIONS:
        return ActiveContent.javascript
    if action in LAUNCH_ACTIONS:
        return ActiveContent.launch
    if keys & {"/EmbeddedFiles", "/EF"} or action in EMBEDDING_ACTIONS:
        return ActiveContent.embedded_file
    if (
        str(entries.get("/Type", "")) == "/EmbeddedFile"
        or str(entries.get("/Subtype", "")) == "/FileAttachment"
    ):
        return ActiveContent.embedded_file
    return None
