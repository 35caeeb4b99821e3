"""Handouts with the lenses: `export --rhythm` adds each film's rhythm plot (the drawing of
`shots --plot`) to the HTML and PDF handouts; `export --heat` puts each still beside the same
frame under the instability lens's heat, the stills still streaming to disk one at a time."""

from __future__ import annotations

import base64
import io
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from critique_app.cli import main
from critique_app.services import export as service
from critique_app.services.rhythm import measure_rhythm, with_rhythm
from exporters import pdf_handout
from exporters.document import ExportContext
from exporters.heat_stills import GAP, HeatStills
from exporters.rhythm_plot import HEIGHT, WIDTH, rhythm_png
from tests.exporters.test_handout_stills import WatchedStills, _plain, spool_root  # noqa: F401
from tests.media_factory import read_frame_code

PNG_URI = re.compile(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"')


def pdf_images(path: Path) -> list[tuple[int, int]]:
    """(width, height) of every image the PDF draws, as pdfimages lists them."""
    listed = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True)
    rows = [line.split() for line in listed.stdout.splitlines()[2:]]
    return [(int(row[3]), int(row[4])) for row in rows if row]


def test_the_rhythm_plot_of_every_film_goes_into_the_html_and_pdf_handouts(
    sample, tmp_path: Path
) -> None:
    plain_doc = service.seminar_document(sample.project, sample.seminar_id)
    doc = with_rhythm(plain_doc)
    assert [r.film for r in doc.rhythms] == [f.title for f in doc.films]
    first = doc.films[0]
    found = measure_rhythm(first.path)
    # the same drawing as `shots --plot OUT.png`
    assert doc.rhythms[0].png == rhythm_png(
        first.title, found.spans, found.transitions, found.statistics, found.rate
    )
    page = service.export(doc, "html", tmp_path / "rhythm.html").read_text("utf-8")
    plots = [Image.open(io.BytesIO(base64.b64decode(p))) for p in PNG_URI.findall(page)]
    assert [p.size for p in plots] == [(WIDTH, HEIGHT)] * len(doc.films)
    assert "Rhythm of the montage" in page
    assert not PNG_URI.findall(service.export(plain_doc, "html", tmp_path / "p.html").read_text())
    with_plots = pdf_images(service.export(doc, "pdf", tmp_path / "rhythm.pdf"))
    without = pdf_images(service.export(plain_doc, "pdf", tmp_path / "plain.pdf"))
    assert len(with_plots) == len(without) + len(doc.films)
    assert with_plots.count((WIDTH, HEIGHT)) == len(doc.films)


def test_heat_stills_stand_beside_the_plain_frame_one_at_a_time(
    sample,
    tmp_path: Path,
    spool_root: Path,  # noqa: F811
) -> None:
    doc = service.seminar_document(sample.project, sample.seminar_id)
    page = service.export_files(doc, "html", tmp_path / "heat.html", heat=True).path
    images = re.findall(
        r'<img src="data:image/jpeg;base64,([A-Za-z0-9+/=]+)"[^>]*width="(\d+)" height="(\d+)"',
        page.read_text("utf-8"),
    )
    assert len(images) == len(doc.items)
    for item, (data, width, height) in zip(doc.items, images, strict=True):
        pair = np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB"))
        assert pair.shape[:2] == (int(height), int(width)) == (240, 2 * 320 + GAP)
        left, right = pair[:, :320], pair[:, 320 + GAP :]
        if _plain(item):
            assert read_frame_code(left.copy()) == item.still_frame  # the plain frame, exact
        # the heat's side: the frame dimmed to grey under the colours of the heat
        assert np.abs(left.astype(int) - right.astype(int)).mean() > 10
    watched = WatchedStills(spool_root)
    watched.real = HeatStills()
    try:
        pdf_handout.write(doc, tmp_path / "heat.pdf", ExportContext(stills=watched))
    finally:
        watched.real.close()
    n = len(doc.items)
    assert watched.alive_at_call == [0] * n
    assert watched.on_disk_at_call == [2 * k for k in range(n)]  # page still and thumbnail
    assert list(spool_root.iterdir()) == []


def test_the_command_adds_the_lenses_to_handouts_only(
    sample, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = str(sample.project.path)
    seminar = str(sample.seminar_id)
    out = tmp_path / "both.html"
    args = ["export", project, "-f", "html", "--seminar", seminar, "-o", str(out)]
    assert main([*args, "--rhythm", "--heat"]) == 0
    page = out.read_text("utf-8")
    assert len(PNG_URI.findall(page)) == 2 and "Rhythm of the montage" in page
    capsys.readouterr()
    args = ["export", project, "-f", "csv", "--seminar", seminar, "-o", str(tmp_path / "t.csv")]
    assert main([*args, "--rhythm"]) != 0
    said = capsys.readouterr().err
    assert "--rhythm adds pictures to the html and pdf handouts" in said
