"""The server's event log: a bounded list model of timestamped lines, filled in batches, and its view.

``add()`` only appends to a bounded queue, so the engine's signal handlers stay cheap
under load; ``flush()`` (called a few times a second) moves the queued lines into the
model in one insert and drops the oldest lines past the limit.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

AnyIndex = QModelIndex | QPersistentModelIndex

DEFAULT_LOG_LIMIT = 1000
"""How many lines the log keeps unless told otherwise."""
MIN_LOG_LIMIT = 10
MAX_LOG_LIMIT = 100_000
MAX_SHOWN_TEXT = 300
"""Longer texts (a chat message can be 64 KiB) are cut in the log; the full text is in the tooltip."""

KIND_ROLE = Qt.ItemDataRole.UserRole + 1


class EventKind(StrEnum):
    """What a log line is about; decides its color."""

    SERVER = "server"
    JOIN = "join"
    LEAVE = "leave"
    MESSAGE = "message"
    NOTICE = "notice"
    REFUSAL = "refusal"
    ERROR = "error"


KIND_COLORS: dict[EventKind, QColor | None] = {
    EventKind.SERVER: QColor("#3465a4"),
    EventKind.JOIN: QColor("#2e8b47"),
    EventKind.LEAVE: QColor("#8a6d1c"),
    EventKind.MESSAGE: None,  # the palette's text color
    EventKind.NOTICE: QColor("#75507b"),
    EventKind.REFUSAL: QColor("#c0392b"),
    EventKind.ERROR: QColor("#c0392b"),
}


@dataclass(frozen=True, slots=True)
class LogEntry:
    time: float
    kind: EventKind
    text: str

    def line(self) -> str:
        """The entry as the log shows it: 'HH:MM:SS  text', one line, cut if very long."""
        text = " ".join(self.text.splitlines())
        if len(text) > MAX_SHOWN_TEXT:
            text = text[:MAX_SHOWN_TEXT] + "…"
        return f"{time.strftime('%H:%M:%S', time.localtime(self.time))}  {text}"


class EventLogModel(QAbstractListModel):
    """The newest ``limit`` log entries; entries added since the last ``flush()`` wait in a bounded queue."""

    def __init__(self, limit: int = DEFAULT_LOG_LIMIT, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._limit = _clamp(limit)
        self._entries: deque[LogEntry] = deque()
        self._pending: deque[LogEntry] = deque(maxlen=self._limit)

    @property
    def limit(self) -> int:
        return self._limit

    def set_limit(self, limit: int) -> None:
        """Keep at most ``limit`` lines from now on, dropping the oldest at once if over."""
        limit = _clamp(limit)
        if limit == self._limit:
            return
        self._limit = limit
        self._pending = deque(self._pending, maxlen=limit)
        self._trim(0)

    def add(self, kind: EventKind, text: str, when: float | None = None) -> None:
        """Queue a line; it appears at the next ``flush()``."""
        self._pending.append(LogEntry(time.time() if when is None else when, kind, text))

    @property
    def has_pending(self) -> bool:
        return bool(self._pending)

    def flush(self) -> bool:
        """Show the queued lines; True if any were added."""
        if not self._pending:
            return False
        incoming = list(self._pending)
        self._pending.clear()
        self._trim(len(incoming))
        first = len(self._entries)
        self.beginInsertRows(QModelIndex(), first, first + len(incoming) - 1)
        self._entries.extend(incoming)
        self.endInsertRows()
        return True

    def clear(self) -> None:
        self.beginResetModel()
        self._entries.clear()
        self._pending.clear()
        self.endResetModel()

    def _trim(self, room: int) -> None:
        """Drop the oldest lines so that ``room`` more fit within the limit."""
        excess = len(self._entries) + room - self._limit
        if excess <= 0:
            return
        excess = min(excess, len(self._entries))
        self.beginRemoveRows(QModelIndex(), 0, excess - 1)
        for _ in range(excess):
            self._entries.popleft()
        self.endRemoveRows()

    def entries(self) -> list[LogEntry]:
        return list(self._entries)

    def lines(self) -> list[str]:
        return [entry.line() for entry in self._entries]

    # --- QAbstractListModel ---------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._entries)):
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.line()
        if role == Qt.ItemDataRole.ForegroundRole:
            return KIND_COLORS[entry.kind]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(entry.time))}\n{entry.text}"
        if role == KIND_ROLE:
            return entry.kind.value
        return None


def _clamp(limit: int) -> int:
    return max(MIN_LOG_LIMIT, min(MAX_LOG_LIMIT, int(limit)))


MIN_LINES_SHOWN = 2


def fixed_pitch(font: QFont) -> QFont:
    """``font`` (its size: the application's, which follows the desktop's text scaling) in the system's fixed-pitch
    family; the system's fixed font itself keeps its own size whatever the text scaling."""
    fixed = QFont(font)
    fixed.setFamilies(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).families())
    fixed.setStyleHint(QFont.StyleHint.Monospace)
    fixed.setFixedPitch(True)
    return fixed


class EventLogView(QListView):
    """Shows the log in a fixed-width font and follows new lines while scrolled to the bottom."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUniformItemSizes(True)  # rows are one line each: lets the view skip measuring them
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setFont(fixed_pitch(self.font()))
        # At its least, two lines (the splitter gives it more): the window must fit half of a 1000-pixel screen.
        self.setMinimumHeight(MIN_LINES_SHOWN * self.fontMetrics().lineSpacing() + 2 * self.frameWidth())
        self._follow = True

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        if model is not None:
            model.rowsAboutToBeInserted.connect(self._on_model_rows_about_to_be_inserted)
            model.rowsInserted.connect(self._on_model_rows_inserted)

    def _on_model_rows_about_to_be_inserted(self, *_: object) -> None:
        bar = self.verticalScrollBar()
        self._follow = bar.value() >= bar.maximum() - 2

    def _on_model_rows_inserted(self, *_: object) -> None:
        if self._follow:
            self.scrollToBottom()
