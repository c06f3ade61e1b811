"""Member colours: distinct hues, stable per name, readable (WCAG 4.5:1) on light and dark palettes."""

from __future__ import annotations

import itertools
import math

import pytest
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from chat_gui.client_window.member_colors import (
    MEMBER_HUES,
    MIN_TEXT_CONTRAST,
    contrast_ratio,
    member_color,
    member_hue_degrees,
    member_slot,
)
from chat_gui.client_window.transcript import Entry, EntryKind
from chat_gui.client_window.transcript_view import _bubble_color

ASSIGNED = [f"Client{n:02d}" for n in range(1, MEMBER_HUES + 1)]
CHOSEN = ["alice", "bob", "carol", "dave", "eve", "frank", "grace", "heidi", "Jürgen", "李雷", "Zoë", "o'brien"]
MIN_DISTANCE = 0.08
"""The smallest OKLab distance between two members' colours: well beyond a just noticeable difference (about 0.02)."""


def palette(base: str, text: str) -> QPalette:
    result = QPalette()
    result.setColor(QPalette.ColorRole.Base, QColor(base))
    result.setColor(QPalette.ColorRole.Text, QColor(text))
    return result


# Light: white, and the grey some themes use; dark: Fusion's and two common editor-like dark bases.
PALETTES = {
    "white": palette("#ffffff", "#000000"),
    "light grey": palette("#efefef", "#1a1a1a"),
    "dark (Fusion)": palette("#2a2a2a", "#ffffff"),
    "very dark": palette("#121212", "#e0e0e0"),
    "dark grey": palette("#3c3f41", "#bbbbbb"),
}


def oklab(color: QColor) -> tuple[float, float, float]:
    """sRGB to OKLab (Björn Ottosson's matrices), to measure how different two colours look."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = linear(color.redF()), linear(color.greenF()), linear(color.blueF())
    l_ = (0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b) ** (1 / 3)
    m_ = (0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b) ** (1 / 3)
    s_ = (0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b) ** (1 / 3)
    return (0.2104542553 * l_ + 0.7936177850 * m_ - 0.0040720468 * s_,
            1.9779984951 * l_ - 2.4285922050 * m_ + 0.4505937099 * s_,
            0.0259040371 * l_ + 0.7827717662 * m_ - 0.8086757660 * s_)


def test_the_contrast_ratio_is_wcag_s() -> None:
    assert contrast_ratio(QColor("black"), QColor("white")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("#777777")) == pytest.approx(1.0)
    assert contrast_ratio(QColor("#767676"), QColor("white")) == pytest.approx(4.54, abs=0.01)  # the usual AA grey


@pytest.mark.parametrize("name", list(PALETTES))
def test_every_member_colour_reads_at_4_5_to_1_on_the_base_and_on_a_bubble(name: str) -> None:
    pal = PALETTES[name]
    bubble = _bubble_color(Entry(EntryKind.OTHER, "hi", 0.0, sender="x"), pal)
    base = pal.color(QPalette.ColorRole.Base)
    for member in ASSIGNED + CHOSEN:
        on_base = member_color(member, pal)
        on_bubble = member_color(member, pal, bubble)
        assert contrast_ratio(on_base, base) >= MIN_TEXT_CONTRAST, (member, on_base.name())
        assert contrast_ratio(on_bubble, bubble) >= MIN_TEXT_CONTRAST, (member, on_bubble.name())
        assert contrast_ratio(on_bubble, base) >= MIN_TEXT_CONTRAST, (member, on_bubble.name())


def test_the_running_application_s_palette_gets_readable_colours_too() -> None:
    pal = QGuiApplication.palette()
    for member in ASSIGNED:
        assert contrast_ratio(member_color(member, pal), pal.color(QPalette.ColorRole.Base)) >= MIN_TEXT_CONTRAST


@pytest.mark.parametrize("name", list(PALETTES))
def test_twelve_assigned_names_get_twelve_clearly_different_colours(name: str) -> None:
    colours = [member_color(member, PALETTES[name]) for member in ASSIGNED]
    assert len({member_slot(member) for member in ASSIGNED}) == MEMBER_HUES
    closest = min(math.dist(oklab(a), oklab(b)) for a, b in itertools.combinations(colours, 2))
    assert closest >= MIN_DISTANCE, f"two member colours are only {closest:.3f} apart"


def test_consecutive_assigned_names_are_far_apart_on_the_wheel() -> None:
    # Client01, Client02, Client03 (the demo's three) were once three greens.
    for first, second in itertools.pairwise(ASSIGNED + ASSIGNED[:1]):
        gap = abs(member_hue_degrees(member_slot(first)) - member_hue_degrees(member_slot(second))) % 360
        assert min(gap, 360 - gap) >= 90, (first, second)
    assert member_slot("Client13") == member_slot("Client01")  # the wheel repeats after twelve
    assert member_slot("client02") == member_slot("Client02")


def test_a_name_s_colour_is_the_same_in_every_window_and_every_run() -> None:
    # A digest of the name, not Python's hash() (which changes per run): these numbers never change.
    assert [member_slot(name) for name in CHOSEN[:6]] == [11, 1, 5, 7, 1, 7]
    assert member_color("alice", PALETTES["white"]).name() == member_color("alice", palette("#ffffff", "#000")).name()
    # One hue, lighter on a dark base.
    on_dark, on_light = member_color("alice", PALETTES["dark (Fusion)"]), member_color("alice", PALETTES["white"])
    assert on_dark.lightness() > on_light.lightness()


def test_chosen_names_share_a_colour_only_exactly_never_nearly() -> None:
    # Twelve colours for any number of names: two chosen names may share one, but then it is the same colour,
    # and any two different colours are clearly apart.
    pal = PALETTES["white"]
    colours = {member_color(name, pal).name() for name in CHOSEN}
    for a, b in itertools.combinations(colours, 2):
        assert math.dist(oklab(QColor(a)), oklab(QColor(b))) >= MIN_DISTANCE
