"""Text into reportlab's Paragraph, shown as written.

Paragraph reads its input as markup: `<img src=…>` embeds a file from the server's disk, `<a href=…>`
adds a link, an unbalanced `<` or a stray `&` makes the whole PDF fail. Every PDF builds its
paragraphs here, so a shop's name, area or remark can only ever be text.

`Setter` sets a document's paragraphs in its language's script: left to right as written, or, for a
right-to-left language, right-aligned, shaped, and broken into lines here before the visual
reordering (reportlab would break the reordered text into lines in the wrong order).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from certify.pdf.fonts import BOLD, Script, wrap_text

T = TypeVar("T")


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph showing `text` literally; its line breaks stay line breaks."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


class Setter:
    """Paragraphs and table rows of one document in its script (certify.pdf.fonts.Script).

    The styles are written with the Vera fonts (REGULAR, BOLD); the setter swaps in the script's."""

    def __init__(self, script: Script, styles: Mapping[str, ParagraphStyle]) -> None:
        self.script = script
        self.styles = {name: self._restyled(style) for name, style in styles.items()}

    def _restyled(self, style: ParagraphStyle) -> ParagraphStyle:
        font = self.script.bold if style.fontName == BOLD else self.script.regular
        alignment = TA_RIGHT if self.script.rtl else TA_LEFT
        return ParagraphStyle(style.name, parent=style, fontName=font, alignment=alignment)

    def __call__(self, text: str, style: str, width: float | None = None) -> Paragraph:
        """`text` as a paragraph; right to left, broken into lines at most `width` wide (without a
        width: one line per line of the text)."""
        shown = self.styles[style]
        if not self.script.rtl:
            return paragraph(text, shown)
        lines = wrap_text(text, shown.fontName, shown.fontSize, width) if width else text.splitlines()
        return paragraph("\n".join(self.script.visual(line) for line in lines), shown)

    def row(self, cells: list[T]) -> list[T]:
        """A table row (or its column widths) in reading order: mirrored for right to left."""
        return cells[::-1] if self.script.rtl else cells

    @property
    def table_align(self) -> str:
        return "RIGHT" if self.script.rtl else "LEFT"
