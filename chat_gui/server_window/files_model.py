"""The server window's files table: a thin Qt model over the engine's list of shared files, updated in place.

``FileRows`` is plain Python (no Qt): the files newest first, by id. ``FileTableModel`` adapts it for a view,
turning each update into row inserts, removals and changed cells, so that the selection survives a refresh. An
expired file (deleted, or beyond the storage's limits) keeps its row, greyed, so the operator sees what went.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from chat_gui.i18n import translatable
from chat_gui.server_window.row_merge import merge_rows
from chat_gui.widgets import file_size_text, short_time

ModelIndex = QModelIndex | QPersistentModelIndex


class SharedFileSummary(Protocol):
    """A shared file as ``ChatServer.files()`` lists it (its ``SharedFileRow``)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def mime(self) -> str: ...
    @property
    def sender(self) -> str: ...
    @property
    def conversation(self) -> str: ...
    @property
    def time(self) -> float: ...
    @property
    def downloads(self) -> int: ...
    @property
    def expired(self) -> bool: ...


class FileColumn(enum.IntEnum):
    NAME = 0
    SIZE = 1
    SENDER = 2
    CONVERSATION = 3
    TIME = 4
    DOWNLOADS = 5


CONTEXT = "FileTable"  # the catalogue's context of the texts below
HEADERS = {
    FileColumn.NAME: translatable("FileTable", "File"),
    FileColumn.SIZE: translatable("FileTable", "Size"),
    FileColumn.SENDER: translatable("FileTable", "Sender"),
    FileColumn.CONVERSATION: translatable("FileTable", "Conversation"),
    FileColumn.TIME: translatable("FileTable", "Shared"),
    FileColumn.DOWNLOADS: translatable("FileTable", "Downloads"),
}
HEADER_TIPS = {
    FileColumn.NAME: translatable("FileTable", "The file's name as stored (made safe); greyed once it has expired"),
    FileColumn.CONVERSATION: translatable("FileTable", "The room it was shared in, or the two members of a direct "
                                                       "conversation"),
    FileColumn.DOWNLOADS: translatable("FileTable", "How many times members have downloaded it"),
}


def file_cell(summary: SharedFileSummary, column: FileColumn) -> str:
    match column:
        case FileColumn.NAME:
            return summary.name
        case FileColumn.SIZE:
            return file_size_text(summary.size)
        case FileColumn.SENDER:
            return summary.sender
        case FileColumn.CONVERSATION:
            return summary.conversation
        case FileColumn.TIME:
            return short_time(summary.time)  # as the Connections table writes times
        case FileColumn.DOWNLOADS:
            return str(summary.downloads)


class FileRows:
    """The files as the table shows them: newest first (ties by id, so the order never wavers)."""

    def __init__(self) -> None:
        self.rows: list[SharedFileSummary] = []

    @staticmethod
    def ordered(summaries: Sequence[SharedFileSummary]) -> list[SharedFileSummary]:
        return sorted(summaries, key=lambda summary: (-summary.time, summary.id))

    def row_of(self, file_id: str) -> int | None:
        return next((number for number, row in enumerate(self.rows) if row.id == file_id), None)


class FileTableModel(QAbstractTableModel):
    """The shared files, one row each, newest first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = FileRows()

    def file_at(self, row: int) -> SharedFileSummary | None:
        rows = self._state.rows
        return rows[row] if 0 <= row < len(rows) else None

    def row_of(self, file_id: str) -> int | None:
        return self._state.row_of(file_id)

    def files(self) -> list[SharedFileSummary]:
        return list(self._state.rows)

    def update(self, summaries: Sequence[SharedFileSummary]) -> None:
        """Show these files (the engine's list), newest first: rows that went are removed, new ones inserted, others
        changed."""
        merge_rows(self, self._state.rows, FileRows.ordered(summaries), lambda row: row.id)

    # --- QAbstractTableModel ------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._state.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(FileColumn)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._state.rows):
            return None
        summary = self._state.rows[index.row()]
        column = FileColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return file_cell(summary, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{summary.name} · {summary.mime}"
            if summary.expired:
                tip += "\n" + QCoreApplication.translate("FileTable",
                                                          "Expired: no longer stored, no longer downloadable")
            return tip
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (FileColumn.SIZE, FileColumn.DOWNLOADS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if summary.expired and role == Qt.ItemDataRole.ForegroundRole:
            return QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if summary.expired and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(FileColumn):
            return None
        column = FileColumn(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate(CONTEXT, HEADERS[column])
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = HEADER_TIPS.get(column)
            return None if tip is None else QCoreApplication.translate(CONTEXT, tip)
        return None
