"""The player controller's parts on their own: the marks over a playhead, the sound over engines."""

from __future__ import annotations

from critique_app.gui.player.marks import Marks
from critique_app.gui.player.sound import Sound
from critique_app.player.fake_engine import FakeEngine


class Playhead:
    """The transport as the marks see it: a frame, and landing on another."""

    def __init__(self, current: int) -> None:
        self.current = current
        self.shown: list[int] = []

    def settled(self) -> int:
        return self.current

    def show_frame(self, index: int) -> None:
        self.shown.append(index)
        self.current = index


def test_in_and_out_follow_the_playhead_and_an_in_after_the_out_drops_the_out() -> None:
    head = Playhead(10)
    marks = Marks(head)
    seen: list[tuple[object, object]] = []
    marks.changed.connect(lambda first, last: seen.append((first, last)))
    marks.set_in()
    head.current = 30
    marks.set_out()
    assert (marks.in_mark, marks.out_mark, marks.has_range()) == (10, 30, True)
    head.current = 40
    marks.set_in()
    assert (marks.in_mark, marks.out_mark) == (40, None)
    marks.mark_range(9, 3)
    marks.clear()
    assert seen == [(10, None), (10, 30), (40, None), (3, 9), (None, None)]


def test_the_stops_and_the_missing_marks_say_a_sentence_instead_of_moving() -> None:
    head = Playhead(20)
    marks = Marks(head)
    said: list[str] = []
    marks.message.connect(said.append)
    marks.go_in()
    marks.set_stops([50, 5, 50, 35])
    marks.next_stop()
    marks.next_stop()
    marks.next_stop()
    marks.previous_stop()
    assert head.shown == [35, 50, 35]
    assert said == ["No in point set (press I).", "No annotation or marker after this frame."]


def test_an_edit_moves_only_its_stops_and_they_stay_sorted() -> None:
    head = Playhead(20)
    marks = Marks(head)
    marks.set_stops([50, 5, 35])
    marks.move_stops(gone=[35, 7], new=[20, 50, 60])  # 7 was no stop; 50 already is
    assert marks.stops == [5, 20, 50, 60]
    marks.next_stop()  # from 20, exactly on a stop: the next one
    head.current = 20
    marks.previous_stop()
    assert head.shown == [50, 5]


def test_one_volume_and_one_mute_reach_every_engine() -> None:
    engines = [FakeEngine(), FakeEngine()]
    sound = Sound(lambda: engines)
    heard: list[tuple[int, bool]] = []
    sound.changed.connect(lambda volume, muted: heard.append((volume, muted)))
    sound.set_volume(130)
    sound.set_mute(True)
    assert [(e.volume, e.muted) for e in engines] == [(100, True), (100, True)]
    assert heard == [(100, False), (100, True)]
