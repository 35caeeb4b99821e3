"""Sidecar manifests (`name.c2pa` beside `name.ext`) and trust lists a jury can audit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from critique_app.cli import main
from critique_app.paths import resource
from critique_app.provenance.c2pa_signer import SigningIdentity, sign_file
from critique_app.provenance.isolation import IsolatedReader
from critique_app.provenance.reader_pool import ReaderPool
from critique_app.services.verify import verify_file, verify_paths
from db.provenance_store import diff
from tests.provenance.ca import make_still


@pytest.fixture(scope="module")
def with_sidecar(identity: SigningIdentity, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """photo.jpg with its manifest kept beside it in photo.c2pa (nothing embedded)."""
    d = tmp_path_factory.mktemp("sidecar")
    src = make_still(d / "src.jpg")
    return sign_file(src, d / "photo.jpg", identity, sidecar=d / "photo.c2pa")


def test_asset_with_its_sidecar(
    with_sidecar: Path, ca_pem: str, isolated_reader: IsolatedReader
) -> None:
    side = with_sidecar.with_suffix(".c2pa")
    alone = verify_file(with_sidecar, ca_pem, reader=isolated_reader).to_json()
    assert alone["c2pa"]["reason"] == "no_manifest"  # nothing embedded
    j = verify_file(with_sidecar, ca_pem, reader=isolated_reader, sidecar=side).to_json()
    assert (j["c2pa"]["reason"], j["c2pa"]["ai_signal"]) == ("ok", "fully_genai")
    assert j["sidecar"] == str(side.resolve()) and j["format"] == "jpeg"


def test_tampered_asset_with_its_sidecar(
    with_sidecar: Path, ca_pem: str, tmp_path: Path, isolated_reader: IsolatedReader
) -> None:
    data = bytearray(with_sidecar.read_bytes())
    data[len(data) // 2] ^= 0xFF
    bad = tmp_path / "photo.jpg"
    bad.write_bytes(bytes(data))
    side = with_sidecar.with_suffix(".c2pa")
    c = verify_file(bad, ca_pem, reader=isolated_reader, sidecar=side).to_json()["c2pa"]
    assert (c["state"], c["reason"]) == ("Invalid", "tampered")
    assert "assertion.dataHash.mismatch" in c["failures"]


def test_folder_scan_pairs_sidecars_and_names_a_lone_one(
    with_sidecar: Path, ca_pem: str, tmp_path: Path, reader_pool: ReaderPool,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    folder = tmp_path / "submission"
    folder.mkdir()
    for f in (with_sidecar, with_sidecar.with_suffix(".c2pa")):
        (folder / f.name).write_bytes(f.read_bytes())
    (folder / "orphan.c2pa").write_bytes(with_sidecar.with_suffix(".c2pa").read_bytes())
    reports = verify_paths([folder], ca_pem, reader=reader_pool)
    by_name = {Path(r.path).name: r for r in reports}
    assert set(by_name) == {"photo.jpg", "orphan.c2pa"}  # photo.c2pa went with its asset
    assert by_name["photo.jpg"].verdict.reason == "ok"
    assert by_name["photo.jpg"].sidecar == str((folder / "photo.c2pa").resolve())
    lone = by_name["orphan.c2pa"].to_json()["c2pa"]
    assert lone["reason"] == "sidecar_without_asset"
    assert lone["summary"].startswith("A sidecar manifest without its asset")
    # The CLI: the lone sidecar is named on stderr and the exit status says a file failed.
    assert main(["verify", str(folder), "--trust", ca_pem, "--json"]) == 1
    out = capsys.readouterr()
    assert "a sidecar manifest without its asset" in out.err.lower()
    assert len(json.loads(out.out)) == 2
    code = main(["verify", str(folder / "photo.jpg"), "--manifest",
                 str(folder / "photo.c2pa"), "--trust", ca_pem])  # fmt: skip
    assert code == 0 and "manifest from the sidecar" in capsys.readouterr().out


def test_remote_manifest_url_is_shown_not_fetched(
    identity: SigningIdentity, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = sign_file(make_still(tmp_path / "s.jpg"), tmp_path / "cloud.jpg", identity,
                       remote_url="https://manifests.example.org/abc.c2pa")  # fmt: skip
    assert main(["verify", str(remote), "--trust", "none"]) == 0
    assert "remote manifest (not fetched): https://manifests.example.org/abc.c2pa" in (
        capsys.readouterr().out
    )


def test_trust_update_keeps_the_old_list_and_a_recheck_shows_the_change(
    identity: SigningIdentity, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    isolated_reader: IsolatedReader, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("CRITIQUE_DATA_DIR", str(tmp_path / "data"))
    still = sign_file(make_still(tmp_path / "s.jpg"), tmp_path / "still.jpg", identity)
    before = verify_file(still, "c2pa", reader=isolated_reader).to_json()
    assert before["c2pa"]["reason"] == "untrusted_signer"
    shipped = {f["file"]: f for f in before["trust_files"]}
    assert shipped["C2PA-TRUST-LIST.2026-11-22.pem"]["anchors"] == 30
    assert shipped["C2PA-TSA-TRUST-LIST.2026-11-22.pem"]["origin"] == "shipped"
    # A jury brings a newer C2PA list (here: one that also lists the school's test root).
    newer = tmp_path / "C2PA-TRUST-LIST.pem"
    newer.write_text(resource("trust", "C2PA-TRUST-LIST.2026-11-22.pem").read_text()
                     + identity.ca_pem)  # fmt: skip
    assert main(["trust", "update", str(newer), "--list", "c2pa", "--date", "2026-12-01"]) == 0
    assert "now dated 2026-12-01" in capsys.readouterr().out
    after = verify_file(still, "c2pa", reader=isolated_reader).to_json()
    assert (after["c2pa"]["reason"], after["c2pa"]["trust_list"]) == ("ok", "c2pa")
    assert after["trust_dates"]["c2pa"] == "2026-12-01"
    files = {f["file"]: f for f in after["trust_files"]}
    assert files["C2PA-TRUST-LIST.2026-12-01.pem"]["anchors"] == 31
    assert files["C2PA-TRUST-LIST.2026-12-01.pem"]["origin"] == "installed"
    assert "C2PA-TSA-TRUST-LIST.2026-11-22.pem" in files  # the part not brought stays
    changed = {c.field for c in diff(before, after)}
    assert {"reason", "trust lists", "trust files"} <= changed
    # The old list is kept (shipped, untouched) and the change is recorded.
    assert resource("trust", "C2PA-TRUST-LIST.2026-11-22.pem").is_file()
    assert main(["trust", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    (change,) = listed["history"]
    assert (change["list"], change["before"]["date"], change["after"]["date"]) == (
        "c2pa", "2026-11-22", "2026-12-01")  # fmt: skip
    # An older list is refused with a sentence; nothing changes.
    assert main(["trust", "update", str(newer), "--list", "c2pa", "--date", "2026-11-01"]) == 1
    assert "is older" in capsys.readouterr().err
