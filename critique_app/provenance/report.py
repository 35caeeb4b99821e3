"""The provenance report as plain data: what C2PA and plain metadata say about one file.

No c2pa types leak out of the reader: everything here is dataclasses, strings and bytes,
picklable (it crosses the process boundary) and turned into the `verify --json` shape by
`to_json()` (see docs/verify-json.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Library states and the reasons a jury can act on.
STATES = ("Trusted", "Valid", "Invalid")
REASONS = (
    "ok",
    "untrusted_signer",
    "tampered",
    "expired_credential",
    "revoked",
    "malformed",
    "ingredient_invalid",
    "remote_manifest",
    "sidecar_without_asset",
    "unreadable",
    "no_manifest",
)
# An ingredient's own reason can also be one of these.
INGREDIENT_REASONS = ("not_revalidated", "manifest_missing")
AI_SIGNALS = (
    "fully_genai",
    "partly_genai",
    "may_contain_genai",
    "captured",
    "non_genai_creation",
    "none_declared",
    "unknown",
)


@dataclass
class Action:
    action: str
    when: str | None = None
    software_agent: str | None = None
    digital_source_type: str | None = (
        None  # the IPTC term, trimmed (e.g. 'trainedAlgorithmicMedia')
    )
    description: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass
class Signature:
    organisation: str | None = None  # subject O of the signing certificate
    common_name: str | None = None  # subject CN
    issuer: str | None = None  # the certificate authority that issued it (issuer CN / O)
    algorithm: str | None = None
    signed_at: str | None = None  # ISO time; only known when a time-stamp authority backs it
    timestamped: bool = False
    timestamp_authority: str | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    serial: str | None = None


@dataclass
class Identity:
    """One CAWG identity assertion: who the assertion says took part, and how far it holds."""

    type: str | None  # 'cawg.x509' | 'cawg.ica' | None when the sig_type is unknown
    status: str  # verified | untrusted | unverifiable_offline | invalid | not_checked
    name: str | None = None
    issuer: str | None = None  # the certificate's issuer, or the credential issuer's DID
    identifiers: list[dict[str, Any]] = field(default_factory=list)  # verified identities
    manifest_label: str = ""
    assertion: str = ""  # e.g. 'cawg.identity' or 'cawg.identity__1'
    codes: list[str] = field(default_factory=list)  # the SDK's cawg.* codes for it
    roles: list[str] = field(default_factory=list)


@dataclass
class Manifest:
    """One C2PA manifest (the active one or one carried by an ingredient)."""

    label: str
    generator: str | None = None  # "Adobe Photoshop 26.9.0" from claim_generator_info
    generator_info: list[dict[str, Any]] = field(default_factory=list)
    title: str | None = None
    format: str | None = None
    signature: Signature = field(default_factory=Signature)
    actions: list[Action] = field(default_factory=list)
    permissions: list[dict[str, Any]] = field(default_factory=list)  # training-and-mining
    identities: list[Identity] = field(default_factory=list)  # CAWG identity assertions
    authors: list[dict[str, Any]] = field(default_factory=list)  # schema.org CreativeWork
    watermarks: list[dict[str, Any]] = field(default_factory=list)  # soft bindings, watermarked
    ingredients: list[Ingredient] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # this manifest's own validation failures
    successes: list[str] = field(default_factory=list)  # success codes of this reading
    # What this reading says of the signer: 'trusted' (signingCredential.trusted under a
    # trust list), 'untrusted', or None when the SDK did not re-validate the signature now.
    signer_trust: str | None = None
    assertion_labels: list[str] = field(default_factory=list)


@dataclass
class Ingredient:
    title: str | None
    format: str | None
    relationship: str | None  # parentOf | componentOf | inputTo
    manifest_label: str | None  # the ingredient's own manifest, when it carries one
    failures: list[str] = field(default_factory=list)  # its own validation failure codes
    recorded: list[str] = field(default_factory=list)  # codes recorded when it was placed
    thumbnail: bytes | None = None
    thumbnail_format: str | None = None


@dataclass
class C2paFinding:
    """What the C2PA reader found in one file under one trust set-up (raw, before the verdict)."""

    present: bool = False
    state: str | None = None  # Trusted | Valid | Invalid, from the library
    active_label: str | None = None
    manifests: dict[str, Manifest] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)  # active manifest failure codes
    ingredient_failures: list[str] = field(default_factory=list)  # from ingredient deltas
    untrusted_urls: list[str] = field(default_factory=list)  # signatures the library did not trust
    informational: list[str] = field(default_factory=list)
    error: str | None = None  # the library's message when it could not read
    error_kind: str | None = None  # remote | no_manifest | unreadable | sidecar_without_asset
    remote_url: str | None = None
    raw_json: str | None = None  # the manifest store as the library printed it
    trust_key: str | None = None  # the trust list this reading used ('none' never vouches)

    @property
    def signer_trusted(self) -> bool:
        """The active manifest's signer is trusted under the list used, by the SDK's own
        codes. CAWG identity failures make the SDK's state Invalid or Valid; they do not
        touch the signer's trust."""
        active = self.manifests.get(self.active_label or "")
        if self.trust_key == "none" or active is None:
            return False
        return self.state == "Trusted" or active.signer_trust == "trusted"


