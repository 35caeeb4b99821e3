"""Annotations as subtitle cues (WebVTT and SubRip), to project a film with the critique on it.

Cue times are the exact start of the in-frame and the end of the out-frame, in milliseconds
(far finer than a frame, so reading rounds back to the same frames). WebVTT also carries each
annotation's full record in a NOTE block, so Critique reads its own VTT back without loss.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import uuid as uuid_module
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from critique_app.domain.annotation_record import from_record, to_record
from critique_app.domain.model import (
    Annotation,
    FrameRange,
    normalise_tags,
    now_iso,
    trusted,
)
from critique_app.errors import UserError
from critique_app.i18n import _
from exporters import markup
from exporters import subtitles_apart as apart
from exporters.document import (
    CueFields,
    ExportContext,
    ExportDocument,
    ExportItem,
    Imported,
    ImportedFile,
    ImportedList,
    ImportedStream,
    PlainCues,
    each_entry,
    imported_tier,
)
from exporters.text_decoding import TextStream


def _stamp(seconds: Fraction, comma: bool = False) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{',' if comma else '.'}{ms:03d}"


def _one_film(doc: ExportDocument, fmt: str) -> None:
    if len(doc.films) > 1:
        raise UserError(
            _(
                "{format} subtitles follow one film, and this selection spans {count} films: export one "
                "film at a time (--film)."
            ).format(format=fmt, count=len(doc.films))
        )


def _special(tag: str) -> bool:
    return tag.startswith((ID_TAG, SETTINGS_TAG, VOICE_TAG))


def _cue_text(item: ExportItem, vtt: bool) -> str:
    """The cue's words: the value when there is one (its markup written back as cue tags, one
    voice as <v Name>); else the category, tags and note. Nothing at all gives an empty cue,
    never a placeholder that would come back as text."""
    a = item.annotation
    if a is not None and a.value:
        tree = markup.from_markdown(a.value)
        voices = [t[len(VOICE_TAG) :] for t in a.tags if t.startswith(VOICE_TAG)]
    else:
        head = item.category_label
        tags = [t for t in a.tags if not _special(t)] if a else []
        if tags:
            head = f"{head} · {', '.join(tags)}" if head else ", ".join(tags)
        tree = (
            (f"{head}\n",) + markup.from_markdown(item.text)
            if head
            else markup.from_markdown(item.text)
        )
        voices = []
    if vtt and len(voices) == 1 and tree and not markup.voices(tree):
        tree = (markup.Span("v", f" {voices[0]}", tree),)
    # A blank line ends a cue and '-->' starts a timing line: neither may reach the file.
    lines = markup.to_cue(tree, vtt).split("\n")
    return "\n".join(ln.replace("-->", "→") for ln in lines if ln.strip())


def _meta(item: ExportItem) -> str:
    a = item.annotation
    assert a is not None
    data = to_record(a) | {
        "tier": item.tier.name if item.tier else "",
        "tier_author": item.tier.author if item.tier else None,
        "category_key": item.category.key if item.category else None,
        "category": item.category_label or None,
    }
    # ASCII-only JSON with '<', '>' and '&' escaped: a NOTE may not contain '-->'.
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def write_vtt(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    _one_film(doc, "WebVTT")
    parts = ["WEBVTT"]
    films = doc.films
    if films:
        film = films[0]
        parts.append(
            "NOTE critique-film "
            + json.dumps(
                {"sha256": film.sha256, "title": film.title, "rate": str(film.rate)},
                ensure_ascii=True,
            ).replace(">", "\\u003e")
        )
    for item in sorted(doc.items, key=lambda i: (i.range.start, i.position)):
        a = item.annotation
        if a is not None:
            parts.append("NOTE critique " + _meta(item))
        ident = (
            next((t[len(ID_TAG) :] for t in a.tags if t.startswith(ID_TAG)), None) if a else None
        )
        ident = (
            ident if ident and "-->" not in ident else (a.uuid if a else f"item-{item.position}")
        )
        settings = (
            next((t[len(SETTINGS_TAG) :] for t in a.tags if t.startswith(SETTINGS_TAG)), "")
            if a
            else ""
        )
        timing = f"{_stamp(item.start_seconds)} --> {_stamp(item.end_seconds)}"
        if settings and "-->" not in settings:
            timing += " " + settings
        parts.append(f"{ident}\n{timing}\n{_cue_text(item, vtt=True)}".rstrip("\n"))
    out.write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def write_srt(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    _one_film(doc, "SubRip")
    parts = []
    ordered = sorted(doc.items, key=lambda i: (i.range.start, i.position))
    for number, item in enumerate(ordered, start=1):
        times = f"{_stamp(item.start_seconds, True)} --> {_stamp(item.end_seconds, True)}"
        parts.append(f"{number}\n{times}\n{_cue_text(item, vtt=False)}")
    out.write_text("\n\n".join(parts) + "\n", encoding="utf-8")


# ---- reading -------------------------------------------------------------------------------

_VTT_TIME = re.compile(r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})")
_SRT_TIME = re.compile(r"(\d{1,}):([0-5]?\d):([0-5]?\d)[,.](\d{1,3})")
_TIMING = re.compile(r"^\s*(\S+)[ \t]+-->[ \t]+(\S+)(.*)$")
ID_TAG = "vtt-id:"
SETTINGS_TAG = "vtt-settings:"
VOICE_TAG = "voice:"


def vtt_seconds(text: str) -> Fraction | None:
    match = _VTT_TIME.fullmatch(text)
    if not match:
        return None
    h, m, s, ms = match.groups()
    # one Fraction, not a sum of two: half a million cues are read this way
    return Fraction(((int(h or 0) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms), 1000)


def srt_seconds(text: str) -> Fraction | None:
    match = _SRT_TIME.fullmatch(text)
    if not match:
        return vtt_seconds(text)
    h, m, s, ms = match.groups()
    return Fraction(int(h) * 3600 + int(m) * 60 + int(s)) + Fraction(int(ms.ljust(3, "0")), 1000)


@dataclass
class Cue:
    """One cue as the file gives it: identifier, times (in whole milliseconds: both time
    readers give thousandths), settings and the raw text."""

    ident: str
    start: int
    end: int
    settings: str
    text: str


def cue_value(text: str, vtt: bool = True) -> tuple[str, list[str]]:
    """Cue text as a value, and the voices it names.

    The markup is stored as `markup.to_markdown` writes it (bold, italics and strike as
    Markdown, other tags kept); a voice that speaks the whole cue is named in the annotation's
    tags instead. Entities are decoded; '<' and '&' that are not tags stay literal; ASS
    override tags other than {\\i1}, {\\b1}, {\\u1}, {\\s1} ({\\an8}) are dropped."""
    if "<" not in text and "&" not in text and "{" not in text:
        return markup.words_to_markdown(text), []  # most cues: words only, no tree
    tree = markup.from_cue(text, vtt)
    names = markup.voices(tree)
    whole = tree[0] if len(tree) == 1 and isinstance(tree[0], markup.Span) else None
    if whole is not None and whole.tag == "v" and whole.attrs.startswith(" "):
        tree = whole.children  # one voice for the whole cue, without classes: a tag, as before
        return markup.to_markdown(tree), names
    return markup.tidy_to_markdown(tree), names  # from_cue's tree is tidy already


class _Lines:
    """Lines one at a time, with a look at the next one before it is taken (a timing line
    ends one cue and begins the next)."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self.next: str | None = next(lines, None)

    def take(self) -> str | None:
        line = self.next
        self.next = next(self._lines, None)
        return line

    def close(self) -> None:
        close = getattr(self._lines, "close", None)
        if close is not None:
            close()


