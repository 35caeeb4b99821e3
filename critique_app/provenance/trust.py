"""Trust lists (shipped in resources/trust or installed by the user) and the trust settings.

Setting `all` (default) checks each C2PA list separately so the report can name the one that
vouched (the user's own list, installed with `trust update --list user`, last); `c2pa`,
`interim`, `user`, `none`, or a PEM file of the user's own anchors. CAWG identities
have a trust setting of their own (`cawg_for`): the CAWG list the user installed, `none`, or
a PEM file. Every file used is named in the report with its date, SHA-256 and number of
certificates; `critique-app trust update` installs newer lists beside the old ones (see
trust_store.py), and a list the user installed wins over the shipped one when it is newer.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from critique_app.domain.reading_limits import check_size
from critique_app.errors import UserError
from critique_app.i18n import N_, _
from critique_app.paths import resource, user_data_dir

CAWG_SETTINGS = ("installed", "none")


@dataclass(frozen=True)
class TrustFile:
    """One file of trust material, as a report records it."""

    list: str  # 'c2pa' | 'interim' | 'cawg' | 'user' | 'pem'
    file: str  # the file name
    role: str  # anchors | allowed | config
    date: str | None
    sha256: str
    anchors: int  # certificates in the file (0 for a config)
    origin: str  # 'shipped' | 'installed' | 'user file'


@dataclass(frozen=True)
class TrustList:
    """One set of trust material, as text the C2PA library takes in its settings."""

    key: str  # 'c2pa' | 'interim' | 'user' | 'pem:<path>' | 'none'
    name: str
    date: str | None
    anchors: str = ""
    allowed: str = ""
    config: str = ""
    files: tuple[TrustFile, ...] = ()
    # Anchors the library looks at before `anchors` (its `user_anchors`): a one-read set-up of
    # two lists (provenance/one_read.py), whose codes then say which of the two held a chain.
    checked_first: str = ""
    cawg: TrustList | None = None  # the CAWG identity list read alongside, if any

    @property
    def cache_key(self) -> str:
        """Names the exact material: a list updated in place must not reuse a stale Context."""
        own = self.key + ":" + ",".join(f.sha256[:16] for f in self.files)
        return own + ("|cawg:" + self.cawg.cache_key if self.cawg else "")

    def with_cawg(self, cawg: TrustList | None) -> TrustList:
        from dataclasses import replace

        return replace(self, cawg=cawg if cawg is not None and cawg.key != "none" else None)

    def settings(self) -> dict:
        """The `trust` part of the C2PA library settings (offline verification)."""
        trust: dict[str, str] = {}
        if self.anchors:
            trust["trust_anchors"] = self.anchors
        if self.checked_first:
            trust["user_anchors"] = self.checked_first
        if self.allowed:
            trust["allowed_list"] = self.allowed
        if self.config:
            trust["trust_config"] = self.config
        out: dict = {
            # Offline: never fetch a cloud manifest or an OCSP answer while a jury reads.
            "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
            "trust": trust,
        }
        if self.cawg is not None:
            cawg: dict[str, str] = {"trust_anchors": self.cawg.anchors}
            if self.cawg.allowed:
                cawg["allowed_list"] = self.cawg.allowed
            if self.cawg.config:
                cawg["trust_config"] = self.cawg.config
            out["cawg_trust"] = cawg
        return out


# where a trust file comes from (a code, kept in the record of installed lists) in words
_ORIGIN_WORDS = {
    "shipped": N_("shipped with Critique"),
    "installed": N_("installed by `trust update`"),
    "user file": N_("your own file"),
}


def origin_words(origin: str | None) -> str:
    """'shipped' -> "shipped with Critique", in the language in use (a code unknown: as it is)."""
    return _(_ORIGIN_WORDS.get(origin or "", origin or ""))


NO_TRUST = TrustList("none", "no trust list", None)


def count_certificates(text: str) -> int:
    return text.count("-----BEGIN CERTIFICATE-----")


def describe(path: Path, list_key: str, role: str, date: str | None, origin: str) -> TrustFile:
    data = path.read_bytes()
    text = data.decode("utf-8", errors="replace")
    return TrustFile(
        list=list_key,
        file=path.name,
        role=role,
        date=date,
        sha256=hashlib.sha256(data).hexdigest(),
        anchors=count_certificates(text) if role != "config" else 0,
        origin=origin,
    )


@lru_cache(maxsize=1)
def _index() -> dict:
    return json.loads(resource("trust", "lists.json").read_text(encoding="utf-8"))


def installed_dir() -> Path:
    return user_data_dir() / "trust"


def installed_index() -> dict:
    """What `trust update` installed: {"lists": {key: entry}, "history": [...]}."""
    path = installed_dir() / "installed.json"
    if not path.is_file():
        return {"lists": {}, "history": []}
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as err:
        raise UserError(
            _("The record of installed trust lists {path} is damaged ({reason}).").format(
                path=path, reason=err
            )
        ) from None


def _from_entry(key: str, entry: dict, folder: Path, origin: str) -> TrustList:
    def read(names: list[str]) -> str:
        return "\n".join((folder / n).read_text(encoding="utf-8") for n in names)

    config = entry.get("config")
    files = [describe(folder / n, key, "anchors", entry["date"], origin) for n in entry["anchors"]]
    files += [
        describe(folder / n, key, "allowed", entry["date"], origin)
        for n in entry.get("allowed", [])
    ]
    if config:
        files.append(describe(folder / config, key, "config", entry["date"], origin))
    return TrustList(
        key=key,
        name=entry["name"],
        date=entry["date"],
        anchors=read(entry["anchors"]),
        allowed=read(entry.get("allowed", [])),
        config=(folder / config).read_text(encoding="utf-8") if config else "",
        files=tuple(files),
    )


def shipped_entry(key: str) -> dict | None:
    entry = _index()["lists"].get(key)
    return dict(entry) if entry else None


def current_entry(key: str) -> tuple[dict, Path, str] | None:
    """(entry, folder, origin) of the list in use for `key`: the newest of shipped/installed."""
    shipped = shipped_entry(key)
    installed = installed_index()["lists"].get(key)
    if installed and (shipped is None or installed["date"] >= shipped["date"]):
        return installed, installed_dir(), "installed"
    if shipped:
        return shipped, resource("trust"), "shipped"
    return None


@lru_cache(maxsize=8)
def _list_cached(key: str, stamp: str) -> TrustList:
    found = current_entry(key)
    if found is None:
        raise UserError(
            _("No '{list}' trust list is installed: see `critique-app trust update`.").format(
                list=key
            )
        )
    entry, folder, origin = found
    return _from_entry(key, entry, folder, origin)


def _stamp() -> str:
    path = installed_dir() / "installed.json"
    try:
        return f"{path}:{path.stat().st_mtime_ns}"
    except OSError:
        return str(path)


def shipped_list(key: str) -> TrustList:
    """The list in use for `key` (c2pa, interim, cawg): shipped, or newer from the user."""
    return _list_cached(key, _stamp())


def pem_list(path: str | Path, list_key: str = "pem") -> TrustList:
    """The user's own anchors from a PEM file."""
    p = Path(path)
    check_size(p, _("The trust file {path}").format(path=p))
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UserError(
            _("The trust file {path} cannot be read ({reason}).").format(path=p, reason=err)
        ) from None
    if "-----BEGIN CERTIFICATE-----" not in text:
        raise UserError(_("The trust file {path} holds no PEM certificate.").format(path=p))
    return TrustList(
        key=f"pem:{p}",
        name=f"PEM file {p.name}",
        date=None,
        anchors=text,
        files=(describe(p, list_key, "anchors", None, "user file"),),
    )


