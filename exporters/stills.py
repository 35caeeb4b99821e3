"""Exact stills for handouts: the item's frame from the film, its regions drawn on it.

Frames come from the media layer's FrameServer (exact by index, never a player snapshot);
items are fetched film by film in frame order so the decoder mostly moves forward. Each still
is written to disk as a JPEG as soon as it is made (a StillSpool) and the picture dropped: an
export holds one decoded picture at a time, whatever its number of items (issue 26: a handout
of 278 items held 1.16 GB).
"""

from __future__ import annotations

import base64
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
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


@dataclass(frozen=True)
class SpooledStill:
    """A still written to disk as a JPEG: where it is, and its size in pixels."""

    path: Path
    width: int
    height: int

    def jpeg(self) -> bytes:
        return self.path.read_bytes()

    def base64_chunks(self, chunk: int = 3 * 64 * 1024) -> Iterator[str]:
        """The JPEG as base64, a piece at a time (pieces of a multiple of 3 bytes encode
        to text that joins up): a page is written without the whole still in memory."""
        with self.path.open("rb") as file:
            while piece := file.read(chunk):
                yield base64.b64encode(piece).decode("ascii")


SPOOL_PREFIX = "critique-stills-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive, and not ours to clean
        return True
    return True


def sweep_stale_spools(root: Path) -> int:
    """Remove the spool folders of exports whose process is gone (killed outright, its
    `close` never ran): each folder names its process. Returns how many were removed."""
    removed = 0
    for folder in root.glob(SPOOL_PREFIX + "*"):
        pid_text = folder.name[len(SPOOL_PREFIX) :].split("-", 1)[0]
        if folder.is_dir() and pid_text.isdigit() and not _alive(int(pid_text)):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


class StillSpool:
    """A temporary folder for one export's stills, removed on close; a folder left by an
    export that was killed is removed by the next export."""

    def __init__(self) -> None:
        sweep_stale_spools(Path(tempfile.gettempdir()))
        self.folder = Path(tempfile.mkdtemp(prefix=f"{SPOOL_PREFIX}{os.getpid()}-"))
        self._count = 0

    def write(self, image: Image.Image, quality: int) -> SpooledStill:
        self._count += 1
        path = self.folder / f"{self._count:06d}.jpg"
        image.convert("RGB").save(path, format="JPEG", quality=quality, optimize=True)
        return SpooledStill(path, image.width, image.height)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> StillSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def spool_in_decode_order(
    ctx: object,
    items: tuple[ExportItem, ...] | list[ExportItem],
    spool: StillSpool,
    versions: dict[str, tuple[int, int]],
) -> dict[int, dict[str, SpooledStill]]:
    """Every item's still written to `spool`, one at a time, fetched film by film in frame
    order (the decoder mostly moves forward instead of seeking back for each item); keyed by
    item position, then by version. `versions` names each JPEG to write of a still as
    (max width, JPEG quality); the picture is fetched once at the largest width."""
    widest = max(width for width, _quality in versions.values())
    order = sorted(items, key=lambda i: (i.film.path, i.still_frame))
    found: dict[int, dict[str, SpooledStill]] = {}
    for done, item in enumerate(order):
        ctx.progress.update(  # type: ignore[attr-defined]
            done,
            len(order),
            _("still {number} of {count}").format(number=done + 1, count=len(order)),
        )
        picture = ctx.still(item, widest)  # type: ignore[attr-defined]
        found[item.position] = {
            name: spool.write(fit_width(picture, width), quality)
            for name, (width, quality) in versions.items()
        }
        del picture  # before the next is decoded: only one is ever held
    return found


class FilmStills:
    """A still provider over the project's films: the film being read has a FrameServer open,
    with a small frame cache.

    Nothing is kept between stills: an export writes each one to disk as it comes
    (`spool_in_decode_order`), so memory stays flat in the number of items. Items come film by
    film, so one server is open at a time (a decoder holds tens of MB at 1080p); asking for
    another film closes the last one's.
    """

    def __init__(self) -> None:
        self._path: str | None = None
        self._server: object | None = None
        self._lock = threading.Lock()

    def _server_for(self, path: str) -> object:
        from critique_app.media.frame_cache import ONE_SHOT_CACHE_BYTES
        from critique_app.media.frame_server import FrameServer

        if path != self._path or self._server is None:
            self._close_server()
            if not Path(path).is_file():
                raise UserError(
                    _(
                        "The film {path} is missing: relink it in the project before exporting."
                    ).format(path=path)
                )
            # Stills come in frame order: the decoder goes on forward, and a frame asked for
            # twice is near the last one; the playback budget (256 MB) would only fill up.
            self._server = FrameServer(path, cache_bytes=ONE_SHOT_CACHE_BYTES)
            self._path = path
        return self._server

    def frame(self, path: str, index: int) -> Image.Image:
        server = self._server_for(path)
        return Image.fromarray(server.frame(index).image)  # type: ignore[attr-defined]

    def __call__(self, item: ExportItem, max_width: int) -> Image.Image:
        with self._lock:
            picture = self.frame(item.film.path, item.still_frame)
            regions = item.annotation.regions if item.annotation else ()
            # Draw at full size, then scale: lines keep their proportion to the picture.
            return fit_width(draw_regions(picture, regions, item.still_frame), max_width)

    def _close_server(self) -> None:
        if self._server is not None:
            self._server.close()  # type: ignore[attr-defined]
        self._server, self._path = None, None

    def close(self) -> None:
        with self._lock:
            self._close_server()
