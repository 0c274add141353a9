"""Text into reportlab's Paragraph, shown as written.

Paragraph reads its input as markup: `<img src=…>` embeds a file from the server's disk, `<a href=…>`
adds a link, an unbalanced `<` or a stray `&` makes the whole PDF fail. Every PDF builds its
paragraphs here, so a shop's name, area or remark can only ever be text.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph showing `text` literally; its line breaks stay line breaks."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)
