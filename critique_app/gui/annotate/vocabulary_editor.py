"""Edit the project's vocabularies in the app; import and export them (JSON, ELAN .ecv).

Each edit is saved to the project at once. A file that is malformed or from a newer version
of Critique is refused with the domain's one-sentence reason, shown in the dialog, and the
project is left exactly as it was (the file is parsed completely before anything is written).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QColor
from PyQt6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from critique_app.domain.model import Category, Vocabulary
from critique_app.domain.vocabulary import (
    vocabulary_to_ecv,
    vocabulary_to_json,
)
from critique_app.errors import UserError
from critique_app.gui import colours
from critique_app.gui.export_offer import offer_exported
from critique_app.gui.file_dialogs import open_file, save_file
from critique_app.i18n import N_, _, ngettext
from critique_app.services.workspace import ProjectWorkspace, read_vocabulary

FILE_FILTER = N_(
    "Vocabularies (*.json *.ecv);;Critique vocabulary (*.json);;ELAN vocabulary (*.ecv)"
)
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug if slug and slug[0].isalpha() else f"c-{slug or 'new'}"


class VocabularyEditor(QDialog):
    changed = pyqtSignal()  # the project's vocabularies changed (names, colours, entries)

    def __init__(self, workspace: ProjectWorkspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Vocabularies"))
        self.setObjectName("VocabularyEditor")
        self.resize(820, 560)
        self.workspace = workspace
        self.vocabulary: Vocabulary | None = None
        self._loading = False
        self.chooser = QComboBox()
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([_("Entry"), _("French label")])
        self.tree.setColumnWidth(0, 260)
        self.key = QLabel()
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label_en = QLineEdit()
        self.label_fr = QLineEdit()
        self.definition_en = QPlainTextEdit()
        self.definition_fr = QPlainTextEdit()
        for box in (self.definition_en, self.definition_fr):
            box.setMaximumHeight(80)
        self.colour = QLineEdit()
        self.colour.setPlaceholderText(_("#4f8cc9 (empty: the parent's or an automatic colour)"))
        self.message = QLabel()
        self.message.setObjectName("VocabularyMessage")
        self.message.setWordWrap(True)
        self.add_level = QPushButton(_("Add level"))
        self.add_child = QPushButton(_("Add entry under"))
        self.remove = QPushButton(_("Remove"))
        self.import_button = QPushButton(_("Import…"))
        self.export_json = QPushButton(_("Export JSON…"))
        self.export_ecv = QPushButton(_("Export ELAN .ecv…"))
        close = QPushButton(_("Close"))

        form = QFormLayout()
        form.addRow(_("Key"), self.key)
        form.addRow(_("Label (English)"), self.label_en)
        form.addRow(_("Label (French)"), self.label_fr)
        form.addRow(_("Definition (English)"), self.definition_en)
        form.addRow(_("Definition (French)"), self.definition_fr)
        form.addRow(_("Colour"), self.colour)
        details = QWidget()
        details_column = QVBoxLayout(details)
        details_column.addLayout(form)
        details_column.addStretch(1)  # the fields at the top, not spread over the height
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.chooser)
        left_column.addWidget(self.tree, 1)
        tree_buttons = QHBoxLayout()
        for button in (self.add_level, self.add_child, self.remove):
            tree_buttons.addWidget(button)
        left_column.addLayout(tree_buttons)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        bottom = QHBoxLayout()
        for button in (self.import_button, self.export_json, self.export_ecv):
            bottom.addWidget(button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        layout.addLayout(bottom)

        self.chooser.currentIndexChanged.connect(self._vocabulary_chosen)
        self.tree.currentItemChanged.connect(self._entry_chosen)
        for field in (self.label_en, self.label_fr, self.colour):
            field.editingFinished.connect(self._save_entry)
        for box in (self.definition_en, self.definition_fr):
            box.textChanged.connect(self._save_entry)
        self.add_level.clicked.connect(lambda: self.add_entry(None))
        self.add_child.clicked.connect(self._add_under_current)
        self.remove.clicked.connect(self._remove_current)
        self.import_button.clicked.connect(self._ask_import)
        self.export_json.clicked.connect(lambda: self._ask_export("json"))
        self.export_ecv.clicked.connect(lambda: self._ask_export("ecv"))
        close.clicked.connect(self.close)
        self._fill_chooser()

    # -- showing ----------------------------------------------------------------------------------
    def say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        palette = colours.current()
        self.message.setStyleSheet(f"color: {palette.error if error else palette.success};")

    def _fill_chooser(self, key: str | None = None) -> None:
        self._loading = True
        self.chooser.clear()
        for vocab in self.workspace.vocabularies():
            count = len(vocab.categories)
            self.chooser.addItem(
                ngettext("{name} ({count} entry)", "{name} ({count} entries)", count).format(
                    name=vocab.name, count=count
                ),
                vocab.key,
            )
        self._loading = False
        index = self.chooser.findData(key) if key else 0
        self.chooser.setCurrentIndex(max(0, index))
        self._vocabulary_chosen()

    def _vocabulary_chosen(self, *_args: object) -> None:
        if self._loading:
            return
        key = self.chooser.currentData()
        self.vocabulary = self.workspace.vocabulary(key) if key else None
        self._fill_tree()

    def _fill_tree(self, select: str | None = None) -> None:
        self._loading = True
        self.tree.clear()
        items: dict[str, QTreeWidgetItem] = {}
        chosen = None
        for cat in self.vocabulary.categories if self.vocabulary else ():
            parent = items.get(cat.parent_key or "")
            item = QTreeWidgetItem([cat.label_en, cat.label_fr or ""])
            item.setData(0, Qt.ItemDataRole.UserRole, cat.key)
            item.setToolTip(0, cat.definition())
            if cat.color:
                item.setForeground(0, QColor(cat.color))
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            items[cat.key] = item
            if cat.key == select:
                chosen = item
        self.tree.expandToDepth(0)
        self._loading = False
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
            self.tree.scrollToItem(chosen)
        self._entry_chosen()

    def current_category(self) -> Category | None:
        item = self.tree.currentItem()
        if item is None or self.vocabulary is None:
            return None
        return self.vocabulary.category(item.data(0, Qt.ItemDataRole.UserRole))

    def _entry_chosen(self, *_args: object) -> None:
        cat = self.current_category()
        self._loading = True
        self.key.setText(cat.key if cat else "")
        self.label_en.setText(cat.label_en if cat else "")
        self.label_fr.setText(cat.label_fr or "" if cat else "")
        self.definition_en.setPlainText(cat.definition_en or "" if cat else "")
        self.definition_fr.setPlainText(cat.definition_fr or "" if cat else "")
        self.colour.setText(cat.color or "" if cat else "")
        for field in (self.label_en, self.label_fr, self.definition_en, self.definition_fr):
            field.setEnabled(cat is not None)
        self.colour.setEnabled(cat is not None)
        self.remove.setEnabled(cat is not None)
        self.add_child.setEnabled(cat is not None)
        self._loading = False

    # -- editing (saved at once) --------------------------------------------------------------------
    def _store(self, vocabulary: Vocabulary, select: str | None = None) -> bool:
        try:
            self.vocabulary = self.workspace.save_vocabulary(vocabulary)
        except (UserError, ValueError) as err:
            self.say(str(err), error=True)
            return False
        self._fill_tree(select)
        self.changed.emit()
        return True

    def _save_entry(self) -> None:
        cat = self.current_category()
        if self._loading or cat is None or self.vocabulary is None:
            return
        colour = self.colour.text().strip() or None
        if colour and not _COLOUR.match(colour):
            self.say(
                _("“{colour}” is not a colour: write it like #4f8cc9.").format(colour=colour),
                error=True,
            )
            return
        label = self.label_en.text().strip()
        if not label:
            self.say(_("An entry needs an English label."), error=True)
            return
        updated = replace(
            cat,
            label_en=label,
            label_fr=self.label_fr.text().strip() or None,
            definition_en=self.definition_en.toPlainText().strip() or None,
            definition_fr=self.definition_fr.toPlainText().strip() or None,
            color=colour,
        )
        if updated == cat:
            return
        cats = tuple(updated if c.key == cat.key else c for c in self.vocabulary.categories)
        if self._store(replace(self.vocabulary, categories=cats), select=cat.key):
            self.say(_("Saved “{label}”.").format(label=label))

    def add_entry(self, parent_key: str | None, label: str | None = None) -> str | None:
        """A new level (parent None) or an entry under `parent_key`; returns its key."""
        if self.vocabulary is None:
            self.say(_("This project has no vocabulary yet: import one first."), error=True)
            return None
        # the label of a new entry is the user's to change: written in the window's language
        label = label if label is not None else _("New entry")
        keys = {c.key for c in self.vocabulary.categories}
        base = f"{parent_key}.{_slug(label)}" if parent_key else _slug(label)
        key, n = base, 2
        while key in keys:
            key, n = f"{base}-{n}", n + 1
        siblings = self.vocabulary.children(parent_key)
        new = Category(key=key, label_en=label, parent_key=parent_key, position=len(siblings))
        cats = list(self.vocabulary.categories)
        # keep parents before children: insert after the parent's last descendant
        at = len(cats)
        if parent_key is not None:
            idx = [
                i
                for i, c in enumerate(cats)
                if c.key == parent_key or c.key.startswith(parent_key + ".")
            ]
            at = (idx[-1] + 1) if idx else len(cats)
        cats.insert(at, new)
        if self._store(replace(self.vocabulary, categories=tuple(cats)), select=key):
            self.say(_("New entry added: give it a label and a definition."))
            self.label_en.setFocus()
            self.label_en.selectAll()
            return key
        return None

    def _add_under_current(self) -> None:
        cat = self.current_category()
        if cat is not None:
            self.add_entry(cat.key)

    def _remove_current(self) -> None:
        cat = self.current_category()
        if cat is None or self.vocabulary is None:
            return
        branch = [
            c
            for c in self.vocabulary.categories
            if c.key == cat.key or c.key.startswith(cat.key + ".")
        ]
        used = len(self.workspace.annotation_ids(category_ids=[c.id for c in branch if c.id]))
        if used:
            self.say(
                ngettext(
                    "“{category}” is used by {count} annotation: "
                    "give it another category first; nothing was removed.",
                    "“{category}” is used by {count} annotations: "
                    "give them another category first; nothing was removed.",
                    used,
                ).format(category=cat.label_en, count=used),
                error=True,
            )
            return
        gone = {c.key for c in branch}
        cats = tuple(c for c in self.vocabulary.categories if c.key not in gone)
        if not cats:
            self.say(_("A vocabulary keeps at least one entry."), error=True)
            return
        if self._store(replace(self.vocabulary, categories=cats), select=cat.parent_key):
            self.say(_("Removed “{category}”.").format(category=cat.label_en))

    # -- files ------------------------------------------------------------------------------------
    def import_file(self, path: str | Path) -> bool:
        """Add or update a vocabulary from a file; a bad file changes nothing and says why."""
        try:
            vocabulary, source = read_vocabulary(path)
            existing = self.workspace.vocabulary(vocabulary.key)
            if existing is not None and source is None:
                # ELAN files carry no display name: keep the one the project knows
                vocabulary = replace(
                    vocabulary,
                    name=existing.name,
                    description=vocabulary.description or existing.description,
                )
            stored = self.workspace.save_vocabulary(vocabulary, source_json=source)
        except UserError as err:
            self.say(str(err), error=True)
            return False
        self._fill_chooser(stored.key)
        self.changed.emit()
        count = len(stored.categories)
        if existing is not None:
            said = ngettext(
                "Updated '{name}' from {file}: {count} entry.",
                "Updated '{name}' from {file}: {count} entries.",
                count,
            )
        else:
            said = ngettext(
                "Imported '{name}' from {file}: {count} entry.",
                "Imported '{name}' from {file}: {count} entries.",
                count,
            )
        self.say(said.format(name=stored.name, file=Path(path).name, count=count))
        return True

    def export_file(self, path: str | Path, fmt: str) -> bool:
        if self.vocabulary is None:
            self.say(_("There is no vocabulary to export."), error=True)
            return False
        text = (
            vocabulary_to_ecv(self.vocabulary)
            if fmt == "ecv"
            else vocabulary_to_json(self.vocabulary)
        )
        try:
            Path(path).write_text(text, "utf-8")
        except OSError as err:
            self.say(
                _("Cannot write {path} ({reason}).").format(path=path, reason=err.strerror),
                error=True,
            )
            return False
        self.say(_("Exported to {path}.").format(path=path))
        window = self.parentWidget()
        if isinstance(window, QMainWindow):  # run from the window: its status bar offers the file
            name = Path(path).name
            offer_exported(
                window, path, _("The vocabulary is exported to {name}.").format(name=name)
            )
        return True

    def _ask_import(self) -> None:
        path = open_file(self, "vocabulary", _("Import a vocabulary"), _(FILE_FILTER))
        if path is not None:
            self.import_file(path)

    def _ask_export(self, fmt: str) -> None:
        suffix = ".ecv" if fmt == "ecv" else ".json"
        name = (self.vocabulary.key if self.vocabulary else "vocabulary") + suffix
        path = save_file(self, "vocabulary", _("Export the vocabulary"), _(FILE_FILTER), name)
        if path is not None:
            self.export_file(path, fmt)
