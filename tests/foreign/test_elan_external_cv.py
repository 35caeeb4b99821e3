"""A controlled vocabulary whose entries are in an external .ecv (issue 23): ELAN's own sample
files name the .ecv by an EXTERNAL_REF; before, the import kept the vocabulary empty and an
EAF export wrote it without the reference, so ELAN could no longer fill it. Now the reference
is kept in the project and written back, valid against ELAN's schema; pympi-ling reads both
files independently of Critique."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from critique_app.services import export as service
from critique_app.services.import_annotations import import_file
from db.project import Project, memory_project, open_project
from tests.foreign.conftest import HERE
from tests.foreign.test_elan_corpus import _eaf, _schema

WITH_ECV = [
    HERE / "elan" / "pympi_sample_2.7.eaf",
    HERE / "elan" / "pympi_sample_3.0.eaf",
    HERE / "elan" / "speach_fables_3.0.eaf",
]


def _external_cvs(path: Path) -> dict[str, str]:
    """CV id -> the address of its .ecv, as pympi-ling reads the file."""
    eaf = _eaf(path)
    found = {}
    for cv_id, (_descriptions, _entries, ext_ref) in eaf.controlled_vocabularies.items():
        if ext_ref:
            kind, url = eaf.external_refs[ext_ref]
            if kind == "ecv":
                found[cv_id] = url
    return found


@pytest.mark.parametrize("path", WITH_ECV, ids=lambda p: p.name)
def test_the_ecv_reference_survives_an_eaf_export(
    project: Project, path: Path, tmp_path: Path
) -> None:
    expected = _external_cvs(path)
    assert expected  # each of these files names an .ecv
    import_file(project, path)
    kept = {v.key: v.external_file for v in project.repo.vocabularies()}
    assert {k: kept[k] for k in expected} == expected
    (film,) = project.repo.films()
    out = service.export(service.film_document(project, film.id), "eaf", tmp_path / "again.eaf")
    _schema().validate(str(out))
    assert _external_cvs(out) == expected
    # the reference stands instead of entries, as the schema intends (read with ElementTree)
    root = ET.parse(out).getroot()
    for cv in root.iterfind("CONTROLLED_VOCABULARY"):
        if cv.get("CV_ID") in expected:
            assert cv.find("CV_ENTRY_ML") is None


def test_one_ecv_shared_by_three_vocabularies_is_one_reference(
    project: Project, tmp_path: Path
) -> None:
    path = HERE / "elan" / "pympi_sample_3.0.eaf"
    import_file(project, path)
    (film,) = project.repo.films()
    out = service.export(service.film_document(project, film.id), "eaf", tmp_path / "again.eaf")
    refs = ET.parse(out).getroot().findall("EXTERNAL_REF")
    assert [(r.get("TYPE"), r.get("VALUE")) for r in refs] == [
        ("ecv", "file:/Users/Shared/Temp/test_ecv_export.ecv")
    ]
    with memory_project() as again:  # and Critique reads its own EAF back with them
        again.repo.add_film(
            "/films/recording.mp4", sha256="f" * 64, size=1, rate=film.rate, frame_count=10**6
        )
        import_file(again, out)
        kept = {v.key: v.external_file for v in again.repo.vocabularies() if v.external_file}
        assert kept == _external_cvs(path)


def test_the_reference_is_kept_in_the_project_file(tmp_path: Path) -> None:
    """Saved with the vocabulary, it is there when the project is opened again; importing a
    vocabulary of the same key without one does not erase it."""
    from critique_app.domain.model import Vocabulary

    where = tmp_path / "p.critique"
    with open_project(where) as first:
        first.repo.save_vocabulary(
            Vocabulary(key="Gesture", name="Gesture", external_file="file:/cv/gestures.ecv")
        )
    with open_project(where) as again:
        again.repo.save_vocabulary(Vocabulary(key="Gesture", name="Gestures"))
        found = again.repo.vocabulary_by_key("Gesture")
        assert found is not None and found.external_file == "file:/cv/gestures.ecv"
