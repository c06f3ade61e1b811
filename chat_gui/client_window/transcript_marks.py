"""What the transcript marks for this member: a message that mentions it (an amber bubble with a stripe at its left
edge) and the "new messages" line above the first message not read yet. Colours come from the palette: the amber is
lighter on a dark one, and the bubble's tint keeps the text readable (WCAG 4.5:1) on both."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QWidget

from chat_gui.client_window.member_colors import MIN_TEXT_CONTRAST, contrast_ratio

MENTION_HUE = 40  # amber: a message that mentions this member
MENTION_TINT_LIGHT = 0.5  # how far its bubble is tinted towards a pale amber (light palette) or a deep one (dark)
MENTION_TINT_DARK = 0.6
MENTION_BUBBLE_SATURATION = 200
MENTION_BUBBLE_LIGHT = 215  # the pale amber's HSL lightness
MENTION_BUBBLE_DARK = 45  # the deep amber's
TINT_STEPS = 10  # the tint is lessened in these steps until the text reads on it
CONTRAST_MARGIN = 0.1  # rounding to 8-bit channels must not drop the text below the minimum
MENTION_STRIPE = 4  # the width of the amber stripe at its bubble's left edge
NEW_MESSAGES_HUE = 0  # the "new messages" line: red, as the unread badges' urgency
NEW_MESSAGES_PEN = 2
LABEL_SCALE = 0.86  # the line's label, relative to the view's font
LABEL_PAD = 8


def _dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * amount, a.greenF() + (b.greenF() - a.greenF()) * amount,
                           a.blueF() + (b.blueF() - a.blueF()) * amount)


def _tone(hue: int, palette: QPalette) -> QColor:
    return QColor.fromHsl(hue, 150, 175 if _dark(palette) else 85)


def mention_accent(palette: QPalette) -> QColor:
    """The amber that marks a message mentioning this member, readable on the palette's base."""
    return _tone(MENTION_HUE, palette)


def mention_badge_ink(palette: QPalette) -> QColor:
    """The text on the amber (the sidebar's "@" badge): black or white, whichever reads better on it."""
    accent = mention_accent(palette)
    return QColor("black") if accent.lightnessF() >= 0.5 else QColor("white")


def mention_bubble(palette: QPalette) -> QColor:
    """The bubble of a message that mentions this member: the base tinted towards an amber on the far side from the
    text (a pale one on a light palette, a deep one on a dark palette), as far as the text stays readable on it."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    dark = _dark(palette)
    lightness = MENTION_BUBBLE_DARK if dark else MENTION_BUBBLE_LIGHT
    amber = QColor.fromHsl(MENTION_HUE, MENTION_BUBBLE_SATURATION, lightness)
    tint = MENTION_TINT_DARK if dark else MENTION_TINT_LIGHT
    for step in range(TINT_STEPS, 0, -1):
        candidate = _mix(base, amber, tint * step / TINT_STEPS)
        if contrast_ratio(text, candidate) >= MIN_TEXT_CONTRAST + CONTRAST_MARGIN:
            return candidate
    return base


def draw_mention_stripe(painter: QPainter, bubble: QRect, radius: int, palette: QPalette) -> None:
    """The stripe at a mentioning message's left edge: the mark does not rest on its tint alone."""
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(mention_accent(palette))
    painter.drawRoundedRect(QRect(bubble.left(), bubble.top() + radius // 2, MENTION_STRIPE, bubble.height() - radius),
                            MENTION_STRIPE / 2, MENTION_STRIPE / 2)


def new_messages_label() -> str:
    return QCoreApplication.translate("TranscriptView", "New messages")


def draw_new_messages(viewport: QWidget, y: int, font: QFont) -> None:
    """The "new messages" line across ``viewport`` at ``y`` (the top of the first unread message), labelled at its
    right end."""
    painter = QPainter(viewport)
    small = QFont(font)
    if small.pointSizeF() > 0:
        small.setPointSizeF(small.pointSizeF() * LABEL_SCALE)
    small.setBold(True)
    painter.setFont(small)
    label = new_messages_label()
    fm = QFontMetrics(small)
    label_width = fm.horizontalAdvance(label) + LABEL_PAD
    label_rect = QRect(viewport.width() - label_width - LABEL_PAD, y - fm.height() // 2, label_width, fm.height())
    painter.setPen(QPen(_tone(NEW_MESSAGES_HUE, viewport.palette()), NEW_MESSAGES_PEN))
    painter.drawLine(0, y, label_rect.left() - LABEL_PAD // 2, y)
    painter.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, label)
    painter.end()
