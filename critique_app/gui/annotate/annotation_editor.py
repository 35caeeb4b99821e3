"""The annotation editor beside the picture: category, tags, note, status, confidence, tier,
author, regions and relations of the selected annotation.

Every change is pushed at once as a named command on the project's UndoStack (the workbench
passes `push`), so it is saved immediately and Ctrl+Z takes it back; typing in the note folds
into one undo step. The editor re-reads the annotation whenever the stack reports a change.
"""

from __future__ import annotations

from collections.abc import Callable

from PyQt6.QtCore import QEvent, QObject, QStringListModel, Qt, QTimer, pyqtSignal
from PyQt6.QtGui import QAction, QFocusEvent, QFont, QKeyEvent, QKeySequence, QTextCursor
from PyQt6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from critique_app.domain import commands as cmd
from critique_app.domain.annotation_words import (
    confidence_word,
    relation_word,
    shape_word,
    status_word,
)
from critique_app.domain.model import CONFIDENCES, RELATION_KINDS, STATUSES, Annotation, Film
from critique_app.gui.fitting_label import ElidedLabel
from critique_app.gui.flow_layout import FlowLayout
from critique_app.i18n import N_, _, current, ngettext
from critique_app.services.workspace import ProjectWorkspace

EMPTY_HINT = N_(
    "No annotation selected.\n\n"
    "Set an in point (I) and an out point (O), then press N to annotate the passage, "
    "or Shift+N to annotate the frame on screen.\n\n"
    "Pick one in the table or on the timeline to edit it."
)
NO_DEFINITION = N_("Choose a category: its definition shows here.")
NO_DEFINITION_YET = N_(
    "This category has no definition yet (Annotate ▸ Edit vocabularies… adds one)."
)
# Shapes only: the colours are the theme's (resources/qss), so each theme keeps them readable.
STYLE = """
#AnnotationEditor QLabel#EditorTitle { font-size: 14px; font-weight: 600; }
#AnnotationEditor QLabel#EditorRange { font-family: "DejaVu Sans Mono", monospace; }
#AnnotationEditor QLabel#Section { padding-top: 6px; }
"""


class _UndoToWindow(QObject):
    """Let Ctrl+Z / Ctrl+Shift+Z reach the window's Undo/Redo (the domain stack) from text fields,
    instead of the field's private undo that the project would never hear about."""

    def eventFilter(self, watched: QObject | None, event: QEvent | None) -> bool:  # noqa: N802
        if (
            event is not None
            and event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and (
                event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)
                or (
                    event.key() == Qt.Key.Key_Z
                    and event.modifiers()
                    == (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
                )
            )
        ):
            event.ignore()  # not overridden: the shortcut fires
            return True
        return False


class _SelectAllOnFocus(QObject):
    """A click in the Category field selects its text, so what is typed next replaces the name
    shown and searches, as in a search box (Tab already selects it). Only a click: the focus
    also comes back when the list of names found closes, in the middle of the typing."""

    def eventFilter(self, watched: QObject | None, event: QEvent | None) -> bool:  # noqa: N802
        if (
            isinstance(event, QFocusEvent)
            and event.type() == QEvent.Type.FocusIn
            and event.reason() == Qt.FocusReason.MouseFocusReason
            and isinstance(watched, QComboBox)
        ):
            line = watched.lineEdit()
            if line is not None:
                # after the click that gave the focus has placed the cursor
                QTimer.singleShot(0, line.selectAll)
        return False


def _owned_popup(completer: QCompleter, field: QWidget) -> QCompleter:
    """The completer's list made a child of its field, as a combo's own list is. Qt leaves it
    without a parent (a top-level window the completer deletes); on quitting, the app deletes
    every top-level window without a parent (gui/app.py `end_gui`), and the completer then
    deleted that list a second time: a crash on quit once the list had been shown."""
    popup = completer.popup()
    assert popup is not None  # made on first asking
    popup.setParent(field, popup.windowFlags())  # still a popup window of its own
    return completer


class _LazyCombo(QComboBox):
    """A combo filled only when opened (the list of other annotations can be long)."""

    about_to_open = pyqtSignal()

    def showPopup(self) -> None:  # noqa: N802
        self.about_to_open.emit()
        super().showPopup()


