"""Round two of provenance: identities apart from signers, ingredients trusted only on evidence,
`malformed` apart from `tampered`. Signed here with the tests' own CA."""

from __future__ import annotations

import json
from pathlib import Path

import c2pa
import pytest

from critique_app.provenance.c2pa_signer import (
    IngredientSpec,
    SigningIdentity,
    make_test_ca,
    sign_file,
)
from critique_app.provenance.isolation import IsolatedReader
from critique_app.services.verify import verify_file
from tests.provenance.ca import make_still

FIXTURES = Path(__file__).with_name("fixtures")


def _walk(ingredients: list[dict]) -> list[dict]:
    return [x for i in ingredients for x in [i, *_walk(i.get("ingredients", []))]]


def _sdk_failures(path: Path, ca_pem: str) -> list[dict]:
    """The SDK's own failure entries, read directly (the report must agree with them)."""
    settings = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
                "trust": {"trust_anchors": ca_pem}}  # fmt: skip
    ctx = c2pa.Context(settings=c2pa.Settings.from_dict(settings))
    with open(path, "rb") as fh:
        reader = c2pa.Reader("image/jpeg", fh, None, ctx)
        try:
            return list((reader.get_validation_results() or {})["activeManifest"]["failure"])
        finally:
            reader.close()


def test_x509_identity_with_an_untrusted_certificate_leaves_the_reason_ok(
    identity: SigningIdentity, ca_pem: str, tmp_path: Path, isolated_reader: IsolatedReader
) -> None:
    person = make_test_ca("Identity CA nobody lists", "Jane Doe")
    still = sign_file(make_still(tmp_path / "s.jpg"), tmp_path / "jane.jpg", identity,
                      identity_signer=person)  # fmt: skip
    sdk = _sdk_failures(still, identity.ca_pem)
    assert [e["code"] for e in sdk] == ["cawg.x509.credential.untrusted"]
    j = verify_file(still, ca_pem, reader=isolated_reader).to_json()
    c = j["c2pa"]
    # The signer is on the list used (the test root): the identity does not change that.
    assert c["reason"] == "ok" and c["trust_list"] == f"pem:{ca_pem}"
    assert c["state"] == "Valid"  # the SDK's own state, lowered by the CAWG code
    (who,) = c["identities"]
    assert (who["type"], who["status"]) == ("cawg.x509", "untrusted")
    assert (who["name"], who["issuer"]) == ("Jane Doe", "Identity CA nobody lists")
    assert who["manifest_label"] == c["active_manifest"] and who["assertion"] == "cawg.identity"
    assert who["codes"] == [
        "cawg.identity.well-formed",
        "cawg.x509.credential.untrusted",
        "cawg.x509.signature.validated",
    ]
    assert "Jane Doe" in c["identities_summary"] and "does not change" in c["identities_summary"]
    # A handout shows the identity beside the verdict, from the stored report.
    from critique_app.services.export import provenance_summaries
    from db.project import open_project
    from db.provenance_store import save_report
    from tests.db.helpers import film

    with open_project(tmp_path / "jury.critique") as project:
        f = film(project.repo, sha=j["sha256"])
        save_report(project.db, j, film_id=f.id)
        line = provenance_summaries(project, [f])[f.id or 0]
    assert line.reason == "ok" and line.signer == "Critique test CA"
    assert line.identities == "Jane Doe (X.509 certificate, not on any CAWG trust list used here)"
    # The CAWG list is a setting of its own, recorded with its file. (c2pa-python 0.38 /
    # c2pa-rs 0.91.3 has no `cawg_trust` setting yet, so the status stays what the SDK says;
    # the C2PA reason is untouched either way.)
    cawg = tmp_path / "cawg.pem"
    cawg.write_text(person.ca_pem)
    both = verify_file(still, ca_pem, reader=isolated_reader, cawg_trust=str(cawg)).to_json()
    assert both["c2pa"]["reason"] == "ok"
    assert both["cawg_trust_setting"] == str(cawg)
    files = {(f["list"], f["file"]): f for f in both["trust_files"]}
    assert files[("cawg", "cawg.pem")]["anchors"] == 1
    assert files[("pem", Path(ca_pem).name)]["origin"] == "user file"


def test_identity_claims_aggregation_that_cannot_be_resolved_is_unverifiable_offline(
    identity: SigningIdentity, ca_pem: str, tmp_path: Path, isolated_reader: IsolatedReader
) -> None:
    """The real Adobe still (SOURCES.md) placed under a still signed by the test root."""
    real = FIXTURES / "adobe_connected_identities.jpg"
    still = sign_file(make_still(tmp_path / "s.jpg"), tmp_path / "with-ica.jpg", identity,
                      digital_source_type="digitalCreation",
                      ingredients=[IngredientSpec(real, "componentOf")])  # fmt: skip
    assert "cawg.ica.did_unavailable" in [e["code"] for e in _sdk_failures(still, identity.ca_pem)]
    c = verify_file(still, ca_pem, reader=isolated_reader).to_json()["c2pa"]
    assert c["reason"] == "ok" and c["failures"] == ["cawg.ica.did_unavailable"]
    (who,) = c["identities"]
    assert (who["type"], who["status"]) == ("cawg.ica", "unverifiable_offline")
    assert who["issuer"] == "did:web:connected-identities.identity-stage.adobe.com"
    assert who["identifiers"][0]["type"] == "cawg.social_media"
    assert who["identifiers"][0]["provider"] == "behance"
    (ing,) = c["ingredients"]
    assert who["manifest_label"] == ing["active_manifest"] != c["active_manifest"]
    assert ing["identities"][0]["status"] == "unverifiable_offline"
    # The real file on its own (issue 14, case 1): its signer is on the CAI interim list and
    # its hashes match, so the verdict is `ok`; the identity problem is shown beside it.
    alone = verify_file(real, "all", reader=isolated_reader).to_json()["c2pa"]
    assert (alone["state"], alone["reason"], alone["trust_list"]) == ("Invalid", "ok", "interim")
    assert alone["identities"][0]["status"] == "unverifiable_offline"


