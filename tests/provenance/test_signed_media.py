"""Files the tests sign themselves with a local test CA, then verify as a jury would."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from critique_app.errors import UserError
from critique_app.provenance.c2pa_signer import (
    IngredientSpec,
    SigningIdentity,
    make_test_ca,
    sign_file,
)
from critique_app.provenance.isolation import IsolatedReader
from critique_app.services.verify import verify_file
from tests.provenance.ca import make_clip, make_still


@pytest.fixture(scope="module")
def ai_clip(identity: SigningIdentity, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("clip")
    raw = make_clip(folder / "raw.mp4")
    return sign_file(raw, folder / "ai-clip.mp4", identity, title="Generated passage")


def test_signed_ai_clip_is_fully_genai_and_trusted_by_its_ca(
    ai_clip: Path, ca_pem: str, isolated_reader: IsolatedReader
) -> None:
    untrusted = verify_file(ai_clip, "none", reader=isolated_reader).to_json()
    c = untrusted["c2pa"]
    assert untrusted["format"] == "mp4"
    assert (c["state"], c["reason"]) == ("Valid", "untrusted_signer")
    assert c["ai_signal"] == "fully_genai" and c["ai_signal_source"] == c["active_manifest"]
    assert c["digital_source_types"] == ["trainedAlgorithmicMedia"]
    assert c["generator"].startswith("Critique")
    assert c["signer"]["common_name"] == "Critique test signer"
    assert c["signer"]["issuer"] == "Critique test CA root"
    assert c["timestamped"] is False and c["signed_at"] is None  # no TSA offline
    trusted = verify_file(ai_clip, ca_pem, reader=isolated_reader).to_json()["c2pa"]
    assert (trusted["state"], trusted["reason"]) == ("Trusted", "ok")
    assert trusted["trust_list"] == f"pem:{ca_pem}"
    # The shipped lists do not know a local test CA.
    shipped = verify_file(ai_clip, "all", reader=isolated_reader).to_json()["c2pa"]
    assert shipped["reason"] == "untrusted_signer" and shipped["trust_list"] is None


def _flip_byte_in_media(src: Path, dst: Path) -> None:
    data = bytearray(src.read_bytes())
    mdat = data.find(b"mdat")
    pos = mdat + 200 if mdat > 0 else len(data) - 100  # inside the coded pictures
    data[pos] ^= 0xFF
    dst.write_bytes(bytes(data))


def test_a_flipped_byte_in_the_media_is_tampering(
    ai_clip: Path, tmp_path: Path, ca_pem: str, isolated_reader: IsolatedReader
) -> None:
    bad = tmp_path / "flipped.mp4"
    _flip_byte_in_media(ai_clip, bad)
    c = verify_file(bad, ca_pem, reader=isolated_reader).to_json()["c2pa"]
    assert (c["state"], c["reason"]) == ("Invalid", "tampered")
    assert "assertion.bmffHash.mismatch" in c["failures"]
    assert "changed after signing" in c["summary"]


def test_a_flipped_byte_in_a_still_is_tampering(
    identity: SigningIdentity, tmp_path: Path, isolated_reader: IsolatedReader
) -> None:
    signed = sign_file(make_still(tmp_path / "s.jpg"), tmp_path / "signed.jpg", identity)
    bad = tmp_path / "flipped.jpg"
    _flip_byte_in_media(signed, bad)
    c = verify_file(bad, "none", reader=isolated_reader).to_json()["c2pa"]
    assert (c["state"], c["reason"]) == ("Invalid", "tampered")
    assert "assertion.dataHash.mismatch" in c["failures"]


def test_expired_leaf_without_timestamp_is_not_tampering(
    tmp_path: Path, isolated_reader: IsolatedReader
) -> None:
    # The library refuses to sign with an expired leaf, so sign with one that expires a few
    # seconds later, then wait. A longer window is tried if a busy machine was too slow.
    still = make_still(tmp_path / "s.jpg")
    for window in (3, 10, 30):
        now = dt.datetime.now(dt.timezone.utc)
        until = now + dt.timedelta(seconds=window)
        short = make_test_ca(
            "Short-lived CA", valid_from=now - dt.timedelta(days=30), valid_until=until
        )
        try:
            signed = sign_file(still, tmp_path / "old.jpg", short)
            break
        except UserError:
            continue
    left = (until - dt.datetime.now(dt.timezone.utc)).total_seconds()
    time.sleep(max(0.0, left) + 1.0)
    ca = tmp_path / "ca.pem"
    ca.write_text(short.ca_pem)
    c = verify_file(signed, str(ca), reader=isolated_reader).to_json()["c2pa"]
    assert (c["state"], c["reason"]) == ("Invalid", "expired_credential"), c["failures"]
    assert "signingCredential.expired" in c["failures"]
    assert "not tampering" in c["summary"] and not c["timestamped"]


def test_ai_ingredient_under_a_clean_parent_is_partly_genai(
    identity: SigningIdentity, tmp_path: Path, isolated_reader: IsolatedReader
) -> None:
    ai = sign_file(make_still(tmp_path / "a.png", (10, 200, 10)), tmp_path / "gen.png", identity,
                   title="generated insert")  # fmt: skip
    collage = sign_file(
        make_still(tmp_path / "b.jpg"), tmp_path / "collage.jpg", identity,
        digital_source_type="digitalCreation", ingredients=[IngredientSpec(ai, "componentOf")],
    )  # fmt: skip
    c = verify_file(collage, "none", reader=isolated_reader).to_json()["c2pa"]
    assert c["digital_source_types"] == ["digitalCreation", "trainedAlgorithmicMedia"]
    assert c["actions"][0]["digital_source_type"] == "digitalCreation"
    assert c["ai_signal"] == "partly_genai"
    ing = c["ingredients"][0]
    assert ing["title"] == "gen.png" and ing["relationship"] == "componentOf"
    assert c["ai_signal_source"] == ing["active_manifest"] != c["active_manifest"]
    assert ing["ai_signal"] == "fully_genai" and ing["reason"] == "untrusted_signer"
    assert "ingredient" in c["ai_signal_summary"]


def test_a_parent_signed_over_a_tampered_ingredient_says_ingredient_invalid(
    identity: SigningIdentity, tmp_path: Path, ca_pem: str, isolated_reader: IsolatedReader
) -> None:
    """The parent's signature is sound and trusted, but it recorded an ingredient whose own
    credentials were broken when it was placed: a jury must not read that as plain "ok"."""
    still = sign_file(make_still(tmp_path / "a.jpg", (10, 200, 10)), tmp_path / "gen.jpg", identity)
    broken = tmp_path / "gen-flipped.jpg"
    _flip_byte_in_media(still, broken)
    collage = sign_file(
        make_still(tmp_path / "b.jpg"), tmp_path / "collage.jpg", identity,
        digital_source_type="digitalCreation", ingredients=[IngredientSpec(broken, "componentOf")],
    )  # fmt: skip
    c = verify_file(collage, ca_pem, reader=isolated_reader).to_json()["c2pa"]
    assert (c["state"], c["reason"]) == ("Trusted", "ingredient_invalid")
    assert c["failures"] == []  # the file's own credentials are intact
    assert "own credentials are intact" in c["summary"]
    assert "assertion.dataHash.mismatch" in c["summary"]
    (ing,) = c["ingredients"]
    assert (ing["title"], ing["state"], ing["reason"]) == ("gen-flipped.jpg", "Invalid", "tampered")
    # the same collage over the intact still is simply trusted
    sound = sign_file(
        make_still(tmp_path / "b.jpg"), tmp_path / "sound.jpg", identity,
        digital_source_type="digitalCreation", ingredients=[IngredientSpec(still, "componentOf")],
    )  # fmt: skip
    ok = verify_file(sound, ca_pem, reader=isolated_reader).to_json()["c2pa"]
    assert (ok["state"], ok["reason"]) == ("Trusted", "ok")


def test_excerpt_keeps_its_source_film_as_parent(
    identity: SigningIdentity, ai_clip: Path, tmp_path: Path, isolated_reader: IsolatedReader
) -> None:
    """What a clip export does (issue 7): the excerpt names the source film as parentOf."""
    excerpt = sign_file(make_clip(tmp_path / "cut.mp4", frames=6), tmp_path / "excerpt.mp4",
                        identity, parent=ai_clip, digital_source_type=None,
                        description="excerpt for a seminar")  # fmt: skip
    c = verify_file(excerpt, "none", reader=isolated_reader).to_json()["c2pa"]
    assert [a["action"] for a in c["actions"]] == ["c2pa.opened", "c2pa.edited"]
    parent = c["ingredients"][0]
    assert parent["relationship"] == "parentOf" and parent["title"] == "ai-clip.mp4"
    assert c["ai_signal"] == "fully_genai"  # inherited: the excerpt only re-signs its parent
    assert c["ai_signal_source"] == parent["active_manifest"]


def test_remote_only_manifest_is_not_fetched(
    identity: SigningIdentity, tmp_path: Path, isolated_reader: IsolatedReader
) -> None:
    remote = sign_file(make_still(tmp_path / "s.jpg"), tmp_path / "cloud.jpg", identity,
                       remote_url="https://manifests.example.org/abc.c2pa")  # fmt: skip
    c = verify_file(remote, "all", reader=isolated_reader).to_json()["c2pa"]
    assert (c["state"], c["reason"]) == (None, "remote_manifest")
    assert c["remote_url"] == "https://manifests.example.org/abc.c2pa"
    assert "did not fetch" in c["summary"] and c["ai_signal"] == "unknown"


def test_format_comes_from_the_bytes(
    identity: SigningIdentity, tmp_path: Path, isolated_reader: IsolatedReader
) -> None:
    signed = sign_file(make_still(tmp_path / "s.jpg"), tmp_path / "signed.jpg", identity)
    renamed = tmp_path / "looks-like-a-film.mp4"
    renamed.write_bytes(signed.read_bytes())
    report = verify_file(renamed, "none", reader=isolated_reader)
    assert report.format == "jpeg" and report.verdict.reason == "untrusted_signer"