def _segmented(values: tuple[str, ...], word: Callable[[str], str]) -> tuple[QWidget, QButtonGroup]:
    """Choice buttons that wrap onto a second line in a narrow column (never cut off)."""
    box = QWidget()
    row = FlowLayout(box, spacing=2)
    group = QButtonGroup(box)
    group.setExclusive(True)
    for value in values:
        button = QToolButton()
        button.setText(word(value))
        button.setProperty("value", value)  # the stored code; the text is in the user's language
        button.setCheckable(True)
        button.setObjectName(f"choice:{value}")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        group.addButton(button)
        row.addWidget(button)
    return box, group


LISTED_KEYFRAMES = 6  # more (a tracked region has one a frame) are summed up, not listed


def keyframes_said(frames: list[int]) -> str:
    """Where a region's keyframes are, in a few words: a tracked region has one on every frame
    of its passage, so a long run is told by its count and its ends rather than cut short."""
    if len(frames) == 1:
        return _("drawn on frame {frame}").format(frame=frames[0])
    if len(frames) <= LISTED_KEYFRAMES:
        return _("keyframes at {frames}").format(frames=", ".join(map(str, frames)))
    return ngettext(
        "{count} keyframe from frame {first} to {last}",
        "{count} keyframes from frame {first} to {last}",
        len(frames),
    ).format(count=len(frames), first=frames[0], last=frames[-1])


