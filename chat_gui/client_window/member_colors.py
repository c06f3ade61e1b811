"""Member colours: a palette of distinct hues, one per name, readable on the light and the dark palette alike.

A name's colour is a pure function of the name, so a member has the same colour in every window
and every run. The hues are spaced evenly around the OKLCH colour wheel (a perceptual one: an
even step there looks like an even step, unlike HSL, where a third of the wheel is green), and
the assigned names ``ClientNN`` take them in an order that puts neighbours far apart, so that
Client01, Client02 and Client03 never look alike; neighbours on the wheel differ in lightness as
well (``ALTERNATE_LIGHTNESS``). A chosen name takes the hue its hash picks:
two chosen names can share a colour (a fixed palette makes them the same colour, never a
confusing near match). Each hue's lightness is then moved, on each background, just as far as it
must go for text contrast (WCAG 2: 4.5:1) on that background.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re

from PySide6.QtGui import QColor, QPalette

MEMBER_HUES = 12
"""How many distinct colours members get."""

HUE_ORDER = tuple((5 * slot) % MEMBER_HUES for slot in range(MEMBER_HUES))
"""The wheel's hues in the order ClientNN names take them: 5 steps of 30 degrees apart, so
consecutive numbers are never neighbours on the wheel."""

FIRST_HUE_DEGREES = 25.0
"""Where the wheel starts (OKLCH hue): a red, so that no hue sits between two colours of one name."""

CHROMA = 0.14
"""OKLCH chroma: colourful yet reachable in sRGB at the lightness contrast needs (less where it is not)."""

MIN_TEXT_CONTRAST = 4.5
"""WCAG 2's minimum contrast for normal text (AA)."""

ALTERNATE_LIGHTNESS = 0.1
"""Every other hue on the wheel is this much further from the background (OKLCH lightness), so that neighbours on
the wheel differ in lightness too."""

_CONTRAST_MARGIN = 0.1  # rounding to 8-bit channels must not drop a colour below the minimum
_START_LIGHTNESS = 0.6  # OKLCH lightness tried first; moved away from the background until readable
_LIGHTNESS_STEP = 0.01

_ASSIGNED = re.compile(r"client0*([0-9]+)", re.IGNORECASE)


def member_slot(name: str) -> int:
    """The palette position (0 .. MEMBER_HUES - 1) of ``name``'s colour: its number for ClientNN, else its hash."""
    match = _ASSIGNED.fullmatch(name)
    if match is not None and int(match.group(1)) > 0:
        return HUE_ORDER[(int(match.group(1)) - 1) % MEMBER_HUES]
    digest = hashlib.blake2s(name.encode("utf-8"), digest_size=4).digest()
    return int.from_bytes(digest) % MEMBER_HUES


def member_hue_degrees(slot: int) -> float:
    """The OKLCH hue, in degrees, of palette position ``slot``."""
    return (FIRST_HUE_DEGREES + slot * 360.0 / MEMBER_HUES) % 360.0


def member_color(name: str, palette: QPalette, behind: QColor | None = None) -> QColor:
    """The colour of ``name``'s text or mark on ``palette``'s base (and on ``behind`` too, a bubble drawn over it),
    with at least ``MIN_TEXT_CONTRAST`` against each."""
    base = palette.color(QPalette.ColorRole.Base)
    backgrounds = (base.rgb(),) if behind is None else (base.rgb(), behind.rgb())
    return QColor.fromRgb(_readable_rgb(member_slot(name), backgrounds))


def relative_luminance(color: QColor) -> float:
    """WCAG 2's relative luminance of an sRGB colour (0: black, 1: white)."""
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4
    return 0.2126 * linear(color.redF()) + 0.7152 * linear(color.greenF()) + 0.0722 * linear(color.blueF())


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2's contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@functools.lru_cache(maxsize=256)
def _readable_rgb(slot: int, backgrounds: tuple[int, ...]) -> int:
    """The slot's colour (as 0xAARRGGBB) lightened or darkened until it reads on every background."""
    colors = [QColor.fromRgb(rgb) for rgb in backgrounds]
    darker = relative_luminance(colors[0]) > 0.18  # a light base: darken; a dark one: lighten
    hue = math.radians(member_hue_degrees(slot))
    lightness = _START_LIGHTNESS
    best = QColor("black" if darker else "white")
    step = -_LIGHTNESS_STEP if darker else _LIGHTNESS_STEP
    while 0.0 <= lightness <= 1.0:
        candidate = _oklch(lightness, CHROMA, hue)
        if all(contrast_ratio(candidate, c) >= MIN_TEXT_CONTRAST + _CONTRAST_MARGIN for c in colors):
            best = candidate
            if slot % 2:  # further from the background: more contrast still, and unlike its neighbours
                further = _oklch(min(1.0, max(0.0, lightness + math.copysign(ALTERNATE_LIGHTNESS, step))), CHROMA, hue)
                if all(contrast_ratio(further, c) >= contrast_ratio(candidate, c) for c in colors):
                    best = further
            break
        lightness += step
    return best.rgb()


def _oklch(lightness: float, chroma: float, hue: float) -> QColor:
    """An sRGB colour from OKLCH (hue in radians), with the chroma reduced until it fits sRGB."""
    low, high = 0.0, chroma
    rgb = _oklab_to_srgb(lightness, 0.0, 0.0)
    for _ in range(20):  # bisect the largest chroma in gamut
        middle = (low + high) / 2
        trial = _oklab_to_srgb(lightness, middle * math.cos(hue), middle * math.sin(hue))
        if all(0.0 <= c <= 1.0 for c in trial):
            low, rgb = middle, trial
        else:
            high = middle
    full = _oklab_to_srgb(lightness, chroma * math.cos(hue), chroma * math.sin(hue))
    if all(0.0 <= c <= 1.0 for c in full):
        rgb = full
    return QColor.fromRgbF(*(min(1.0, max(0.0, c)) for c in rgb))


def _oklab_to_srgb(lightness: float, a: float, b: float) -> tuple[float, float, float]:
    """OKLab to gamma-encoded sRGB (Björn Ottosson's published matrices); channels may fall outside 0..1."""
    l_ = (lightness + 0.3963377774 * a + 0.2158037573 * b) ** 3
    m_ = (lightness - 0.1055613458 * a - 0.0638541728 * b) ** 3
    s_ = (lightness - 0.0894841775 * a - 1.2914855480 * b) ** 3
    linear = (4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_,
              -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_,
              -0.0041960863 * l_ - 0.7034186147 * m_ + 1.7076147010 * s_)
    return tuple(_encode(c) for c in linear)  # type: ignore[return-value]


def _encode(channel: float) -> float:
    if channel <= 0.0031308:
        return 12.92 * channel
    return 1.055 * channel ** (1 / 2.4) - 0.055
