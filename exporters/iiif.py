"""IIIF Presentation 3: a Manifest with one AV canvas per film and the annotations on it.

Each canvas paints its film (a Video body with duration and size) and carries an annotation
page: one Web Annotation per item, targeting `canvas#t=start,end` (seconds) and, for a
rectangle, `&xywh=` in the canvas's pixels (the film's size). Bodies are TextualBodies (the
value, the note, the category as classifying, tags as tagging); `critique:` properties carry
the exact frames and the rest, so Critique reads its own manifest back without loss while
IIIF viewers (Mirador, Universal Viewer, Aviary) understand the standard part.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from critique_app.domain.model import Film
from exporters.document import ExportContext, ExportDocument, ExportItem
from exporters.w3c import annotation_json

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
_MIME = {
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
    ".webm": "video/webm",
    ".mkv": "video/x-matroska",
}


def _base(film: Film) -> str:
    return f"urn:critique:film:{film.sha256}"


def _media_uri(film: Film) -> str:
    path = Path(film.path)
    return path.resolve().as_uri() if path.is_absolute() else path.as_posix()


def _target(item: ExportItem, canvas: str) -> str:
    start, end = float(item.start_seconds), float(item.end_seconds)
    fragment = f"t={start:.6f},{end:.6f}"
    a = item.annotation
    film = item.film
    rectangle = next((r for r in a.regions if r.shape == "rectangle"), None) if a else None
    if rectangle is not None and film.width and film.height:
        x0, y0, x1, y1 = rectangle.bounds(item.still_frame)
        fragment += (
            f"&xywh={round(x0 * film.width)},{round(y0 * film.height)},"
            f"{round((x1 - x0) * film.width)},{round((y1 - y0) * film.height)}"
        )
    return f"{canvas}#{fragment}"


def manifest_json(doc: ExportDocument) -> dict[str, Any]:
    canvases = []
    for film in doc.films:
        base = _base(film)
        canvas = f"{base}/canvas"
        duration = float(film.frame_count / film.rate)
        video: dict[str, Any] = {
            "id": _media_uri(film),
            "type": "Video",
            "format": _MIME.get(Path(film.path).suffix.lower(), "video/mp4"),
            "duration": duration,
        }
        if film.width and film.height:
            video.update(width=film.width, height=film.height)
        annotations = []
        for item in doc.items:
            if item.film.id != film.id:
                continue
            entry = annotation_json(item)
            entry.pop("@context", None)
            entry["target"] = _target(item, canvas)
            entry["critique:sha256"] = film.sha256
            annotations.append(entry)
        body: dict[str, Any] = {
            "id": canvas,
            "type": "Canvas",
            "label": {"none": [film.title]},
            "duration": duration,
            "critique:sha256": film.sha256,
            "critique:rate": str(film.rate),
            "items": [
                {
                    "id": f"{base}/paint-page",
                    "type": "AnnotationPage",
                    "items": [
                        {
                            "id": f"{base}/paint",
                            "type": "Annotation",
                            "motivation": "painting",
                            "body": video,
                            "target": canvas,
                        }
                    ],
                }
            ],
            "annotations": [
                {"id": f"{base}/annotations", "type": "AnnotationPage", "items": annotations}
            ],
        }
        if film.width and film.height:
            body.update(width=film.width, height=film.height)
        canvases.append(body)
    return {
        # IIIF's context last, as the specification asks; `critique:` properties are
        # extensions that IIIF clients ignore.
        "@context": ["http://www.w3.org/ns/anno.jsonld", CONTEXT],
        "id": f"urn:critique:manifest:{doc.films[0].sha256 if doc.films else 'empty'}",
        "type": "Manifest",
        "label": {"none": [doc.title]},
        "summary": {"none": [doc.description]} if doc.description else None,
        "items": canvases,
    }


def write(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    manifest = {k: v for k, v in manifest_json(doc).items() if v is not None}
    out.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
