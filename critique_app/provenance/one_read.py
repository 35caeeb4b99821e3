"""Read a file's Content Credentials once under two trust lists and still name the one that
vouched, exactly as reading under each list in turn would (issue 24: `verify --trust all`
read most signed files twice and ran at a third of a plain SDK loop's speed).

The per-list rule (`per_list`): read under each list in order; the first list under which the
signer is trusted vouched; stop early when another list cannot change the outcome (no
manifest, or nothing the library did not trust). Its final reading is the report's.

The one read: the first list's anchors go in the C2PA library's `user_anchors`, the second
list's in its `trust_anchors`. Every trust code the library gives in that reading names where
it found the certificate ("found in [user_anchors] trust anchors", "trust list:
system_anchors"), so each trusted chain is attributed to a list. When every trusted chain of
the file belongs to the list the per-list rule ends on, the one reading *is* that list's
reading (a smaller list can only trust less), and the rule's earlier steps are decided from
it. The library names only one place when both lists hold a chain (either comes back), so
when it names the second list for the signer, the signer's certificate chain (read from the
manifest's signature) is compared with the first list's certificates, and the first list is
read too when it holds one of them or one of their issuers. Legacy time stamps are trusted
under any list and count for none. Anything else (chains of both lists in one file, an
allowed-list hit the library does not attribute, an explanation this code does not know,
three lists) is read under each list, so a verdict never depends on the shortcut.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from critique_app.provenance.cose import signer_chain
from critique_app.provenance.report import C2paFinding
from critique_app.provenance.trust import TrustList


@dataclass
class Evidence:
    """What one reading says beyond its finding: the explanation of every trust the library
    granted, and the active manifest's signature (a COSE_Sign1, holding the signer's chain)."""

    explanations: list[str] = field(default_factory=list)
    signature: bytes | None = None


# read(trust list, evidence or None) -> the finding under that list, filling the evidence
Read = Callable[[TrustList, Evidence | None], C2paFinding]

FIRST, SECOND = "user_anchors", "system_anchors"  # where the library says it found a chain
_FOUND = re.compile(r"found in \[([^\]]*)\] trust anchors|trust list: ([A-Za-z_, ]+)$")
# validation_results' own record of the list that trusted the signer and the time stamp
_LIST_URI = re.compile(rf'("(?:trustListUri|timestampTrustListUri)":\s*"){FIRST}"')
# The C2PA library's own EKU list, used when a trust list brings no config of its own
# (c2pa-rs 0.91 store.cfg: emailProtection, documentSigning, timeStamping, OCSPSigning,
# MS C2PA signing, C2PA signing).
DEFAULT_EKUS = frozenset({
    "1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.36", "1.3.6.1.5.5.7.3.8", "1.3.6.1.5.5.7.3.9",
    "1.3.6.1.4.1.311.76.59.1.9", "1.3.6.1.4.1.62558.2.1",
})  # fmt: skip


def per_list(read: Read, lists: list[TrustList]) -> tuple[C2paFinding, str | None]:
    """Under each list in turn: (the final reading, the key of the list that vouched)."""
    finding = C2paFinding()
    for trust in lists:
        finding = read(trust, None)
        if finding.signer_trusted:
            return finding, trust.key
        # Another list can only change the outcome when the signer was the problem.
        if not finding.present or not finding.untrusted_urls:
            break
    return finding, None


def _ekus(config: str) -> frozenset[str]:
    if not config.strip():
        return DEFAULT_EKUS
    lines = (line.strip() for line in config.splitlines())
    return frozenset(line for line in lines if line and not line.startswith("//"))


def combined(lists: list[TrustList]) -> TrustList | None:
    """The one-read set-up for these lists, or None when one read cannot tell them apart:
    only two lists can be told apart by where the library found a chain, the first must have
    no allowed list (an allowed-list hit is not attributed) and both the same EKUs."""
    if len(lists) != 2:
        return None
    first, second = lists
    if first.allowed or not first.anchors or not second.anchors:
        return None
    if first.key == "none" or second.key == "none" or first.cawg != second.cawg:
        return None
    if _ekus(first.config) != _ekus(second.config):
        return None
    return TrustList(
        key=f"one-read:{first.key}+{second.key}",
        name=f"{first.name} + {second.name}",
        date=None,
        anchors=second.anchors,
        checked_first=first.anchors,
        allowed=second.allowed,
        config=second.config or first.config,
        files=first.files + second.files,
        cawg=first.cawg,
    )


def _slots(explanations: list[str]) -> set[str] | None:
    """Where the library found every trusted chain; None when one cannot be placed."""
    found: set[str] = set()
    for text in explanations:
        if text.startswith("legacy timestamp"):
            continue  # trusted under any list, none at all included
        m = _FOUND.search(text)
        if m is None:
            return None
        names = {n.strip() for n in (m.group(1) or m.group(2) or "").split(",") if n.strip()}
        if not names or not names <= {FIRST, SECOND}:
            return None
        found |= names
    return found


def _as_under(finding: C2paFinding, trust: TrustList) -> C2paFinding:
    """The one reading as the given list's own reading: its key, and the slot the per-list
    reading names (there every list is the library's `trust_anchors`)."""
    raw = finding.raw_json
    if raw:
        raw = raw.replace(f"found in [{FIRST}] trust anchors", f"found in [{SECOND}] trust anchors")
        raw = raw.replace(f"trust list: {FIRST}", f"trust list: {SECOND}")
        raw = _LIST_URI.sub(rf'\1{SECOND}"', raw)
    key = trust.key if finding.trust_key is not None else None  # a failed read names none
    return replace(finding, trust_key=key, raw_json=raw)


def _stops(finding: C2paFinding) -> bool:
    """The per-list rule ends at this reading."""
    return finding.signer_trusted or not finding.present or not finding.untrusted_urls


def read_once(read: Read, lists: list[TrustList]) -> tuple[C2paFinding, str | None]:
    """What `per_list(read, lists)` returns, mostly from one reading (see the module doc)."""
    both = combined(lists)
    if both is None:
        return per_list(read, lists)
    first, second = lists
    evidence = Evidence()
    one = read(both, evidence)
    slots = _slots(evidence.explanations)
    if slots is None or slots == {FIRST, SECOND}:
        return per_list(read, lists)
    if not slots:
        # Nothing trusted: every list reads the file alike; the rule walks them on this reading.
        for trust in lists:
            finding = _as_under(one, trust)
            if _stops(finding):
                break
        return finding, (trust.key if finding.signer_trusted else None)
    if slots == {FIRST}:
        # The first list holds every trusted chain: this is its reading.
        finding = _as_under(one, first)
        if finding.signer_trusted:
            return finding, first.key
        if _stops(finding):
            return finding, None
        return per_list(read, [second])  # the second list may hold them too: read it
    # The second list holds every trusted chain (the library names one place even when both
    # lists hold a chain, so whether the first holds the signer's is checked apart).
    if not (one.signer_trusted or one.untrusted_urls):
        return per_list(read, lists)  # cannot tell whether the rule stops at the first
    if one.signer_trusted and _may_hold(first, second, one, evidence.signature):
        finding = read(first, None)
        if _stops(finding):
            return finding, (first.key if finding.signer_trusted else None)
    # Under the first list the signer is untrusted, so the rule goes on to the second, whose
    # reading this is.
    finding = _as_under(one, second)
    return finding, (second.key if finding.signer_trusted else None)


def _names(name: Any) -> frozenset[str]:
    """The common names and organisations of an X.509 name: what a chain is walked by."""
    from cryptography.x509.oid import NameOID

    wanted = (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME)
    return frozenset(str(a.value) for oid in wanted for a in name.get_attributes_for_oid(oid))


@lru_cache(maxsize=8)
def _certificates(pem: str) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """(subject names, issuer names) of every certificate of a PEM list; unparsable ones are
    left out (the library cannot anchor on them either)."""
    from cryptography import x509

    out = []
    for block in pem.split("-----BEGIN CERTIFICATE-----")[1:]:
        text = "-----BEGIN CERTIFICATE-----" + block.split("-----END CERTIFICATE-----")[0]
        try:
            cert = x509.load_pem_x509_certificate((text + "-----END CERTIFICATE-----").encode())
        except ValueError:
            continue
        out.append((_names(cert.subject), _names(cert.issuer)))
    return tuple(out)


def _may_hold(
    first: TrustList, second: TrustList, finding: C2paFinding, signature: bytes | None
) -> bool:
    """Whether the first list may hold a certificate the active signer's chain can end on.
    From the chain in the signature when it can be read, else from the names of the signer's
    issuers as the second list shows them; True whenever neither can tell."""
    chain = signer_chain(signature, finding.active_label) if signature else None
    if chain:
        return _chain_meets(first, chain)
    return _names_meet(first, second, finding)


def _canonical(name: Any) -> str:
    return " ".join(name.rfc4514_string().casefold().split())


def _common_names(name: Any) -> frozenset[str]:
    from cryptography.x509.oid import NameOID

    return frozenset(str(a.value) for a in name.get_attributes_for_oid(NameOID.COMMON_NAME))


@lru_cache(maxsize=8)
def _anchors(pem: str) -> tuple[frozenset[bytes], frozenset[str], frozenset[str]]:
    """(DER, canonical subjects, subject common names) of a PEM list's certificates."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    ders: set[bytes] = set()
    subjects: set[str] = set()
    names: set[str] = set()
    for block in pem.split("-----BEGIN CERTIFICATE-----")[1:]:
        body = block.split("-----END CERTIFICATE-----")[0]
        text = f"-----BEGIN CERTIFICATE-----{body}-----END CERTIFICATE-----\n"
        try:
            cert = x509.load_pem_x509_certificate(text.encode())
        except ValueError:
            continue  # the library cannot anchor on it either
        ders.add(cert.public_bytes(Encoding.DER))
        subjects.add(_canonical(cert.subject))
        names |= _common_names(cert.subject)
    return frozenset(ders), frozenset(subjects), frozenset(names)


def _chain_meets(first: TrustList, chain: list[Any]) -> bool:
    """Whether the first list holds a certificate of the chain, or one that issued one of
    them: the first anchor a path from the signer reaches under that list alone is one or the
    other (an issuer carries its certificate's subject name). Names match by their canonical
    text or by common name alone, so a near miss counts as a hit."""
    from cryptography.hazmat.primitives.serialization import Encoding

    ders, subjects, names = _anchors(first.anchors)
    for cert in chain:
        if cert.public_bytes(Encoding.DER) in ders:
            return True
        for name in (cert.subject, cert.issuer):
            if _canonical(name) in subjects or _common_names(name) & names:
                return True
    return False


def _names_meet(first: TrustList, second: TrustList, finding: C2paFinding) -> bool:
    """Whether the first list may hold a certificate of the active signer's chain, by names
    only. False only when the chain can be followed by name from the signer's issuer up to a
    root through the second list's certificates alone and no name on the way (common name or
    organisation, so a near miss counts as a hit) is the subject of a certificate of the first
    list."""
    active = finding.manifests.get(finding.active_label or "")
    sig = active.signature if active is not None else None
    if sig is None or not sig.issuer:
        return True
    firsts = _certificates(first.anchors)
    seconds = _certificates(second.anchors)
    if sig.common_name and any(sig.common_name in subject for subject, _ in firsts):
        return True  # the signing certificate itself
    todo = [frozenset({sig.issuer})]
    seen: set[frozenset[str]] = set()
    while todo:
        names = todo.pop()
        if names in seen:
            continue
        seen.add(names)
        if any(names & subject for subject, _ in firsts):
            return True
        above = [(subject, issuer) for subject, issuer in seconds if names & subject]
        if not above:
            return True  # a link neither list shows: it cannot be followed
        todo += [issuer for subject, issuer in above if issuer != subject]
    return False
