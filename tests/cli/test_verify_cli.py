"""`critique-app verify`: one block per file, --json with every documented field, folders, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from critique_app.cli import main
from critique_app.provenance.c2pa_signer import sign_file
from tests.provenance.ca import make_still, signing_identity

REQUIRED = [
    "path", "sha256", "format", "c2pa.present", "c2pa.state", "c2pa.reason", "c2pa.trust_list",
    "c2pa.ai_signal", "c2pa.ai_signal_source", "c2pa.digital_source_types", "c2pa.generator",
    "c2pa.signer", "c2pa.signed_at", "c2pa.timestamped", "c2pa.actions", "c2pa.ingredients",
    "c2pa.failures", "c2pa.error", "metadata.fields", "metadata.ai_hints", "metadata.signed",
]  # fmt: skip


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("submissions")
    sign_file(make_still(d / "raw.jpg"), d / "signed.jpg", signing_identity())
    (d / "broken.mp4").write_bytes(b"\x00\x00\x00\x18ftypisom" + b"\x07" * 64)
    (d / "notes.txt").write_text("not media")
    return d


def test_json_has_every_documented_field(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["verify", "--json", str(folder / "signed.jpg"), str(folder / "raw.jpg")])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and len(out) == 2
    for obj in out:
        for dotted in REQUIRED:
            node = obj
            for part in dotted.split("."):
                assert part in node, dotted
                node = node[part]
    signed, raw = out
    assert signed["c2pa"]["reason"] == "untrusted_signer" and signed["c2pa"]["present"]
    assert signed["c2pa"]["ai_signal"] == "fully_genai" and signed["metadata"]["signed"] is False
    assert raw["c2pa"]["reason"] == "no_manifest" and raw["c2pa"]["present"] is False


def test_human_output_one_block_per_file(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["verify", str(folder / "signed.jpg"), "--trust", "none"])
    out = capsys.readouterr().out
    assert code == 0
    assert "VALID, signer not on a trust list" in out and "fully_genai" in out
    assert "Critique test signer" in out and "unsigned, easy to forge" in out


def test_folder_verifies_media_and_fails_on_unreadable(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["verify", "--json", str(folder)])
    captured = capsys.readouterr()
    names = [Path(o["path"]).name for o in json.loads(captured.out)]
    assert names == ["broken.mp4", "raw.jpg", "signed.jpg"]  # notes.txt is not media
    assert code == 1  # broken.mp4 could not be processed
    assert "broken.mp4" in captured.err and "Traceback" not in captured.err


def test_trust_pem_and_bad_settings(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pem = tmp_path / "school-ca.pem"
    pem.write_text(signing_identity().ca_pem)
    assert main(["verify", "--json", "--trust", str(pem), str(folder / "signed.jpg")]) == 0
    obj = json.loads(capsys.readouterr().out)[0]
    assert obj["c2pa"]["reason"] == "ok" and obj["c2pa"]["trust_list"] == f"pem:{pem}"
    assert main(["verify", "--trust", "bogus", str(folder / "signed.jpg")]) == 1
    assert "Unknown trust setting 'bogus'" in capsys.readouterr().err
    assert main(["verify", str(tmp_path / "missing.jpg")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["verify"]) == 2
