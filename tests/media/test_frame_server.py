"""The frame server gives the exact frame asked for, on every codec and container we support."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from critique_app.errors import UserError
from critique_app.media.frame_server import FrameServer
from tests.media.conftest import CLIPS
from tests.media_factory import make_coded_clip, read_frame_code


def shown(server: FrameServer, index: int) -> int:
    """The index drawn on the picture the server returns for `index` (-1 when unreadable)."""
    try:
        return read_frame_code(server.frame(index).image)
    except ValueError:
        return -1


class RunCounter:
    """Counts how often the server starts decoding from a keyframe (i.e. seeks)."""

    def __init__(self, server: FrameServer, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        original = server._start_run

        def counting(key: int):  # type: ignore[no-untyped-def]
            self.count += 1
            return original(key)

        monkeypatch.setattr(server, "_start_run", counting)


@pytest.mark.parametrize("name", list(CLIPS))
def test_300_random_frames_are_exact(name: str, clip: Callable[[str], Path]) -> None:
    with FrameServer(clip(name)) as server:
        rng = random.Random(f"random-{name}")
        asked = [rng.randrange(len(server.pts)) for _ in range(300)]
        wrong = [(i, got) for i in asked if (got := shown(server, i)) != i]
    assert wrong == [], f"{name}: (asked, got) {wrong[:10]}"


@pytest.mark.parametrize("name", list(CLIPS))
def test_stepping_forward_then_back_is_exact_across_gop_boundaries(
    name: str, clip: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    with FrameServer(clip(name)) as server:
        count = len(server.pts)
        runs = RunCounter(server, monkeypatch)
        forward = [shown(server, i) for i in range(count)]
        assert forward == list(range(count))
        assert runs.count == 1, "forward steps must keep decoding, not seek"
        backward = [shown(server, i) for i in range(count - 1, -1, -1)]
        assert backward == list(range(count - 1, -1, -1))
        gops = len(server._keys)
        # Back steps come from the cached group of pictures: at most one new run per GOP.
        assert runs.count <= 1 + gops


def test_frame_is_full_resolution_rgb_with_its_time(clip: Callable[[str], Path]) -> None:
    with FrameServer(clip("mov_29_97_df")) as server:
        frame = server.frame(31)
        assert frame.image.shape == (144, 176, 3)
        assert frame.image.dtype == np.uint8 and frame.image.flags["C_CONTIGUOUS"]
        assert frame.index == 31 and frame.pts == server.pts[31]
        assert frame.time == Fraction(31 * 1001, 30000)
        assert server.index_at_time(float(frame.time)) == 31
        assert server.index_at_time(float(frame.time) - 0.001) == 30


def test_vfr_indices_follow_the_real_timestamps(clip: Callable[[str], Path]) -> None:
    with FrameServer(clip("vfr_mp4")) as server:
        durations = {b - a for a, b in zip(server.pts, server.pts[1:], strict=False)}
        assert len(durations) > 2, "the clip must really be variable-rate"
        for index in range(0, len(server.pts), 7):
            start = float(server.time_of(index))
            assert server.index_at_time(start) == index
            assert read_frame_code(server.frame_at_time(start + 1e-4).image) == index


def test_two_threads_sharing_a_server_get_exact_frames(clip: Callable[[str], Path]) -> None:
    wrong: list[tuple[int, int]] = []
    with FrameServer(clip("h264_open_gop")) as server:
        count = len(server.pts)

        def worker(seed: int) -> None:
            rng = random.Random(seed)
            for _ in range(60):
                index = rng.randrange(count)
                if (got := shown(server, index)) != index:
                    wrong.append((index, got))

        threads = [threading.Thread(target=worker, args=(seed,)) for seed in (1, 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert wrong == []


def test_past_the_end_is_a_sentence(clip: Callable[[str], Path]) -> None:
    with FrameServer(clip("vp9_webm")) as server:
        with pytest.raises(UserError, match=r"vp9\.webm has frames 0 to 149; frame 150"):
            server.frame(150)
        with pytest.raises(UserError, match="frame -1 does not exist"):
            server.frame(-1)


def test_a_file_that_stops_decoding_half_way(tmp_path: Path) -> None:
    """The data of the last 40% is wiped (the index survives): frames play up to the break, and
    every frame past it is refused with a sentence saying where it broke."""
    path = make_coded_clip(
        tmp_path / "wiped.mp4", frames=120, size=(176, 144), gop=12, faststart=True
    )
    data = bytearray(path.read_bytes())
    cut = len(data) * 6 // 10
    data[cut:] = bytes(len(data) - cut)
    path.write_bytes(bytes(data))
    with FrameServer(path) as server:
        assert len(server.pts) == 120  # the index still announces every frame
        good = 0
        with pytest.raises(UserError, match=r"wiped\.mp4 stops decoding at frame (\d+) \(00:00:"):
            for index in range(120):
                assert shown(server, index) == index
                good = index + 1
        assert 20 < good < 100
        assert server.decodable_until == good
        with pytest.raises(UserError, match=f"stops decoding at frame {good} "):
            server.frame(good + 10)
        assert shown(server, good - 1) == good - 1  # what came before still shows


def test_a_truncated_copy_serves_what_it_holds(tmp_path: Path) -> None:
    whole = make_coded_clip(
        tmp_path / "whole.mp4", frames=120, size=(176, 144), gop=12, faststart=True
    )
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size * 6 // 10])
    with FrameServer(cut) as server:
        count = len(server.pts)
        assert 30 < count < 120
        assert server.info.problem is not None
        assert [shown(server, i) for i in range(count)] == list(range(count))
        with pytest.raises(UserError, match="does not exist"):
            server.frame(count)
