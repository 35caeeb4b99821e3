"""What the command line, the services, the readers and the exports say once the work is done,
in the user's language (issue 22): an import's result line and its reader's note, a damaged
film, a metadata hint of `verify` (written by the isolated reader process), a timecode typed
wrong, and the words an export adds to the project's own (marker and subtitle labels in the
export's language; the annotators' notes as they were written)."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from critique_app import i18n
from critique_app.domain.timecode import smpte_to_frame
from critique_app.services import export as service
from tests.exporters.conftest import Sample, build_sample
from tests.i18n.test_cli_languages import run_cli


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    made = build_sample(tmp_path_factory.mktemp("sample"))
    yield made
    made.project.close()


@pytest.fixture(autouse=True)
def english_again() -> Iterator[None]:
    yield
    i18n.use(i18n.SOURCE)


def test_import_says_its_result_and_its_readers_note_in_french(
    sample: Sample, tmp_path: Path
) -> None:
    table = service.export(
        service.seminar_document(sample.project, sample.seminar_id), "csv", tmp_path / "t.csv"
    )
    sample.project.close()  # the command opens the project itself
    try:
        done = run_cli(
            "--language", "fr", "import", str(sample.folder / "sample.critique"), str(table),
            tmp_path=tmp_path,
        )  # fmt: skip
    finally:
        from db.project import open_project

        sample.project = open_project(sample.folder / "sample.critique")
    assert done.returncode == 0, done.stderr
    said = done.stderr
    assert "importée depuis t.csv" in said and "déjà dans le projet" in said, said
    assert "lu en UTF-8" in said, said  # the CSV reader's note
    for english in ("imported from", "already in the project", "read as"):
        assert english not in said, said


def test_a_film_cut_short_is_said_in_french(sample: Sample, tmp_path: Path) -> None:
    whole = Path(sample.films[0].path).read_bytes()
    cut = tmp_path / "coupé.mp4"
    cut.write_bytes(whole[: len(whole) // 2])  # the MP4 index ('moov') is at the end
    done = run_cli("--language", "fr", "probe", str(cut), tmp_path=tmp_path)
    assert done.returncode == 1
    assert "est tronqué ou endommagé" in done.stderr, done.stderr
    assert "cut short" not in done.stderr


def _png_with_text(path: Path, key: str, text: str) -> Path:
    """A 1×1 PNG carrying one tEXt chunk (what Stable Diffusion front-ends write)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return len(body).to_bytes(4, "big") + kind + body + crc.to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", key.encode("latin-1") + b"\x00" + text.encode("latin-1"))
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )
    return path


