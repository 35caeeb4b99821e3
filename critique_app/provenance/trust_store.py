"""`critique-app trust update`: install newer trust lists the user brings, keep the old ones.

Files go to the user data folder (trust/), renamed with their date, never over an older
file; `installed.json` says which files make each list now and keeps a history of every
change (before and after: date, files, SHA-256), so `trust list` can show it and a re-check
of a file shows that its report used a different list.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import asdict
from datetime import date as Date
from datetime import datetime, timezone
from pathlib import Path

from critique_app.domain.provenance_words import TRUST_LIST_WORDS, trust_list_words
from critique_app.domain.reading_limits import check_size
from critique_app.errors import UserError
from critique_app.i18n import _, ngettext
from critique_app.provenance.trust import (
    TrustFile,
    count_certificates,
    current_entry,
    describe,
    installed_dir,
    installed_index,
    origin_words,
)

# The lists a body other than the user publishes: a file goes under one of these names only
# when the user says so (--list), never because of its file name (issue 24: a test root once
# joined "the C2PA trust list" that way and was reported as vouched for by it).
OFFICIAL_LISTS = ("c2pa", "interim", "cawg")
# every list `trust update` installs, by key; their names come from the one function that names
# a trust list (domain.provenance_words.trust_list_words)
LISTS = (*OFFICIAL_LISTS, "user")
_DATED = re.compile(r"[._-]?\d{4}-\d{2}-\d{2}$")


def role_of(path: Path) -> str:
    name = path.name.lower()
    if path.suffix.lower() == ".cfg":
        return "config"
    return "allowed" if "allowed" in name or "end-entity" in name else "anchors"


def _base(name: str) -> str:
    """'C2PA-TRUST-LIST.2026-11-22.pem' -> 'c2pa-trust-list' (what a newer copy replaces)."""
    stem = Path(name).stem
    return _DATED.sub("", stem).lower()


def _check(path: Path, role: str) -> None:
    check_size(path, _("The trust file {path}").format(path=path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UserError(
            _("The trust file {path} cannot be read ({reason}).").format(path=path, reason=err)
        ) from None
    if role != "config" and count_certificates(text) == 0:
        raise UserError(_("The trust file {path} holds no PEM certificate.").format(path=path))


def _install_copy(src: Path, when: str) -> str:
    folder = installed_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stem = _DATED.sub("", src.stem)
    name = f"{stem}.{when}{src.suffix}"
    n = 1
    while (folder / name).exists():  # never over an older file
        if (folder / name).read_bytes() == src.read_bytes():
            return name
        n += 1
        name = f"{stem}.{when}-{n}{src.suffix}"
    shutil.copyfile(src, folder / name)
    return name


def _snapshot(key: str) -> dict | None:
    found = current_entry(key)
    if found is None:
        return None
    entry, folder, origin = found
    names = list(entry["anchors"]) + list(entry.get("allowed", []))
    names += [entry["config"]] if entry.get("config") else []
    return {
        "date": entry["date"],
        "origin": origin,
        "files": [
            {"file": n, "sha256": describe(folder / n, key, "anchors", None, origin).sha256}
            for n in names
        ],  # fmt: skip
    }


def update(
    files: list[str | Path], list_key: str | None = None, when: str | None = None
) -> list[str]:
    """Install the files as the newer version of the list `list_key` names (c2pa, interim,
    cawg, or user: the user's own list, always named as such in verdicts); sentences saying
    what changed. Without a list nothing is installed: which list a file joins is the user's
    statement, never a guess from its name."""
    if list_key is None:
        raise UserError(
            _(
                "Say which list these files join: --list user for certificates of your own "
                "(reports will name them as your own trust list), or --list c2pa, interim or "
                "cawg only for a newer copy of that official list."
            )
        )
    day = when or datetime.now(timezone.utc).date().isoformat()
    try:
        Date.fromisoformat(day)
    except ValueError:
        raise UserError(
            _("The date '{day}' is not a date (use YYYY-MM-DD).").format(day=day)
        ) from None
    paths = [Path(f) for f in files]
    for p in paths:
        if not p.is_file():
            raise UserError(_("{path} does not exist.").format(path=p))
        if list_key not in LISTS:
            raise UserError(
                _("Unknown list '{list}': use user, c2pa, interim or cawg.").format(list=list_key)
            )
        _check(p, role_of(p))
    groups: dict[str, list[Path]] = {}
    for p in paths:
        groups.setdefault(list_key, []).append(p)
    index = installed_index()
    said: list[str] = []
    for key, group in groups.items():
        found = current_entry(key)
        # the record keeps the list's name in English, as stored data
        stored_name = TRUST_LIST_WORDS[key]
        old = dict(found[0]) if found else {"name": stored_name, "anchors": [], "allowed": []}
        if found and day < found[0]["date"]:
            raise UserError(
                _(
                    "The files of {list} in use are dated {date}; {day} is older. Give the date "
                    "of the newer list with --date."
                ).format(list=trust_list_words(key), date=found[0]["date"], day=day)
            )
        before = _snapshot(key)
        entry = {"name": old.get("name", stored_name), "date": day,
                 "anchors": [], "allowed": [], "config": None}  # fmt: skip
        # Files not brought again stay (e.g. a new C2PA list keeps the TSA list in use), so
        # they are copied next to the new ones under their own names.
        kept = {role: list(old.get(role) or []) for role in ("anchors", "allowed")}
        if old.get("config"):
            kept["config"] = [old["config"]]
        brought = {(role_of(p), _base(p.name)) for p in group}
        source = found[1] if found else installed_dir()
        for role, names in kept.items():
            for n in names:
                if (role, _base(n)) in brought:
                    continue
                src = source / n
                copied = (
                    n
                    if source == installed_dir()
                    else _install_copy(src, found[0]["date"] if found else day)
                )
                _put(entry, role, copied)
        for p in group:
            _put(entry, role_of(p), _install_copy(p, day))
        if not entry["anchors"]:
            raise UserError(
                _("At least one file of anchors is needed for {list}.").format(
                    list=trust_list_words(key)
                )
            )
        index["lists"][key] = entry
        _save(index)
        after = _snapshot(key)
        if before and after and before["files"] == after["files"]:
            said.append(
                _("Nothing changed: these files of {list} are already in use.").format(
                    list=trust_list_words(key)
                )
            )
            continue
        index["history"].append({
            "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "list": key, "before": before, "after": after,
        })  # fmt: skip
        _save(index)
        count = len(after["files"]) if after else 0
        if before:
            sentence = ngettext(
                "Updated {list}: now dated {day}, {count} file; was dated {date} ({origin}). "
                "The old files are kept.",
                "Updated {list}: now dated {day}, {count} files; was dated {date} ({origin}). "
                "The old files are kept.",
                count,
            )
        else:
            sentence = ngettext(
                "Installed {list}: dated {day}, {count} file; none before.",
                "Installed {list}: dated {day}, {count} files; none before.",
                count,
            )
        said.append(
            sentence.format(
                list=trust_list_words(key),
                day=day,
                count=count,
                date=(before or {}).get("date"),
                origin=origin_words((before or {}).get("origin")),
            )
        )
    return said


def _put(entry: dict, role: str, name: str) -> None:
    if role == "config":
        entry["config"] = name
    else:
        entry[role].append(name)


def _save(index: dict) -> None:
    folder = installed_dir()
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / "installed.json.tmp"
    tmp.write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
    tmp.replace(folder / "installed.json")


def listing() -> tuple[list[TrustFile], list[dict]]:
    """(every file of every list in use, the history of changes) for `trust list`."""
    from critique_app.provenance.trust import shipped_list

    files: list[TrustFile] = []
    for key in LISTS:
        if current_entry(key) is not None:
            files += list(shipped_list(key).files)
    return files, list(installed_index().get("history", []))


def file_json(f: TrustFile) -> dict:
    return asdict(f)
