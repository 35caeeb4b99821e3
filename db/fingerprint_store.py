"""Fingerprints, shots, the reference library and matches in a project file.

Per-frame values are stored per film and kind as little-endian unsigned BLOBs, never a row per
frame: each flush of a fingerprint pass appends one chunk row per kind (`fingerprint_chunks`:
its first frame and its values), read back in order as one array (a 2-hour film is at most
1.4 MB per kind, loaded in milliseconds). A chunk is never rewritten, so the last flush of a
10-hour film costs what the first did. `fingerprints` holds one row per film and kind: how many
frames are stored (`frame_count` says where to resume), the step, the crop, complete or not.

A chunk is as wide as its largest value needs (schema 10): 8 bytes a frame for a picture's
hash, 2 or 4 for a measure, none at all when every value is 0 (a kind of picture, an inset or
a split screen's panel, that the chunk's frames do not show). It says how many frames it holds
(`frames`), so its width is its length over them; chunks written before schema 10 have no
count and are all 8 bytes wide.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlite_utils import Database

from critique_app.domain.model import now_iso
from critique_app.media.film_hashes import EXTRA_PICTURES
from critique_app.media.fingerprint import mostly_plain
from critique_app.media.reframes import PANEL_NAMES

# One kind per extra picture of a frame (FrameHashes.extra, column by column).
EXTRA_KINDS = tuple(f"extra:{name}" for name in EXTRA_PICTURES)
# The panels, searched; the other extra kinds only confirm what they find (a film stored
# without them is searched as before it had them: nothing goes unsearched).
PANEL_KINDS = tuple(f"extra:{name}" for name in PANEL_NAMES)
HASH_KINDS = (
    "phash",
    "phash_mirror",
    "dhash",
    "inset",
    "inset_mirror",
    "centre",
    "centre_mirror",
    *EXTRA_KINDS,
)
# Kinds added later: films fingerprinted before them have no row (read as "no inset", "no
# panels"); `missing_kinds` says which, so that the caller can say what was not searched.
OPTIONAL_KINDS = ("inset", "inset_mirror", "centre", "centre_mirror", *EXTRA_KINDS)
# Per-frame measures kept beside the hashes, as fixed-point uint64 (value * SCALE).
MEASURE_KINDS = {"contrast": 100.0, "frame_diff": 1000.0}
KINDS = HASH_KINDS + tuple(MEASURE_KINDS)


def to_blob(values: NDArray[Any]) -> bytes:
    return np.ascontiguousarray(values, dtype="<u8").tobytes()


def from_blob(blob: bytes | None) -> NDArray[np.uint64]:
    return np.frombuffer(blob or b"", dtype="<u8").astype(np.uint64)


# The widths a chunk may have, in bytes a frame (0: every value is 0, nothing stored).
CHUNK_WIDTHS = {0: None, 1: "<u1", 2: "<u2", 4: "<u4", 8: "<u8"}


def to_chunk(values: NDArray[np.uint64]) -> bytes:
    """The values in the narrowest width that holds the largest of them."""
    top = int(values.max()) if len(values) else 0
    width = next(w for w in CHUNK_WIDTHS if top < 1 << (8 * w))
    dtype = CHUNK_WIDTHS[width]
    return b"" if dtype is None else np.ascontiguousarray(values, dtype=dtype).tobytes()


@dataclass
class FilmFingerprints:
    """Everything stored for one film, arrays indexed by sampled frame (frame = i * step)."""

    film_id: int
    step: int
    frame_count: int
    complete: bool
    crop: list[int] | None
    phash: NDArray[np.uint64]
    phash_mirror: NDArray[np.uint64]
    dhash: NDArray[np.uint64]
    contrast: NDArray[np.float32]
    frame_diff: NDArray[np.float32]
    inset: NDArray[np.uint64]  # pHash of a picture inside the picture, 0 where there is none
    inset_mirror: NDArray[np.uint64]
    centre: NDArray[np.uint64]  # pHash of the middle of the picture (0: not computed)
    centre_mirror: NDArray[np.uint64]
    extra: NDArray[np.uint64]  # N x len(EXTRA_PICTURES), 0 where a frame has no such picture
    missing_kinds: tuple[str, ...] = ()  # optional kinds stored before they existed


def load_fingerprints(db: Database, film_id: int) -> FilmFingerprints | None:
    rows = {
        r[0]: r
        for r in db.execute(
            "SELECT kind, step, frame_count, complete, crop_json FROM fingerprints "
            "WHERE film_id = ?",
            [film_id],
        ).fetchall()
    }
    if "phash" not in rows:
        return None
    count = min(rows[k][2] for k in rows)  # a crash between kinds: trust the shortest
    stored = _chunks(db, film_id)
    arrays: dict[str, Any] = {}
    missing = _missing_kinds(rows)
    for kind in KINDS:
        if kind not in rows and kind in OPTIONAL_KINDS:
            arrays[kind] = np.zeros(count, np.uint64)
            continue
        values = stored.get(kind, np.zeros(0, np.uint64))[:count]
        if kind in MEASURE_KINDS:
            arrays[kind] = (values.astype(np.float64) / MEASURE_KINDS[kind]).astype(np.float32)
        else:
            arrays[kind] = values
    head = rows["phash"]
    crop = json.loads(head[4]) if head[4] else None
    columns = [arrays.pop(k) for k in EXTRA_KINDS]
    extra = np.stack(columns, axis=1) if columns else np.zeros((count, 0), np.uint64)
    return FilmFingerprints(
        film_id, head[1], count, bool(head[3]), crop, **arrays, extra=extra, missing_kinds=missing
    )


def _missing_kinds(stored_kinds: Iterable[str]) -> tuple[str, ...]:
    kinds = set(stored_kinds)
    return tuple(k for k in OPTIONAL_KINDS if k not in kinds)


def _chunks(db: Database, film_id: int) -> dict[str, NDArray[np.uint64]]:
    """Every kind's chunks joined in frame order: one copy into one array per kind."""
    parts: dict[str, list[tuple[int, int, bytes]]] = {}
    ends: dict[str, int] = {}
    for kind, first, frames, blob in db.execute(
        "SELECT kind, first_frame, frames, hashes FROM fingerprint_chunks WHERE film_id = ? "
        "ORDER BY kind, first_frame",
        [film_id],
    ):
        n = frames if frames is not None else len(blob) // 8  # before schema 10: 8 bytes wide
        width, rest = divmod(len(blob), n) if n > 0 else (-1, 0)
        # append_fingerprints never leaves a gap or an overlap, nor a chunk of another width
        if first != ends.get(kind, 0) or rest or width not in CHUNK_WIDTHS:
            raise RuntimeError(f"fingerprints of film {film_id} ({kind}) jump at frame {first}")
        parts.setdefault(kind, []).append((n, width, blob))
        ends[kind] = first + n
    return {kind: _joined(chunks, ends[kind]) for kind, chunks in parts.items()}


