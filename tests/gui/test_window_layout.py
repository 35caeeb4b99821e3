"""The window on a 1280×800 laptop (the offscreen screen of the suite, tests/laptop_screen.json):
it opens inside the screen, every control of the annotation editor can be reached, the panels
are tabs of a usable size, View ▸ Reset layout puts the default back, and a restart finds the
panels, the splitter and the table's column widths where they were left."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import QEvent, QPoint, QRect, Qt
from PyQt6.QtWidgets import QApplication, QDockWidget, QScrollArea, QToolButton, QWidget

from critique_app import i18n
from critique_app.domain.model import Annotation, FrameRange, Region
from critique_app.domain.vocabulary import parse_vocabulary
from critique_app.gui.fitting_label import ElidedLabel
from critique_app.gui.main_window import MainWindow
from critique_app.gui.settings import Settings
from critique_app.gui.window_layout import LAYOUT_VERSION, fit_to_screen
from critique_app.player.fake_engine import FakeEngine
from critique_app.services.films import add_film
from db.project import open_project
from tests.conftest import FRAME_WAIT_MS
from tests.gui.annotation_projects import VOCABULARY

RIGHT = Qt.DockWidgetArea.RightDockWidgetArea
BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea
LONG_LABEL = "Identity drift of a secondary character across a match cut in a crowd"
LONG_DEFINITION = (
    "A face, a body or a voice that should stay one person's changes into someone else's "
    "between two shots or inside one shot, without a cut or a story reason: the generator "
    "kept the idea of a person, not the person. Look at ears, hairlines and teeth first."
)


def project_with_everything(folder: Path, clip: Path) -> tuple[Path, int]:
    """A project whose annotation fills every part of the editor: a long category name and
    definition, tags, a region, a relation. Returns the path and that annotation's id."""
    vocabulary = copy.deepcopy(VOCABULARY)
    vocabulary["levels"][0]["types"].append(  # type: ignore[index]
        {
            "key": "temporal.crowd-drift",
            "label": {"en": LONG_LABEL},
            "definition": {"en": LONG_DEFINITION},
        }
    )
    path = folder / "laptop.critique"
    with open_project(path, default_vocabulary=False) as project:
        repo = project.repo
        repo.save_vocabulary(parse_vocabulary(json.dumps(vocabulary)))
        film = add_film(project, clip, title="Coded clip")
        tier = repo.add_tier("Anna — montage, first viewing", author="Anna")
        cat = {c.key: c.id for c in repo.categories()}
        box = Region.still("rectangle", [(0.1, 0.1), (0.5, 0.5)], 12)
        full = repo.add_annotation(
            Annotation.create(
                film.id,
                tier.id,
                FrameRange(10, 40),
                category_id=cat["temporal.crowd-drift"],
                note="The man at the back is three people in one shot.",
                tags=("crowd", "face"),
                status="contested",
                confidence="medium",
                author="Anna",
                regions=(box,),
            )
        )
        other = repo.add_annotation(
            Annotation.create(film.id, tier.id, FrameRange(50, 60), note="Same face again.")
        )
        repo.add_relation(full.id or 0, other.id or 0, "continues")
    return path, int(full.id or 0)


@pytest.fixture
def new_window(qtbot: Any) -> Iterator[Callable[..., MainWindow]]:
    """`new_window(settings_file, project=None)`: a window at its own default size, shown."""
    made: list[MainWindow] = []

    def make(settings_file: Path, project: Path | None = None) -> MainWindow:
        window = MainWindow(settings=Settings(settings_file), engines=(FakeEngine(), None))
        qtbot.addWidget(window)
        made.append(window)
        window.show()
        qtbot.waitExposed(window)
        if project is not None:
            window.open_path(project)
            qtbot.waitUntil(
                lambda: window.session.opening is None and window.session.film is not None,
                timeout=FRAME_WAIT_MS,
            )
        return window

    yield make
    for window in made:
        window.close()
        window.deleteLater()  # gone now, not at the interpreter's exit
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def room() -> QRect:
    screen = QApplication.primaryScreen()
    assert screen is not None
    return screen.availableGeometry()


def dock(window: MainWindow, title: str) -> QDockWidget:
    found = window.findChild(QDockWidget, f"panel:{title}")
    assert found is not None, title
    return found


def test_the_suite_runs_on_a_1280_by_800_screen() -> None:
    assert room() == QRect(0, 0, 1280, 800)


