"""A CSV a person typed in a spreadsheet: only film, in, out, value or category, tier and
author; uuids are generated, timecodes and frames both understood, bad rows counted."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from critique_app.services.import_annotations import import_file
from db.project import memory_project


def test_a_typed_spreadsheet_imports_without_uuids(tmp_path: Path) -> None:
    with memory_project(default_vocabulary=True) as project:
        film = project.repo.add_film(
            "/films/Les Ondes.mov",
            sha256="a" * 64,
            size=1,
            rate=Fraction(25),
            frame_count=9000,
            start_timecode="01:00:00:00",
        )
        project.repo.add_film(
            "/films/other.mp4", sha256="b" * 64, size=1, rate=Fraction(24), frame_count=100
        )
        label = project.repo.categories()[-1].label_en
        sheet = tmp_path / "class notes.csv"
        # as LibreOffice saves it for a French locale: ';' between cells, Windows-1252
        sheet.write_bytes(
            (
                "Film;In;Out;Value;Category;Tier;Author\r\n"
                "Les Ondes;01:00:02:12;01:00:04:00;Le visage fond;;Léa;Léa\r\n"
                f"Les Ondes.mov;100;150;;{label};Théo;Théo\r\n"
                "Les Ondes;12.5;00:00:14.0;secondes;Inconnue;Léa;Léa\r\n"
                "Les Ondes;soon;later;bad row;;Léa;Léa\r\n"
                ";;;;;;\r\n"
            ).encode("cp1252")
        )
        summary = import_file(project, sheet)
        sentence = summary.sentence(sheet.name)
        assert summary.added == 3, sentence
        assert "1 row skipped (line 5: 'soon' is not a frame number" in sentence
        assert "read as Windows-1252" in sentence
        got = {a.value: a for a in project.repo.annotations()}
        face = got["Le visage fond"]
        assert (face.range.start, face.range.end) == (62, 100)  # from the film's 01:00:00:00
        assert face.film_id == film.id and face.author == "Léa"
        (coded,) = [a for a in got.values() if a.category_id is not None]
        assert (coded.range.start, coded.range.end, coded.value) == (100, 150, "")
        assert got["secondes"].range.start == round(Fraction("12.5") * 25)
        assert "Inconnue" in summary.unknown_categories
        assert got["secondes"].category_id is None  # the unknown category is named, not lost
        assert all(len(a.uuid) == 36 for a in got.values())
        again = import_file(project, sheet)  # generated uuids are stable: nothing twice
        assert again.added == 0 and again.already_present == 3
