"""Emoji in the transcript and the message box: an installed emoji font as a fallback family of their fonts.

Without a colour emoji font, Qt draws an emoji the text font lacks as an empty box, even when
some other installed font has it: fontconfig's fallback does not always reach it. Naming an
emoji font as the fonts' second family makes Qt look there for every character the first one
lacks. Which fonts are installed is asked once (``QFontDatabase.families``); the README names
the package to install where there is none (``fonts-noto-color-emoji``).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo
from PySide6.QtWidgets import QWidget

EMOJI_FAMILIES = (
    "Noto Color Emoji",
    "Apple Color Emoji",
    "Segoe UI Emoji",
    "Twemoji",
    "Twitter Color Emoji",
    "JoyPixels",
    "EmojiOne",
    "EmojiOne Color",
    "OpenMoji",
    "Symbola",
    "Noto Emoji",
)
"""Emoji fonts in order of preference: colour ones first, then the black and white ones that still beat a box."""


def emoji_family(available: Iterable[str]) -> str | None:
    """The emoji font to fall back to among the ``available`` families: the first of ``EMOJI_FAMILIES`` installed,
    else any whose name says emoji; None if there is none."""
    by_key = {family.casefold(): family for family in available}
    for wanted in EMOJI_FAMILIES:
        found = by_key.get(wanted.casefold())
        if found is not None:
            return found
    return next((family for key, family in sorted(by_key.items()) if "emoji" in key), None)


def with_emoji_fallback(font: QFont, family: str | None) -> QFont:
    """``font`` with ``family`` after its own families (unchanged if ``family`` is None or there already).

    The family the font really is comes before it: a generic name such as "Sans Serif" is no installed
    family, and a list of families is matched in order, so without it the emoji font would draw the
    digits and spaces it has too (Noto Color Emoji has both, for keycaps)."""
    if family is None:
        return QFont(font)
    families = font.families() or [font.family()]
    if family in families:
        return QFont(font)
    drawn_with = QFontInfo(font).family()
    result = QFont(font)
    result.setFamilies([*families, *([drawn_with] if drawn_with not in families else []), family])
    return result


def add_emoji_fallback(widgets: Iterable[QWidget], available: Iterable[str] | None = None) -> str | None:
    """Give each widget's font the installed emoji font as a fallback; the family chosen (None: none installed).
    Only the family list is set on a widget, so its font still follows the application's size."""
    family = emoji_family(QFontDatabase.families() if available is None else available)
    if family is not None:
        for widget in widgets:
            fallback = QFont()
            fallback.setFamilies(with_emoji_fallback(widget.font(), family).families())
            widget.setFont(fallback)
    return family