def test_the_window_opens_inside_the_screen_and_uses_it(new_window: Any, tmp_path: Path) -> None:
    window = new_window(tmp_path / "settings.ini")
    frame = window.frameGeometry()
    assert room().contains(frame), (frame, room())
    assert frame.width() >= 1200 and frame.height() >= 700  # the laptop's room, not a corner
    hint = window.minimumSizeHint()  # and it could be smaller still, down to 1280×720
    assert hint.width() <= window.width() and hint.height() <= window.height()
    assert hint.width() <= 1280 - 12 and hint.height() <= 720 - 60, hint


def test_a_saved_geometry_too_large_or_off_screen_comes_back_inside(
    new_window: Any, tmp_path: Path
) -> None:
    settings = tmp_path / "settings.ini"
    window = new_window(settings)
    window.setGeometry(QRect(2600, 1900, 2400, 1500))  # saved on a large second screen
    assert not room().contains(window.frameGeometry())
    window.close()
    again = new_window(settings)
    assert room().contains(again.frameGeometry()), again.frameGeometry()

    width = max(1150, again.minimumWidth())  # (the dark theme's paddings widen the minimum)
    again.setGeometry(QRect(-900, 300, width, 700))  # mostly off the left edge
    fit_to_screen(again)
    assert room().contains(again.frameGeometry())
    assert again.width() == width  # moved in, not shrunk: it fitted


def editor_controls(editor: Any) -> dict[str, QWidget]:
    controls: dict[str, QWidget] = {
        "Go to in": editor.go_in,
        "Value": editor.value,
        "Category": editor.category,
        "Definition": editor.definition,
        "Tags": editor.tags,
        "Tier": editor.tier,
        "Author": editor.author,
        "Note": editor.note,
        "Preview": editor.preview_button,
        "Regions": editor.regions,
        "Remove region": editor.remove_region,
        "Relations": editor.relations,
        "Relation kind": editor.relation_kind,
        "Relation target": editor.relation_target,
        "Add relation": editor.add_relation_button,
        "Remove relation": editor.remove_relation,
        "Delete annotation": editor.delete_button,
    }
    for group in (editor.status, editor.confidence):
        for button in group.buttons():
            controls[button.text()] = button
    tools = editor.tool_row.parentWidget()
    for button in tools.findChildren(
        QToolButton, options=Qt.FindChildOption.FindDirectChildrenOnly
    ):
        if button is not editor.remove_region:
            controls[f"tool {button.text()}"] = button
    return controls


def scroll_to(scroll: QScrollArea, widget: QWidget) -> None:
    """Scroll until the whole widget shows (ensureWidgetVisible shows a line edit's cursor only)."""
    where = widget.mapTo(scroll.widget(), QPoint(0, 0))
    half_w, half_h = widget.width() // 2, widget.height() // 2
    scroll.ensureVisible(where.x() + half_w, where.y() + half_h, half_w + 1, half_h + 1)


def assert_reachable(editor: Any, name: str, control: QWidget) -> None:
    """Scrolled to, the whole control shows inside the editor (no parent cuts it off)."""
    scroll = editor.form_scroll
    scroll_to(scroll, control)
    QApplication.processEvents()
    assert control.isVisible(), name
    assert control.width() >= control.minimumSizeHint().width(), name  # not squeezed
    viewport = scroll.viewport()
    parent = control.parentWidget()
    while parent is not None:
        where = QRect(control.mapTo(parent, QPoint(0, 0)), control.size())
        assert parent.rect().contains(where), (name, parent.objectName(), where, parent.rect())
        if parent is viewport:
            break
        parent = parent.parentWidget()
    assert parent is viewport, name


def test_every_editor_control_is_reachable_at_1280_by_800(
    new_window: Any, tmp_path: Path, clip: Path
) -> None:
    project, ident = project_with_everything(tmp_path, clip)
    window = new_window(tmp_path / "settings.ini", project)
    bench = window.annotations
    bench.select(ident)
    editor = bench.editor
    assert editor.pages.currentIndex() == 1 and not editor.visibleRegion().isEmpty()
    assert editor.title.text().endswith(LONG_LABEL)
    controls = editor_controls(editor)
    assert {"contested", "high", "Go to in", "Preview", "Remove region", "Delete annotation"} <= (
        set(controls)
    )
    assert len([n for n in controls if n.startswith("tool ")]) == 5
    for width in (dock(window, "Annotation").width(), dock(window, "Annotation").minimumWidth()):
        # at the default width, then dragged as narrow as it goes: rows wrap, never cut
        window.resizeDocks([dock(window, "Annotation")], [width], Qt.Orientation.Horizontal)
        QApplication.processEvents()
        body = editor.form_scroll.widget()
        assert body.width() <= editor.form_scroll.viewport().width()  # no sideways cut
        for name, control in controls.items():
            assert_reachable(editor, name, control)


