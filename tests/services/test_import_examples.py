"""The annotations an import's sentence names as examples (left out after the film's end, cut
at it) are named by their words, as a person reads them: the Markdown and the subtitle tags
their value keeps are taken out, as in an editor's marker; and their count is written as the
language writes numbers."""

from __future__ import annotations

from pathlib import Path

from critique_app import i18n
from critique_app.services.import_annotations import import_file
from db.project import memory_project
from tests.db.helpers import film


def _stamp(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.000"


CUES = """WEBVTT

00:00:01.000 --> 00:00:02.000
Réplique 0 : le décor glisse

00:01:00.000 --> 00:01:01.000
<i>plan 1001</i> et <b>raccord</b> &amp; <v Léa>voix</v>

""" + "".join(f"{_stamp(100 + n)} --> {_stamp(101 + n)}\nRéplique {n}\n\n" for n in range(1102))


def test_annotations_left_out_are_named_by_their_words(tmp_path: Path) -> None:
    path = tmp_path / "sous-titres.vtt"
    path.write_text(CUES, encoding="utf-8")
    with memory_project() as project:
        film(project.repo, frames=240)  # 10 s at 23.976: every cue after the first is past it
        said = import_file(project, path).sentence(path.name)
    assert "“plan 1001 et raccord & voix” began at 1:00.000" in said, said
    assert "*" not in said and "<" not in said, said
    assert "and 1,100 more" in said, said
    with i18n.speaking("fr"), memory_project() as project:
        film(project.repo, frames=240)
        french = import_file(project, path).sentence(path.name)
        # 1,103 left out, 3 named: « et 1 100 autres », not « et 1100 autres »
        assert f"et {i18n.format_number(1100)} autres" in french, french
    assert "1100" not in french, french
