"""Crowded timelines stay fast: bars a few pixels wide are rasterised with NumPy in one image.

A class project can hold 5,000 annotations on one film. Zoomed out, almost every bar is a
sliver of one or two pixels, and painting each one through QPainter from Python costs about
100 ms per repaint. Here the slivers of every track are written into one RGBA strip (later bars
over earlier ones, as the painter would) and drawn with a single drawImage per line (a tier's
sub-row); only bars wide enough to show an outline or a label go back to the timeline's own
painting.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from PyQt6.QtCore import QRectF
from PyQt6.QtGui import QColor, QImage, QPainter

Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # starts, ends, colours, ids
NARROW = 4.0  # pixels: narrower bars are slivers, painted here


class DenseTracks:
    """Per line (a tier's sub-row): its band and the start, end, colour and id of every bar as
    arrays, built once per data change."""

    def __init__(
        self,
        lines: Sequence[tuple[float, float, Sequence[Any]]],
        previous: DenseTracks | None = None,
    ) -> None:
        """`previous`: the arrays of a line whose bars are the very same list are taken from
        it (after an edit only the edited tiers' lines are new: 100,000 bars took ~0.4 s)."""
        colours: dict[str, int] = dict(previous.colours) if previous is not None else {}
        done = {id(row): arrays for row, arrays in previous.arrays} if previous else {}
        self.colours: dict[str, int] = colours
        self.lines: list[tuple[float, float, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        # (bars, arrays) per line: the list is kept alive here, so its id() stays its own
        self.arrays: list[tuple[Sequence[Any], Arrays]] = []
        for y, height, row in lines:
            arrays = done.get(id(row))
            if arrays is None:
                arrays = (
                    np.fromiter((b.start for b in row), np.float64, len(row)),
                    np.fromiter((b.end for b in row), np.float64, len(row)),
                    np.fromiter(
                        (colours.setdefault(b.color, len(colours) + 1) for b in row),
                        np.int32,
                        len(row),
                    ),
                    np.fromiter((b.id for b in row), np.int64, len(row)),
                )
            self.arrays.append((row, arrays))
            self.lines.append((y, height, *arrays))
        # index 0 = transparent; the others are the bars' colours, slightly lightened like
        # the outline a wider bar gets
        self.palette = np.zeros((len(colours) + 1, 4), np.uint8)
        for name, index in colours.items():
            c = QColor(name).lighter(120)
            self.palette[index] = (c.red(), c.green(), c.blue(), 255)
        self._pixels: list[np.ndarray] = []  # keeps the pixels alive while Qt draws them
        # What the last paint rasterised, for the view it was made for: while the zoom, the
        # scroll and the selection stay (playback moves only the playhead), a repaint draws
        # these lines again instead of sorting 100,000 bars into pixels each time.
        self._view: tuple[float, ...] | None = None
        self._drawn: list[tuple[float, float, QImage]] = []
        self._wide: list[np.ndarray] = []

    def paint(
        self,
        p: QPainter,
        *,
        left: float,
        top: float,
        width: int,
        offset: float,
        fpp: float,
        selected: int | None,
        shown: tuple[float, float],
    ) -> list[np.ndarray]:
        """Draw every visible sliver of the lines within `shown` (first and last pixel of the
        tracks area on screen); return, per line, the indices of the bars left to draw."""
        nothing = np.zeros(0, np.int64)
        if width <= 0:
            return [nothing for _ in self.lines]
        view = (float(width), offset, fpp, float(selected or -1), *shown)
        if view == self._view:
            for y, height, image in self._drawn:
                p.drawImage(QRectF(left, top + y, width, height), image)
            return self._wide
        wide: list[np.ndarray] = []
        self._pixels, self._drawn = [], []
        for y, height, starts, ends, colours, ids in self.lines:
            if y + height < shown[0] or y > shown[1]:  # scrolled out of the tracks area
                wide.append(nothing)
                continue
            x0 = (starts - offset) / fpp
            x1 = (ends + 1 - offset) / fpp
            visible = (x1 >= 0) & (x0 < width)
            narrow = visible & (x1 - x0 < NARROW) & (ids != (selected if selected else -1))
            wide.append(np.nonzero(visible & ~narrow)[0])
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
            self._pixels.append(rgba)  # Qt reads the pixels during drawImage
            # PyQt6's stubs say bytes; Qt takes any buffer and reads it in place (kept alive).
            image = QImage(rgba.data, width, 1, width * 4, QImage.Format.Format_RGBA8888)  # type: ignore[call-overload]
            self._drawn.append((y, height, image))
            # one row of pixels stretched to the bar height: one call per line
            p.drawImage(QRectF(left, top + y, width, height), image)
        self._view, self._wide = view, wide
        return wide
