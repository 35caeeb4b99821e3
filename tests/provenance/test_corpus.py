"""Every file of the real provenance corpus against the facts in its MANIFEST.txt."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from critique_app.provenance.isolation import IsolatedReader
from critique_app.provenance.reader_pool import ReaderPool
from critique_app.services.verify import verify_file, verify_paths

pytestmark = pytest.mark.corpus

# What each manifest chain declares (from the MANIFEST.txt descriptions); 'ingredient' means
# the signal was found in an ingredient's manifest, not in the file's own.
AI_SIGNAL = {
    "example-assets/Firefly_tabby_cat.jpg": ("fully_genai", "active"),
    "example-assets/car-es-Ps-Cr.jpg": ("none_declared", None),
    "example-assets/crater-lake-cr.jpg": ("unknown", None),
    "example-assets/crater-lake.jpeg": ("unknown", None),
    "c2pa-rs/ocsp.jpg": ("partly_genai", "active"),
    "c2pa-rs/C.jpg": ("non_genai_creation", "active"),  # algorithmicMedia: no training data
    "c2pa-rs/boxhash.jpg": ("none_declared", None),
    "c2pa-rs/sample1.webp": ("unknown", None),
    "c2pa-rs/video1.mp4": ("none_declared", None),
    "c2pa-rs/video1_no_manifest.mp4": ("unknown", None),
    "c2pa-rs/c.mov": ("unknown", None),
    "c2pa-rs/test.avi": ("unknown", None),
    "c2pa-rs/dashinit.mp4": ("none_declared", None),
    "c2pa-rs/dash1.m4s": ("unknown", None),
    "c2pa-rs/nested_moov_1000.mp4": ("unknown", None),
    "public-testfiles/adobe-20220124-A.jpg": ("unknown", None),
    "public-testfiles/adobe-20220124-CAIAIIICAICIICAIICICA.jpg": ("none_declared", None),
    "public-testfiles/adobe-20220124-E-sig-CA.jpg": ("none_declared", None),
    "public-testfiles/adobe-20220124-E-dat-CA.jpg": ("none_declared", None),
    "c2pa-video-player/PTS_TRUSTED_sony_official_cawg_wdr.mp4": ("captured", "ingredient"),
    "c2pa-video-player/prmiere-firefly.mp4": ("partly_genai", "ingredient"),
    "c2pa-video-player/PTS_NO_CRs_c2pa_ebu_eurovox.mp4": ("unknown", None),
}


def parse_manifest(corpus: Path) -> dict[str, dict[str, str]]:
    """{relative path: {trust set-up: the line MANIFEST.txt recorded}}"""
    entries: dict[str, dict[str, str]] = {}
    current = None
    for line in (corpus / "MANIFEST.txt").read_text().splitlines():
        head = re.match(r"^== (\S+)", line)
        if head:
            current = head.group(1)
            entries[current] = {}
            continue
        state = re.match(r"^\s+\[(none|c2pa|interim)\]\s*(.*)$", line)
        if current and state:
            entries[current][state.group(1)] = state.group(2).strip()
    return entries


def expected(line: str) -> tuple[str | None, str, list[str], list[str]]:
    """(state, reason, own failure codes, ingredient failure codes) a recorded line implies."""
    if line.startswith("no-manifest"):
        return None, "no_manifest", [], []
    if line.startswith("ERROR Remote"):
        return None, "remote_manifest", [], []
    if line.startswith("ERROR"):
        return None, "unreadable", [], []
    state, _, rest = line.partition(" ")
    codes = [c.strip() for c in rest.split(";") if c.strip()]
    own = [c for c in codes if not c.startswith("ingredient:")]
    ingredient = [c.split(":", 1)[1] for c in codes if c.startswith("ingredient:")]
    if state == "Trusted":
        return "Trusted", "ok", own, ingredient
    if state == "Invalid":
        return "Invalid", "tampered", own, ingredient
    return "Valid", "untrusted_signer", own, ingredient


def test_manifest_covers_every_corpus_file(provenance_corpus: Path) -> None:
    entries = parse_manifest(provenance_corpus)
    media = {
        str(p.relative_to(provenance_corpus))
        for p in provenance_corpus.rglob("*")
        if p.is_file() and p.parent.name != "trust" and p.name != "MANIFEST.txt"
    }
    assert media == set(entries), "MANIFEST.txt and the corpus folder disagree"
    assert set(AI_SIGNAL) == media
    assert all(set(e) == {"none", "c2pa", "interim"} for e in entries.values())


@pytest.mark.parametrize("name", sorted(AI_SIGNAL))
def test_corpus_file_matches_manifest(
    name: str, provenance_corpus: Path, isolated_reader: IsolatedReader
) -> None:
    recorded = parse_manifest(provenance_corpus)[name]
    path = provenance_corpus / name
    for setup in ("none", "c2pa", "interim"):
        state, reason, own, ingredient = expected(recorded[setup])
        report = verify_file(path, setup, reader=isolated_reader)
        got = report.to_json()["c2pa"]
        assert (got["state"], got["reason"]) == (state, reason), (setup, recorded[setup], got)
        assert set(own) <= set(got["failures"]), (setup, got["failures"])
        assert set(ingredient) <= set(got["ingredient_failures"]), setup
        if reason == "ok":
            assert got["trust_list"] == setup  # the list that vouched is named
        if reason in ("unreadable", "remote_manifest"):
            assert got["error"], "the library's message is kept for the jury"
        signal, where = AI_SIGNAL[name]
        assert got["ai_signal"] == signal, setup
        if where == "active":
            assert got["ai_signal_source"] == got["active_manifest"]
        elif where == "ingredient":
            assert got["ai_signal_source"] not in (None, got["active_manifest"])
        assert report.sha256 and report.size == path.stat().st_size


def test_all_lists_name_the_list_that_vouched(
    provenance_corpus: Path, isolated_reader: IsolatedReader
) -> None:
    """'all' checks each list separately: Adobe files of 2024-25 are vouched for by the interim
    list only, the test-certificate files by none."""
    for name, trusted_by in [
        ("example-assets/Firefly_tabby_cat.jpg", "interim"),
        ("c2pa-video-player/prmiere-firefly.mp4", "interim"),
        ("c2pa-rs/C.jpg", None),
        ("public-testfiles/adobe-20220124-E-dat-CA.jpg", None),
    ]:
        got = verify_file(provenance_corpus / name, "all", reader=isolated_reader).to_json()
        assert got["c2pa"]["trust_list"] == trusted_by, name
        assert set(got["trust_dates"]) == {"c2pa", "interim"}


def test_real_files_say_who_and_what(
    provenance_corpus: Path, isolated_reader: IsolatedReader
) -> None:
    cat = verify_file(provenance_corpus / "example-assets/Firefly_tabby_cat.jpg", "interim",
                      reader=isolated_reader).to_json()["c2pa"]  # fmt: skip
    created = cat["actions"][0]
    assert created["action"] == "c2pa.created"
    assert created["software_agent"] == "Adobe Firefly"
    assert created["digital_source_type"] == "trainedAlgorithmicMedia"
    assert any(k.startswith("com.adobe.firefly") for k in created["parameters"])
    assert cat["signer"]["organisation"] == "Adobe Inc." and cat["timestamped"]

    sony = verify_file(provenance_corpus / "c2pa-video-player/PTS_TRUSTED_sony_official_cawg_wdr.mp4",
                       "none", reader=isolated_reader).to_json()["c2pa"]  # fmt: skip
    assert sony["signer"]["organisation"] == "European Broadcasting Union"
    assert {p["permission"] for p in sony["permissions"]} >= {"c2pa.ai_training"}
    assert any(w.get("alg") == "tv.kinetiq.watercast.48.1" for w in sony["watermarks"])
    # The EBU publisher's CAWG X.509 identity: reported on its own, not as the signer.
    (ebu,) = sony["identities"]
    assert (ebu["type"], ebu["status"]) == ("cawg.x509", "untrusted")
    assert ebu["manifest_label"] == sony["active_manifest"] and ebu["name"]
    assert "cawg.x509.credential.untrusted" in ebu["codes"]
    assert sony["reason"] == "untrusted_signer"  # the identity never changes the reason
    parent = sony["ingredients"][0]
    assert parent["relationship"] == "parentOf" and parent["generator"] == "SONY_CAMERA"
    assert parent["digital_source_types"] == ["digitalCapture"]
    assert parent["thumbnail"] and parent["thumbnail"]["bytes"] > 0
    # training-and-mining permissions are not an AI disclosure
    assert sony["ai_signal"] == "captured"

    deep = verify_file(provenance_corpus / "public-testfiles/adobe-20220124-CAIAIIICAICIICAIICICA.jpg",
                       "none", reader=isolated_reader).to_json()["c2pa"]  # fmt: skip
    assert deep["manifest_count"] == 6

    def count(ings: list[dict]) -> int:
        return sum(1 + count(i.get("ingredients", [])) for i in ings)

    assert count(deep["ingredients"]) >= 7


def test_a_batch_gets_the_thumbnails_sizes_and_the_window_their_pictures(
    provenance_corpus: Path, isolated_reader: IsolatedReader
) -> None:
    """A batch's reports are written out, so only the thumbnails' format and size cross the
    worker's pipe (issue 24); the provenance panel shows the pictures. Both reports say the same."""
    sony = provenance_corpus / "c2pa-video-player/PTS_TRUSTED_sony_official_cawg_wdr.mp4"
    shown = verify_file(sony, "none", reader=isolated_reader)
    (batch,) = verify_paths([sony], "none", reader=isolated_reader)
    ingredients = [i for m in batch.c2pa.manifests.values() for i in m.ingredients]
    pictures = [i for m in shown.c2pa.manifests.values() for i in m.ingredients]
    assert any(i.thumbnail_size for i in ingredients)
    assert all(i.thumbnail is None for i in ingredients)
    assert [len(i.thumbnail or b"") for i in pictures] == [i.thumbnail_size for i in ingredients]
    ours, theirs = shown.to_json(), batch.to_json()
    ours.pop("checked_at"), theirs.pop("checked_at")
    assert ours == theirs


