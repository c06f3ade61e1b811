"""A file card inside a message's bubble: where its parts go, how it is drawn, and which button a click is on.

The card (file_card.py's state) sits between the bubble's header and its caption: a glyph with the file's
extension, the name and its details (size and type), the thumbnail of an image, then a row of buttons (Save,
Open), or, while a transfer runs, a progress bar with the bytes, speed and time left and Cancel; an expired file
says so and has no buttons. Buttons and the bar are drawn by the style, as real ones would be. The transcript's
delegate (transcript_view.py) leaves the card's room in the bubble and calls ``paint_card``; a click on the view
asks ``card_action_at``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePath

from PySide6.QtCore import QCoreApplication, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionButton, QStyleOptionProgressBar, QWidget

from chat_gui.client_window.file_card import FileCard

CARD_WIDTH = 300
"""A card's width at most (narrower in a narrow bubble)."""
CARD_PAD = 8
CARD_GAP = 6  # between the card's rows
CARD_RADIUS = 6
GLYPH_WIDTH = 30
BUTTON_PAD_X = 12
BUTTON_PAD_Y = 5
BAR_HEIGHT = 8
THUMBNAIL_WIDTH = CARD_WIDTH - 2 * CARD_PAD
"""The width thumbnails are made at: the widest card's inside."""

translate = QCoreApplication.translate


class CardAction(StrEnum):
    """A card's buttons."""

    SAVE = "save"
    OPEN = "open"
    CANCEL = "cancel"


def action_text(action: CardAction) -> str:
    match action:
        case CardAction.SAVE:
            return translate("FileCard", "Save…")
        case CardAction.OPEN:
            return translate("FileCard", "Open")
        case CardAction.CANCEL:
            return translate("FileCard", "Cancel")


@dataclass(slots=True)
class CardGeometry:
    """Where a card's parts go, in the row's coordinates."""

    rect: QRect
    glyph: QRect
    name: QRect
    details: QRect
    thumbnail: QRect = field(default_factory=QRect)
    bar: QRect = field(default_factory=QRect)
    status: QRect = field(default_factory=QRect)  # the progress words, "expired", or why the last transfer failed
    buttons: dict[CardAction, QRect] = field(default_factory=dict)


def card_actions(card: FileCard) -> list[CardAction]:
    """The buttons a card shows now."""
    if card.running:
        return [CardAction.CANCEL]
    if card.file is None or card.expired:
        return []
    return [CardAction.SAVE, CardAction.OPEN]


def card_width(inner_max: int) -> int:
    return min(inner_max, CARD_WIDTH)


def layout_card(card: FileCard, left: int, top: int, width: int, small: QFont, bold: QFont) -> CardGeometry:
    """The card's parts for a card ``width`` wide with its top left corner at (``left``, ``top``)."""
    small_fm, bold_fm = QFontMetrics(small), QFontMetrics(bold)
    x, y, inner = left + CARD_PAD, top + CARD_PAD, width - 2 * CARD_PAD
    text_x = x + GLYPH_WIDTH + CARD_PAD
    glyph = QRect(x, y, GLYPH_WIDTH, bold_fm.height() + small_fm.height() + 2)
    name = QRect(text_x, y, max(10, x + inner - text_x), bold_fm.height())
    details = QRect(text_x, name.bottom() + 3, name.width(), small_fm.height())
    y = glyph.bottom() + 1 + CARD_GAP
    geometry = CardGeometry(QRect(), glyph, name, details)
    if card.thumbnail is not None:
        shown = card.thumbnail.size().scaled(inner, card.thumbnail.height(), Qt.AspectRatioMode.KeepAspectRatio)
        geometry.thumbnail = QRect(x, y, shown.width(), shown.height())
        y += shown.height() + CARD_GAP
    button_h = small_fm.height() + 2 * BUTTON_PAD_Y
    if card.running:
        geometry.bar = QRect(x, y, inner, BAR_HEIGHT)
        y += BAR_HEIGHT + CARD_GAP
    actions = card_actions(card)
    right = x + inner
    for action in reversed(actions):  # right-aligned, in reading order
        button_w = small_fm.horizontalAdvance(action_text(action)) + 2 * BUTTON_PAD_X
        right -= button_w
        geometry.buttons[action] = QRect(right, y, button_w, button_h)
        right -= CARD_GAP
    geometry.status = QRect(x, y, max(0, right - x), button_h)
    y += button_h
    if card.problem and not card.running:
        geometry.status = QRect(x, y + 2, inner, small_fm.height() * 2)
        y += 2 + small_fm.height() * 2
    geometry.rect = QRect(left, top, width, y + CARD_PAD - top)
    return geometry


