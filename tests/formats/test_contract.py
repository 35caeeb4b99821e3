"""One contract, every format: the cases are made from the format registry, so a format added
there is held to the same promises at once (after Picard's shared per-format tests).

- Every writer writes the reference project; its words come out in UTF-8, whole.
- Every format that reads and writes gives back what it wrote (every field, when it says so),
  and a cancelled import of it adds nothing, not even its tiers.
- Every reader meets broken files (cut in the middle, random bytes, empty, another format's
  text) with one sentence, adds nothing from a file it refuses, and never crashes.
- Every reader recognises a real file of its format, made by another tool, from its first
  bytes alone.
"""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest

from critique_app.errors import Cancelled, UserError
from critique_app.progress import Progress
from critique_app.services import export as service
from critique_app.services.import_annotations import ImportSummary, import_file
from exporters import registry
from exporters.file_format import Format
from exporters.sniffing import HEAD_SIZE
from tests.exporters.test_roundtrip import _essence  # one definition of what a round trip keeps
from tests.formats.conftest import FRENCH, NOTE, VALUE, Reference

REPO = Path(__file__).resolve().parents[2]
READERS = registry.readers()
WRITERS = registry.writers()
BOTH = [f for f in READERS if f.writes]

# A real file of each format Critique reads, made by another tool (tests/foreign/SOURCES.md).
SAMPLES = {
    "csv": "tests/foreign/spreadsheets/videoannotator_sample_video_annotations.csv",
    "json": "tests/foreign/w3c/anno4.json",
    "iiif": "tests/foreign/iiif/0064-opera-one-canvas_manifest.json",
    "vtt": "tests/foreign/subtitles/webvttpy_sample.vtt",
    "srt": "tests/foreign/subtitles/markup/pysrt_capability_tester.srt",
    "eaf": "tests/foreign/elan/pympi_sample_3.0.eaf",
}
# A cut file of one document (XML, JSON) is refused; subtitles and tables are read line by line,
# so the cues or rows before the cut can still be imported, and the summary says what it did.
ONE_DOCUMENT = {"eaf", "json", "iiif"}
LINE_BY_LINE = {"csv", "vtt", "srt"}
# Formats whose files are not text to look into: a PDF's text is compressed, clips are video.
NOT_TEXT = {"pdf", "clips"}


def _ids(formats: list[Format]) -> list[str]:
    return [f.name for f in formats]


def _written(reference: Reference, fmt: Format, folder: Path) -> Path:
    doc = service.film_document(reference.project, reference.film.id)
    target = folder / "clips" if fmt.writes_folder else folder / f"mur{fmt.extension}"
    return service.export(doc, fmt.name, target)


def _texts(path: Path) -> list[str]:
    """Every text a written file or folder holds, decoded as UTF-8 (an error if it is not)."""
    if path.is_dir():
        return [t for child in sorted(path.iterdir()) for t in _texts(child)]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as pack:
            names = [n for n in pack.namelist() if n.endswith((".json", ".html", ".md", ".txt"))]
            return [pack.read(n).decode("utf-8") for n in names]
    if path.suffix in (".mp4", ".mov", ".pdf", ".jpg", ".png"):
        return []
    return [path.read_bytes().decode("utf-8")]


# -- the registry itself --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", registry.all_formats(), ids=_ids(registry.all_formats()))
def test_every_format_says_who_it_is_and_what_it_keeps(fmt: Format) -> None:
    assert fmt.name and fmt.title and fmt.description
    assert fmt.reads or fmt.writes
    assert all(ext.startswith(".") and ext == ext.lower() for ext in fmt.extensions)
    assert fmt.extensions or fmt.writes_folder
    assert fmt.mime_types or fmt.writes_folder
    for side, does in ((fmt.on_import, fmt.reads), (fmt.on_export, fmt.writes)):
        assert (side is not None) == does, "say what it keeps on each way it goes"
        if side is not None:
            assert side.keeps
            assert all(s.strip() and s.rstrip().endswith((".", ")")) for s in side.keeps)
            assert all(s.strip() and s.rstrip().endswith((".", ")")) for s in side.leaves_out)
    if fmt.reads:
        assert fmt.sniffer is not None, "a reader recognises its files"
        assert fmt.name in SAMPLES, "give a real file of the format in SAMPLES (and SOURCES.md)"


