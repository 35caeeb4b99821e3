"""Credentials recovered by content: a signed AI clip goes into the library with its verify
summary; a copy stripped of its manifest (re-encoded), cropped and re-timed is traced back to
it by its pictures, and every place says it is an inference, not a binding."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from critique_app.cli import main
from critique_app.provenance.c2pa_signer import sign_file
from critique_app.provenance.isolation import IsolatedReader
from critique_app.services.fingerprinting import add_to_library
from critique_app.services.recovered_credentials import RECOVERED_WORDING
from db import fingerprint_store as store
from db.project import open_project
from tests.fingerprint import material as m
from tests.provenance.ca import signing_identity

SIZE = (256, 144)


@dataclass
class Case:
    project: Path
    signed: Path
    copy: Path  # manifest stripped by re-encoding, cropped 10%, every third frame dropped
    first: int  # where the copy's excerpt starts


def _pictures(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    d = tmp_path_factory.mktemp("recovered")
    raw = m.write_clip(d / "raw.mp4", m.shot_frames(910, 72, SIZE))
    signed = sign_file(raw, d / "generated.mp4", signing_identity(), title="Generated passage")
    project = d / "festival.critique"
    reader = IsolatedReader()
    try:
        with open_project(project) as p:
            report = add_to_library(
                p,
                [signed, m.write_clip(d / "other.mp4", m.shot_frames(911, 48, SIZE))],
                reader=reader,
            )
    finally:
        reader.close()
    assert len(report.added) == 2 and not report.skipped
    head, tail = list(m.shot_frames(912, 30, SIZE)), list(m.shot_frames(913, 24, SIZE))
    shown = [m.crop(f, 0.10) for k, f in enumerate(_pictures(signed)) if k % 3 != 2]
    copy = m.write_clip(d / "festival-copy.mp4", [*head, *shown, *tail])
    return Case(project, signed, copy, len(head))


def test_the_library_keeps_the_original_credentials(case: Case) -> None:
    with open_project(case.project) as p:
        signed, plain = store.library_items(p.db)
    assert plain.credentials is None  # no manifest: nothing stored
    c = signed.credentials
    assert c is not None
    assert c["ai_signal"] == "fully_genai" and c["reason"] == "untrusted_signer"
    assert c["signer"]["common_name"] == "Critique test signer"
    assert c["manifest_label"] and c["manifest_label"].startswith("urn:")
    assert signed.variants is not None and len(signed.variants) == len(signed.variant_names)


def test_verify_with_the_project_names_the_signed_original(
    case: Case, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["verify", "--json", "--project", str(case.project), str(case.copy)])
    (out,) = json.loads(capsys.readouterr().out)
    assert code == 0
    c = out["c2pa"]
    assert c["present"] is False  # the copy's own manifest is gone
    (found,) = c["recovered_by_content"]
    assert found["item"]["label"] == "generated"
    assert found["original"]["ai_signal"] == "fully_genai"
    assert found["original"]["signer"]["common_name"] == "Critique test signer"
    assert found["note"] == RECOVERED_WORDING
    assert found["median_distance"] <= 8
    (seg,) = found["segments"]
    assert abs(seg["start_frame"] - case.first) <= 3
    # re-timed: 2 of every 3 frames kept, so the item runs ~1.5x faster than the copy
    assert seg["item_end"] - seg["item_start"] > 1.3 * (seg["end_frame"] - seg["start_frame"])


def test_a_still_copy_names_its_signed_original(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A generated still, signed, in the library; a smaller JPEG of it (its manifest lost)."""
    from PIL import Image

    frame = next(m.shot_frames(930, 1, (320, 180)))
    Image.fromarray(frame).save(tmp_path / "raw.jpg", quality=95)
    signed = sign_file(tmp_path / "raw.jpg", tmp_path / "generated.jpg", signing_identity())
    project = tmp_path / "stills.critique"
    with open_project(project) as p:
        assert len(add_to_library(p, [signed]).added) == 1
    Image.open(signed).resize((200, 112)).save(tmp_path / "copy.jpg", quality=70)
    assert main(["verify", "--json", "--project", str(project), str(tmp_path / "copy.jpg")]) == 0
    (out,) = json.loads(capsys.readouterr().out)
    (found,) = out["c2pa"]["recovered_by_content"]
    assert found["item"]["label"] == "generated" and found["note"] == RECOVERED_WORDING
    assert found["original"]["ai_signal"] == "fully_genai"


def test_verify_text_says_it_is_not_cryptographically_bound(
    case: Case, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", "--project", str(case.project), str(case.copy)]) == 0
    text = capsys.readouterr().out
    assert "Credentials recovered by content" in text
    assert "not cryptographically bound to this copy" in text
    assert "generated" in text and "fully_genai" in text


def test_a_file_whose_own_credentials_stand_is_not_looked_up(
    case: Case, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", "--json", "--project", str(case.project), str(case.signed)]) == 0
    (out,) = json.loads(capsys.readouterr().out)
    assert out["c2pa"]["present"] and "recovered_by_content" not in out["c2pa"]


def test_verify_with_a_missing_project_is_one_sentence(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", "--project", str(tmp_path / "none.critique"), str(case.copy)]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "Traceback" not in err


def test_match_json_carries_the_original_provenance(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = Path(shutil.copy(case.project, tmp_path / "copy.critique"))
    assert main(["match", str(case.copy), "--project", str(project), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (match,) = data["matches"]
    original = match["original_provenance"]
    assert original["ai_signal"] == "fully_genai" and original["note"] == RECOVERED_WORDING
    assert original["manifest_label"] and original["trust_list"] is None


def test_the_window_shows_credentials_recovered_for_the_film_on_screen(
    case: Case, qtbot: Any, tmp_path: Path
) -> None:
    """Provenance panel open on a festival copy without credentials: the window looks for the
    signed original on its task runner and shows it in the panel's own section."""
    import shutil

    from critique_app.gui.main_window import MainWindow
    from critique_app.gui.settings import Settings
    from critique_app.player.fake_engine import FakeEngine
    from critique_app.services.films import add_film

    project = tmp_path / "jury.critique"
    shutil.copy(case.project, project)
    with open_project(project) as p:
        add_film(p, case.copy, title="Festival copy")
    fake = FakeEngine()
    window = MainWindow(settings=Settings(), engines=(fake, None))
    qtbot.addWidget(window)
    window.show()
    window.open_path(project)
    window.provenance.dock.show()
    qtbot.waitUntil(lambda: window.provenance.panel is not None)
    panel = window.provenance.panel
    qtbot.waitUntil(lambda: panel.recovered.isVisibleTo(panel), timeout=120_000)
    assert RECOVERED_WORDING in panel.recovered_note.text()
    assert "generated" in panel.recovered_list.item(0).text()
    window.close()
