"""The search panel's results: a thin list model over the pages found (newest first), and the delegate that draws
each one with its conversation, sender and time over its text, the matched words highlighted."""

from __future__ import annotations

import html
import time

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from chat_gui.client import FoundMessage

HTML_ROLE = Qt.ItemDataRole.UserRole + 1
"""The result as rich text: its header line and its text with the matched words marked."""
FOUND_ROLE = Qt.ItemDataRole.UserRole
"""The FoundMessage itself."""


def found_when(message: FoundMessage) -> str:
    """When a found message was sent, as the panel shows it (local date and time)."""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(message.time))


def marked_html(text: str, marks: tuple[tuple[int, int], ...], color: str) -> str:
    """``text`` as HTML, each marked range in bold on ``color``; marks out of order or out of range are skipped."""
    parts: list[str] = []
    at = 0
    for start, end in sorted(marks):
        if start < at or end > len(text) or start >= end:
            continue
        parts += [html.escape(text[at:start]),
                  f'<b style="background-color:{color}">{html.escape(text[start:end])}</b>']
        at = end
    parts.append(html.escape(text[at:]))
    return "".join(parts)


class SearchResultsModel(QAbstractListModel):
    """The messages found so far for the search in the panel, newest first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._found: list[FoundMessage] = []
        self.mark_color = "#ffe066"  # the window sets the palette's own

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._found)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._found):
            return None
        found = self._found[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{found.conversation.name} · {found.sender} · {found_when(found)}: {found.text}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return found.text
        if role == FOUND_ROLE:
            return found
        if role == HTML_ROLE:
            header = html.escape(f"{found.conversation.name} · {found.sender} · {found_when(found)}")
            return f'<div><small>{header}</small><br>{marked_html(found.text, found.marks, self.mark_color)}</div>'
        return None

    def set_found(self, found: tuple[FoundMessage, ...]) -> None:
        """A new search's first page."""
        self.beginResetModel()
        self._found = list(found)
        self.endResetModel()

    def add_found(self, found: tuple[FoundMessage, ...]) -> None:
        """The next page of the same search: older messages, after the others."""
        if not found:
            return
        first = len(self._found)
        self.beginInsertRows(QModelIndex(), first, first + len(found) - 1)
        self._found.extend(found)
        self.endInsertRows()

    def found(self, row: int) -> FoundMessage | None:
        return self._found[row] if 0 <= row < len(self._found) else None


class SearchResultDelegate(QStyledItemDelegate):
    """Draws a result as its rich text (``HTML_ROLE``), wrapped to the list's width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setHtml(str(index.data(HTML_ROLE) or ""))
        document.setTextWidth(max(50, option.rect.width() - 8))
        return document

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        document = self._document(option, index)
        return QSize(int(document.idealWidth()) + 8, int(document.size().height()) + 6)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        self.initStyleOption(option, index)
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        text_free = QStyleOptionViewItem(option)
        text_free.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, text_free, painter, widget)
        document = self._document(option, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        painter.save()
        rect = option.rect
        painter.translate(rect.left() + 4, rect.top() + 3)
        painter.setClipRect(QRectF(0, 0, rect.width() - 4, rect.height() - 3))
        document.documentLayout().draw(painter, context)
        painter.restore()