@pytest.fixture(scope="module")
def chain(identity: SigningIdentity, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """camera still -> edit -> export: three levels of manifests. The editing tools trusted
    the test root, so each ingredient's results recorded when placed say "trusted"."""
    d = tmp_path_factory.mktemp("chain")
    camera = sign_file(make_still(d / "a.jpg", (10, 200, 10)), d / "camera.jpg", identity,
                       digital_source_type="digitalCapture")  # fmt: skip
    edit = sign_file(make_still(d / "b.jpg", (30, 30, 200)), d / "edit.jpg", identity,
                     digital_source_type="digitalCreation", trust_anchors=identity.ca_pem,
                     ingredients=[IngredientSpec(camera, "componentOf")])  # fmt: skip
    export = sign_file(make_still(d / "c.jpg"), d / "export.jpg", identity,
                       digital_source_type="digitalCreation", trust_anchors=identity.ca_pem,
                       ingredients=[IngredientSpec(edit, "componentOf")])  # fmt: skip
    return [camera, edit, export]


def test_three_level_chain_under_no_trust_has_nothing_trusted(
    chain: list[Path], ca_pem: str, isolated_reader: IsolatedReader
) -> None:
    export = chain[-1]
    j = verify_file(export, "none", reader=isolated_reader).to_json()
    text = json.dumps(j)
    assert '"Trusted"' not in text and '"reason": "ok"' not in text
    ings = _walk(j["c2pa"]["ingredients"])
    assert [i["title"] for i in ings] == ["edit.jpg", "camera.jpg"]
    # What was recorded when placed (under someone else's trust list) is not evidence now.
    assert all("signingCredential.trusted" in i["recorded_codes"] for i in ings)
    assert all(i["state"] != "Trusted" and i["signer_trust"] != "trusted" for i in ings)
    # Under the test root the same chain is trusted at every level, on the SDK's evidence.
    trusted = verify_file(export, ca_pem, reader=isolated_reader).to_json()["c2pa"]
    assert trusted["reason"] == "ok"
    assert [i["reason"] for i in _walk(trusted["ingredients"])] == ["ok", "ok"]


def test_ingredient_whose_codes_hold_no_trust_evidence_is_not_revalidated() -> None:
    """The corpus case: an ingredient whose recorded results hold only signature and hash
    codes, and nothing in this reading about it."""
    from critique_app.provenance.report import Ingredient, Manifest
    from critique_app.provenance.verdict import ingredient_verdict

    inner = Manifest(label="urn:c2pa:inner")
    ing = Ingredient("camera.mp4", "video/mp4", "parentOf", "urn:c2pa:inner",
                     recorded=["claimSignature.validated", "assertion.bmffHash.match"])  # fmt: skip
    assert ingredient_verdict(ing, {inner.label: inner}) == (None, "not_revalidated")


def test_ingredient_whose_manifest_was_removed_is_manifest_missing(
    identity: SigningIdentity, ca_pem: str, tmp_path: Path, isolated_reader: IsolatedReader
) -> None:
    inner = sign_file(make_still(tmp_path / "a.jpg", (10, 200, 10)), tmp_path / "inner.jpg",
                      identity)  # fmt: skip
    outer = sign_file(make_still(tmp_path / "b.jpg"), tmp_path / "outer.jpg", identity,
                      digital_source_type="digitalCreation",
                      ingredients=[IngredientSpec(inner, "componentOf")])  # fmt: skip
    before = verify_file(outer, ca_pem, reader=isolated_reader).to_json()["c2pa"]
    label = before["ingredients"][0]["active_manifest"]
    # Remove the ingredient's manifest from the store: rename its JUMBF box (the first place
    # the label occurs), which no signature covers; the outer manifest stays intact.
    data = bytearray(outer.read_bytes())
    at = data.find(label.encode())
    data[at + len(label) - 4 : at + len(label)] = b"gone"
    removed = tmp_path / "removed.jpg"
    removed.write_bytes(bytes(data))
    c = verify_file(removed, ca_pem, reader=isolated_reader).to_json()["c2pa"]
    assert "ingredient.manifest.missing" in c["failures"]
    (ing,) = c["ingredients"]
    assert (ing["state"], ing["reason"], ing["present"]) == (None, "manifest_missing", False)
    assert c["reason"] == "ingredient_invalid" and "ingredient.manifest.missing" in c["summary"]


def test_action_assertion_broken_on_purpose_is_malformed_not_tampered(
    identity: SigningIdentity, ca_pem: str, tmp_path: Path, isolated_reader: IsolatedReader
) -> None:
    # The first action must be c2pa.created or c2pa.opened; the SDK refuses it at signing
    # unless told not to check.
    bad = sign_file(make_still(tmp_path / "s.jpg"), tmp_path / "bad.jpg", identity,
                    actions=[{"action": "c2pa.color_adjustments"}],
                    check_after_signing=False)  # fmt: skip
    assert [e["code"] for e in _sdk_failures(bad, identity.ca_pem)] == [
        "assertion.action.malformed"
    ]
    c = verify_file(bad, ca_pem, reader=isolated_reader).to_json()["c2pa"]
    assert (c["state"], c["reason"]) == ("Invalid", "malformed")
    assert "assertion.action.malformed" in c["summary"] and "says nothing" in c["summary"]
