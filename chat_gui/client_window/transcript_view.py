"""How the transcript looks: chat bubbles drawn by a delegate in a list view that follows new lines.

Every colour comes from the widget's palette (mixed, never hard-coded), so the transcript
follows the system's light or dark theme. Row heights are cached per entry and width, and only
the rows in sight are measured (transcript_rows.py), so a transcript of any length opens at once.

Over 400 lines: the delegate and the view that lays its rows out lazily are one picture, each drawing what the
other measured.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QRegion,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from chat_gui.client_window.member_colors import member_color
from chat_gui.client_window.transcript import Delivery, Entry, EntryKind, EntryRole, TranscriptModel, short_clock
from chat_gui.client_window.transcript_cards import (
    CardGeometry,
    card_width,
    layout_card,
    paint_card,
)
from chat_gui.client_window.transcript_marks import draw_mention_stripe, draw_new_messages, mention_bubble
from chat_gui.client_window.transcript_rows import ROW_UNITS, LazyRows

SIDE_MARGIN = 10  # between the view's edges and the bubbles
ROW_GAP = 4  # between two rows
BUBBLE_PAD_X = 10
BUBBLE_PAD_Y = 6
BUBBLE_RADIUS = 9
BUBBLE_MAX_FRACTION = 0.75  # of the view's width
LINE_GAP = 2  # between a bubble's header, text and footer
SMALL_SCALE = 0.86  # header, footer and system lines, relative to the view's font
HEIGHT_CACHE_LIMIT = 20_000
LOOK_AROUND_ROWS = 64
"""``visualRect`` of a row this far from the top row at most (a screen reader's neighbours); farther: none."""
ESTIMATED_ROW_HEIGHT = 48
"""What QAbstractItemView's pixel offset counts a row as: only a drag that selects while it scrolls uses it."""
WIDEST_OWN_FOOTER = "✓ ACK 00:00:00, 9999 ms"

_BUBBLES = {EntryKind.OWN, EntryKind.OTHER, EntryKind.NOTICE, EntryKind.ERROR}
_EMPHASISED = {EntryKind.WELCOME, EntryKind.GOODBYE}


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1) of the way towards ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def tone(hue: int, palette: QPalette) -> QColor:
    """A readable colour of ``hue`` on this palette's base: lighter on dark themes."""
    return QColor.fromHsl(hue, 150, 175 if is_dark(palette) else 85)


def muted(palette: QPalette) -> QColor:
    return mix(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.45)


def own_footer(entry: Entry) -> str:
    if entry.delivery is Delivery.ACKED:
        return entry.delivery_text()
    return f"{short_clock(entry.time)} · {entry.delivery_text()}"


def system_line(entry: Entry) -> str:
    if entry.kind is EntryKind.GOODBYE:
        return entry.text  # it says when already ("Disconnected at ...")
    return f"{entry.text}  ·  {short_clock(entry.time)}"


@dataclass(slots=True)
class RowGeometry:
    """Where the parts of one row go, relative to the row's top left corner."""

    height: int
    bubble: QRect
    header: QRect
    text: QRect
    footer: QRect
    text_flags: int
    card: CardGeometry | None = None  # a message that shares a file: its card, between the header and the text