def _joined(chunks: list[tuple[int, int, bytes]], total: int) -> NDArray[np.uint64]:
    """The chunks (frames, width, bytes) copied once into one writable array."""
    out = np.zeros(total, np.uint64)
    at = 0
    for n, width, blob in chunks:
        dtype = CHUNK_WIDTHS[width]
        if dtype is not None:
            out[at : at + n] = np.frombuffer(blob, dtype=dtype, count=n)
        at += n
    return out


@dataclass(frozen=True)
class StoredProgress:
    """How far a film's fingerprints got, read without loading them."""

    frame_count: int  # where a resumed pass starts: just after the last chunk
    complete: bool
    crop: list[int] | None
    missing_kinds: tuple[str, ...] = ()  # as FilmFingerprints says it


def stored_progress(db: Database, film_id: int) -> StoredProgress | None:
    rows = db.execute(
        "SELECT kind, frame_count, complete, crop_json FROM fingerprints WHERE film_id = ?",
        [film_id],
    ).fetchall()
    head = next((r for r in rows if r[0] == "phash"), None)
    if head is None:
        return None
    count = min(r[1] for r in rows)
    crop = json.loads(head[3]) if head[3] else None
    return StoredProgress(count, bool(head[2]), crop, _missing_kinds(r[0] for r in rows))


def start_fingerprints(
    db: Database, film_id: int, *, crop: list[int] | None, step: int = 1
) -> None:
    """Forget earlier fingerprints of the film and begin empty ones."""
    with db.atomic():
        db.execute("DELETE FROM fingerprint_chunks WHERE film_id = ?", [film_id])
        db.execute("DELETE FROM fingerprints WHERE film_id = ?", [film_id])
        for kind in KINDS:
            db.execute(
                "INSERT INTO fingerprints (film_id, kind, step, frame_count, complete, crop_json, "
                "updated_at) VALUES (?, ?, ?, 0, 0, ?, ?)",
                [film_id, kind, step, json.dumps(crop) if crop else None, now_iso()],
            )


