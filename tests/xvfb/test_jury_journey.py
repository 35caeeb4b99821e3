"""A festival jury screens the submissions at 1280×800, in a real X window driven with real keys
and clicks (xdotool): the project opened with Ctrl+O, File ▸ Screen a folder of submissions…
with the folder typed into the dialog, and the Screening panel's rows read as they are painted:
no cell says an internal code, and every cell's text reads on its background (WCAG AA 4.5:1),
the colours being those the view's delegate paints with (the model's own for the "Why" column,
the theme's elsewhere).

The submissions are real files of the shared provenance corpus (MANIFEST.txt): two signed
stills (one valid, one whose signature no longer matches) and two without any manifest.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from critique_app.gui.colours import contrast
from db.project import open_project
from tests.gui.test_contrast import AA
from tests.gui.test_readable_window import codes_in, internal_codes
from tests.xvfb.journey_driver import Journey

pytestmark = pytest.mark.xvfb

SUBMISSIONS = {  # MANIFEST.txt, validation state with no trust anchors
    "c2pa-rs/C.jpg": "signed: Valid, test signer untrusted",
    "public-testfiles/adobe-20220124-E-sig-CA.jpg": "signed: claimSignature.mismatch",
    "c2pa-rs/sample1.webp": "no manifest",
    "public-testfiles/adobe-20220124-A.jpg": "no manifest",
}


def test_screen_a_folder_and_read_every_cell(
    window_manager: str, provenance_corpus: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "submissions"
    folder.mkdir()
    for rel in SUBMISSIONS:
        assert (provenance_corpus / rel).is_file(), f"{rel} is listed in MANIFEST.txt"
        shutil.copy(provenance_corpus / rel, folder / Path(rel).name)
    project = (tmp_path / "festival.critique").resolve()
    with open_project(project):
        pass  # an empty project: the jury's screening is stored in it

    jury = Journey(window_manager, tmp_path, 1)
    try:
        jury.wait("the empty window", lambda s: s["title"] == "Critique" and s["active"])
        jury.keys("ctrl+o")
        jury.answer_file_dialog("Open a project", project)
        jury.wait("the project", lambda s: s["project"] == str(project))
        jury.menu("&File", "Screen a folder of submissions…")
        jury.answer_file_dialog("Screen every film", folder)
        shown = jury.wait(
            "a row per submission in the Screening panel",
            lambda s: len((s["screening"] or {}).get("cells") or []) == len(SUBMISSIONS),
        )
        table = shown["screening"]
        cells = [cell for row in table["cells"] for cell in row]
        submission = table["headers"].index("Submission")
        listed = sorted(row[submission]["text"] for row in table["cells"])
        assert listed == sorted(Path(rel).name for rel in SUBMISSIONS)
        assert any(cell["on_screen"] for cell in cells), "the panel shows its rows"

        texts = [("header", h) for h in table["headers"]] + [("summary", table["summary"])]
        texts += [(f"row {r} column {c}", cell["text"])
                  for r, row in enumerate(table["cells"]) for c, cell in enumerate(row)]  # fmt: skip
        leaks = codes_in(texts, internal_codes())
        assert not leaks, leaks

        unreadable = [
            f"{cell['text']!r}: {cell['fg']} on {cell['bg']} is {contrast(cell['fg'], cell['bg']):.2f}:1"
            for cell in cells
            if contrast(cell["fg"], cell["bg"]) < AA
        ]
        assert not unreadable, unreadable
        why = table["headers"].index("Why")
        bases = {cell["bg"] for row in table["cells"] for cell in row[why + 1 :]}
        first = table["cells"][0][why]  # what needs an eye comes first, tinted by its rank
        assert first["text"] == "invalid or tampered credentials", table["cells"]
        assert first["bg"] not in bases, "the Why column paints its own colours"
        jury.quit()
    finally:
        jury.kill()