def lines_of(text: TextStream) -> _Lines:
    return _Lines(text.lines())


def _collect_vtt(lines: _Lines, info: ImportedFile) -> Iterator[tuple[str, object]]:
    """The WebVTT parsing algorithm (W3C WebVTT, section 6.1) over lines: header, then blocks;
    a cue ends at a blank line or at a second timing line, so cues without a blank line
    between them stay apart. Gives ('cue', Cue) and ('note', text) items as they are read;
    blocks that are neither (no timing line, bad timings) are counted as skipped."""
    lines.take()  # the signature
    # the header: lines after the signature up to a blank line, or up to a timing line
    while lines.next is not None and lines.next != "" and "-->" not in lines.next:
        lines.take()
    while True:
        while lines.next == "":
            lines.take()
        if lines.next is None:
            return
        buffer: list[str] = []
        cue: Cue | None = None
        bad = False
        count = 0
        while (line := lines.next) is not None:
            count += 1
            if "-->" in line:
                if count == 1 or (count == 2 and cue is None and not bad):
                    lines.take()
                    parsed = cue_milliseconds(line, vtt_seconds)
                    if parsed is None:
                        bad = True
                        info.skip(_("bad cue timing '{line}'").format(line=line.strip()[:40]))
                    else:
                        cue = Cue("\n".join(buffer), *parsed, text="")
                    buffer = []
                    continue
                break  # a timing line inside a cue starts the next cue
            if line == "":
                break
            buffer.append(line)
            lines.take()
        body = "\n".join(buffer)
        if cue is not None:
            cue.text = body
            yield ("cue", cue)
        elif bad:
            continue
        elif body.startswith("NOTE") and body[4:5] in ("", " ", "\t", "\n"):
            yield ("note", body)
        elif not body.startswith(("STYLE", "REGION")):
            info.skip(
                _("text without a timing line: '{line}'").format(line=body.splitlines()[0][:40])
            )