def cawg_for(setting: str | None) -> TrustList:
    """The CAWG identity trust list: `installed` (default: the one `trust update --list cawg`
    installed, else none), `none`, or a PEM file."""
    if setting in (None, "", "installed"):
        return shipped_list("cawg") if current_entry("cawg") else NO_TRUST
    if setting == "none":
        return NO_TRUST
    if setting.endswith(".pem") or Path(setting).is_file():
        return pem_list(setting, "cawg")
    raise UserError(
        _("Unknown CAWG trust setting '{setting}': use installed, none or a PEM file.").format(
            setting=setting
        )
    )


def lists_for(setting: str, cawg: str | None = None) -> list[TrustList]:
    """The lists to try in order; the first one under which the signer is trusted vouched."""
    if setting == "all":
        found = [shipped_list("c2pa"), shipped_list("interim")]
        # The user's own list (trust update --list user) comes last: an official list that
        # vouches for a signer is named before it, and a signer only the user's list holds is
        # reported as vouched for by "your own trust list", never by an official one.
        if current_entry("user") is not None:
            found.append(shipped_list("user"))
    elif setting in ("c2pa", "interim", "user"):
        found = [shipped_list(setting)]
    elif setting == "none":
        found = [NO_TRUST]
    elif setting.endswith(".pem") or Path(setting).is_file():
        found = [pem_list(setting)]
    else:
        raise UserError(
            _(
                "Unknown trust setting '{setting}': use all, c2pa, interim, user, none or a PEM file."
            ).format(setting=setting)
        )
    identity = cawg_for(cawg)
    return [t.with_cawg(identity) for t in found]


def trust_dates(setting: str) -> dict[str, str]:
    """Which dated lists a report used, for the record and for later re-checks."""
    return dates_of(lists_for(setting, "none"))


def dates_of(lists: list[TrustList]) -> dict[str, str]:
    """`trust_dates` of the lists a setting gave (their CAWG list has no say)."""
    return {lst.key: lst.date or "user file" for lst in lists if lst.key != "none"}


def trust_files(setting: str, cawg: str | None = None) -> list[TrustFile]:
    return files_of(lists_for(setting, cawg))


def files_of(lists: list[TrustList]) -> list[TrustFile]:
    """Every file of the lists a setting gave, their CAWG list's included."""
    out = [f for lst in lists for f in lst.files]
    if lists and lists[0].cawg is not None:
        out += list(lists[0].cawg.files)
    return out