def append_fingerprints(
    db: Database,
    film_id: int,
    start: int,
    values: dict[str, NDArray[Any]],
    *,
    complete: bool = False,
) -> int:
    """Append per-frame values for frames start.. (all kinds, same length); returns the count.

    One new chunk row per kind (as narrow as its values allow) and a small update of its
    count, in one transaction: the cost does not grow with what is already stored.
    """
    n = len(values["phash"])
    with db.atomic():
        present = {
            r[0] for r in db.execute("SELECT kind FROM fingerprints WHERE film_id = ?", [film_id])
        }
        stamp = now_iso()
        for kind in KINDS:
            if kind in OPTIONAL_KINDS and kind not in present:
                continue  # resuming a run started before this kind existed
            data = values[kind] if kind in values else np.zeros(n, np.uint64)
            if kind in MEASURE_KINDS:
                data = np.round(np.asarray(data, np.float64) * MEASURE_KINDS[kind]).astype(
                    np.uint64
                )
            # the count moves only from where this chunk starts: a second writer (or a replay
            # after a crash) that does not continue the stored frames changes nothing
            changed = db.execute(
                "UPDATE fingerprints SET frame_count = frame_count + ?, complete = ?, "
                "updated_at = ? WHERE film_id = ? AND kind = ? AND frame_count = ?",
                [n, int(complete), stamp, film_id, kind, start],
            ).rowcount
            if changed != 1:
                raise RuntimeError(f"fingerprints of film {film_id} do not end at frame {start}")
            if n == 0:
                continue
            db.execute(
                "INSERT INTO fingerprint_chunks (film_id, kind, first_frame, frames, hashes) "
                "VALUES (?, ?, ?, ?, ?)",
                [film_id, kind, start, n, to_chunk(np.asarray(data, np.uint64))],
            )
    return start + n


def mark_complete(db: Database, film_id: int) -> None:
    with db.atomic():
        db.execute("UPDATE fingerprints SET complete = 1 WHERE film_id = ?", [film_id])


def save_shots(db: Database, film_id: int, cuts: list[int], method: str) -> None:
    with db.atomic():
        db.execute(
            "INSERT OR REPLACE INTO shots (film_id, cuts_json, method, updated_at) VALUES (?, ?, ?, ?)",
            [film_id, json.dumps(cuts), method, now_iso()],
        )


def load_shots(db: Database, film_id: int) -> list[int] | None:
    row = db.execute("SELECT cuts_json FROM shots WHERE film_id = ?", [film_id]).fetchone()
    return json.loads(row[0]) if row else None


# ---- reference library ----------------------------------------------------------------


@dataclass(frozen=True)
class LibraryItem:
    id: int
    label: str
    source_note: str
    path: str
    sha256: str
    kind: str  # 'still' or 'clip'
    frame_count: int
    rate: Fraction | None
    hashes: NDArray[np.uint64]
    added_at: str
    variants: NDArray[np.uint64] | None = None  # K x N: the same frames as copies alter them
    variant_names: tuple[str, ...] = ()
    credentials: dict[str, Any] | None = None  # the added file's Content Credentials summary
    plain_frames: int | None = None  # frames too plain to be found (None: not measured)

    @property
    def too_plain(self) -> bool:
        """Whether the item is too plain for its copies to be found (fingerprint.mostly_plain)."""
        return mostly_plain(self.plain_frames, self.frame_count)


_ITEM_COLUMNS = (
    "id, label, source_note, path, sha256, kind, frame_count, rate_num, rate_den, hashes, added_at, "
    "variant_hashes, variant_names, credentials_json, plain_frames"
)


def _item(r: Any) -> LibraryItem:
    rate = Fraction(r[7], r[8]) if r[7] and r[8] else None
    hashes = from_blob(r[9])
    names = _variant_names(r[12])
    variants = None
    if r[11] and names and len(hashes):
        variants = from_blob(r[11]).reshape(len(names), len(hashes))
    credentials = json.loads(r[13]) if r[13] else None
    return LibraryItem(
        r[0],
        r[1],
        r[2],
        r[3],
        r[4],
        r[5],
        r[6],
        rate,
        hashes,
        r[10],
        variants,
        names,
        credentials,
        r[14],
    )


def library_item_by_sha256(db: Database, sha256: str) -> LibraryItem | None:
    row = db.execute(
        f"SELECT {_ITEM_COLUMNS} FROM library_items WHERE sha256 = ?", [sha256]
    ).fetchone()
    return _item(row) if row else None


def add_library_item(
    db: Database,
    *,
    label: str,
    source_note: str,
    path: str,
    sha256: str,
    kind: str,
    hashes: NDArray[np.uint64],
    rate: Fraction | None = None,
    variants: NDArray[np.uint64] | None = None,
    variant_names: tuple[str, ...] = (),
    credentials: dict[str, Any] | None = None,
    plain_frames: int | None = None,
) -> LibraryItem:
    rate_num, rate_den = (rate.numerator, rate.denominator) if rate else (None, None)
    if variants is not None and (len(variant_names) != len(variants)):
        raise ValueError("one name per variant row")
    with db.atomic():
        cur = db.execute(
            f"INSERT INTO library_items ({_ITEM_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                _next_item_id(db),
                label,
                source_note,
                path,
                sha256,
                kind,
                len(hashes),
                rate_num,
                rate_den,
                to_blob(hashes),
                now_iso(),
                to_blob(np.asarray(variants).reshape(-1)) if variants is not None else None,
                json.dumps(list(variant_names)) if variants is not None else None,
                json.dumps(credentials) if credentials else None,
                plain_frames,
            ],
        )
        item_id = int(cur.lastrowid or 0)
    return get_library_item(db, item_id)