def test_names_are_one_each() -> None:
    names = [f.name for f in registry.all_formats()]
    assert len(names) == len(set(names))
    assert registry.names() == [f.name for f in WRITERS]


# -- writing --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", WRITERS, ids=_ids(WRITERS))
def test_writes_the_reference_project(reference: Reference, tmp_path: Path, fmt: Format) -> None:
    out = _written(reference, fmt, tmp_path)
    if fmt.writes_folder:
        assert out.is_dir() and any(out.iterdir())
    else:
        assert out.suffix == fmt.extension and out.stat().st_size > 0


@pytest.mark.parametrize(
    "fmt",
    [f for f in WRITERS if f.name not in NOT_TEXT],
    ids=_ids([f for f in WRITERS if f.name not in NOT_TEXT]),
)
def test_french_text_comes_out_whole(reference: Reference, tmp_path: Path, fmt: Format) -> None:
    """UTF-8 throughout (decoding fails otherwise), no mojibake, and the French words the
    format has a place for come out as they were typed."""
    texts = _texts(_written(reference, fmt, tmp_path))
    assert texts
    joined = "\n".join(texts)
    assert "Ã" not in joined and "\ufffd" not in joined
    assert any(french in joined for french in FRENCH), f"{fmt.name} kept none of {FRENCH}"


@pytest.mark.parametrize("fmt", BOTH, ids=_ids(BOTH))
def test_what_it_writes_is_recognised_as_its_own(
    reference: Reference, tmp_path: Path, fmt: Format
) -> None:
    out = _written(reference, fmt, tmp_path)
    head = out.read_bytes()[:HEAD_SIZE]
    assert registry.sniff(head)[0][0] is fmt
    assert registry.reader_for(out) is fmt


# -- round trip -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", BOTH, ids=_ids(BOTH))
def test_round_trip_of_the_reference_project(
    reference: Reference, fresh, tmp_path: Path, fmt: Format
) -> None:
    out = _written(reference, fmt, tmp_path)
    summary = import_file(fresh, out)
    back = fresh.repo.annotations()
    assert summary.added == len(back) == len(reference.annotations)
    assert sorted(a.range for a in back) == sorted(a.range for a in reference.annotations)
    # the French value survives even where the format has room for nothing else
    assert any(VALUE in a.value for a in back)
    if fmt.round_trip_keeps_everything:
        assert not summary.unknown_categories
        assert _essence(fresh, back) == _essence(reference.project, reference.annotations)
        assert any(a.note == NOTE for a in back)
    again = import_file(fresh, out)  # the same file twice adds nothing
    assert again.added == 0


@pytest.mark.parametrize("fmt", BOTH, ids=_ids(BOTH))
def test_a_cancelled_import_adds_nothing(
    reference: Reference, fresh, tmp_path: Path, fmt: Format
) -> None:
    out = _written(reference, fmt, tmp_path)
    tiers_before = [t.name for t in fresh.repo.tiers()]
    progress = Progress()
    progress.cancel()  # the user pressed Cancel while the file was being read
    with pytest.raises(Cancelled):
        import_file(fresh, out, progress=progress)
    assert fresh.repo.annotations() == []
    assert [t.name for t in fresh.repo.tiers()] == tiers_before  # the file's tiers too


# -- hostile input --------------------------------------------------------------------------


