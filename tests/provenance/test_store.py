"""Reports stored in a real project file, and what a later re-check shows changed."""

from __future__ import annotations

from pathlib import Path

from critique_app.provenance.c2pa_signer import SigningIdentity, sign_file
from critique_app.provenance.isolation import IsolatedReader
from critique_app.services.verify import verify_file
from db.project import open_project
from db.provenance_store import diff, history, latest, save_report
from tests.provenance.ca import make_still


def test_store_and_recheck_shows_what_changed(
    identity: SigningIdentity, ca_pem: str, tmp_path: Path, isolated_reader: IsolatedReader
) -> None:
    signed = sign_file(make_still(tmp_path / "s.jpg"), tmp_path / "still.jpg", identity)
    first = verify_file(signed, "all", reader=isolated_reader).to_json()
    with open_project(tmp_path / "jury.critique") as project:
        save_report(project.db, first)
    # Months later: the school added its CA as a trust anchor and re-checks.
    second = verify_file(signed, ca_pem, reader=isolated_reader).to_json()
    with open_project(tmp_path / "jury.critique") as project:
        save_report(project.db, second)
        rows = history(project.db, sha256=first["sha256"])
        newest = latest(project.db, sha256=first["sha256"])
    assert [r.reason for r in rows] == ["untrusted_signer", "ok"]
    assert newest is not None and newest.state == "Trusted"
    assert rows[0].report["tool_versions"]["c2pa-rs"] and rows[0].report["trust_dates"] == {
        "c2pa": "2026-11-22", "interim": "2026-01-01"}  # fmt: skip
    changes = {c.field: c for c in diff(rows[0].report, rows[1].report)}
    assert set(changes) == {
        "state",
        "reason",
        "trust list",
        "trust lists",
        "trust files",
        "failures",
    }
    assert changes["failures"].before == ["signingCredential.untrusted"]
    assert (changes["state"].before, changes["state"].after) == ("Valid", "Trusted")
    assert "Valid" in changes["state"].sentence()
    assert diff(first, first) == []
