"""`verify --trust all` reads a file once under both lists and still names the list that
vouched exactly as reading under each list in turn does (issue 24). Real SDK readings on
both sides, on the whole shared corpus and on files signed by local test CAs built so that
each list, both lists, or neither vouches."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from critique_app.provenance import c2pa_reader, one_read
from critique_app.provenance.c2pa_signer import (
    IngredientSpec,
    SigningIdentity,
    make_test_ca,
    sign_file,
)
from critique_app.provenance.examine import Request, examine
from critique_app.provenance.formats import detect_format, mime_for
from critique_app.provenance.report import C2paFinding
from critique_app.provenance.trust import TrustList, lists_for
from critique_app.services.verify import build_report, collect
from tests.provenance.ca import make_still


def _comparable(finding: C2paFinding) -> dict:
    """A finding as data; the manifest store's JSON parsed, since the library writes its keys
    in a different order from one reading to the next."""
    out = asdict(finding)
    out["raw_json"] = json.loads(out["raw_json"]) if out["raw_json"] else None
    return out


@pytest.mark.corpus
def test_one_read_gives_every_corpus_verdict_and_list_of_the_per_list_reading(
    provenance_corpus: Path,
) -> None:
    lists = lists_for("all")
    assert one_read.combined(lists) is not None  # the shipped lists take the one-read path
    jobs = [j for j in collect([provenance_corpus]) if j.path.parent.name != "trust"]
    assert len(jobs) >= 20
    named = set()
    for job in jobs:
        frags = [str(f) for f in job.fragments]
        side = str(job.sidecar) if job.sidecar else None
        old = examine(Request(str(job.path), lists, frags, True, side, per_list=True))
        new = examine(Request(str(job.path), lists, frags, True, side))
        where = job.path.relative_to(provenance_corpus)
        assert new.vouched_by == old.vouched_by, where
        assert build_report(new, "all").verdict == build_report(old, "all").verdict, where
        assert _comparable(new.finding) == _comparable(old.finding), where
        named.add(new.vouched_by)
    assert "interim" in named and None in named  # both outcomes were compared


# --- lists built from local test CAs: every branch of the one-read rule --------------------


def _list(key: str, *identities: SigningIdentity) -> TrustList:
    # the key names the material too: the reader keeps one library context per key and files
    key += ":" + "".join(i.organisation[-1] for i in identities)
    return TrustList(key, f"list {key}", None, anchors="\n".join(i.ca_pem for i in identities))


@pytest.fixture(scope="module")
def cas() -> dict[str, SigningIdentity]:
    return {name: make_test_ca(f"One-read CA {name}", f"Signer {name}") for name in "ABC"}


@pytest.fixture(scope="module")
def signed(cas: dict[str, SigningIdentity], tmp_path_factory: pytest.TempPathFactory) -> dict:
    d = tmp_path_factory.mktemp("one-read")
    by_a = sign_file(make_still(d / "a.jpg"), d / "by-a.jpg", cas["A"])
    by_b = sign_file(make_still(d / "b.jpg", (10, 200, 10)), d / "by-b.jpg", cas["B"])
    # signed by A with an ingredient signed by B: a file whose chains two lists hold
    mixed = sign_file(make_still(d / "c.jpg", (30, 30, 200)), d / "a-over-b.jpg", cas["A"],
                      digital_source_type="digitalCreation",
                      ingredients=[IngredientSpec(by_b, "componentOf")])  # fmt: skip
    return {"by-a": by_a, "by-b": by_b, "a-over-b": mixed}


def _both_ways(path: Path, lists: list[TrustList]) -> tuple[tuple, tuple, int]:
    mime = mime_for(detect_format(path))
    reads = []

    def read(trust: TrustList, evidence: one_read.Evidence | None) -> C2paFinding:
        reads.append(trust.key)
        return c2pa_reader.read_c2pa(str(path), mime, trust, evidence=evidence)

    old, old_by = one_read.per_list(read, lists)
    reads.clear()
    new, new_by = one_read.read_once(read, lists)
    return (_comparable(old), old_by), (_comparable(new), new_by), len(reads)


@pytest.mark.parametrize(
    ("file", "first", "second", "vouched", "reads"),
    [
        ("by-a", "A", "B", "first", 1),  # the first list vouches (like the C2PA list)
        # the second list vouches (like the interim list) and the chain's names show the
        # first holds none of its certificates
        ("by-a", "B", "A", "second", 1),
        # both hold the chain: the library names either place; the first is named, after a
        # second reading when the library named the second
        ("by-a", "AB", "A", "first", 2),
        ("by-a", "B", "C", None, 1),  # neither: untrusted, as under each
        ("a-over-b", "A", "B", "first", 2),  # chains of both lists: read per list
        ("a-over-b", "B", "A", "second", 3),
    ],
)
def test_one_read_names_the_list_the_per_list_reading_names(
    cas: dict, signed: dict, file: str, first: str, second: str, vouched: str | None, reads: int
) -> None:
    lists = [_list("first", *(cas[c] for c in first)), _list("second", *(cas[c] for c in second))]
    old, new, count = _both_ways(signed[file], lists)
    assert new == old
    assert new[1] == (lists[0].key if vouched == "first" else lists[1].key if vouched else None)
    assert count <= reads  # one reading where the lists can be told apart


def test_lists_one_read_cannot_tell_apart_are_read_one_by_one(cas: dict, signed: dict) -> None:
    a, b, c = (_list(k, cas[k]) for k in ("A", "B", "C"))
    assert one_read.combined([a, b, c]) is None  # three lists
    with_allowed = TrustList("first", "allowed", None, anchors=cas["A"].ca_pem, allowed="x")
    assert one_read.combined([with_allowed, b]) is None  # an allowed-list hit is not placed
    other_ekus = TrustList("second", "ekus", None, anchors=cas["B"].ca_pem, config="1.2.3.4\n")
    assert one_read.combined([a, other_ekus]) is None
    old, new, count = _both_ways(signed["by-b"], [a, b, c])
    assert new == old and new[1] == b.key and count == 2


@pytest.mark.corpus
def test_files_the_interim_list_vouches_for_are_read_once(provenance_corpus: Path) -> None:
    """Their chain (read from the signature) meets no certificate of the C2PA list, so the
    one reading stands for both lists."""
    lists = lists_for("all")
    for name in ("example-assets/Firefly_tabby_cat.jpg", "example-assets/car-es-Ps-Cr.jpg",
                 "c2pa-rs/ocsp.jpg"):  # fmt: skip
        old, new, count = _both_ways(provenance_corpus / name, lists)
        assert new == old and new[1] == "interim" and count == 1, name


def test_the_signers_chain_is_read_from_the_signature(cas: dict, signed: dict) -> None:
    path = signed["by-a"]
    evidence = one_read.Evidence()
    lists = [_list("first", cas["B"]), _list("second", cas["A"])]
    both = one_read.combined(lists)
    assert both is not None
    finding = c2pa_reader.read_c2pa(str(path), "image/jpeg", both, evidence=evidence)
    assert evidence.signature and finding.active_label
    chain = one_read.signer_chain(evidence.signature, finding.active_label)
    assert chain is not None
    assert chain[0].subject.rfc4514_string().startswith("CN=Signer A,")
    assert one_read.signer_chain(b"\x00\x00\x00\x08jumb", finding.active_label) is None
    assert one_read.signer_chain(evidence.signature[:200], finding.active_label) is None
