"""import(export(x)) == x for ELAN, W3C JSON, WebVTT and CSV, into a fresh project."""

from __future__ import annotations

from pathlib import Path

import pytest

from critique_app.errors import UserError
from critique_app.services import export as service
from critique_app.services.films import add_film
from critique_app.services.import_annotations import import_file
from db.project import open_project


def _essence(project, annotations) -> set:
    cats = {c.id: c.key for c in project.repo.categories()}
    tiers = {t.id: (t.name, t.author) for t in project.repo.tiers()}
    films = {f.id: f.sha256 for f in project.repo.films()}
    return {
        (
            a.content(),
            a.created_at,
            a.modified_at,
            cats.get(a.category_id),
            tiers[a.tier_id],
            films[a.film_id],
        )
        for a in annotations
    }


@pytest.mark.parametrize("fmt", ["eaf", "json", "vtt", "csv"])
def test_import_of_export_gives_the_same_annotations(sample, tmp_path: Path, fmt: str) -> None:
    film = sample.films[1]  # 29.97 fps with a start timecode: the hard case
    originals = sample.project.repo.annotations(film_id=film.id)
    doc = service.film_document(sample.project, film.id)
    out = service.export(doc, fmt, tmp_path / f"wall.{fmt}")
    with open_project(tmp_path / "fresh.critique") as fresh:
        add_film(fresh, film.path)
        summary = import_file(fresh, out)
        assert summary.added == len(originals)
        assert not summary.unknown_categories
        assert _essence(fresh, fresh.repo.annotations()) == _essence(sample.project, originals)
        again = import_file(fresh, out)  # the same file twice adds nothing
        assert (again.added, again.already_present) == (0, len(originals))


def test_seminar_json_and_csv_carry_every_film(sample, tmp_path: Path) -> None:
    doc = service.seminar_document(sample.project, sample.seminar_id)
    for fmt in ("json", "csv"):
        out = service.export(doc, fmt, tmp_path / f"all.{fmt}")
        with open_project(tmp_path / f"fresh-{fmt}.critique") as fresh:
            for film in sample.films:
                add_film(fresh, film.path)
            assert import_file(fresh, out).added == 4
            assert _essence(fresh, fresh.repo.annotations()) == _essence(
                sample.project, sample.project.repo.annotations()
            )


def test_bad_files_get_one_sentence(sample, tmp_path: Path) -> None:
    broken = tmp_path / "broken.eaf"
    broken.write_text("<ANNOTATION_DOCUMENT><TIER")
    with pytest.raises(UserError, match="broken.eaf is not a readable ELAN file"):
        import_file(sample.project, broken)
    odd = tmp_path / "notes.docx"
    odd.write_bytes(b"PK")
    with pytest.raises(UserError, match="notes.docx: Critique imports"):
        import_file(sample.project, odd)
    table = tmp_path / "other.csv"
    table.write_text("a,b\n1,2\n")
    with pytest.raises(UserError, match="not a Critique annotation table"):
        import_file(sample.project, table)
