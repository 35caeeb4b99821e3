"""Reference material (known AI-generated stills and clips) turned into per-frame pHashes.

Stills go through the same FFmpeg scaler as film frames, after their EXIF orientation is
applied and bars are removed, so a still and the film frame it became hash alike. Anything
that is neither an image nor a video gets one sentence and is skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray

from critique_app.digest import sha256_file
from critique_app.errors import UserError
from critique_app.i18n import _
from critique_app.media.fingerprint import (
    GREY_SIZE,
    MIN_CONTRAST,
    contrast,
    phash_batch,
    pool_to_32,
    too_plain,
)
from critique_app.media.grey_frames import (
    GREY_SIDE,
    SCALER,
    Crop,
    DecodingStopped,
    StreamLayout,
    grey_batches,
    read_layout,
)
from critique_app.media.letterbox import detect_bars, detect_film_bars
from critique_app.media.reframes import (
    REFRAME_VARIANTS,
    library_reframes,
    picture_aspect,
    whole_frame,
)
from critique_app.media.regions import (
    DEFAULT_ASPECT,
    FULL,
    LIBRARY_VARIANTS,
    Box,
    library_pictures,
)
from critique_app.media.shots import find_cuts, frame_differences

IMAGE_SUFFIXES = {
    ".jpg",
    ".jpeg",
    ".png",
    ".webp",
    ".bmp",
    ".tif",
    ".tiff",
    ".gif",
    ".heic",
    ".avif",
}


@dataclass(frozen=True)
class ReferenceHashes:
    path: Path
    sha256: str
    kind: str  # 'still' or 'clip'
    hashes: NDArray[np.uint64]
    rate: Fraction | None
    crop: Crop | None
    problem: str | None = None  # a clip that stopped decoding early: what was kept
    variants: NDArray[np.uint64] | None = None  # K x N: the frames as copies alter them
    plain_frames: int = 0  # frames too plain for their copies to be found (fingerprint.too_plain)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders replaced by the files inside them (recursively, sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith("."))
        else:
            out.append(p)
    return out


def file_sha256(path: Path) -> str:
    return sha256_file(path)


def _open_image(path: Path) -> NDArray[np.uint8] | None:
    """The image as RGB pixels, upright; None when PIL does not read it as an image."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(path) as opened:
            upright = ImageOps.exif_transpose(opened)
            return np.asarray(upright.convert("RGB"))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def still_aspect(rgb: NDArray[np.uint8]) -> float:
    """The shown proportions of a still's picture, bars removed (as grey_still sees it)."""
    frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
    crop = detect_bars([np.asarray(frame.reformat(format="gray").to_ndarray(), np.uint8)])
    if crop is not None:
        return picture_aspect(crop.width, crop.height)
    return picture_aspect(rgb.shape[1], rgb.shape[0])