# A whole timing line in the usual form, matched once for both times (half a million cues):
# what _TIMING and _VTT_TIME give for it; anything else goes the general way.
_USUAL_TIMING = re.compile(
    r"\s*(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})[ \t]+-->[ \t]+"
    r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})(?!\S)(.*)"
)


def cue_milliseconds(
    line: str, seconds: Callable[[str], Fraction | None]
) -> tuple[int, int, str] | None:
    """A timing line's times in whole milliseconds and its settings (None: no timing); no
    Fraction for the usual line (half a million)."""
    usual = _USUAL_TIMING.fullmatch(line)
    if usual is not None:
        h, m, s, ms, h2, m2, s2, ms2, rest = usual.groups()
        start = ((int(h or 0) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms)
        end = ((int(h2 or 0) * 60 + int(m2)) * 60 + int(s2)) * 1000 + int(ms2)
        if end < start:
            return None
        return start, end, rest.strip()
    times = any_cue_times(line, seconds)
    if times is None:
        return None
    # both time readers give thousandths: a denominator divides 1000
    return (
        times[0].numerator * (1000 // times[0].denominator),
        times[1].numerator * (1000 // times[1].denominator),
        times[2],
    )


def any_cue_times(
    line: str, seconds: Callable[[str], Fraction | None]
) -> tuple[Fraction, Fraction, str] | None:
    """A timing line's times and settings, the times read by `seconds` (None: no timing)."""
    match = _TIMING.match(line)
    if not match:
        return None
    start, end = seconds(match.group(1)), seconds(match.group(2))
    if start is None or end is None or end < start:
        return None
    return start, end, match.group(3).strip()


def _blocks(lines: _Lines) -> Iterator[list[str]]:
    """SubRip's blocks: the lines between blank lines (spaces and tabs only), as splitting
    the text at `\n[ \t]*\n` gives them (the file's last line, even blank, ends no block)."""
    block: list[str] = []
    while (line := lines.take()) is not None:
        if lines.next is not None and not line.strip(" \t"):
            yield block
            block = []
        else:
            block.append(line)
    yield block


def _collect_srt(lines_read: _Lines, info: ImportedFile) -> Iterator[tuple[str, object]]:
    """SubRip: [number] / timing / text blocks. A timing line inside a block starts a new cue
    (the number just before it goes with it); blocks without timing are counted as skipped."""
    for lines in _blocks(lines_read):
        while lines and not lines[0].strip():
            lines.pop(0)
        if not lines:
            continue
        cue: Cue | None = None
        buffer: list[str] = []
        for line in lines:
            if "-->" in line:
                if buffer and buffer[-1].strip().isdigit():
                    buffer.pop()  # SubRip's running number: not kept, export renumbers
                if cue is not None:
                    cue.text = "\n".join(buffer)
                    yield ("cue", cue)
                elif buffer:
                    info.skip(_("text without a timing line: '{line}'").format(line=buffer[0][:40]))
                buffer = []
                parsed = cue_milliseconds(line, srt_seconds)
                if parsed is None:
                    info.skip(_("bad cue timing '{line}'").format(line=line.strip()[:40]))
                    cue = None
                    buffer = ["\x00bad"]
                    continue
                cue = Cue("", *parsed, text="")
                continue
            buffer.append(line)
        if buffer and buffer[0] == "\x00bad":
            continue
        if cue is not None:
            cue.text = "\n".join(buffer)
            # the block's lines go before the cue is read: a cue of one 50 MB line is not
            # held twice more while it is stored (issue 23)
            lines.clear()
            buffer.clear()
            yield ("cue", cue)
        elif buffer:
            words = [ln.strip() for ln in buffer if ln.strip() and not ln.strip().isdigit()]
            info.skip(
                _("text without a timing line: '{line}'").format(
                    line=(words or buffer)[0].strip()[:40]
                )
            )


def stream(path: Path, rate: Fraction | None = None, encoding: str | None = None) -> ImportedStream:
    """Cues of a WebVTT or SubRip file as they are read, a megabyte of the file at a time (see
    `read`); bad blocks are skipped and counted in the stream's `info` as they come."""
    try:
        text = TextStream(path, path.name, encoding)
    except OSError as err:
        raise UserError(
            _("{name} cannot be read ({reason}).").format(name=path.name, reason=err.strerror)
        ) from None
    info = ImportedFile(
        [], skipped_what="blocks", notes=[_("read as {used}").format(used=_(text.encoding))]
    )
    lines = lines_of(text)
    first = lines.next or ""
    is_vtt = first.startswith("WEBVTT") and first[6:7] in ("", " ", "\t")
    if path.suffix.lower() == ".vtt" and not is_vtt:
        raise UserError(
            _(
                "{name} is not a WebVTT file: its first line must be 'WEBVTT' (it is '{line}')."
            ).format(name=path.name, line=first[:40])
        )
    if apart.worth_it(text):
        lines.close()  # read again from its start, in the second process
        read = apart.Reading(functools.partial(read_items, rate=rate), text, path.name, is_vtt)
        return ImportedStream(
            info,
            _entries(read.items(), info, path, rate),
            text.size,
            read.position,
            expected=text.arrows,
            close=read.close,
        )
    items = read_cues(collect(lines, info, is_vtt), path.name, is_vtt, rate)
    return ImportedStream(
        info,
        _entries(items, info, path, rate),
        text.size,
        lambda: text.bytes_read,
        expected=text.arrows,  # a timing line per cue
    )


def collect(lines: _Lines, info: ImportedFile, vtt: bool) -> Iterator[tuple[str, object]]:
    return _collect_vtt(lines, info) if vtt else _collect_srt(lines, info)


def read_items(
    text: TextStream, info: ImportedFile, name: str, vtt: bool, rate: Fraction | None = None
) -> Iterator[tuple[str, object]]:
    """The whole file's items, cues read (what the second process does)."""
    return read_cues(collect(lines_of(text), info, vtt), name, vtt, rate)


# A cue as read (`document.CueFields`): (uuid, value, tags, start and end in whole
# milliseconds, its first and last frame at the rate the reader was given, else 0 and 0), a
# tuple of plain values that crosses from the reading process to the storing one cheaply.
# Cues without a Critique NOTE go on as groups of this many (`document.PlainCues`)
PLAIN_GROUP = 2000


def read_cues(
    items: Iterator[tuple[str, object]], name: str, vtt: bool, rate: Fraction | None = None
) -> Iterator[tuple[str, object]]:
    """The reader's items with each ('cue', Cue) read into ('cue', CueFields): its words as
    a value, its tags, its stable uuid and, given the film's `rate`, its frames (the costly
    part, done where the file is read)."""
    number = 0
    for kind, item in items:
        if kind != "cue":
            yield kind, item
            continue
        assert isinstance(item, Cue)
        value, voices = cue_value(item.text, vtt)
        tags = [VOICE_TAG + v for v in voices]
        if item.ident.strip():
            tags.append(ID_TAG + item.ident.strip())
        if item.settings:
            tags.append(SETTINGS_TAG + item.settings)
        # A stable uuid from the file and the cue: importing the same file twice adds nothing.
        start, end = item.start, item.end
        key = f"{name}|{number}|{item.ident}|{_as_fraction(start)}|{_as_fraction(end)}|"
        uuid = cue_uuid(key, item.text)
        number += 1
        item.text = ""  # read: its words are the value now, not kept twice
        first, last = FrameRange.spanned((start, 1000, end, 1000), rate) if rate else (0, 0)
        yield (
            "cue",
            (
                uuid,
                value,
                tuple(tags) if len(tags) < 2 else normalise_tags(tags),  # one tag: stripped
                start,
                end,
                first,
                last,
            ),
        )


def _as_fraction(milliseconds: int) -> str:
    """str(Fraction(milliseconds, 1000)) without the Fraction: the times as a cue's stable
    uuid has always been keyed by them."""
    common = math.gcd(milliseconds, 1000)
    per = 1000 // common
    return str(milliseconds // common) if per == 1 else f"{milliseconds // common}/{per}"


def _entries(
    items: Iterator[tuple[str, object]], info: ImportedFile, path: Path, rate: Fraction | None
) -> Iterator[Imported | PlainCues]:
    film: dict[str, str] = {}
    pending: dict[str, Any] | None = None
    # one import, one moment (to the second, as stored), one tier, one film name
    same = _SameForAll(now_iso(), imported_tier("subtitles"), (path.stem,), info, rate)
    plain: list[CueFields] = []  # cues with no NOTE before them, gone on as one group

    def group() -> PlainCues:
        # the film named so far (a NOTE further on ends the group)
        made = PlainCues(plain.copy(), functools.partial(_imported, None, film=film, same=same))
        plain.clear()
        return made

    for kind, item in items:
        if kind == "skip":  # said by the reading process, in its place among the cues
            assert isinstance(item, str)
            info.skip(item)
            continue
        if kind == "cue" and pending is None:
            plain.append(item)  # type: ignore[arg-type]
            if len(plain) >= PLAIN_GROUP:
                yield group()
            continue
        if plain:
            yield group()
        if kind == "note":
            assert isinstance(item, str)
            try:
                if item.startswith("NOTE critique-film "):
                    film = json.loads(item[len("NOTE critique-film ") :])
                elif item.startswith("NOTE critique "):
                    pending = json.loads(item[len("NOTE critique ") :])
            except ValueError:
                info.skip(_("a Critique NOTE that is not readable JSON"))
            continue
        fields: Any = item
        try:
            entry = _imported(pending, fields, film, same)
        except (KeyError, ValueError, TypeError) as err:
            raise UserError(
                _("{name}: a Critique record cannot be read ({reason}).").format(
                    name=path.name, reason=err
                )
            ) from None
        pending = None
        yield entry
    if plain:
        yield group()


def read(path: Path, rate: Fraction | None = None, encoding: str | None = None) -> ImportedList:
    """Cues of a WebVTT or SubRip file, each cue's text as the value (its markup in any
    nesting, see `cue_value`; a voice speaking the whole cue, the identifier and the settings
    kept as tags); Critique's own VTT restores every field from its NOTEs. Bad blocks are
    skipped and counted."""
    found = stream(path, rate, encoding)
    assert found.info is not None
    found.info.entries = list(each_entry(found.entries))
    return ImportedList(found.info)


class _SameForAll:
    """What every cue of one file shares, worked out once, not half a million times: the
    fields of its annotation and of its entry but for the cue's own (checked here, once)."""

    def __init__(
        self,
        now: str,
        tier: str,
        film_names: tuple[str, ...],
        info: ImportedFile,
        rate: Fraction | None,
    ) -> None:
        self.info = info
        self.annotation = vars(
            trusted(
                Annotation,
                id=None,
                uuid="",
                film_id=0,
                tier_id=0,
                range=_NOWHERE,
                tags=(),
                value="",
                created_at=now,
                modified_at=now,
            )
        )
        self.entry = vars(
            trusted(
                Imported,
                annotation=None,
                tier=tier,
                film_names=film_names,
                source=info,
                milliseconds=(0, 0),
                frames_rate=rate,  # the cues' ranges are their frames at this rate
            )
        )


def _imported(
    meta: dict[str, Any] | None,
    fields: CueFields,
    film: dict[str, str],
    same: _SameForAll,
) -> Imported:
    info = same.info
    if meta is not None:
        m = meta
        annotation = from_record(m)
        return Imported(
            annotation,
            str(m.get("tier") or "Imported"),
            film.get("sha256"),
            film.get("title"),
            m.get("category_key"),
            m.get("category"),
            m.get("tier_author"),
            vocabulary_key=m.get("vocabulary_key"),
            source=info,
        )
    uuid, value, tags, start, end, first, last = fields
    # Copies of the file's two models with the cue's own fields: every field here is valid by
    # construction (the default status and confidence, tags put in their one form).
    annotation = object.__new__(Annotation)
    annotation.__dict__.update(
        same.annotation, uuid=uuid, tags=tags, value=value, range=FrameRange.known(first, last)
    )
    entry = object.__new__(Imported)
    entry.__dict__.update(
        same.entry,
        annotation=annotation,
        film_sha256=film.get("sha256"),
        film_title=film.get("title"),
        milliseconds=(start, end),
    )
    return entry


_NOWHERE = FrameRange(0, 0)  # a cue's range until the import sets its frames from its times
_NAMESPACE = uuid_module.UUID("0d7f6a52-3e1b-4a57-8f0e-52b9f1c1e7a4")


def cue_uuid(key: str, text: str) -> str:
    """uuid5(_NAMESPACE, key + text), the text hashed a megabyte at a time: a cue of one
    50 MB line is not copied three times more (the key, its bytes, the bytes with the
    namespace) just for its identifier."""
    digest = hashlib.sha1(_NAMESPACE.bytes + key.encode("utf-8"), usedforsecurity=False)
    for start in range(0, len(text), 1 << 20):
        digest.update(text[start : start + (1 << 20)].encode("utf-8"))
    # uuid.UUID(bytes=…, version=5) in bytes: the version and the RFC 4122 variant set, as text
    b = bytearray(digest.digest()[:16])
    b[6] = (b[6] & 0x0F) | 0x50
    b[8] = (b[8] & 0x3F) | 0x80
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
