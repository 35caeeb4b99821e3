"""The rhythm plot of a film, Cinemetrics style: shot lengths over the film's time.

Each shot is a bar hanging from the top axis (Cinemetrics draws lengths downward), as wide as
the shot lasts and as deep as it is long, coloured by the transition that begins it; the
average (ASL) and median shot lengths are lines across; under the bars a strip marks every
transition where it happens (a tick for a cut, a span for a gradual one). One layout of plain
shapes is drawn twice: written as SVG text by hand (no plotting library) or painted into a PNG
by Pillow, so the two files show the same picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from critique_app.domain.rhythm import (
    CUT,
    DISSOLVE,
    FADE_IN,
    FADE_OUT,
    KINDS,
    MORPH,
    ShotStatistics,
    Transition,
    kind_name,
    shot_boundaries,
)
from critique_app.errors import UserError
from critique_app.i18n import _, format_number

WIDTH, HEIGHT = 1000, 380
LEFT, RIGHT, TOP = 64, 130, 48
PLOT_HEIGHT = 220  # the bars' depth for the longest shot
STRIP = 18  # the transitions' strip under the bars
BACKGROUND, INK, GRID, BAR = "#ffffff", "#222222", "#d8dde3", "#8795a5"
COLOURS = {
    CUT: "#46566a",
    DISSOLVE: "#2a7fd4",
    FADE_OUT: "#8a5a00",
    FADE_IN: "#d49a2a",
    MORPH: "#c0307a",
}
FORMATS = (".svg", ".png")


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    dashed: bool = False


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"  # start | middle | end, as SVG says it
    size: int = 12


Shape = Rect | Line | Text


def _seconds(value: float) -> str:
    return _("{seconds} s").format(seconds=format_number(round(value, 1)))


def _step(span: float, ticks: int) -> float:
    """A round tick step (1, 2, 5 x 10^k) giving about `ticks` ticks over `span`."""
    raw = max(span / ticks, 1e-9)
    scale = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1.0
    for m in (1, 2, 5, 10):
        if raw <= m * scale:
            return m * scale
    return 10 * scale


def layout(
    title: str,
    spans: list[tuple[int, int]],
    transitions: list[Transition],
    statistics: ShotStatistics,
    rate: Fraction,
) -> list[Shape]:
    """The plot as shapes on a WIDTH x HEIGHT page, y downward."""
    frames = spans[-1][1] + 1 if spans else 1
    duration = float(Fraction(frames) / rate)
    width = WIDTH - LEFT - RIGHT
    longest = max(statistics.longest_seconds, 1e-9)
    depth_step = _step(longest, 4)
    deepest = depth_step * (int(longest / depth_step) + 1)

    def x(frame: float) -> float:
        return LEFT + width * frame / frames

    def y(seconds: float) -> float:
        return TOP + PLOT_HEIGHT * seconds / deepest

    shapes: list[Shape] = [Rect(0, 0, WIDTH, HEIGHT, BACKGROUND), Text(LEFT, 24, title, size=15)]
    tick = _step(deepest, 4)
    level = 0.0
    while level <= deepest + 1e-9:  # depth grid, labelled on the left
        shapes += [
            Line(LEFT, y(level), LEFT + width, y(level), GRID),
            Text(LEFT - 6, y(level) + 4, _seconds(level), anchor="end", size=10),
        ]
        level += tick
    starts = dict(shot_boundaries(transitions))
    for first, last in spans:
        length = float(Fraction(last - first + 1) / rate)
        colour = COLOURS[starts[first].kind] if first in starts else BAR
        left, right = x(first), x(last + 1)
        shapes.append(Rect(left, TOP, max(right - left - 1, 1), y(length) - TOP, colour))
    label_at = -100.0
    for value, label in sorted(
        (
            (statistics.asl_seconds, _("ASL {value}")),
            (statistics.median_seconds, _("median {value}")),
        ),
        key=lambda pair: pair[0],
    ):  # the lines across, labelled in the right margin (never two labels on one another)
        label_at = max(y(value) + 4, label_at + 14)
        shapes += [
            Line(LEFT, y(value), LEFT + width, y(value), INK, dashed=True),
            Text(LEFT + width + 6, label_at, label.format(value=_seconds(value)), size=11),
        ]
    strip = TOP + PLOT_HEIGHT + 10
    shapes.append(Line(LEFT, strip + STRIP, LEFT + width, strip + STRIP, INK))
    for t in transitions:
        colour = COLOURS[t.kind]
        if t.kind == CUT:
            shapes.append(Line(x(t.start_frame), strip, x(t.start_frame), strip + STRIP, colour))
        else:
            left = x(t.start_frame)
            shapes.append(Rect(left, strip, max(x(t.end_frame + 1) - left, 3), STRIP, colour))
    step = _step(duration, 8)
    second = 0.0
    while second <= duration + 1e-9:  # time axis under the strip
        at = LEFT + width * second / duration if duration else LEFT
        shapes += [
            Line(at, strip + STRIP, at, strip + STRIP + 5, INK),
            Text(at, strip + STRIP + 18, _clock(second), anchor="middle", size=10),
        ]
        second += step
    legend_y = HEIGHT - 14
    at = LEFT
    for kind in KINDS:
        shapes += [
            Rect(at, legend_y - 10, 12, 12, COLOURS[kind]),
            Text(at + 16, legend_y, kind_name(kind), size=11),
        ]
        at += 110
    return shapes


def _clock(seconds: float) -> str:
    """Minutes:seconds of film time, as a player's counter shows it."""
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def to_svg(shapes: list[Shape]) -> str:
    """The shapes as a standalone SVG document (every text escaped)."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif">'
    ]
    for s in shapes:
        if isinstance(s, Rect):
            out.append(
                f'<rect x="{s.x:.2f}" y="{s.y:.2f}" width="{s.w:.2f}" height="{s.h:.2f}" '
                f'fill="{s.fill}"/>'
            )
        elif isinstance(s, Line):
            dash = ' stroke-dasharray="6 4"' if s.dashed else ""
            out.append(
                f'<line x1="{s.x1:.2f}" y1="{s.y1:.2f}" x2="{s.x2:.2f}" y2="{s.y2:.2f}" '
                f'stroke="{s.stroke}"{dash}/>'
            )
        else:
            out.append(
                f'<text x="{s.x:.2f}" y="{s.y:.2f}" font-size="{s.size}" '
                f'text-anchor="{s.anchor}" fill="{INK}">{escape(s.text)}</text>'
            )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def to_png(shapes: list[Shape], path: Path | BinaryIO) -> None:
    """The shapes painted by Pillow (into a file, or a handout's buffer)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    fonts: dict[int, ImageFont.ImageFont | ImageFont.FreeTypeFont] = {}
    for s in shapes:
        if isinstance(s, Rect):
            draw.rectangle((s.x, s.y, s.x + s.w - 1, s.y + s.h - 1), fill=s.fill)
        elif isinstance(s, Line):
            if s.dashed:  # Pillow draws no dashes: 6 on, 4 off along the line
                length = max(abs(s.x2 - s.x1), abs(s.y2 - s.y1))
                at = 0.0
                while at < length:
                    a, b = at / length, min(at + 6, length) / length
                    draw.line(_along(s, a) + _along(s, b), fill=s.stroke)
                    at += 10
            else:
                draw.line((s.x1, s.y1, s.x2, s.y2), fill=s.stroke)
        else:
            if s.size not in fonts:
                fonts[s.size] = ImageFont.load_default(size=s.size)
            font = fonts[s.size]
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[s.anchor]
            draw.text((s.x, s.y), s.text, fill=INK, font=font, anchor=anchor)
    image.save(path, format="PNG")


def _along(line: Line, share: float) -> tuple[float, float]:
    return (line.x1 + (line.x2 - line.x1) * share, line.y1 + (line.y2 - line.y1) * share)


def write_rhythm_plot(
    path: str | Path,
    title: str,
    spans: list[tuple[int, int]],
    transitions: list[Transition],
    statistics: ShotStatistics,
    rate: Fraction,
) -> Path:
    """Write the plot as SVG or PNG, chosen by the file's suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UserError(
            _("A rhythm plot is written as .svg or .png, not {suffix}.").format(
                suffix=suffix or _("a name without a suffix")
            )
        )
    shapes = layout(title, spans, transitions, statistics, rate)
    try:
        if suffix == ".svg":
            path.write_text(to_svg(shapes), encoding="utf-8")
        else:
            to_png(shapes, path)
    except OSError as err:
        raise UserError(
            _("The rhythm plot cannot be written to {path} ({reason}).").format(
                path=path, reason=err.strerror or err
            )
        ) from err
    return path


def rhythm_png(
    title: str,
    spans: list[tuple[int, int]],
    transitions: list[Transition],
    statistics: ShotStatistics,
    rate: Fraction,
) -> bytes:
    """The plot `shots --plot OUT.png` writes, as PNG bytes (a handout embeds it)."""
    import io

    buffer = io.BytesIO()
    to_png(layout(title, spans, transitions, statistics, rate), buffer)
    return buffer.getvalue()