def set_plain_frames(db: Database, item_id: int, plain_frames: int) -> LibraryItem:
    """Keep how many of an item's frames are too plain to be found (an item added before it
    was measured, added again)."""
    with db.atomic():
        db.execute(
            "UPDATE library_items SET plain_frames = ? WHERE id = ?", [plain_frames, item_id]
        )
    return get_library_item(db, item_id)


def get_library_item(db: Database, item_id: int) -> LibraryItem:
    row = db.execute(
        f"SELECT {_ITEM_COLUMNS} FROM library_items WHERE id = ?", [item_id]
    ).fetchone()
    if row is None:
        raise KeyError(item_id)
    return _item(row)


def library_items(db: Database) -> list[LibraryItem]:
    return [_item(r) for r in db.execute(f"SELECT {_ITEM_COLUMNS} FROM library_items ORDER BY id")]


def library_variant_names(db: Database) -> list[tuple[str, ...]]:
    """Each library item's variant names (as `LibraryItem.variant_names`), in item order,
    without reading its hashes."""
    rows = db.execute("SELECT variant_names FROM library_items ORDER BY id")
    return [_variant_names(r[0]) for r in rows]


def plain_library_labels(db: Database) -> list[str]:
    """The labels of the library items too plain for their copies to be found, in item
    order, without reading their hashes."""
    rows = db.execute("SELECT label, plain_frames, frame_count FROM library_items ORDER BY id")
    return [r[0] for r in rows if mostly_plain(r[1], r[2])]


@dataclass(frozen=True)
class LibraryRow:
    """One library item as a list shows it: its words and counts, not its hashes."""

    id: int
    label: str
    source_note: str
    path: str
    kind: str  # 'still' or 'clip'
    frame_count: int
    added_at: str
    too_plain: bool
    matches: int  # stored matches of films with it
    sha256: str


def library_rows(db: Database) -> list[LibraryRow]:
    """Every library item, in item order, with its stored matches counted, without reading
    its hashes (a clip's are megabytes)."""
    rows = db.execute(
        "SELECT l.id, l.label, l.source_note, l.path, l.kind, l.frame_count, l.added_at, "
        "l.plain_frames, (SELECT COUNT(*) FROM matches m WHERE m.library_item_id = l.id), "
        "l.sha256 FROM library_items l ORDER BY l.id"
    )
    return [
        LibraryRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], mostly_plain(r[7], r[5]), r[8], r[9])
        for r in rows
    ]


def library_count(db: Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM library_items").fetchone()[0])


# The highest item number ever given, kept when that item is removed: SQLite would give its
# number to the next item added, and "#3" in a jury's notes would name another file.
_LAST_ITEM = "library.last_item_id"


def _next_item_id(db: Database) -> int:
    row = db.execute(
        "SELECT MAX(COALESCE((SELECT MAX(id) FROM library_items), 0), "
        "COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?), 0))",
        [_LAST_ITEM],
    ).fetchone()
    return int(row[0]) + 1


def remove_library_item(db: Database, item_id: int) -> bool:
    """Take an item out of the library, with the stored matches of films with it (the
    schema's ON DELETE CASCADE); False when it was not there. Its number is not given again."""
    with db.atomic():
        last = _next_item_id(db) - 1
        cur = db.execute("DELETE FROM library_items WHERE id = ?", [item_id])
        if cur.rowcount:
            db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [_LAST_ITEM, str(last)],
            )
    return bool(cur.rowcount)


def _variant_names(stored: str | None) -> tuple[str, ...]:
    return tuple(json.loads(stored)) if stored else ()


# ---- matches ----------------------------------------------------------------------------

_MATCH_COLUMNS = (
    "library_item_id, start_frame, end_frame, item_start, item_end, median_distance, "
    "worst_distance, threshold, variant"
)


def replace_matches(db: Database, film_id: int, rows: list[dict[str, Any]]) -> None:
    """The film's matches as found by the latest run (earlier ones are replaced)."""
    with db.atomic():
        db.execute("DELETE FROM matches WHERE film_id = ?", [film_id])
        found = now_iso()
        for r in rows:
            db.execute(
                f"INSERT INTO matches (film_id, {_MATCH_COLUMNS}, found_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [film_id, *(r[c.strip()] for c in _MATCH_COLUMNS.split(",")), found],
            )


def load_matches(db: Database, film_id: int) -> list[dict[str, Any]]:
    cur = db.execute(
        f"SELECT id, {_MATCH_COLUMNS}, found_at FROM matches WHERE film_id = ? ORDER BY start_frame",
        [film_id],
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
