"""Crowded timelines stay fast: bars a few pixels wide are rasterised with NumPy in one image.

A class project can hold 5,000 annotations on one film. Zoomed out, almost every bar is a
sliver of one or two pixels, and painting each one through QPainter from Python costs about
100 ms per repaint. Here the slivers of every track are written into one RGBA strip (later bars
over earlier ones, as the painter would) and drawn with a single drawImage; only bars wide
enough to show an outline or a label go back to the timeline's own painting.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from PyQt6.QtCore import QRectF
from PyQt6.QtGui import QColor, QImage, QPainter

NARROW = 4.0  # pixels: narrower bars are slivers, painted here


class DenseTracks:
    """Per track: start, end, colour and id of every bar as arrays, built once per data change."""

    def __init__(self, tiers: Sequence[tuple[int, str, str]], bars: dict[int, list[Any]]) -> None:
        colours: dict[str, int] = {}
        self.tracks: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        for tier_id, _name, _colour in tiers:
            row = bars.get(tier_id, [])
            self.tracks.append(
                (
                    tier_id,
                    np.fromiter((b.start for b in row), np.float64, len(row)),
                    np.fromiter((b.end for b in row), np.float64, len(row)),
                    np.fromiter(
                        (colours.setdefault(b.color, len(colours) + 1) for b in row),
                        np.int32,
                        len(row),
                    ),
                    np.fromiter((b.id for b in row), np.int64, len(row)),
                )
            )
        # index 0 = transparent; the others are the bars' colours, slightly lightened like
        # the outline a wider bar gets
        self.palette = np.zeros((len(colours) + 1, 4), np.uint8)
        for name, index in colours.items():
            c = QColor(name).lighter(120)
            self.palette[index] = (c.red(), c.green(), c.blue(), 255)
        self._lines: list[np.ndarray] = []  # keeps the pixels alive while Qt draws them

    def paint(
        self,
        p: QPainter,
        *,
        left: float,
        top: float,
        width: int,
        track: int,
        offset: float,
        fpp: float,
        selected: int | None,
    ) -> dict[int, np.ndarray]:
        """Draw every visible sliver; return, per tier, the indices of the bars left to draw."""
        if not self.tracks or width <= 0:
            return {}
        wide: dict[int, np.ndarray] = {}
        self._lines = []
        for row, (tier_id, starts, ends, colours, ids) in enumerate(self.tracks):
            x0 = (starts - offset) / fpp
            x1 = (ends + 1 - offset) / fpp
            visible = (x1 >= 0) & (x0 < width)
            narrow = visible & (x1 - x0 < NARROW) & (ids != (selected if selected else -1))
            wide[tier_id] = np.nonzero(visible & ~narrow)[0]
            if not narrow.any():
                continue
            single = (starts == ends)[narrow]
            px0 = np.floor(x0[narrow]).astype(np.int64) - single  # ticks: centred, 3 px wide
            px1 = np.maximum(px0 + 2 + single, np.ceil(x1[narrow]).astype(np.int64))
            px0 = np.clip(px0, 0, width)
            px1 = np.clip(px1, 0, width)
            lengths = np.maximum(px1 - px0, 0)
            if not lengths.sum():
                continue
            which = np.repeat(np.arange(len(lengths)), lengths)
            firsts = np.repeat(np.cumsum(lengths) - lengths, lengths)
            pixels = px0[which] + (np.arange(len(which)) - firsts)
            line = np.zeros(width, np.int32)
            line[pixels] = colours[narrow][which]  # bars are sorted by start: later ones win
            rgba = np.ascontiguousarray(self.palette[line])
            self._lines.append(rgba)  # Qt reads the pixels during drawImage
            # PyQt6's stubs say bytes; Qt takes any buffer and reads it in place (kept in _lines).
            image = QImage(rgba.data, width, 1, width * 4, QImage.Format.Format_RGBA8888)  # type: ignore[call-overload]
            # one row of pixels stretched to the bar height: one call per track
            p.drawImage(QRectF(left, top + row * track + 3, width, track - 6), image)
        return wide
