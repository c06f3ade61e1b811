"""The session timeline: one bar per session from connect to disconnect, painted with QPainter.

It reads the session table model (so it shows the same flushed snapshot as the table)
and repaints when the model changes, plus once a second while a session is open so
open bars grow with the clock.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from chat_gui.widgets import SessionTableModel, state_color
from chat_server.protocol import ONLINE, SessionInfo

ROW_HEIGHT = 18
BAR_HEIGHT = 10
LABEL_WIDTH = 110
MARGIN = 8
AXIS_HEIGHT = 20
MIN_BAR_WIDTH = 3.0
TICK_SPACING_PX = 90
"""About this many pixels between time labels on the axis."""
GROW_INTERVAL_MS = 1000
"""How often open bars grow."""

# Axis steps in seconds, from one second to a day; the smallest one that keeps labels apart wins.
_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400)


@dataclass(frozen=True, slots=True)
class _Row:
    session_id: int
    info: SessionInfo
    rect: QRect  # the row's band across the whole widget


def tick_step(span_s: float, width_px: int, spacing_px: int = TICK_SPACING_PX) -> int:
    """The axis step in seconds for ``span_s`` seconds drawn over ``width_px`` pixels."""
    wanted = max(1, width_px // spacing_px)
    for step in _STEPS:
        if span_s / step <= wanted:
            return step
    return _STEPS[-1]


class SessionTimeline(QWidget):
    """Bars for the newest sessions that fit, on a shared time axis ending now."""

    session_clicked = Signal(int)  # session id

    def __init__(self, model: SessionTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._selected: int | None = None
        self._now: float | None = None  # a fixed clock for tests and screenshots; None = real time
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(False)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self._grow_timer = QTimer(self)
        self._grow_timer.setInterval(GROW_INTERVAL_MS)
        self._grow_timer.timeout.connect(self._on_grow_timer_timeout)
        for signal in (model.rowsInserted, model.rowsRemoved, model.dataChanged, model.modelReset,
                       model.layoutChanged):
            signal.connect(self._on_model_changed)
        self._on_model_changed()

    # --- public ---------------------------------------------------------------------

    def set_selected(self, session_id: int | None) -> None:
        """Outline this session's bar (the one selected in the table)."""
        if session_id != self._selected:
            self._selected = session_id
            self.update()

    def set_clock(self, now: float | None) -> None:
        """Draw as if it were ``now`` (None: the real clock)."""
        self._now = now
        self.update()

    def visible_sessions(self) -> list[int]:
        """The ids of the sessions drawn, top to bottom."""
        return [row.session_id for row in self._rows()]

    def bar_rect(self, session_id: int) -> QRectF | None:
        """Where a session's bar is drawn, or None if it is not shown."""
        rows = self._rows()
        start, end = self._span(rows)
        for row in rows:
            if row.session_id == session_id:
                return self._bar(row, start, end)
        return None

    def sizeHint(self) -> QSize:
        return QSize(480, MARGIN * 2 + AXIS_HEIGHT + ROW_HEIGHT * 6)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, MARGIN * 2 + AXIS_HEIGHT + ROW_HEIGHT * 2)

    # --- layout ---------------------------------------------------------------------------

    def _clock(self) -> float:
        return time.time() if self._now is None else self._now

    def _capacity(self) -> int:
        return max(1, (self.height() - 2 * MARGIN - AXIS_HEIGHT) // ROW_HEIGHT)

    def _rows(self) -> list[_Row]:
        """Every session online, then the newest ended ones while there is room; in arrival order."""
        count = self._model.rowCount()
        capacity = self._capacity()
        if count <= capacity:
            shown = list(range(count))
        else:
            online = [row for row in range(count) if self._model.info(row).state == ONLINE][-capacity:]
            room = capacity - len(online)
            ended = [row for row in range(count - 1, -1, -1) if self._model.info(row).state != ONLINE][:room]
            shown = sorted(online + ended)
        rows = []
        for i, model_row in enumerate(shown):
            rect = QRect(0, MARGIN + i * ROW_HEIGHT, self.width(), ROW_HEIGHT)
            rows.append(_Row(self._model.session_id(model_row), self._model.info(model_row), rect))
        return rows

    def _plot(self) -> QRect:
        return QRect(LABEL_WIDTH + MARGIN, MARGIN,
                     max(1, self.width() - LABEL_WIDTH - 3 * MARGIN), self.height() - 2 * MARGIN - AXIS_HEIGHT)

    def _span(self, rows: list[_Row]) -> tuple[float, float]:
        now = self._clock()
        start = min((row.info.connected_at for row in rows), default=now)
        end = max([now, *(row.info.disconnected_at or now for row in rows)])
        if end - start < 10:  # a fresh server: give bars room to grow instead of filling the width at once
            end = start + 10
        return start, end

    def _bar(self, row: _Row, start: float, end: float) -> QRectF:
        plot = self._plot()
        scale = plot.width() / (end - start)
        left = plot.left() + (row.info.connected_at - start) * scale
        finish = row.info.disconnected_at if row.info.disconnected_at is not None else self._clock()
        width = max(MIN_BAR_WIDTH, (finish - row.info.connected_at) * scale)
        top = row.rect.top() + (ROW_HEIGHT - BAR_HEIGHT) / 2
        return QRectF(left, top, width, BAR_HEIGHT)

    # --- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        rows = self._rows()
        start, end = self._span(rows)
        if not rows:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No connections yet")
            return
        self._paint_axis(painter, palette, start, end)
        metrics = painter.fontMetrics()
        for row in rows:
            label_rect = QRect(MARGIN, row.rect.top(), LABEL_WIDTH - MARGIN, ROW_HEIGHT)
            name = row.info.name or row.info.address
            painter.setPen(palette.color(QPalette.ColorRole.Text if row.info.state == ONLINE
                                         else QPalette.ColorRole.PlaceholderText))
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                             metrics.elidedText(name, Qt.TextElideMode.ElideRight, label_rect.width()))
            bar = self._bar(row, start, end)
            color = state_color(row.info.state)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color if row.info.state == ONLINE else color.lighter(125))
            painter.drawRoundedRect(bar, 3, 3)
            if row.session_id == self._selected:
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
                painter.drawRoundedRect(bar.adjusted(-2, -2, 2, 2), 4, 4)
        hidden = self._model.rowCount() - len(rows)
        if hidden:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(QRect(MARGIN, self.height() - MARGIN - AXIS_HEIGHT, LABEL_WIDTH - MARGIN, AXIS_HEIGHT),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, f"+{hidden} not shown")

    def _paint_axis(self, painter: QPainter, palette: QPalette, start: float, end: float) -> None:
        plot = self._plot()
        axis_y = plot.bottom() + 1
        grid = QColor(palette.color(QPalette.ColorRole.Mid))
        grid.setAlpha(90)
        step = tick_step(end - start, plot.width())
        fmt = "%H:%M:%S" if step < 60 else "%H:%M"
        first = (int(start) // step + 1) * step
        scale = plot.width() / (end - start)
        metrics = painter.fontMetrics()
        for tick in range(first, int(end) + 1, step):
            x = round(plot.left() + (tick - start) * scale)
            painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
            painter.drawLine(x, plot.top(), x, axis_y)
            label = time.strftime(fmt, time.localtime(tick))
            half = metrics.horizontalAdvance(label) // 2
            if x - half < plot.left() - MARGIN or x + half > self.width() - 2:
                continue
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(QRect(x - half - 2, axis_y + 2, 2 * half + 4, AXIS_HEIGHT - 2),
                             Qt.AlignmentFlag.AlignCenter, label)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawLine(plot.left(), axis_y, plot.right(), axis_y)

    # --- interaction --------------------------------------------------------------------------

    def _session_at(self, pos: QPoint) -> int | None:
        for row in self._rows():
            if row.rect.contains(pos):
                return row.session_id
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            session_id = self._session_at(event.position().toPoint())
            if session_id is not None:
                self.session_clicked.emit(session_id)
                return
        super().mousePressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            session_id = self._session_at(event.pos())
            row = None if session_id is None else self._model.row_of(session_id)
            if row is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self._model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole),
                                  self)
            return True
        return super().event(event)

    # --- updates ---------------------------------------------------------------------------------

    def _on_model_changed(self, *_: object) -> None:
        any_online = any(self._model.info(row).state == ONLINE for row in range(self._model.rowCount()))
        if any_online and not self._grow_timer.isActive():
            self._grow_timer.start()
        elif not any_online:
            self._grow_timer.stop()
        self.update()

    @Slot()
    def _on_grow_timer_timeout(self) -> None:
        if self.isVisible():
            self.update()

