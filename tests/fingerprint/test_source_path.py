"""The cheapest path through a distance matrix: what each film frame shows, on known cases."""

from __future__ import annotations

import numpy as np
import pytest

from critique_app.provenance import source_path
from critique_app.provenance.source_path import (
    FORWARD,
    PATH_ROWS,
    _on_a_line,
    cheapest_path,
    shows_a_still,
    source_pieces,
    ties_evened,
)

FAR = 16.0


def _cost(truth: list[int], columns: int) -> np.ndarray:
    cost = np.full((len(truth), columns), FAR)
    for row, column in enumerate(truth):
        cost[row, column] = 0.0
    return cost


def _path(
    truth: list[int], cuts: tuple[int, ...] = (), columns: int = 60
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = len(truth)
    cut = np.zeros(rows, bool)
    cut[list(cuts)] = True
    return cheapest_path(_cost(truth, columns), np.ones(rows, np.int64), cut, 1.0, 24.0)


def test_slow_motion_pulldown_and_reversal_are_followed() -> None:
    slow = [10 + i // 2 for i in range(20)]
    column, sense, jumped = _path(slow)
    assert column.tolist() == slow and not jumped.any() and (sense == 1).all()
    pulldown = [round(i * 0.8) for i in range(30)]
    assert _path(pulldown)[0].tolist() == pulldown
    backwards = list(range(50, 20, -1))
    column, sense, _ = _path(backwards)
    assert column.tolist() == backwards and (sense == -1).all()


def test_a_jump_only_at_a_cut() -> None:
    shots = list(range(40, 50)) + list(range(0, 10))
    column, _, jumped = _path(shots, cuts=(10,))
    assert column.tolist() == shots and np.flatnonzero(jumped).tolist() == [10]
    column, _, jumped = _path(shots)  # no cut there: no jump, however far the pictures
    assert not jumped.any() and column.tolist() != shots


def test_a_long_static_passage_stays_one_piece_across_blocks() -> None:
    rng = np.random.default_rng(3)
    frames = 3 * PATH_ROWS
    # a nearly static item: its hash changes every 12 frames, by a few bits
    base = rng.integers(0, 2**63, frames // 12 + 1, dtype=np.int64).view(np.uint64)
    item = np.repeat(base, 12)[:frames]
    noise = np.packbits(rng.random((frames, 64)) < 0.03, axis=1).view(">u8").ravel()
    film = item ^ noise.astype(np.uint64)
    film_frames = np.arange(frames, dtype=np.int64)
    (piece,) = source_pieces(
        [film], film_frames, item[None, :], film_frames, expected=1.0, frame_threshold=12, reach=96
    )
    assert piece.order == FORWARD and (piece.lo, piece.hi) == (0, frames)
    assert abs(int(piece.item_frames[0])) <= 12 and abs(int(piece.item_frames[-1]) - frames) <= 12


def test_a_slow_pan_keeps_to_its_speed_where_the_noise_favours_a_hold() -> None:
    # A slow pan seen through a narrow slice: 80 item frames around the right one are within
    # a few bits of each film frame, and for 40 rows the noise favours one of them (what
    # cut such passages into forward / held / forward pieces, 30 frames off, before).
    rows = 150
    truth = [70 + row for row in range(rows)]
    cost = np.full((rows, 240), FAR, np.float32)
    for row, column in enumerate(truth):
        cost[row, column - 40 : column + 40] = 3.0
        cost[row, column] = 1.0
    cost[50:90, 120] = 1.0
    cost[50:90, 120:160].flat[41::41] = 3.0  # ...and the right frames a little further
    flat = np.ones(rows, np.int64)
    raw, _, _ = cheapest_path(cost, flat, np.zeros(rows, bool), 1.0, 24.0)
    assert np.abs(raw - truth).max() > 3  # the noise alone: held, then behind
    column, _, jumped = cheapest_path(ties_evened(cost), flat, np.zeros(rows, bool), 1.0, 24.0)
    assert not jumped.any() and np.abs(column - truth).max() <= 3


def _slow_pan(rows: int, start: int, speed: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An item whose hash changes by one bit every other frame (a slow pan: a dozen frames
    within 4 bits of each other), and a film showing it at `speed` with 3 bits of noise in 64."""
    rng = np.random.default_rng(1)
    steps = np.zeros((240, 64), bool)
    steps[np.arange(0, 240, 2), rng.integers(0, 64, 120)] = True
    bits = (rng.random(64) < 0.5) ^ (np.cumsum(steps, axis=0) % 2 == 1)
    item = np.packbits(bits, axis=1).view(">u8").ravel().astype(np.uint64)
    shown = np.rint(start + speed * np.arange(rows)).astype(np.int64)
    noise = np.packbits(rng.random((rows, 64)) < 0.04, axis=1).view(">u8").ravel()
    return item, shown, item[shown] ^ noise.astype(np.uint64)


@pytest.mark.parametrize(("speed", "start", "rows"), [(1.6, 14, 127), (0.56, 60, 180)])
def test_a_passage_at_another_speed_keeps_its_ends_over_a_slow_pan(
    speed: float, start: int, rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Row by row, the price of speed on evened ties pulls such a passage towards the expected
    # speed (a 1.6x passage started 5-8 frames late); the distances over the whole run do not.
    item, shown, film = _slow_pan(rows, start, speed)
    film_frames = np.arange(rows, dtype=np.int64)

    def ends() -> list[tuple[str, int, int]]:
        pieces = source_pieces(
            [film], film_frames, item[None, :], shown, expected=1.0, frame_threshold=12, reach=96
        )
        return [(p.order, int(p.item_frames[0]), int(p.item_frames[-1])) for p in pieces]

    ((order, first, last),) = ends()
    assert order == FORWARD and abs(first - shown[0]) <= 1 and abs(last - shown[-1]) <= 1
    monkeypatch.setattr(source_path, "OFF_SPEED", np.inf)  # the path alone
    ((_, first, last),) = ends()
    assert max(abs(first - shown[0]), abs(last - shown[-1])) > 3


def test_a_run_at_the_expected_speed_is_put_on_its_line_but_a_freeze_stays() -> None:
    # A slow pan: 80 item frames within a few bits of each film frame, the right one 1 bit
    # closer. A path that lost 4 frames at a static start is put back on its line...
    rows = 150
    truth = np.arange(70, 70 + rows)
    cost = np.full((rows, 240), FAR, np.float32)
    for row, column in enumerate(truth):
        cost[row, column - 40 : column + 40] = 3.0
        cost[row, column] = 2.0
    film = np.arange(rows, dtype=np.int64)
    column = np.maximum(truth - 4, 70)
    _on_a_line(column, cost, film, 0, rows, 1.0)
    assert column.tolist() == truth.tolist()
    # ...but a freeze of 30 film frames in the middle of it is not a line at any price
    frozen = np.r_[truth[:60], np.full(30, truth[60]), truth[61:121]]
    cost = np.full((rows, 240), FAR, np.float32)
    cost[film, frozen] = 0.0
    column = frozen.copy()
    _on_a_line(column, cost, film, 0, rows, 1.0)
    assert column.tolist() == frozen.tolist()


def test_a_run_late_by_a_few_frames_on_dim_pictures_is_put_on_its_line() -> None:
    # A dim product shot (set C: split 3, the stacked panels): every library frame near the
    # cap, and on most rows one a few frames back one step (2 bits) closer than the row's
    # own. The path starts 6 frames late and catches up step by step; over the run that
    # gains 1.6 bits a row, under one step a row: a copy plays at a steady speed, so the
    # line is the story.
    rows, start = 100, 40
    truth = np.arange(start, start + rows)
    late = np.repeat([6, 4, 2, 0], [30, 30, 20, 20])
    cost = np.full((rows, 240), FAR, np.float32)
    cost[np.arange(rows), truth] = 12.0
    film = np.arange(rows, dtype=np.int64)
    column = truth - late
    cost[film[late > 0], column[late > 0]] = 10.0
    gained = float(cost[film, truth].sum() - cost[film, column].sum()) / rows
    assert 1.0 < gained < 2.0
    _on_a_line(column, cost, film, 0, rows, 1.0)
    assert column.tolist() == truth.tolist()


def _flipped(hashes: np.ndarray, bits: int) -> np.ndarray:
    """The hashes with their lowest `bits` bits flipped (that many bits away)."""
    return hashes ^ np.uint64((1 << bits) - 1)


def test_a_passage_inside_a_library_still_shows_the_still_but_not_one_into_it() -> None:
    # An item moving for 60 frames, then still for 80 (a codec's refresh flips a step of a
    # distance on some of them), then moving again.
    rng = np.random.default_rng(24)
    moving = rng.integers(1, 2**62, 200, dtype=np.int64).astype(np.uint64)
    item = moving.copy()
    item[60:140] = moving[60]
    item[84:140:24] = _flipped(item[84:140:24], 2)
    grid = item[None, :]
    copy = np.full(50, _flipped(item[60:61], 6)[0])  # 6 bits from every frame of the still
    forward = np.arange(66, 116, dtype=np.int64)
    assert shows_a_still([copy], grid, forward, 12) == (60, 139)
    # a copy that plays the frames before the still and goes into it, through a picture far
    # from everything (its rows are as near the still as to their own frames)
    into = np.arange(20, 120, dtype=np.int64)
    unrelated = rng.integers(1, 2**62, 100, dtype=np.int64).astype(np.uint64)
    assert shows_a_still([unrelated], grid, into, 12) is None
    assert shows_a_still([item[20:120]], grid, into, 12) is None
    # no still where the item keeps moving
    assert shows_a_still([moving[150:190]], grid, np.arange(150, 190, dtype=np.int64), 12) is None
