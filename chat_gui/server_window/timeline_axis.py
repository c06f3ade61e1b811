"""The timeline's time axis: where its ticks fall, and the strip under the rows that labels them.

The strip stays in view while the rows scroll above it; the rows' grid lines use the same ticks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget

AXIS_HEIGHT = 20
REFERENCE_TEXT_HEIGHT = 14
"""The text height (the default 9-point font's) the timeline's pixel sizes were chosen for; larger text scales them."""
TICK_SPACING_PX = 90
"""About this many pixels between time labels on the axis."""
LABEL_OVERHANG_PX = 8
"""How far a label may stick out left of the bars, into the names' column."""

# Axis steps in seconds, from one second to a day; the smallest one that keeps labels apart wins.
_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400)


def scaled(widget: QWidget, pixels: int) -> int:
    """``pixels`` chosen for the reference text height, grown with ``widget``'s font (150 % text: 1.5 times)."""
    return round(pixels * max(1.0, widget.fontMetrics().height() / REFERENCE_TEXT_HEIGHT))


@dataclass(frozen=True, slots=True)
class AxisSpan:
    """The times drawn (``start`` to ``end``) over the pixels ``left`` to ``left + width``."""

    start: float
    end: float
    left: int
    width: int

    def x(self, t: float) -> float:
        return self.left + (t - self.start) * self.width / (self.end - self.start)


def tick_step(span_s: float, width_px: int, spacing_px: int = TICK_SPACING_PX) -> int:
    """The axis step in seconds for ``span_s`` seconds drawn over ``width_px`` pixels."""
    wanted = max(1, width_px // spacing_px)
    for step in _STEPS:
        if span_s / step <= wanted:
            return step
    return _STEPS[-1]


def ticks(span: AxisSpan) -> list[tuple[int, str]]:
    """Each tick's x and its label (seconds shown when the step is under a minute)."""
    step = tick_step(span.end - span.start, span.width)
    fmt = "%H:%M:%S" if step < 60 else "%H:%M"
    first = (int(span.start) // step + 1) * step
    return [(round(span.x(t)), time.strftime(fmt, time.localtime(t))) for t in range(first, int(span.end) + 1, step)]


class TimelineAxis(QWidget):
    """The labelled axis; ``span`` says what it shows now (None: nothing to show)."""

    def __init__(self, span: Callable[[], AxisSpan | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._span = span
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)

    def sizeHint(self) -> QSize:
        return QSize(240, scaled(self, AXIS_HEIGHT))

    def paintEvent(self, event: QPaintEvent) -> None:
        span = self._span()
        if span is None:
            return
        painter = QPainter(self)
        palette = self.palette()
        metrics = painter.fontMetrics()
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        for x, label in ticks(span):
            half = metrics.horizontalAdvance(label) // 2
            if x - half < span.left - LABEL_OVERHANG_PX or x + half > self.width() - 2:
                continue
            painter.drawText(QRect(x - half - 2, 2, 2 * half + 4, self.height() - 2), Qt.AlignmentFlag.AlignCenter,
                             label)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawLine(span.left, 0, span.left + span.width, 0)
