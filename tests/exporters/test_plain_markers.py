"""Markers for editors are plain text, and FCPXML names its formats as Final Cut does (issue 23).

Annotators write Markdown; an editor's marker shows text as typed, so `**without a cut**`
must arrive as 'without a cut' in EDL, FCP 7 XML, FCPXML and OTIO. FCPXML's formats always
carry the picture size and a name Final Cut defines (or none, for a custom size), whatever
ffprobe on the PATH made the adapter write. Each file is read back by hand (the EDL's marker
lines) or with xml.etree / json.
"""

from __future__ import annotations

import json
import os
import stat
from fractions import Fraction
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from critique_app.domain.model import Annotation, Category, Film, FrameRange
from critique_app.services import export as service
from exporters.document import ExportDocument, ExportItem

DRIFT = Category("drift", "Identity drift", id=1)
NOTES = (
    "The face morphs **without a cut**\nand the eyes drift",
    "Le *décor* change: `R0ZA` sur le [mur](http://example.org/mur)",
    "## A heading\n_underscored_ and \\*starred\\* by hand",
)
# What an editor must read: the words, without Markdown's signs (escaped signs are words).
EXPECTED = (
    "Identity drift: The face morphs without a cut",
    "Identity drift: Le décor change: R0ZA sur le mur",
    "Identity drift: A heading",
)


def film(path: str, rate: Fraction, width: int | None, height: int | None) -> Film:
    return Film(
        1, "Film", path, "ab" * 32, 1, rate, 100_000, width=width, height=height, drop_frame=False
    )


def markdown_doc(f: Film) -> ExportDocument:
    items = []
    for n, note in enumerate(NOTES, start=1):
        frames = FrameRange(100 * n, 100 * n + 40)
        a = Annotation.create(1, 1, frames, note=note, category_id=DRIFT.id)
        items.append(ExportItem(n, f, frames, a, DRIFT))
    return ExportDocument("Markdown in markers", tuple(items))


def test_edl_markers_are_plain_text(tmp_path: Path) -> None:
    doc = markdown_doc(film("/films/a.mov", Fraction(25), 1920, 1080))
    out = service.export(doc, "edl", tmp_path / "m.edl")
    lines = out.read_text("utf-8").splitlines()
    locators = [line.split(None, 4)[4] for line in lines if line.startswith("* LOC:")]
    resolve = [line.split("|M:")[1].split(" |D:")[0] for line in lines if "|M:" in line]
    assert locators == list(EXPECTED)
    assert resolve == list(EXPECTED)


def test_fcp7_fcpxml_and_otio_markers_are_plain_text(tmp_path: Path) -> None:
    doc = markdown_doc(film("/films/a.mov", Fraction(25), 1920, 1080))
    fcp7 = ET.parse(service.export(doc, "fcp7", tmp_path / "m.xml")).getroot()
    assert [m.findtext("name") for m in fcp7.iter("marker")] == list(EXPECTED)
    comments = [m.findtext("comment") or "" for m in fcp7.iter("marker")]
    assert not any(sign in c for c in comments for sign in ("**", "`", "](", "##"))
    assert comments[0] == "The face morphs without a cut and the eyes drift"
    fcpx = ET.parse(service.export(doc, "fcpxml", tmp_path / "m.fcpxml")).getroot()
    assert [m.get("value") for m in fcpx.iter("marker")] == list(EXPECTED)
    otio_json = json.loads(service.export(doc, "otio", tmp_path / "m.otio").read_text("utf-8"))
    names: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if str(node.get("OTIO_SCHEMA", "")).startswith("Marker."):
                names.append(node["name"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(otio_json)
    assert names == list(EXPECTED)


@pytest.fixture
def ffprobe_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An `ffprobe` first on the PATH answering as ffprobe does for a 64x36 video: the size
    the issue's tiny test film had, which made the adapter write an undefined format name."""
    folder = tmp_path / "bin"
    folder.mkdir()
    probe = folder / "ffprobe"
    probe.write_text("#!/bin/sh\necho 64x36\n")
    probe.chmod(probe.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    return folder


@pytest.mark.parametrize(
    ("rate", "size", "name"),
    [
        (Fraction(30000, 1001), (1920, 1080), "FFVideoFormat1080p2997"),
        (Fraction(25), (1280, 720), "FFVideoFormat720p25"),
        (Fraction(24000, 1001), (3840, 2160), "FFVideoFormat3840x2160p2398"),
        (Fraction(30000, 1001), (64, 36), None),  # a custom format: no name, its size
    ],
)
def test_fcpxml_format_whatever_is_on_the_path(
    tmp_path: Path,
    ffprobe_on_path: Path,
    rate: Fraction,
    size: tuple[int, int],
    name: str | None,
) -> None:
    media = tmp_path / "film.mov"
    media.write_bytes(b"\0")  # the adapter probes only files that exist
    doc = markdown_doc(film(str(media), rate, *size))
    out = service.export(doc, "fcpxml", tmp_path / "f.fcpxml")
    (fmt,) = ET.parse(out).getroot().iterfind("./resources/format")
    assert fmt.get("name") == name
    assert (fmt.get("width"), fmt.get("height")) == (str(size[0]), str(size[1]))
    assert Fraction(fmt.get("frameDuration", "").rstrip("s")) == 1 / rate
