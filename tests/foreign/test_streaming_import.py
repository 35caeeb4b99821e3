"""Large subtitle files are read as they are stored and written in batches (issue 23, item 8):
every cue of the whole file arrives (checked against the independent readers `webvtt-py` and
`srt`), progress moves, a Cancel at any point, even from the last progress report, leaves the
project as it was, and a Cancel after the commit leaves the import whole and says so. No time
or memory is asserted here: benchmarks/import_size.py measures them."""

from __future__ import annotations

import multiprocessing
import os
import random
import uuid
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest
import srt
import webvtt
from hypothesis import given
from hypothesis import strategies as st

from critique_app.domain.commands import UndoStack
from critique_app.domain.model import FrameRange
from critique_app.errors import Cancelled, UserError
from critique_app.progress import Progress
from critique_app.services.import_annotations import (
    BATCH,
    frames_of,
    frames_of_milliseconds,
    import_entries,
    import_file,
    open_file,
)
from db.project import Project, open_project
from exporters import markup, subtitles, subtitles_apart, text_decoding
from exporters.document import each_entry
from exporters.markup.markdown_text import from_markdown, to_markdown
from exporters.subtitles import _NAMESPACE, _as_fraction, cue_uuid

RATE = Fraction(25)
# What subtitles say: italics ending on a question, bold, a voice, accents, two lines.
TEXTS = (
    "Il fait nuit sur la ville, et personne ne répond.",
    "<i>Tu entends la mer ?</i>\nNon, seulement le vent.",
    "<v Élodie>On part demain, avant l'aube.</v>",
    "<b>Attention !</b> Le pont est fermé.",
    "« Je t'ai attendu » — toute la journée…",
    "<i>Where are you?</i> <b>Here!</b>",
)
CUES = BATCH * 2 + 321  # three batches, the last one short


def _stamp(ms: int, comma: bool = False) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{',' if comma else '.'}{ms:03d}"


def _vtt(path: Path, cues: int = CUES) -> Path:
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("WEBVTT\n\n")
        for n in range(cues):
            start = n * 1500 + (n % 7)
            out.write(f"{_stamp(start)} --> {_stamp(start + 1200)}\n{TEXTS[n % len(TEXTS)]}\n\n")
    return path


def _srt(path: Path, cues: int = CUES) -> Path:
    with path.open("w", encoding="utf-8", newline="\r\n") as out:  # Windows line ends
        for n in range(cues):
            start = n * 1500 + (n % 7)
            text = TEXTS[n % len(TEXTS)].replace("<v Élodie>", "").replace("</v>", "")
            out.write(f"{n + 1}\n{_stamp(start, True)} --> {_stamp(start + 1200, True)}\n")
            out.write(f"{text}\n\n")
    return path


@pytest.fixture
def project(tmp_path: Path):  # type: ignore[no-untyped-def]
    with open_project(tmp_path / "p.critique") as opened:
        opened.repo.add_film(
            "/film.mp4", sha256="e" * 64, size=1, rate=RATE, frame_count=CUES * 2 * 25
        )
        yield opened


@pytest.fixture(params=["here", "apart"])
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Read in this process, or (as a large file is) in a second one while this one stores."""
    if request.param == "apart":
        monkeypatch.setattr(subtitles_apart, "APART_FROM", 0)
        monkeypatch.setattr(subtitles_apart, "BATCH", 700)  # several messages
    yield request.param
    assert multiprocessing.active_children() == []  # no reader left behind


def _words(value: str) -> str:
    return markup.plain(from_markdown(value))


def _stored(project: Project) -> list:  # type: ignore[type-arg]
    return sorted(project.repo.annotations(), key=lambda a: a.range.start)


def test_every_cue_of_a_vtt_arrives_as_webvtt_py_reads_it(
    project: Project, tmp_path: Path, way: str
) -> None:
    path = _vtt(tmp_path / "long.vtt")
    summary = import_file(project, path)
    reference = list(webvtt.read(str(path)))
    stored = _stored(project)
    assert summary.added == len(stored) == len(reference) == CUES
    for annotation, caption in zip(stored, reference, strict=True):
        assert annotation.range.start == round(_seconds(caption.start) * RATE)
        assert _words(annotation.value) == caption.text
    assert import_file(project, path).added == 0  # the same file again adds nothing


def _seconds(stamp: str) -> Fraction:
    """webvtt-py's '00:01:02.345' in seconds."""
    h, m, s = stamp.split(":")
    return (int(h) * 60 + int(m)) * 60 + Fraction(s)


