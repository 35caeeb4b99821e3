"""The frame cache keeps decoded pictures within a budget in bytes, least recently used first."""

from __future__ import annotations

import av

from critique_app.media.frame_cache import FrameCache, picture_bytes


def picture() -> av.VideoFrame:
    return av.VideoFrame(64, 32, "yuv420p")


def test_a_picture_counts_every_plane() -> None:
    assert picture_bytes(picture()) >= 64 * 32 * 3 // 2


def test_the_least_recently_used_picture_goes_first_and_the_budget_holds() -> None:
    size = picture_bytes(picture())
    cache = FrameCache(3 * size)
    for index in range(3):
        cache.put(index, picture())
    assert cache.get(0) is not None  # 0 is now the most recently used: 1 goes next
    cache.put(3, picture())
    assert [i in cache for i in range(4)] == [True, False, True, True]
    assert cache.used == 3 * size
    cache.reserve(size)  # the server's converted pictures take a share of the same budget
    assert len(cache) == 2 and cache.used + cache.reserved <= cache.budget
    cache.set_budget(size)
    assert len(cache) == 0


def test_put_within_drops_only_what_lies_outside_the_stretch_it_fills() -> None:
    size = picture_bytes(picture())
    cache = FrameCache(3 * size)
    cache.put(50, picture())  # far away: may go
    cache.put(10, picture())
    cache.put(11, picture())
    assert cache.put_within(12, picture(), range(10, 20)) is True
    assert 50 not in cache and all(i in cache for i in (10, 11, 12))
    assert cache.put_within(13, picture(), range(10, 20)) is False  # nothing it may drop
    assert all(i in cache for i in (10, 11, 12)) and 13 not in cache
