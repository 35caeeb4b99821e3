"""Decoded pictures kept around the playhead, within a budget in bytes.

A budget in bytes, not in frames: 96 decoded frames are 30 MB at 480p but 300 MB at 1080p and
1.2 GB at 4K, so only bytes keep memory bounded whatever the film. The least recently used
picture goes first; a look behind the playhead (FrameServer.look_behind) makes room only by
dropping pictures outside the stretch it fills, so it never pushes out what it came to keep.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

MB = 1024 * 1024
PLAYBACK_CACHE_BYTES = 256 * MB  # the window: about 78 decoded 1080p frames beside 4 shown ones
ONE_SHOT_CACHE_BYTES = 16 * MB  # a command that saves one frame needs almost nothing kept


def picture_bytes(picture: Any) -> int:
    """Bytes a decoded picture (av.VideoFrame) holds: the sum of its planes."""
    return sum(int(plane.buffer_size) for plane in picture.planes)


class FrameCache:
    """Decoded pictures by frame index, least recently used first. Not thread-safe: the
    FrameServer's lock guards it."""

    def __init__(self, budget: int) -> None:
        self.budget = max(0, int(budget))
        self.reserved = 0  # bytes the server keeps elsewhere (its converted RGB pictures)
        self.used = 0
        self.picture_size: int | None = None  # bytes of one picture of this film, once seen
        self._pictures: OrderedDict[int, tuple[Any, int]] = OrderedDict()

    def __contains__(self, index: object) -> bool:
        return index in self._pictures

    def __len__(self) -> int:
        return len(self._pictures)

    def get(self, index: int) -> Any:
        """The picture, now the most recently used; None when it is not kept."""
        entry = self._pictures.get(index)
        if entry is None:
            return None
        self._pictures.move_to_end(index)
        return entry[0]

    def put(self, index: int, picture: Any) -> None:
        """Keep `picture` as the most recently used; the least recently used go to make room."""
        size = self._add(index, picture)
        self._fit(size)
        self._pictures[index] = (picture, size)
        self.used += size
        if self.used + self.reserved > self.budget:  # bigger than the whole budget: not kept
            self._drop(index)

    def put_within(self, index: int, picture: Any, keep: range) -> bool:
        """Keep `picture` if room can be made by dropping only pictures outside `keep`
        (least recently used first); False, and nothing dropped, when it cannot."""
        size = self._add(index, picture)
        free = self.budget - self.reserved - self.used
        outside = [i for i in self._pictures if i not in keep]
        if free + sum(self._pictures[i][1] for i in outside) < size:
            return False
        for i in outside:
            if free >= size:
                break
            free += self._pictures[i][1]
            self._drop(i)
        self._pictures[index] = (picture, size)
        self.used += size
        return True

    def set_budget(self, budget: int) -> None:
        self.budget = max(0, int(budget))
        self._fit(0)

    def reserve(self, size: int) -> None:
        """The server's other pictures take `size` bytes of the same budget."""
        self.reserved = max(0, int(size))
        self._fit(0)

    def clear(self) -> None:
        self._pictures.clear()
        self.used = 0

    def _add(self, index: int, picture: Any) -> int:
        self._drop(index)
        size = picture_bytes(picture)
        self.picture_size = size
        return size

    def _fit(self, extra: int) -> None:
        while self._pictures and self.used + extra + self.reserved > self.budget:
            self._drop(next(iter(self._pictures)))

    def _drop(self, index: int) -> None:
        entry = self._pictures.pop(index, None)
        if entry is not None:
            self.used -= entry[1]
