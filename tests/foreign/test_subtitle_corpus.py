"""WebVTT and SubRip files made by other tools, read by webvtt-py / srt and by Critique: every
cue's words kept as its value, times within a frame, bad blocks skipped and counted in the
sentence; re-encoded copies (Windows-1252, UTF-16) read with the encoding named; VTT -> VTT
keeps every value, identifier and cue setting."""

from __future__ import annotations

import re
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest
import srt
import webvtt

from critique_app.domain.timecode import frame_to_seconds
from critique_app.errors import UserError
from critique_app.services import export as service
from critique_app.services.import_annotations import import_file
from db.project import memory_project
from tests.foreign.conftest import RATE, files

VTT = files("subtitles", "*.vtt")
SRT = files("subtitles", "*.srt")
# What each file holds that an independent reader refuses or reads differently: (cues the
# spec-following reader finds, blocks it must say it skipped).
EXPECTED_SKIPS = {
    "webvttpy_invalid_timeframe.vtt": 1,
    "webvttpy_missing_timeframe.vtt": 1,
    "webvttpy_missing_timeframe.srt": 1,
}


def _words(text: str) -> str:
    """Text without markup, as both readers give it: for comparing words, not tags."""
    text = re.sub(r"</?[^<>]*>", "", text).replace("*", "")
    return "\n".join(line.strip() for line in text.strip().splitlines() if line.strip())


def _reference_vtt(path: Path) -> list[tuple[Fraction, Fraction, str]]:
    return [(_secs(c.start), _secs(c.end), _words(c.text)) for c in webvtt.read(str(path))]


def _secs(stamp: str) -> Fraction:
    h, m, s = stamp.split(":")
    sec, ms = s.split(".")
    return Fraction(int(h) * 3600 + int(m) * 60 + int(sec)) + Fraction(int(ms), 1000)


def _check(project, path: Path, reference: list[tuple[Fraction, Fraction, str]]) -> None:
    summary = import_file(project, path)
    sentence = summary.sentence(path.name)
    skipped = EXPECTED_SKIPS.get(path.name, 0)
    assert summary.skipped == skipped, sentence
    if skipped:
        assert f"{skipped} block skipped" in sentence
    assert "read as " in sentence  # the encoding is named
    got = project.repo.annotations()
    words = Counter(_words(a.value) for a in got)
    expected = Counter(text for _s, _e, text in reference)
    kept = sum((expected & words).values()) / max(1, sum(expected.values()) - skipped)
    assert kept >= 0.99 or sum((expected - words).values()) <= skipped, (sentence, expected - words)
    frame = Fraction(1) / RATE
    for start, end, text in reference:
        if text not in words:
            continue  # a cue the other reader merged with a skipped block (counted above)
        assert any(
            _words(a.value) == text
            and abs(frame_to_seconds(a.range.start, RATE) - start) <= frame
            and abs(frame_to_seconds(a.range.end + 1, RATE) - end) <= frame
            for a in got
        ), (text, start, end)


@pytest.mark.parametrize("path", VTT, ids=[p.name for p in VTT])
def test_webvtt_files_keep_every_cue(project, path: Path) -> None:
    try:
        reference = _reference_vtt(path)
    except Exception:  # noqa: BLE001 - webvtt-py refuses the whole file
        reference = None
    if reference is None or path.name in EXPECTED_SKIPS or path.name.endswith("in_cue_text.vtt"):
        # webvtt-py refuses these (or merges): check against what the spec says instead
        summary = import_file(project, path)
        assert summary.skipped == EXPECTED_SKIPS.get(path.name, 0)
        values = [a.value for a in project.repo.annotations()]
        assert all("-->" not in v for v in values)  # never a timing line inside a cue
        return
    _check(project, path, reference)


@pytest.mark.parametrize("path", SRT, ids=[p.name for p in SRT])
def test_subrip_files_keep_every_cue(project, path: Path) -> None:
    raw = path.read_bytes()
    text = raw.decode("gb18030") if "gb2312" in path.name else raw.decode("utf-8-sig")
    try:
        subs = list(srt.parse(text))
    except srt.SRTParseError:
        summary = import_file(project, path)
        assert summary.skipped == EXPECTED_SKIPS.get(path.name, 0), summary.sentence(path.name)
        return
    reference = [
        (
            Fraction(s.start.total_seconds()).limit_denominator(1000),
            Fraction(s.end.total_seconds()).limit_denominator(1000),
            _words(s.content),
        )
        for s in subs
    ]
    _check(project, path, reference)


def test_cues_without_a_blank_line_between_them_stay_apart(project) -> None:
    path = next(p for p in VTT if p.name == "webvttpy_invalid_timeframe_in_cue_text.vtt")
    import_file(project, path)
    values = [a.value for a in project.repo.annotations()]
    # the spec: a second timing line ends the cue and starts the next one
    assert values.count("Caption text #2") == 1 and "" in values and len(values) == 4


