"""Perceptual hashes of many small grey frames at once (pHash, mirrored pHash, dHash).

The input is what FFmpeg produced for each frame: a 32x32 (or 64x64, pooled to 32x32)
grey uint8 image. `imagehash` is the reference: on the same 32x32 grey input, `phash_batch`
gives bit-identical hashes to `imagehash.phash` and `dhash_batch` to `imagehash.dhash`.
A 64-bit hash is a NumPy uint64 whose most significant bit is the first bit imagehash prints.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

HASH_SIZE = 8
GREY_SIZE = 32  # imagehash.phash: hash_size * highfreq_factor

U64 = NDArray[np.uint64]
GreyStack = NDArray[np.uint8]  # N x 32 x 32


def _dct_matrix(n: int = GREY_SIZE, keep: int = HASH_SIZE) -> NDArray[np.float64]:
    """Rows of scipy.fftpack's unnormalised DCT-II: y[k] = 2 sum x[n] cos(pi k (2n+1) / 2N)."""
    k = np.arange(keep)[:, None]
    i = np.arange(n)[None, :]
    return 2.0 * np.cos(np.pi * k * (2 * i + 1) / (2 * n))


_C8 = _dct_matrix()
_C8T = _C8.T.copy()
# Mirroring the picture left-right flips the sign of odd horizontal frequencies.
_MIRROR_SIGNS = np.tile((-1.0) ** np.arange(HASH_SIZE), HASH_SIZE)
# Below this margin (relative to the block's magnitude) a bit could differ from scipy's
# FFT-based DCT by rounding alone; such frames are recomputed exactly as imagehash does.
_TIE_MARGIN = 1e-9


def pack_bits(bits: NDArray[np.bool_]) -> U64:
    """N x 64 booleans (imagehash order: row-major, first bit most significant) -> N uint64."""
    packed = np.packbits(bits.reshape(len(bits), 64), axis=1)
    return packed.view(">u8").reshape(-1).astype(np.uint64)


def _bits_above_median(low: NDArray[np.float64]) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    med = np.median(low, axis=1, keepdims=True)
    scale = np.abs(low).max(axis=1, keepdims=True) + 1.0
    unsure = (np.abs(low - med) <= _TIE_MARGIN * scale).any(axis=1)
    return low > med, unsure


def _reference_phash_bits(grey: NDArray[np.uint8]) -> NDArray[np.bool_]:
    """imagehash.phash on one 32x32 grey image, step by step (used only for near ties)."""
    import scipy.fftpack  # imagehash's own DCT; scipy comes with imagehash

    pixels = np.asarray(grey)
    dct = scipy.fftpack.dct(scipy.fftpack.dct(pixels, axis=0), axis=1)
    low = dct[:HASH_SIZE, :HASH_SIZE]
    return np.asarray(low > np.median(low)).reshape(64)


def phash_batch(grey: GreyStack, *, mirror: bool = True) -> tuple[U64, U64 | None]:
    """pHash of every 32x32 grey frame; with `mirror`, also the hash of each frame flipped
    left-right, derived from the same DCT."""
    grey = np.ascontiguousarray(grey, dtype=np.uint8)
    if grey.ndim != 3 or grey.shape[1:] != (GREY_SIZE, GREY_SIZE):
        raise ValueError(f"expected N x {GREY_SIZE} x {GREY_SIZE} grey frames, got {grey.shape}")
    n = len(grey)
    # Low 8x8 block of the separable 2-D DCT, C @ X @ C.T per frame: small products that
    # BLAS runs on the calling thread. One (N, 1024) @ (1024, 64) product was 10x slower
    # and woke OpenBLAS's worker threads, whose spinning afterwards cost more CPU than all
    # the hashing (0.25 against 0.10 ms a frame), taken from the decoder's threads.
    low = (_C8 @ grey.astype(np.float64) @ _C8T).reshape(n, HASH_SIZE * HASH_SIZE)
    bits, unsure = _bits_above_median(low)
    for i in np.flatnonzero(unsure):
        bits[i] = _reference_phash_bits(grey[i])
    plain = pack_bits(bits)
    if not mirror:
        return plain, None
    mbits, munsure = _bits_above_median(low * _MIRROR_SIGNS)
    for i in np.flatnonzero(munsure):
        mbits[i] = _reference_phash_bits(grey[i, :, ::-1])
    return plain, pack_bits(mbits)


# -- dHash: imagehash resizes to 9x8 with PIL's LANCZOS; we replay PIL's fixed-point resampler.

_PRECISION_BITS = 32 - 8 - 2


def _lanczos(x: float) -> float:
    def sinc(v: float) -> float:
        if v == 0.0:
            return 1.0
        v = v * math.pi
        return math.sin(v) / v

    return sinc(x) * sinc(x / 3) if -3.0 <= x < 3.0 else 0.0


