"""Exact stills for handouts: the item's frame from the film, its regions drawn on it.

Frames come from the media layer's FrameServer (exact by index, never a player snapshot);
items are fetched film by film in frame order so the decoder mostly moves forward.
"""

from __future__ import annotations

import base64
import io
import threading
from pathlib import Path

from PIL import Image, ImageDraw

from critique_app.domain.model import Region
from critique_app.errors import UserError
from critique_app.i18n import _
from exporters.document import ExportItem

REGION_COLOUR = (255, 204, 0)
OUTLINE = (0, 0, 0)


def draw_regions(image: Image.Image, regions: tuple[Region, ...], frame: int) -> Image.Image:
    """The image with each region outlined (yellow on a black halo, readable on any picture)."""
    out = image.convert("RGB")
    draw = ImageDraw.Draw(out)
    width, height = out.size
    line = max(2, round(width / 320))
    for region in regions:
        pts = region.to_pixels(frame, width, height)
        for colour, extra in ((OUTLINE, 2), (REGION_COLOUR, 0)):
            if region.shape in ("rectangle", "ellipse"):
                (x0, y0), (x1, y1) = pts
                box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
                if region.shape == "rectangle":
                    draw.rectangle(box, outline=colour, width=line + extra)
                else:
                    draw.ellipse(box, outline=colour, width=line + extra)
            else:
                closed = pts + [pts[0]] if region.shape == "polygon" else pts
                draw.line(closed, fill=colour, width=line + extra, joint="curve")
    return out


def fit_width(image: Image.Image, max_width: int) -> Image.Image:
    if image.width <= max_width:
        return image
    height = round(image.height * max_width / image.width)
    return image.resize((max_width, height), Image.Resampling.LANCZOS)


def jpeg_bytes(image: Image.Image, quality: int = 82) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def data_uri(image: Image.Image, quality: int = 82) -> str:
    """A JPEG data: URI, so a handout carries its pictures inside itself."""
    return "data:image/jpeg;base64," + base64.b64encode(jpeg_bytes(image, quality)).decode()


def stills_in_decode_order(
    ctx: object, items: tuple[ExportItem, ...] | list[ExportItem], max_width: int
) -> dict[int, Image.Image]:
    """Every item's still, fetched film by film in frame order (the decoder mostly moves
    forward instead of seeking back for each item); keyed by item position."""
    order = sorted(items, key=lambda i: (i.film.path, i.still_frame))
    found: dict[int, Image.Image] = {}
    for done, item in enumerate(order):
        ctx.progress.update(
            done,
            len(order),
            _("still {number} of {count}").format(number=done + 1, count=len(order)),
        )  # type: ignore[attr-defined]
        found[item.position] = ctx.still(item, max_width)  # type: ignore[attr-defined]
    return found


class FilmStills:
    """A still provider over the project's films (one FrameServer per film, kept open).

    Stills are cached by (film, frame, width) so an HTML and a PDF of the same seminar (a
    pack) decode each frame once.
    """

    def __init__(self) -> None:
        self._servers: dict[str, object] = {}
        self._cache: dict[tuple[str, int, int], Image.Image] = {}
        self._lock = threading.Lock()

    def _server(self, path: str) -> object:
        from critique_app.media.frame_server import FrameServer

        if path not in self._servers:
            if not Path(path).is_file():
                raise UserError(
                    _(
                        "The film {path} is missing: relink it in the project before exporting."
                    ).format(path=path)
                )
            self._servers[path] = FrameServer(path)
        return self._servers[path]

    def frame(self, path: str, index: int) -> Image.Image:
        server = self._server(path)
        return Image.fromarray(server.frame(index).image)  # type: ignore[attr-defined]

    def __call__(self, item: ExportItem, max_width: int) -> Image.Image:
        key = (item.film.path, item.still_frame, max_width)
        with self._lock:
            cached = self._cache.get(key)
            if cached is None:
                picture = self.frame(item.film.path, item.still_frame)
                regions = item.annotation.regions if item.annotation else ()
                # Draw at full size, then scale: lines keep their proportion to the picture.
                cached = fit_width(draw_regions(picture, regions, item.still_frame), max_width)
                self._cache[key] = cached
            return cached

    def close(self) -> None:
        for server in self._servers.values():
            server.close()  # type: ignore[attr-defined]
        self._servers.clear()
        self._cache.clear()
