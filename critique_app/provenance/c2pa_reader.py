"""Read C2PA Content Credentials with c2pa-python and turn them into plain report data.

The only module (with c2pa_signer.py) that imports c2pa. Offline settings; one Context per
trust set-up and thread (sharing a native handle across threads can free it mid-call). Every
manifest and ingredient is walked: AI disclosure often sits only in an ingredient's manifest.
Call it through critique_app.provenance.isolation for untrusted files.
"""

from __future__ import annotations

import io
import json
import re
import threading
from functools import lru_cache
from typing import Any

import c2pa

from critique_app.i18n import _
from critique_app.provenance import cose
from critique_app.provenance.one_read import Evidence
from critique_app.provenance.reasons import IDENTITY_STATUSES, identity_status
from critique_app.provenance.report import (
    Action,
    C2paFinding,
    Identity,
    Ingredient,
    Manifest,
    Signature,
)
from critique_app.provenance.trust import TrustList
from critique_app.provenance.vocab import normalise_source_type

_local = threading.local()
MAX_THUMBNAIL = 2 * 1024 * 1024  # bigger "thumbnails" are not worth carrying across processes
# Codes whose presence depends on the trust list used (their explanation says where the
# library found the certificate).
TRUST_GRANTED = {"signingCredential.trusted", "timeStamp.trusted"}
SUCCESS_SUFFIXES = (".validated", ".match", ".trusted", ".insideValidity", ".notRevoked")


@lru_cache(maxsize=1)
def _versions() -> tuple[tuple[str, str], ...]:
    return (
        ("c2pa-python", str(getattr(c2pa, "__version__", "?"))),
        ("c2pa-rs", c2pa.sdk_version()),
    )


def versions() -> dict[str, str]:
    return dict(_versions())  # asked once per file: the library's answer does not change


def _context(trust: TrustList) -> Any:
    """One Context per trust set-up, per thread."""
    cache = getattr(_local, "contexts", None)
    if cache is None:
        cache = _local.contexts = {}
    ctx = cache.get(trust.cache_key)
    if ctx is None:
        ctx = c2pa.Context(settings=c2pa.Settings.from_dict(trust.settings()))
        cache[trust.cache_key] = ctx
    return ctx


def read_c2pa(
    path: str,
    mime: str | None,
    trust: TrustList,
    fragments: list[str] | None = None,
    thumbnails: bool = True,
    sidecar: str | None = None,
    evidence: Evidence | None = None,
) -> C2paFinding:
    """What the library says about `path` under `trust`; never raises for a bad file.
    `sidecar`: a `.c2pa` manifest store kept beside the asset instead of inside it.
    `evidence`: when given, filled with the library's explanation of every trust it granted
    (they say where it found the certificate) and the active manifest's signature, which holds
    the signer's certificate chain (provenance/one_read.py)."""
    ctx = _context(trust)
    try:
        manifest_data = None
        if sidecar:
            with open(sidecar, "rb") as side:
                manifest_data = side.read()
        with open(path, "rb") as fh:
            reader = c2pa.Reader(mime, fh, manifest_data, ctx)
            try:
                for frag in fragments or []:
                    # Each fragment is hashed against the init segment's BMFF hash.
                    with open(path, "rb") as init, open(frag, "rb") as fr:
                        reader.with_fragment(mime, init, fr)
                return _finding(reader, thumbnails, trust, evidence)
            finally:
                reader.close()
    except c2pa.C2paError as err:
        return _error_finding(err)
    except OSError as err:
        return C2paFinding(
            error=_("cannot open the file ({reason})").format(reason=err.strerror),
            error_kind="unreadable",
        )
    except (RecursionError, MemoryError):  # a hostile manifest store: a verdict, not a crash
        return C2paFinding(
            error=_("its Content Credentials are nested too deeply or too large to be read"),
            error_kind="unreadable",
        )