def test_choosing_a_category_never_moves_the_fields(
    new_window: Any, tmp_path: Path, clip: Path, real_look: QApplication
) -> None:
    """In the app's own look: without its stylesheet the transport bar was narrower and a
    jump of the editor column (below) never showed."""
    project, ident = project_with_everything(tmp_path, clip)
    window = new_window(tmp_path / "settings.ini", project)
    bench = window.annotations
    editor = bench.editor
    bench.select(ident)
    body = editor.form_scroll.widget()

    def fields_at() -> list[int]:
        QApplication.processEvents()
        return [w.mapTo(body, QPoint(0, 0)).y() for w in (editor.tags, editor.note, editor.tier)]

    where = fields_at()
    shown = editor.definition
    assert shown.toolTip() == LONG_DEFINITION  # all of it, in the tooltip
    assert shown.shown_text().endswith("…") and len(shown.shown_text()) < len(LONG_DEFINITION)
    for label in ("Hands", "Morphing without a cut", "— no category —", LONG_LABEL):
        index = next(
            i
            for i in range(editor.category.count())
            if editor.category.itemText(i).strip() == label
        )
        editor.category.setCurrentIndex(index)  # as a click in the list does: one undoable edit
        assert fields_at() == where, label
    assert bench.bound.annotation(ident).category_id == editor.category.currentData()


def test_an_elided_label_keeps_its_height_and_shows_a_short_text_whole(qtbot: Any) -> None:
    label = ElidedLabel(lines=2)
    qtbot.addWidget(label)
    label.resize(220, label.height())
    height = label.height()
    label.setText("One thing becomes another inside a shot.")
    assert label.shown_text() == label.text() and label.height() == height
    label.setText(LONG_DEFINITION)
    assert label.height() == height
    assert label.shown_text().endswith("…") and label.toolTip() == LONG_DEFINITION


@pytest.fixture(params=["en", "fr"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    """The window built in English, then in French (whose words are longer: DÉFILEMENT)."""
    i18n.use(request.param, explicit=True)
    yield request.param
    i18n.use(i18n.SOURCE)


def test_panels_are_tabs_on_the_right_with_usable_sizes(
    new_window: Any, tmp_path: Path, clip: Path, real_look: QApplication, language: str
) -> None:
    """In the app's own look and in both languages: every panel shown, the window still fits
    (its minimum was 1269 px in English and 1284 px in French with the dark stylesheet)."""
    project, _ident = project_with_everything(tmp_path, clip)
    window = new_window(tmp_path / "settings.ini", project)
    editor = dock(window, "Annotation")
    assert window.dockWidgetArea(editor) == RIGHT
    assert window.dockWidgetArea(dock(window, "Annotations")) == BOTTOM
    assert editor.isVisible() and dock(window, "Annotations").isVisible()
    for title in ("Screening", "Agreement", "Matches", "Seminars", "Provenance"):
        panel = dock(window, title)
        toggle = panel.toggleViewAction()
        assert toggle is not None
        toggle.trigger()  # Panels ▸ title
        QApplication.processEvents()
        assert panel.isVisible() and not panel.visibleRegion().isEmpty(), title  # in front
        assert window.dockWidgetArea(panel) == RIGHT, title
        assert panel in window.tabifiedDockWidgets(editor), title  # a tab, not stacked
        assert panel.width() >= 300 and panel.height() >= 300, (title, panel.size())
        assert room().contains(window.frameGeometry())
    table = dock(window, "Annotations")
    assert table.height() >= table.minimumHeight() >= 150
    hint = window.minimumSizeHint()  # every panel shown: still fits a 1280×720 screen
    assert hint.width() <= 1280 - 12 and hint.height() <= 720 - 60, hint


def test_the_table_filters_show_their_first_entry_whole(
    new_window: Any, tmp_path: Path, clip: Path, real_look: QApplication, language: str
) -> None:
    """At 1280×800, in both languages: "Toutes les catégories" was cut to "Toutes les catégori"
    beside the search; the search gives up its room first."""
    from critique_app.gui.annotate.annotation_table import AnnotationTable

    project, _ident = project_with_everything(tmp_path, clip)
    window = new_window(tmp_path / "settings.ini", project)
    table = window.findChild(AnnotationTable)
    assert table is not None and table.isVisible()
    for box in (table.tier_box, table.category_box, table.author_box, table.status_box):
        first = box.itemText(0)
        room_for_text = box.width() - 30  # the arrow and the frame
        assert box.fontMetrics().horizontalAdvance(first) <= room_for_text, (first, box.width())
    assert table.search.width() >= 150  # still room to type a word and see it


def test_reset_layout_puts_the_default_back(new_window: Any, tmp_path: Path) -> None:
    window = new_window(tmp_path / "settings.ini")
    screening, table, editor = (dock(window, t) for t in ("Screening", "Annotations", "Annotation"))
    window.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, table)
    screening.show()
    screening.setFloating(True)
    editor.hide()
    window.annotations.table.view.horizontalHeader().resizeSection(4, 333)
    window.action_table["reset_layout"].trigger()  # View ▸ Reset layout
    QApplication.processEvents()
    assert window.dockWidgetArea(table) == BOTTOM and table.isVisible()
    assert window.dockWidgetArea(editor) == RIGHT and editor.isVisible()
    assert not screening.isFloating() and not screening.isVisible()
    screening.toggleViewAction().trigger()  # Panels ▸ Screening: a tab beside the editor
    QApplication.processEvents()
    assert screening in window.tabifiedDockWidgets(editor)
    assert window.dockWidgetArea(screening) == RIGHT and not screening.visibleRegion().isEmpty()
    assert window.annotations.table.view.horizontalHeader().sectionSize(4) == 190
    assert room().contains(window.frameGeometry())


def test_a_restart_finds_the_panels_splitter_and_columns_where_they_were(
    new_window: Any, tmp_path: Path, clip: Path
) -> None:
    settings = tmp_path / "settings.ini"
    project, _ident = project_with_everything(tmp_path, clip)
    first = new_window(settings, project)
    table = dock(first, "Annotations")
    first.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, table)
    first.window_layout.dock("Agreement").toggleViewAction().trigger()
    header = first.annotations.table.view.horizontalHeader()
    header.resizeSection(4, 251)  # Category
    header.resizeSection(0, 120)  # In
    first.splitter.setSizes([300, 200])
    QApplication.processEvents()
    kept = first.splitter.sizes()
    first.close()

    second = new_window(settings, project)
    assert second.dockWidgetArea(dock(second, "Annotations")) == Qt.DockWidgetArea.TopDockWidgetArea
    agreement = dock(second, "Agreement")
    assert agreement.isVisible() and not agreement.visibleRegion().isEmpty()
    header = second.annotations.table.view.horizontalHeader()
    assert header.sectionSize(4) == 251 and header.sectionSize(0) == 120
    assert second.splitter.sizes() == kept
    assert room().contains(second.frameGeometry())