def _pil_coefficients(in_size: int, out_size: int) -> NDArray[np.int64]:
    """PIL's `precompute_coeffs` + `normalize_coeffs_8bpc` (Resample.c) as a dense matrix."""
    scale = filterscale = in_size / out_size
    filterscale = max(filterscale, 1.0)
    support = 3.0 * filterscale
    matrix = np.zeros((out_size, in_size), dtype=np.int64)
    for xx in range(out_size):
        center = (xx + 0.5) * scale
        xmin = max(int(center - support + 0.5), 0)
        xmax = min(int(center + support + 0.5), in_size) - xmin
        weights = [_lanczos((x + xmin - center + 0.5) / filterscale) for x in range(xmax)]
        total = sum(weights)
        for x, w in enumerate(weights):
            w = w / total if total != 0.0 else w
            fixed = (
                int(-0.5 + w * (1 << _PRECISION_BITS))
                if w < 0
                else int(0.5 + w * (1 << _PRECISION_BITS))
            )
            matrix[xx, x + xmin] = fixed
    return matrix


def _clip8(acc: NDArray[np.float64]) -> NDArray[np.float64]:
    # PIL's fixed-point rounding; float64 holds these integer sums exactly (< 2^40).
    return np.clip(np.floor((acc + (1 << (_PRECISION_BITS - 1))) / (1 << _PRECISION_BITS)), 0, 255)


# Integer coefficients kept as float64 so the products run through BLAS, still exactly.
_DH_H = _pil_coefficients(GREY_SIZE, HASH_SIZE + 1).astype(np.float64)  # 9 x 32, first pass
_DH_V = _pil_coefficients(GREY_SIZE, HASH_SIZE).astype(np.float64)  # 8 x 32


def dhash_batch(grey: GreyStack) -> U64:
    """dHash of every 32x32 grey frame, bit-identical to imagehash.dhash on the same input."""
    g = np.asarray(grey, dtype=np.float64)
    rows = _clip8(g @ _DH_H.T)  # N x 32 x 9, horizontal pass first as in PIL
    small = _clip8(_DH_V @ rows)  # N x 8 x 9
    return pack_bits(small[:, :, 1:] > small[:, :, :-1])


# -- Helpers shared by the film, still and matching code.


def pool_to_32(grey64: NDArray[np.uint8]) -> GreyStack:
    """N x 64 x 64 -> N x 32 x 32 by 2x2 averaging (rounded), the pHash input."""
    g = grey64.astype(np.uint16).reshape(len(grey64), 64, 32, 2)
    pairs = g[..., 0] + g[..., 1]  # strided adds: far faster than sum(axis=(2, 4))
    return ((pairs[:, 0::2] + pairs[:, 1::2] + 2) >> 2).astype(np.uint8)


MIN_CONTRAST = 6.0  # grey-level standard deviation under which a frame is flat or dark


# A picture too plain for its copies to be found: noise of NOISE_GREY grey levels, less than
# any copy's own encoding adds, is expected to turn PLAIN_FLIPS of its 64 pHash bits or more,
# as many as a match allows (provenance.matching.FRAME_THRESHOLD; a test keeps them equal). A
# bit is a low DCT coefficient against their median, and a smooth gradient or a flat wash of
# colour has most of them within a hair of it (issue 24: the gradient of the C2PA corpus, 22
# bits expected and 21 measured, every other library source of the benchmarks 0-3; PDQ's own
# quality metric rates the same frames 6 of 100).
NOISE_GREY = 2.0
PLAIN_FLIPS = 12


def _coefficient_noise() -> NDArray[np.float64]:
    """Per low DCT coefficient, how far noise of one grey level (independent per pixel)
    moves it, as a standard deviation: the DCT is linear, C @ X @ C.T."""
    norms = np.sqrt((_C8**2).sum(axis=1))
    return np.outer(norms, norms).reshape(HASH_SIZE * HASH_SIZE)


_COEFFICIENT_NOISE = _coefficient_noise()


def noise_flips(grey: GreyStack, sigma: float = NOISE_GREY) -> NDArray[np.float64]:
    """Per 32x32 grey picture, how many of its pHash bits noise of `sigma` grey levels is
    expected to turn: a bit turns when noise carries its coefficient across the median, as
    likely as a normal variable exceeds the coefficient's distance to it."""
    from scipy.special import erfc  # scipy comes with imagehash

    low = (_C8 @ np.asarray(grey, np.float64) @ _C8T).reshape(len(grey), HASH_SIZE * HASH_SIZE)
    far = np.abs(low - np.median(low, axis=1, keepdims=True)) / (sigma * _COEFFICIENT_NOISE)
    return np.asarray(0.5 * erfc(far / math.sqrt(2.0)), np.float64).sum(axis=1)


def too_plain(grey: GreyStack) -> NDArray[np.bool_]:
    """Per 32x32 grey picture, whether it is too plain for its copies to be found."""
    return noise_flips(grey) >= PLAIN_FLIPS


def mostly_plain(plain_frames: int | None, frames: int) -> bool:
    """Whether a library item is too plain to be found: most of its frames are (None: added
    before this was measured, nothing is said)."""
    return plain_frames is not None and 2 * plain_frames > frames


