"""QR codes drawn as vectors: one path per code keeps the PDF small and the render fast."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import segno
from reportlab.lib.colors import Color, black, white
from reportlab.pdfgen.canvas import Canvas

QUIET_ZONE = 4
"""Light modules around the symbol that scanners need; counted inside the drawn size."""

Run = tuple[int, int, int]
"""A horizontal run of dark modules: (row, first column, length), in symbol coordinates."""

Matrix = Sequence[Sequence[bool]]


def qr_matrix(payload: str) -> list[list[bool]]:
    """Return the symbol's modules (True = dark), without quiet zone, at error level M."""
    return [list(row) for row in _encode(payload)]


@lru_cache(maxsize=256)
def _encode(payload: str) -> tuple[tuple[bool, ...], ...]:
    """Encode each payload once: segno's mask selection costs about as much as the rest of a
    certificate, and a shop's certificate and decal carry the same URL.
    """
    symbol = segno.make_qr(payload, error="m", boost_error=False)
    return tuple(tuple(bool(module) for module in row) for row in symbol.matrix)


def runs_from_matrix(matrix: Matrix) -> list[Run]:
    """Merge neighbouring dark modules of each row into runs, the unit that gets drawn."""
    runs: list[Run] = []
    for row_index, row in enumerate(matrix):
        start = -1
        for col, dark in enumerate([*row, False]):
            if dark and start < 0:
                start = col
            elif not dark and start >= 0:
                runs.append((row_index, start, col - start))
                start = -1
    return runs


def qr_rects(payload: str) -> list[Run]:
    """Return the runs that draw_qr paints for the payload, so tests can check the drawing."""
    return runs_from_matrix(_encode(payload))


def draw_qr(
    canvas: Canvas,
    payload: str,
    x: float,
    y: float,
    size: float,
    dark: Color = black,
    light: Color = white,
) -> None:
    """Draw the payload's code with its quiet zone in a size×size square at (x, y)."""
    draw_qr_matrix(canvas, _encode(payload), x, y, size, dark, light)


def draw_qr_matrix(
    canvas: Canvas,
    matrix: Matrix,
    x: float,
    y: float,
    size: float,
    dark: Color = black,
    light: Color = white,
) -> None:
    """Draw an encoded matrix, for callers that need its module count to align the code.

    The quiet zone is painted light and counted in size. The dark modules are one path in
    module units (scaled once), so the page holds small integers instead of long decimals.
    """
    module = size / (len(matrix) + 2 * QUIET_ZONE)
    canvas.saveState()
    canvas.setFillColor(light)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.translate(x + QUIET_ZONE * module, y + size - QUIET_ZONE * module)
    canvas.scale(module, -module)
    path = canvas.beginPath()
    for row, col, length in runs_from_matrix(matrix):
        path.rect(col, row, length, 1)
    canvas.setFillColor(dark)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
