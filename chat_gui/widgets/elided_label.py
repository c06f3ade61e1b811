"""A one-line label that gives up width by ending its text with "…" (the whole text in its tool tip).

A status bar's line ("2/3 online · erreichbar unter 127.0.0.1:33321") is longer in some languages than half a
small screen: a plain QLabel then either forces its window wider or is cut off mid-word. This one shows as much
as fits, marked as shortened, and still says everything when pointed at.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget

SHORTEST_CHARACTERS = 8
"""The least width it asks for, in average characters: enough to tell what the line is about."""


class ElidedLabel(QLabel):
    """A QLabel for one line of plain text that elides at its right end instead of demanding the room."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def shown_text(self) -> str:
        """What fits in the label's width now ("…" at the end when shortened)."""
        margins = self.contentsMargins()
        width = self.width() - margins.left() - margins.right()
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, max(0, width))

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        margins = self.contentsMargins()
        least = self.fontMetrics().averageCharWidth() * SHORTEST_CHARACTERS + margins.left() + margins.right()
        return QSize(min(hint.width(), least), hint.height())

    def setText(self, text: str) -> None:
        super().setText(text)
        self._update_tooltip()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_tooltip()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(self.alignment()), self.shown_text())

    def _update_tooltip(self) -> None:
        elided = self.shown_text() != self.text()
        self.setToolTip(self.text() if elided else "")