def _refused_or_said(project, path: Path, most: int) -> None:  # type: ignore[no-untyped-def]
    """One sentence either way: a refusal adds nothing; an import says what it did."""
    try:
        summary = import_file(project, path)
    except UserError as err:
        sentence = str(err)
        assert path.name in sentence and sentence.rstrip().endswith((".", ")"))
        assert "Traceback" not in sentence
        assert project.repo.annotations() == []
        return
    assert isinstance(summary, ImportSummary)
    assert summary.sentence(path.name).endswith(".")
    assert summary.added == len(project.repo.annotations()) <= most


@pytest.mark.parametrize("fmt", BOTH, ids=_ids(BOTH))
def test_a_file_cut_in_the_middle(reference: Reference, fresh, tmp_path: Path, fmt: Format) -> None:
    raw = _written(reference, fmt, tmp_path).read_bytes()
    cut = tmp_path / f"cut{fmt.extension}"
    cut.write_bytes(raw[: len(raw) // 2])
    assert fmt.name in ONE_DOCUMENT | LINE_BY_LINE, "say how a cut file of it can be read"
    if fmt.name in ONE_DOCUMENT:
        with pytest.raises(UserError):  # XML or JSON cut short is no document at all
            import_file(fresh, cut)
        assert fresh.repo.annotations() == []
    else:
        _refused_or_said(fresh, cut, len(reference.annotations))


@pytest.mark.parametrize("fmt", READERS, ids=_ids(READERS))
@pytest.mark.parametrize("seed", [1, 2])
def test_random_bytes_are_refused(fresh, tmp_path: Path, fmt: Format, seed: int) -> None:
    garbage = tmp_path / f"garbage{fmt.extension}"
    garbage.write_bytes(random.Random(seed).randbytes(4096))
    with pytest.raises(UserError) as refused:
        import_file(fresh, garbage)
    assert "garbage" in str(refused.value)
    assert fresh.repo.annotations() == []


@pytest.mark.parametrize("fmt", READERS, ids=_ids(READERS))
def test_an_empty_file(fresh, tmp_path: Path, fmt: Format) -> None:
    empty = tmp_path / f"empty{fmt.extension}"
    empty.write_bytes(b"")
    _refused_or_said(fresh, empty, 0)


@pytest.mark.parametrize("fmt", READERS, ids=_ids(READERS))
def test_another_formats_file_under_its_extension(fresh, tmp_path: Path, fmt: Format) -> None:
    """A real file of another format, renamed: refused, or read as nothing."""
    other = next(name for name in SAMPLES if registry.named(name).reader != fmt.reader)
    disguised = tmp_path / f"disguised{fmt.extension}"
    disguised.write_bytes((REPO / SAMPLES[other]).read_bytes())
    _refused_or_said(fresh, disguised, 0)


# -- recognising real files -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", READERS, ids=_ids(READERS))
def test_sniffing_picks_the_format_of_a_real_file(fmt: Format) -> None:
    sample = REPO / SAMPLES[fmt.name]
    head = sample.read_bytes()[:HEAD_SIZE]
    ranked = registry.sniff(head)
    assert ranked[0][0] is fmt, [(f.name, round(c, 2)) for f, c in ranked]
    assert ranked[0][1] > ranked[1][1]
    assert registry.reader_for(sample) is fmt


def test_every_foreign_file_is_recognised_by_a_format_of_its_extension() -> None:
    """Every real file under tests/foreign (cue test data of vtt.js aside) sniffs as one of the
    formats its extension belongs to."""
    wrong = []
    for path in sorted((REPO / "tests" / "foreign").rglob("*")):
        suffix = path.suffix.lower()
        if not path.is_file() or suffix not in registry.reading_extensions():
            continue
        if path.name.endswith("-proc.json"):
            continue  # vtt.js's expected parse trees, not annotations
        owners = [f for f in READERS if suffix in f.extensions]
        best = registry.sniff(path.read_bytes()[:HEAD_SIZE])[0][0]
        if best not in owners:
            wrong.append(f"{path.relative_to(REPO)}: {best.name}")
    assert not wrong
