"""The project repository: services and the GUI read and edit a project only through here.

Methods return domain objects (critique_app.domain.model); each edit is one transaction,
committed at once. Annotations, tags, regions, relations and search live in
`db.annotation_store`.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import AbstractContextManager
from fractions import Fraction
from typing import Any

from sqlite_utils import Database

from critique_app.domain.model import (
    Category,
    Film,
    FrameRange,
    Marker,
    Seminar,
    SeminarItem,
    Tier,
    Vocabulary,
    now_iso,
)
from critique_app.errors import UserError
from db.annotation_store import AnnotationStore

_FILM_COLUMNS = (
    "id, title, path, sha256, size, rate_num, rate_den, frame_count, container, codec, width, "
    "height, rotation, duration, start_timecode, drop_frame, vfr, has_audio, probe_json, added_at"
)


_TIER_COLUMNS = (
    "name, author, color, visible, position, parent_id, linguistic_type, constraint_kind, "
    "vocabulary_key"
)


def _tier(r: Any) -> Tier:
    return Tier(
        id=r[0],
        name=r[1],
        author=r[2],
        color=r[3],
        visible=bool(r[4]),
        position=r[5],
        parent_id=r[6],
        linguistic_type=r[7],
        constraint=r[8],
        vocabulary_key=r[9],
    )


def _film(r: Any) -> Film:
    return Film(
        id=r[0],
        title=r[1],
        path=r[2],
        sha256=r[3],
        size=r[4],
        rate=Fraction(r[5], r[6]),
        frame_count=r[7],
        container=r[8],
        codec=r[9],
        width=r[10],
        height=r[11],
        rotation=r[12] or 0,
        duration=r[13],
        start_timecode=r[14],
        drop_frame=bool(r[15]),
        vfr=bool(r[16]),
        has_audio=bool(r[17]),
        probe_json=r[18],
        added_at=r[19],
    )


class Repository(AnnotationStore):
    def __init__(self, db: Database) -> None:
        self.db = db

    def atomic(self) -> AbstractContextManager[object]:
        """One transaction (a savepoint when nested): the undo stack wraps every edit in one."""
        return self.db.atomic()

    def _insert(self, sql: str, params: list[Any]) -> int:
        with self.db.atomic():
            return int(self.db.conn.execute(sql, params).lastrowid or 0)

    def _write(self, sql: str, params: list[Any]) -> int:
        with self.db.atomic():
            return int(self.db.conn.execute(sql, params).rowcount)

    # ---- films -----------------------------------------------------------------------

    def add_film(
        self,
        path: str,
        *,
        sha256: str,
        size: int,
        rate: Fraction,
        frame_count: int,
        title: str | None = None,
        container: str | None = None,
        codec: str | None = None,
        width: int | None = None,
        height: int | None = None,
        rotation: int = 0,
        duration: float | None = None,
        start_timecode: str | None = None,
        drop_frame: bool = False,
        vfr: bool = False,
        has_audio: bool = False,
        probe_json: str | None = None,
        film_id: int | None = None,
    ) -> Film:
        """Register a film by path and content hash, with what the probe found."""
        from pathlib import PurePath

        rate = Fraction(rate)
        new_id = self._insert(
            f"INSERT INTO films ({_FILM_COLUMNS}) VALUES ({', '.join('?' * 20)})",
            [
                film_id,
                title or PurePath(path).stem,
                str(path),
                sha256,
                size,
                rate.numerator,
                rate.denominator,
                frame_count,
                container,
                codec,
                width,
                height,
                rotation,
                duration,
                start_timecode,
                int(drop_frame),
                int(vfr),
                int(has_audio),
                probe_json,
                now_iso(),
            ],
        )
        return self.get_film(new_id)

    def films(self) -> list[Film]:
        return [
            _film(r) for r in self.db.conn.execute(f"SELECT {_FILM_COLUMNS} FROM films ORDER BY id")
        ]

    def get_film(self, film_id: int) -> Film:
        row = self.db.conn.execute(
            f"SELECT {_FILM_COLUMNS} FROM films WHERE id = ?", [film_id]
        ).fetchone()
        if row is None:
            raise UserError(f"Film {film_id} is not in this project.")
        return _film(row)

    def film_by_sha256(self, sha256: str) -> Film | None:
        row = self.db.conn.execute(
            f"SELECT {_FILM_COLUMNS} FROM films WHERE sha256 = ? ORDER BY id LIMIT 1", [sha256]
        ).fetchone()
        return _film(row) if row else None

    def set_film_path(self, film_id: int, path: str) -> Film:
        """Where the film is now (after the user moved or renamed it)."""
        self._write("UPDATE films SET path = ? WHERE id = ?", [str(path), film_id])
        return self.get_film(film_id)

    def rename_film(self, film_id: int, title: str) -> Film:
        self._write("UPDATE films SET title = ? WHERE id = ?", [title, film_id])
        return self.get_film(film_id)

    def delete_film(self, film_id: int) -> None:
        """Remove a film and everything anchored on it (annotations, markers...)."""
        self._write("DELETE FROM films WHERE id = ?", [film_id])

    # ---- tiers -----------------------------------------------------------------------

    def add_tier(
        self,
        name: str,
        *,
        author: str | None = None,
        color: str = "#4f8cc9",
        visible: bool = True,
        position: int | None = None,
        tier_id: int | None = None,
        parent_id: int | None = None,
        linguistic_type: str | None = None,
        constraint: str | None = None,
        vocabulary_key: str | None = None,
    ) -> Tier:
        name = name.strip()
        if not name:
            raise UserError("A tier needs a name.")
        if position is None:
            position = int(
                self.db.conn.execute("SELECT coalesce(max(position) + 1, 0) FROM tiers").fetchone()[
                    0
                ]
            )
        try:
            new_id = self._insert(
                f"INSERT INTO tiers (id, {_TIER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    tier_id,
                    name,
                    author,
                    color,
                    int(visible),
                    position,
                    parent_id,
                    linguistic_type,
                    constraint,
                    vocabulary_key,
                ],
            )
        except sqlite3.IntegrityError:
            raise UserError(f"There is already a tier named '{name}'.") from None
        return self.get_tier(new_id)

    def tiers(self) -> list[Tier]:
        return [
            _tier(r)
            for r in self.db.conn.execute(
                f"SELECT id, {_TIER_COLUMNS} FROM tiers ORDER BY position, id"
            )
        ]

    def get_tier(self, tier_id: int) -> Tier:
        row = self.db.conn.execute(
            f"SELECT id, {_TIER_COLUMNS} FROM tiers WHERE id = ?", [tier_id]
        ).fetchone()
        if row is None:
            raise UserError(f"Tier {tier_id} is not in this project.")
        return _tier(row)

    def tier_by_name(self, name: str) -> Tier | None:
        row = self.db.conn.execute("SELECT id FROM tiers WHERE name = ?", [name]).fetchone()
        return self.get_tier(row[0]) if row else None

    def update_tier(self, tier: Tier) -> Tier:
        if tier.id is None:
            raise ValueError("update_tier needs a stored tier.")
        try:
            self._write(
                "UPDATE tiers SET name = ?, author = ?, color = ?, visible = ?, position = ?, "
                "parent_id = ?, linguistic_type = ?, constraint_kind = ?, vocabulary_key = ? "
                "WHERE id = ?",
                [
                    tier.name,
                    tier.author,
                    tier.color,
                    int(tier.visible),
                    tier.position,
                    tier.parent_id,
                    tier.linguistic_type,
                    tier.constraint,
                    tier.vocabulary_key,
                    tier.id,
                ],
            )
        except sqlite3.IntegrityError:
            raise UserError(f"There is already a tier named '{tier.name}'.") from None
        return self.get_tier(tier.id)

    def delete_tier(self, tier_id: int) -> None:
        """Delete a tier and the annotations in it."""
        self._write("DELETE FROM tiers WHERE id = ?", [tier_id])

    # ---- vocabularies and categories -------------------------------------------------

    def save_vocabulary(self, vocabulary: Vocabulary, source_json: str | None = None) -> Vocabulary:
        """Add a vocabulary, or update the one with the same key (by category key).

        Categories missing from the new version are removed only when no annotation uses
        them: importing a vocabulary never strips a category off existing annotations.
        """
        with self.db.atomic():
            row = self.db.conn.execute(
                "SELECT id FROM vocabularies WHERE key = ?", [vocabulary.key]
            ).fetchone()
            if row is None:
                vocab_id = int(
                    self.db.conn.execute(
                        "INSERT INTO vocabularies (key, name, version, description, source_json, "
                        "external_file) VALUES (?, ?, ?, ?, ?, ?)",
                        [
                            vocabulary.key,
                            vocabulary.name,
                            vocabulary.version,
                            vocabulary.description,
                            source_json,
                            vocabulary.external_file,
                        ],
                    ).lastrowid
                    or 0
                )
            else:
                vocab_id = int(row[0])
                self.db.conn.execute(
                    "UPDATE vocabularies SET name = ?, version = ?, description = ?, "
                    "source_json = coalesce(?, source_json), "
                    "external_file = coalesce(?, external_file) WHERE id = ?",
                    [
                        vocabulary.name,
                        vocabulary.version,
                        vocabulary.description,
                        source_json,
                        vocabulary.external_file,
                        vocab_id,
                    ],
                )
            existing = {
                r[1]: r[0]
                for r in self.db.conn.execute(
                    "SELECT id, key FROM categories WHERE vocabulary_id = ?", [vocab_id]
                )
            }
            ids: dict[str, int] = {}
            for cat in vocabulary.categories:  # parents come before children in the file
                values = [
                    cat.label_en,
                    cat.label_fr,
                    cat.definition_en,
                    cat.definition_fr,
                    cat.color,
                    cat.position,
                    ids.get(cat.parent_key) if cat.parent_key else None,
                ]
                if cat.key in existing:
                    ids[cat.key] = existing[cat.key]
                    self.db.conn.execute(
                        "UPDATE categories SET label_en = ?, label_fr = ?, definition_en = ?, "
                        "definition_fr = ?, color = ?, position = ?, parent_id = ? WHERE id = ?",
                        [*values, existing[cat.key]],
                    )
                else:
                    ids[cat.key] = int(
                        self.db.conn.execute(
                            "INSERT INTO categories (label_en, label_fr, definition_en, definition_fr, "
                            "color, position, parent_id, vocabulary_id, key) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [*values, vocab_id, cat.key],
                        ).lastrowid
                        or 0
                    )
            for key, cat_id in existing.items():
                if key not in ids:
                    used = self.db.conn.execute(
                        "SELECT 1 FROM annotations WHERE category_id = ? LIMIT 1", [cat_id]
                    ).fetchone()
                    if not used:
                        self.db.conn.execute("DELETE FROM categories WHERE id = ?", [cat_id])
        return self.get_vocabulary(vocab_id)

    def vocabularies(self) -> list[Vocabulary]:
        return [
            self.get_vocabulary(r[0])
            for r in self.db.conn.execute("SELECT id FROM vocabularies ORDER BY id")
        ]

    def vocabulary_by_key(self, key: str) -> Vocabulary | None:
        row = self.db.conn.execute("SELECT id FROM vocabularies WHERE key = ?", [key]).fetchone()
        return self.get_vocabulary(row[0]) if row else None

    def get_vocabulary(self, vocabulary_id: int) -> Vocabulary:
        row = self.db.conn.execute(
            "SELECT id, key, name, version, description, external_file FROM vocabularies "
            "WHERE id = ?",
            [vocabulary_id],
        ).fetchone()
        if row is None:
            raise UserError(f"Vocabulary {vocabulary_id} is not in this project.")
        return Vocabulary(
            key=row[1],
            name=row[2],
            version=row[3],
            description=row[4],
            categories=tuple(self.categories(vocabulary_id)),
            id=row[0],
            external_file=row[5],
        )

    def vocabulary_source(self, vocabulary_id: int) -> str | None:
        row = self.db.conn.execute(
            "SELECT source_json FROM vocabularies WHERE id = ?", [vocabulary_id]
        ).fetchone()
        return row[0] if row else None

    def categories(self, vocabulary_id: int | None = None) -> list[Category]:
        """Categories, parents before children (depth-first, by position)."""
        rows = self.db.conn.execute(
            "SELECT c.id, c.vocabulary_id, c.key, c.label_en, c.label_fr, c.definition_en, "
            "c.definition_fr, p.key, c.color, c.position, c.parent_id FROM categories c "
            "LEFT JOIN categories p ON p.id = c.parent_id "
            + ("WHERE c.vocabulary_id = ? " if vocabulary_id is not None else "")
            + "ORDER BY c.vocabulary_id, c.position, c.id",
            [vocabulary_id] if vocabulary_id is not None else [],
        ).fetchall()
        by_parent: dict[tuple[int, int | None], list[Any]] = {}
        for r in rows:
            by_parent.setdefault((r[1], r[10]), []).append(r)
        ordered: list[Category] = []

        def walk(vocab: int, parent: int | None) -> None:
            for r in by_parent.get((vocab, parent), []):
                ordered.append(
                    Category(
                        id=r[0],
                        vocabulary_id=r[1],
                        key=r[2],
                        label_en=r[3],
                        label_fr=r[4],
                        definition_en=r[5],
                        definition_fr=r[6],
                        parent_key=r[7],
                        color=r[8],
                        position=r[9],
                    )
                )
                walk(vocab, r[0])

        for vocab in sorted({r[1] for r in rows}):
            walk(vocab, None)
        return ordered

    def get_category(self, category_id: int) -> Category | None:
        return next((c for c in self.categories() if c.id == category_id), None)

    def category_by_key(self, key: str, vocabulary_key: str | None = None) -> Category | None:
        for cat in self.categories():
            if cat.key == key and (
                vocabulary_key is None
                or self.get_vocabulary(cat.vocabulary_id or 0).key == vocabulary_key
            ):
                return cat
        return None

    # ---- markers ---------------------------------------------------------------------

    def add_marker(
        self, film_id: int, frame: int, label: str = "", color: str | None = None
    ) -> Marker:
        new_id = self._insert(
            "INSERT INTO markers (film_id, frame, label, color) VALUES (?, ?, ?, ?)",
            [film_id, frame, label, color],
        )
        return Marker(new_id, film_id, frame, label, color)

    def markers(self, film_id: int) -> list[Marker]:
        return [
            Marker(*r)
            for r in self.db.conn.execute(
                "SELECT id, film_id, frame, label, color FROM markers WHERE film_id = ? "
                "ORDER BY frame, id",
                [film_id],
            )
        ]

    def update_marker(self, marker: Marker) -> Marker:
        self._write(
            "UPDATE markers SET frame = ?, label = ?, color = ? WHERE id = ?",
            [marker.frame, marker.label, marker.color, marker.id],
        )
        return marker

    def delete_marker(self, marker_id: int) -> None:
        self._write("DELETE FROM markers WHERE id = ?", [marker_id])

    # ---- seminars --------------------------------------------------------------------

    def add_seminar(
        self, name: str, description: str = "", seminar_id: int | None = None
    ) -> Seminar:
        name = name.strip()
        if not name:
            raise UserError("A seminar needs a name.")
        try:
            new_id = self._insert(
                "INSERT INTO seminars (id, name, description, created_at) VALUES (?, ?, ?, ?)",
                [seminar_id, name, description, now_iso()],
            )
        except sqlite3.IntegrityError:
            raise UserError(f"There is already a seminar named '{name}'.") from None
        return self.get_seminar(new_id)

    def seminars(self) -> list[Seminar]:
        return [
            Seminar(*r)
            for r in self.db.conn.execute(
                "SELECT id, name, description, created_at FROM seminars ORDER BY name"
            )
        ]

    def get_seminar(self, seminar_id: int) -> Seminar:
        row = self.db.conn.execute(
            "SELECT id, name, description, created_at FROM seminars WHERE id = ?", [seminar_id]
        ).fetchone()
        if row is None:
            raise UserError(f"Seminar {seminar_id} is not in this project.")
        return Seminar(*row)

    def seminar_by_name(self, name: str) -> Seminar | None:
        row = self.db.conn.execute("SELECT id FROM seminars WHERE name = ?", [name]).fetchone()
        return self.get_seminar(row[0]) if row else None

    def rename_seminar(self, seminar_id: int, name: str, description: str | None = None) -> Seminar:
        """New name (and description, when given) for a seminar; names stay unique."""
        name = name.strip()
        if not name:
            raise UserError("A seminar needs a name.")
        try:
            self._write(
                "UPDATE seminars SET name = ?, description = coalesce(?, description) WHERE id = ?",
                [name, description, seminar_id],
            )
        except sqlite3.IntegrityError:
            raise UserError(f"There is already a seminar named '{name}'.") from None
        return self.get_seminar(seminar_id)

    def delete_seminar(self, seminar_id: int) -> None:
        self._write("DELETE FROM seminars WHERE id = ?", [seminar_id])

    def add_seminar_item(
        self,
        seminar_id: int,
        film_id: int,
        frames: FrameRange,
        *,
        annotation_id: int | None = None,
        prompt: str = "",
        notes: str = "",
        position: int | None = None,
        item_id: int | None = None,
    ) -> SeminarItem:
        """Add a passage to a seminar, at the end unless a position is given.

        `item_id` restores a removed item under its old id (undo keeps later commands valid).
        """
        with self.db.atomic():
            if position is None:
                position = int(
                    self.db.conn.execute(
                        "SELECT coalesce(max(position) + 1, 0) FROM seminar_items WHERE seminar_id = ?",
                        [seminar_id],
                    ).fetchone()[0]
                )
            else:
                self.db.conn.execute(
                    "UPDATE seminar_items SET position = position + 1 "
                    "WHERE seminar_id = ? AND position >= ?",
                    [seminar_id, position],
                )
            new_id = int(
                self.db.conn.execute(
                    "INSERT INTO seminar_items (id, seminar_id, position, annotation_id, film_id, "
                    "start_frame, end_frame, prompt, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        item_id,
                        seminar_id,
                        position,
                        annotation_id,
                        film_id,
                        frames.start,
                        frames.end,
                        prompt,
                        notes,
                    ],
                ).lastrowid
                or 0
            )
        return SeminarItem(
            new_id, seminar_id, position, film_id, frames, annotation_id, prompt, notes
        )

    def seminar_links(self, annotation_id: int) -> list[int]:
        """Seminar items that show this annotation (deleting it unlinks them)."""
        return [
            r[0]
            for r in self.db.conn.execute(
                "SELECT id FROM seminar_items WHERE annotation_id = ? ORDER BY id", [annotation_id]
            )
        ]

    def link_seminar_items(self, item_ids: list[int], annotation_id: int) -> None:
        with self.db.atomic():
            self.db.conn.executemany(
                "UPDATE seminar_items SET annotation_id = ? WHERE id = ?",
                [(annotation_id, i) for i in item_ids],
            )

    def seminar_of_item(self, item_id: int) -> int:
        """The id of the seminar that holds this item."""
        row = self.db.conn.execute(
            "SELECT seminar_id FROM seminar_items WHERE id = ?", [item_id]
        ).fetchone()
        if row is None:
            raise UserError(f"Seminar item {item_id} is not in this project.")
        return int(row[0])

    def seminar_items(self, seminar_id: int) -> list[SeminarItem]:
        return [
            SeminarItem(r[0], r[1], r[2], r[3], FrameRange(r[4], r[5]), r[6], r[7], r[8])
            for r in self.db.conn.execute(
                "SELECT id, seminar_id, position, film_id, start_frame, end_frame, "
                "annotation_id, prompt, notes FROM seminar_items WHERE seminar_id = ? "
                "ORDER BY position, id",
                [seminar_id],
            )
        ]

    def update_seminar_item(self, item: SeminarItem) -> SeminarItem:
        self._write(
            "UPDATE seminar_items SET start_frame = ?, end_frame = ?, prompt = ?, "
            "notes = ?, annotation_id = ? WHERE id = ?",
            [
                item.range.start,
                item.range.end,
                item.prompt,
                item.notes,
                item.annotation_id,
                item.id,
            ],
        )
        return item

    def move_seminar_item(self, item_id: int, position: int) -> list[SeminarItem]:
        """Move a passage to another place in its seminar; returns the new order."""
        row = self.db.conn.execute(
            "SELECT seminar_id FROM seminar_items WHERE id = ?", [item_id]
        ).fetchone()
        if row is None:
            raise UserError(f"Seminar item {item_id} is not in this project.")
        items = [i.id for i in self.seminar_items(row[0]) if i.id != item_id]
        items.insert(max(0, min(position, len(items))), item_id)
        with self.db.atomic():
            self.db.conn.executemany(
                "UPDATE seminar_items SET position = ? WHERE id = ?", list(enumerate(items))
            )
        return self.seminar_items(row[0])

    def delete_seminar_item(self, item_id: int) -> None:
        self._write("DELETE FROM seminar_items WHERE id = ?", [item_id])

    # ---- settings --------------------------------------------------------------------

    def setting(self, key: str, default: Any = None) -> Any:
        row = self.db.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any) -> None:
        self._write(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, json.dumps(value)],
        )
