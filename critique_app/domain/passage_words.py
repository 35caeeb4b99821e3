"""How a matched passage shows its library item, in one sentence a jury reads: played forward
or backwards and at what speed, or one library frame held still.

One function for the window's Matches panel and `match`'s text output, so they never tell
two stories; `match --json` keeps the codes (`order`, `speed`, `held_frames`,
`library_still`).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Protocol

from critique_app.i18n import _, format_number, ngettext

# how a passage shows its item (provenance.source_path finds it; `match --json` writes it)
FORWARD, REVERSED, HELD = "forward", "reversed", "held"


class Passage(Protocol):
    """What a matched passage says of its item (provenance.matching.MatchSegment)."""

    @property
    def order(self) -> str: ...
    @property
    def speed(self) -> float: ...  # library frames per film frame
    @property
    def held_frames(self) -> int: ...
    @property
    def item_start(self) -> int: ...
    @property
    def item_end(self) -> int: ...
    @property
    def library_still(self) -> bool: ...  # item_start..item_end show one still picture


def playback_sentence(
    passage: Passage, *, film_rate: Fraction | None, item_rate: Fraction | None, still: bool
) -> str:
    """The sentence says the speed in the item's own time (a 24 fps item in a 30 fps copy,
    at 0.8 library frames per film frame, plays at its speed)."""
    order, speed, held_frames = passage.order, passage.speed, passage.held_frames
    item_start, item_end = passage.item_start, passage.item_end
    seconds = format_number(round(float(held_frames / film_rate), 2)) if film_rate else "?"
    if still:
        return ngettext(
            "Shows the library still for {seconds} s ({count} film frame).",
            "Shows the library still for {seconds} s ({count} film frames).",
            held_frames,
        ).format(seconds=seconds, count=held_frames)
    if passage.library_still:
        return ngettext(
            "Library frames {first}–{last} show one still picture; this passage shows it for "
            "{seconds} s ({count} film frame).",
            "Library frames {first}–{last} show one still picture; this passage shows it for "
            "{seconds} s ({count} film frames).",
            held_frames,
        ).format(first=item_start, last=item_end, seconds=seconds, count=held_frames)
    if order == HELD:
        return ngettext(
            "Holds library frame {frame} still for {seconds} s ({count} film frame).",
            "Holds library frame {frame} still for {seconds} s ({count} film frames).",
            held_frames,
        ).format(frame=item_start, seconds=seconds, count=held_frames)
    times = speed * float(film_rate / item_rate) if film_rate and item_rate else speed
    pace = format_number(round(times, 2))
    if order == REVERSED:
        return _(
            "Plays library frames {last} back to {first} backwards, at {speed}× their speed."
        ).format(first=item_start, last=item_end, speed=pace)
    return _("Plays library frames {first} to {last} forward, at {speed}× their speed.").format(
        first=item_start, last=item_end, speed=pace
    )
