"""Seminar editing with undo, exports that never leave half a file, and the two commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from critique_app.cli import main
from critique_app.domain.model import FrameRange
from critique_app.errors import Cancelled, UserError
from critique_app.progress import Progress
from critique_app.services import export as service
from critique_app.services.seminars import Seminars
from tests.exporters.conftest import build_sample


@pytest.fixture()
def fresh(tmp_path: Path):
    made = build_sample(tmp_path / "p")
    yield made
    made.project.close()


def _order(seminars: Seminars, seminar_id: int) -> list[tuple[int, str]]:
    return [(i.range.start, i.prompt) for i in seminars.items(seminar_id)]


def test_seminar_edits_undo_and_redo(fresh) -> None:
    seminars = Seminars(fresh.project)
    sid = fresh.seminar_id
    start = _order(seminars, sid)
    a = fresh.annotations[1]
    item = seminars.add_annotation(sid, a.id, prompt="Why here?", position=0)
    assert _order(seminars, sid)[0] == (a.range.start, "Why here?")
    seminars.move(item.id, 3)
    seminars.edit(item.id, prompt="Why *here*?", notes="see frame 20")
    last = seminars.items(sid)[-1]
    seminars.remove(last.id)
    renamed = seminars.rename(sid, "Regimes, week 3")
    assert renamed.name == "Regimes, week 3"
    after = _order(seminars, sid)
    for _ in range(5):
        seminars.stack.undo()
    assert _order(seminars, sid) == start
    assert seminars.find(sid).name == "New visual regimes"
    for _ in range(5):
        seminars.stack.redo()
    assert _order(seminars, sid) == after


def test_duplicate_copies_items_and_prompts(fresh) -> None:
    seminars = Seminars(fresh.project)
    copy = seminars.duplicate(fresh.seminar_id)
    assert copy.name == "New visual regimes (copy)"
    assert _order(seminars, copy.id) == _order(seminars, fresh.seminar_id)
    assert seminars.duplicate(fresh.seminar_id).name == "New visual regimes (copy 2)"
    with pytest.raises(UserError, match="already a seminar named"):
        seminars.create("New visual regimes")
    with pytest.raises(UserError, match="has 72 frames"):
        seminars.add_range(fresh.seminar_id, fresh.films[0].id, FrameRange(70, 80))


def test_cancelled_export_keeps_the_previous_file(fresh, tmp_path: Path) -> None:
    doc = service.seminar_document(fresh.project, fresh.seminar_id)
    target = tmp_path / "handout.pdf"
    target.write_bytes(b"%PDF- the good old handout")
    progress = Progress(lambda done, total, msg: progress.cancel() if done >= 2 else None)
    with pytest.raises(Cancelled):
        service.export(doc, "pdf", target, progress)
    assert target.read_bytes() == b"%PDF- the good old handout"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    clips = tmp_path / "clips"
    service.export(doc, "clips", clips)
    before = sorted(p.name for p in clips.iterdir())
    progress = Progress(lambda done, total, msg: progress.cancel() if done > 30 else None)
    with pytest.raises(Cancelled):
        service.export(doc, "clips", clips, progress)
    assert sorted(p.name for p in clips.iterdir()) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_failed_export_keeps_the_previous_file(fresh, tmp_path: Path) -> None:
    doc = service.seminar_document(fresh.project, fresh.seminar_id)
    target = tmp_path / "seminar.edl"
    target.write_text("old")
    with pytest.raises(UserError, match="one frame rate"):
        service.export(doc, "edl", target)  # two films at different rates
    assert target.read_text() == "old"
    Path(fresh.films[0].path).rename(Path(fresh.films[0].path).with_suffix(".moved"))
    with pytest.raises(UserError, match="is missing"):
        service.export(doc, "html", tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()


def test_export_and_import_commands(fresh, tmp_path: Path, capsys) -> None:
    project = str(fresh.project.path)
    fresh.project.close()
    assert main(["export", project, "--format", "html", "-o", str(tmp_path / "h")]) == 0
    assert (tmp_path / "h.html").stat().st_size > 5000
    assert (
        main(
            [
                "export",
                project,
                "-f",
                "vtt",
                "--film",
                "Morning Drift",
                "-o",
                str(tmp_path / "drift.vtt"),
            ]
        )
        == 0
    )
    assert main(["import", project, str(tmp_path / "drift.vtt")]) == 0
    assert (
        "0 annotations imported from drift.vtt; 2 already in the project" in capsys.readouterr().err
    )
    assert (
        main(["export", project, "-f", "md", "--seminar", "nope", "-o", str(tmp_path / "m")]) == 1
    )
    assert "There is no seminar 'nope'" in capsys.readouterr().err
    assert (
        main(
            [
                "export",
                project,
                "-f",
                "pdf",
                "--film",
                "Le mur qui respire",
                "--search",
                "sign",
                "-o",
                str(tmp_path / "sign.pdf"),
            ]
        )
        == 0
    )
    assert main(["export", project, "-f", "wav", "-o", "x"]) == 2
