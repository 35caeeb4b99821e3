"""A table of annotations (one row each) with SMPTE timecodes and frame numbers; read back too,
as are spreadsheets a person typed (film, in, out, value or category, tier, author).

Cells a spreadsheet would run as a formula (=, +, -, @ first) get a leading apostrophe; a
leading apostrophe is always doubled, so reading strips exactly one and loses nothing.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import uuid as uuid_module
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

from critique_app.domain.annotation_record import from_record, to_record
from critique_app.domain.model import Annotation, FrameRange
from critique_app.errors import UserError
from critique_app.i18n import _
from exporters.csv_cut import all_but_last, cut_row
from exporters.document import (
    ExportContext,
    ExportDocument,
    Imported,
    ImportedFile,
    ImportedList,
    imported_tier,
)
from exporters.text_decoding import decode

COLUMNS = [
    "item",
    "uuid",
    "film",
    "film_sha256",
    "rate",
    "tier",
    "tier_author",
    "category_key",
    "category",
    "in_timecode",
    "out_timecode",
    "in_frame",
    "out_frame",
    "frames",
    "in_seconds",
    "out_seconds",
    "status",
    "confidence",
    "author",
    "tags",
    "note",
    "value",
    "parent_uuid",
    "evidence",
    "prompt",
    "created_at",
    "modified_at",
    "regions",
]
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "'")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def write(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for item in doc.annotated_items:
            a = item.annotation
            assert a is not None
            record = to_record(a)
            cells = record | {
                "item": item.position,
                "film": item.film.title,
                "film_sha256": item.film.sha256,
                "rate": str(item.film.rate),
                "tier": item.tier.name if item.tier else "",
                "tier_author": (item.tier.author or "") if item.tier else "",
                "category_key": item.category.key if item.category else "",
                "category": item.category_label,
                "in_timecode": item.in_tc,
                "out_timecode": item.out_tc,
                "in_frame": record["start"],
                "out_frame": record["end"],
                "frames": a.range.length,
                "in_seconds": f"{float(item.start_seconds):.6f}",
                "out_seconds": f"{float(item.end_seconds):.6f}",
                "tags": "; ".join(record["tags"]),
                "parent_uuid": record["parent_uuid"] or "",
                "evidence": record["evidence"] or "",
                "prompt": item.prompt,
                "regions": json.dumps(record["regions"]) if a.regions else "",
            }
            writer.writerow([_cell(cells[column]) for column in COLUMNS])


# What people type as column names (lower case, spaces, '-' and '_' ignored): spreadsheets,
# video-annotation tools and datasets name the same three things many ways.
_ALIASES = {
    "film": (
        "film",
        "filmname",
        "film_name",
        "title",
        "movie",
        "video",
        "file",
        "videoname",
        "videofile",
        "filename",
        "media",
        "mediafile",
    ),
    "in": (
        "in",
        "intimecode",
        "inframe",
        "start",
        "startframe",
        "starttimecode",
        "tcin",
        "from",
        "starttime",
        "startseconds",
        "startsec",
        "begin",
        "begintime",
        "onset",
        "timein",
        "entrée",
        "début",
    ),
    "out": (
        "out",
        "outtimecode",
        "outframe",
        "end",
        "endframe",
        "endtimecode",
        "tcout",
        "to",
        "endtime",
        "endseconds",
        "endsec",
        "stop",
        "stoptime",
        "timeout",
        "sortie",
        "fin",
    ),
    "value": (
        "value",
        "text",
        "annotation",
        "transcription",
        "words",
        "comment",
        "label",
        "description",
        "caption",
        "content",
        "valeur",
        "texte",
    ),
    "category": ("category", "categorykey", "type", "code", "class", "catégorie"),
    "tier": ("tier", "layer", "track"),
    "author": ("author", "annotator", "who", "by"),
    "note": ("note", "notes", "remark"),
    "tags": ("tags", "tag", "keywords"),
}
_CRITIQUE_COLUMNS = {"uuid", "in_frame", "out_frame", "tier"}
# Spreadsheets save with ',' (English), ';' (French, German: the comma is the decimal
# separator), a tab or '|'.
_DELIMITERS = ",;\t|"
_NAMESPACE = uuid_module.UUID("3c5a9e0d-7b21-4f6e-9d84-2a1b0c9e7f53")


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name.strip().lower())


_KNOWN = {_key(alias): field for field, aliases in _ALIASES.items() for alias in aliases}


FIELD_LIMIT = 64 * 1024 * 1024  # one cell: a long note, a region drawn freehand on many frames


def read(path: Path, encoding: str | None = None) -> ImportedList:
    """`_read`, with cells up to FIELD_LIMIT characters (the csv module's default, 128 KB, is
    less than a long freehand region); a larger cell or a broken quote is one sentence."""
    before = csv.field_size_limit(FIELD_LIMIT)
    try:
        return _read(path, encoding)
    except csv.Error as err:
        if "field larger than field limit" in str(err):
            raise UserError(
                _(
                    "{name} has a cell longer than {megabytes} MB of text, more than any annotation holds: "
                    "it is not read; nothing was changed."
                ).format(name=path.name, megabytes=FIELD_LIMIT // 1024 // 1024)
            ) from None
        raise UserError(
            _("{name} is not a readable table ({reason}).").format(name=path.name, reason=err)
        ) from None
    finally:
        csv.field_size_limit(before)


def _seconds_if_named(column: str, value: str) -> str:
    """A whole number is a frame ('in', 'out', 'start frame'), except in a column named for
    time in seconds ('start_time', 'end sec', 'onset'), where '3' is three seconds."""
    key = _key(column)
    timed = ("time" in key and "timecode" not in key) or "sec" in key or key == "onset"
    return f"{value}.0" if timed and value.isdigit() else value


def _delimiter(text: str) -> str:
    """The delimiter that splits the header into the most columns Critique knows, then gives
    the most rows as long as the header: the csv sniffer gives up on quoted cells spanning
    lines and on decimal commas, and ',' was then wrong for every French spreadsheet."""
    best: tuple[tuple[int, int, int], str] | None = None
    for delimiter in _DELIMITERS:
        rows = list(
            itertools.islice(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 50)
        )
        if not rows or len(rows[0]) < 2:
            continue
        header = rows[0]
        known = sum(1 for n in header if _key(n) in _KNOWN or n.strip() in _CRITIQUE_COLUMNS)
        same = sum(1 for row in rows[1:] if len(row) == len(header))
        score = (known, same, len(header))
        if best is None or score > best[0]:
            best = (score, delimiter)
    return best[1] if best else ","


def _read(path: Path, encoding: str | None = None) -> ImportedList:
    """A Critique table (with uuids: every field restored), or a spreadsheet with only the
    columns a person types: film, in, out (timecode or frames), category or value, tier,
    author. Rows that cannot be read are skipped and counted with their line."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise UserError(
            _("{name} cannot be read ({reason}).").format(name=path.name, reason=err.strerror)
        ) from None
    text, used = decode(raw, path.name, encoding)
    delimiter = _delimiter(text)
    header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    # 'start_time, end_time, label': a space after each delimiter is not part of the cell.
    spaced = len(header) > 1 and all(n.startswith(" ") for n in header[1:])
    reader = csv.DictReader(
        io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=spaced
    )
    names = [n for n in reader.fieldnames or [] if n]
    # A file that ends inside its last row: that row is left out and named, never taken
    # with its note cut short (nor refused whole for a frame number it lost).
    cut = cut_row(text, delimiter, spaced)
    rows = all_but_last(reader) if cut else reader
    notes = [_("read as {used}").format(used=_(used))] + ([cut.note()] if cut else [])
    if set(names) >= _CRITIQUE_COLUMNS:
        return _critique_table(rows, path, notes)
    columns: dict[str, str] = {}
    for name in names:
        field_name = _KNOWN.get(_key(name))
        if field_name is not None and field_name not in columns:
            columns[field_name] = name
    missing = [c for c in ("in", "out") if c not in columns]
    if missing or not ({"value", "category", "note"} & set(columns)):
        raise UserError(
            _(
                "{name} is not a Critique annotation table nor a spreadsheet Critique understands: "
                "it needs columns for in and out (start, end: timecode, h:mm:ss or frame), and "
                "value, label or category (it has {columns})."
            ).format(name=path.name, columns=", ".join(names[:8]) or _("no header"))
        )
    info = ImportedFile([], skipped_what="rows", notes=notes)
    for line, raw_row in enumerate(rows, start=2):
        # A cell over several lines keeps its line breaks as one newline each.
        row = {k: _uncell(v or "").replace("\r\n", "\n").strip() for k, v in raw_row.items() if k}

        def cell(field_name: str, row: dict[str, str] = row) -> str:
            return row.get(columns.get(field_name, ""), "")

        if not any(row.values()):
            continue  # an empty line of the spreadsheet
        start, end = cell("in"), cell("out") or cell("in")
        if not start:
            info.skip(_("line {line} has no in point").format(line=line))
            continue
        key = f"{path.name}|{line}|{start}|{end}|{cell('value')}|{cell('category')}"
        start, end = _seconds_if_named(columns["in"], start), _seconds_if_named(columns["out"], end)
        annotation = Annotation(
            id=None,
            uuid=str(uuid_module.uuid5(_NAMESPACE, key)),
            film_id=0,
            tier_id=0,
            range=FrameRange(0, 0),
            value=cell("value"),
            note=cell("note"),
            author=cell("author"),
            tags=tuple(t.strip() for t in re.split(r"[;,]", cell("tags")) if t.strip()),
        )
        film = cell("film") or None
        info.add(
            Imported(
                annotation,
                cell("tier") or cell("author") or imported_tier("spreadsheet"),
                None,
                film,
                cell("category") or None,
                cell("category") or None,
                cell("author") or None,
                timecodes=(start, end),
                film_names=(film,) if film else (),
                line=line,
            )
        )
    return ImportedList(info)


def _critique_table(rows: Iterable[dict[str, str]], path: Path, notes: list[str]) -> ImportedList:
    """Rows written by `write` back into annotations (frames are the truth, not timecodes)."""
    info = ImportedFile([], skipped_what="rows", notes=notes)
    for line, raw in enumerate(rows, start=2):
        row = {k: _uncell(v or "") for k, v in raw.items() if k}
        try:
            # the spreadsheet's columns are the record's fields, flattened for a cell
            annotation = from_record(
                row
                | {
                    "start": row["in_frame"],
                    "end": row["out_frame"],
                    "tags": [t for t in row.get("tags", "").split("; ") if t],
                    "regions": json.loads(row.get("regions") or "[]"),
                }
            )
            Fraction(row.get("rate") or "1")
        except (ValueError, KeyError, TypeError) as err:
            raise UserError(f"{path.name}, line {line}: {err}") from None
        info.add(
            Imported(
                annotation,
                row["tier"],
                row.get("film_sha256") or None,
                row.get("film") or None,
                row.get("category_key") or None,
                row.get("category") or None,
                row.get("tier_author") or None,
            )
        )
    return ImportedList(info)
