"""Sign images and clips with a C2PA manifest: for tests, the demo project and exported clips.

Offline (no time-stamp authority unless given). `make_test_ca` builds a local certificate
authority and leaf with exactly the extensions the C2PA library accepts (NOTES.md): leaf
CA:FALSE, keyUsage digitalSignature (critical), EKU emailProtection, SubjectKeyIdentifier and
AuthorityKeyIdentifier; the chain is passed leaf first.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import c2pa

from critique_app import __version__
from critique_app.errors import UserError
from critique_app.i18n import _
from critique_app.provenance.formats import detect_format, mime_for
from critique_app.provenance.vocab import IPTC_PREFIX


@dataclass(frozen=True)
class SigningIdentity:
    """A signing certificate chain (leaf first) and its private key, as PEM text."""

    chain_pem: str
    key_pem: str
    ca_pem: str  # the root, to use as a trust anchor (e.g. `verify --trust ca.pem`)
    organisation: str
    common_name: str

    def save(self, folder: str | Path) -> dict[str, Path]:
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        files = {"chain": out / "chain.pem", "key": out / "key.pem", "ca": out / "ca.pem"}
        files["chain"].write_text(self.chain_pem)
        files["key"].write_text(self.key_pem)
        os.chmod(files["key"], 0o600)
        files["ca"].write_text(self.ca_pem)
        return files

    @classmethod
    def load(cls, folder: str | Path) -> SigningIdentity:
        p = Path(folder)
        try:
            chain = (p / "chain.pem").read_text()
            key = (p / "key.pem").read_text()
            ca = (p / "ca.pem").read_text() if (p / "ca.pem").exists() else ""
        except OSError as err:
            raise UserError(
                _("The signing certificate in {path} cannot be read ({reason}).").format(
                    path=p, reason=err
                )
            ) from None
        return cls(chain, key, ca, organisation="", common_name="")


def make_test_ca(
    organisation: str = "Critique test CA",
    common_name: str = "Critique test signer",
    *,
    valid_from: dt.datetime | None = None,
    valid_until: dt.datetime | None = None,
) -> SigningIdentity:
    """A fresh local CA and a leaf it signs (EC P-256). Give past dates for an expired leaf."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{organisation} root"),
        ]
    )
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=3650))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf_name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    leaf = (
        x509.CertificateBuilder()
        .subject_name(leaf_name)
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid_from or now - dt.timedelta(days=1))
        .not_valid_after(valid_until or now + dt.timedelta(days=825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    ca_pem = ca_cert.public_bytes(pem).decode()
    return SigningIdentity(
        chain_pem=leaf.public_bytes(pem).decode() + ca_pem,
        key_pem=key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode(),
        ca_pem=ca_pem,
        organisation=organisation,
        common_name=common_name,
    )


def _local_signer(identity: SigningIdentity, tsa_url: str | None) -> dict:
    entry = {"alg": "es256", "sign_cert": identity.chain_pem, "private_key": identity.key_pem}
    if tsa_url:
        entry["tsa_url"] = tsa_url
    return entry


@dataclass
class IngredientSpec:
    path: Path
    relationship: str = "componentOf"  # or parentOf, inputTo
    title: str | None = None


def _mime(path: Path) -> str:
    mime = mime_for(detect_format(path))
    if mime is None:
        raise UserError(
            _("{path} is not an image or video format that can carry a C2PA manifest.").format(
                path=path
            )
        )
    return mime


def sign_file(
    source: str | Path,
    dest: str | Path,
    identity: SigningIdentity,
    *,
    title: str | None = None,
    digital_source_type: str | None = "trainedAlgorithmicMedia",
    action: str | None = None,
    description: str | None = None,
    software_agent: str | None = None,
    generator: tuple[str, str] = ("Critique", __version__),
    parent: str | Path | None = None,
    ingredients: Sequence[IngredientSpec] = (),
    remote_url: str | None = None,
    tsa_url: str | None = None,
    identity_signer: SigningIdentity | None = None,
    actions: list[dict] | None = None,
    check_after_signing: bool = True,
    sidecar: str | Path | None = None,
    trust_anchors: str | None = None,
) -> Path:
    """Write `dest`: `source` with a signed manifest.

    Without a parent the action is `c2pa.created` (with `digital_source_type`, by default
    trainedAlgorithmicMedia); with a parent (e.g. the source film of an excerpt) it is
    `c2pa.opened` of that parent plus `action` (default `c2pa.edited`). `remote_url` writes a
    remote-only manifest: the file carries just the link, the manifest is not embedded.

    `identity_signer` adds a CAWG X.509 identity assertion signed with that certificate (the
    SDK's `cawg_x509_signer` setting). `actions` replaces the actions as given (tests break
    them on purpose, with `check_after_signing=False` so the SDK does not refuse). `sidecar`
    writes the manifest to that `.c2pa` file instead of embedding it; `dest` is then a copy
    of the asset without credentials. `trust_anchors` (PEM) is what the signing tool trusts
    when it records its ingredients' validation results.
    """
    src, out = Path(source), Path(dest)
    mime = _mime(src)
    dst_uri = IPTC_PREFIX + digital_source_type if digital_source_type else None
    actions_override = actions
    actions = []
    if parent is not None:
        actions.append({"action": "c2pa.opened", "parameters": {"ingredientIds": ["parent"]}})
        main: dict[str, object] = {"action": action or "c2pa.edited"}
    else:
        main = {"action": action or "c2pa.created"}
    if dst_uri:
        main["digitalSourceType"] = dst_uri
    if description:
        main["description"] = description
    main["softwareAgent"] = {"name": software_agent or generator[0], "version": generator[1]}
    actions.append(main)
    if actions_override is not None:
        actions = actions_override
    manifest = {
        "claim_generator_info": [{"name": generator[0], "version": generator[1]}],
        "title": title or out.name,
        "format": mime,
        "assertions": [{"label": "c2pa.actions", "data": {"actions": actions}}],
    }
    settings: dict = {
        "builder": {"thumbnail": {"enabled": False}},  # 461 KB -> 3 KB per file
        "verify": {
            "remote_manifest_fetch": False,
            "ocsp_fetch": False,
            "verify_after_sign": check_after_signing,
        },
    }
    if trust_anchors:
        settings["trust"] = {"trust_anchors": trust_anchors}
    if identity_signer is not None:
        # The SDK signs a CAWG identity only with a signer taken from the settings, both
        # certificates side by side (c2patool docs/cawg_x509_signing.md).
        settings["signer"] = {"local": _local_signer(identity, tsa_url)}
        settings["cawg_x509_signer"] = {"local": _local_signer(identity_signer, None)}
    ctx = c2pa.Context(settings=c2pa.Settings.from_dict(settings))
    alg = c2pa.C2paSigningAlg.ES256
    info = c2pa.C2paSignerInfo(alg, identity.chain_pem.encode(), identity.key_pem.encode(), tsa_url)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Write next to the destination, then move: a failed signing leaves no half file.
    fd, tmp_name = tempfile.mkstemp(prefix=".signing-", suffix=out.suffix, dir=out.parent)
    os.close(fd)
    try:
        with c2pa.Signer.from_info(info) as signer, c2pa.Builder(manifest, ctx) as builder:
            if parent is not None:
                p = Path(parent)
                with open(p, "rb") as fh:
                    builder.add_ingredient(
                        json.dumps(
                            {"title": p.name, "relationship": "parentOf", "label": "parent"}
                        ),
                        _mime(p),
                        fh,
                    )
            for ing in ingredients:
                with open(ing.path, "rb") as fh:
                    builder.add_ingredient(
                        json.dumps(
                            {"title": ing.title or ing.path.name, "relationship": ing.relationship}
                        ),
                        _mime(ing.path),
                        fh,
                    )
            if remote_url:
                builder.set_no_embed()
                builder.set_remote_url(remote_url)
            if sidecar is not None:
                builder.set_no_embed()
            with open(src, "rb") as fin, open(tmp_name, "w+b") as fout:
                if identity_signer is not None:
                    # c2pa-python 0.38 only offers the context's signer when the Context
                    # was given a Signer object; the settings' signer is the one that can
                    # add the identity, so the builder is told to use it.
                    builder._has_context_signer = True
                    manifest_bytes = builder.sign(mime, fin, fout)
                else:
                    manifest_bytes = builder.sign(signer, mime, fin, fout)
        if sidecar is not None:
            Path(sidecar).write_bytes(manifest_bytes)
        os.replace(tmp_name, out)
    except c2pa.C2paError as err:
        raise UserError(
            _("Signing {name} failed: {reason}.").format(name=src.name, reason=err)
        ) from None
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return out
