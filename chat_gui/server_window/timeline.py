"""The session timeline: one bar per session from connect to disconnect, painted with QPainter.

Sessions online come first, then the ended ones, the newest first in each; the rows scroll (wheel,
scroll bar, or selecting a session in the table) under a time axis that stays in view. It reads the
session table model (so it shows the same flushed snapshot as the table) and repaints when the model
changes, plus once a second while a session is open so open bars grow with the clock.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QAbstractScrollArea, QFrame, QSizePolicy, QToolTip, QWidget

from chat_gui.server_window.timeline_axis import AXIS_HEIGHT, AxisSpan, TimelineAxis, scaled, ticks
from chat_gui.widgets import SessionTableModel, state_color
from chat_server.protocol import ONLINE, SessionInfo

ROW_HEIGHT = 18
BAR_HEIGHT = 10
LABEL_WIDTH = 110
MARGIN = 8
MIN_BAR_WIDTH = 3.0
ROWS_HINTED = 6
"""The timeline asks for room for this many rows; the rest scroll."""
GROW_INTERVAL_MS = 1000
"""How often open bars grow."""


class SessionTimeline(QAbstractScrollArea):
    """A bar per session on a shared time axis ending now: online ones first, then the newest first."""

    session_clicked = Signal(int)  # session id

    def __init__(self, model: SessionTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._selected: int | None = None
        self._now: float | None = None  # a fixed clock for tests and screenshots; None = real time
        self._order: list[int] = []  # model rows, top to bottom
        self._stale = True  # the model changed since the order was worked out
        self._first_start = 0.0  # the earliest connect, and the latest disconnect, of the sessions drawn
        self._last_end = 0.0
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.viewport().setAutoFillBackground(True)
        self.viewport().setBackgroundRole(QPalette.ColorRole.Base)
        self._axis = TimelineAxis(self._axis_span, self)
        self._fit_to_font()
        self._axis.setObjectName("timeline_axis")
        self._grow_timer = QTimer(self)
        self._grow_timer.setInterval(GROW_INTERVAL_MS)
        self._grow_timer.timeout.connect(self._on_grow_timer_timeout)
        for signal in (model.rowsInserted, model.rowsRemoved, model.dataChanged, model.modelReset,
                       model.layoutChanged):
            signal.connect(self._on_model_changed)
        self._on_model_changed()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._fit_to_font()
        super().changeEvent(event)

    def _fit_to_font(self) -> None:
        """Rows, bars, the names' column and the axis as tall and wide as the text needs (they grow with it)."""
        self._row_height = scaled(self, ROW_HEIGHT)
        self._bar_height = scaled(self, BAR_HEIGHT)
        self._label_width = scaled(self, LABEL_WIDTH)
        self._axis_height = scaled(self, AXIS_HEIGHT)
        self.verticalScrollBar().setSingleStep(self._row_height)
        self.setViewportMargins(0, 0, 0, self._axis_height)  # the axis stays below the rows
        self.updateGeometry()

    # --- public ---------------------------------------------------------------------

    def set_selected(self, session_id: int | None) -> None:
        """Outline this session's bar (the one selected in the table) and scroll it into view."""
        if session_id != self._selected:
            self._selected = session_id
            self._scroll_to(session_id)
            self.viewport().update()

    def set_clock(self, now: float | None) -> None:
        """Draw as if it were ``now`` (None: the real clock)."""
        self._now = now
        self._repaint()

    def sessions(self) -> list[int]:
        """The ids of every session, in the order of the rows, top to bottom."""
        self._refresh()
        return [self._model.session_id(row) for row in self._order]

    def visible_sessions(self) -> list[int]:
        """The ids of the sessions whose bars are wholly in view now, top to bottom."""
        self._refresh()
        view = QRectF(self.viewport().rect())
        return [self._model.session_id(row) for i, row in enumerate(self._order)
                if view.contains(self._bar(self._model.info(row), self._row_rect(i)))]

    def bar_rect(self, session_id: int) -> QRectF | None:
        """Where a session's bar is drawn in the viewport, or None if it is not in view."""
        self._refresh()
        view = self.viewport().rect()
        for i, row in enumerate(self._order):
            if self._model.session_id(row) == session_id:
                rect = self._row_rect(i)
                return self._bar(self._model.info(row), rect) if rect.intersects(view) else None
        return None

    @property
    def row_height(self) -> int:
        """A row's height in pixels (it grows with the font)."""
        return self._row_height

    def sizeHint(self) -> QSize:
        return QSize(480, MARGIN * 2 + self._axis_height + self._row_height * ROWS_HINTED)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, MARGIN * 2 + self._axis_height + self._row_height)  # one row; the others scroll

    # --- layout ---------------------------------------------------------------------------

    def _clock(self) -> float:
        return time.time() if self._now is None else self._now

    def _row_rect(self, index: int) -> QRect:
        """The band of the ``index``-th row from the top, across the viewport, scrolled."""
        top = MARGIN + index * self._row_height - self.verticalScrollBar().value()
        return QRect(0, top, self.viewport().width(), self._row_height)

    def _plot(self) -> QRect:
        return QRect(self._label_width + MARGIN, 0, max(1, self.viewport().width() - self._label_width - 3 * MARGIN),
                     self.viewport().height())

    def _span(self) -> AxisSpan:
        now = self._clock()
        start = self._first_start if self._order else now
        end = max(now, self._last_end)
        if end - start < 10:  # a fresh server: give bars room to grow instead of filling the width at once
            end = start + 10
        plot = self._plot()
        return AxisSpan(start, end, plot.left(), plot.width())

    def _axis_span(self) -> AxisSpan | None:
        self._refresh()
        return self._span() if self._order else None

    def _bar(self, info: SessionInfo, rect: QRect) -> QRectF:
        span = self._span()
        finish = info.disconnected_at if info.disconnected_at is not None else self._clock()
        left = span.x(info.connected_at)
        width = max(MIN_BAR_WIDTH, span.x(finish) - left)
        top = rect.top() + (self._row_height - self._bar_height) / 2
        return QRectF(left, top, width, self._bar_height)

    def _update_scroll_range(self) -> None:
        content = 2 * MARGIN + self._model.rowCount() * self._row_height
        bar = self.verticalScrollBar()
        bar.setPageStep(max(self._row_height, self.viewport().height()))
        bar.setRange(0, max(0, content - self.viewport().height()))

    def _scroll_to(self, session_id: int | None) -> None:
        """Scroll just enough to show this session's row."""
        self._refresh()
        row = None if session_id is None else self._model.row_of(session_id)
        if row is None or row not in self._order:
            return
        rect = self._row_rect(self._order.index(row))
        bar = self.verticalScrollBar()
        if rect.top() < 0:
            bar.setValue(bar.value() + rect.top() - MARGIN)
        elif rect.bottom() > self.viewport().height():
            bar.setValue(bar.value() + rect.bottom() - self.viewport().height() + MARGIN)

    def _place_axis(self) -> None:
        view = self.viewport().geometry()
        self._axis.setGeometry(view.left(), view.bottom() + 1, view.width(), self._axis_height)

    # --- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        self._refresh()
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        if not self._order:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No connections yet"))
            return
        grid = QColor(palette.color(QPalette.ColorRole.Mid))
        grid.setAlpha(90)
        painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
        for x, _ in ticks(self._span()):
            painter.drawLine(x, 0, x, self.viewport().height())
        metrics = painter.fontMetrics()
        view = event.rect()
        for i, model_row in enumerate(self._order):
            rect = self._row_rect(i)
            if rect.bottom() < view.top():
                continue
            if rect.top() > view.bottom():
                break
            info = self._model.info(model_row)
            label_rect = QRect(MARGIN, rect.top(), self._label_width - MARGIN, self._row_height)
            painter.setPen(palette.color(QPalette.ColorRole.Text if info.state == ONLINE
                                         else QPalette.ColorRole.PlaceholderText))
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                             metrics.elidedText(info.name or info.address, Qt.TextElideMode.ElideRight,
                                                label_rect.width()))
            bar = self._bar(info, rect)
            color = state_color(info.state)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color if info.state == ONLINE else color.lighter(125))
            painter.drawRoundedRect(bar, 3, 3)
            if self._model.session_id(model_row) == self._selected:
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
                painter.drawRoundedRect(bar.adjusted(-2, -2, 2, 2), 4, 4)

    # --- interaction --------------------------------------------------------------------------

    def _session_at(self, pos: QPoint) -> int | None:
        self._refresh()
        index = (pos.y() + self.verticalScrollBar().value() - MARGIN) // self._row_height
        if pos.y() + self.verticalScrollBar().value() < MARGIN or not 0 <= index < len(self._order):
            return None
        return self._model.session_id(self._order[index])

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            session_id = self._session_at(event.position().toPoint())
            if session_id is not None:
                self.session_clicked.emit(session_id)
            event.accept()  # a click between the rows selects nothing, and is not anyone else's either
            return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        event.accept()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            session_id = self._session_at(event.pos())
            row = None if session_id is None else self._model.row_of(session_id)
            if row is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self._model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole),
                                  self.viewport())
            return True
        if event.type() == QEvent.Type.Resize:
            self._update_scroll_range()
            self._place_axis()
        return super().viewportEvent(event)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    # --- updates ---------------------------------------------------------------------------------

    def _on_model_changed(self, *_: object) -> None:
        # A flush can signal many changes: the rows are sorted again once, when next needed.
        self._stale = True
        if not self._grow_timer.isActive():
            self._grow_timer.start()  # stopped again at the refresh if nobody is online
        self._update_scroll_range()
        self._repaint()

    def _refresh(self) -> None:
        """Work out the rows' order and the time span again if the model changed since."""
        if not self._stale:
            return
        self._stale = False
        model = self._model
        infos = [model.info(row) for row in range(model.rowCount())]
        # Online first, then ended; the newest (the latest to arrive) first in each.
        self._order = sorted(range(len(infos)), key=lambda row: (infos[row].state != ONLINE, -row))
        self._first_start = min((info.connected_at for info in infos), default=0.0)
        self._last_end = max((info.disconnected_at for info in infos if info.disconnected_at is not None),
                             default=0.0)
        if not any(info.state == ONLINE for info in infos):
            self._grow_timer.stop()

    def _repaint(self) -> None:
        self.viewport().update()
        self._axis.update()

    @Slot()
    def _on_grow_timer_timeout(self) -> None:
        if self.isVisible():
            self._repaint()
