"""File ▸ Export annotations…: the film on screen's annotations written by the same service as
`critique-app export --film`, on the window's task runner, read back here by independent
readers (xml.etree for ELAN, the SubRip text by hand) and compared with what the project
holds; Open / Show in folder offered after; Cancel leaves no half export; no film, no action.
"""

from __future__ import annotations

import base64
import json
import re
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path
from typing import Any

import exporters
from critique_app.gui import export_offer, file_dialogs
from critique_app.gui.annotate.vocabulary_editor import VocabularyEditor
from critique_app.gui.panels.exports import annotation_export
from critique_app.gui.panels.exports.annotation_export import NO_FILM, FormatChooser
from db.project import open_project
from tests.conftest import FRAME_WAIT_MS
from tests.gui.annotation_projects import make_project
from tests.gui.test_file_dialogs import answer

EXPORT_WAIT_MS = 60_000


def held(path: Path) -> tuple[Fraction, list[Any]]:
    """The film's rate and its annotations, as the project file holds them (a second connection)."""
    with open_project(path) as project:
        film = project.repo.films()[0]
        return film.rate, project.repo.annotations(film_id=film.id)


def ms(frame: int, rate: Fraction) -> int:
    return round(Fraction(frame) / rate * 1000)


def open_film(open_window: Any, tmp_path: Path, clip: Path) -> tuple[Any, Path]:
    path = make_project(tmp_path, clip)
    h = open_window(path)
    h.qtbot.waitUntil(lambda: h.window.session.film is not None, timeout=FRAME_WAIT_MS)
    return h, path


def run_export(
    h: Any, monkeypatch: Any, fmt: str, target: Path, **extras: bool
) -> list[tuple[Any, ...]]:
    """File ▸ Export annotations…, the format chosen (with the handout's `extras` ticked), the
    file dialog answered with `target`; returns what the file dialog was asked. Waits until
    the export has finished."""
    asked: list[tuple[Any, ...]] = []

    def dialog(parent: Any, purpose: str, title: str, filters: str, mode: Any, **kw: Any) -> Any:
        asked.append((purpose, filters, kw.get("name"), kw.get("save")))
        return [target]

    def choose(*args: Any) -> str:
        if len(args) > 3:
            args[3].update(extras)
        return fmt

    monkeypatch.setattr(annotation_export, "choose_format", choose)
    monkeypatch.setattr(file_dialogs, "ask_user", dialog)
    action = h.window.action_table["export_annotations"]
    assert action.isEnabled()
    action.trigger()
    plug_in = h.window.annotation_export
    assert plug_in.task is not None  # running on the window's runner
    h.qtbot.waitUntil(lambda: plug_in.task is None, timeout=EXPORT_WAIT_MS)
    assert action.isEnabled()
    return asked


def the_offer(window: Any) -> Any:
    offer = window.statusBar().findChild(export_offer.ExportOffer, "ExportOffer")
    assert offer is not None and offer.isVisible()
    return offer


