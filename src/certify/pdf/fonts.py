"""Embedded fonts for every PDF, so Swedish letters render and extract identically everywhere.

Vera (shipped with reportlab) has no Arabic letters; a document in a right-to-left language is set in
DejaVu Sans (Debian's fonts-dejavu-core), which has both Latin and Arabic glyphs. Its text is shaped
(arabic-reshaper: each letter in its joined form) and put in visual order (python-bidi) line by line,
because reportlab itself shapes only with rlbidi and uharfbuzz, which are not installable here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import reportlab
from arabic_reshaper import reshape
from bidi import get_display
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "CertifyVera"
BOLD = "CertifyVera-Bold"

_FONT_DIR = Path(reportlab.__file__).resolve().parent / "fonts"
_FILES = {REGULAR: "Vera.ttf", BOLD: "VeraBd.ttf"}
RTL_REGULAR = "CertifyDejaVu"
RTL_BOLD = "CertifyDejaVu-Bold"
_RTL_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/share/fonts/dejavu"),
)
_RTL_FILES = {RTL_REGULAR: "DejaVuSans.ttf", RTL_BOLD: "DejaVuSans-Bold.ttf"}
_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Script:
    """How a document's text is set: its two fonts and its direction."""

    regular: str
    bold: str
    rtl: bool

    def visual(self, line: str) -> str:
        """One line as drawn: shaped and in visual order for right-to-left, else as it is."""
        return get_display(reshape(line)) if self.rtl else line


LTR = Script(REGULAR, BOLD, rtl=False)


def register_fonts() -> None:
    """Register the Vera fonts once; safe to call from any thread before each render."""
    if BOLD in pdfmetrics.getRegisteredFontNames():
        return
    with _lock:
        registered = pdfmetrics.getRegisteredFontNames()
        for name, filename in _FILES.items():
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, str(_FONT_DIR / filename)))


def script_for(direction: str) -> Script:
    """The fonts for a language's direction; right-to-left text needs DejaVu Sans on the machine
    (without it the document falls back to Vera, whose missing Arabic glyphs print as boxes)."""
    register_fonts()
    if direction != "rtl":
        return LTR
    if RTL_BOLD not in pdfmetrics.getRegisteredFontNames():
        found = next((d for d in _RTL_DIRS if (d / _RTL_FILES[RTL_REGULAR]).exists()), None)
        if found is None:
            return Script(REGULAR, BOLD, rtl=True)
        with _lock:
            registered = pdfmetrics.getRegisteredFontNames()
            for name, filename in _RTL_FILES.items():
                if name not in registered:
                    pdfmetrics.registerFont(TTFont(name, str(found / filename)))
    return Script(RTL_REGULAR, RTL_BOLD, rtl=True)


def fit_size(text: str, font: str, max_size: float, width: float, min_size: float = 6) -> float:
    """Return the largest size up to max_size at which text fits the width, never below min_size."""
    natural = pdfmetrics.stringWidth(text, font, max_size)
    if natural <= width:
        return max_size
    return max(min_size, max_size * width / natural)


def wrap_text(text: str, font: str, size: float, width: float, first_width: float | None = None) -> list[str]:
    """Break text into lines no wider than width; words longer than a line are cut.

    first_width narrows the first line, for a prefix drawn in another font.
    """
    lines: list[str] = []
    space = pdfmetrics.stringWidth(" ", font, size)
    for paragraph in text.splitlines() or [""]:
        line, line_width = "", 0.0
        for word in paragraph.split():
            for piece in _cut_word(word, font, size, width):
                piece_width = pdfmetrics.stringWidth(piece, font, size)
                limit = width if lines or first_width is None else first_width
                if not line:
                    if piece_width > limit:
                        lines.append("")
                    line, line_width = piece, piece_width
                elif line_width + space + piece_width <= limit:
                    line, line_width = f"{line} {piece}", line_width + space + piece_width
                else:
                    lines.append(line)
                    line, line_width = piece, piece_width
        lines.append(line)
    return lines


def _cut_word(word: str, font: str, size: float, width: float) -> list[str]:
    """Split a word wider than a whole line (a URL, a long number) into line-sized pieces."""
    if pdfmetrics.stringWidth(word, font, size) <= width:
        return [word]
    pieces: list[str] = []
    piece = ""
    for char in word:
        if piece and pdfmetrics.stringWidth(piece + char, font, size) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece]
