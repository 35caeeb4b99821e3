"""Handout stills stream to disk one at a time (issue 26): an export never holds every still,
and the handout still carries each item's exact frame, none lost, and leaves nothing behind."""

from __future__ import annotations

import base64
import io
import re
import subprocess
import tempfile
import weakref
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from critique_app.errors import UserError
from critique_app.services import export as service
from exporters import html_handout, pdf_handout
from exporters.document import ExportContext
from exporters.stills import FilmStills
from tests.media_factory import read_frame_code


class WatchedStills:
    """The real still provider; at each call it notes how many pictures it gave earlier are
    still alive, and how many stills are already written in the export's spool folder."""

    def __init__(self, spool_root: Path) -> None:
        self.real = FilmStills()
        self.spool_root = spool_root
        self.given: list[weakref.ref] = []
        self.alive_at_call: list[int] = []
        self.on_disk_at_call: list[int] = []

    def __call__(self, item, max_width: int) -> Image.Image:
        self.alive_at_call.append(sum(ref() is not None for ref in self.given))
        self.on_disk_at_call.append(len(list(self.spool_root.glob("critique-stills-*/*.jpg"))))
        picture = self.real(item, max_width)
        self.given.append(weakref.ref(picture))
        return picture


@pytest.fixture
def spool_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder the exporters' spool lands in, for this test alone."""
    root = tmp_path / "temp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def _plain(item) -> bool:
    """An item whose still has no region drawn over the frame code."""
    return not (item.annotation and item.annotation.regions)


@pytest.mark.parametrize(
    ("writer", "versions"), [(html_handout, 1), (pdf_handout, 2)], ids=["html", "pdf"]
)
def test_stills_are_written_to_disk_one_at_a_time(
    sample, tmp_path: Path, spool_root: Path, writer, versions: int
) -> None:
    doc = service.seminar_document(sample.project, sample.seminar_id)
    stills = WatchedStills(spool_root)
    out = tmp_path / f"handout{writer.__name__}"
    try:
        writer.write(doc, out, ExportContext(stills=stills))
    finally:
        stills.real.close()
    n = len(doc.items)
    assert stills.alive_at_call == [0] * n  # the last picture is gone before the next comes
    # every still before this one already on disk (the PDF writes a page still and a thumbnail)
    assert stills.on_disk_at_call == [versions * k for k in range(n)]
    assert out.stat().st_size > 0
    assert list(spool_root.iterdir()) == []  # the spool is removed with the export


def test_the_html_handout_carries_every_items_exact_still(
    sample, tmp_path: Path, spool_root: Path
) -> None:
    doc = service.seminar_document(sample.project, sample.seminar_id)
    page = service.export(doc, "html", tmp_path / "handout.html").read_text("utf-8")
    images = re.findall(
        r'<img src="data:image/jpeg;base64,([A-Za-z0-9+/=]+)"[^>]*width="(\d+)" height="(\d+)"',
        page,
    )
    assert len(images) == len(doc.items)  # in document order, none lost
    for item, (data, width, height) in zip(doc.items, images, strict=True):
        picture = Image.open(io.BytesIO(base64.b64decode(data, validate=True)))
        assert picture.format == "JPEG" and picture.size == (int(width), int(height)) == (320, 240)
        if _plain(item):
            assert read_frame_code(np.asarray(picture.convert("RGB"))) == item.still_frame
    assert not re.search(r"base64,[0-9a-f]{32}-\d+\.", page)  # no marker left unfilled
    assert page.rstrip().endswith("</html>")
    assert list(spool_root.iterdir()) == []


def test_the_pdf_handout_embeds_every_still_and_thumbnail(
    sample, tmp_path: Path, spool_root: Path
) -> None:
    doc = service.seminar_document(sample.project, sample.seminar_id)
    out = service.export(doc, "pdf", tmp_path / "handout.pdf")
    (tmp_path / "images").mkdir()
    subprocess.run(["pdfimages", "-j", str(out), str(tmp_path / "images" / "i")], check=True)
    pictures = [Image.open(p) for p in sorted((tmp_path / "images").iterdir())]
    stills = [p for p in pictures if p.size == (320, 240)]
    thumbs = [p for p in pictures if p.size == (220, 165)]
    assert len(stills) == len(thumbs) == len(doc.items)
    codes = [read_frame_code(np.asarray(p.convert("RGB"))) for p in stills]
    for item, code in zip(doc.items, codes, strict=True):
        if _plain(item):
            assert code == item.still_frame  # the page's stills in document order
    assert list(spool_root.iterdir()) == []


def test_a_failed_export_leaves_no_stills_behind(sample, tmp_path: Path, spool_root: Path):
    doc = service.seminar_document(sample.project, sample.seminar_id)
    real = FilmStills()
    asked: list[int] = []

    def stills(item, max_width: int) -> Image.Image:
        # the third film has gone (moved, unplugged) when the export reaches it
        asked.append(item.position)
        if len(asked) == 3:
            raise UserError("The film is missing: relink it in the project before exporting.")
        return real(item, max_width)

    try:
        for writer in (html_handout, pdf_handout):
            asked.clear()
            with pytest.raises(UserError):
                writer.write(doc, tmp_path / "handout", ExportContext(stills=stills))
            assert list(spool_root.iterdir()) == []
    finally:
        real.close()


def test_an_export_removes_the_spools_that_killed_exports_left(spool_root: Path) -> None:
    """A handout killed outright never closes its spool; the next export removes it, and only
    the folders of processes that are gone (another export running keeps its own)."""
    import os
    import subprocess
    import sys

    from exporters.stills import SPOOL_PREFIX, StillSpool

    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead = spool_root / f"{SPOOL_PREFIX}{int(gone.stdout)}-abc"
    alive = spool_root / f"{SPOOL_PREFIX}{os.getppid()}-def"
    for folder in (dead, alive):
        folder.mkdir()
        (folder / "000001.jpg").write_bytes(b"\xff\xd8")
    with StillSpool() as spool:
        assert spool.folder.name.startswith(f"{SPOOL_PREFIX}{os.getpid()}-")
        assert not dead.exists() and alive.exists()
    assert not spool.folder.exists()