def _error_finding(err: Exception) -> C2paFinding:
    msg = str(err).strip()
    if type(err).__name__.endswith("ManifestNotFound") or msg.startswith("ManifestNotFound"):
        return C2paFinding(error=msg, error_kind="no_manifest")
    if msg.startswith("Remote") or "remote manifest" in msg.lower():
        url = msg.split("url ", 1)[1].strip() if "url " in msg else None
        return C2paFinding(present=True, error=msg, error_kind="remote", remote_url=url)
    return C2paFinding(error=msg or type(err).__name__, error_kind="unreadable")


def _codes(entries: list[dict] | None) -> list[str]:
    return [e.get("code", "") for e in entries or [] if e.get("code")]


_LABEL = re.compile(r"/c2pa/([^/]+)(?:/c2pa\.assertions/([^/?#]+))?")


def _where(url: str | None, default: str) -> tuple[str, str | None]:
    """(manifest label, assertion label) a status entry's URL points at."""
    m = _LABEL.search(url or "")
    if m:
        return m.group(1), m.group(2)
    if url and url.startswith("urn:"):
        return url, None
    return default, None


class _Codes:
    """Every status entry of this reading, filed by the manifest (and assertion) it is about:
    the SDK puts an ingredient's codes in the active manifest's lists with the ingredient's
    URL, in the ingredient deltas, and in crJSON per manifest."""

    def __init__(self) -> None:
        self.by_label: dict[str, dict[str, set[str]]] = {}
        self.by_assertion: dict[tuple[str, str], set[str]] = {}

    def add(self, results: dict | None, default: str) -> None:
        for kind in ("success", "informational", "failure"):
            for e in (results or {}).get(kind) or []:
                code = e.get("code")
                if not code:
                    continue
                label, assertion = _where(e.get("url"), default)
                self.by_label.setdefault(label, {}).setdefault(kind, set()).add(code)
                if assertion:
                    self.by_assertion.setdefault((label, assertion), set()).add(code)

    def of(self, label: str, kind: str) -> list[str]:
        return sorted(self.by_label.get(label, {}).get(kind, set()))


def _granted(found: Any, out: list[str]) -> None:
    """The explanations of the trust codes anywhere in a piece of validation output."""
    if isinstance(found, dict):
        if found.get("code") in TRUST_GRANTED:
            out.append(str(found.get("explanation") or ""))
        for value in found.values():
            if isinstance(value, (dict, list)):
                _granted(value, out)
    elif isinstance(found, list):
        for value in found:
            _granted(value, out)


def _gather(evidence: Evidence, store: dict, cr: dict, results: dict) -> None:
    out = evidence.explanations
    _granted(results, out)  # the store's validation_results
    _granted([m.get("validationResults") for m in cr.get("manifests", [])], out)
    _granted(store.get("validation_status"), out)
    for data in (store.get("manifests") or {}).values():
        for ing in data.get("ingredients") or []:
            _granted([ing.get("validation_results"), ing.get("validation_status")], out)


def _signatures(reader: Any, store: dict) -> bytes | None:
    """The manifest store as the library hands over the active manifest's signature: every
    manifest's COSE_Sign1 is in it."""
    label = store.get("active_manifest")
    if not label:
        return None
    buf = io.BytesIO()
    try:
        reader.resource_to_stream(f"self#jumbf=/c2pa/{label}/c2pa.signature", buf)
    except c2pa.C2paError:
        return None
    return buf.getvalue() or None


def _certificates(signatures: bytes | None, store: dict) -> dict[str, dict] | None:
    """Each manifest's certificates as crJSON gives them, read from the signatures; None when
    one cannot be read here (the library's crJSON is asked then)."""
    manifests = store.get("manifests") or {}
    if not manifests:
        return {}
    if signatures is None:
        return None
    out = {}
    for label, data in manifests.items():
        found = cose.certificates(signatures, label)
        if found is None or not (data.get("signature_info") or {}).get("alg"):
            return None
        out[label] = {"signature": found}
    return out


