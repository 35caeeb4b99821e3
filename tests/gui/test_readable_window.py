"""Users never see an internal code, and Provenance ▸ Check a file… says who vouches.

The real demo project in the window with its panels in front one after another (provenance,
screening, matches, agreement, seminars, the annotation table): no verdict reason, AI signal,
identity status, C2PA status code or action code appears in any visible text — labels,
buttons, tabs, and every cell of every visible table, list and tree (the models' DisplayRole).
Tooltips are the experts' place for codes and are left out. Then a real signed still of the
provenance corpus, checked through the menu: the panel says plainly that the signer is on no
trust list, and names the lists it consulted.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    Qt,
)
from PyQt6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from critique_app.domain.provenance_words import (
    ACTION_WORDS,
    lists_consulted,
    verdict_words,
)
from critique_app.domain.screening import ScreeningResult
from critique_app.provenance.reasons import FAILURE_REASON, IDENTITY_STATUSES, sdk_codes
from critique_app.provenance.report import AI_SIGNALS, INGREDIENT_REASONS, REASONS
from critique_app.services.screening_table import row_of

DISPLAY = Qt.ItemDataRole.DisplayRole


def internal_codes(report_json: dict[str, Any] | None = None) -> set[str]:
    """Every code the domain defines that is unmistakably a code (an underscore or a dot in
    it: `none_declared`, `signingCredential.untrusted`, `c2pa.opened`). One-word codes (`ok`,
    `tampered`, `captured`, `verified`…) are English words meaning what the words say."""
    codes = {*REASONS, *INGREDIENT_REASONS, *AI_SIGNALS, *IDENTITY_STATUSES}
    codes |= {*FAILURE_REASON, *sdk_codes(), *ACTION_WORDS}
    if report_json is not None:  # the actions this very file declares
        codes |= {a["action"] for a in report_json["c2pa"]["actions"]}
    return {c for c in codes if "_" in c or "." in c}


def model_texts(model: QAbstractItemModel, parent: QModelIndex | None = None) -> list[str]:
    """Every DisplayRole text of a model, headers and nested rows (trees) included."""
    parent = parent if parent is not None else QModelIndex()
    out: list[str] = []
    # lists and tables are flat (PyQt hides their hasChildren; a list's columnCount too)
    flat = isinstance(model, QAbstractListModel | QAbstractTableModel)
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(parent)
    if not parent.isValid():
        for section in range(columns):
            out.append(str(model.headerData(section, Qt.Orientation.Horizontal, DISPLAY) or ""))
    for row in range(model.rowCount(parent)):
        for column in range(columns):
            index = model.index(row, column, parent)
            value = model.data(index, DISPLAY)
            if value is not None:
                out.append(str(value))
        first = model.index(row, 0, parent)
        if not flat and model.hasChildren(first):
            out += model_texts(model, first)
    return out


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(widget, text) for every text a user can see under `root` (tooltips excepted)."""
    out: list[tuple[str, str]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        name = f"{type(widget).__name__} {widget.objectName()}".strip()
        texts: list[str] = []
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            texts += [widget.text(), widget.placeholderText()]
        elif isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QTabBar):
            texts += [widget.tabText(i) for i in range(widget.count())]
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QDockWidget):
            texts.append(widget.windowTitle())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            texts += model_texts(widget.model())  # type: ignore[arg-type]
        out += [(name, t) for t in texts if t]
    return out


def codes_in(texts: list[tuple[str, str]], codes: set[str]) -> list[str]:
    pattern = re.compile(
        r"(?<![\w.])("
        + "|".join(re.escape(c) for c in sorted(codes, key=len, reverse=True))
        + r")(?![\w])"
    )
    return [f"{where}: {code!r} in {text!r}" for where, text in texts
            for code in pattern.findall(text)]  # fmt: skip


def test_the_checker_finds_a_code() -> None:
    codes = internal_codes()
    assert {"none_declared", "partly_genai", "untrusted_signer", "not_checked"} <= codes
    assert "ok" not in codes and "captured" not in codes
    found = codes_in([("QLabel", "AI signal partly_genai · untrusted_signer")], codes)
    assert len(found) == 2
    assert not codes_in([("QLabel", "Partly generated by AI")], codes)


