"""How the transcript looks: chat bubbles drawn by a delegate in a list view that follows new lines.

Every colour comes from the widget's palette (mixed, never hard-coded), so the transcript
follows the system's light or dark theme. Row heights are cached per entry and width, so a
full transcript lays out quickly.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Slot
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
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from chat_gui.client_window.member_colors import member_color
from chat_gui.client_window.transcript import Delivery, Entry, EntryKind, EntryRole, TranscriptModel, short_clock
from chat_gui.client_window.transcript_marks import draw_mention_stripe, draw_new_messages, mention_bubble

SIDE_MARGIN = 10  # between the view's edges and the bubbles
ROW_GAP = 4  # between two rows
BUBBLE_PAD_X = 10
BUBBLE_PAD_Y = 6
BUBBLE_RADIUS = 9
BUBBLE_MAX_FRACTION = 0.75  # of the view's width
LINE_GAP = 2  # between a bubble's header, text and footer
SMALL_SCALE = 0.86  # header, footer and system lines, relative to the view's font
HEIGHT_CACHE_LIMIT = 20_000
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


class TranscriptDelegate(QStyledItemDelegate):
    """Draws own messages right, others' left with name and time, and the rest as centred lines."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # (transcript uid, entry serial, width) -> geometry
        self._heights: dict[tuple[int, int, int], RowGeometry] = {}

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
        key = (transcript, entry.serial, width)
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
        inner_h = text.height()
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
        text_rect = QRect(x, y, inner_w, text.height())
        y += text.height() + LINE_GAP
        footer_rect = QRect(x, y, inner_w, footer.height())
        return RowGeometry(bubble_h + 2 * ROW_GAP, bubble, header_rect, text_rect, footer_rect, flags)

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
    """The transcript list: bubbles, smooth scrolling, follows new lines while at the bottom."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._delegate = TranscriptDelegate(self)
        self.setItemDelegate(self._delegate)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(200)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)
        self.setMouseTracking(True)
        self.placeholder = self.tr("No messages yet.")
        self.follow = True  # keep the newest line in view, unless the user scrolled up
        self._new_messages: tuple[int, int] | None = None  # (transcript uid, serial): the first unread message
        self._positions: dict[int, tuple[bool, int]] = {}  # transcript uid -> (follow, scroll value) when left
        self._switching = False  # another transcript is being laid out: the scroll bar's moves are not the user's
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._on_scroll_bar_value_changed)
        bar.rangeChanged.connect(self._on_scroll_bar_range_changed)

    def show_transcript(self, model: TranscriptModel) -> None:
        """Show another conversation's transcript where the user left it (at its newest line, the first time).

        Laid out at once rather than in batches, so the position can be restored now: row heights are cached per
        transcript, so coming back to a long one costs little.
        """
        old = self.model()
        if old is model:
            return
        bar = self.verticalScrollBar()
        if isinstance(old, TranscriptModel):
            self._positions[old.transcript.uid] = (self.follow, bar.value())
        follow, value = self._positions.pop(model.transcript.uid, (True, 0))
        old_selection = self.selectionModel()
        self._switching = True
        try:
            self.setLayoutMode(QListView.LayoutMode.SinglePass)
            self.setModel(model)
            self.doItemsLayout()
            self.setLayoutMode(QListView.LayoutMode.Batched)
        finally:
            self._switching = False
        if old_selection is not None:
            old_selection.deleteLater()  # setModel made a new one; the old one is the view's child until deleted
        self.follow = follow
        bar.setValue(bar.maximum() if follow else value)

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

    @Slot(int)
    def _on_scroll_bar_value_changed(self, value: int) -> None:
        if not self._switching:
            self.follow = value >= self.verticalScrollBar().maximum() - 4

    @Slot(int, int)
    def _on_scroll_bar_range_changed(self, _minimum: int, maximum: int) -> None:
        if self.follow and not self._switching:
            self.verticalScrollBar().setValue(maximum)

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
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0 and self.placeholder:
            painter = QPainter(self.viewport())
            painter.setPen(muted(self.palette()))
            painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, self.placeholder)
        row = self.new_messages_row()
        if row is not None and model is not None:
            draw_new_messages(self.viewport(), self.visualRect(model.index(row, 0)).top(), self.font())