def contrast(grey: NDArray[np.uint8]) -> NDArray[np.float32]:
    """Standard deviation of each small grey frame: dark or flat frames hash to noise."""
    flat = grey.reshape(len(grey), grey.shape[1] * grey.shape[2]).astype(np.float32)
    return flat.std(axis=1)


@dataclass(frozen=True)
class FrameHashes:
    """Hashes of a run of frames, all arrays of the same length."""

    phash: U64
    phash_mirror: U64
    dhash: U64
    contrast: NDArray[np.float32]
    # pHash of a picture shown smaller inside the frame (picture-in-picture), 0 where none
    inset: U64 | None = None
    inset_mirror: U64 | None = None
    # pHash of the frame's centre (away from subtitles, logos, timecode in the corners)
    centre: U64 | None = None
    centre_mirror: U64 | None = None
    # N x K pHashes of named extra pictures of each frame (film_hashes.EXTRA_PICTURES: the
    # panels of a split screen...), each searched on its own; 0 where a frame has none
    extra: U64 | None = None

    def __post_init__(self) -> None:
        for name in ("inset", "inset_mirror", "centre", "centre_mirror"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, np.zeros(len(self.phash), np.uint64))
        if self.extra is None:
            object.__setattr__(self, "extra", np.zeros((len(self.phash), 0), np.uint64))

    def part(self, lo: int, hi: int | None = None) -> FrameHashes:
        """The hashes of frames lo..hi-1."""
        return FrameHashes(*(getattr(self, name)[lo:hi] for name in FRAME_HASH_FIELDS))

    @staticmethod
    def joined(parts: list[FrameHashes]) -> FrameHashes:
        def cat(name: str) -> Any:
            return np.concatenate([getattr(p, name) for p in parts])

        return FrameHashes(*(cat(name) for name in FRAME_HASH_FIELDS))


FRAME_HASH_FIELDS = (
    "phash",
    "phash_mirror",
    "dhash",
    "contrast",
    "inset",
    "inset_mirror",
    "centre",
    "centre_mirror",
    "extra",
)


def hash_frames(grey: NDArray[np.uint8]) -> FrameHashes:
    """All hashes for N small grey frames (32x32, or 64x64 pooled first), whole frames."""
    if grey.shape[1:] == (64, 64):
        grey = pool_to_32(grey)
    plain, mirrored = phash_batch(grey)
    assert mirrored is not None
    return FrameHashes(plain, mirrored, dhash_batch(grey), contrast(grey))


def hash_pictures(
    picture: GreyStack,
    inset: GreyStack,
    has_inset: NDArray[np.bool_],
    centre: GreyStack,
    extra: NDArray[np.uint8] | None = None,
    has_extra: NDArray[np.bool_] | None = None,
) -> FrameHashes:
    """Hashes of 32x32 pictures (bars removed), of their insets where they have one, of
    their centres, and of N x K extra pictures where `has_extra` (0 elsewhere)."""
    whole = hash_frames(picture)
    middle, middle_mirror = phash_batch(centre)
    plain = np.zeros(len(picture), np.uint64)
    mirrored = np.zeros(len(picture), np.uint64)
    if has_inset.any():
        p, m = phash_batch(inset[has_inset])
        assert m is not None
        plain[has_inset], mirrored[has_inset] = p, m
    return FrameHashes(
        whole.phash,
        whole.phash_mirror,
        whole.dhash,
        whole.contrast,
        plain,
        mirrored,
        middle,
        middle_mirror,
        _extra_hashes(extra, has_extra, len(picture)),
    )


def _extra_hashes(extra: NDArray[np.uint8] | None, has: NDArray[np.bool_] | None, n: int) -> U64:
    if extra is None or not extra.shape[1]:
        return np.zeros((n, 0), np.uint64)
    has = np.ones(extra.shape[:2], bool) if has is None else has
    out = np.zeros(extra.shape[:2], np.uint64)
    if has.any():
        out[has] = phash_batch(extra[has], mirror=False)[0]
    return out


def hamming(a: U64, b: U64) -> NDArray[np.uint8]:
    """Bitwise distance between hashes (broadcasting)."""
    x = np.bitwise_xor(a, b)
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(x)
    return _popcount_table(x)


_BYTE_COUNTS = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


def _popcount_table(x: U64) -> NDArray[np.uint8]:
    """Popcount through a byte lookup table, for NumPy older than 2.0."""
    as_bytes = np.ascontiguousarray(x).view(np.uint8).reshape(*np.shape(x), 8)
    return _BYTE_COUNTS[as_bytes].sum(axis=-1, dtype=np.uint8)


def to_hex(value: int | np.uint64) -> str:
    """The 16 hex digits imagehash prints for the same hash."""
    return f"{int(value):016x}"


def to_signed(values: U64) -> NDArray[np.int64]:
    """uint64 -> int64 with the same bits (SQLite INTEGER is signed)."""
    return np.asarray(values, dtype=np.uint64).view(np.int64)
