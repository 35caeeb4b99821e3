"""A teacher merges students' project files into one project, losing nothing.

Films are matched by SHA-256, tiers by name, categories by vocabulary and key, annotations
by uuid. An identical annotation is recognised as a duplicate; a different edit of the same
annotation is kept beside the original and flagged (`conflict_of`). Every source is read
(from a private copy, so even an older file is never modified) and checked before the
target changes, and the whole merge is one transaction.
"""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from critique_app.digest import sha256_file
from critique_app.domain.model import (
    Annotation,
    Category,
    Film,
    Marker,
    Relation,
    Seminar,
    SeminarItem,
    Tier,
    Vocabulary,
    new_uuid,
)
from critique_app.errors import UserError
from critique_app.i18n import _, ngettext
from critique_app.progress import NO_PROGRESS, Progress
from db.merge_log import merged_at, record_merge
from db.project import Project, open_project
from db.schema import latest_version


@dataclass
class SourceProject:
    """Everything read from one student's file, as domain objects."""

    path: Path
    sha256: str
    films: list[Film]
    tiers: list[Tier]
    vocabularies: list[Vocabulary]
    annotations: list[Annotation]
    relations: list[Relation]
    markers: list[Marker]
    seminars: list[tuple[Seminar, list[SeminarItem]]]

    @property
    def authors(self) -> list[str]:
        return sorted({a.author for a in self.annotations if a.author})


@dataclass
class MergeSummary:
    sources: int = 0
    authors: list[str] = field(default_factory=list)
    films_matched: int = 0
    films_added: int = 0
    tiers_added: int = 0
    categories_added: int = 0
    annotations_added: int = 0
    duplicates: int = 0
    conflicts: int = 0
    relations_added: int = 0
    markers_added: int = 0
    seminar_items_added: int = 0
    already_merged: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def sentence(self) -> str:
        # Each clause counts its own things (a language agrees each with its number).
        projects = ngettext("Merged {count} project", "Merged {count} projects", self.sources)
        projects = projects.format(count=self.sources)
        if self.authors:
            projects = _("{merged} (authors: {authors})").format(
                merged=projects, authors=", ".join(self.authors)
            )
        clauses = (
            ngettext(
                "{count} annotation added", "{count} annotations added", self.annotations_added
            ).format(count=self.annotations_added),
            ngettext(
                "{count} exact duplicate recognised",
                "{count} exact duplicates recognised",
                self.duplicates,
            ).format(count=self.duplicates),
            ngettext(
                "{count} conflicting edit kept side by side and flagged",
                "{count} conflicting edits kept side by side and flagged",
                self.conflicts,
            ).format(count=self.conflicts),
            ngettext(
                "{count} film matched by content, {new} new",
                "{count} films matched by content, {new} new",
                self.films_matched,
            ).format(count=self.films_matched, new=self.films_added),
            ngettext("{count} relation", "{count} relations", self.relations_added).format(
                count=self.relations_added
            ),
            ngettext("{count} new tier", "{count} new tiers", self.tiers_added).format(
                count=self.tiers_added
            ),
        )
        text = _("{merged}: {added}, {duplicates}, {conflicts}; {films}; {relations}, {tiers}.")
        text = text.format(
            merged=projects,
            added=clauses[0],
            duplicates=clauses[1],
            conflicts=clauses[2],
            films=clauses[3],
            relations=clauses[4],
            tiers=clauses[5],
        )
        if self.already_merged:
            text += " " + _("Already merged before: {names}.").format(
                names=", ".join(self.already_merged)
            )
        return text


def read_source(path: str | Path) -> SourceProject:
    """Read a student's project without touching it; UserError when it cannot be merged."""
    path = Path(path)
    if not path.is_file():
        raise UserError(_("{path} does not exist or is not a file.").format(path=path))
    with tempfile.TemporaryDirectory(prefix="critique-merge-") as tmp:
        copy = Path(tmp) / "source.critique"
        try:
            # The backup API copies a consistent snapshot, WAL content included.
            src = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                version = int(src.execute("PRAGMA user_version").fetchone()[0])
                if version > latest_version():
                    raise UserError(
                        _(
                            "{path} was saved by a newer version of Critique (project format {version}; this "
                            "version reads up to {latest}). Update Critique to merge it."
                        ).format(path=path, version=version, latest=latest_version())
                    )
                dst = sqlite3.connect(copy)
                src.backup(dst)
                dst.close()
            finally:
                src.close()
        except sqlite3.DatabaseError as err:
            # SQLite reads the header itself: opening the file here could drop this process's
            # locks on it (see db.project.open_project).
            if "not a database" in str(err):
                raise UserError(
                    _(
                        "{path} is not a Critique project: it is not an SQLite database file."
                    ).format(path=path)
                ) from None
            raise UserError(
                _("{path} cannot be merged: it is damaged or not a project ({reason}).").format(
                    path=path, reason=err
                )
            ) from None
        try:
            project = open_project(copy, default_vocabulary=False)
        except UserError as err:  # name the student's file, not the private copy
            raise UserError(str(err).replace(str(copy), str(path))) from None
        with project:
            repo = project.repo
            films = repo.films()
            return SourceProject(
                path=path,
                sha256=sha256_file(path),
                films=films,
                tiers=repo.tiers(),
                vocabularies=repo.vocabularies(),
                annotations=repo.annotations(),
                relations=repo.relations(),
                markers=[m for f in films for m in repo.markers(f.id or 0)],
                seminars=[(s, repo.seminar_items(s.id or 0)) for s in repo.seminars()],
            )