def _finding(
    reader: Any, thumbnails: bool, trust: TrustList, evidence: Evidence | None = None
) -> C2paFinding:
    raw = reader.json()
    store = json.loads(raw)
    signatures = _signatures(reader, store)
    sigs = _certificates(signatures, store)
    # crJSON only when the signatures cannot give the certificates (issue 24: a tenth of a
    # `verify` run). Its per-manifest validation results are the store's, filed by URL as
    # `_Codes` files them (the same codes and explanations on every corpus file and list).
    cr = json.loads(reader.crjson()) if sigs is None else {}
    if sigs is None:
        sigs = {m.get("label"): m for m in cr.get("manifests", [])}
    # what reader.get_validation_results() and .get_validation_state() give, without the
    # library parsing the same JSON a second time
    results = store.get("validation_results") or {}
    if evidence is not None:
        _gather(evidence, store, cr, results)
        evidence.signature = signatures
    active_label = store.get("active_manifest") or ""
    active = results.get("activeManifest") or {}
    failures = _codes(active.get("failure"))
    codes = _Codes()
    codes.add(active, active_label)
    ingredient_failures: list[str] = []
    untrusted = [
        e.get("url", "")
        for e in active.get("failure") or []
        if e.get("code") == "signingCredential.untrusted"
    ]
    for delta in results.get("ingredientDeltas") or []:
        found = delta.get("validationDeltas") or {}
        codes.add(found, "")
        fails = found.get("failure") or []
        ingredient_failures += _codes(fails)
        untrusted += [
            e.get("url", "") for e in fails if e.get("code") == "signingCredential.untrusted"
        ]
    for m in cr.get("manifests", []):
        codes.add(m.get("validationResults"), m.get("label") or "")
    if not results:  # old manifests: a flat status list only
        status = store.get("validation_status") or []
        failures = [c for c in _codes(status) if not c.endswith(SUCCESS_SUFFIXES)]
        codes.add({"failure": [e for e in status if e.get("code") in failures],
                   "success": [e for e in status if e.get("code") not in failures]},
                  active_label)  # fmt: skip
    manifests: dict[str, Manifest] = {}
    for label, data in (store.get("manifests") or {}).items():
        manifests[label] = _manifest(label, data, sigs.get(label, {}), reader, thumbnails, codes)
        m = manifests[label]
        m.signer_trust = _trust(m.successes, m.failures, trust)
    # An ingredient's codes recorded when it was placed stand for this reading too when they
    # hold a trust code: the SDK re-checks them under the current list and reports only what
    # differs (ingredientDeltas). Recorded signature and hash codes alone say nothing of trust.
    for m in manifests.values():
        for ing in m.ingredients:
            target = manifests.get(ing.manifest_label or "")
            if target is not None and target.signer_trust is None:
                target.signer_trust = _trust(ing.recorded, ing.recorded, trust)
    return C2paFinding(
        present=True,
        state=store.get("validation_state"),
        active_label=store.get("active_manifest"),
        manifests=manifests,
        failures=failures,
        ingredient_failures=ingredient_failures,
        untrusted_urls=untrusted,
        informational=_codes(active.get("informational")),
        raw_json=raw,
        trust_key=trust.key,
    )


def _trust(successes: list[str], failures: list[str], trust: TrustList) -> str | None:
    if "signingCredential.untrusted" in failures:
        return "untrusted"
    if "signingCredential.trusted" in successes:
        return "untrusted" if trust.key == "none" else "trusted"
    return None


def _name(dn: dict | None) -> str | None:
    if not dn:
        return None
    return dn.get("CN") or dn.get("O") or None


def _signature(info: dict, cr: dict) -> Signature:
    sig = cr.get("signature") or {}
    cert = sig.get("certificateInfo") or {}
    subject = cert.get("subject") or {}
    validity = cert.get("validity") or {}
    tsa = sig.get("timeStampInfo") or {}
    tsa_name = _name((tsa.get("certificateInfo") or {}).get("subject"))
    signed_at = tsa.get("timestamp") or info.get("time")
    return Signature(
        organisation=subject.get("O") or info.get("issuer"),
        common_name=subject.get("CN") or info.get("common_name"),
        issuer=_name(cert.get("issuer")),
        algorithm=(sig.get("algorithm") or info.get("alg") or "").lower() or None,
        signed_at=signed_at,
        timestamped=bool(tsa) or bool(info.get("time")),
        timestamp_authority=tsa_name,
        valid_from=validity.get("notBefore"),
        valid_until=validity.get("notAfter"),
        serial=cert.get("serialNumber") or info.get("cert_serial_number"),
    )


