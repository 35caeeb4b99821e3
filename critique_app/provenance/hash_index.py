"""Find every library hash within a Hamming distance of each query hash: exact, vectorised.

Small libraries are searched by brute force (XOR + popcount over NumPy arrays). Large ones
use a multi-index: the 64 bits are split into m bands, and by the pigeonhole principle two
hashes at distance <= d agree within floor(d/m) bits on at least one band. So probing, in
each band's table, every key within that radius of the query's band finds every true hit;
candidates are then checked on all 64 bits. The result is exactly brute force's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from math import comb

import numpy as np
from numpy.typing import NDArray

from critique_app.media.fingerprint import hamming

MAX_BAND_BITS = 24  # table of 2^24 int32 offsets = 64 MB: the most one band may take
QUERY_BLOCK = 2048  # queries per step at most: bounds the memory of candidate lists
# Pairs found per step that the next step's size aims at. Two copies of a film full of still
# shots hold millions of close pairs (2,400 frames against 2,400: 2.7 million); one block of
# 2,048 queries then took 2.4 s in one NumPy call on a quiet machine, with no Cancel possible.
PAIRS_PER_STEP = 200_000


@dataclass(frozen=True)
class Hits:
    """Pairs (query, library entry) within the distance, sorted by query then entry."""

    query: NDArray[np.int64]
    entry: NDArray[np.int64]
    distance: NDArray[np.uint8]

    def __len__(self) -> int:
        return len(self.query)


_Triple = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.uint8]]


def _no_check() -> None:
    """No Cancel to look for."""


def _empty() -> Hits:
    return Hits(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.uint8))


def _band_bits(m: int) -> list[int]:
    return [64 // m + (1 if i < 64 % m else 0) for i in range(m)]


def _probe_masks(bits: int, radius: int) -> NDArray[np.int64]:
    """Every bit pattern of weight <= radius over `bits` bits."""
    masks = [0]
    for k in range(1, radius + 1):
        masks += [sum(1 << b for b in combo) for combo in combinations(range(bits), k)]
    return np.array(masks, dtype=np.int64)


def plan_bands(size: int, queries: int, distance: int) -> int:
    """Number of bands (0 = brute force) with the lowest estimated work."""
    best, best_cost = 0, float(size) * 0.5  # per query: brute force touches every entry
    for m in range(2, distance + 2):
        bits = _band_bits(m)
        if max(bits) > MAX_BAND_BITS:
            continue
        radius = distance // m
        cost = 0.0
        for b in bits:
            probes = sum(comb(b, k) for k in range(radius + 1))
            cost += probes * (4.0 + size / 2.0**b)  # a probe costs ~ a few candidate checks
        cost += 2.0 ** max(bits) * 4 / max(queries, 1)  # building the tables, per query
        if cost < best_cost:
            best, best_cost = m, cost
    return best


class HashIndex:
    """Library hashes prepared for exact search at distances up to `max_distance`."""

    def __init__(
        self,
        hashes: NDArray[np.uint64],
        max_distance: int,
        *,
        bands: int | None = None,
        expected_queries: int = 10_000,
    ) -> None:
        self.hashes = np.ascontiguousarray(hashes, dtype=np.uint64)
        self.max_distance = max_distance
        m = plan_bands(len(self.hashes), expected_queries, max_distance) if bands is None else bands
        self.bands = m
        self._tables: list[
            tuple[int, int, NDArray[np.int32], NDArray[np.int32], NDArray[np.int64]]
        ] = []
        if m and max(_band_bits(m)) > MAX_BAND_BITS:
            raise ValueError(f"{m} bands of 64 bits make tables too large; use at least 3")
        if m:
            shift = 0
            radius = max_distance // m
            as_int = self.hashes.view(np.int64)
            for bits in _band_bits(m):
                keys = ((as_int >> shift) & ((1 << bits) - 1)).astype(np.int32)
                order = np.argsort(keys).astype(np.int32)  # order inside a bucket is irrelevant
                counts = np.bincount(keys, minlength=1 << bits)
                offsets = np.zeros((1 << bits) + 1, dtype=np.int32)
                np.cumsum(counts, out=offsets[1:])
                self._tables.append((shift, bits, order, offsets, _probe_masks(bits, radius)))
                shift += bits

    @property
    def nbytes(self) -> int:
        return self.hashes.nbytes + sum(
            t[2].nbytes + t[3].nbytes + t[4].nbytes for t in self._tables
        )

    def search(
        self,
        queries: NDArray[np.uint64],
        distance: int | None = None,
        *,
        check: Callable[[], None] | None = None,
    ) -> Hits:
        """All (query, entry) pairs at Hamming distance <= distance (default: max_distance).

        `check` is called between steps (a block of queries, a band): a Cancel raises there.
        On a busy machine one search of a few thousand frames takes seconds, longer than a
        closing window waits for its work to stop."""
        check = check or _no_check
        d = self.max_distance if distance is None else distance
        if d > self.max_distance:
            raise ValueError(f"the index was built for distances up to {self.max_distance}")
        queries = np.ascontiguousarray(queries, dtype=np.uint64)
        if len(queries) == 0 or len(self.hashes) == 0:
            return _empty()
        parts = []
        lo, size = 0, min(QUERY_BLOCK, 256)  # small first: the density is not known yet
        while lo < len(queries):
            check()
            block = queries[lo : lo + size]
            q, e, dist = (
                self._brute(block, d, check) if not self.bands else self._multi(block, d, check)
            )
            parts.append((q + lo, e, dist))
            lo += len(block)
            # the next block as large as keeps about PAIRS_PER_STEP pairs in one step
            per_query = len(q) / len(block)
            size = int(min(QUERY_BLOCK, max(16, PAIRS_PER_STEP / max(per_query, 1e-9))))
        return Hits(*(np.concatenate(p) for p in zip(*parts, strict=True)))

    def _brute(self, block: NDArray[np.uint64], d: int, check: Callable[[], None]) -> _Triple:
        qs, es, ds = [], [], []
        step = max(1, 8_000_000 // max(len(self.hashes), 1))  # ~8 MB of distances at a time
        for lo in range(0, len(block), step):
            check()
            dist = hamming(block[lo : lo + step, None], self.hashes[None, :])
            q, e = np.nonzero(dist <= d)
            qs.append(q + lo)
            es.append(e)
            ds.append(dist[q, e])
        return (
            np.concatenate(qs).astype(np.int64),
            np.concatenate(es).astype(np.int64),
            np.concatenate(ds),
        )

    def _multi(self, block: NDArray[np.uint64], d: int, check: Callable[[], None]) -> _Triple:
        as_int = block.view(np.int64)
        found = []
        for shift, bits, order, offsets, masks in self._tables:
            check()
            keys = (as_int >> shift) & ((1 << bits) - 1)
            probes = (keys[:, None] ^ masks[None, :]).ravel()
            starts = offsets[probes].astype(np.int64)
            counts = offsets[probes + 1] - starts
            total = int(counts.sum())
            if total == 0:
                continue
            # Expand the [start, start + count) runs into one flat list of table positions.
            run_of = np.repeat(np.arange(len(probes)), counts)
            before = np.cumsum(counts) - counts
            positions = starts[run_of] + (np.arange(total) - before[run_of])
            entry = order[positions].astype(np.int64)
            query = run_of // len(masks)
            dist = hamming(block[query], self.hashes[entry])
            keep = dist <= d
            found.append(query[keep] * len(self.hashes) + entry[keep])
        if not found:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.uint8)
        pairs = np.unique(np.concatenate(found))  # a pair close in two bands is found twice
        query, entry = np.divmod(pairs, len(self.hashes))
        return (
            query.astype(np.int64),
            entry.astype(np.int64),
            hamming(block[query], self.hashes[entry]),
        )


def brute_force(queries: NDArray[np.uint64], hashes: NDArray[np.uint64], distance: int) -> Hits:
    """The reference result the index must equal."""
    return HashIndex(hashes, distance, bands=0).search(queries)
