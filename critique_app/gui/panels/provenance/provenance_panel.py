"""The provenance panel: what a file's Content Credentials and plain metadata say, for a jury.

A verdict badge in words and colour, the AI signal, signer and generator, the action history,
the ingredient tree with thumbnails and each ingredient's own verdict, the unsigned metadata
apart, and the raw manifest JSON. Verification runs on a worker thread; files can be dropped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QSize, Qt, pyqtSignal
from PyQt6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QPixmap
from PyQt6.QtWidgets import (
    QGroupBox,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from critique_app.domain.provenance_words import (
    action_words,
    ai_signal_words,
    lists_consulted,
    signer_name,
    signer_trust,
    source_type_words,
    trust_list_words,
    verdict_words,
    without_codes,
)
from critique_app.gui import colours
from critique_app.gui.worker import TaskRunner
from critique_app.i18n import _, format_number
from critique_app.progress import Progress
from critique_app.provenance.reasons import sdk_codes
from critique_app.provenance.report import ProvenanceReport
from critique_app.services.provenance_history import CheckRecord


# reason -> (words on the badge, colour): the words are the domain's, the colours the theme's
class _Badges(Mapping[str, tuple[str, str]]):
    """Each verdict's words and colour; the words made when asked for, in the language in
    use then (a table made at import would keep the language of the import)."""

    def __getitem__(self, reason: str) -> tuple[str, str]:
        return verdict_words(reason), colours.BADGE_COLOURS[reason]

    def __iter__(self) -> Iterator[str]:
        return iter(colours.BADGE_COLOURS)

    def __len__(self) -> int:
        return len(colours.BADGE_COLOURS)


BADGES = _Badges()

VerifyFn = Callable[[str, str, Progress], ProvenanceReport]


def _default_verify(path: str, trust: str, progress: Progress) -> ProvenanceReport:
    from critique_app.services.verify import verify_file

    return verify_file(path, trust, progress=progress)


class ProvenancePanel(QWidget):
    """Shows one ProvenanceReport; `verify(path)` makes one without blocking the window."""

    report_shown = pyqtSignal(object)  # the ProvenanceReport now on screen
    failed = pyqtSignal(str)
    # "Use as category": the report's JSON; the window applies it to the selected annotation
    # with services.declared_category.apply_declared_signal (one undoable edit).
    category_requested = pyqtSignal(object)

    def __init__(
        self,
        parent: QWidget | None = None,
        verify_fn: VerifyFn | None = None,
        trust: str = "all",
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner if runner is not None else TaskRunner(self)
        self.setObjectName("ProvenancePanel")
        self.setAcceptDrops(True)
        self.trust = trust
        self._verify_fn = verify_fn or _default_verify
        self._task: Any = None
        self.report: ProvenanceReport | None = None
        # The column scrolls down, never sideways: on a 1280x800 laptop a report with soft
        # bindings is taller than the right column, and a squeezed wrapped label draws its
        # lines over its neighbours' instead of growing.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.column_scroll = QScrollArea()
        self.column_scroll.setWidgetResizable(True)
        self.column_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.column_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(self.column_scroll)
        body = QWidget()
        layout = QVBoxLayout(body)
        self.file_label = QLabel(
            _(
                "Drop a film or a still here, or choose Provenance ▸ Check a file…, to check its "
                "Content Credentials."
            )
        )
        self.file_label.setWordWrap(True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # an indeterminate bar: the reader gives no steps
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.badge = QLabel("—")
        self.badge.setObjectName("VerdictBadge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # a verdict is longer in French ("Valide, mais le signataire n’est sur aucune liste de
        # confiance"): on one line it widened the right column, and the window, past the screen
        self.badge.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.ai_label = QLabel()
        self.ai_label.setWordWrap(True)
        self.signer_label = QLabel()
        self.signer_label.setWordWrap(True)
        # whether the signer is on a trust list, and which lists were consulted
        self.trust_label = QLabel()
        self.trust_label.setObjectName("SignerTrust")
        self.trust_label.setWordWrap(True)
        self.use_category = QPushButton(_("Use as category"))
        self.use_category.setToolTip(
            _("Set the declared AI signal as the selected annotation's category (evidence: C2PA)")
        )
        self.use_category.setEnabled(False)
        self.use_category.clicked.connect(self._request_category)
        self.identities_label = QLabel()
        self.identities_label.setWordWrap(True)
        self.generator_label = QLabel()
        # the watermarks and fingerprints the credentials declare: shown, never judged
        self.soft_bindings_label = QLabel()
        self.soft_bindings_label.setObjectName("SoftBindings")
        self.soft_bindings_label.setWordWrap(True)
        self.soft_bindings_label.hide()
        for w in (self.file_label, self.busy, self.badge, self.summary, self.identities_label,
                  self.ai_label, self.use_category, self.signer_label, self.trust_label,
                  self.generator_label, self.soft_bindings_label):  # fmt: skip
            layout.addWidget(w)
        self.tabs = QTabWidget()
        self.tabs.setUsesScrollButtons(True)  # four tabs in a laptop's narrow right column
        self.actions_list = QListWidget()
        self.ingredients = QTreeWidget()
        self.ingredients.setHeaderLabels(
            [_("Ingredient"), _("Relationship"), _("Own verdict"), _("AI signal")]
        )
        self.ingredients.setIconSize(QSize(48, 48))
        self.metadata = QTableWidget(0, 2)
        self.metadata.setHorizontalHeaderLabels([_("Field (unsigned)"), _("Value")])
        self.metadata_note = QLabel(
            _("Plain metadata is unsigned: anyone can write, change or remove it. Hints only.")
        )
        self.metadata_note.setWordWrap(True)  # on one line it widened the whole right column
        meta_box = QWidget()
        meta_layout = QVBoxLayout(meta_box)
        meta_layout.addWidget(self.metadata_note)
        self.hints = QListWidget()
        meta_layout.addWidget(self.hints)
        meta_layout.addWidget(self.metadata)
        self.raw = QPlainTextEdit()
        self.raw.setReadOnly(True)
        self.tabs.addTab(self.actions_list, _("Actions"))
        self.tabs.addTab(self.ingredients, _("Ingredients"))
        self.tabs.addTab(meta_box, _("Unsigned metadata"))
        self.tabs.addTab(self.raw, _("Raw manifest"))
        # tall enough for a few actions or ingredients when the column scrolls
        self.tabs.setMinimumHeight(180)
        layout.addWidget(self.tabs, 1)
        self._build_recovered_section(layout)
        self._build_changes_section(layout)
        self.column_scroll.setWidget(body)

    # ---- verification on a worker thread -------------------------------------------------
    def verify(self, path: str | Path) -> None:
        """Check a file on a worker; the panel updates when the report arrives."""
        self.file_label.setText(_("Checking {name}…").format(name=Path(path).name))
        self.busy.show()
        fn = self._verify_fn
        trust = self.trust

        def check(progress: Progress) -> ProvenanceReport:
            report = fn(str(path), trust, progress)  # Cancel stops the child reading it
            progress.check()  # a report cut short by Cancel is not a verdict
            return report

        if self._task is not None:
            self._task.drop()  # an older check: its verdict is for another file
        self._task = self.runner.run(
            _("Checking provenance"),
            check,
            scope="film",
            on_done=self._arrived,
            on_error=self._failed,
            on_finished=self._check_ended,
        )

    @property
    def busy_now(self) -> bool:
        return self.busy.isVisible() or (self._task is not None and self._task.running)

    def _check_ended(self) -> None:
        if self._task is None or not self._task.running:
            self.busy.hide()

    def _arrived(self, report: ProvenanceReport) -> None:
        self.busy.hide()
        self.show_report(report)

    def _failed(self, sentence: str) -> None:
        self.busy.hide()
        self.file_label.setText(sentence)
        self.failed.emit(sentence)

    # ---- drag and drop ----------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent | None) -> None:
        mime = event.mimeData() if event is not None else None
        if event is not None and mime and mime.hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent | None) -> None:
        mime = event.mimeData() if event is not None else None
        if event is None or not mime:
            return
        files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.verify(files[0])

    # ---- showing a report -----------------------------------------------------------------
    def show_report(self, report: ProvenanceReport) -> None:
        self.report = report
        j = report.to_json()
        c = j["c2pa"]
        self.file_label.setText(
            f"{Path(j['path']).name} — {j['format']}, sha256 {j['sha256'][:12]}…"
        )
        reason = c["reason"]
        colour = colours.BADGE_COLOURS.get(reason, colours.BADGE_UNKNOWN)
        self.badge.setText(verdict_words(reason))
        self.badge.setToolTip(_("C2PA reason code: {code}").format(code=reason))
        self.badge.setStyleSheet(
            f"background:{colour}; color:{colours.BADGE_TEXT}; font-weight:bold; padding:6px; "
            "border-radius:4px"
        )
        # the status codes a verdict cites are for experts: in the tooltip, not the sentence
        codes = sorted({*c["failures"], *c["ingredient_failures"], *sdk_codes()})
        self.summary.setText(without_codes(c["summary"], codes))
        failures = ", ".join(sorted({*c["failures"], *c["ingredient_failures"]}))
        self.summary.setToolTip(
            _("C2PA status codes: {codes}").format(codes=failures) if failures else ""
        )
        # Identities sit beside the verdict and never change it.
        self.identities_label.setText(c.get("identities_summary") or "")
        self.identities_label.setVisible(bool(c.get("identities")))
        key = c.get("ai_signal_category")
        self.use_category.setEnabled(bool(key))
        # The button stays short (the panel must fit a laptop's column); what it applies is
        # in words in its tooltip, with the IPTC term for experts.
        self.use_category.setToolTip(
            _("Make “{category}” (IPTC: {term}) the selected annotation's category.").format(
                category=source_type_words(key), term=key.rsplit(".", 1)[-1]
            )
            if key
            else _("The credentials declare no AI signal to use as a category.")
        )
        self.ai_label.setText(
            _("AI signal: {signal}. {summary}").format(
                signal=ai_signal_words(c["ai_signal"]), summary=c["ai_signal_summary"]
            )
        )
        self.ai_label.setToolTip(_("C2PA AI signal code: {code}").format(code=c["ai_signal"]))
        s = c["signer"] or {}
        if c["present"] and s:
            self.signer_label.setText(_signer_sentences(s, c["signed_at"]))
            self.generator_label.setText(
                _("Generator: {generator}").format(generator=c["generator"])
                if c["generator"]
                else _("Generator: not stated.")
            )
        else:
            self.signer_label.setText(_("No signer: there are no readable credentials."))
            self.generator_label.setText(_("Generator: not stated."))
        trust = signer_trust(reason, c["trust_list"])
        self.trust_label.setText(
            f"{trust} {lists_consulted(j.get('trust_dates'))}" if trust else ""
        )
        self.trust_label.setToolTip(
            _("Trust setting: {setting}; vouched for by: {lists}").format(
                setting=j.get("trust_setting"), lists=trust_list_words(c["trust_list"])
            )
        )
        self.trust_label.setVisible(bool(trust))
        self._fill_soft_bindings(c.get("soft_bindings") or [])
        self._fill_actions(c["actions"])
        self._fill_ingredients(report)
        self._fill_metadata(j["metadata"])
        raw = report.c2pa.raw_json
        self.raw.setPlainText(json.dumps(json.loads(raw), indent=2) if raw else c["error"] or "")
        self.report_shown.emit(report)

    def _request_category(self) -> None:
        if self.report is not None:
            self.category_requested.emit(self.report.to_json())

    def _fill_soft_bindings(self, found: list[dict]) -> None:
        """Each soft binding in a sentence, with what Critique cannot check about it; the
        algorithm's code and the full value in the tooltip, for experts."""
        from critique_app.provenance.soft_bindings import heading, sentence

        self.soft_bindings_label.setVisible(bool(found))
        if not found:
            self.soft_bindings_label.setText("")
            self.soft_bindings_label.setToolTip("")
            return
        notes = dict.fromkeys(sb["note"] for sb in found)  # each kind's note once, in order
        lines = [heading(), *(f"• {sentence(sb)}" for sb in found), *notes]
        self.soft_bindings_label.setText("\n".join(lines))
        self.soft_bindings_label.setToolTip(
            "\n".join(
                _("{alg}: {value}").format(alg=sb["alg"], value=b["value"])
                for sb in found
                for b in sb["blocks"]
            )
        )

    def _fill_actions(self, actions: list[dict]) -> None:
        self.actions_list.clear()
        for a in actions:
            parts = [a.get("when") or _("time not stated"), action_words(a["action"])]
            parts += [a["software_agent"]] if a.get("software_agent") else []
            if a.get("digital_source_type"):
                parts.append(source_type_words(a["digital_source_type"]))
            if a.get("description"):
                parts.append(a["description"])
            self.actions_list.addItem(" — ".join(parts))
            item = self.actions_list.item(self.actions_list.count() - 1)
            if item is not None:
                term = a.get("digital_source_type")
                item.setToolTip(
                    _("C2PA action code: {code}; IPTC digital source type: {term}").format(
                        code=a["action"], term=term
                    )
                    if term
                    else _("C2PA action code: {code}").format(code=a["action"])
                )

    def _fill_ingredients(self, report: ProvenanceReport) -> None:
        from critique_app.provenance.verdict import manifest_to_json

        self.ingredients.clear()
        active = report.c2pa.manifests.get(report.c2pa.active_label or "")
        if active is None:
            return
        manifests = report.c2pa.manifests

        def add(parent: QTreeWidget | QTreeWidgetItem, ing: Any, seen: frozenset[str]) -> None:
            j = manifest_to_json(ing, manifests, set())
            signal = j.get("ai_signal", "unknown")
            item = QTreeWidgetItem(
                [
                    ing.title or _("untitled ingredient"),
                    ing.relationship or "",
                    verdict_words(j["reason"]),
                    ai_signal_words(signal),
                ]
            )
            item.setToolTip(2, _("C2PA reason code: {code}").format(code=j["reason"]))
            item.setToolTip(3, _("C2PA AI signal code: {code}").format(code=signal))
            if ing.thumbnail:
                pix = QPixmap()
                if pix.loadFromData(ing.thumbnail):
                    item.setIcon(0, QIcon(pix))
            if isinstance(parent, QTreeWidget):
                parent.addTopLevelItem(item)
            else:
                parent.addChild(item)
            m = manifests.get(ing.manifest_label or "")
            if m is not None and m.label not in seen:
                for sub in m.ingredients:
                    add(item, sub, seen | {m.label})

        for ing in active.ingredients:
            add(self.ingredients, ing, frozenset({active.label}))
        self.ingredients.expandAll()

    def _fill_metadata(self, meta: dict) -> None:
        self.hints.clear()
        for hint in meta["ai_hints"]:
            self.hints.addItem(_("Hint (unsigned): {hint}").format(hint=hint))
        fields = meta["fields"]
        self.metadata.setRowCount(len(fields))
        for row, (key, value) in enumerate(sorted(fields.items())):
            self.metadata.setItem(row, 0, QTableWidgetItem(key))
            self.metadata.setItem(row, 1, QTableWidgetItem(value))

    # ---- what changed since the file's last check kept in the project (issue 24) -------------
    def _build_changes_section(self, layout: QVBoxLayout) -> None:
        """The history a jury audits: the window keeps each check in the project and says here
        what moved since the previous one; hidden until the comparison arrives."""
        self.changes = QGroupBox(_("Since the last check"))
        self.changes.setObjectName("ProvenanceChanges")
        box = QVBoxLayout(self.changes)
        self.changes_label = QLabel()
        self.changes_label.setWordWrap(True)
        box.addWidget(self.changes_label)
        self.changes.hide()
        layout.addWidget(self.changes)
        self.report_shown.connect(lambda _report: self.show_changes(None))

    def show_changes(self, record: CheckRecord | None) -> None:
        """A services.provenance_history.CheckRecord for the report on screen (None: hide)."""
        self.changes.setVisible(record is not None)
        if record is None:
            self.changes_label.setText("")
            return
        self.changes_label.setText(
            "\n".join([record.heading(), *(f"• {s}" for s in record.sentences)])
        )

    # ---- credentials recovered by content (issue 13) -----------------------------------------
    def _build_recovered_section(self, layout: QVBoxLayout) -> None:
        """A section of its own for what a perceptual match to a signed library original
        suggests about a copy without credentials; hidden until there is something to show."""
        self.recovered = QGroupBox(_("Credentials recovered by content"))
        self.recovered.setObjectName("RecoveredCredentials")
        box = QVBoxLayout(self.recovered)
        self.recovered_note = QLabel()
        self.recovered_note.setWordWrap(True)
        self.recovered_list = QListWidget()
        box.addWidget(self.recovered_note)
        box.addWidget(self.recovered_list)
        self.recovered.hide()
        layout.addWidget(self.recovered)
        self.report_shown.connect(lambda _report: self.show_recovered([]))

    def show_recovered(self, entries: list[dict]) -> None:
        """Entries of `c2pa.recovered_by_content` (services.recovered_credentials)."""
        from critique_app.services.recovered_credentials import RECOVERED_WORDING

        self.recovered_list.clear()
        self.recovered.setVisible(bool(entries))
        if not entries:
            return
        self.recovered_note.setText(
            _("This copy matches signed library originals; what follows is {wording}").format(
                wording=_(RECOVERED_WORDING)
            )
        )
        for e in entries:
            o, item = e["original"], e["item"]
            frames = ", ".join(f"{x['start_frame']}–{x['end_frame']}" for x in e["segments"])
            self.recovered_list.addItem(
                _(
                    "{item}: frames {frames}, median distance {distance}. Original: {verdict}; "
                    "signed by {signer}; vouched for by {trust_list}; AI signal {ai_signal}; "
                    "manifest {manifest}"
                ).format(
                    item=item["label"],
                    frames=frames,
                    distance=format_number(e["median_distance"]),
                    verdict=verdict_words(o.get("reason")),
                    signer=signer_name(o.get("signer")),
                    trust_list=trust_list_words(o.get("trust_list")),
                    ai_signal=ai_signal_words(o.get("ai_signal")),
                    manifest=o.get("manifest_label"),
                )
            )
            shown = self.recovered_list.item(self.recovered_list.count() - 1)
            if shown is not None:
                shown.setToolTip(
                    _("C2PA codes: reason {reason}, AI signal {ai_signal}").format(
                        reason=o.get("reason"), ai_signal=o.get("ai_signal")
                    )
                )


def _signer_sentences(signer: dict[str, Any], signed_at: str | None) -> str:
    """Who signed, who issued the certificate and when, each said only when known."""
    who = signer_name(signer)
    issuer = signer.get("issuer")
    first = (
        _("Signed by {signer}, with a certificate issued by {issuer}.").format(
            signer=who, issuer=issuer
        )
        if issuer
        else _("Signed by {signer}; the certificate does not name its issuer.").format(signer=who)
    )
    when = (
        _("Signed on {moment}.").format(moment=signed_at)
        if signed_at
        else _("The time of signing is not proven (no trusted timestamp).")
    )
    return f"{first} {when}"