def test_verify_gives_its_metadata_hints_in_french(tmp_path: Path) -> None:
    """The hints are written by the reader's own process, which is told the language."""
    png = _png_with_text(
        tmp_path / "image.png", "parameters", "a vase, Steps: 20, Sampler: Euler, Model: sdxl"
    )
    done = run_cli("--language", "fr", "verify", str(png), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "paramètres de génération Stable Diffusion" in done.stdout, done.stdout
    assert "modèle sdxl" in done.stdout, done.stdout
    assert "generation parameters" not in done.stdout


def test_how_far_a_task_over_annotations_is_said_in_french() -> None:
    """Beside the progress bar of an import and of the anchor pass (session 19): the French
    noun follows the total, as the English one does ("1 annotations sur 1 195" was said)."""
    from critique_app.domain.annotation_words import annotations_done

    i18n.use("fr")
    assert annotations_done(1, 1195) == "1 sur 1\u202f195 annotations"  # a narrow no-break space
    assert annotations_done(0, 1) == "0 sur 1 annotation"


def test_a_timecode_typed_wrong_is_said_in_french() -> None:
    i18n.use("fr")
    with pytest.raises(ValueError) as said:
        smpte_to_frame("01:02:75:00", 24)
    assert "n’est pas un timecode" in str(said.value)


def test_an_export_in_french_labels_its_markers_and_cues_in_french(
    sample: Sample, tmp_path: Path
) -> None:
    # one film: an EDL runs at one frame rate
    doc = service.film_document(sample.project, sample.films[0].id)
    labelled = [i.category for i in doc.items if i.category and i.category.label_fr]
    assert labelled, "the sample's categories have French labels"
    french = {c.label("fr") for c in labelled}
    english = {c.label("en") for c in labelled} - french
    assert english, "the labels differ between the languages"
    edl = service.export(doc, "edl", tmp_path / "montage.edl", language="fr").read_text()
    assert all(label in edl for label in french), edl
    assert not any(label in edl for label in english), edl
    vtt = service.export(doc, "vtt", tmp_path / "film.vtt", language="fr").read_text()
    assert all(label in vtt for label in french), vtt
    # the same export in English keeps the English labels
    again = service.export(doc, "edl", tmp_path / "edit.edl", language="en").read_text()
    assert all(label in again for label in english), again


def test_a_french_pdf_handout_asks_for_discussion_in_french(sample: Sample, tmp_path: Path) -> None:
    import subprocess

    doc = service.seminar_document(sample.project, sample.seminar_id)
    assert any(i.prompt for i in doc.items), "the sample seminar asks something to discuss"
    pdf = service.export(doc, "pdf", tmp_path / "fiche.pdf", language="fr")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "FOR DISCUSSION" not in text
    assert "POUR LA DISCUSSION" in text


def test_the_screening_report_is_written_in_the_language_of_the_messages(tmp_path: Path) -> None:
    from critique_app.services.screening_report import write_report

    i18n.use("fr")
    html = write_report([], tmp_path / "jury.html", title="Jury 2026").html.read_text("utf-8")
    assert '<html lang="fr">' in html
    for english in ("Screening —", "need a human eye", "Why</th>", "Written "):
        assert english not in html, english
    assert "Jury 2026" in html  # the title as the jury gave it


def test_a_french_handout_shows_status_confidence_and_evidence_in_words(
    sample: Sample, tmp_path: Path
) -> None:
    """The stored codes ("observed", "medium", "visual inference") are the project's English
    keys; a French handout says them in French, an English one in English."""
    doc = service.seminar_document(sample.project, sample.seminar_id)
    annotated = [i.annotation for i in doc.items if i.annotation]
    assert {a.status for a in annotated} & {"declared", "observed", "contested"}
    assert any(a.evidence == "visual inference" for a in annotated)
    french = service.export(doc, "md", tmp_path / "fiche.md", language="fr").read_text()
    english = service.export(doc, "md", tmp_path / "sheet.md", language="en").read_text()
    html = service.export(doc, "html", tmp_path / "fiche.html", language="fr").read_text()
    for code, word in (("observed", "observé"), ("declared", "déclaré"), ("contested", "contesté")):
        if any(a.status == code for a in annotated):
            assert word in french and word in html, code
            assert f": {code}" not in french
            assert code in english
    assert "inférence visuelle" in html
    assert "visual inference" not in html


def test_decimals_are_written_as_the_export_language_writes_them() -> None:
    assert i18n.format_decimal(2.5, 2, "fr") == "2,50"
    assert i18n.format_decimal(2.5, 2, "en") == "2.50"
    assert i18n.format_decimal(1234.5, 1, "fr") == "1\u202f234,5"
    assert i18n.format_decimal(5.25, 1, "fr", padded_to=2) == "05,2"  # half to even, as Babel
    assert [
        i18n.format_decimal(r, 3, "fr", trim=True) for r in (30000 / 1001, 24000 / 1001, 25)
    ] == [
        "29,97",
        "23,976",
        "25",
    ]


def test_a_french_handout_writes_decimal_commas(sample: Sample, tmp_path: Path) -> None:
    doc = service.seminar_document(sample.project, sample.seminar_id)
    french = service.export(doc, "md", tmp_path / "fiche.md", language="fr").read_text("utf-8")
    english = service.export(doc, "md", tmp_path / "handout.md", language="en").read_text("utf-8")
    assert "29,97 i/s" in french or "29,97 fps" in french, french
    assert "29.97 fps" in english and "29,97" not in english
    # every passage's duration: '2,50 s' in French, '2.50 s' in English
    assert re.findall(r"\d,\d\d s\)", french) and not re.findall(r"\d\.\d\d s\)", french)
    assert len(re.findall(r"\d\.\d\d s\)", english)) == len(re.findall(r"\d,\d\d s\)", french))


def test_the_tiers_an_import_creates_are_named_in_its_language(tmp_path: Path) -> None:
    """Imported in French, a real SubRip file's cues go on a tier named in French; the name is
    project data from then on: an English import later makes (or finds) a tier of its own."""
    import shutil
    from fractions import Fraction

    from critique_app.cli import main
    from db.project import open_project
    from tests.foreign.conftest import HERE

    path = tmp_path / "p.critique"
    with open_project(path) as project:
        project.repo.add_film(
            "/f.mp4", sha256="c" * 64, size=1, rate=Fraction(25), frame_count=10**6
        )
    cues = tmp_path / "cues.srt"
    shutil.copy(HERE / "subtitles" / "webvttpy_sample.srt", cues)
    names = {}
    for language in ("fr", "en"):
        with i18n.speaking(language):
            names[language] = i18n._("Imported subtitles")
    assert main(["--language", "fr", "import", str(path), str(cues)]) == 0
    with open_project(path) as project:
        assert [t.name for t in project.repo.tiers()] == [names["fr"]]
    i18n.use("en")
    other = tmp_path / "more.srt"
    other.write_text("1\n00:00:01,000 --> 00:00:02,000\nA door melts.\n", "utf-8")
    assert main(["import", str(path), str(other)]) == 0
    with open_project(path) as project:
        assert {t.name for t in project.repo.tiers()} == {names["fr"], names["en"]}
        assert [t.name for t in project.repo.tiers()][0] == names["fr"]  # kept as created


def test_percentages_are_written_as_the_language_writes_them() -> None:
    """French puts a no-break space before the sign (12,5 %), English none (12.5%)."""
    with i18n.speaking("fr"):
        assert [i18n.format_percent(12.5), i18n.format_percent(35, 0)] == ["12,5\xa0%", "35\xa0%"]
    with i18n.speaking("en"):
        assert [i18n.format_percent(12.5), i18n.format_percent(35, 0)] == ["12.5%", "35%"]


def test_a_french_handout_writes_its_dates_in_french(sample: Sample, tmp_path: Path) -> None:
    """'préparé le 5 décembre 2026', not an ISO date, in the HTML and the PDF."""
    import subprocess
    from datetime import date

    doc = service.seminar_document(sample.project, sample.seminar_id)
    made = date.fromisoformat(doc.created_at[:10])
    with i18n.speaking("fr"):
        french_day = i18n.format_date(made)
    html = service.export(doc, "html", tmp_path / "fiche.html", language="fr").read_text()
    pdf = service.export(doc, "pdf", tmp_path / "fiche.pdf", language="fr")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for written in (html, " ".join(text.split())):
        assert f"préparé le {french_day}" in written
        assert f"préparé le {made.isoformat()}" not in written


def test_an_import_summary_writes_its_numbers_and_clauses_as_french_does() -> None:
    """The status bar's summary of a large import, in the French window: "73 500", not
    "73500", and « ; » between its clauses, as the line announcing the import writes them."""
    from critique_app.services.import_annotations import ImportSummary

    summary = ImportSummary(added=73_500, already_present=1_200, skipped=2, skipped_what="cues")
    with i18n.speaking("fr"):
        said = summary.sentence("gros.vtt")
        thousands = i18n.format_number(73_500)
    assert thousands not in ("73500", "73,500") and thousands in said, said
    assert said.count("\u00a0; ") == 2 and "; " not in said.replace("\u00a0; ", ""), said
    assert said.startswith(f"{thousands} annotations importées depuis gros.vtt"), said
    assert "1" + thousands[2] + "200" in said, said