def _generator(data: dict) -> str | None:
    infos = data.get("claim_generator_info") or []
    if infos and isinstance(infos[0], dict) and infos[0].get("name"):
        first = infos[0]
        return f"{first['name']} {first.get('version', '')}".strip()
    return data.get("claim_generator")


def _agent(value: Any) -> str | None:
    if isinstance(value, dict):
        return f"{value.get('name', '')} {value.get('version', '')}".strip() or None
    return str(value).strip() if value else None


def _action(entry: dict) -> Action:
    params = dict(entry.get("parameters") or {})
    params.pop("ingredients", None)  # hashed links, noise for a jury
    dst = (
        entry.get("digitalSourceType")
        or params.get("com.adobe.digitalSourceType")
        or params.get("digitalSourceType")
    )
    return Action(
        action=str(entry.get("action", "")).strip(),
        when=entry.get("when"),
        software_agent=_agent(entry.get("softwareAgent")),
        digital_source_type=normalise_source_type(dst) if isinstance(dst, str) else None,
        description=entry.get("description") or params.get("description"),
        parameters={k: v for k, v in params.items() if isinstance(v, (str, int, float, bool))},
    )


def _thumbnail(reader: Any, ref: dict | None) -> tuple[bytes | None, str | None]:
    if not ref or not ref.get("identifier"):
        return None, None
    buf = io.BytesIO()
    try:
        size = reader.resource_to_stream(ref["identifier"], buf)
    except c2pa.C2paError:
        return None, None
    if not size or size > MAX_THUMBNAIL:
        return None, None
    return buf.getvalue(), ref.get("format")


def _manifest(
    label: str, data: dict, cr: dict, reader: Any, thumbnails: bool, codes: _Codes
) -> Manifest:
    m = Manifest(
        label=label,
        generator=_generator(data),
        generator_info=list(data.get("claim_generator_info") or []),
        title=data.get("title"),
        format=data.get("format"),
        signature=_signature(data.get("signature_info") or {}, cr),
    )
    for assertion in data.get("assertions") or []:
        name = str(assertion.get("label", ""))
        body = assertion.get("data") or {}
        m.assertion_labels.append(name)
        if name.startswith("c2pa.actions"):
            m.actions += [_action(a) for a in body.get("actions") or [] if isinstance(a, dict)]
        elif "training-mining" in name:
            for key, entry in (body.get("entries") or body).items():
                if isinstance(entry, dict):
                    m.permissions.append({"assertion": name, "permission": key, **entry})
        elif name.startswith("cawg.identity"):
            m.identities.append(_identity(label, name, body, codes))
        elif name.startswith("stds.schema-org.CreativeWork"):
            for author in body.get("author") or []:
                if isinstance(author, dict) and author.get("name"):
                    m.authors.append({"kind": "author (CreativeWork)", "name": author["name"]})
        elif name.startswith("c2pa.soft-binding") or name.startswith("c2pa.watermark"):
            m.watermarks.append({"assertion": name, "alg": body.get("alg")})
            if name.startswith("c2pa.soft-binding") and isinstance(body, dict):
                m.soft_bindings.append(soft_binding(name, body))
    for a in m.actions:
        if a.action == "c2pa.watermarked":
            m.watermarks.append({"action": a.action, "alg": a.software_agent})
    # The manifest's own validation in this reading, wherever the SDK filed it.
    m.failures = codes.of(label, "failure")
    m.successes = codes.of(label, "success")
    for ing in data.get("ingredients") or []:
        m.ingredients.append(_ingredient(ing, reader, thumbnails))
    return m


