"""How a passage shows its item, said in one sentence (the window and `match` share it)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from critique_app.domain.passage_words import FORWARD, HELD, REVERSED, playback_sentence


@dataclass(frozen=True)
class Passage:
    order: str
    speed: float
    held_frames: int
    item_start: int
    item_end: int
    library_still: bool = False


def test_speed_is_said_in_the_items_own_time() -> None:
    # a 24 fps item blended into a 30 fps copy moves 0.8 library frames per film frame
    said = playback_sentence(
        Passage(FORWARD, 0.8, 1, 10, 90),
        film_rate=Fraction(30),
        item_rate=Fraction(24),
        still=False,
    )
    assert said == "Plays library frames 10 to 90 forward, at 1× their speed."


def test_reversed_held_and_still_passages() -> None:
    rates = {"film_rate": Fraction(24), "item_rate": Fraction(24)}
    backwards = playback_sentence(Passage(REVERSED, 0.5, 2, 3, 40), **rates, still=False)
    assert backwards == "Plays library frames 40 back to 3 backwards, at 0.5× their speed."
    held = playback_sentence(Passage(HELD, 0.0, 72, 20, 20), **rates, still=False)
    assert held == "Holds library frame 20 still for 3 s (72 film frames)."
    still = playback_sentence(
        Passage(HELD, 0.0, 1, 0, 0), film_rate=Fraction(25), item_rate=None, still=True
    )
    assert still == "Shows the library still for 0.04 s (1 film frame)."


def test_a_passage_inside_a_library_still_is_said_with_the_stills_frames() -> None:
    shown = Passage(HELD, 0.0, 62, 126, 206, library_still=True)
    said = playback_sentence(shown, film_rate=Fraction(24), item_rate=Fraction(24), still=False)
    assert said == (
        "Library frames 126–206 show one still picture; this passage shows it for 2.58 s "
        "(62 film frames)."
    )