def card_action_at(geometry: CardGeometry, point: QPoint) -> CardAction | None:
    """The button at ``point`` (in the row's coordinates), if any."""
    for action, rect in geometry.buttons.items():
        if rect.contains(point):
            return action
    return None


def status_text(card: FileCard) -> str:
    if card.running:
        return card.progress_text()
    if card.expired:
        return translate("FileCard", "expired: no longer on the server")
    if card.problem:
        return card.problem
    if card.file is None:
        return translate("FileCard", "waiting to upload…")
    return ""


def paint_card(painter: QPainter, card: FileCard, g: CardGeometry, palette: QPalette, small: QFont, bold: QFont,
               widget: QWidget | None, muted: QColor, alarm: QColor) -> None:
    """Draw ``card`` where ``g`` says (the painter's origin is the row's top left corner)."""
    base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
    painter.save()
    painter.setPen(QColor(muted.red(), muted.green(), muted.blue(), 90))
    painter.setBrush(base)
    painter.drawRoundedRect(g.rect, CARD_RADIUS, CARD_RADIUS)
    _paint_glyph(painter, card, g.glyph, palette, small)
    painter.setFont(bold)
    painter.setPen(muted if card.expired else text)
    painter.drawText(g.name, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                     QFontMetrics(bold).elidedText(card.name, Qt.TextElideMode.ElideMiddle, g.name.width()))
    painter.setFont(small)
    painter.setPen(muted)
    painter.drawText(g.details, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                     QFontMetrics(small).elidedText(card.details(), Qt.TextElideMode.ElideRight, g.details.width()))
    if card.thumbnail is not None and g.thumbnail.isValid():
        painter.drawImage(g.thumbnail, card.thumbnail)
    style = widget.style() if widget is not None else QApplication.style()
    if g.bar.isValid():
        bar = QStyleOptionProgressBar()
        bar.rect, bar.palette, bar.minimum, bar.maximum = g.bar, palette, 0, 1000
        bar.progress = round(1000 * card.done / card.size) if card.size else 0
        bar.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Horizontal
        style.drawControl(QStyle.ControlElement.CE_ProgressBarGroove, bar, painter, widget)
        style.drawControl(QStyle.ControlElement.CE_ProgressBarContents, bar, painter, widget)
    for action, rect in g.buttons.items():
        button = QStyleOptionButton()
        button.rect, button.palette, button.text = rect, palette, action_text(action)
        button.fontMetrics = QFontMetrics(small)
        button.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Raised
        painter.setFont(small)
        style.drawControl(QStyle.ControlElement.CE_PushButton, button, painter, widget)
    words = status_text(card)
    if words:
        painter.setFont(small)
        painter.setPen(alarm if card.problem and not card.running else muted)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(g.status, int(flags), words)
    painter.restore()


def _paint_glyph(painter: QPainter, card: FileCard, rect: QRect, palette: QPalette, small: QFont) -> None:
    """A page with a folded corner and the file's extension (``PDF``) on it."""
    accent = palette.color(QPalette.ColorRole.Highlight)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(accent)
    painter.drawRoundedRect(rect, 3, 3)
    fold = 8
    painter.setBrush(palette.color(QPalette.ColorRole.Base))
    painter.drawPolygon([QPoint(rect.right() - fold, rect.top()), QPoint(rect.right() + 1, rect.top()),
                         QPoint(rect.right() + 1, rect.top() + fold)])
    label = (PurePath(card.name).suffix.lstrip(".")[:4] or "?").upper()
    tiny = QFont(small)
    tiny.setBold(True)
    if small.pointSizeF() > 0:
        tiny.setPointSizeF(small.pointSizeF() * 0.8)
    painter.setFont(tiny)
    painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
    painter.drawText(rect.adjusted(1, fold, -1, -2), Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                     label)