def soft_binding(assertion: str, body: dict) -> dict[str, Any]:
    """A c2pa.soft-binding assertion as plain data: its algorithm, its own name if any, and
    each block's scope and value (bytes as hex, so the value crosses as text)."""

    def text(value: Any) -> str:
        if isinstance(value, (bytes, bytearray)):
            return bytes(value).hex()
        if isinstance(value, list) and all(isinstance(x, int) for x in value):
            return bytes(x & 0xFF for x in value).hex()
        return "" if value is None else str(value)

    blocks = [
        {"scope": dict(b.get("scope") or {}), "value": text(b.get("value"))}
        for b in body.get("blocks") or []
        if isinstance(b, dict)
    ]
    return {"assertion": assertion, "alg": body.get("alg"), "name": body.get("name"),
            "blocks": blocks}  # fmt: skip


def _identity(label: str, assertion: str, body: dict, codes: _Codes) -> Identity:
    """A CAWG identity assertion as the reader decodes it: X.509 (signer_payload +
    signature_info) or an identity claims aggregation (the verifiable credential itself)."""
    payload = body.get("signer_payload") or body.get("c2paAsset") or {}
    sig_type = str(payload.get("sig_type") or "")
    found = sorted(c for c in codes.by_assertion.get((label, assertion), set())
                   if c.startswith("cawg."))  # fmt: skip
    statuses = {s for s in (identity_status(c) for c in found) if s}
    status = next((s for s in IDENTITY_STATUSES if s in statuses), "not_checked")
    roles = [str(r) for r in payload.get("role") or payload.get("roles") or []]
    if "x509" in sig_type:
        info = body.get("signature_info") or {}
        return Identity(
            type="cawg.x509", status=status, name=info.get("common_name"),
            issuer=info.get("issuer"), manifest_label=label, assertion=assertion,
            codes=found, roles=roles,
            identifiers=[{"type": "x509.certificate", "serial": info.get("cert_serial_number")}]
            if info.get("cert_serial_number") else [],
        )  # fmt: skip
    if "claims_aggregation" in sig_type or "IdentityClaimsAggregationCredential" in str(
        body.get("type")
    ):
        ids = [_verified_identity(v) for v in body.get("verifiedIdentities") or []]
        names = [
            i.get("name") or i.get("username") for i in ids if i.get("name") or i.get("username")
        ]
        issuer = body.get("issuer")
        if isinstance(issuer, dict):
            issuer = issuer.get("id")
        return Identity(
            type="cawg.ica", status=status, name=names[0] if names else None,
            issuer=str(issuer) if issuer else None, identifiers=ids, manifest_label=label,
            assertion=assertion, codes=found, roles=roles,
        )  # fmt: skip
    return Identity(type=None, status=status, manifest_label=label, assertion=assertion,
                    codes=found, roles=roles)  # fmt: skip


def _verified_identity(entry: Any) -> dict:
    if not isinstance(entry, dict):
        return {"value": str(entry)}
    provider = entry.get("provider") or {}
    out = {
        "type": entry.get("type"),
        "name": entry.get("name"),
        "username": entry.get("username"),
        "uri": entry.get("uri"),
        "address": entry.get("address"),
        "provider": provider.get("name") or provider.get("id")
        if isinstance(provider, dict)
        else None,
        "verified_at": entry.get("verifiedAt"),
    }
    return {k: v for k, v in out.items() if v}


def _ingredient(ing: dict, reader: Any, thumbnails: bool) -> Ingredient:
    res = ing.get("validation_results") or {}
    failures = _codes((res.get("activeManifest") or {}).get("failure"))
    for delta in res.get("ingredientDeltas") or []:
        failures += _codes((delta.get("validationDeltas") or {}).get("failure"))
    status = ing.get("validation_status") or []
    failures += [c for c in _codes(status) if not c.endswith(SUCCESS_SUFFIXES)]
    recorded = _codes((res.get("activeManifest") or {}).get("success")) + _codes(status)
    recorded += _codes((res.get("activeManifest") or {}).get("failure"))
    thumb, thumb_fmt = _thumbnail(reader, ing.get("thumbnail")) if thumbnails else (None, None)
    return Ingredient(
        title=ing.get("title"),
        format=ing.get("format"),
        relationship=ing.get("relationship"),
        manifest_label=ing.get("active_manifest"),
        failures=sorted(set(failures)),
        recorded=sorted(set(recorded)),
        thumbnail=thumb,
        thumbnail_format=thumb_fmt,
    )