def test_the_demo_panels_show_no_internal_code(
    open_window: Any, demo_project: Any, tmp_path: Path
) -> None:
    path = tmp_path / demo_project.project.name
    shutil.copy(demo_project.project, path)
    h = open_window(path)
    window, qtbot = h.window, h.qtbot
    seen: list[tuple[str, str]] = []

    # provenance: the demo film's own credentials (signed by the demo's certificate)
    window.matches.actions["check_provenance"].trigger()
    qtbot.waitUntil(lambda: window.provenance.panel is not None)
    panel = window.provenance.panel
    qtbot.waitUntil(lambda: panel.report is not None, timeout=60_000)
    report = panel.report.to_json()
    assert panel.badge.text() == verdict_words("untrusted_signer")
    assert "not on any trust list consulted" in panel.trust_label.text()
    seen += visible_texts(window.provenance.dock)
    panel.tabs.setCurrentWidget(panel.ingredients)
    seen += visible_texts(window.provenance.dock)

    # screening: a row made of the same report, in the real table model
    window.screening.dock.show()
    window.screening.dock.raise_()
    screening = window.screening.ensure_panel()
    result = ScreeningResult(path=report["path"], format=report["format"], settings_key="demo",
                             sha256=report["sha256"], verify=report)  # fmt: skip
    screening.show_rows([row_of(result)])
    assert screening.model.rowCount() == 1
    seen += visible_texts(window.screening.dock)

    # matches: the demo's stored matches, one selected (its original's credentials shown)
    window.matches.actions["show_matches"].trigger()
    qtbot.waitUntil(lambda: window.matches.panel is not None)
    matches = window.matches.panel
    qtbot.waitUntil(lambda: matches.table.rowCount() > 0)
    matches.table.selectRow(0)
    seen += visible_texts(window.matches.dock)

    # agreement of the demo's annotators
    window.agreement.show()
    qtbot.waitUntil(lambda: window.agreement.panel is not None)
    qtbot.waitUntil(lambda: window.agreement.panel.report is not None)
    seen += visible_texts(window.agreement.dock)

    # the seminar, then the whole window (annotation table, editor, status bar)
    window.seminars.show()
    qtbot.waitUntil(lambda: window.seminars.panel is not None)
    seen += visible_texts(window.seminars.dock)
    seen += visible_texts(window)

    assert any("Partly generated by AI" in text for _w, text in seen)
    assert len(seen) > 100, "the walk read the panels' texts"
    leaks = codes_in(seen, internal_codes(report))
    assert not leaks, leaks
    window.close()


def test_check_a_file_says_the_signer_is_not_trusted_and_which_lists(
    open_window: Any, provenance_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """C.jpg (c2pa-rs, MANIFEST.txt): signed with the C2PA test certificate, Valid but
    untrusted under no list, the C2PA list and the interim list alike."""
    from critique_app.gui.panels.provenance import provenance_check
    from critique_app.provenance.trust import trust_dates

    still = provenance_corpus / "c2pa-rs" / "C.jpg"
    assert still.is_file(), f"{still} is listed in MANIFEST.txt"
    monkeypatch.setattr(provenance_check, "choose_file", lambda _parent: str(still))
    h = open_window(None)  # no project, no film: any file can still be checked
    window, qtbot = h.window, h.qtbot
    action = window.action_table["check_file"]
    provenance_menu = next(
        m.menu() for m in window.menuBar().actions() if m.text().replace("&", "") == "Provenance"
    )
    assert action in provenance_menu.actions()
    action.trigger()
    qtbot.waitUntil(lambda: window.provenance.panel is not None)
    panel = window.provenance.panel
    qtbot.waitUntil(
        lambda: panel.report is not None and Path(panel.report.path).name == "C.jpg",
        timeout=60_000,
    )
    assert window.provenance.dock.isVisible()
    assert panel.badge.text() == verdict_words("untrusted_signer")
    said = panel.trust_label.text()
    assert panel.trust_label.isVisible()
    assert "The signer is not on any trust list consulted" in said
    assert "the C2PA trust list" in said and "the CAI interim trust list" in said
    assert lists_consulted(trust_dates("all")) in said  # with each list's date
    assert "?" not in panel.signer_label.text() and "C2PA Test Signing Cert" in (
        panel.signer_label.text()
    )
    leaks = codes_in(visible_texts(window.provenance.dock), internal_codes(panel.report.to_json()))
    assert not leaks, leaks
    window.close()
