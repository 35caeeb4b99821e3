"""Annotations as subtitle cues (WebVTT and SubRip), to project a film with the critique on it.

Cue times are the exact start of the in-frame and the end of the out-frame, in milliseconds
(far finer than a frame, so reading rounds back to the same frames). WebVTT also carries each
annotation's full record in a NOTE block, so Critique reads its own VTT back without loss.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from html import escape, unescape
from pathlib import Path
from typing import Any

from critique_app.domain.model import Annotation, FrameRange, Region, new_uuid, now_iso
from critique_app.errors import UserError
from exporters.document import ExportContext, ExportDocument, ExportItem, Imported

_TIME = re.compile(r"(?:(\d+):)?(\d{2}):(\d{2})[.,](\d{3})")


def _stamp(seconds: Fraction, comma: bool = False) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{',' if comma else '.'}{ms:03d}"


def _seconds(text: str) -> Fraction:
    match = _TIME.fullmatch(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a cue time")
    h, m, s, ms = (int(g or 0) for g in match.groups())
    return Fraction(h * 3600 + m * 60 + s) + Fraction(ms, 1000)


def _one_film(doc: ExportDocument, fmt: str) -> None:
    if len(doc.films) > 1:
        raise UserError(
            f"{fmt} subtitles follow one film, and this selection spans {len(doc.films)} films: "
            "export one film at a time (--film)."
        )


def _cue_lines(item: ExportItem) -> list[str]:
    a = item.annotation
    head = item.category_label
    if a and a.tags:
        head = f"{head} · {', '.join(a.tags)}" if head else ", ".join(a.tags)
    lines = [head] if head else []
    # A blank line ends a cue and '-->' starts a timing line: neither may reach the file.
    lines += [ln.replace("-->", "→") for ln in item.text.splitlines() if ln.strip()]
    return lines or ["(no note)"]


def _meta(item: ExportItem) -> str:
    a = item.annotation
    assert a is not None
    data = {
        "uuid": a.uuid,
        "start": a.range.start,
        "end": a.range.end,
        "tier": item.tier.name if item.tier else "",
        "tier_author": item.tier.author if item.tier else None,
        "category_key": item.category.key if item.category else None,
        "category": item.category_label or None,
        "tags": list(a.tags),
        "note": a.note,
        "status": a.status,
        "confidence": a.confidence,
        "evidence": a.evidence,
        "author": a.author,
        "created_at": a.created_at,
        "modified_at": a.modified_at,
        "regions": [
            {"shape": r.shape, "label": r.label, "keyframes": r.to_json()} for r in a.regions
        ],
    }
    # ASCII-only JSON with '<', '>' and '&' escaped: a NOTE may not contain '-->'.
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def write_vtt(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    _one_film(doc, "WebVTT")
    parts = ["WEBVTT"]
    films = doc.films
    if films:
        film = films[0]
        parts.append(
            "NOTE critique-film "
            + json.dumps(
                {"sha256": film.sha256, "title": film.title, "rate": str(film.rate)},
                ensure_ascii=True,
            ).replace(">", "\\u003e")
        )
    for item in sorted(doc.items, key=lambda i: (i.range.start, i.position)):
        if item.annotation is not None:
            parts.append("NOTE critique " + _meta(item))
        ident = item.annotation.uuid if item.annotation else f"item-{item.position}"
        text = "\n".join(escape(line, quote=False) for line in _cue_lines(item))
        parts.append(
            f"{ident}\n{_stamp(item.start_seconds)} --> {_stamp(item.end_seconds)}\n{text}"
        )
    out.write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def write_srt(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    _one_film(doc, "SubRip")
    parts = []
    ordered = sorted(doc.items, key=lambda i: (i.range.start, i.position))
    for number, item in enumerate(ordered, start=1):
        times = f"{_stamp(item.start_seconds, True)} --> {_stamp(item.end_seconds, True)}"
        parts.append(f"{number}\n{times}\n" + "\n".join(_cue_lines(item)))
    out.write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def _frames(start: Fraction, end: Fraction, rate: Fraction) -> FrameRange:
    first = round(start * rate)
    return FrameRange(first, max(first, round(end * rate) - 1))


def read(path: Path, rate: Fraction | None = None) -> list[Imported]:
    """Cues of a VTT or SRT file; Critique's own VTT restores every field from its NOTEs."""
    try:
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError) as err:
        raise UserError(f"{path.name} cannot be read as subtitles ({err}).") from None
    blocks = [b.strip("\n") for b in re.split(r"\n{2,}", text) if b.strip()]
    is_vtt = bool(blocks) and blocks[0].startswith("WEBVTT")
    film: dict[str, str] = {}
    pending: dict[str, Any] | None = None
    found: list[Imported] = []
    for block in blocks[1 if is_vtt else 0 :]:
        if block.startswith("NOTE critique-film "):
            film = json.loads(block[len("NOTE critique-film ") :])
            continue
        if block.startswith("NOTE critique "):
            pending = json.loads(block[len("NOTE critique ") :])
            continue
        if block.startswith(("NOTE", "STYLE", "REGION")):
            continue
        lines = block.split("\n")
        timing = next((i for i, ln in enumerate(lines) if "-->" in ln), None)
        if timing is None:
            raise UserError(f"{path.name}: a cue has no timing line ('{lines[0][:40]}').")
        try:
            start_s, end_s = (_seconds(p.split()[0]) for p in lines[timing].split("-->"))
        except ValueError as err:
            raise UserError(f"{path.name}: {err}.") from None
        cue = [unescape(re.sub(r"<[^>]*>", "", ln)) for ln in lines[timing + 1 :]]
        found.append(_imported(pending, cue, start_s, end_s, film, rate, path))
        pending = None
    return found


def _imported(
    meta: dict[str, Any] | None,
    cue: list[str],
    start_s: Fraction,
    end_s: Fraction,
    film: dict[str, str],
    rate: Fraction | None,
    path: Path,
) -> Imported:
    if meta is not None:
        m = meta
        annotation = Annotation(
            id=None,
            uuid=str(m["uuid"]),
            film_id=0,
            tier_id=0,
            range=FrameRange(int(m["start"]), int(m["end"])),  # type: ignore[call-overload]
            tags=tuple(m.get("tags") or ()),
            note=str(m.get("note") or ""),  # type: ignore[arg-type]
            status=str(m.get("status") or "observed"),
            confidence=str(m.get("confidence") or "medium"),
            evidence=m.get("evidence"),  # type: ignore[arg-type]
            author=str(m.get("author") or ""),
            created_at=str(m.get("created_at") or now_iso()),
            modified_at=str(m.get("modified_at") or now_iso()),
            regions=tuple(
                Region.from_json(r["shape"], r["keyframes"], r.get("label"))
                for r in m.get("regions") or ()
            ),  # type: ignore[attr-defined]
        )
        return Imported(
            annotation,
            str(m.get("tier") or "Imported"),
            film.get("sha256"),
            film.get("title"),
            m.get("category_key"),
            m.get("category"),  # type: ignore[arg-type]
            m.get("tier_author"),
        )  # type: ignore[arg-type]
    file_rate = rate or (Fraction(film["rate"]) if "rate" in film else None)
    if file_rate is None:
        raise UserError(
            f"{path.name} does not say which frame rate its times are in: import it onto a "
            "film of the project (--film)."
        )
    annotation = Annotation(
        id=None,
        uuid=new_uuid(),
        film_id=0,
        tier_id=0,
        range=_frames(start_s, end_s, file_rate),
        note="\n".join(cue).strip(),
    )
    return Imported(annotation, "Imported subtitles", film.get("sha256"), film.get("title"))
