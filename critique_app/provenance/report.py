"""The provenance report as plain data: what C2PA and plain metadata say about one file.

No c2pa types leak out of the reader: everything here is dataclasses, strings and bytes,
picklable (it crosses the process boundary) and turned into the `verify --json` shape by
`to_json()` (see docs/verify-json.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# The manifests are re-exported: the reader and its callers build a report from this module.
from critique_app.i18n import _
from critique_app.provenance.manifests import (
    Action,
    C2paFinding,
    Identity,
    Ingredient,
    Manifest,
    Signature,
)
from critique_app.provenance.verdict import manifest_to_json

__all__ = [
    "AI_SIGNALS",
    "REASONS",
    "STATES",
    "Action",
    "C2paFinding",
    "Identity",
    "Ingredient",
    "Manifest",
    "Metadata",
    "ProvenanceReport",
    "Signature",
    "Verdict",
]

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
    # Which manifest the verdict is about when an asset has both: 'embedded' | 'sidecar'
    # (None: only one source was looked at), and the other one's verdict in brief.
    verdict_about: str | None = None
    other_manifest: dict[str, Any] | None = None
    checked_at: str = ""
    tool_versions: dict[str, str] = field(default_factory=dict)
    trust_dates: dict[str, str] = field(default_factory=dict)
    trust_files: list[dict[str, Any]] = field(default_factory=list)  # every trust file used
    cawg_trust: str = "installed"  # the CAWG identity trust setting
    isolated: bool = True

    def to_json(self) -> dict[str, Any]:
        """The object `verify --json` prints for this file (documented in docs/verify-json.md)."""
        from critique_app.provenance.soft_bindings import describe as soft_binding
        from critique_app.provenance.verdict import all_identities, identity_sentence
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
            "verdict_about": self.verdict_about,
            "other_manifest": self.other_manifest,
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
                # shown, never judged: decoding them needs each vendor's decoder
                "soft_bindings": [soft_binding(sb) for sb in active.soft_bindings]
                if active
                else [],
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
                "note": _("Plain metadata is unsigned: anyone can write or remove it."),
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
