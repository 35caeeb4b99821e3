"""The provenance panel and the matches panel show credentials recovered by content in a
place of their own, with the words that say it is an inference (offscreen)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from pytestqt.qtbot import QtBot

from critique_app.gui.panels.matches.matches_panel import MatchesPanel
from critique_app.gui.panels.provenance.provenance_panel import ProvenancePanel
from critique_app.provenance.matching import MatchSegment
from critique_app.services.recovered_credentials import RECOVERED_WORDING, recovered_entries
from critique_app.services.stored_matches import StoredMatch
from critique_app.services.verify import verify_file
from tests.provenance.ca import make_still

ORIGINAL = {
    "reason": "untrusted_signer",
    "state": "Valid",
    "signer": {"organisation": None, "common_name": "Critique test signer", "issuer": "CA"},
    "trust_list": None,
    "ai_signal": "fully_genai",
    "manifest_label": "urn:c2pa:1234",
}
SEGMENT = MatchSegment(7, "generated", "plain", 30, 75, 0, 70, 2.0, 6, 12, 46)


class _Film:
    title = "festival copy"

    def timecode(self, frame: int) -> str:
        return f"00:00:00:{frame:02d}"


def test_provenance_panel_has_its_own_section(qtbot: QtBot, tmp_path: Path) -> None:
    panel = ProvenancePanel(verify_fn=lambda path, trust: verify_file(path, trust, isolated=False))
    qtbot.addWidget(panel)
    entries = recovered_entries(
        [SEGMENT], lambda _i: ORIGINAL, lambda i: {"id": i, "label": "generated"}
    )
    panel.show_recovered(entries)
    assert panel.recovered.isVisibleTo(panel)
    assert RECOVERED_WORDING in panel.recovered_note.text()
    line = panel.recovered_list.item(0).text()  # type: ignore[union-attr]
    assert "generated" in line and "Critique test signer" in line and "urn:c2pa:1234" in line
    # a new report on screen clears what belonged to the previous file
    panel.show_report(verify_file(make_still(tmp_path / "plain.png"), "none", isolated=False))
    assert not panel.recovered.isVisibleTo(panel) and panel.recovered_list.count() == 0


def test_matches_panel_shows_the_original_credentials_of_the_selected_match(
    qtbot: QtBot,
) -> None:
    panel = MatchesPanel()
    qtbot.addWidget(panel)
    match = StoredMatch(SEGMENT, "clip", Fraction(24), "/lib/generated.mp4", ORIGINAL)
    panel.set_matches([match], _Film(), 2)
    assert not panel.original.isVisibleTo(panel)
    panel.table.selectRow(0)
    assert panel.original.isVisibleTo(panel)
    text = panel.original.text()
    assert RECOVERED_WORDING in text and "fully_genai" in text and "urn:c2pa:1234" in text
