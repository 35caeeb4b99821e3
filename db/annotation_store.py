"""Annotations with their tags, regions and relations, and full-text search (SQLite FTS5).

Every write runs inside `db.atomic()`: one edit, one transaction, committed at once.
Reads return domain objects; filters load tags and regions in one query each.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import operator
import re
import sqlite3
import struct
from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from itertools import chain
from typing import Any

from sqlite_utils import Database

from critique_app.domain.model import Annotation, FrameRange, Region, Relation
from critique_app.errors import UserError

_COLUMNS = (
    "id, uuid, film_id, tier_id, category_id, start_frame, end_frame, start_pts_num, "
    "start_pts_den, end_pts_num, end_pts_den, note, status, confidence, evidence, author, "
    "created_at, modified_at, anchor_hashes, conflict_of, value, parent_uuid"
)
# The insert triggers (db/migrations 0003, 0006) that `inserting_in_bulk` pauses, and the
# tags column they give a new annotation's search row, as they compute it.
# A value longer than this (characters) is bound as UTF-8 bytes, and its copy freed at once.
LONG_TEXT = 1 << 20
# SQLite's page cache while an import stores its batches (negative: KiB), not its 2 MB
BULK_CACHE = -65536
# An import's search rows are written this many annotations at a time, in one statement each:
# FTS5 writes a new segment of its index at the end of every statement (and every savepoint),
# so a batch of 2,000 made 260 segments of a 50 MB WebVTT for SQLite to merge again and again.
SEARCH_ROWS_AT_ONCE = 65536
# ... and FTS5 holds this many bytes of them in memory before it writes a segment (its own
# default, 1 MB, would cut each statement into a dozen); put back when the import ends
SEARCH_PENDING_BYTES = 16 << 20
FTS5_PENDING_BYTES = 1 << 20  # FTS5's 'hashsize' when a project never set it
_ROW_TRIGGERS = (
    "annotations_fts_insert",
    "annotation_tags_fts_insert",
    "count_annotations_insert",
    "count_annotation_tags_insert",
    "count_regions_insert",
)
_TAGS_OF_A = (
    "(SELECT coalesce(group_concat(tag, ' '), '') FROM annotation_tags WHERE annotation_id = a.id)"
)
# Letters to Python that the search index's tokenizer (SQLite's unicode61) cuts words at:
# New Tai Lue vowel signs and two Vedic signs, letters since Unicode 8 and marks in SQLite's
# tables. tests/db/test_search_words.py asks the SQLite in use about every code point.
SQLITE_SEPARATORS = "\u19b0-\u19c0\u19c8\u19c9\u1cf2\u1cf3"
# A word as unicode61 cuts it: letters and digits; the underscore and the signs above are
# separators. A quoted run of two of its words would be a phrase, which an index without
# positions (detail=column, migration 0011) refuses with an error.
_WORD = re.compile(rf"[^\W_{SQLITE_SEPARATORS}]+")


def fts_query(text: str) -> str | None:
    """A safe FTS5 query from what a user types: every word must appear, the last one as a
    prefix (the user may still be typing it). Punctuation never becomes query syntax."""
    words = _WORD.findall(text)
    if not words:
        return None
    terms = [f'"{word}"' for word in words]
    terms[-1] += "*"
    return " AND ".join(terms)


# Each id asked of the full-text index reads the word's whole list of rows again: past this
# many ids (all of an import's, say), reading the matches once is cheaper (4,000 ids of a
# word in every note: 3 s one by one).
_SEEK_AT_MOST = 500


def in_ids(column: str, ids: Iterable[int]) -> tuple[str, list[Any]]:
    """`column IN (…)` for any number of ids, as one bound JSON array: a placeholder per id
    passes SQLite's limit of host parameters (999 in old builds, 32,766 in recent ones) once
    an import brings tens of thousands of annotations, and raises OperationalError."""
    return f"{column} IN (SELECT value FROM json_each(?))", [json.dumps([int(i) for i in ids])]


def _pack_hashes(hashes: tuple[int, ...] | None) -> bytes | None:
    if hashes is None:
        return None
    return struct.pack(f"<{len(hashes)}Q", *(h & 0xFFFFFFFFFFFFFFFF for h in hashes))


def _unpack_hashes(blob: bytes | None) -> tuple[int, ...] | None:
    if blob is None:
        return None
    return struct.unpack(f"<{len(blob) // 8}Q", blob)


def _fraction(num: int | None, den: int | None) -> Fraction | None:
    return None if num is None or not den else Fraction(num, den)


# the columns of an annotation's row (without its id) as `AnnotationStore._values` gives them
_ROW_COLUMNS = tuple(c.strip() for c in _COLUMNS.split(","))[1:]
# An imported cue has no timestamps or frame hashes: its row leaves those columns NULL and
# is read by one C-level getter, with no Python per row (half a million cues, issue 23).
_PLAIN_COLUMNS = tuple(
    c for c in _ROW_COLUMNS if not c.startswith(("start_pts", "end_pts", "anchor_hashes"))
)
# each plain column and the attribute of an `Annotation` it is read from
_PLAIN_FIELDS = {
    c: {"start_frame": "range.start", "end_frame": "range.end"}.get(c, c) for c in _PLAIN_COLUMNS
}
_NOT_PLAIN = operator.attrgetter("start_pts", "end_pts", "anchor_hashes")
_VALUE = operator.attrgetter("value")


def _literal(value: object) -> str | None:
    """`value` as SQL text, for a column the same in every row of a batch; None: bind it."""
    if value is None:
        return "NULL"
    if type(value) is int:
        return str(value)
    if type(value) is str and "\x00" not in value:
        return "'" + value.replace("'", "''") + "'"
    return None


def _plain_rows(annotations: Sequence[Annotation]) -> tuple[str, Iterable[Sequence[Any]]]:
    """The INSERT of a batch of plain annotations and its rows: a column equal in every row
    (the film, tier, author, moment… of an import) is written into the statement, not bound
    2,000 times; the others are read by one getter."""
    bound: list[str] = []
    fixed: dict[str, str] = {}
    for column, field in _PLAIN_FIELDS.items():
        same = set(map(operator.attrgetter(field), annotations)) if column != "uuid" else ()
        literal = _literal(next(iter(same))) if len(same) == 1 else None
        if literal is None:
            bound.append(column)
        else:
            fixed[column] = literal
    row = operator.attrgetter(*(_PLAIN_FIELDS[c] for c in bound))
    sql = _insert_of(bound, fixed)
    # one column bound: the getter gives the value alone, zip makes it a row
    return sql, map(row, annotations) if len(bound) > 1 else zip(map(row, annotations))


def _insert_of(bound: Sequence[str], fixed: dict[str, str]) -> str:
    """The INSERT of rows whose `bound` columns are bound and `fixed` ones written as SQL."""
    return (
        f"INSERT INTO annotations ({', '.join([*bound, *fixed])}) "
        f"VALUES ({', '.join(['?'] * len(bound) + list(fixed.values()))})"
    )


# A cue's own fields, all that differs from one cue of a subtitle file to the next: uuid, first
# and last frame, value (the columns of _OWN_COLUMNS), and tags (`AnnotationStore.insert_like`)
CueRow = tuple[str, int, int, str, tuple[str, ...]]
_OWN_COLUMNS = ("uuid", "start_frame", "end_frame", "value")


def _statement_like(model: Annotation) -> str | None:
    """The INSERT of rows that are `model` but for `_OWN_COLUMNS`, its other columns written
    into the statement as `_plain_rows` writes a batch's common ones; None when one of them
    cannot be (a frame time, frame hashes, regions, a NUL in a text)."""
    if model.regions or set(_NOT_PLAIN(model)) != {None}:
        return None
    fixed: dict[str, str] = {}
    for column, field in _PLAIN_FIELDS.items():
        if column not in _OWN_COLUMNS:
            literal = _literal(operator.attrgetter(field)(model))
            if literal is None:
                return None
            fixed[column] = literal
    return _insert_of(_OWN_COLUMNS, fixed)


def _ids_given(conn: sqlite3.Connection, ids: list[int]) -> None:
    """Rows inserted without ids got the ones after the largest: the ids an undo step removes
    must be `ids`."""
    given = conn.execute("SELECT max(id) FROM annotations").fetchone()[0]
    if given != ids[-1]:
        raise RuntimeError(f"stored up to id {given}, not {ids[-1]}")


def _refused_at(conn: sqlite3.Connection, first: int) -> int:
    """Which row of a batch whose ids begin at `first` SQLite refused: the rows before it are
    in, so it is the one after the last of them."""
    last = int(conn.execute("SELECT coalesce(max(id), 0) FROM annotations").fetchone()[0])
    return max(0, last + 1 - first)


class AnnotationStore:
    """Annotations, tags, regions, relations; the part of the repository edited for hours."""

    db: Database
    _in_bulk = False
    _usual_cache = -2000  # SQLite's own default, until an import reads the connection's
    # the ids stored in bulk whose search rows are not written yet: (first, last) spans
    _unsearchable: list[tuple[int, int]]  # set when an import begins

    # ---- writing ---------------------------------------------------------------------

    def _row(self, a: Annotation) -> dict[str, Any]:
        return dict(zip(_ROW_COLUMNS, self._values(a), strict=True))

    @staticmethod
    def _values(a: Annotation) -> tuple[Any, ...]:
        """The annotation's row in `_ROW_COLUMNS`' order: a tuple, not a dict (an import writes
        half a million of them)."""
        start_pts, end_pts = a.start_pts, a.end_pts
        return (
            a.uuid,
            a.film_id,
            a.tier_id,
            a.category_id,
            a.range.start,
            a.range.end,
            start_pts.numerator if start_pts is not None else None,
            start_pts.denominator if start_pts is not None else None,
            end_pts.numerator if end_pts is not None else None,
            end_pts.denominator if end_pts is not None else None,
            a.note,
            a.status,
            a.confidence,
            a.evidence,
            a.author,
            a.created_at,
            a.modified_at,
            _pack_hashes(a.anchor_hashes),
            a.conflict_of,
            a.value,
            a.parent_uuid,
        )

    def _write_children(self, annotation_id: int, a: Annotation) -> None:
        conn = self.db.conn
        if a.tags:  # most annotations have none: no statement for nothing
            conn.executemany(
                "INSERT INTO annotation_tags (annotation_id, tag) VALUES (?, ?)",
                [(annotation_id, tag) for tag in a.tags],
            )
        if a.regions:
            conn.executemany(
                "INSERT INTO regions (annotation_id, shape, keyframes_json, label) "
                "VALUES (?, ?, ?, ?)",
                [(annotation_id, r.shape, json.dumps(r.to_json()), r.label) for r in a.regions],
            )

    def add_annotation(self, a: Annotation) -> Annotation:
        """Store a new annotation (or restore a deleted one with its old id); returns it stored."""
        row = self._row(a)
        if a.id is not None:
            row["id"] = a.id
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        try:
            with self.db.atomic():
                cursor = self.db.conn.execute(
                    f"INSERT INTO annotations ({names}) VALUES ({marks})", list(row.values())
                )
                new_id = int(cursor.lastrowid or 0)
                self._write_children(new_id, a)
        except sqlite3.IntegrityError as err:
            raise UserError(_integrity_sentence(err, a)) from None
        return self.get_annotation(new_id)

    @contextlib.contextmanager
    def inserting_in_bulk(self) -> Iterator[None]:
        """One savepoint in which `insert_annotations` does the work of the insert triggers
        that keep the search index and the edit counters up to date (_ROW_TRIGGERS): the
        counts once a batch, the search rows once SEARCH_ROWS_AT_ONCE annotations and at the
        end: the same index rows and the same counts, for a tenth of the time of half a
        million trigger runs. Only inserts of new annotations belong inside."""
        if self._in_bulk:
            yield
            return
        conn = self.db.conn
        with self.db.atomic():  # a failure rolls back the dropped triggers too
            saved = conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
                f"({', '.join('?' * len(_ROW_TRIGGERS))})",
                _ROW_TRIGGERS,
            ).fetchall()
            if len(saved) != len(_ROW_TRIGGERS):  # a schema this code does not know
                yield
                return
            for name, _sql in saved:
                conn.execute(f"DROP TRIGGER {name}")
            self._in_bulk = True
            # A larger page cache while the batches go in: half a million new rows land at
            # random places in the uuid index, and with SQLite's 2 MB the same pages are read
            # and spilled again and again (a 50 MB WebVTT: 36.5 s -> 31.9 s, issue 23).
            self._usual_cache = int(conn.execute("PRAGMA cache_size").fetchone()[0])
            conn.execute(f"PRAGMA cache_size = {BULK_CACHE}")
            pending_bytes = conn.execute(
                "SELECT v FROM annotations_fts_config WHERE k = 'hashsize'"
            ).fetchone()
            self._search_pending(SEARCH_PENDING_BYTES)
            self._unsearchable = []
            try:
                yield
                self._write_search_rows()
            finally:
                self._in_bulk = False
                self._unsearchable = []
                conn.execute(f"PRAGMA cache_size = {self._usual_cache}")
            self._search_pending(FTS5_PENDING_BYTES if pending_bytes is None else pending_bytes[0])
            for _name, sql in saved:
                conn.execute(sql)

    def _search_pending(self, size: int) -> None:
        """How many bytes of new search rows FTS5 keeps in memory before writing a segment."""
        self.db.conn.execute(
            "INSERT INTO annotations_fts (annotations_fts, rank) VALUES ('hashsize', ?)",
            [int(size)],
        )

    def _write_search_rows(self) -> None:
        """The search rows of the annotations stored since the last call, in one statement
        per span of ids (an import's ids follow one another: one span)."""
        spans: list[list[int]] = []
        for first, last in sorted(self._unsearchable):
            if spans and first <= spans[-1][1] + 1:
                spans[-1][1] = max(spans[-1][1], last)
            else:
                spans.append([first, last])
        self._unsearchable = []
        for first, last in spans:
            self.db.conn.execute(
                "INSERT INTO annotations_fts (rowid, note, tags, value) "
                f"SELECT a.id, a.note, {_TAGS_OF_A}, a.value FROM annotations a "
                "WHERE a.id BETWEEN ? AND ?",
                [first, last],
            )

    def insert_annotations(self, annotations: Sequence[Annotation]) -> list[int]:
        """Store new annotations in one savepoint without reading each one back (an import
        stores 500,000 cues this way, a batch at a time); their ids, in order."""
        if not annotations:
            return []
        columns = _ROW_COLUMNS
        value_at = columns.index("value") + 1  # after the id
        long_values = max(map(len, map(_VALUE, annotations))) > LONG_TEXT
        if long_values and self._in_bulk:
            # a cue of 50 MB is copied by SQLite several times over: its pages must not stay
            # cached beside them (a one-line SubRip peaked at 334 MB, over the 300 MB goal)
            self.db.conn.execute(f"PRAGMA cache_size = {self._usual_cache}")
        plain = not long_values and set(chain.from_iterable(map(_NOT_PLAIN, annotations))) == {None}
        marks = ["?"] * (len(columns) + 1)
        if long_values:
            # WHERE ?: the same statement run once more with nothing inserted (see below);
            # only then, the usual batch is a fifth faster with VALUES
            marks[value_at] = "CAST(? AS TEXT)"
            chosen = f"SELECT {', '.join(marks)} WHERE ?"
        else:
            chosen = f"VALUES ({', '.join(marks)})"
        sql = f"INSERT INTO annotations (id, {', '.join(columns)}) {chosen}"
        conn = self.db.conn
        values = self._values
        with self.db.atomic():  # holds the write lock: the ids after the last one are ours
            first = int(
                conn.execute("SELECT coalesce(max(id), 0) + 1 FROM annotations").fetchone()[0]
            )
            ids = list(range(first, first + len(annotations)))
            try:
                if plain:
                    # no ids: SQLite gives the ones after the largest, as `first` counts them
                    conn.executemany(*_plain_rows(annotations))
                    _ids_given(conn, ids)
                elif not long_values:
                    conn.executemany(
                        sql,
                        [(i, *values(a)) for i, a in zip(ids, annotations, strict=True)],
                    )
                else:
                    rows = [[i, *values(a), 1] for i, a in zip(ids, annotations, strict=True)]
                    for row in rows:
                        if len(row[value_at]) > LONG_TEXT:
                            # as UTF-8 bytes, cast back to text: Python keeps no UTF-8 copy on
                            # the string itself (a 50 MB cue, issue 23)
                            row[value_at] = row[value_at].encode("utf-8")
                    # no name left on a row: its 50 MB of bytes go with the list, before the
                    # search index is written
                    del row
                    conn.executemany(sql, rows)
                    del rows
                    # the statement keeps its last values: bound again, the copy is freed
                    conn.execute(sql, [None] * (len(columns) + 1) + [0])
            except sqlite3.IntegrityError as err:
                refused = annotations[_refused_at(conn, first)]
                raise UserError(_integrity_sentence(err, refused)) from None
            tags = [(i, tag) for i, a in zip(ids, annotations, strict=True) for tag in a.tags]
            regions = [
                (i, r.shape, json.dumps(r.to_json()), r.label)
                for i, a in zip(ids, annotations, strict=True)
                for r in a.regions
            ]
            self._write_children_of(ids, tags, regions)
        return ids

    def insert_like(self, model: Annotation, cues: Sequence[CueRow]) -> list[int] | None:
        """Store new annotations that are `model` but for their own uuid, first and last
        frame, value and tags (`cues`, an import's subtitles), as `insert_annotations` would
        store them one by one, without an `Annotation` each; their ids, in order. None, and
        nothing stored, when `model` is not one its rows can be written from (see
        `_statement_like`) or a value is long: store them with `insert_annotations`."""
        sql = _statement_like(model)
        if not cues or sql is None or max(len(c[3]) for c in cues) > LONG_TEXT:
            return None if cues else []
        conn = self.db.conn
        with self.db.atomic():  # holds the write lock: the ids after the last one are ours
            first = int(
                conn.execute("SELECT coalesce(max(id), 0) + 1 FROM annotations").fetchone()[0]
            )
            ids = list(range(first, first + len(cues)))
            try:
                # no ids: SQLite gives the ones after the largest, as `first` counts them
                conn.executemany(sql, (c[:4] for c in cues))
            except sqlite3.IntegrityError as err:
                uuid, start, end, value, its_tags = cues[_refused_at(conn, first)]
                refused = dataclasses.replace(
                    model, uuid=uuid, range=FrameRange(start, end), value=value, tags=its_tags
                )
                raise UserError(_integrity_sentence(err, refused)) from None
            _ids_given(conn, ids)
            tags = [(i, tag) for i, c in zip(ids, cues, strict=True) for tag in c[4]]
            self._write_children_of(ids, tags, [])
        return ids

    def _write_children_of(
        self, ids: list[int], tags: list[tuple[int, str]], regions: list[tuple[Any, ...]]
    ) -> None:
        """The tags and regions of annotations just inserted with `ids`; in an import, their
        search rows (a span at a time) and the edit count, which the paused triggers leave."""
        conn = self.db.conn
        conn.executemany("INSERT INTO annotation_tags (annotation_id, tag) VALUES (?, ?)", tags)
        conn.executemany(
            "INSERT INTO regions (annotation_id, shape, keyframes_json, label) VALUES (?, ?, ?, ?)",
            regions,
        )
        if self._in_bulk:
            self._unsearchable.append((ids[0], ids[-1]))
            if ids[-1] - self._unsearchable[0][0] + 1 >= SEARCH_ROWS_AT_ONCE:
                self._write_search_rows()
            conn.execute(
                "UPDATE edit_counters SET n = n + ? WHERE topic = 'annotations'",
                [len(ids) + len(tags) + len(regions)],
            )

    def update_annotation(self, a: Annotation) -> Annotation:
        """Save every field of an existing annotation (tags and regions replaced)."""
        if a.id is None:
            raise ValueError("update_annotation needs a stored annotation (id is None).")
        row = self._row(a)
        assignments = ", ".join(f"{name} = ?" for name in row)
        try:
            with self.db.atomic():
                cursor = self.db.conn.execute(
                    f"UPDATE annotations SET {assignments} WHERE id = ?", [*row.values(), a.id]
                )
                if cursor.rowcount == 0:
                    raise UserError(f"Annotation {a.id} no longer exists in this project.")
                old_tags = {
                    r[0]
                    for r in self.db.conn.execute(
                        "SELECT tag FROM annotation_tags WHERE annotation_id = ?", [a.id]
                    )
                }
                # Only touch tags that changed: each insert/delete also updates the FTS row.
                self.db.conn.executemany(
                    "DELETE FROM annotation_tags WHERE annotation_id = ? AND tag = ?",
                    [(a.id, t) for t in old_tags - set(a.tags)],
                )
                self.db.conn.executemany(
                    "INSERT INTO annotation_tags (annotation_id, tag) VALUES (?, ?)",
                    [(a.id, t) for t in sorted(set(a.tags) - old_tags)],
                )
                self.db.conn.execute("DELETE FROM regions WHERE annotation_id = ?", [a.id])
                self.db.conn.executemany(
                    "INSERT INTO regions (annotation_id, shape, keyframes_json, label) "
                    "VALUES (?, ?, ?, ?)",
                    [(a.id, r.shape, json.dumps(r.to_json()), r.label) for r in a.regions],
                )
        except sqlite3.IntegrityError as err:
            raise UserError(_integrity_sentence(err, a)) from None
        return self.get_annotation(a.id)

    def delete_annotation(self, annotation_id: int) -> None:
        """Delete an annotation; its tags, regions and relations go with it."""
        with self.db.atomic():
            self.db.conn.execute("DELETE FROM annotations WHERE id = ?", [annotation_id])

    # ---- reading ---------------------------------------------------------------------

    def _build(
        self,
        rows: Iterable[Sequence[Any]],
        tags: dict[int, list[str]],
        regions: dict[int, list[Region]],
    ) -> list[Annotation]:
        result = []
        for r in rows:
            ident = int(r[0])
            result.append(
                Annotation(
                    id=ident,
                    uuid=r[1],
                    film_id=r[2],
                    tier_id=r[3],
                    category_id=r[4],
                    range=FrameRange(r[5], r[6]),
                    start_pts=_fraction(r[7], r[8]),
                    end_pts=_fraction(r[9], r[10]),
                    note=r[11],
                    status=r[12],
                    confidence=r[13],
                    evidence=r[14],
                    author=r[15],
                    created_at=r[16],
                    modified_at=r[17],
                    anchor_hashes=_unpack_hashes(r[18]),
                    conflict_of=r[19],
                    value=r[20],
                    parent_uuid=r[21],
                    tags=tuple(tags.get(ident, ())),
                    regions=tuple(regions.get(ident, ())),
                )
            )
        return result

    def annotations_by_id(self, ids: list[int]) -> list[Annotation]:
        """These annotations in one query (tags and regions included), in listing order."""
        if not ids:
            return []
        return self._query(*in_ids("a.id", ids))

    def annotations_with_regions(self, film_id: int) -> list[Annotation]:
        """The film's annotations that have a drawn region (the picture overlay shows them)."""
        return self._query(
            "a.film_id = ? AND a.id IN (SELECT annotation_id FROM regions)", [film_id]
        )

    def _query(
        self,
        where: str,
        params: list[Any],
        order: str = "a.film_id, a.start_frame, a.id",
        limit: int | None = None,
    ) -> list[Annotation]:
        tail = f" ORDER BY {order}" + (f" LIMIT {int(limit)}" if limit is not None else "")
        rows = self.db.conn.execute(
            f"SELECT {', '.join('a.' + c.strip() for c in _COLUMNS.split(','))} "
            f"FROM annotations a WHERE {where}{tail}",
            params,
        ).fetchall()
        if not rows:
            return []
        if limit is not None or len(rows) < 500:
            sub, sub_params = in_ids("a.id", (r[0] for r in rows))
        else:
            sub, sub_params = where, params
        tags: dict[int, list[str]] = {}
        for aid, tag in self.db.conn.execute(
            f"SELECT t.annotation_id, t.tag FROM annotation_tags t JOIN annotations a "
            f"ON a.id = t.annotation_id WHERE {sub} ORDER BY t.tag",
            sub_params,
        ):
            tags.setdefault(aid, []).append(tag)
        regions: dict[int, list[Region]] = {}
        for aid, shape, keyframes, label in self.db.conn.execute(
            f"SELECT g.annotation_id, g.shape, g.keyframes_json, g.label FROM regions g "
            f"JOIN annotations a ON a.id = g.annotation_id WHERE {sub} ORDER BY g.id",
            sub_params,
        ):
            regions.setdefault(aid, []).append(
                Region.from_json(shape, json.loads(keyframes), label)
            )
        return self._build(rows, tags, regions)

    def get_annotation(self, annotation_id: int) -> Annotation:
        found = self._query("a.id = ?", [annotation_id])
        if not found:
            raise UserError(f"Annotation {annotation_id} does not exist in this project.")
        return found[0]

    def find_annotation(self, annotation_id: int) -> Annotation | None:
        found = self._query("a.id = ?", [annotation_id])
        return found[0] if found else None

    def annotation_by_uuid(self, uuid: str) -> Annotation | None:
        found = self._query("a.uuid = ?", [uuid])
        return found[0] if found else None

    def _filters(
        self,
        film_id: int | None,
        tier_ids: Iterable[int] | None,
        category_ids: Iterable[int] | None,
        authors: Iterable[str] | None,
        statuses: Iterable[str] | None,
        search: str | None,
        conflicts_only: bool,
        among: Iterable[int] | None = None,
    ) -> tuple[str, list[Any]] | None:
        clauses: list[str] = []
        params: list[Any] = []
        chosen_ids: list[int] | None = None
        if among is not None:
            chosen_ids = list(among)
            if not chosen_ids:
                return None
            clause, chosen_params = in_ids("a.id", chosen_ids)
            clauses.append(clause)
            params.extend(chosen_params)
        if film_id is not None:
            clauses.append("a.film_id = ?")
            params.append(film_id)
        for column, values in (
            ("a.tier_id", tier_ids),
            ("a.category_id", category_ids),
            ("a.author", authors),
            ("a.status", statuses),
        ):
            if values is not None:
                chosen: list[Any] = list(values)
                if not chosen:
                    return None  # an empty selection matches nothing
                clauses.append(f"{column} IN ({','.join('?' for _ in chosen)})")
                params.extend(chosen)
        if search is not None and search.strip():
            query = fts_query(search)
            if query is None:
                return None
            if chosen_ids is None or len(chosen_ids) > _SEEK_AT_MOST:
                clauses.append(
                    "a.id IN (SELECT rowid FROM annotations_fts WHERE annotations_fts MATCH ?)"
                )
                params.append(query)
            else:  # a few rows after an edit: ask the index about them, not every match
                clause, chosen_params = in_ids("rowid", chosen_ids)
                clauses.append(
                    "a.id IN (SELECT rowid FROM annotations_fts WHERE annotations_fts MATCH ? "
                    f"AND {clause})"
                )
                params.append(query)
                params.extend(chosen_params)
        if conflicts_only:
            clauses.append("a.conflict_of IS NOT NULL")
        return (" AND ".join(clauses) or "1", params)

    def annotations(
        self,
        *,
        film_id: int | None = None,
        tier_ids: Iterable[int] | None = None,
        category_ids: Iterable[int] | None = None,
        authors: Iterable[str] | None = None,
        statuses: Iterable[str] | None = None,
        search: str | None = None,
        conflicts_only: bool = False,
        limit: int | None = None,
    ) -> list[Annotation]:
        """Annotations in film and frame order, narrowed by any of the filters given."""
        built = self._filters(
            film_id, tier_ids, category_ids, authors, statuses, search, conflicts_only
        )
        if built is None:
            return []
        return self._query(built[0], built[1], limit=limit)

    def annotation_ids(
        self,
        *,
        film_id: int | None = None,
        tier_ids: Iterable[int] | None = None,
        category_ids: Iterable[int] | None = None,
        authors: Iterable[str] | None = None,
        statuses: Iterable[str] | None = None,
        search: str | None = None,
        conflicts_only: bool = False,
        among: Iterable[int] | None = None,
        after: tuple[int, int, int] | None = None,
        limit: int | None = None,
    ) -> list[int]:
        """Ids only, in film and frame order: what a table or timeline needs to filter fast.

        `among` keeps only these ids (is an edited annotation still listed?); `after` starts
        behind this listing key (see `listing_keys`) and `limit` stops early, so a table reads
        50,000 search hits a window at a time, sorted by SQLite, never all at once."""
        built = self._filters(
            film_id, tier_ids, category_ids, authors, statuses, search, conflicts_only, among
        )
        if built is None:
            return []
        where, params = built
        if after is not None:  # a listing key: (film id, first frame, id)
            where += " AND (a.film_id, a.start_frame, a.id) > (?, ?, ?)"
            params = [*params, *after]
        # A window of search hits walks the listing index in order and stops at the limit,
        # asking the full-text hits about each row: "m" matches most of 100,000 notes, and
        # looking every hit up and sorting them all to keep 500 costs several times more.
        # (A word matching nothing then reads the film's index once: some ms at 100,000.)
        walk = "INDEXED BY annotations_listing " if limit is not None and search else ""
        sql = (
            f"SELECT a.id FROM annotations a {walk}WHERE {where} "
            "ORDER BY a.film_id, a.start_frame, a.id"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params = [*params, limit]
        return [r[0] for r in self.db.conn.execute(sql, params)]

    def count_annotation_ids(
        self,
        *,
        film_id: int | None = None,
        tier_ids: Iterable[int] | None = None,
        category_ids: Iterable[int] | None = None,
        authors: Iterable[str] | None = None,
        statuses: Iterable[str] | None = None,
        search: str | None = None,
    ) -> int:
        """How many annotations the filters keep (what `annotation_ids` would list in all).

        A search alone (on the only film) is counted by the full-text index by itself, one
        row per annotation: joining its hits to the annotations to look at their film cost
        5x more ("m" over 100,000 notes: 130 ms against 28 ms). No filter at all (on the only
        film) is the table's count, which SQLite takes from its narrowest index: the film's
        count walked the wide listing index, 26 ms at 100,000 against 3 ms, after every edit."""
        typed = bool(search and search.strip())
        alone = (tier_ids, category_ids, authors, statuses) == (None, None, None, None)
        if alone and not typed and (film_id is None or self._only_film(film_id)):
            return self.count_annotations()
        if search and alone and (film_id is None or self._only_film(film_id)):
            query = fts_query(search)
            if query is None:
                return 0
            sql = "SELECT count(*) FROM annotations_fts WHERE annotations_fts MATCH ?"
            return int(self.db.conn.execute(sql, [query]).fetchone()[0])
        built = self._filters(film_id, tier_ids, category_ids, authors, statuses, search, False)
        if built is None:
            return 0
        sql = f"SELECT count(*) FROM annotations a WHERE {built[0]}"
        return int(self.db.conn.execute(sql, built[1]).fetchone()[0])

    def _only_film(self, film_id: int) -> bool:
        """Whether every annotation of the project is of this film (no other film exists)."""
        sql = "SELECT NOT EXISTS (SELECT 1 FROM films WHERE id != ?)"
        return bool(self.db.conn.execute(sql, [film_id]).fetchone()[0])

    def listing_keys(self, ids: Iterable[int]) -> dict[int, tuple[int, int, int]]:
        """(film id, first frame, id) of these annotations: their place in the listing order,
        for a table that puts one edited row where a fresh query would."""
        chosen = list(ids)
        if not chosen:
            return {}
        clause, params = in_ids("id", chosen)
        return {
            r[2]: (r[0], r[1], r[2])
            for r in self.db.conn.execute(
                f"SELECT film_id, start_frame, id FROM annotations WHERE {clause}", params
            )
        }

    def search(self, text: str, limit: int = 200) -> list[int]:
        """Ids of annotations whose note, value or tags contain every word typed (oldest first).

        Not ranked: ranking scores every match before the first row comes back, and the
        table shows results in film order anyway.
        """
        query = fts_query(text)
        if query is None:
            return []
        return [
            r[0]
            for r in self.db.conn.execute(
                "SELECT rowid FROM annotations_fts WHERE annotations_fts MATCH ? LIMIT ?",
                [query, limit],
            )
        ]

    def annotation_uuids(self) -> set[str]:
        """Every annotation's uuid (an import skips those already here, in one query)."""
        return {r[0] for r in self.db.conn.execute("SELECT uuid FROM annotations")}

    def annotation_spans(
        self, film_id: int, tier_ids: Iterable[int] | None = None
    ) -> list[tuple[int, int, str, int | None, int, int]]:
        """(id, tier id, author, category id, start frame, end frame) of a film's annotations,
        by id: what agreement measures need, without building 100,000 domain objects."""
        # The listing index lacks end_frame: for a film holding most of the project's
        # annotations, one pass over the table beats a table lookup per indexed row.
        share = self.count_annotations(film_id) / max(1, self.count_annotations())
        sql = (
            "SELECT id, tier_id, author, category_id, start_frame, end_frame FROM annotations "
            + ("NOT INDEXED " if share > 0.25 else "")
            + "WHERE film_id = ?"
        )
        params: list[Any] = [film_id]
        if tier_ids is not None:
            chosen = list(tier_ids)
            sql += f" AND tier_id IN ({','.join('?' for _ in chosen)})"
            params += chosen
        return self.db.conn.execute(sql + " ORDER BY id", params).fetchall()

    def bar_rows(self, film_id: int) -> list[tuple[int, int, int | None, int, int, str, str]]:
        """(id, tier, category, start frame, end frame, value, note) of the film's annotations
        by tier, start, end and id: what the timeline draws, read on a worker without building
        100,000 annotations."""
        return self.db.conn.execute(
            "SELECT id, tier_id, category_id, start_frame, end_frame, value, note "
            "FROM annotations WHERE film_id = ? ORDER BY tier_id, start_frame, end_frame, id",
            [film_id],
        ).fetchall()

    def set_anchor_hashes(self, spans: Iterable[tuple[int, int, int, tuple[int, ...]]]) -> int:
        """Store each (id, start frame, end frame, hashes) where the annotation still spans
        those frames (one deleted or moved meanwhile is left for the next pass); how many were
        stored. Derived data, written in one transaction without rebuilding the annotations:
        one update each (each its own commit) held the window for minutes after an import of
        73,000 cues."""
        with self.db.atomic():
            cursor = self.db.conn.executemany(
                "UPDATE annotations SET anchor_hashes = ? "
                "WHERE id = ? AND start_frame = ? AND end_frame = ?",
                [(_pack_hashes(h), ident, start, end) for ident, start, end, h in spans],
            )
        return max(cursor.rowcount, 0)

    def unanchored_spans(
        self, film_id: int, among: Iterable[int] | None = None
    ) -> list[tuple[int, int, int]]:
        """(id, start frame, end frame) of the film's annotations without anchor hashes (of
        `among` only, when given): what the anchor keeper hashes, read without building the
        film's 100,000 annotations."""
        sql = (
            "SELECT id, start_frame, end_frame FROM annotations WHERE film_id = ? "
            "AND (anchor_hashes IS NULL OR length(anchor_hashes) = 0)"
        )
        params: list[Any] = [film_id]
        if among is not None:
            chosen = list(among)
            if not chosen:
                return []
            clause, chosen_params = in_ids("id", chosen)
            sql += f" AND {clause}"
            params += chosen_params
        return self.db.conn.execute(sql + " ORDER BY id", params).fetchall()

    def count_annotations(self, film_id: int | None = None) -> int:
        if film_id is None:
            return int(self.db.conn.execute("SELECT count(*) FROM annotations").fetchone()[0])
        return int(
            self.db.conn.execute(
                "SELECT count(*) FROM annotations WHERE film_id = ?", [film_id]
            ).fetchone()[0]
        )

    def authors(self) -> list[str]:
        return [
            r[0]
            for r in self.db.conn.execute("SELECT DISTINCT author FROM annotations ORDER BY author")
        ]

    def all_tags(self) -> list[tuple[str, int]]:
        """Every tag in use with how many annotations carry it (for completion)."""
        return [
            (r[0], r[1])
            for r in self.db.conn.execute(
                "SELECT tag, count(*) FROM annotation_tags GROUP BY tag ORDER BY count(*) DESC, tag"
            )
        ]

    # ---- relations -------------------------------------------------------------------

    def add_relation(
        self, source_id: int, target_id: int, kind: str, relation_id: int | None = None
    ) -> Relation:
        if source_id == target_id:
            raise UserError("An annotation cannot be related to itself.")
        kind = kind.strip()
        if not kind:
            raise UserError("A relation needs a kind, e.g. 'continues'.")
        try:
            with self.db.atomic():
                cursor = self.db.conn.execute(
                    "INSERT INTO relations (id, source_id, target_id, kind) VALUES (?, ?, ?, ?)",
                    [relation_id, source_id, target_id, kind],
                )
        except sqlite3.IntegrityError as err:
            if "UNIQUE" in str(err):
                raise UserError(f"These two annotations are already related as '{kind}'.") from None
            raise UserError("A relation can only link two annotations of this project.") from None
        return Relation(int(cursor.lastrowid or 0), source_id, target_id, kind)

    def delete_relation(self, relation_id: int) -> None:
        with self.db.atomic():
            self.db.conn.execute("DELETE FROM relations WHERE id = ?", [relation_id])

    def relations(self, annotation_id: int | None = None) -> list[Relation]:
        """Relations of one annotation, both directions (or every relation)."""
        if annotation_id is None:
            rows = self.db.conn.execute(
                "SELECT id, source_id, target_id, kind FROM relations ORDER BY id"
            )
        else:
            rows = self.db.conn.execute(
                "SELECT id, source_id, target_id, kind FROM relations "
                "WHERE source_id = ? OR target_id = ? ORDER BY id",
                [annotation_id, annotation_id],
            )
        return [Relation(*r) for r in rows]


def _integrity_sentence(err: sqlite3.IntegrityError, a: Annotation) -> str:
    text = str(err)
    if "uuid" in text:
        return f"An annotation with the identifier {a.uuid} is already in this project."
    if "FOREIGN KEY" in text:
        return "The annotation refers to a film, tier or category that is not in this project."
    if "CHECK" in text:
        return f"The annotation's values are not valid ({text})."
    return f"The annotation could not be saved: {text}."
