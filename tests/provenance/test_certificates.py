"""The certificates' details a report shows (signer, issuer, validity, serial, time-stamp
authority) are read from each manifest's signature rather than from the library's crJSON
(issue 24); every corpus finding, its codes and its trust evidence equal the crJSON reading's,
under every list. Real SDK readings on both sides."""

from __future__ import annotations

from pathlib import Path

import pytest

from critique_app.provenance import c2pa_reader, cose, one_read
from critique_app.provenance.formats import detect_format, mime_for
from critique_app.provenance.trust import lists_for
from critique_app.services.verify import collect
from tests.provenance.test_one_read import _comparable


@pytest.mark.corpus
def test_every_corpus_finding_is_the_crjson_readings(
    provenance_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = lists_for("all")
    both = one_read.combined(shipped)
    assert both is not None
    setups = [*shipped, both, *lists_for("none")]
    jobs = [j for j in collect([provenance_corpus]) if j.path.parent.name != "trust"]
    read = cose.certificates
    from_signatures = []

    def counted(store: bytes, label: str) -> dict | None:
        found = read(store, label)
        from_signatures.append(found is not None)
        return found

    def reading(job, trust, how):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(cose, "certificates", how)
        evidence = one_read.Evidence()
        finding = c2pa_reader.read_c2pa(
            str(job.path), mime_for(detect_format(job.path)), trust,
            [str(f) for f in job.fragments], False,
            str(job.sidecar) if job.sidecar else None, evidence,
        )  # fmt: skip
        # the explanations are looked at as a set (one_read._slots): crJSON repeats some
        return _comparable(finding), sorted(set(evidence.explanations)), evidence.signature

    for trust in setups:
        for job in jobs:
            where = (trust.key, job.path.relative_to(provenance_corpus))
            assert reading(job, trust, counted) == reading(job, trust, lambda *_: None), where
    assert len(from_signatures) == 84  # 21 manifests under each of the 4 set-ups, none to crJSON
    assert all(from_signatures)


def test_a_signature_that_cannot_be_read_leaves_it_to_crjson() -> None:
    assert cose.certificates(b"\x00\x00\x00\x08jumb", "urn:c2pa:x") is None
    assert cose.certificates(b"\x84\x40\xa0\xf6\x40", "urn:c2pa:x") is None  # no x5chain