@dataclass
class Metadata:
    """Plain, unsigned metadata: easy to write, easy to forge."""

    fields: dict[str, str] = field(default_factory=dict)
    ai_hints: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class Verdict:
    state: str | None  # None when there is nothing the library could judge
    reason: str
    sentence: str  # one plain sentence for a jury
    trust_list: str | None = None  # which list vouched: 'c2pa' | 'interim' | 'PEM file …' | None
    ai_signal: str = "unknown"
    ai_signal_source: str | None = None  # the manifest label that said it
    ai_signal_sentence: str = ""


@dataclass
class ProvenanceReport:
    path: str
    sha256: str
    size: int
    format: str  # detected from the bytes, e.g. 'jpeg', 'mp4', 'mp4-fragment'
    mime: str | None
    trust: str  # the trust setting used: all | c2pa | interim | none | PEM path
    c2pa: C2paFinding
    verdict: Verdict
    metadata: Metadata
    fragments: list[str] = field(default_factory=list)
    sidecar: str | None = None  # the `.c2pa` manifest store verified with the asset
    checked_at: str = ""
    tool_versions: dict[str, str] = field(default_factory=dict)
    trust_dates: dict[str, str] = field(default_factory=dict)
    trust_files: list[dict[str, Any]] = field(default_factory=list)  # every trust file used
    cawg_trust: str = "installed"  # the CAWG identity trust setting
    isolated: bool = True

    def to_json(self) -> dict[str, Any]:
        """The object `verify --json` prints for this file (documented in docs/verify-json.md)."""
        from critique_app.provenance.verdict import (
            all_identities,
            identity_sentence,
            manifest_to_json,
        )
        from critique_app.provenance.vocab import category_key_for

        c2pa = self.c2pa
        active = c2pa.manifests.get(c2pa.active_label or "")
        sig = active.signature if active else None
        dsts = sorted(
            {
                a.digital_source_type
                for m in c2pa.manifests.values()
                for a in m.actions
                if a.digital_source_type
            }
        )
        return {
            "path": self.path,
            "sha256": self.sha256,
            "size": self.size,
            "format": self.format,
            "mime": self.mime,
            "fragments": self.fragments,
            "sidecar": self.sidecar,
            "checked_at": self.checked_at,
            "trust_setting": self.trust,
            "c2pa": {
                "present": c2pa.present,
                "state": self.verdict.state,
                "reason": self.verdict.reason,
                "summary": self.verdict.sentence,
                "trust_list": self.verdict.trust_list,
                "ai_signal": self.verdict.ai_signal,
                "ai_signal_source": self.verdict.ai_signal_source,
                "ai_signal_summary": self.verdict.ai_signal_sentence,
                "ai_signal_category": category_key_for(self.verdict.ai_signal, dsts),
                "digital_source_types": dsts,
                "generator": active.generator if active else None,
                "signer": asdict(sig) if sig else None,
                "signed_at": sig.signed_at if sig else None,
                "timestamped": sig.timestamped if sig else False,
                "active_manifest": c2pa.active_label,
                "manifest_count": len(c2pa.manifests),
                "actions": [asdict(a) for a in active.actions] if active else [],
                "permissions": active.permissions if active else [],
                "identities": [asdict(i) for i in all_identities(c2pa)],
                "identities_summary": identity_sentence(all_identities(c2pa)),
                "authors": active.authors if active else [],
                "watermarks": active.watermarks if active else [],
                "ingredients": [
                    manifest_to_json(i, c2pa.manifests, set()) for i in active.ingredients
                ]
                if active
                else [],
                "failures": c2pa.failures,
                "ingredient_failures": c2pa.ingredient_failures,
                "remote_url": c2pa.remote_url,
                "error": c2pa.error,
            },
            "metadata": {
                "signed": False,
                "note": "Plain metadata is unsigned: anyone can write or remove it.",
                "fields": self.metadata.fields,
                "ai_hints": self.metadata.ai_hints,
                "errors": self.metadata.errors,
            },
            "tool_versions": self.tool_versions,
            "trust_dates": self.trust_dates,
            "trust_files": self.trust_files,
            "cawg_trust_setting": self.cawg_trust,
            "isolated": self.isolated,
        }
