"""A film's frame count from its container's index, where that index is exact.

MP4 and MOV list every sample of a track in their index (the 'stts'/'stsz' tables), which
FFmpeg hands over as the stream's index entries: counting them costs no reading of the
film. It is exact only when each listed sample is a shown frame at a steady pace, so any
doubt sends probe back to reading every packet (media/packets.py): an edit list that hides
frames or leaves samples out, a variable frame rate, an index that does not list the samples
the header announces (fragmented files) or points past the end of the file (a copy cut short).
"""

from __future__ import annotations

from dataclasses import dataclass

import av


@dataclass(frozen=True)
class IndexCount:
    """What the index says about the stream (time values in the stream's time base)."""

    frames: int
    span: int  # from the first frame's time to the last one's
    frame_duration: int  # the steady step between frames (the last frame lasts as long)


@dataclass(frozen=True)
class NoIndexCount:
    """Why the index cannot be trusted for this file: a reason for the user."""

    reason: str  # key of probe's sentences: 'format', 'partial', 'edit_list', 'variable', 'cut'


def count_from_index(
    container: av.container.InputContainer, stream: av.VideoStream, file_size: int
) -> IndexCount | NoIndexCount:
    """The frame count from the index when it is exact, else why it is not."""
    if "mov" not in container.format.name.split(","):
        return NoIndexCount("format")  # Matroska, WebM, AVI, MPEG-TS: keyframes only, or none
    declared = stream.frames or 0
    entries = stream.index_entries
    if declared <= 0 or not len(entries):
        return NoIndexCount("partial")  # fragmented MP4: the index grows while reading
    # one pass in plain Python (a two-hour film has 172,800 entries, about 0.2 s): NumPy
    # would cost more to import than it saves here, and `probe` starts in a fresh process
    rows = [(entry.timestamp, entry.is_discard, entry.pos + entry.size) for entry in entries]
    stamps, discards, ends = zip(*rows, strict=True)
    hidden, end = any(discards), max(ends)
    if hidden or len(entries) < declared:
        # hidden frames, or samples before the edit's keyframe left out of the index: what is
        # shown is for the packets to say
        return NoIndexCount("edit_list")
    if len(entries) != declared:
        return NoIndexCount("partial")
    if end > file_size:
        return NoIndexCount("cut")
    if declared == 1:
        return IndexCount(1, 0, int(stream.duration or 0))
    span = stamps[-1] - stamps[0]
    steps = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
    typical = span / (declared - 1)
    # the same tolerance as probe's: a coarse time base rounds a steady rate by one tick
    tolerance = max(1.5, 0.02 * typical)
    if typical <= 0 or max(steps) - typical > tolerance or typical - min(steps) > tolerance:
        return NoIndexCount("variable")
    return IndexCount(declared, span, round(typical))