def test_two_workers_write_the_corpus_reports_one_worker_writes(
    provenance_corpus: Path, isolated_reader: IsolatedReader, reader_pool: ReaderPool
) -> None:
    """`verify` reads a batch with a worker a core (issue 24): the same reports, in order."""
    folders = [p for p in sorted(provenance_corpus.iterdir()) if p.is_dir() and p.name != "trust"]
    reports = []
    for reader in (isolated_reader, reader_pool):
        reports.append([r.to_json() for r in verify_paths(folders, "all", reader=reader)])
        for j in reports[-1]:
            j.pop("checked_at")
    assert len(reports[0]) == len(AI_SIGNAL) - 1  # a fragment goes with its init segment
    assert reports[1] == reports[0]


def test_fragmented_mp4_with_its_fragment(
    provenance_corpus: Path, isolated_reader: IsolatedReader
) -> None:
    init = provenance_corpus / "c2pa-rs/dashinit.mp4"
    frag = provenance_corpus / "c2pa-rs/dash1.m4s"
    alone = verify_file(init, "none", reader=isolated_reader)
    assert alone.format == "mp4-init" and "init segment" in alone.verdict.sentence
    whole = verify_file(init, "none", [frag], reader=isolated_reader).to_json()["c2pa"]
    assert (whole["state"], whole["reason"]) == ("Valid", "untrusted_signer")
    assert whole["signer"]["organisation"] == "Media Publisher Company"