def test_a_layout_saved_by_another_version_is_ignored(new_window: Any, tmp_path: Path) -> None:
    settings_file = tmp_path / "settings.ini"
    first = new_window(settings_file)
    first.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, dock(first, "Annotations"))
    other_version = first.saveState(LAYOUT_VERSION + 1)
    first.close()
    settings = Settings(settings_file)
    settings.window_layout = other_version  # as an older (or newer) Critique left it
    settings.sync()

    second = new_window(settings_file)
    assert second.dockWidgetArea(dock(second, "Annotations")) == BOTTOM
    assert dock(second, "Annotation").isVisible()


def test_a_panel_left_floating_off_screen_comes_back_inside(
    new_window: Any, tmp_path: Path
) -> None:
    settings_file = tmp_path / "settings.ini"
    first = new_window(settings_file)
    seminars = dock(first, "Seminars")
    seminars.toggleViewAction().trigger()
    seminars.setFloating(True)
    seminars.move(2500, 1800)  # on a second screen, unplugged before the next start
    QApplication.processEvents()
    first.close()

    second = new_window(settings_file)
    again = dock(second, "Seminars")
    assert again.isFloating() and again.isVisible()
    assert room().contains(again.frameGeometry()), again.frameGeometry()


def test_what_the_transport_says_never_narrows_the_editor(
    new_window: Any, tmp_path: Path, clip: Path, real_look: QApplication, language: str
) -> None:
    """The badge goes from nothing to EXACT, PLAYING, SCRUB: the window's minimum width stays
    the same, so the main window never takes room from the editor at a later layout (its
    fields wrapped and jumped 27 px when a category was chosen after a film opened). In French
    too (at 1280×800: transport 951 px at least and editor 330 px, against 926 and 339)."""
    project, ident = project_with_everything(tmp_path, clip)
    window = new_window(tmp_path / "settings.ini", project)
    window.annotations.select(ident)
    editor_dock = dock(window, "Annotation")
    transport = window.transport
    QApplication.processEvents()
    widths = set()
    for mode in ("loading", "playing", "scrubbing", "exact", ""):
        transport.set_mode(mode)
        QApplication.processEvents()
        layout = window.layout()
        assert layout is not None
        layout.invalidate()
        layout.activate()  # what any later layout request does
        QApplication.processEvents()
        widths.add((transport.minimumSizeHint().width(), editor_dock.width()))
        assert transport.badge.width() >= transport.badge.sizeHint().width(), mode  # never cut
    assert len(widths) == 1, widths
