"""Seminars: a teacher's named, ordered passages with prompts; every edit undoable.

Edits are domain `Command`s pushed on the project's `UndoStack` (the same history as the
annotation edits), so Ctrl+Z in the seminar panel and in the editor undo in one order.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from critique_app.domain.commands import Change, Command, UndoStack
from critique_app.domain.model import FrameRange, Seminar, SeminarItem
from critique_app.errors import UserError
from critique_app.i18n import N_, _, ngettext


def _item_ref(item_id: int | None) -> tuple[str, int]:
    return ("seminar_item", item_id or 0)


def _restore_item(repo: Any, item: SeminarItem, same_id: bool = True) -> SeminarItem:
    """Put an item back (under its old id, so later commands in the history still find it)."""
    return repo.add_seminar_item(
        item.seminar_id,
        item.film_id,
        item.range,
        annotation_id=item.annotation_id,
        prompt=item.prompt,
        notes=item.notes,
        position=item.position,
        item_id=item.id if same_id else None,
    )


@dataclass
class CreateSeminar(Command):
    name: str
    description: str = ""
    items: list[SeminarItem] = field(default_factory=list)  # copied in (duplicate)
    label: str = N_("New seminar")
    seminar_id: int | None = None

    def do(self, repo: Any) -> Change:
        redo = self.seminar_id is not None
        seminar = repo.add_seminar(self.name, self.description, self.seminar_id)
        self.seminar_id = seminar.id
        self.items = [
            _restore_item(repo, replace(item, seminar_id=seminar.id), same_id=redo)
            for item in self.items
        ]
        return Change(self.label, added=(("seminar", seminar.id),))

    def undo(self, repo: Any) -> Change:
        repo.delete_seminar(self.seminar_id)
        return Change(self.label, removed=(("seminar", self.seminar_id or 0),))


@dataclass
class DeleteSeminar(Command):
    seminar_id: int
    label: str = N_("Delete seminar")
    _saved: tuple[Seminar, list[SeminarItem]] | None = None

    def do(self, repo: Any) -> Change:
        self._saved = (repo.get_seminar(self.seminar_id), repo.seminar_items(self.seminar_id))
        repo.delete_seminar(self.seminar_id)
        return Change(self.label, removed=(("seminar", self.seminar_id),))

    def undo(self, repo: Any) -> Change:
        assert self._saved is not None
        seminar, items = self._saved
        repo.add_seminar(seminar.name, seminar.description, self.seminar_id)
        for item in items:
            _restore_item(repo, item)
        return Change(self.label, added=(("seminar", self.seminar_id),))


@dataclass
class RenameSeminar(Command):
    seminar_id: int
    name: str
    description: str | None = None
    label: str = N_("Rename seminar")
    _before: Seminar | None = None

    def do(self, repo: Any) -> Change:
        self._before = repo.get_seminar(self.seminar_id)
        repo.rename_seminar(self.seminar_id, self.name, self.description)
        return Change(self.label, modified=(("seminar", self.seminar_id),))

    def undo(self, repo: Any) -> Change:
        assert self._before is not None
        repo.rename_seminar(self.seminar_id, self._before.name, self._before.description)
        return Change(self.label, modified=(("seminar", self.seminar_id),))


@dataclass
class AddItem(Command):
    item: SeminarItem  # id None; position -1 = at the end
    label: str = N_("Add to seminar")

    def do(self, repo: Any) -> Change:
        position = None if self.item.position < 0 else self.item.position
        stored = repo.add_seminar_item(
            self.item.seminar_id,
            self.item.film_id,
            self.item.range,
            annotation_id=self.item.annotation_id,
            prompt=self.item.prompt,
            notes=self.item.notes,
            position=position,
            item_id=self.item.id,
        )
        self.item = replace(self.item, id=stored.id, position=stored.position)
        return Change(self.label, added=(_item_ref(stored.id),))

    def undo(self, repo: Any) -> Change:
        repo.delete_seminar_item(self.item.id)
        _renumber(repo, self.item.seminar_id)
        return Change(self.label, removed=(_item_ref(self.item.id),))


@dataclass
class AddItems(Command):
    """Several passages added at the end of a seminar as one step (ids kept for redo)."""

    seminar_id: int
    items: list[SeminarItem]
    label: str = N_("Add to seminar")

    def do(self, repo: Any) -> Change:
        self.items = [
            repo.add_seminar_item(
                self.seminar_id,
                item.film_id,
                item.range,
                annotation_id=item.annotation_id,
                prompt=item.prompt,
                notes=item.notes,
                item_id=item.id,  # None the first time; the same ids again on redo
            )
            for item in self.items
        ]
        return Change(self.label, added=tuple(_item_ref(i.id) for i in self.items))

    def undo(self, repo: Any) -> Change:
        for item in self.items:
            repo.delete_seminar_item(item.id)
        _renumber(repo, self.seminar_id)
        return Change(self.label, removed=tuple(_item_ref(i.id) for i in self.items))


@dataclass
class RemoveItem(Command):
    item: SeminarItem
    label: str = N_("Remove from seminar")

    def do(self, repo: Any) -> Change:
        repo.delete_seminar_item(self.item.id)
        _renumber(repo, self.item.seminar_id)
        return Change(self.label, removed=(_item_ref(self.item.id),))

    def undo(self, repo: Any) -> Change:
        _restore_item(repo, self.item)
        return Change(self.label, added=(_item_ref(self.item.id),))


@dataclass
class MoveItem(Command):
    item_id: int
    position: int
    label: str = N_("Reorder seminar")
    _before: int | None = None

    def do(self, repo: Any) -> Change:
        seminar_id = repo.seminar_of_item(self.item_id)
        order = [i.id for i in repo.seminar_items(seminar_id)]
        self._before = order.index(self.item_id)
        repo.move_seminar_item(self.item_id, self.position)
        return Change(self.label, modified=(_item_ref(self.item_id),))

    def undo(self, repo: Any) -> Change:
        repo.move_seminar_item(self.item_id, self._before)
        return Change(self.label, modified=(_item_ref(self.item_id),))


@dataclass
class EditItem(Command):
    item: SeminarItem  # the item as it should become
    label: str = N_("Edit seminar item")
    _before: SeminarItem | None = None

    def do(self, repo: Any) -> Change:
        seminar_id = self.item.seminar_id
        self._before = next(i for i in repo.seminar_items(seminar_id) if i.id == self.item.id)
        repo.update_seminar_item(self.item)
        return Change(self.label, modified=(_item_ref(self.item.id),))

    def undo(self, repo: Any) -> Change:
        repo.update_seminar_item(self._before)
        return Change(self.label, modified=(_item_ref(self.item.id),))

    def merge(self, newer: Command) -> bool:
        # Typing in the prompt box is one undo step, not one per keystroke.
        if isinstance(newer, EditItem) and newer.item.id == self.item.id:
            self.item = newer.item
            return True
        return False


def _renumber(repo: Any, seminar_id: int) -> None:
    items = repo.seminar_items(seminar_id)
    if items:
        repo.move_seminar_item(items[0].id, 0)  # rewrites 0..n-1 positions


class Seminars:
    """The seminar use-cases shared by the panel, the command line and tests."""

    def __init__(self, project: Any, stack: UndoStack | None = None) -> None:
        self.project = project
        self.repo = project.repo
        self.stack = stack if stack is not None else UndoStack(project.repo)

    # -- reading --------------------------------------------------------------------------
    def all(self) -> list[Seminar]:
        return list(self.repo.seminars())

    def find(self, name_or_id: str | int) -> Seminar:
        """A seminar by id or exact name; UserError naming the known seminars otherwise."""
        if isinstance(name_or_id, int) or str(name_or_id).isdigit():
            try:
                return self.repo.get_seminar(int(name_or_id))
            except UserError:
                pass
        found = self.repo.seminar_by_name(str(name_or_id))
        if found is None:
            names = ", ".join(f"'{s.name}'" for s in self.all()) or _("none yet")
            raise UserError(
                _("There is no seminar '{name}' in this project ({names}).").format(
                    name=name_or_id, names=names
                )
            )
        return found

    def items(self, seminar_id: int) -> list[SeminarItem]:
        return list(self.repo.seminar_items(seminar_id))

    # -- editing (undoable) ---------------------------------------------------------------
    def create(self, name: str, description: str = "") -> Seminar:
        command = CreateSeminar(name, description)
        self.stack.push(command)
        return self.repo.get_seminar(command.seminar_id)

    def rename(self, seminar_id: int, name: str, description: str | None = None) -> Seminar:
        self.stack.push(RenameSeminar(seminar_id, name, description))
        return self.repo.get_seminar(seminar_id)

    def delete(self, seminar_id: int) -> None:
        self.stack.push(DeleteSeminar(seminar_id))

    def duplicate(self, seminar_id: int, name: str | None = None) -> Seminar:
        original = self.repo.get_seminar(seminar_id)
        taken = {s.name for s in self.all()}
        if name is None:
            name, n = _("{name} (copy)").format(name=original.name), 2
            while name in taken:
                name, n = _("{name} (copy {number})").format(name=original.name, number=n), n + 1
        command = CreateSeminar(
            name, original.description, self.items(seminar_id), label=N_("Duplicate seminar")
        )
        self.stack.push(command)
        return self.repo.get_seminar(command.seminar_id)

    def add_annotation(
        self,
        seminar_id: int,
        annotation_id: int,
        *,
        prompt: str = "",
        notes: str = "",
        position: int | None = None,
    ) -> SeminarItem:
        a = self.repo.get_annotation(annotation_id)
        return self._add(
            SeminarItem(
                None,
                seminar_id,
                -1 if position is None else position,
                a.film_id,
                a.range,
                a.id,
                prompt,
                notes,
            )
        )

    def add_range(
        self,
        seminar_id: int,
        film_id: int,
        frames: FrameRange,
        *,
        prompt: str = "",
        notes: str = "",
        position: int | None = None,
    ) -> SeminarItem:
        film = self.repo.get_film(film_id)
        if frames.end >= film.frame_count:
            raise UserError(
                ngettext(
                    "{title} has {count} frame: frame {frame} does not exist.",
                    "{title} has {count} frames: frame {frame} does not exist.",
                    film.frame_count,
                ).format(title=film.title, count=film.frame_count, frame=frames.end)
            )
        return self._add(
            SeminarItem(
                None,
                seminar_id,
                -1 if position is None else position,
                film_id,
                frames,
                None,
                prompt,
                notes,
            )
        )

    def add_many(
        self, seminar: str, items: list[SeminarItem], *, label: str = N_("Add to seminar")
    ) -> tuple[Seminar, list[SeminarItem]]:
        """Passages (their seminar_id ignored) at the end of the seminar named `seminar`,
        created with them when it does not exist yet: one undoable step either way."""
        found = self.repo.seminar_by_name(seminar.strip())
        if found is None:
            ordered = [replace(item, position=n) for n, item in enumerate(items)]
            create = CreateSeminar(seminar, items=ordered, label=label)
            self.stack.push(create)
            created = self.repo.get_seminar(create.seminar_id)
            return created, self.items(created.id)
        command = AddItems(found.id, items, label)
        self.stack.push(command)
        return found, command.items

    def _add(self, item: SeminarItem) -> SeminarItem:
        command = AddItem(item)
        self.stack.push(command)
        return command.item

    def remove(self, item_id: int) -> None:
        seminar_id = self.repo.seminar_of_item(item_id)
        item = next(i for i in self.items(seminar_id) if i.id == item_id)
        self.stack.push(RemoveItem(item))

    def move(self, item_id: int, position: int) -> list[SeminarItem]:
        self.stack.push(MoveItem(item_id, position))
        return self.items(self.repo.seminar_of_item(item_id))

    def edit(
        self,
        item_id: int,
        *,
        prompt: str | None = None,
        notes: str | None = None,
        frames: FrameRange | None = None,
    ) -> SeminarItem:
        seminar_id = self.repo.seminar_of_item(item_id)
        item = next(i for i in self.items(seminar_id) if i.id == item_id)
        changed = replace(
            item,
            prompt=item.prompt if prompt is None else prompt,
            notes=item.notes if notes is None else notes,
            range=frames or item.range,
        )
        self.stack.push(EditItem(changed))
        return changed