class TranscriptDelegate(QStyledItemDelegate):
    """Draws own messages right, others' left with name and time, and the rest as centred lines."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # (transcript uid, entry serial, width, a file card's shape) -> geometry
        self._heights: dict[tuple[int, int, int, object], RowGeometry] = {}

    def forget_sizes(self) -> None:
        """Drop cached row geometry (after a font change)."""
        self._heights.clear()

    # --- geometry ---------------------------------------------------------------------------

    @staticmethod
    def fonts(base: QFont) -> tuple[QFont, QFont, QFont]:
        """The text font, the small font (headers, footers, system lines) and the bold name font."""
        small = QFont(base)
        if base.pointSizeF() > 0:
            small.setPointSizeF(base.pointSizeF() * SMALL_SCALE)
        else:
            small.setPixelSize(max(8, round(base.pixelSize() * SMALL_SCALE)))
        bold = QFont(small)
        bold.setBold(True)
        return base, small, bold

    def geometry(self, entry: Entry, width: int, base: QFont, transcript: int = 0) -> RowGeometry:
        key = (transcript, entry.serial, width, entry.card.shape() if entry.card is not None else None)
        cached = self._heights.get(key)
        if cached is not None:
            return cached
        if len(self._heights) > HEIGHT_CACHE_LIMIT:
            self._heights.clear()
        geometry = self._measure(entry, width, base)
        self._heights[key] = geometry
        return geometry

    def _measure(self, entry: Entry, width: int, base: QFont) -> RowGeometry:
        text_font, small_font, bold_font = self.fonts(base)
        text_fm, small_fm, bold_fm = QFontMetrics(text_font), QFontMetrics(small_font), QFontMetrics(bold_font)
        usable = max(80, width - 2 * SIDE_MARGIN)
        if entry.kind not in _BUBBLES:
            font_fm = small_fm
            flags, text = _wrapped(font_fm, system_line(entry), usable, Qt.AlignmentFlag.AlignHCenter)
            rect = QRect(SIDE_MARGIN, ROW_GAP, usable, text.height())
            return RowGeometry(text.height() + 2 * ROW_GAP, rect, QRect(), rect, QRect(), flags)

        inner_max = max(40, int(usable * BUBBLE_MAX_FRACTION) - 2 * BUBBLE_PAD_X)
        flags, text = _wrapped(text_fm, entry.text, inner_max, Qt.AlignmentFlag.AlignLeft)
        if entry.card is not None and not entry.text:
            text = QRect()  # a file shared without a caption: the card alone
        header = footer = QSize(0, 0)
        if entry.kind is EntryKind.OWN:
            # Wide enough for every mark the message may get, so the bubble keeps its size.
            footer = QSize(max(small_fm.horizontalAdvance(own_footer(entry)),
                               small_fm.horizontalAdvance(WIDEST_OWN_FOOTER)), small_fm.height())
        elif entry.kind is EntryKind.OTHER:
            header = QSize(bold_fm.horizontalAdvance(entry.sender) + 16
                           + small_fm.horizontalAdvance(short_clock(entry.time)), bold_fm.height())
        else:
            header = bold_fm.size(0, _bubble_title(entry))
        inner_w = min(inner_max, max(text.width(), header.width(), footer.width()))
        card: CardGeometry | None = None
        if entry.card is not None:
            inner_w = max(inner_w, card_width(inner_max))
            card = layout_card(entry.card, 0, 0, card_width(inner_max), small_font, bold_font)
        inner_h = text.height() + (card.rect.height() + LINE_GAP if card is not None else 0)
        inner_h += header.height() + LINE_GAP if header.height() else 0
        inner_h += footer.height() + LINE_GAP if footer.height() else 0
        bubble_w, bubble_h = inner_w + 2 * BUBBLE_PAD_X, inner_h + 2 * BUBBLE_PAD_Y
        if entry.kind is EntryKind.OWN:
            left = width - SIDE_MARGIN - bubble_w
        elif entry.kind is EntryKind.OTHER:
            left = SIDE_MARGIN
        else:
            left = SIDE_MARGIN + (usable - bubble_w) // 2
        bubble = QRect(left, ROW_GAP, bubble_w, bubble_h)
        x, y = left + BUBBLE_PAD_X, ROW_GAP + BUBBLE_PAD_Y
        header_rect = QRect(x, y, inner_w, header.height())
        y += header.height() + LINE_GAP if header.height() else 0
        if card is not None and entry.card is not None:
            card = layout_card(entry.card, x, y, card.rect.width(), small_font, bold_font)
            y += card.rect.height() + LINE_GAP
        text_rect = QRect(x, y, inner_w, text.height())
        y += text.height() + LINE_GAP
        footer_rect = QRect(x, y, inner_w, footer.height())
        return RowGeometry(bubble_h + 2 * ROW_GAP, bubble, header_rect, text_rect, footer_rect, flags, card)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        entry = index.data(EntryRole)
        if not isinstance(entry, Entry):
            return super().sizeHint(option, index)
        width = _row_width(option)
        return QSize(width, self.geometry(entry, width, option.font, _transcript_uid(index)).height)

    # --- painting ---------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        entry = index.data(EntryRole)
        if not isinstance(entry, Entry):
            super().paint(painter, option, index)
            return
        rect: QRect = option.rect
        palette: QPalette = option.palette
        width = _row_width(option)
        g = self.geometry(entry, width, option.font, _transcript_uid(index))
        text_font, small_font, bold_font = self.fonts(option.font)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(rect.topLeft())
        if option.state & QStyle.StateFlag.State_Selected:
            highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
            highlight.setAlphaF(0.25)
            painter.fillRect(QRect(0, 0, rect.width(), g.height), highlight)

        text_color = palette.color(QPalette.ColorRole.Text)
        if entry.kind not in _BUBBLES:
            painter.setFont(small_font)
            painter.setPen(text_color if entry.kind in _EMPHASISED else muted(palette))
            painter.drawText(g.text, g.text_flags, system_line(entry))
            painter.restore()
            return

        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_bubble_color(entry, palette))
        painter.drawRoundedRect(g.bubble, BUBBLE_RADIUS, BUBBLE_RADIUS)
        if entry.mentioned and entry.kind is EntryKind.OTHER:
            draw_mention_stripe(painter, g.bubble, BUBBLE_RADIUS, palette)
        if entry.kind is EntryKind.OTHER:
            painter.setFont(bold_font)
            painter.setPen(member_color(entry.sender, palette, _bubble_color(entry, palette)))
            painter.drawText(g.header, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, entry.sender)
            painter.setFont(small_font)
            painter.setPen(muted(palette))
            painter.drawText(g.header, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             short_clock(entry.time))
        elif entry.kind in (EntryKind.NOTICE, EntryKind.ERROR):
            painter.setFont(bold_font)
            painter.setPen(_accent(entry, palette))
            painter.drawText(g.header, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             _bubble_title(entry))
        if g.card is not None and entry.card is not None:
            paint_card(painter, entry.card, g.card, palette, small_font, bold_font, option.widget, muted(palette),
                       tone(0, palette))
        painter.setFont(text_font)
        painter.setPen(text_color)
        painter.drawText(g.text, g.text_flags, entry.text)
        if entry.kind is EntryKind.OWN:
            painter.setFont(small_font)
            acked = entry.delivery is Delivery.ACKED
            painter.setPen(tone(130, palette) if acked else muted(palette))
            if entry.delivery is Delivery.REFUSED:
                painter.setPen(tone(0, palette))
            painter.drawText(g.footer, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, own_footer(entry))
        painter.restore()


def _transcript_uid(index: QModelIndex | QPersistentModelIndex) -> int:
    model = index.model()
    return model.transcript.uid if isinstance(model, TranscriptModel) else 0


def _row_width(option: QStyleOptionViewItem) -> int:
    widget = option.widget
    if isinstance(widget, QAbstractItemView):
        return max(120, widget.viewport().width())
    return max(120, option.rect.width())


def _wrapped(fm: QFontMetrics, text: str, width: int, align: Qt.AlignmentFlag) -> tuple[int, QRect]:
    """Flags that wrap ``text`` within ``width`` (breaking long words too) and the size it takes."""
    flags = int(align | Qt.TextFlag.TextWordWrap)
    rect = fm.boundingRect(QRect(0, 0, width, 1 << 24), flags, text)
    if rect.width() > width:  # a word longer than the line: break it anywhere
        flags = int(align | Qt.TextFlag.TextWrapAnywhere)
        rect = fm.boundingRect(QRect(0, 0, width, 1 << 24), flags, text)
    return flags, rect


def _bubble_title(entry: Entry) -> str:
    if entry.kind is EntryKind.NOTICE:
        if entry.private:
            return QCoreApplication.translate("TranscriptView", "Server notice to you")
        return QCoreApplication.translate("TranscriptView", "Server notice")
    return QCoreApplication.translate("TranscriptView", "Error")


def _accent(entry: Entry, palette: QPalette) -> QColor:
    if entry.kind is EntryKind.ERROR:
        return tone(0, palette)
    return palette.color(QPalette.ColorRole.Link)


def _bubble_color(entry: Entry, palette: QPalette) -> QColor:
    base = palette.color(QPalette.ColorRole.Base)
    dark = is_dark(palette)
    if entry.kind is EntryKind.OWN:
        return mix(base, palette.color(QPalette.ColorRole.Highlight), 0.35 if dark else 0.2)
    if entry.kind is EntryKind.OTHER and entry.mentioned:
        return mention_bubble(palette)
    if entry.kind is EntryKind.OTHER:
        return mix(base, palette.color(QPalette.ColorRole.Text), 0.12 if dark else 0.07)
    return mix(base, _accent(entry, palette), 0.18 if dark else 0.1)


class TranscriptView(QListView):
    """The transcript list: bubbles, smooth scrolling, follows new lines while at the bottom.

    A QListView for what it gives the keyboard, the selection and a screen reader, with a layout of its own: only the
    rows in sight are measured (transcript_rows.py), so that a transcript of 100,000 messages opens, scrolls and takes
    a new line within a frame (QListView's own layout measures every row on each change). The scroll position is the
    row at the top and how far it is scrolled past: rows put in above it (a page of earlier history) leave what is
    in sight where it is. At the top, ``reached_top`` asks for earlier history, and ``top_hint`` (``loading…``) is
    drawn over the first row while it comes.
    """

    reached_top = Signal()  # the first row's top is in sight: earlier history may be loaded
    card_clicked = Signal(object, str)  # Entry, CardAction: a file card's button was pressed (card_menu.py)
    card_shown = Signal(object)  # Entry: a file card that wants its thumbnail came in sight (queued: not in paint)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._delegate = TranscriptDelegate(self)
        self.setItemDelegate(self._delegate)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)
        self.setMouseTracking(True)
        self.placeholder = self.tr("No messages yet.")
        self.top_hint = ""  # drawn at the top while scrolled there (the window's "loading…")
        self.follow = True  # keep the newest line in view, unless the user scrolled up
        self._new_messages: tuple[int, int] | None = None  # (transcript uid, serial): the first unread message
        self._rows = LazyRows(self._row_height)
        # transcript uid -> (follow, serial of the top row, pixels of it scrolled past, its row, the scroll bar's value)
        self._positions: dict[int, tuple[bool, int, int, int, int]] = {}
        self._syncing = False  # the scroll bar is being set from the layout: its moves are not the user's
        self._removals: TranscriptModel | None = None  # the model whose rowsRemoved is connected
        self._switching = False  # show_transcript is putting another transcript where it was left
        # Whether the top is in sight is asked once the event loop is free again: a burst of lines (the join's
        # history) fills a short transcript first, and a position being restored is in place by then.
        self._top_check = QTimer(self)
        self._top_check.setSingleShot(True)
        self._top_check.setInterval(0)
        self._top_check.timeout.connect(self._on_top_check_timeout)
        self.verticalScrollBar().valueChanged.connect(self._on_scroll_bar_value_changed)

    # --- which transcript -----------------------------------------------------------------------

    def setModel(self, model: QAbstractItemModel | None) -> None:
        if self._removals is not None:
            with contextlib.suppress(RuntimeError):  # (the old model may be gone already)
                self._removals.rowsRemoved.disconnect(self._on_model_rows_removed)
            self._removals = None
        super().setModel(model)
        if isinstance(model, TranscriptModel):
            model.rowsRemoved.connect(self._on_model_rows_removed)
            self._removals = model
        self._rows.reset(self._count())
        self._rows.resized(self.viewport().height())
        if self.follow:
            self._rows.to_bottom()
        self._moved(check_top=not self._switching)

    def show_transcript(self, model: TranscriptModel) -> None:
        """Show another conversation's transcript where the user left it (at its newest line, the first time)."""
        old = self.model()
        if old is model:
            return
        if isinstance(old, TranscriptModel) and len(old.transcript):
            top, offset = self._rows.anchor()
            self._positions[old.transcript.uid] = (self.follow, old.transcript[top].serial, offset, top,
                                                   self._rows.value())
        follow, serial, offset, row, value = self._positions.pop(model.transcript.uid, (True, 0, 0, 0, 0))
        old_selection = self.selectionModel()
        self.follow = follow
        self._switching = True
        try:
            self.setModel(model)
        finally:
            self._switching = False
        if old_selection is not None:
            old_selection.deleteLater()  # setModel made a new one; the old one is the view's child until deleted
        if not follow:
            self._rows.place(model.transcript.row_of_serial(serial), offset)
            if self._rows.anchor() == (row, offset):  # no page came in above meanwhile: the scroll bar as it was
                self._rows.keep_value(value)
            self.follow = self._rows.at_bottom()
        self._moved()

    def set_new_messages(self, model: TranscriptModel, serial: int | None) -> None:
        """Draw the "new messages" line above the entry ``serial`` of ``model`` (None: no line)."""
        self._new_messages = None if serial is None else (model.transcript.uid, serial)
        self.viewport().update()

    def new_messages_row(self) -> int | None:
        """The row the "new messages" line is drawn above, in the transcript shown (None: no line there)."""
        model = self.model()
        if self._new_messages is None or not isinstance(model, TranscriptModel) or not len(model.transcript):
            return None
        uid, serial = self._new_messages
        row = serial - model.transcript[0].serial
        return row if uid == model.transcript.uid and 0 <= row < len(model.transcript) else None

    def forget_position(self, model: TranscriptModel) -> None:
        """A conversation is closed: its position need not be kept."""
        self._positions.pop(model.transcript.uid, None)

    def at_top(self) -> bool:
        """The first row's top is in sight (or there is none)."""
        return self._rows.at_top()

    def _count(self) -> int:
        model = self.model()
        return model.rowCount() if model is not None else 0

    def _row_height(self, row: int) -> int:
        model = self.model()
        if not isinstance(model, TranscriptModel):
            return max(1, self.sizeHintForRow(row))
        entry = model.transcript[row]
        return self._delegate.geometry(entry, self._width(), self.font(), model.transcript.uid).height

    def _width(self) -> int:
        return max(120, self.viewport().width())

    # --- the model's changes -------------------------------------------------------------------

    def rowsInserted(self, parent: QModelIndex | QPersistentModelIndex, start: int, end: int) -> None:
        self._rows.inserted(start, end - start + 1)
        if self.follow:
            self._rows.to_bottom()
        QAbstractItemView.rowsInserted(self, parent, start, end)
        self._moved()

    def rowsAboutToBeRemoved(self, parent: QModelIndex | QPersistentModelIndex, start: int, end: int) -> None:
        QAbstractItemView.rowsAboutToBeRemoved(self, parent, start, end)

    @Slot(QModelIndex, int, int)
    def _on_model_rows_removed(self, _parent: QModelIndex, start: int, end: int) -> None:
        self._rows.removed(start, end - start + 1)
        if self.follow:
            self._rows.to_bottom()
        self._moved(check_top=False)

    def dataChanged(self, top_left: QModelIndex | QPersistentModelIndex,
                    bottom_right: QModelIndex | QPersistentModelIndex,
                    roles: list[int] | None = None) -> None:  # type: ignore[override]
        QAbstractItemView.dataChanged(self, top_left, bottom_right, roles or [])
        entry = top_left.data(EntryRole)
        if isinstance(entry, Entry) and entry.card is not None:  # a card may have grown (a thumbnail, a bar)
            self._relayout()

    def reset(self) -> None:
        QAbstractItemView.reset(self)
        self._rows.reset(self._count())
        self._relayout()

    def doItemsLayout(self) -> None:
        self._relayout()
        QAbstractItemView.doItemsLayout(self)

    def updateGeometries(self) -> None:
        self._relayout()
        QAbstractItemView.updateGeometries(self)

    def resizeEvent(self, event: QResizeEvent) -> None:
        QAbstractItemView.resizeEvent(self, event)
        self._relayout()

    def _relayout(self) -> None:
        """The viewport's size (so the rows' heights) may have changed: the anchor stays, or the bottom if followed."""
        self._rows.resized(self.viewport().height())
        if self.follow:
            self._rows.to_bottom()
        self._moved(check_top=False)

    # --- scrolling -------------------------------------------------------------------------------

    def scroll_by(self, pixels: int) -> None:
        """Scroll down (positive) or up by ``pixels``, as the wheel does."""
        self._rows.scroll_by(pixels)
        self.follow = self._rows.at_bottom()
        self._moved()

    def scroll_to_bottom(self) -> None:
        self._rows.to_bottom()
        self.follow = True
        self._moved()

    def first_visible(self) -> tuple[int, int]:
        """The row at the viewport's top and its y there (0 or less): what stays put when a page comes in above."""
        top, offset = self._rows.anchor()
        return top, -offset

    def wheelEvent(self, event: QWheelEvent) -> None:
        pixels = event.pixelDelta().y()
        if not pixels:
            lines = QApplication.wheelScrollLines() * event.angleDelta().y() / 120
            pixels = round(lines * self.fontMetrics().height())
        self.scroll_by(-pixels)
        event.accept()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()  # the scroll bar moved: the anchor follows it in _on_scroll_bar_value_changed

    @Slot(int)
    def _on_scroll_bar_value_changed(self, value: int) -> None:
        if self._syncing:
            return
        self._rows.set_value(value)
        self.follow = self._rows.at_bottom()
        self._moved(sync=False)

    def _moved(self, sync: bool = True, check_top: bool = True) -> None:
        """The anchor moved: the scroll bar follows it, the rows are drawn anew, and the top asks for more."""
        if sync:
            bar = self.verticalScrollBar()
            self._syncing = True
            try:
                bar.setRange(0, self._rows.maximum())
                shown = max(1, sum(1 for _ in self._rows.visible()) - 1)
                bar.setPageStep(shown * ROW_UNITS)
                bar.setSingleStep(ROW_UNITS // 3)
                bar.setValue(self._rows.value())
            finally:
                self._syncing = False
        self.viewport().update()
        if check_top and self._rows.count and self._rows.at_top():
            self._top_check.start()

    @Slot()
    def _on_top_check_timeout(self) -> None:
        if self._rows.count and self._rows.at_top():
            self.reached_top.emit()

    # --- what QAbstractItemView asks of a layout -----------------------------------------------

    def visualRect(self, index: QModelIndex | QPersistentModelIndex) -> QRect:
        if not index.isValid() or index.model() is not self.model():
            return QRect()
        y = self._rows.y_of(index.row(), LOOK_AROUND_ROWS)
        if y is None:
            return QRect()
        return QRect(0, y, self._width(), self._rows.height(index.row()))

    def indexAt(self, point: QPoint) -> QModelIndex:
        model = self.model()
        for row, y, height in self._rows.visible():
            if y <= point.y() < y + height:
                return model.index(row, 0)
        return QModelIndex()

    def scrollTo(self, index: QModelIndex | QPersistentModelIndex,
                 hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible) -> None:
        if not index.isValid():
            return
        row, rows = index.row(), self._rows
        top, offset = rows.anchor()
        if hint is QAbstractItemView.ScrollHint.PositionAtTop or (
                hint is QAbstractItemView.ScrollHint.EnsureVisible and (row < top or (row == top and offset))):
            rows.place(row)
        elif hint is QAbstractItemView.ScrollHint.PositionAtCenter:
            self._place_above(row, rows.viewport // 2)
        else:
            shown = [(r, y, h) for r, y, h in rows.visible() if r == row]
            if hint is not QAbstractItemView.ScrollHint.EnsureVisible or not shown \
                    or shown[0][1] + shown[0][2] > rows.viewport:
                self._place_above(row, rows.viewport)
        self.follow = rows.at_bottom()
        self._moved()

    def _place_above(self, row: int, pixels: int) -> None:
        """Put ``row``'s bottom ``pixels`` below the viewport's top (as near as the rows above allow)."""
        filled, top = self._rows.height(row), row
        while top > 0 and filled < pixels:
            top -= 1
            filled += self._rows.height(top)
        self._rows.place(top, max(0, filled - pixels))

    def moveCursor(self, action: QAbstractItemView.CursorAction,
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        count = self._rows.count
        if not count:
            return QModelIndex()
        current = self.currentIndex()
        row = current.row() if current.isValid() else self._rows.top
        page = max(1, sum(1 for _ in self._rows.visible()) - 1)
        move = QAbstractItemView.CursorAction
        moves = {
            move.MoveUp: row - 1, move.MovePrevious: row - 1, move.MoveDown: row + 1, move.MoveNext: row + 1,
            move.MovePageUp: row - page, move.MovePageDown: row + page, move.MoveHome: 0, move.MoveEnd: count - 1,
        }
        return self.model().index(min(max(0, moves.get(action, row)), count - 1), 0)

    def horizontalOffset(self) -> int:
        return 0

    def verticalOffset(self) -> int:
        # In pixels as QAbstractItemView expects, estimated: only a drag that selects while it scrolls uses it.
        top, offset = self._rows.anchor()
        return top * ESTIMATED_ROW_HEIGHT + offset

    def setSelection(self, rect: QRect, command: QItemSelectionModel.SelectionFlag) -> None:
        rect = rect.normalized()
        rows = [row for row, y, height in self._rows.visible() if y < rect.bottom() + 1 and y + height > rect.top()]
        top = self._rows.top
        if rect.top() < 0:  # above the viewport (a drag that scrolled up): estimated
            rows.append(max(0, top - (-rect.top()) // ESTIMATED_ROW_HEIGHT - 1))
        if not rows:
            return
        model = self.model()
        selection = QItemSelection(model.index(min(rows), 0), model.index(max(rows), 0))
        self.selectionModel().select(selection, command)

    def visualRegionForSelection(self, selection: QItemSelection) -> QRegion:
        return QRegion(self.viewport().rect())  # the rows in sight are few: they are drawn anew

    # --- copying and drawing ---------------------------------------------------------------------

    def selected_text(self) -> str:
        rows = sorted(index.row() for index in self.selectionModel().selectedRows()) if self.selectionModel() else []
        model = self.model()
        return "\n".join(str(model.data(model.index(row, 0))) for row in rows)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            text = self.selected_text()
            if text:
                QGuiApplication.clipboard().setText(text)
            event.accept()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._delegate.forget_sizes()
            self._rows.forget_heights()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        model = self.model()
        painter = QPainter(self.viewport())
        if model is None or not self._rows.count:
            if self.placeholder:
                painter.setPen(muted(self.palette()))
                painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, self.placeholder)
            return
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        selection, current, width = self.selectionModel(), self.currentIndex(), self._width()
        focused = self.hasFocus()
        for row, y, height in self._rows.visible():
            index = model.index(row, 0)
            row_option = QStyleOptionViewItem(option)
            row_option.rect = QRect(0, y, width, height)
            if selection is not None and selection.isSelected(index):
                row_option.state |= QStyle.StateFlag.State_Selected
            if focused and index == current:
                row_option.state |= QStyle.StateFlag.State_HasFocus
            self._delegate.paint(painter, row_option, index)
            entry = index.data(EntryRole)
            if isinstance(entry, Entry) and entry.card is not None and entry.card.wants_thumbnail():
                self.card_shown.emit(entry)
        if self.top_hint and self._rows.at_top():
            self._paint_top_hint(painter)
        painter.end()  # (the "new messages" line draws with a painter of its own)
        unread = self.new_messages_row()
        rect = self.visualRect(model.index(unread, 0)) if unread is not None else QRect()
        if rect.isValid():
            draw_new_messages(self.viewport(), rect.top(), self.font())

    def _paint_top_hint(self, painter: QPainter) -> None:
        band = QRect(0, 0, self.viewport().width(), self.fontMetrics().height() * 2)
        background = QColor(self.palette().color(QPalette.ColorRole.Base))
        background.setAlphaF(0.9)
        painter.fillRect(band, background)
        painter.setPen(muted(self.palette()))
        painter.drawText(band, Qt.AlignmentFlag.AlignCenter, self.top_hint)
