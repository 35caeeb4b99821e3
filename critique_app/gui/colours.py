"""The colours the window paints with outside its stylesheets, one small palette per theme.

Table cells, verdict badges and timeline labels are painted from here (the stylesheets in
resources/qss hold the rest), so tests/gui/test_contrast.py can check every text/background
pair against WCAG AA (4.5:1) in every theme. The theme is the one the application applied
(gui/theme.py sets the `critique_theme` property); dark when none was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PyQt6.QtWidgets import QApplication

from critique_app.domain.rhythm import CUT, DISSOLVE, FADE_IN, FADE_OUT, MORPH

BLACK, WHITE = "#000000", "#ffffff"


@dataclass(frozen=True)
class Palette:
    """Colours that depend on the theme: those drawn over the theme's own backgrounds."""

    text: str  # ordinary text of tables and lists
    view: str  # the background of tables and lists
    view_alternate: str
    muted: str  # notes and captions: quieter, still readable
    error: str
    success: str
    # the screening table's "Why" column: rank -> (background, text)
    why: dict[int, tuple[str, str]] = field(default_factory=dict)
    # an annotation's status in the table, drawn over `view`
    status: dict[str, str] = field(default_factory=dict)
    conflict: str = ""

    def pairs(self) -> list[tuple[str, str, str]]:
        """(what, text, background) for every pair painted with this palette."""
        out = [("text", self.text, self.view), ("alternate rows", self.text, self.view_alternate)]
        for background in (self.view, self.view_alternate):
            out += [("muted", self.muted, background), ("error", self.error, background),
                    ("success", self.success, background), ("conflict", self.conflict, background)]  # fmt: skip
            out += [(f"status {k}", c, background) for k, c in self.status.items()]
        out += [(f"why rank {rank}", fg, bg) for rank, (bg, fg) in self.why.items()]
        return out


DARK = Palette(
    text="#d5d8dd",
    view="#17191c",
    view_alternate="#1c1f23",
    muted="#9aa0a9",
    error="#f07178",
    success="#9fd3a8",
    why={  # deep tints under light text: red for invalid, amber for AI, grey for unchecked
        0: ("#5c1f24", "#fbe9ea"),
        1: ("#5c1f24", "#fbe9ea"),
        2: ("#5a3d12", "#fdf1de"),
        3: ("#5a3d12", "#fdf1de"),
        4: ("#3a3f47", "#eceef1"),
    },
    status={"declared": "#7fb2e5", "observed": "#9fd3a8", "contested": "#f0a35a"},
    conflict="#f07178",
)

LIGHT = Palette(
    text="#1d2126",
    view="#ffffff",
    view_alternate="#eef0f3",
    muted="#4a5059",
    error="#a1232b",
    success="#1a6b43",
    why={  # pale tints under dark text
        0: ("#fbd5d5", "#3d0a0e"),
        1: ("#fbd5d5", "#3d0a0e"),
        2: ("#fde8c8", "#3d2600"),
        3: ("#fde8c8", "#3d2600"),
        4: ("#e6e6e6", "#1d2126"),
    },
    status={"declared": "#1f5d99", "observed": "#1a6b43", "contested": "#8a4b00"},
    conflict="#a1232b",
)

THEMES: dict[str, Palette] = {"dark": DARK, "light": LIGHT}


def current() -> Palette:
    """The palette of the theme the application shows (dark when none was applied)."""
    app = QApplication.instance()
    name = app.property("critique_theme") if app is not None else None
    return THEMES.get(str(name or "dark"), DARK)


# Verdict badges of the provenance panel: white words on their own colour, in every theme.
BADGE_TEXT = WHITE
BADGE_COLOURS = {
    "ok": "#2e7d32",
    "untrusted_signer": "#8a5a00",
    "tampered": "#c62828",
    "expired_credential": "#b23c17",
    "revoked": "#c62828",
    "malformed": "#8e24aa",
    "ingredient_invalid": "#a84300",
    "sidecar_without_asset": "#616161",
    "not_revalidated": "#546e7a",
    "manifest_missing": "#a84300",
    "remote_manifest": "#546e7a",
    "unreadable": "#616161",
    "no_manifest": "#616161",
}
BADGE_UNKNOWN = "#616161"

# The timeline paints its own dark surface whatever the theme (NLE-like).
TIMELINE_BACKGROUND = "#1b1d21"
TIMELINE_HEADER = "#23262b"
TIMELINE_RULER = "#202329"
TIMELINE_TEXT = "#c9ccd2"
TIMELINE_DIM = "#9aa0a9"

# The montage lens's bars (the Rhythm lane, Compare the rhythm): the kind of the transition
# that begins a shot, light enough to stand out on the timeline's dark surface. The first shot
# of a film begins with no transition: grey.
TRANSITION_COLOURS = {
    CUT: "#8fa3bd",
    DISSOLVE: "#4fa3ff",
    FADE_OUT: "#c98a1e",
    FADE_IN: "#f0c060",
    MORPH: "#e0559a",
}
FIRST_SHOT = "#5d636d"


def transition_colour(kind: str | None) -> str:
    """The colour of a shot begun by a transition of this kind (None: the film's first)."""
    return TRANSITION_COLOURS.get(kind, FIRST_SHOT) if kind else FIRST_SHOT


def label_on(background: str) -> str:
    """Black or white, whichever reads better on `background` (a '#rrggbb' colour). One of
    the two always reaches at least 4.58:1, so labels on any category colour pass WCAG AA."""
    lum = luminance(background)
    return BLACK if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else WHITE


def luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of '#rrggbb' (or '#rgb')."""
    h = colour.strip().lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG 2.x contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