class _Merger:
    """Maps one source's ids onto the target's, adding what is missing."""

    def __init__(self, target: Project, summary: MergeSummary) -> None:
        self.repo = target.repo
        self.summary = summary
        self.category_keys = {c.id: (c.vocabulary_id, c.key) for c in self.repo.categories()}

    def _signature(
        self, a: Annotation, film_sha: str, tier_name: str, category: tuple[str, str] | None
    ) -> tuple[Any, ...]:
        """What makes two annotations the same, independent of row ids and of times."""
        return (
            a.range,
            a.tags,
            a.note,
            a.status,
            a.confidence,
            a.evidence,
            a.author,
            a.regions,
            a.anchor_hashes,
            a.start_pts,
            a.end_pts,
            a.value,
            a.parent_uuid,
            film_sha,
            tier_name,
            category,
        )

    def _target_signature(self, a: Annotation) -> tuple[Any, ...]:
        film = self.repo.get_film(a.film_id)
        tier = self.repo.get_tier(a.tier_id)
        cat = self.repo.get_category(a.category_id) if a.category_id else None
        category = None
        if cat is not None:
            category = (self.repo.get_vocabulary(cat.vocabulary_id or 0).key, cat.key)
        return self._signature(a, film.sha256, tier.name, category)

    def merge(self, source: SourceProject) -> None:
        s = self.summary
        film_map: dict[int, int] = {}
        film_sha = {f.id: f.sha256 for f in source.films}
        for film in source.films:
            known = self.repo.film_by_sha256(film.sha256)
            if known is not None:
                s.films_matched += 1
                film_map[film.id or 0] = known.id or 0
            else:
                added = self.repo.add_film(
                    film.path,
                    sha256=film.sha256,
                    size=film.size,
                    rate=film.rate,
                    frame_count=film.frame_count,
                    title=film.title,
                    container=film.container,
                    codec=film.codec,
                    width=film.width,
                    height=film.height,
                    rotation=film.rotation,
                    duration=film.duration,
                    start_timecode=film.start_timecode,
                    drop_frame=film.drop_frame,
                    vfr=film.vfr,
                    has_audio=film.has_audio,
                    probe_json=film.probe_json,
                )
                s.films_added += 1
                film_map[film.id or 0] = added.id or 0
        tier_map: dict[int, int] = {}
        tier_name = {t.id: t.name for t in source.tiers}
        # Parents before children (ELAN hierarchy), so a child's parent is already mapped.
        depth = {t.id: 0 for t in source.tiers}
        parents = {t.id: t.parent_id for t in source.tiers}
        for t in source.tiers:
            seen, up = {t.id}, parents.get(t.id)
            while up is not None and up not in seen:
                depth[t.id] += 1
                seen.add(up)
                up = parents.get(up)
        for tier in sorted(source.tiers, key=lambda t: depth[t.id]):
            known_tier = self.repo.tier_by_name(tier.name)
            if known_tier is None:
                known_tier = self.repo.add_tier(
                    tier.name,
                    author=tier.author,
                    color=tier.color,
                    visible=tier.visible,
                    parent_id=tier_map.get(tier.parent_id or -1),
                    linguistic_type=tier.linguistic_type,
                    constraint=tier.constraint,
                    vocabulary_key=tier.vocabulary_key,
                )
                s.tiers_added += 1
            tier_map[tier.id or 0] = known_tier.id or 0
        category_map, category_key = self._merge_vocabularies(source.vocabularies)

        annotation_map: dict[int, int] = {}
        for a in source.annotations:
            signature = self._signature(
                a, film_sha[a.film_id], tier_name[a.tier_id], category_key.get(a.category_id or -1)
            )
            mapped = replace(
                a,
                id=None,
                film_id=film_map[a.film_id],
                tier_id=tier_map[a.tier_id],
                category_id=category_map.get(a.category_id or -1),
            )
            same = self.repo.annotation_by_uuid(a.uuid)
            if same is None:
                stored = self.repo.add_annotation(mapped)
                s.annotations_added += 1
            elif self._target_signature(same) == signature:
                stored = same
                s.duplicates += 1
            else:
                # Another edit of the same annotation: keep both; the copy says which one.
                earlier = [
                    c
                    for c in self.repo.annotations(conflicts_only=True)
                    if c.conflict_of == a.uuid and self._target_signature(c) == signature
                ]
                if earlier:
                    stored = earlier[0]
                    s.duplicates += 1
                else:
                    stored = self.repo.add_annotation(
                        replace(mapped, uuid=new_uuid(), conflict_of=a.uuid)
                    )
                    s.conflicts += 1
            annotation_map[a.id or 0] = stored.id or 0

        for rel in source.relations:
            src, dst = annotation_map[rel.source_id], annotation_map[rel.target_id]
            if not any(
                r.target_id == dst and r.source_id == src and r.kind == rel.kind
                for r in self.repo.relations(src)
            ):
                self.repo.add_relation(src, dst, rel.kind)
                s.relations_added += 1
        for marker in source.markers:
            film_id = film_map[marker.film_id]
            if not any(
                m.frame == marker.frame and m.label == marker.label
                for m in self.repo.markers(film_id)
            ):
                self.repo.add_marker(film_id, marker.frame, marker.label, marker.color)
                s.markers_added += 1
        for seminar, items in source.seminars:
            target = self.repo.seminar_by_name(seminar.name) or self.repo.add_seminar(
                seminar.name, seminar.description
            )
            existing = self.repo.seminar_items(target.id or 0)
            for item in items:
                film_id = film_map[item.film_id]
                ann = annotation_map.get(item.annotation_id) if item.annotation_id else None
                if not any(
                    e.film_id == film_id and e.range == item.range and e.prompt == item.prompt
                    for e in existing
                ):
                    self.repo.add_seminar_item(
                        target.id or 0,
                        film_id,
                        item.range,
                        annotation_id=ann,
                        prompt=item.prompt,
                        notes=item.notes,
                    )
                    s.seminar_items_added += 1

    def _merge_vocabularies(
        self, vocabularies: list[Vocabulary]
    ) -> tuple[dict[int, int], dict[int, tuple[str, str]]]:
        category_map: dict[int, int] = {}
        category_key: dict[int, tuple[str, str]] = {}
        for vocab in vocabularies:
            present = self.repo.vocabulary_by_key(vocab.key)
            known = {c.key for c in present.categories} if present else set()
            missing = [c for c in vocab.categories if c.key not in known]
            if missing or present is None:
                # The union keeps every category the target has; its labels win.
                base = list(present.categories) if present else []
                union = Vocabulary(
                    vocab.key,
                    present.name if present else vocab.name,
                    present.version if present else vocab.version,
                    present.description if present else vocab.description,
                    tuple(_parents_first(base + missing)),
                )
                present = self.repo.save_vocabulary(union)
                self.summary.categories_added += len(missing)
            by_key = {c.key: c.id for c in present.categories}
            for cat in vocab.categories:
                category_map[cat.id or 0] = by_key[cat.key] or 0
                category_key[cat.id or 0] = (vocab.key, cat.key)
        return category_map, category_key


