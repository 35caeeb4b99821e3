"""Every edit of annotations, relations and tiers as a named, undoable command, plus the UndoStack.

Commands work on any repository with the `EditableProject` methods (db.repository.Repository
in the app, anything equivalent in tests), so the GUI, the command line and tests share one
undo history. Each do/undo returns a `Change`: what to redraw, nothing more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from critique_app.domain.model import (
    Annotation,
    FrameRange,
    Region,
    Relation,
    Tier,
    normalise_tags,
)
from critique_app.i18n import N_, _

Ref = tuple[str, int]  # ("annotation", 12), ("tier", 3), ("relation", 5)


class EditableProject(Protocol):
    """The repository methods commands need (db.repository.Repository provides them)."""

    def get_annotation(self, annotation_id: int) -> Annotation: ...
    def add_annotation(self, a: Annotation) -> Annotation: ...
    def update_annotation(self, a: Annotation) -> Annotation: ...
    def delete_annotation(self, annotation_id: int) -> None: ...
    def annotations(self, *, tier_ids: Iterable[int] | None = None) -> list[Annotation]: ...
    def relations(self, annotation_id: int | None = None) -> list[Relation]: ...
    def add_relation(
        self, source_id: int, target_id: int, kind: str, relation_id: int | None = None
    ) -> Relation: ...
    def delete_relation(self, relation_id: int) -> None: ...
    def seminar_links(self, annotation_id: int) -> list[int]: ...
    def link_seminar_items(self, item_ids: list[int], annotation_id: int) -> None: ...
    def get_tier(self, tier_id: int) -> Tier: ...
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
    ) -> Tier: ...
    def update_tier(self, tier: Tier) -> Tier: ...
    def delete_tier(self, tier_id: int) -> None: ...
    def atomic(self) -> AbstractContextManager[object]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        ...


@dataclass(frozen=True)
class Change:
    """What one do/undo/redo changed, so views redraw only that."""

    label: str
    added: tuple[Ref, ...] = ()
    modified: tuple[Ref, ...] = ()
    removed: tuple[Ref, ...] = ()

    def refs(self) -> set[Ref]:
        return set(self.added) | set(self.modified) | set(self.removed)

    def inverted(self) -> Change:
        return Change(self.label, added=self.removed, modified=self.modified, removed=self.added)


class Command:
    """One user edit. `do` runs it (again, for redo); `undo` puts everything back."""

    label = N_("Edit")

    def do(self, repo: EditableProject) -> Change:
        raise NotImplementedError

    def undo(self, repo: EditableProject) -> Change:
        raise NotImplementedError

    def merge(self, newer: Command) -> bool:
        """Absorb a newer command (e.g. more typing in the same note); False when unrelated."""
        return False


# ---- annotations -------------------------------------------------------------------------


@dataclass
class _Removed:
    """An annotation as it was before deletion, with what deletion takes along."""

    annotation: Annotation
    relations: list[Relation]
    seminar_items: list[int]


def _capture(repo: EditableProject, annotation_id: int) -> _Removed:
    return _Removed(
        repo.get_annotation(annotation_id),
        repo.relations(annotation_id),
        repo.seminar_links(annotation_id),
    )


def _restore(repo: EditableProject, removed: list[_Removed]) -> None:
    for item in removed:
        repo.add_annotation(item.annotation)  # same id and uuid as before
    seen: set[int] = set()
    for item in removed:  # relations once every end is back
        for rel in item.relations:
            if rel.id not in seen:
                seen.add(rel.id or 0)
                repo.add_relation(rel.source_id, rel.target_id, rel.kind, relation_id=rel.id)
        if item.seminar_items:
            repo.link_seminar_items(item.seminar_items, item.annotation.id or 0)


@dataclass
class CreateAnnotation(Command):
    annotation: Annotation
    label: str = N_("New annotation")
    _stored: Annotation | None = field(default=None, repr=False)

    def do(self, repo: EditableProject) -> Change:
        # Redo re-creates it with the same id, so later commands still find it.
        self._stored = repo.add_annotation(self._stored or self.annotation)
        return Change(self.label, added=(("annotation", self._stored.id or 0),))

    def undo(self, repo: EditableProject) -> Change:
        assert self._stored is not None
        repo.delete_annotation(self._stored.id or 0)
        return Change(self.label, removed=(("annotation", self._stored.id or 0),))

    @property
    def annotation_id(self) -> int | None:
        return self._stored.id if self._stored else None


@dataclass
class CreateAnnotations(Command):
    """Several new annotations and the relations between them as one step (annotations moved
    onto another copy of a film); undo removes them all. `links` index into `annotations`."""

    annotations: list[Annotation]
    links: list[tuple[int, int, str]] = field(default_factory=list)
    label: str = N_("New annotations")
    created: list[Annotation] = field(default_factory=list, repr=False)
    _relations: list[Relation] = field(default_factory=list, repr=False)

    def do(self, repo: EditableProject) -> Change:
        # Redo re-creates them with the same ids, so later commands still find them.
        todo = self.created or self.annotations
        old = {(r.source_id, r.target_id, r.kind): r.id for r in self._relations}
        self.created, self._relations = [], []
        try:
            for a in todo:
                self.created.append(repo.add_annotation(a))
            for i, j, kind in self.links:
                s, t = self.created[i].id or 0, self.created[j].id or 0
                self._relations.append(
                    repo.add_relation(s, t, kind, relation_id=old.get((s, t, kind)))
                )
        except Exception:  # all or nothing: take back what was already made
            for made in reversed(self.created):
                repo.delete_annotation(made.id or 0)
            self.created = [] if todo is self.annotations else list(todo)
            raise
        return Change(
            self.label,
            added=(
                *(("annotation", a.id or 0) for a in self.created),
                *(("relation", r.id or 0) for r in self._relations),
            ),
        )

    def undo(self, repo: EditableProject) -> Change:
        for a in reversed(self.created):
            repo.delete_annotation(a.id or 0)  # their relations go with them
        return Change(
            self.label,
            removed=(
                *(("annotation", a.id or 0) for a in self.created),
                *(("relation", r.id or 0) for r in self._relations),
            ),
        )


@dataclass
class ImportedAnnotations(Command):
    """Annotations an import has already stored, batch by batch in its own transaction (see
    UndoStack.record), known by their ids only: the 500,000 cues of a large subtitle file held
    for a redo would not fit in memory. Undo reads them back before removing them, so that
    redo puts them back with the same ids."""

    ids: Sequence[int]
    label: str = N_("Import annotations")
    _removed: list[Annotation] = field(default_factory=list, repr=False)

    @property
    def change(self) -> Change:
        return Change(self.label, added=tuple(("annotation", i) for i in self.ids))

    def do(self, repo: EditableProject) -> Change:
        for a in self._removed:  # a redo: stored again with their ids
            repo.add_annotation(a)
        self._removed = []
        return self.change

    def undo(self, repo: EditableProject) -> Change:
        self._removed = [repo.get_annotation(i) for i in self.ids]
        for i in reversed(self.ids):
            repo.delete_annotation(i)
        return self.change.inverted()


@dataclass
class EditAnnotation(Command):
    """Change some fields of one annotation (range, tags, note, status, category, regions...)."""

    annotation_id: int
    changes: dict[str, Any]
    label: str = N_("Edit annotation")
    mergeable: bool = False
    _before: Annotation | None = field(default=None, repr=False)
    _after: Annotation | None = field(default=None, repr=False)

    def do(self, repo: EditableProject) -> Change:
        if self._after is None:
            self._before = repo.get_annotation(self.annotation_id)
            self._after = self._before.with_changes(**self.changes)
        repo.update_annotation(self._after)
        return Change(self.label, modified=(("annotation", self.annotation_id),))

    def undo(self, repo: EditableProject) -> Change:
        assert self._before is not None
        repo.update_annotation(self._before)
        return Change(self.label, modified=(("annotation", self.annotation_id),))

    def merge(self, newer: Command) -> bool:
        if (
            self.mergeable
            and isinstance(newer, EditAnnotation)
            and newer.mergeable
            and newer.annotation_id == self.annotation_id
            and set(newer.changes) == set(self.changes)
            and newer._after is not None
        ):
            self.changes = dict(newer.changes)
            self._after = newer._after
            return True
        return False


def change_range(annotation_id: int, frames: FrameRange, **pts: Any) -> EditAnnotation:
    """New in/out frames (and their exact PTS, when known: start_pts=..., end_pts=...)."""
    # the anchor fingerprints belong to the old in/middle/out frames: recomputed later
    return EditAnnotation(
        annotation_id, {"range": frames, "anchor_hashes": None, **pts}, N_("Change range")
    )


def set_tags(annotation_id: int, tags: Iterable[str]) -> EditAnnotation:
    return EditAnnotation(annotation_id, {"tags": normalise_tags(list(tags))}, N_("Change tags"))


def set_note(annotation_id: int, note: str, *, typing: bool = False) -> EditAnnotation:
    """A new note; `typing=True` folds consecutive keystrokes into one undo step."""
    return EditAnnotation(annotation_id, {"note": note}, N_("Edit note"), mergeable=typing)


def set_value(annotation_id: int, value: str, *, typing: bool = False) -> EditAnnotation:
    """A new value (the annotator's own text, as in ELAN); typing folds into one step."""
    return EditAnnotation(annotation_id, {"value": value}, N_("Edit value"), mergeable=typing)


def set_status(annotation_id: int, status: str) -> EditAnnotation:
    return EditAnnotation(annotation_id, {"status": status}, N_("Change status"))


def set_confidence(annotation_id: int, confidence: str) -> EditAnnotation:
    return EditAnnotation(annotation_id, {"confidence": confidence}, N_("Change confidence"))


def set_category(annotation_id: int, category_id: int | None) -> EditAnnotation:
    return EditAnnotation(annotation_id, {"category_id": category_id}, N_("Change category"))


def set_regions(
    annotation_id: int, regions: Iterable[Region], label: str = N_("Change regions")
) -> EditAnnotation:
    return EditAnnotation(annotation_id, {"regions": tuple(regions)}, label)


def move_to_tier(annotation_id: int, tier_id: int) -> EditAnnotation:
    return EditAnnotation(annotation_id, {"tier_id": tier_id}, N_("Move to tier"))


@dataclass
class DeleteAnnotation(Command):
    annotation_id: int
    label: str = N_("Delete annotation")
    _removed: _Removed | None = field(default=None, repr=False)

    def do(self, repo: EditableProject) -> Change:
        self._removed = _capture(repo, self.annotation_id)
        repo.delete_annotation(self.annotation_id)
        rels = tuple(("relation", r.id or 0) for r in self._removed.relations)
        return Change(self.label, removed=(("annotation", self.annotation_id), *rels))

    def undo(self, repo: EditableProject) -> Change:
        assert self._removed is not None
        _restore(repo, [self._removed])
        rels = tuple(("relation", r.id or 0) for r in self._removed.relations)
        return Change(self.label, added=(("annotation", self.annotation_id), *rels))


# ---- relations ---------------------------------------------------------------------------


@dataclass
class AddRelation(Command):
    source_id: int
    target_id: int
    kind: str
    label: str = N_("Relate annotations")
    _relation: Relation | None = field(default=None, repr=False)

    def do(self, repo: EditableProject) -> Change:
        self._relation = repo.add_relation(
            self.source_id,
            self.target_id,
            self.kind,
            relation_id=self._relation.id if self._relation else None,
        )
        return Change(
            self.label,
            added=(("relation", self._relation.id or 0),),
            modified=(("annotation", self.source_id), ("annotation", self.target_id)),
        )

    def undo(self, repo: EditableProject) -> Change:
        assert self._relation is not None
        repo.delete_relation(self._relation.id or 0)
        return Change(
            self.label,
            removed=(("relation", self._relation.id or 0),),
            modified=(("annotation", self.source_id), ("annotation", self.target_id)),
        )


@dataclass
class RemoveRelation(Command):
    relation: Relation
    label: str = N_("Remove relation")

    def do(self, repo: EditableProject) -> Change:
        repo.delete_relation(self.relation.id or 0)
        return Change(self.label, removed=(("relation", self.relation.id or 0),))

    def undo(self, repo: EditableProject) -> Change:
        r = self.relation
        repo.add_relation(r.source_id, r.target_id, r.kind, relation_id=r.id)
        return Change(self.label, added=(("relation", r.id or 0),))


# ---- tiers -------------------------------------------------------------------------------


@dataclass
class CreateTier(Command):
    name: str
    author: str | None = None
    color: str = "#4f8cc9"
    label: str = N_("New tier")
    _tier: Tier | None = field(default=None, repr=False)

    def do(self, repo: EditableProject) -> Change:
        if self._tier is None:
            self._tier = repo.add_tier(self.name, author=self.author, color=self.color)
        else:
            t = self._tier
            repo.add_tier(
                t.name,
                author=t.author,
                color=t.color,
                visible=t.visible,
                position=t.position,
                tier_id=t.id,
                parent_id=t.parent_id,
                linguistic_type=t.linguistic_type,
                constraint=t.constraint,
                vocabulary_key=t.vocabulary_key,
            )
        return Change(self.label, added=(("tier", self._tier.id or 0),))

    def undo(self, repo: EditableProject) -> Change:
        assert self._tier is not None
        repo.delete_tier(self._tier.id or 0)
        return Change(self.label, removed=(("tier", self._tier.id or 0),))

    @property
    def tier_id(self) -> int | None:
        return self._tier.id if self._tier else None


@dataclass
class EditTier(Command):
    """Rename, recolour, show/hide or reorder a tier."""

    tier_id: int
    changes: dict[str, Any]
    label: str = N_("Edit tier")
    _before: Tier | None = field(default=None, repr=False)

    def do(self, repo: EditableProject) -> Change:
        if self._before is None:
            self._before = repo.get_tier(self.tier_id)
        repo.update_tier(replace(self._before, **self.changes))
        return Change(self.label, modified=(("tier", self.tier_id),))

    def undo(self, repo: EditableProject) -> Change:
        assert self._before is not None
        repo.update_tier(self._before)
        return Change(self.label, modified=(("tier", self.tier_id),))


@dataclass
class DeleteTier(Command):
    """Delete a tier with its annotations; undo brings all of them back, relations included."""

    tier_id: int
    label: str = N_("Delete tier")
    _tier: Tier | None = field(default=None, repr=False)
    _removed: list[_Removed] = field(default_factory=list, repr=False)

    def do(self, repo: EditableProject) -> Change:
        self._tier = repo.get_tier(self.tier_id)
        self._removed = [
            _capture(repo, a.id or 0) for a in repo.annotations(tier_ids=[self.tier_id])
        ]
        repo.delete_tier(self.tier_id)
        gone = tuple(("annotation", r.annotation.id or 0) for r in self._removed)
        return Change(self.label, removed=(("tier", self.tier_id), *gone))

    def undo(self, repo: EditableProject) -> Change:
        assert self._tier is not None
        t = self._tier
        repo.add_tier(
            t.name,
            author=t.author,
            color=t.color,
            visible=t.visible,
            position=t.position,
            tier_id=t.id,
            parent_id=t.parent_id,
            linguistic_type=t.linguistic_type,
            constraint=t.constraint,
            vocabulary_key=t.vocabulary_key,
        )
        _restore(repo, self._removed)
        back = tuple(("annotation", r.annotation.id or 0) for r in self._removed)
        return Change(self.label, added=(("tier", self.tier_id), *back))


# ---- the stack ---------------------------------------------------------------------------


def _shown(label: str) -> str:
    """A step's name in the language in use: the names above are marked N_() (an empty one
    stays empty: gettext would answer "" with the catalogue's header)."""
    return _(label) if label else label


class UndoStack:
    """Undo/redo history over one project; listeners hear every Change (the GUI redraws)."""

    def __init__(self, repo: EditableProject, limit: int = 1000) -> None:
        self.repo = repo
        self.limit = limit
        self._done: list[Command] = []
        self._undone: list[Command] = []
        self._listeners: list[Callable[[Change], None]] = []

    def subscribe(self, listener: Callable[[Change], None]) -> None:
        self._listeners.append(listener)

    def _emit(self, change: Change) -> Change:
        for listener in self._listeners:
            listener(change)
        return change

    def push(self, command: Command) -> Change:
        """Run a new edit and remember it. If it fails, nothing is remembered."""
        with self.repo.atomic():  # one edit, one commit: an import of 20,000 cues included
            change = command.do(self.repo)
        self._undone.clear()
        if not (self._done and self._done[-1].merge(command)):
            self._done.append(command)
            del self._done[: -self.limit]
        return self._emit(change)

    def undo(self) -> Change | None:
        if not self._done:
            return None
        command = self._done[-1]
        with self.repo.atomic():
            change = command.undo(self.repo)
        self._done.pop()  # only once undone: a failed undo keeps its place in the history
        self._undone.append(command)
        return self._emit(change)

    def redo(self) -> Change | None:
        if not self._undone:
            return None
        command = self._undone[-1]
        with self.repo.atomic():
            change = command.do(self.repo)
        self._undone.pop()
        self._done.append(command)
        return self._emit(change)

    def record(self, command: Command, change: Change) -> Change:
        """An edit already made elsewhere, in its own transaction (a long import run by a worker
        on its own connection): remembered here so Ctrl+Z takes it back, and heard by the
        listeners as if it had been pushed."""
        self._undone.clear()
        self._done.append(command)
        del self._done[: -self.limit]
        return self._emit(change)

    @property
    def last(self) -> Command | None:
        """The edit Ctrl+Z would take back."""
        return self._done[-1] if self._done else None

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def undo_label(self) -> str | None:
        return _shown(self._done[-1].label) if self._done else None

    @property
    def redo_label(self) -> str | None:
        return _shown(self._undone[-1].label) if self._undone else None

    @property
    def steps(self) -> tuple[str, ...]:
        """Every step's label, oldest first: the done ones (there are `len(self)`), then the
        undone ones in the order Redo would bring them back (an undo history lists them)."""
        return tuple(_shown(c.label) for c in self._done) + tuple(
            _shown(c.label) for c in reversed(self._undone)
        )

    def __len__(self) -> int:
        return len(self._done)