def test_every_cue_of_an_srt_arrives_as_srt_reads_it(
    project: Project, tmp_path: Path, way: str
) -> None:
    path = _srt(tmp_path / "long.srt")
    summary = import_file(project, path)
    reference = list(srt.parse(path.read_text("utf-8")))
    stored = _stored(project)
    assert summary.added == len(stored) == len(reference) == CUES
    for annotation, subtitle in zip(stored, reference, strict=True):
        seconds = Fraction(subtitle.start.seconds) + Fraction(subtitle.start.microseconds, 10**6)
        assert annotation.range.start == round(seconds * RATE)
        assert _words(annotation.value) == _words(to_markdown(markup.from_cue(subtitle.content)))
        assert "\r" not in annotation.value


def test_the_file_is_read_as_it_is_stored_and_written_in_batches(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _vtt(tmp_path / "long.vtt")
    monkeypatch.setattr(text_decoding, "CHUNK", 4096)  # so that a small file has many pieces
    found = open_file(path)
    first = next(each_entry(found.entries))
    assert first.annotation.value.startswith("Il fait nuit")
    assert found.position() < found.size  # one group of cues read, not the whole file
    assert found.expected == CUES  # its size is said before it is read

    batches: list[int] = []
    insert = project.repo.insert_like

    def counted(model, cues):  # type: ignore[no-untyped-def]
        batches.append(len(cues))
        return insert(model, cues)

    monkeypatch.setattr(project.repo, "insert_like", counted)
    assert import_file(project, path).added == CUES
    assert batches == [BATCH, BATCH, CUES - 2 * BATCH]


def test_progress_moves_and_ends_full(project: Project, tmp_path: Path, way: str) -> None:
    path = _vtt(tmp_path / "long.vtt")
    seen: list[tuple[int, int, str]] = []
    import_file(project, path, progress=Progress(lambda d, t, m: seen.append((d, t, m))))
    done = [d for d, _t, _m in seen]
    assert len(set(done)) >= 4 and done == sorted(done)
    assert seen[-1][:2] == (CUES, CUES)
    assert "annotations" in seen[-1][2]


@pytest.mark.parametrize("when", ["first", "middle", "last"])
def test_a_cancel_at_any_report_leaves_the_project_as_it_was(
    project: Project, tmp_path: Path, when: str, way: str
) -> None:
    path = _vtt(tmp_path / "long.vtt")
    tiers = [t.name for t in project.repo.tiers()]
    progress = Progress()
    reports: list[int] = []

    def report(done: int, total: int, _message: str) -> None:
        reports.append(done)
        if (
            (when == "first" and len(reports) == 1)
            or (when == "middle" and 0 < done < total)
            or (when == "last" and done == total)
        ):
            progress.cancel()

    progress = Progress(report)
    with pytest.raises(Cancelled):
        import_file(project, path, progress=progress)
    assert project.repo.annotations() == []
    assert [t.name for t in project.repo.tiers()] == tiers


def test_a_cancel_after_the_commit_keeps_the_import_and_says_so(
    project: Project, tmp_path: Path
) -> None:
    """The window's Cancel may come while the last batch is committed: the annotations are in
    the project, so the report says they were imported (never 'cancelled: nothing added')."""
    path = _vtt(tmp_path / "long.vtt", 50)
    progress = Progress()
    stack = UndoStack(project.repo)
    stack.subscribe(lambda _change: progress.cancel())  # heard once committed
    summary = import_file(project, path, progress=progress, stack=stack)
    assert summary.added == len(project.repo.annotations()) == 50
    assert not progress.cancelled  # so the worker reports it done, with its summary
    assert "Cancel came after the annotations were saved" in summary.sentence(path.name)


def test_one_undo_takes_a_batched_import_back_and_redo_restores_it(
    project: Project, tmp_path: Path
) -> None:
    path = _vtt(tmp_path / "long.vtt", BATCH + 10)
    stack = UndoStack(project.repo)
    import_file(project, path, stack=stack)
    before = _stored(project)
    assert len(before) == BATCH + 10
    stack.undo()
    assert project.repo.annotations() == []
    stack.redo()
    assert _stored(project) == before  # the same ids, values and times


def test_lines_read_a_piece_at_a_time_are_the_lines_of_the_whole_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(23)
    monkeypatch.setattr(text_decoding, "CHUNK", 7)  # CR LF split across pieces, and so on
    for n in range(40):
        text = "".join(
            rng.choice(["a", "é", "\r\n", "\r", "\n", "\x00", " ", "→"]) for _ in range(60)
        )
        path = tmp_path / f"{n}.txt"
        path.write_bytes(text.encode("utf-8"))
        expected = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
        stream = text_decoding.TextStream(path, path.name)
        assert list(stream.lines()) == expected.split("\n")
        assert stream.encoding == "UTF-8"


@pytest.mark.parametrize(
    ("encoding", "said"),
    [
        ("utf-16", "UTF-16 (little-endian)"),
        ("utf-8-sig", "UTF-8 (with a byte-order mark)"),
        ("cp1252", "Windows-1252"),
        ("utf-16-le", "UTF-16 (little-endian, without a byte-order mark)"),
    ],
)
def test_a_streamed_file_still_names_its_encoding(
    project: Project, tmp_path: Path, encoding: str, said: str
) -> None:
    path = tmp_path / "court.srt"
    path.write_bytes("1\n00:00:01,000 --> 00:00:02,000\nÇa déménage, Noël !\n\n".encode(encoding))
    summary = import_file(project, path)
    assert summary.added == 1
    assert [a.value for a in project.repo.annotations()] == ["Ça déménage, Noël !"]
    assert f"read as {said}" in summary.sentence(path.name)


def test_the_quick_markdown_path_reads_back_as_the_parser_does() -> None:
    """Most cues are written as Markdown without asking the parser (a parse per cue was most
    of a 500,000-cue import); what is written so must read back as the same tree."""
    rng = random.Random(8)
    pieces = list("ab é?!.,;:…¿«»'\"()-& \n") + ["&amp;", "&x", "1", "Z"]

    def words() -> str:
        return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))

    def cue(depth: int = 0) -> str:
        out = []
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.5 or depth > 2:
                out.append(words())
            else:
                tag = rng.choice("ibsu")
                out.append(f"<{tag}>{cue(depth + 1)}</{tag}>")
        return "".join(out)

    for _ in range(3000):
        tree = markup.from_cue(cue())
        assert from_markdown(to_markdown(tree)) == tree