class AnnotationEditor(QWidget):
    message = pyqtSignal(str)
    open_annotation = pyqtSignal(int)  # a related annotation was double-clicked
    go_to_frame = pyqtSignal(int)
    delete_requested = pyqtSignal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AnnotationEditor")
        self.setStyleSheet(STYLE)
        self.workspace: ProjectWorkspace | None = None
        self.push: Callable[[cmd.Command], bool] = lambda _c: False
        self.annotation: Annotation | None = None
        self.film: Film | None = None
        self._loading = False
        self._undo_filter = _UndoToWindow(self)
        self._select_on_focus = _SelectAllOnFocus(self)
        self.pages = QStackedWidget()
        empty = QLabel(_(EMPTY_HINT))
        empty.setObjectName("Hint")
        empty.setWordWrap(True)
        empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        empty.setContentsMargins(12, 12, 12, 12)
        self.pages.addWidget(empty)
        self.pages.addWidget(self._build_form())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)
        self.setMinimumWidth(330)

    # -- building ------------------------------------------------------------------------------

    @property
    def bound(self) -> ProjectWorkspace:
        """The project this is bound to, where the caller knows one is."""
        assert self.workspace is not None
        return self.workspace

    def _build_form(self) -> QWidget:
        # One line whatever the category's name ("…", the whole name in the tooltip): a name
        # that wrapped would widen the form or move the fields when another one is chosen.
        self.title = ElidedLabel(lines=1)
        self.title.setObjectName("EditorTitle")
        self.range_label = QLabel()
        self.range_label.setObjectName("EditorRange")
        self.range_label.setWordWrap(True)
        self.go_in = QToolButton()
        self.go_in.setText(_("Go to in"))
        self.go_in.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.category = QComboBox()
        self.category.setObjectName("Category")
        self.category.setMaxVisibleItems(24)
        # Found by typing part of its name ("morph" → Morphing without a cut): a vocabulary has
        # dozens of categories, and scrolling a list of them breaks the flow of annotating.
        self.category.setEditable(True)
        self.category.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)  # a search, not a new one
        finder = QCompleter(self.category.model(), self.category)
        finder.setFilterMode(Qt.MatchFlag.MatchContains)
        finder.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        finder.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        finder.setMaxVisibleItems(12)
        self.category.setCompleter(finder)
        self.category_finder = _owned_popup(finder, self.category)
        # Always two lines, in the same place: choosing a category never moves the fields below
        # (a paragraph appearing above them moved the next click onto a label).
        self.definition = ElidedLabel(lines=2)
        self.definition.setObjectName("Definition")
        self.value = QLineEdit()
        self.value.setPlaceholderText(_("the annotation's text (ELAN's value, a subtitle's words)"))
        self.tags = QLineEdit()
        self.tags.setPlaceholderText(_("free tags, separated by commas"))
        self.tag_names = QStringListModel(self)  # the project's tags, re-read with the lists
        tag_finder = QCompleter(self.tag_names, self.tags)
        tag_finder.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tags.setCompleter(_owned_popup(tag_finder, self.tags))
        status_box, self.status = _segmented(STATUSES, status_word)
        confidence_box, self.confidence = _segmented(CONFIDENCES, confidence_word)
        self.tier = QComboBox()
        self.author = QLineEdit()
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(
            _("Your note (Markdown: **bold**, *italic*, - lists, # titles)")
        )
        self.note.setMinimumHeight(90)
        self.note.setMaximumHeight(140)
        self.preview = QTextBrowser()
        self.preview.setOpenExternalLinks(True)
        self.preview.setMaximumHeight(140)
        self.note_pages = QStackedWidget()
        self.note_pages.addWidget(self.note)
        self.note_pages.addWidget(self.preview)
        self.preview_button = QToolButton()
        self.preview_button.setText(_("Preview"))
        self.preview_button.setCheckable(True)
        self.preview_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.regions = QListWidget()
        self.regions.setMaximumHeight(70)
        self.remove_region = QToolButton()
        self.remove_region.setText(_("Remove region"))
        self.relations = QListWidget()
        self.relations.setMaximumHeight(90)
        self.relation_kind = QComboBox()
        for kind in RELATION_KINDS:
            self.relation_kind.addItem(relation_word(kind), kind)
        self.relation_target = _LazyCombo()
        self.relation_target.setSizePolicy(
            QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred
        )
        self.relation_target.setPlaceholderText(_("choose an annotation…"))
        self.add_relation_button = QToolButton()
        self.add_relation_button.setText(_("Add"))
        self.remove_relation = QToolButton()
        self.remove_relation.setText(_("Remove relation"))
        # Add to seminar: the window's action (its key shows in the tooltip), set by the workbench
        self.seminar_button = QToolButton()
        self.seminar_button.setObjectName("AddToSeminar")
        self.seminar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.seminar_button.hide()
        self.delete_button = QPushButton(_("Delete annotation"))
        self.delete_button.setObjectName("Delete")

        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.go_in)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(8)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow: field below label
        form.addRow(_("Value"), self.value)
        form.addRow(_("Category"), self.category)
        form.addRow("", self.definition)
        form.addRow(_("Tags"), self.tags)
        form.addRow(_("Status"), status_box)
        form.addRow(_("Confidence"), confidence_box)
        form.addRow(_("Tier"), self.tier)
        form.addRow(_("Author"), self.author)
        note_head = QHBoxLayout()
        note_head.addWidget(QLabel(_("Note")))
        note_head.addStretch(1)
        note_head.addWidget(self.preview_button)
        region_buttons = QWidget()
        self.tool_row = FlowLayout(region_buttons, spacing=2)  # drawing tools, then Remove region
        self.tool_row.addWidget(self.remove_region)
        relation_add = QVBoxLayout()  # two lines: one would be wider than a laptop's column
        relation_add.addWidget(self.relation_kind)
        relation_target_row = QHBoxLayout()
        relation_target_row.addWidget(self.relation_target, 1)
        relation_target_row.addWidget(self.add_relation_button)
        relation_add.addLayout(relation_target_row)

        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(10, 8, 10, 8)
        column.addLayout(head)
        column.addWidget(self.range_label)
        column.addLayout(form)
        column.addLayout(note_head)
        column.addWidget(self.note_pages)
        column.addWidget(self._section(_("Regions on the picture")))
        column.addWidget(region_buttons)
        column.addWidget(self.regions)
        column.addWidget(self._section(_("Relations")))
        column.addWidget(self.relations)
        column.addLayout(relation_add)
        last = QWidget()
        row = FlowLayout(last, spacing=8)
        row.addWidget(self.remove_relation)
        row.addWidget(self.seminar_button)
        row.addWidget(self.delete_button)
        column.addWidget(last)
        column.addStretch(1)
        # Scrolls down, never sideways: every row above wraps to the column's width.
        scroll = QScrollArea()
        self.form_scroll = scroll  # (QWidget.scroll is a method)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for combo in (self.category, self.tier, self.relation_kind, self.relation_target):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(10)
        scroll.setWidget(body)

        # (the category field's keys reach its line edit through the combo: filtered there)
        for field in (self.note, self.value, self.tags, self.author, self.category):
            field.installEventFilter(self._undo_filter)
        self.value.textEdited.connect(self._value_typed)
        self.category.currentIndexChanged.connect(self._show_category_name)
        self.category.currentIndexChanged.connect(self._category_chosen)
        self.category.installEventFilter(self._select_on_focus)
        category_line = self.category.lineEdit()
        assert category_line is not None  # editable
        category_line.returnPressed.connect(self._category_typed)
        category_line.editingFinished.connect(self._category_left)
        # once the completer has written the highlighted name, indented, into the field
        self.category_finder.activated[str].connect(
            lambda _name: QTimer.singleShot(0, self._show_category_name)
        )
        self.tags.editingFinished.connect(self._tags_edited)
        self.status.buttonClicked.connect(lambda b: self._choice("status", b.property("value")))
        self.confidence.buttonClicked.connect(
            lambda b: self._choice("confidence", b.property("value"))
        )
        self.tier.currentIndexChanged.connect(self._tier_chosen)
        self.author.editingFinished.connect(self._author_edited)
        self.note.textChanged.connect(self._note_typed)
        self.preview_button.toggled.connect(self._toggle_preview)
        self.go_in.clicked.connect(self._go_in)
        self.remove_region.clicked.connect(self._remove_region)
        self.relation_target.about_to_open.connect(self._fill_targets)
        self.add_relation_button.clicked.connect(self._add_relation_clicked)
        self.remove_relation.clicked.connect(self._remove_relation)
        self.relations.itemDoubleClicked.connect(
            lambda item: self.open_annotation.emit(int(item.data(Qt.ItemDataRole.UserRole + 1)))
        )
        self.delete_button.clicked.connect(self._delete_clicked)
        return scroll

    @staticmethod
    def _section(text: str) -> QLabel:
        label = QLabel(text.upper())
        font = QFont(label.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
        font.setBold(True)
        label.setFont(font)
        label.setObjectName("Section")
        return label

    def add_tool_actions(self, actions: list[QAction]) -> None:
        """The drawing tools (the workbench owns the actions and their keys)."""
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.tool_row.insertWidget(self.tool_row.count() - 1, button)  # before Remove region

    def set_seminar_action(self, action: QAction) -> None:
        """The Add to seminar button triggers the window's action (one command, one key)."""
        self.seminar_button.setDefaultAction(action)
        self.seminar_button.show()

    # -- project and annotation in -----------------------------------------------------------
    def bind(self, workspace: ProjectWorkspace | None, push: Callable[[cmd.Command], bool]) -> None:
        self.workspace, self.push = workspace, push
        self.reload_lists()
        self.show_annotation(None)

    def reload_lists(self) -> None:
        """Categories and tiers changed (vocabulary edited, tier added)."""
        self._loading = True
        try:
            self.category.clear()
            self.tier.clear()
            if self.workspace is None:
                return
            self.category.addItem(_("— no category —"), None)
            depth: dict[str, int] = {}
            for cat in self.bound.categories():
                depth[cat.key] = depth[cat.parent_key] + 1 if cat.parent_key in depth else 0
                self.category.addItem("    " * depth[cat.key] + cat.label(current()), cat.id)
                i = self.category.count() - 1
                self.category.setItemData(i, cat.definition(current()), Qt.ItemDataRole.ToolTipRole)
                if depth[cat.key] == 0:
                    font = QFont(self.category.font())
                    font.setBold(True)
                    self.category.setItemData(i, font, Qt.ItemDataRole.FontRole)
            for tier in self.bound.tiers():
                self.tier.addItem(tier.name, tier.id)
            self.tag_names.setStringList([t for t, _n in self.bound.tags()])
        finally:
            self._loading = False
        if self.annotation is not None:
            self.show_annotation(self.annotation.id)

    def show_annotation(self, annotation_id: int | None) -> None:
        """Show (or re-read after a change) one annotation; None shows the hint."""
        found = None
        if annotation_id is not None and self.workspace is not None:
            found = self.bound.annotation(annotation_id)
        self.annotation = found
        if found is None:
            self.pages.setCurrentIndex(0)
            return
        if self.film is None or self.film.id != found.film_id:
            self.film = self.bound.film(found.film_id)
        self._loading = True
        try:
            self._fill(found)
        finally:
            self._loading = False
        self.pages.setCurrentIndex(1)

    def _fill(self, a: Annotation) -> None:
        assert self.film is not None
        cat = self.bound.category(a.category_id) if a.category_id else None
        name = cat.label(current()) if cat else _("Annotation")
        self.title.setText(f"#{a.id}  {name}")
        count = a.range.length
        length = ngettext("{count} frame", "{count} frames", count).format(count=count)
        self.range_label.setText(
            f"{self.film.timecode(a.range.start)} → {self.film.timecode(a.range.end)}  ·  {length}"
        )
        row = max(0, self.category.findData(a.category_id))
        # never under the user's typing: a search in progress stays until Return or leaving
        if row != self.category.currentIndex() or not self.category.hasFocus():
            self.category.setCurrentIndex(row)
            self._show_category_name()
        if cat is None:
            self.definition.setText(_(NO_DEFINITION))
        else:
            self.definition.setText(cat.definition(current()) or _(NO_DEFINITION_YET))
        if not self.tags.hasFocus():
            self.tags.setText(", ".join(a.tags))
        if self.value.text() != a.value:
            self.value.setText(a.value)
        for group, value in ((self.status, a.status), (self.confidence, a.confidence)):
            for button in group.buttons():
                button.setChecked(button.property("value") == value)
        self.tier.setCurrentIndex(max(0, self.tier.findData(a.tier_id)))
        if not self.author.hasFocus():
            self.author.setText(a.author)
        if self.note.toPlainText() != a.note:
            self.note.setPlainText(a.note)
        self.preview.setMarkdown(a.note)
        self.regions.clear()
        for i, region in enumerate(a.regions):
            where = keyframes_said([k.frame for k in region.keyframes])
            shape = shape_word(region.shape)
            item = QListWidgetItem(
                f"{shape}{' · ' + region.label if region.label else ''}  —  {where}"
            )
            item.setData(Qt.ItemDataRole.UserRole, i)
            self.regions.addItem(item)
        self.remove_region.setEnabled(bool(a.regions))
        self._fill_relations(a)

    def _summary(self, other: Annotation) -> str:
        cat = self.bound.category(other.category_id) if other.category_id else None
        film = self.film if self.film and self.film.id == other.film_id else None
        film = film or self.bound.film(other.film_id)
        label = (
            cat.label(current())
            if cat
            else (other.note.strip().splitlines() or [_("annotation")])[0]
        )
        return f"#{other.id} {label[:40]} ({film.timecode(other.range.start)})"

    def _fill_relations(self, a: Annotation) -> None:
        self.relations.clear()
        for rel in self.bound.relations(a.id or 0):
            other = self.bound.annotation(rel.other(a.id or 0))
            if other is None:
                continue
            arrow = "→" if rel.source_id == a.id else "←"
            item = QListWidgetItem(
                _("{arrow} {relation}: {annotation}").format(
                    arrow=arrow,
                    relation=relation_word(rel.label_from(a.id or 0)),
                    annotation=self._summary(other),
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, rel)
            item.setData(Qt.ItemDataRole.UserRole + 1, other.id)
            item.setToolTip(_("Double-click to open it"))
            self.relations.addItem(item)
        self.remove_relation.setEnabled(self.relations.count() > 0)
        self.relation_target.clear()

    def _fill_targets(self) -> None:
        a = self.annotation
        if a is None or self.relation_target.count():
            return
        for other in self.bound.annotations(film_id=a.film_id):
            if other.id != a.id:
                self.relation_target.addItem(self._summary(other), other.id)

    # -- edits out -------------------------------------------------------------------------------
    def _edit(self, command: cmd.Command) -> None:
        if not self._loading and self.annotation is not None:
            self.push(command)

    def _category_chosen(self, _index: int) -> None:
        a = self.annotation
        if a is not None and not self._loading and self.category.currentData() != a.category_id:
            self._edit(cmd.set_category(a.id or 0, self.category.currentData()))

    def find_category(self, typed: str) -> int:
        """The row of the category named `typed`, else of the first whose name contains it
        (case aside); -1 when none does."""
        wanted = typed.strip().casefold()
        names = [self.category.itemText(i).strip().casefold() for i in range(self.category.count())]
        if wanted in names:
            return names.index(wanted)
        return next((i for i, name in enumerate(names) if wanted and wanted in name), -1)

    def _finder_open(self) -> bool:
        """The list of names found is open with one highlighted: Return takes that one (the
        completer does, just after the line edit has heard Return)."""
        popup = self.category_finder.popup()
        if popup is None or not popup.isVisible():
            return False
        model = popup.selectionModel()
        return model is not None and popup.currentIndex() in model.selectedIndexes()

    def _show_category_name(self) -> None:
        """The chosen category's name in the field, without the list's indentation."""
        line = self.category.lineEdit()
        if line is not None:
            line.setText(self.category.itemText(self.category.currentIndex()).strip())

    def _category_typed(self) -> None:
        """Return in the Category field: the category whose name holds what was typed."""
        if self._finder_open():
            return
        line = self.category.lineEdit()
        assert line is not None
        typed = line.text().strip()
        if typed == self.category.itemText(self.category.currentIndex()).strip():
            return
        row = self.find_category(typed)
        if row < 0:
            self._show_category_name()
            self.message.emit(
                _("No category's name contains “{typed}”: the category is unchanged.").format(
                    typed=typed
                )
            )
            return
        self.category.setCurrentIndex(row)
        self._show_category_name()

    def _category_left(self) -> None:
        """Leaving the field without choosing (Tab, Esc, a click elsewhere): the category is
        the one it was, and the field says so again."""
        if not self._finder_open():
            self._show_category_name()

    def _tags_edited(self) -> None:
        a = self.annotation
        if a is None:
            return
        tags = [t.strip() for t in self.tags.text().split(",") if t.strip()]
        if tuple(sorted(set(tags))) != a.tags:
            self._edit(cmd.set_tags(a.id or 0, tags))

    def _choice(self, field: str, value: str) -> None:
        a = self.annotation
        if a is None or getattr(a, field) == value:
            return
        make = cmd.set_status if field == "status" else cmd.set_confidence
        self._edit(make(a.id or 0, value))

    def _tier_chosen(self, _index: int) -> None:
        a = self.annotation
        if a is not None and not self._loading and self.tier.currentData() not in (None, a.tier_id):
            self._edit(cmd.move_to_tier(a.id or 0, self.tier.currentData()))

    def _author_edited(self) -> None:
        a = self.annotation
        if a is not None and self.author.text().strip() != a.author:
            self._edit(
                cmd.EditAnnotation(
                    a.id or 0, {"author": self.author.text().strip()}, _("Change author")
                )
            )

    def _note_typed(self) -> None:
        a = self.annotation
        if a is not None and not self._loading and self.note.toPlainText() != a.note:
            # saved at once; consecutive keystrokes fold into one undo step
            self._edit(cmd.set_note(a.id or 0, self.note.toPlainText(), typing=True))

    def _value_typed(self, text: str) -> None:
        a = self.annotation
        if a is not None and not self._loading and text != a.value:
            self._edit(cmd.set_value(a.id or 0, text, typing=True))  # saved at once

    def write_note(self) -> None:
        """Put the typing in the note of the annotation just made from the keyboard, as ELAN
        opens its editor on a new annotation: the student types at once, and Esc gives the
        keys back to the picture."""
        if self.annotation is None:
            return
        if self.preview_button.isChecked():
            self.preview_button.setChecked(False)
        self.form_scroll.ensureWidgetVisible(self.note)
        self.note.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.note.moveCursor(QTextCursor.MoveOperation.End)

    def _toggle_preview(self, on: bool) -> None:
        if on:
            self.preview.setMarkdown(self.note.toPlainText())
        self.note_pages.setCurrentIndex(1 if on else 0)

    def _go_in(self) -> None:
        if self.annotation is not None:
            self.go_to_frame.emit(self.annotation.range.start)

    def _remove_region(self) -> None:
        a = self.annotation
        item = self.regions.currentItem() or (self.regions.item(0) if a and a.regions else None)
        if a is None or item is None:
            return
        index = int(item.data(Qt.ItemDataRole.UserRole))
        kept = [r for i, r in enumerate(a.regions) if i != index]
        self._edit(cmd.set_regions(a.id or 0, kept, _("Remove region")))

    def add_relation(self, kind: str, target_id: int) -> None:
        """Relate the shown annotation to another one (also what the Add button does)."""
        if self.annotation is not None:
            self._edit(cmd.AddRelation(self.annotation.id or 0, target_id, kind))

    def _delete_clicked(self) -> None:
        if self.annotation:
            self.delete_requested.emit(self.annotation.id or 0)

    def _add_relation_clicked(self) -> None:
        self._fill_targets()
        target = self.relation_target.currentData()
        if target is None:
            self.message.emit(_("Choose the annotation to relate this one to."))
            return
        self.add_relation(self.relation_kind.currentData(), int(target))

    def _remove_relation(self) -> None:
        item = self.relations.currentItem() or self.relations.item(0)
        if item is not None:
            self._edit(cmd.RemoveRelation(item.data(Qt.ItemDataRole.UserRole)))