@pytest.mark.parametrize(
    ("codec", "named"),
    [("cp1252", "Windows-1252"), ("utf-16", "UTF-16"), ("latin-1", "Latin-1")],
)
def test_french_subtitles_in_other_encodings(
    project, tmp_path: Path, codec: str, named: str
) -> None:
    """A French SRT as subtitle editors save it, re-encoded from a real file's cues."""
    source = next(p for p in SRT if p.name == "webvttpy_sample.srt").read_text("utf-8")
    french = source.replace("Caption text", "Où était-ce ? Déjà vu à l’écran")
    if codec != "cp1252":
        french = french.replace("’", "'")
    out = tmp_path / f"film.{codec}.srt"
    out.write_bytes(french.replace("\n", "\r\n").encode(codec))
    summary = import_file(project, out)
    sentence = summary.sentence(out.name)
    assert summary.added == 5 and "read as" in sentence
    if named:
        assert named in sentence
    values = {a.value for a in project.repo.annotations()}
    assert any(v.startswith("Où était-ce ? Déjà vu à") for v in values), values


def test_literal_signs_voices_markup_and_ass_tags(project, tmp_path: Path) -> None:
    out = tmp_path / "signs.vtt"
    out.write_text(
        "WEBVTT\n\nintro\n00:00:01.000 --> 00:00:02.000 align:start line:10%\n"
        "<v Léa>It's <i>so</i> <b>big</b>: 2<3,5>1 & R&D &amp; co\n\n"
        "00:00:03.000 --> 00:00:04.000\n{\\an8}Top line\n",
        "utf-8",
    )
    import_file(project, out)
    first, second = project.repo.annotations()
    assert first.value == "It's *so* **big**: 2<3,5>1 & R&D & co"
    assert set(first.tags) == {"voice:Léa", "vtt-id:intro", "vtt-settings:align:start line:10%"}
    assert second.value == "Top line"


def test_vtt_to_critique_to_vtt_keeps_values_identifiers_and_settings(
    project, tmp_path: Path
) -> None:
    originals = [
        p
        for p in VTT
        if p.name
        in {
            "webvttpy_using_identifiers.vtt",
            "webvttpy_youtube_dl.vtt",
            "webvttpy_styles.vtt",
            "webvttpy_comments.vtt",
        }
    ]
    for path in originals:
        with memory_project() as mine:
            mine.repo.add_film(
                "/films/f.mp4", sha256="e" * 64, size=1, rate=RATE, frame_count=10**6
            )
            import_file(mine, path)
            before = [(a.value, a.tags, a.range) for a in mine.repo.annotations()]
            doc = service.film_document(mine, 1)
            out = service.export(doc, "vtt", tmp_path / f"again-{path.name}")
            cues = list(webvtt.read(str(out)))
            assert [_words(c.text) for c in cues] == [_words(v) for v, _t, _r in before]
            ids = [
                t[len("vtt-id:") :]
                for _v, tags, _r in before
                for t in tags
                if t.startswith("vtt-id:")
            ]
            assert all(f"\n{i}\n" in out.read_text("utf-8") for i in ids)
            settings = {t for _v, tags, _r in before for t in tags if t.startswith("vtt-settings:")}
            for s in settings:
                assert s[len("vtt-settings:") :] in out.read_text("utf-8")
        with memory_project() as fresh:
            fresh.repo.add_film(
                "/films/f.mp4", sha256="e" * 64, size=1, rate=RATE, frame_count=10**6
            )
            import_file(fresh, out)
            assert [(a.value, a.tags, a.range) for a in fresh.repo.annotations()] == before


def test_an_empty_value_exports_as_an_empty_cue(project, tmp_path: Path) -> None:
    path = next(p for p in SRT if p.name == "webvttpy_missing_caption_text.srt")
    import_file(project, path)
    doc = service.film_document(project, 1)
    for fmt in ("vtt", "srt"):
        out = service.export(doc, fmt, tmp_path / f"out.{fmt}")
        text = out.read_text("utf-8")
        assert "(no note)" not in text
        with memory_project() as fresh:
            fresh.repo.add_film(
                "/films/f.mp4", sha256="e" * 64, size=1, rate=RATE, frame_count=10**6
            )
            import_file(fresh, out)
            assert sorted(a.value for a in fresh.repo.annotations()) == sorted(
                a.value for a in project.repo.annotations()
            )


def test_a_vtt_without_signature_gets_a_sentence(project, tmp_path: Path) -> None:
    bad = tmp_path / "plain.vtt"
    bad.write_text("00:00:00.500 --> 00:00:07.000\nCaption\n", "utf-8")
    with pytest.raises(UserError, match="plain.vtt is not a WebVTT file"):
        import_file(project, bad)