def test_a_cue_keeps_the_identifier_it_always_had() -> None:
    """Hashed a piece at a time, a cue's uuid is still uuid5 of its key and text: a file
    imported before is recognised (nothing added twice)."""
    for text in ("", "Ça déménage", "→" * 700_000 + "fin"):
        key = "long.vtt|3|c3|1|3/2|"
        assert cue_uuid(key, text) == str(uuid.uuid5(_NAMESPACE, key + text))


@given(st.text(max_size=40), st.integers(min_value=0, max_value=10**6))
def test_a_cue_identifier_is_uuid5_for_any_cue(text: str, number: int) -> None:
    key = f"film.vtt|{number}||{Fraction(number, 1000)}|{Fraction(number + 1500, 1000)}|"
    assert cue_uuid(key, text) == str(uuid.uuid5(_NAMESPACE, key + text))


@given(
    st.fractions(min_value=0, max_value=100_000, max_denominator=10_000),
    st.fractions(min_value=0, max_value=100, max_denominator=10_000),
    st.sampled_from([Fraction(24000, 1001), Fraction(25), Fraction(30000, 1001), Fraction(24)]),
)
def test_cue_frames_in_integers_round_as_fractions_do(
    start: Fraction, length: Fraction, rate: Fraction
) -> None:
    first = round(start * rate) if start > 0 else 0  # as the import computed them before
    assert frames_of((start, start + length), rate) == FrameRange(
        first, max(first, round((start + length) * rate) - 1)
    )


