"""Handout stills with the décor lens beside them (`export --heat`): the plain frame on the
left, on the right the same frame under the heat of its passage (where the picture changes
without moving: media/instability.py, the window's View ▸ Lenses ▸ Instability lens).

The heat of an item is measured over its own frames, at most HEAT_AROUND frames each side of
the still (a long annotation's still is in its middle: the passage around it is what the
reader sees); a one-frame item is measured against the frame before it. Each still is made,
then handed to the spool and dropped, as for plain stills (exporters/stills.py): one picture
and one heat at a time.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from exporters.document import ExportItem
from exporters.stills import FilmStills, draw_regions, fit_width

HEAT_AROUND = 48  # frames each side of the still: two seconds at 24 fps, as the window's lens
GAP = 8  # pixels of white between the plain frame and the heat


def heat_passage(item: ExportItem) -> tuple[int, int]:
    """First and last frame whose change is measured for the item's heat."""
    still = item.still_frame
    first = max(item.range.start, still - HEAT_AROUND)
    last = min(item.range.end, still + HEAT_AROUND)
    return (max(0, last - 1), last) if first >= last else (first, last)


def side_by_side(left: Image.Image, right: Image.Image) -> Image.Image:
    pair = Image.new("RGB", (left.width + GAP + right.width, left.height), (255, 255, 255))
    pair.paste(left, (0, 0))
    pair.paste(right, (left.width + GAP, 0))
    return pair


class HeatStills(FilmStills):
    """Stills as FilmStills makes them, each beside its heat."""

    def __call__(self, item: ExportItem, max_width: int) -> Image.Image:
        from critique_app.media.instability import measure_instability, paint_heat

        with self._lock:
            picture = self.frame(item.film.path, item.still_frame)
            regions = item.annotation.regions if item.annotation else ()
            plain = draw_regions(picture, regions, item.still_frame)
            first, last = heat_passage(item)
            result = measure_instability(item.film.path, first, last + 1)
            heat = result.heat if result.heat is not None else np.zeros((2, 2), np.float32)
            hot = Image.fromarray(paint_heat(np.asarray(picture.convert("RGB")), heat))
            del picture
            return fit_width(side_by_side(plain, hot), max_width)
