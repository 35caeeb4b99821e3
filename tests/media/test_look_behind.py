"""Stepping back across a keyframe (issue 26): the frame server looks behind the frame shown on a
decoder of its own, within its budget in bytes, so the step back finds the picture decoded, the
right one, while a step forward still goes on with one frame's decode."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from critique_app.media.frame_server import FrameServer
from tests.media.conftest import CLIPS
from tests.media.test_frame_server import RunCounter, shown
from tests.media_factory import make_coded_clip

GOP = 150  # longer than what the budgets below let the cache hold


@pytest.fixture(scope="module")
def long_gop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("long-gop")
    return make_coded_clip(folder / "long_gop.mp4", frames=3 * GOP, size=(176, 144), gop=GOP)


def budget_for(server: FrameServer, frames: int) -> int:
    """A budget that holds the 4 converted pictures shown and `frames` decoded ones."""
    server.frame(0)
    size = server._cache.picture_size
    assert size is not None
    return 4 * 176 * 144 * 3 + frames * size


def test_after_a_look_behind_a_step_back_across_the_keyframe_decodes_nothing(
    long_gop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FrameServer(long_gop) as server:
        server.set_cache_bytes(budget_for(server, 40))
        key = server._keys[2]
        assert key == 2 * GOP
        assert shown(server, key) == key
        assert not server.is_kept(key - 1)
        assert server.look_behind(key) is True
        runs = RunCounter(server, monkeypatch)
        behind = [i for i in range(key - 25, key) if server.is_kept(i)]
        assert behind == list(range(key - 25, key)), "the previous GOP's end is decoded"
        # stepping back across the keyframe: the right pictures, and no seek for any of them
        assert [shown(server, i) for i in range(key - 1, key - 21, -1)] == list(
            range(key - 1, key - 21, -1)
        )
        assert runs.count == 0
        assert server.kept_bytes <= server.cache_bytes


def test_a_look_behind_keeps_the_frames_nearest_the_one_shown_within_the_budget(
    long_gop: Path,
) -> None:
    with FrameServer(long_gop) as server:
        server.set_cache_bytes(budget_for(server, 40))
        key = server._keys[1]
        server.frame(key + 3)
        server.look_behind(key + 3)
        kept = [i for i in range(key // 2, key + 4) if server.is_kept(i)]
        # the stretch just before the frame, without a gap, and nothing far from it
        assert kept == list(range(kept[0], key + 4))
        assert key + 3 - kept[0] >= 20
        assert server.kept_bytes <= server.cache_bytes


def test_a_step_forward_after_a_look_behind_still_decodes_one_frame(
    long_gop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FrameServer(long_gop) as server:
        server.set_cache_bytes(budget_for(server, 40))
        start = server._keys[1] + 2
        server.frame(start)
        server.look_behind(start)
        runs = RunCounter(server, monkeypatch)
        assert [shown(server, i) for i in range(start + 1, start + 30)] == list(
            range(start + 1, start + 30)
        )
        assert runs.count == 0, "the playhead's decoder stayed where the forward step goes on"


def test_a_look_behind_told_to_stop_stops_and_the_next_one_goes_on(long_gop: Path) -> None:
    with FrameServer(long_gop) as server:
        server.set_cache_bytes(budget_for(server, 40))
        key = server._keys[2]
        server.frame(key)
        asked = []

        def after_three() -> bool:
            asked.append(1)
            return len(asked) > 3

        assert server.look_behind(key, after_three) is False
        assert not server.is_kept(key - 1), "stopped before it reached the frames near the key"
        assert server.look_behind(key) is True
        assert [shown(server, i) for i in range(key - 1, key - 11, -1)] == list(
            range(key - 1, key - 11, -1)
        )


def test_a_step_back_pressed_before_the_look_is_done_joins_its_pass(
    long_gop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FrameServer(long_gop) as server:
        server.set_cache_bytes(budget_for(server, 40))
        key = server._keys[2]
        server.frame(key)
        steps = iter(range(100))
        assert server.look_behind(key, lambda: next(steps) >= 5) is False  # pressed meanwhile
        runs = RunCounter(server, monkeypatch)
        assert shown(server, key - 1) == key - 1
        assert runs.count == 0, "went on with the look's pass, no new seek"


def test_stepping_back_through_three_long_gops_is_exact_and_stays_in_budget(
    long_gop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FrameServer(long_gop) as server:
        server.set_cache_bytes(budget_for(server, 40))
        last = len(server.pts) - 1
        server.frame(last)
        runs = RunCounter(server, monkeypatch)
        wrong, over = [], []
        for index in range(last, -1, -1):
            if shown(server, index) != index:
                wrong.append(index)
            if server.kept_bytes > server.cache_bytes:
                over.append(index)
            server.look_behind(index)  # the user looks at each frame before the next press
        assert wrong == [] and over == []
        assert runs.count == 0, "every step back found its picture decoded"


@pytest.mark.parametrize("name", list(CLIPS))
def test_stepping_back_with_looks_behind_is_exact_on_every_codec(
    name: str, clip: Callable[[str], Path]
) -> None:
    with FrameServer(clip(name)) as server:
        server.set_cache_bytes(budget_for(server, 20))
        last = len(server.pts) - 1
        got = []
        for index in range(last, -1, -1):
            got.append(shown(server, index))
            server.look_behind(index)
        assert got == list(range(last, -1, -1))


def test_the_budget_bounds_what_is_kept_and_a_smaller_one_drops_the_oldest(
    long_gop: Path,
) -> None:
    with FrameServer(long_gop) as server:
        budget = budget_for(server, 30)
        server.set_cache_bytes(budget)
        server.frame(GOP - 1)  # a whole GOP decoded on the way: only what fits stays
        assert server.kept_bytes <= budget
        assert server.is_kept(GOP - 1) and server.is_kept(GOP - 20)
        assert not server.is_kept(GOP - 60)
        server.set_cache_bytes(budget // 3)
        assert server.kept_bytes <= budget // 3
        assert server.is_kept(GOP - 1) and not server.is_kept(GOP - 25)
        assert shown(server, GOP - 25) == GOP - 25  # decoded again, exactly


def test_a_one_shot_budget_keeps_almost_nothing_and_looks_nowhere(long_gop: Path) -> None:
    from critique_app.media.frame_cache import ONE_SHOT_CACHE_BYTES

    with FrameServer(long_gop, cache_bytes=ONE_SHOT_CACHE_BYTES) as server:
        assert shown(server, GOP + 100) == GOP + 100
        assert server.kept_bytes <= ONE_SHOT_CACHE_BYTES
        server.set_cache_bytes(176 * 144 * 3)  # room for the picture shown, no more
        assert server.look_behind(GOP + 100) is True
        assert server._behind is None, "no second decoder opened for nothing"
        assert not server.is_kept(GOP + 99)