@given(st.integers(min_value=0, max_value=10**12))
def test_a_cue_time_is_keyed_as_its_fraction_always_was(milliseconds: int) -> None:
    """The stable uuid's key writes a cue's times as str(Fraction) did: the same file imported
    before and after still adds nothing."""
    assert _as_fraction(milliseconds) == str(Fraction(milliseconds, 1000))


RATES = [
    Fraction(24000, 1001),
    Fraction(30000, 1001),
    Fraction(60000, 1001),
    Fraction(25),
    Fraction(50),
    Fraction(24),
    Fraction(30),
]


@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=10**6),
    st.one_of(
        st.sampled_from(RATES),
        st.fractions(min_value=1, max_value=240, max_denominator=1001),
    ),
)
def test_cue_frames_from_milliseconds_are_the_fractions_frames(
    start: int, length: int, rate: Fraction
) -> None:
    """A cue's times cross from the reading process in whole milliseconds: its frames are
    exactly those of its times as Fractions, half frames rounded to even alike."""
    seconds = (Fraction(start, 1000), Fraction(start + length, 1000))
    frames = frames_of_milliseconds((start, start + length), rate)
    assert frames == frames_of(seconds, rate)
    first = round(seconds[0] * rate)
    assert frames == FrameRange(first, max(first, round(seconds[1] * rate) - 1))


@pytest.mark.parametrize("rate", RATES[:4])
def test_half_frames_from_milliseconds_round_to_even(rate: Fraction) -> None:
    """The times that fall on half a frame at these rates (where rounding could differ)."""
    halves = [
        ms
        for ms in range(0, 200_000)
        if (Fraction(ms, 1000) * rate).denominator == 2  # exactly between two frames
    ]
    assert halves or rate.denominator != 1
    for ms in halves[:500]:
        assert frames_of_milliseconds((ms, ms), rate) == frames_of(
            (Fraction(ms, 1000), Fraction(ms, 1000)), rate
        )


def test_frames_a_reader_worked_out_at_another_rate_are_worked_out_again(
    project: Project, tmp_path: Path
) -> None:
    """A cue's frames come from the reader when it knew the rate of the film they go onto;
    onto a film of another rate (the file names another one) they are worked out again."""
    from critique_app.services.import_annotations import import_entries
    from exporters.subtitles import read

    path = _vtt(tmp_path / "short.vtt", 60)
    other = Fraction(24000, 1001)
    found = read(path, other)
    assert all(e.frames_rate == other and e.milliseconds is not None for e in found)
    assert import_entries(project, found, path.name).added == 60
    assert [a.range for a in _stored(project)] == [
        frames_of((Fraction(e.milliseconds[0], 1000), Fraction(e.milliseconds[1], 1000)), RATE)
        for e in found
        if e.milliseconds is not None
    ]
    same = read(path, RATE)
    assert [e.annotation.range for e in same] == [a.range for a in _stored(project)]


MIXED = """WEBVTT

NOTE critique-film {"sha256": "ee", "title": "Nuit", "rate": "25"}

intro
00:00:01.000 --> 00:00:02.500 line:90% align:start
<v Élodie>On part <i>demain</i>.</v>

00:00:03.000 --> 00:00:02.000
backwards: skipped

words without a timing line

NOTE critique {"uuid": "not a record"

NOTE critique {"uuid": "5b0c2c2e-9a53-4c4b-b0a3-0a3c6d1e2f40", "range": [75, 99], "value": "kept", "tags": ["a"], "tier": "Mine"}
00:00:03.000 --> 00:00:04.000
ignored: the record wins

00:00:05.000 --> 00:00:06.000
<b>Attention</b> &amp; <c.red>rouge</c>
deux lignes
"""