def _parents_first(categories: list[Category]) -> list[Category]:
    keys = {c.key for c in categories}
    done: set[str] = set()
    ordered: list[Category] = []
    pending = list(categories)
    while pending:
        rest = []
        for c in pending:
            if c.parent_key is None or c.parent_key in done or c.parent_key not in keys:
                ordered.append(c)
                done.add(c.key)
            else:
                rest.append(c)
        if len(rest) == len(pending):
            ordered.extend(rest)
            break
        pending = rest
    return ordered


def merge_projects(
    target: Project, sources: list[str | Path], progress: Progress = NO_PROGRESS
) -> MergeSummary:
    """Merge students' project files into `target`; nothing changes unless all can be read."""
    if not sources:
        raise UserError(_("Choose at least one project file to merge."))
    loaded = []
    for number, path in enumerate(sources):
        progress.update(number, len(sources) * 2, _("Reading {name}").format(name=Path(path).name))
        if target.path is not None and Path(path).resolve() == target.path.resolve():
            raise UserError(
                _("{path} is the project being merged into; choose other files.").format(path=path)
            )
        loaded.append(read_source(path))
    summary = MergeSummary(sources=len(loaded))
    merger = _Merger(target, summary)
    with target.db.atomic():
        for number, source in enumerate(loaded):
            progress.update(
                len(sources) + number,
                len(sources) * 2,
                _("Merging {name}").format(name=source.path.name),
            )
            when = merged_at(target.db, source.sha256)
            if when is not None:
                summary.already_merged.append(f"{source.path.name} ({when})")
            merger.merge(source)
            record_merge(
                target.db, str(source.path), source.sha256, source.authors, summary.to_json()
            )
    summary.authors = sorted({a for s in loaded for a in s.authors})
    progress.update(len(sources) * 2, len(sources) * 2, _("Merged"))
    return summary


def merge_files(
    target_path: str | Path, sources: list[str | Path], progress: Progress = NO_PROGRESS
) -> MergeSummary:
    """Open (or create) the teacher's project and merge the students' files into it."""
    with open_project(target_path) as target:
        return merge_projects(target, sources, progress)
