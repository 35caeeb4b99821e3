"""Every status code the SDK lists has a reason, the doc's table is the code's, and every
rubric signal is linked to the AI-visual-regimes vocabulary."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from critique_app.paths import resource
from critique_app.provenance import reasons
from critique_app.provenance.report import REASONS
from critique_app.provenance.vocab import RUBRIC, SIGNAL_CATEGORY, category_key_for
from db.project import open_project

ROOT = Path(__file__).resolve().parents[2]


def test_every_sdk_failure_code_has_an_explicit_reason() -> None:
    codes = reasons.sdk_codes()
    assert "c2pa-rs @" in reasons.sdk_codes_source()
    failures = [c for c, kind in codes.items() if kind == "failure"]
    assert len(failures) > 60 and "assertion.action.malformed" in failures
    unmapped = [
        c for c in failures if not reasons.is_identity(c) and c not in reasons.FAILURE_REASON
    ]
    assert unmapped == [], f"status codes with no reason: {unmapped}"
    for code in failures:
        if reasons.is_identity(code):
            assert reasons.reason_for_code(code) is None  # identities never change the reason
            assert reasons.identity_status(code) in reasons.IDENTITY_STATUSES
        else:
            assert reasons.reason_for_code(code) in REASONS
    # malformed is not tampered, and hash/signature mismatches stay tampered
    assert reasons.reason_for_code("assertion.action.malformed") == "malformed"
    assert reasons.reason_for_code("assertion.cbor.invalid") == "malformed"
    for code in ("assertion.dataHash.mismatch", "assertion.bmffHash.mismatch",
                 "claimSignature.mismatch"):  # fmt: skip
        assert reasons.reason_for_code(code) == "tampered"
    assert reasons.identity_status("cawg.ica.did_unavailable") == "unverifiable_offline"
    # success and informational codes never make a reason
    assert all(reasons.reason_for_code(c) is None for c, kind in codes.items() if kind != "failure")


def test_the_doc_table_is_generated_from_the_code() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import status_code_table
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    doc = (ROOT / "docs" / "verify-json.md").read_text(encoding="utf-8")
    assert status_code_table.render(doc) == doc, "run: python scripts/status_code_table.py"
    for code in reasons.sdk_codes():
        assert f"| `{code}` |" in doc


def test_the_extraction_reads_kinds_from_the_rust_sections() -> None:
    """status_codes.json is data with its source; the script that made it files each
    constant under the section it sits in."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import extract_status_codes
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    rust = """pub mod validation_codes {
        // -- success codes --
        pub const A: &str = "claimSignature.validated";
        // -- informational codes --
        pub const B: &str = "timeStamp.mismatch";
        // -- failure codes --
        pub const C: &str =
            "assertion.collectionHash.incorrectFileCount";
    }"""
    assert extract_status_codes.c2pa_codes(rust) == {
        "claimSignature.validated": "success",
        "timeStamp.mismatch": "informational",
        "assertion.collectionHash.incorrectFileCount": "failure",
    }
    data = json.loads((ROOT / "critique_app/provenance/status_codes.json").read_text())
    assert data["codes"]["timeStamp.mismatch"] == "informational"
    assert data["codes"]["cawg.ica.untrusted_issuer"] == "informational"


def _vocabulary_keys() -> set[str]:
    data = json.loads(resource("vocabularies", "ai_visual_regimes.json").read_text("utf-8"))
    keys = set()
    for level in data["levels"]:
        for t in level["types"]:
            keys |= {v["key"] for v in t.get("values", [])}
    return keys


def test_every_rubric_signal_and_term_is_a_vocabulary_value() -> None:
    keys = _vocabulary_keys()
    assert set(SIGNAL_CATEGORY.values()) <= keys
    for term, signal in RUBRIC.items():
        assert category_key_for(signal, [term]) in keys, term
    assert category_key_for("captured", ["computationalCapture"]) == (
        "provenance.source-type.computationalCapture"
    )
    assert category_key_for("none_declared") is None and category_key_for("unknown") is None


def test_a_declared_signal_becomes_the_category_in_one_undoable_step(tmp_path: Path) -> None:
    from critique_app.domain.model import Annotation, FrameRange
    from critique_app.services.declared_category import (
        apply_declared_signal,
        declared_category,
    )
    from tests.db.helpers import film, tier

    report = {"c2pa": {"ai_signal": "fully_genai",
                       "digital_source_types": ["trainedAlgorithmicMedia"]}}  # fmt: skip
    with open_project(tmp_path / "p.critique") as project:
        repo = project.repo
        f, t = film(repo), tier(repo)
        note = repo.add_annotation(Annotation.create(f.id or 0, t.id or 0, FrameRange(0, 10)))
        assert note.id is not None
        found = declared_category(project, report)
        assert found is not None and found.key.endswith("trainedAlgorithmicMedia")
        apply_declared_signal(project, note.id, report)
        changed = repo.get_annotation(note.id)
        assert changed.category_id == found.category_id and changed.evidence == "C2PA"
        project.undo.undo()
        assert repo.get_annotation(note.id).category_id is None


def test_every_json_field_is_documented() -> None:
    from critique_app.provenance.report import (
        C2paFinding,
        Ingredient,
        Manifest,
        Metadata,
        ProvenanceReport,
        Verdict,
    )
    from critique_app.provenance.verdict import manifest_to_json

    inner = Manifest(label="urn:c2pa:inner")
    outer = Manifest(label="urn:c2pa:outer",
                     ingredients=[Ingredient("a.jpg", "image/jpeg", "componentOf", inner.label)])  # fmt: skip
    finding = C2paFinding(present=True, active_label=outer.label,
                          manifests={m.label: m for m in (inner, outer)})  # fmt: skip
    report = ProvenanceReport("p", "0" * 64, 1, "jpeg", "image/jpeg", "none", finding,
                              Verdict(None, "untrusted_signer", ""), Metadata())  # fmt: skip
    j = report.to_json()
    ing = manifest_to_json(outer.ingredients[0], finding.manifests, set())
    doc = (ROOT / "docs" / "verify-json.md").read_text(encoding="utf-8")
    for key in [*j, *j["c2pa"], *j["metadata"]]:
        assert f"`{key}`" in doc, key
    row = doc.split("| `ingredients` |", 1)[1].split("\n", 1)[0]
    listed = row.split("`{", 1)[1].split("}`", 1)[0]
    for key in ing:
        assert key in listed, key
    from dataclasses import fields

    from critique_app.provenance.report import Identity

    for f in fields(Identity):
        assert f.name in doc.split("| `identities` |", 1)[1].split("\n", 1)[0], f.name