def test_a_file_read_apart_gives_what_it_gives_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cues, Critique's records, the film, skips in their order and their sentences: the same
    entries whichever process reads the file."""
    from exporters.subtitles import read

    path = tmp_path / "mixed.vtt"
    path.write_text(MIXED * 3, encoding="utf-8")
    here = read(path)
    monkeypatch.setattr(subtitles_apart, "APART_FROM", 0)
    monkeypatch.setattr(subtitles_apart, "BATCH", 2)
    apart = read(path)
    assert multiprocessing.active_children() == []
    assert len(here) == 9 and [e.annotation for e in apart] == [e.annotation for e in here]
    assert [(e.times(), e.tier, e.film_sha256) for e in apart] == [
        (e.times(), e.tier, e.film_sha256) for e in here
    ]
    assert (apart.info.skipped, apart.info.skipped_examples) == (
        here.info.skipped,
        here.info.skipped_examples,
    )
    assert here.info.skipped == 9


def _refused(text: object, info: object, name: str, vtt: bool) -> Iterator[tuple[str, object]]:
    raise UserError(f"{name} refused")  # what a reader says, said in the storing process


def _gone(text: object, info: object, name: str, vtt: bool) -> Iterator[tuple[str, object]]:
    os._exit(3)  # the reading process dies without a word


@pytest.mark.parametrize("read", [_refused, _gone])
def test_a_reader_that_fails_apart_fails_here_with_a_sentence(tmp_path: Path, read) -> None:  # type: ignore[no-untyped-def]
    path = _vtt(tmp_path / "long.vtt", 10)
    reading = subtitles_apart.Reading(
        read, text_decoding.TextStream(path, path.name), "x.vtt", True
    )
    with pytest.raises(UserError, match="x.vtt"):
        list(reading.items())
    assert multiprocessing.active_children() == []


SUBTITLE_FILES = sorted(
    p for p in Path(__file__).parents[1].rglob("*") if p.suffix.lower() in (".vtt", ".srt")
)


def _all_read(path: Path) -> tuple[object, ...]:
    """Every entry `read` gives for `path` (all their fields), what it skipped and said."""
    from exporters.subtitles import read

    try:
        found = read(path)
    except UserError as err:
        return (str(err),)
    info = found.info
    return (list(found), info.skipped, info.skipped_examples, info.notes, info.skipped_what)


def test_every_subtitle_file_of_the_tests_reads_the_same_in_two_processes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The corpus's cues, records, skips and sentences whichever process reads them."""
    assert len(SUBTITLE_FILES) >= 50
    monkeypatch.setattr(subtitles, "now_iso", lambda: "2026-12-05T12:00:00+00:00")  # one moment
    here = {path: _all_read(path) for path in SUBTITLE_FILES}
    monkeypatch.setattr(subtitles_apart, "APART_FROM", 0)
    monkeypatch.setattr(subtitles_apart, "BATCH", 3)
    for path in SUBTITLE_FILES:
        assert _all_read(path) == here[path], path.name
    assert multiprocessing.active_children() == []


def _everything(project: Project) -> tuple[object, ...]:
    """Every stored row an import writes: annotations (all columns), tags, regions, search
    rows and the edit count."""
    conn = project.repo.db.conn
    return tuple(
        conn.execute(sql).fetchall()
        for sql in (
            "SELECT * FROM annotations ORDER BY id",
            "SELECT * FROM annotation_tags ORDER BY annotation_id, tag",
            "SELECT * FROM regions ORDER BY id",
            "SELECT rowid, note, tags, value FROM annotations_fts ORDER BY rowid",
            "SELECT n FROM edit_counters WHERE topic = 'annotations'",
        )
    )


def _film_of(project: Project, frames: int) -> None:
    project.repo.add_film("/film.mp4", sha256="e" * 64, size=1, rate=RATE, frame_count=frames)


