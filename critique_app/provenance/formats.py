"""Tell a file's format from its first bytes (magic numbers), not from its name.

Submissions arrive renamed, re-saved and mislabelled; the C2PA library needs the right MIME
type, and a fragment of a fragmented MP4 must be recognised as one.
"""

from __future__ import annotations

from pathlib import Path

# format name -> MIME type the C2PA library accepts
MIME = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "avif": "image/avif",
    "heic": "image/heic",
    "tiff": "image/tiff",
    "dng": "image/dng",
    "svg": "image/svg+xml",
    "jxl": "image/jxl",
    "mp4": "video/mp4",
    "m4v": "video/x-m4v",
    "mp4-init": "video/mp4",
    "mp4-fragment": "video/mp4",
    "mov": "video/quicktime",
    "avi": "video/x-msvideo",
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
    "flac": "audio/flac",
    "m4a": "audio/mp4",
    "pdf": "application/pdf",
    "c2pa": "application/c2pa",
}

MEDIA_SUFFIXES = {
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".heic", ".heif", ".tif", ".tiff",
    ".dng", ".svg", ".jxl", ".mp4", ".m4v", ".mov", ".avi", ".m4s", ".wav", ".mp3", ".flac",
    ".m4a", ".pdf", ".c2pa", ".mkv", ".webm", ".arw", ".nef",
}  # fmt: skip

_FTYP_BRANDS = {
    b"qt  ": "mov",
    b"M4V ": "m4v",
    b"M4VH": "m4v",
    b"M4A ": "m4a",
    b"avif": "avif",
    b"avis": "avif",
    b"heic": "heic",
    b"heix": "heic",
    b"mif1": "heic",
    b"msf1": "heic",
    b"hevc": "heic",
}


def _boxes(head: bytes) -> list[tuple[bytes, int, int]]:
    """Top-level ISO-BMFF boxes found in the head: (type, start, size)."""
    out: list[tuple[bytes, int, int]] = []
    pos = 0
    while pos + 8 <= len(head) and len(out) < 16:
        size = int.from_bytes(head[pos : pos + 4], "big")
        kind = head[pos + 4 : pos + 8]
        if size == 1 and pos + 16 <= len(head):
            size = int.from_bytes(head[pos + 8 : pos + 16], "big")
        if not kind.isascii() or size < 8 and size != 0:
            break
        out.append((kind, pos, size))
        if size == 0:
            break
        pos += size
    return out


def detect_format(path: str | Path) -> str | None:
    """The format name ('jpeg', 'mp4', 'mp4-init', 'mp4-fragment', …) or None if unknown."""
    with open(path, "rb") as fh:
        head = fh.read(65536)
    return detect_format_bytes(head, Path(path).suffix.lower())


def detect_format_bytes(head: bytes, suffix: str = "") -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "avi"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        # DNG is TIFF with a DNGVersion tag (0xC612); its bytes appear in the first IFD.
        tag = b"\x12\xc6" if head[:2] == b"II" else b"\xc6\x12"
        return "dng" if tag in head[:4096] or suffix == ".dng" else "tiff"
    if head.startswith(b"\xff\x0a") or head.startswith(b"\x00\x00\x00\x0cJXL "):
        return "jxl"
    if head[4:8] == b"jumb":
        return "c2pa"  # a JUMBF manifest store on its own: a sidecar `.c2pa`
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"fLaC"):
        return "flac"
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "mp3"
    text = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in head.lower()):
        return "svg"
    boxes = _boxes(head)
    kinds = [k for k, _, _ in boxes]
    if kinds and kinds[0] in (b"styp", b"moof", b"sidx", b"emsg"):
        return "mp4-fragment"  # a media segment: only readable with its init segment
    if kinds and kinds[0] == b"ftyp":
        _, start, _ = boxes[0]
        brand = head[start + 8 : start + 12]
        if brand in _FTYP_BRANDS:
            return _FTYP_BRANDS[brand]
        if b"mvex" in head and b"mdat" not in kinds and b"moof" not in kinds:
            return "mp4-init"  # fragmented MP4: the init segment without its media
        return "m4v" if suffix == ".m4v" else "mp4"
    if kinds and kinds[0] in (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"):
        return "mov"  # classic QuickTime files may lack an ftyp box
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "matroska"  # not a C2PA format; plain metadata only
    return None


def mime_for(fmt: str | None) -> str | None:
    return MIME.get(fmt or "")


def is_media_file(path: Path) -> bool:
    """Files a folder scan should verify (by name; the bytes decide the format later)."""
    return path.is_file() and path.suffix.lower() in MEDIA_SUFFIXES