def test_elan_export_holds_every_annotation_of_the_film(
    open_window: Any, clip: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    h, path = open_film(open_window, tmp_path, clip)
    opened: list[str] = []
    monkeypatch.setattr(export_offer, "open_url", lambda url: opened.append(url.toLocalFile()))
    out = tmp_path / "out"
    out.mkdir()
    target = out / "coded.eaf"
    asked = run_export(h, monkeypatch, "eaf", target)
    assert asked == [("export", "ELAN (*.eaf)", "Coded-clip.eaf", True)]

    rate, annotations = held(path)
    root = ET.parse(target).getroot()
    assert root.tag == "ANNOTATION_DOCUMENT"
    slots = {s.get("TIME_SLOT_ID"): int(s.get("TIME_VALUE") or -1) for s in root.iter("TIME_SLOT")}
    aligned = {a.get("ANNOTATION_ID"): a for a in root.iter("ALIGNABLE_ANNOTATION")}
    assert len(aligned) == len(annotations) == 4
    # each annotation's full record rides on a child tier: the same uuids and frames as the project
    records = []
    notes: dict[str, str] = {}
    for ref in root.iter("REF_ANNOTATION"):
        text = ref.findtext("ANNOTATION_VALUE") or ""
        if text.startswith("{"):
            records.append(json.loads(text))
        else:
            notes[ref.get("ANNOTATION_REF") or ""] = text
    assert sorted((r["uuid"], r["start"], r["end"]) for r in records) == sorted(
        (a.uuid, a.range.start, a.range.end) for a in annotations
    )
    # one annotation followed through: its note, and its times in ELAN's milliseconds
    hands = next(a for a in annotations if a.note == "Six fingers on the railing.")
    ident = next(i for i, text in notes.items() if text == hands.note)
    element = aligned[ident]
    first = slots[element.get("TIME_SLOT_REF1")]
    after = slots[element.get("TIME_SLOT_REF2")]
    assert (first, after) == (ms(hands.range.start, rate), ms(hands.range.end + 1, rate))
    assert (first, after) == (1875, 3375)  # frames 45-80 at 24 fps

    offer = the_offer(h.window)
    assert "coded.eaf" in offer.sentence.text() and "Coded clip" in offer.sentence.text()
    offer.open_button.click()
    offer.folder_button.click()
    assert opened == [str(target), str(out)]
    assert not list(out.glob(".*partial*"))  # no temporary file left beside it


def test_subrip_export_has_one_cue_per_annotation(
    open_window: Any, clip: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    h, path = open_film(open_window, tmp_path, clip)
    target = tmp_path / "cues.srt"
    asked = run_export(h, monkeypatch, "srt", target)
    assert asked[0][:2] == ("export", "SubRip (*.srt)")

    rate, annotations = held(path)

    def stamp(frame: int) -> str:  # SubRip's HH:MM:SS,mmm
        total = ms(frame, rate)
        return f"00:00:{total // 1000:02d},{total % 1000:03d}"

    cues = []
    for block in target.read_text("utf-8").strip().split("\n\n"):
        number, timing, *text = block.split("\n")
        start, end = timing.split(" --> ")
        cues.append((int(number), start, end, "\n".join(text)))
    assert [c[0] for c in cues] == [1, 2, 3, 4]
    ordered = sorted(annotations, key=lambda a: a.range.start)
    assert [(c[1], c[2]) for c in cues] == [
        (stamp(a.range.start), stamp(a.range.end + 1)) for a in ordered
    ]
    for cue, annotation in zip(cues, ordered, strict=True):
        words = re.sub(r"</?[a-z]>", "", cue[3])  # SubRip's <b>, <i> for Markdown's bold, italics
        assert annotation.note.replace("**", "") in words
    hands = next(c for c in cues if "Six fingers on the railing." in c[3])
    assert (hands[1], hands[2]) == ("00:00:01,875", "00:00:03,375")
    assert "cues.srt" in the_offer(h.window).sentence.text()


def test_cancel_leaves_no_half_export(
    open_window: Any, clip: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    h, _path = open_film(open_window, tmp_path, clip)
    window = h.window
    target = tmp_path / "clips"  # a folder of frame-exact clips: slow enough to cancel
    task = window.annotation_export.export("clips", target)
    assert task is not None
    assert not window.action_table["export_annotations"].isEnabled()  # one export at a time
    assert window.taskbar.task is task and window.taskbar.isVisible()  # progress and Cancel
    window.taskbar.cancel_button.click()
    h.qtbot.waitUntil(lambda: not task.running, timeout=EXPORT_WAIT_MS)
    h.qtbot.waitUntil(lambda: window.annotation_export.task is None, timeout=FRAME_WAIT_MS)
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".clips")] == []
    assert "cancelled" in window.statusBar().currentMessage()
    assert window.statusBar().findChild(export_offer.ExportOffer, "ExportOffer") is None


def test_a_failed_export_says_why_in_a_sentence(
    open_window: Any, clip: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    h, _path = open_film(open_window, tmp_path, clip)
    gone = tmp_path / "gone" / "cues.vtt"  # its folder was removed meanwhile
    run_export(h, monkeypatch, "vtt", gone)
    message = h.window.statusBar().currentMessage()
    assert message == f"Cannot write {gone}: the folder {gone.parent} does not exist."
    assert h.window.statusBar().findChild(export_offer.ExportOffer, "ExportOffer") is None


def test_the_dialog_starts_in_the_exports_folder_of_preferences(
    open_window: Any, clip: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    h, _path = open_film(open_window, tmp_path, clip)
    exports = tmp_path / "exports"
    exports.mkdir()
    h.window.settings.exports_folder = exports
    monkeypatch.setattr(annotation_export, "choose_format", lambda *_a: "csv")
    seen: list[dict[str, Any]] = []
    answer(exports / "table.csv", seen)  # Qt's own dialog, answered from the event loop
    h.window.action_table["export_annotations"].trigger()
    assert seen[-1]["purpose"] == "FileDialog:export"
    assert seen[-1]["folder"] == exports
    h.qtbot.waitUntil(lambda: h.window.annotation_export.task is None, timeout=EXPORT_WAIT_MS)
    assert "Six fingers on the railing." in (exports / "table.csv").read_text("utf-8")


def test_without_a_film_the_action_is_disabled_and_says_why(
    open_window: Any, clip: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    h = open_window(None)
    action = h.window.action_table["export_annotations"]
    assert not action.isEnabled()
    assert action.statusTip() == NO_FILM
    h.window.annotation_export.ask()  # reached some other way: one sentence, no dialog
    assert h.window.statusBar().currentMessage() == NO_FILM
    assert h.window.annotation_export.export("eaf", tmp_path / "x.eaf") is None
    assert not (tmp_path / "x.eaf").exists()
    h.window.close()

    h, _path = open_film(open_window, tmp_path, clip)
    action = h.window.action_table["export_annotations"]
    assert action.isEnabled()
    h.window.action_table["close_project"].trigger()
    h.qtbot.waitUntil(lambda: not action.isEnabled(), timeout=FRAME_WAIT_MS)


def test_the_format_list_is_the_exporters_registry(qtbot: Any) -> None:
    chooser = FormatChooser("Coded clip", "srt")
    qtbot.addWidget(chooser)
    names = [
        chooser.formats.item(row).data(annotation_export.ROLE)
        for row in range(chooser.formats.count())
    ]
    assert names == exporters.names()
    assert chooser.chosen() == "srt"  # the last format chosen comes first
    chooser.choose("iiif")
    assert chooser.chosen() == "iiif"


def test_a_vocabulary_exported_from_the_window_is_offered(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h, _path = open_film(open_window, tmp_path, clip)
    dialog = VocabularyEditor(h.window.session.project, h.window)
    target = tmp_path / "regimes.ecv"
    assert dialog.export_file(target, "ecv")
    assert target.read_text("utf-8").lstrip().startswith("<?xml")
    assert "regimes.ecv" in the_offer(h.window).sentence.text()
    dialog.deleteLater()


def test_the_handout_pictures_are_offered_for_handouts_only(qtbot: Any) -> None:
    chooser = FormatChooser("Coded clip", "csv")
    qtbot.addWidget(chooser)
    chooser.show()
    assert not chooser.extras.isVisible()
    for fmt in ("html", "pdf"):
        chooser.choose(fmt)
        assert chooser.extras.isVisible()
    chooser.extras.rhythm.setChecked(True)
    chooser.extras.heat.setChecked(True)
    assert chooser.extras.chosen("pdf") == {"rhythm": True, "heat": True}
    chooser.choose("eaf")
    assert not chooser.extras.isVisible()
    assert chooser.extras.chosen("eaf") == {"rhythm": False, "heat": False}


def _jpeg_widths(page: str) -> list[int]:
    from io import BytesIO

    from PIL import Image

    found = re.findall(r'src="data:image/jpeg;base64,([A-Za-z0-9+/=]+)"', page)
    return [Image.open(BytesIO(base64.b64decode(b))).width for b in found]


def test_an_html_handout_from_the_window_has_the_rhythm_plot_and_the_heat(
    open_window: Any, clip: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    """What `export --rhythm --heat` adds, chosen with the two boxes of the format list."""
    h, _path = open_film(open_window, tmp_path, clip)
    plain, lenses = tmp_path / "plain.html", tmp_path / "lenses.html"
    run_export(h, monkeypatch, "html", plain)
    run_export(h, monkeypatch, "html", lenses, rhythm=True, heat=True)
    page, before = lenses.read_text("utf-8"), plain.read_text("utf-8")
    assert "Rhythm of the montage" in page and "Rhythm of the montage" not in before
    wide, narrow = _jpeg_widths(page), _jpeg_widths(before)
    assert len(wide) == len(narrow) > 0
    assert all(w > 2 * n for w, n in zip(wide, narrow, strict=True))  # the still and its heat


def test_the_annotations_are_read_on_the_worker_not_the_gui_thread(
    open_window: Any, clip: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    """A film of 100,000 annotations takes seconds to read: the window must not wait for it."""
    import threading

    from critique_app.services import export as export_service

    h, path = open_film(open_window, tmp_path, clip)
    read_by: list[threading.Thread] = []
    real = export_service.film_document

    def watched(*args: Any, **kw: Any) -> Any:
        read_by.append(threading.current_thread())
        return real(*args, **kw)

    monkeypatch.setattr(export_service, "film_document", watched)
    out = tmp_path / "table.csv"
    run_export(h, monkeypatch, "csv", out)
    assert read_by and threading.main_thread() not in read_by
    _rate, annotations = held(path)
    import csv

    with out.open(encoding="utf-8", newline="") as table:
        assert len(list(csv.reader(table))) == len(annotations) + 1  # the header, then each