@pytest.mark.parametrize("frames", [CUES * 2 * 25, 5000])  # the whole file, or cues past the end
def test_cues_stored_as_rows_are_what_one_by_one_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, frames: int
) -> None:
    """Every subtitle file of the tests, a long one with Critique's records and skips among
    plain cues, a cue twice and a film shorter than the file, each imported twice (the
    second time, every cue is already there): a group of plain cues stored as rows
    (`PlainCues`, the import's way) leaves the same rows, search rows, edit count and
    sentence as the same file's entries stored one by one."""
    monkeypatch.setattr(subtitles, "now_iso", lambda: "2026-12-06T12:00:00+00:00")  # one moment
    monkeypatch.setattr(subtitles, "PLAIN_GROUP", 5)  # groups cut by records and skips
    long = _vtt(tmp_path / "long.vtt", 700)
    mixed = tmp_path / "mixed.vtt"
    mixed.write_text(
        MIXED * 2 + long.read_text(encoding="utf-8")[len("WEBVTT\n") :] + MIXED, encoding="utf-8"
    )
    twice = tmp_path / "twice.srt"
    twice.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nsame\n\n" * 2 + "2\n00:00:03,000 --> 00:00:04,000\nx\n",
        encoding="utf-8",
    )
    for path in [*SUBTITLE_FILES, long, mixed, twice]:
        with (
            open_project(tmp_path / "rows.critique") as rows,
            open_project(tmp_path / "one.critique") as one,
        ):
            _film_of(rows, frames)
            _film_of(one, frames)
            said = []
            for _again in range(2):
                try:
                    as_rows = import_file(rows, path).sentence(path.name)
                except UserError as err:
                    as_rows = str(err)
                try:
                    entries = subtitles.read(path, RATE)
                except UserError as err:
                    one_by_one = str(err)
                else:
                    one_by_one = import_entries(one, entries, path.name).sentence(path.name)
                said.append((as_rows, one_by_one))
            assert [a for a, _b in said] == [b for _a, b in said], path.name
            assert _everything(rows) == _everything(one), path.name
        for leftover in tmp_path.glob("*.critique*"):
            leftover.unlink()


def test_a_long_file_read_apart_is_stored_as_rows_as_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same through the second process, whose sender runs ahead of the storing one."""
    monkeypatch.setattr(subtitles, "now_iso", lambda: "2026-12-06T12:00:00+00:00")
    path = _vtt(tmp_path / "long.vtt")
    with (
        open_project(tmp_path / "rows.critique") as rows,
        open_project(tmp_path / "one.critique") as one,
    ):
        _film_of(rows, CUES * 2 * 25)
        _film_of(one, CUES * 2 * 25)
        monkeypatch.setattr(subtitles_apart, "BATCH", 300)
        monkeypatch.setattr(subtitles_apart, "APART_FROM", 0)
        assert import_file(rows, path).added == CUES
        monkeypatch.setattr(subtitles_apart, "APART_FROM", 1 << 40)
        assert import_entries(one, subtitles.read(path, RATE), path.name).added == CUES
        assert _everything(rows) == _everything(one)
    assert multiprocessing.active_children() == []


def test_a_file_already_imported_is_skipped_before_its_film_is_asked_for(tmp_path: Path) -> None:
    """Imported onto one of two films (`--film`), then again without saying which: every cue
    is already there, so no film is needed and none is asked for, as one by one."""
    path = _vtt(tmp_path / "again.vtt", 30)
    with open_project(tmp_path / "two.critique") as project:
        _film_of(project, 5000)
        project.repo.add_film("/other.mp4", sha256="f" * 64, size=1, rate=RATE, frame_count=9)
        assert import_file(project, path, film=1).added == 30
        again = import_file(project, path)
        assert (again.added, again.already_present) == (0, 30)
        refused = tmp_path / "new.vtt"
        refused.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nnew\n", encoding="utf-8")
        with pytest.raises(UserError, match="not in this project"):
            import_file(project, refused)