def grey_still(rgb: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """64x64 grey of a still, bars removed, through the scaler film frames go through."""
    frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
    full = np.asarray(frame.reformat(format="gray").to_ndarray(), dtype=np.uint8)
    crop = detect_bars([full])
    if crop is not None:
        rgb = rgb[crop.y : crop.y + crop.height, crop.x : crop.x + crop.width]
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
    small = frame.reformat(GREY_SIDE, GREY_SIDE, "gray", interpolation=SCALER)
    return np.asarray(small.to_ndarray(), dtype=np.uint8)


def hash_still(rgb: NDArray[np.uint8]) -> NDArray[np.uint64]:
    plain, _mirrored = phash_batch(pool_to_32(grey_still(rgb)[None]), mirror=False)
    return plain


# Every variant `library add` stores, row by row (its names are stored with the item).
VARIANT_NAMES = (*LIBRARY_VARIANTS, *REFRAME_VARIANTS)


def hash_library_frames(
    grey: NDArray[np.uint8], cuts: list[int], aspect: float = DEFAULT_ASPECT, frame: Box = FULL
) -> tuple[NDArray[np.uint64], NDArray[np.uint64], int]:
    """pHash of 64x64 grey library frames without their bars, of their variants (K x N,
    VARIANT_NAMES), and how many of them are too plain for their copies to be found;
    `aspect`: the frames' shown proportions, which re-frames depend on; `frame`: the decoded
    frame around them (reframes.whole_frame), where copies cut slices."""
    picture, variants = library_pictures(grey, cuts)
    variants = np.concatenate([variants, library_reframes(grey, cuts, aspect, frame)])
    plain = phash_batch(picture, mirror=False)[0]
    k, n = variants.shape[:2]
    pictures = variants.reshape(k * n, GREY_SIZE, GREY_SIZE)
    extra = phash_batch(pictures, mirror=False)[0]
    # A variant that is dark or flat (a slice of black beside a lit subject) is no picture:
    # its bits come from faint noise, and the 9:16 slice of the Earth on black, 0.7 grey
    # levels on average, was 0-6 bits from the right third of a dark broadcast clip for 7-26
    # frames (7 of 8 false segments on the first nine robustness families, session 21). 0 is
    # 32 bits or more from any picture's pHash: it is never found.
    extra[contrast(pictures) < MIN_CONTRAST] = 0
    return plain, extra.reshape(k, n), int(too_plain(picture).sum())


def _still(path: Path, sha: str, grey: NDArray[np.uint8], aspect: float) -> ReferenceHashes:
    plain, extra, flat = hash_library_frames(grey[None], [], aspect)
    return ReferenceHashes(path, sha, "still", plain, None, None, variants=extra, plain_frames=flat)


def clip_aspect(crop: Crop | None, layout: StreamLayout) -> float:
    """The shown proportions of a clip's picture without its bars (re-frames depend on it)."""
    if crop:
        return picture_aspect(crop.width, crop.height)
    return picture_aspect(layout.width, layout.height)


def hash_reference(
    path: str | Path, on_frames: Callable[[int, int], None] | None = None
) -> ReferenceHashes:
    """pHash of a still (one hash) or of every frame of a clip; UserError when it is neither."""
    path = Path(path)
    if not path.is_file():
        raise UserError(_("{path} does not exist.").format(path=path))
    sha = file_sha256(path)
    rgb = _open_image(path) if path.suffix.lower() in IMAGE_SUFFIXES else None
    if rgb is not None:
        return _still(path, sha, grey_still(rgb), still_aspect(rgb))
    try:
        layout = read_layout(path)
    except UserError:
        layout = None
    if layout is None or layout.frame_count == 0:
        rgb = _open_image(path)  # an image with an unusual suffix
        if rgb is not None:
            return _still(path, sha, grey_still(rgb), still_aspect(rgb))
        raise UserError(
            _("{name} is not an image or a video; it was skipped.").format(name=path.name)
        )
    if layout.frame_count == 1:  # an image FFmpeg reads (and PIL does not)
        only = next(grey_batches(path, layout=layout))[1]
        return _still(path, sha, only[0], picture_aspect(layout.width, layout.height))
    crop = detect_film_bars(path, layout)
    aspect = clip_aspect(crop, layout)
    frame = whole_frame(layout.width, layout.height, crop)
    parts: list[NDArray[np.uint64]] = []
    extras: list[NDArray[np.uint64]] = []
    problem = None
    previous = None
    plain_frames = 0
    try:
        for first, grey in grey_batches(path, crop=crop, layout=layout):
            diffs = frame_differences(grey, previous)
            previous = grey[-1]
            plain, extra, flat = hash_library_frames(grey, find_cuts(diffs), aspect, frame)
            parts.append(plain)
            extras.append(extra)
            plain_frames += flat
            if on_frames is not None:
                on_frames(first + len(grey), layout.frame_count)
    except DecodingStopped as err:
        problem = str(err)
    if not parts:
        raise UserError(_("{name} has no decodable frame; it was skipped.").format(name=path.name))
    return ReferenceHashes(
        path,
        sha,
        "clip",
        np.concatenate(parts),
        layout.rate,
        crop,
        problem,
        np.concatenate(extras, axis=1),
        plain_frames,
    )
