"""The server window's rooms table: a thin Qt model over the engine's room list, updated in place.

``RoomRows`` is plain Python (no Qt): the rows in the engine's order (by name) and the messages
counted per room: those stored when the window opened, and those said since. ``RoomTableModel``
adapts it for a view, turning each update into row inserts, removals and changed cells so that the
selection survives a refresh.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt

from chat_gui.i18n import translatable
from chat_gui.server_window.row_merge import merge_rows

ModelIndex = QModelIndex | QPersistentModelIndex


class RoomSummary(Protocol):
    """A room as ``ChatServer.rooms()`` lists it."""

    @property
    def name(self) -> str: ...
    @property
    def members(self) -> int: ...
    @property
    def online(self) -> int: ...
    @property
    def topic(self) -> str: ...
    @property
    def private(self) -> bool: ...


class RoomColumn(enum.IntEnum):
    NAME = 0
    ONLINE = 1
    TOPIC = 2
    MESSAGES = 3
    PRIVATE = 4


CONTEXT = "RoomTable"  # the catalogue's context of the texts below
HEADERS = {
    RoomColumn.NAME: translatable("RoomTable", "Room"),
    RoomColumn.ONLINE: translatable("RoomTable", "Online"),
    RoomColumn.TOPIC: translatable("RoomTable", "Topic"),
    RoomColumn.MESSAGES: translatable("RoomTable", "Messages"),
    RoomColumn.PRIVATE: translatable("RoomTable", "Private"),
}
HEADER_TIPS = {
    RoomColumn.ONLINE: translatable("RoomTable", "Members online / members (#lobby: everyone online)"),
    RoomColumn.MESSAGES: translatable("RoomTable", "Messages of the room in the database (older ones go with "
                                                   "--retention-days)"),
    RoomColumn.PRIVATE: translatable("RoomTable", "A private room is joined only by invitation and hidden from "
                                                  "others' room lists"),
}


@dataclass(frozen=True, slots=True)
class RoomRow:
    """One row: the engine's summary and the messages counted in it."""

    summary: RoomSummary
    messages: int

    @property
    def key(self) -> str:
        return self.summary.name.lower()

    def cell(self, column: RoomColumn) -> str:
        room = self.summary
        if column is RoomColumn.NAME:
            return room.name
        if column is RoomColumn.ONLINE:
            return f"{room.online}/{room.members}" if room.online != room.members else str(room.online)
        if column is RoomColumn.TOPIC:
            return room.topic
        if column is RoomColumn.MESSAGES:
            return str(self.messages)
        return QCoreApplication.translate("RoomTable", "private") if room.private else ""


class RoomRows:
    """The rooms as the table shows them, and the messages counted per room (by lower-case name)."""

    def __init__(self) -> None:
        self.rows: list[RoomRow] = []
        self._messages: Counter[str] = Counter()

    def count(self, room: str, messages: int) -> None:
        """``messages`` more were said in ``room`` (shown with the next ``update``)."""
        self._messages[room.lower()] += messages

    def row(self, summary: RoomSummary) -> RoomRow:
        return RoomRow(summary, self._messages[summary.name.lower()])

    def renamed(self, old: str, new: str) -> None:
        """A room's new name: its count goes with it."""
        self._messages[new.lower()] += self._messages.pop(old.lower(), 0)

    def forget(self, key: str) -> None:
        """A room that is gone: a new room of the same name starts from zero."""
        self._messages.pop(key, None)


class RoomTableModel(QAbstractTableModel):
    """The rooms, one row each, sorted by name as the engine lists them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = RoomRows()

    def count(self, room: str, messages: int) -> None:
        self._state.count(room, messages)

    def renamed(self, old: str, new: str) -> None:
        """``old`` is called ``new`` now: its count is shown under its new name from the next ``update``."""
        self._state.renamed(old, new)

    def rooms(self) -> list[RoomSummary]:
        return [row.summary for row in self._state.rows]

    def room_at(self, row: int) -> str | None:
        rows = self._state.rows
        return rows[row].summary.name if 0 <= row < len(rows) else None

    def row_of(self, room: str) -> int | None:
        key = room.lower()
        for number, row in enumerate(self._state.rows):
            if row.key == key:
                return number
        return None

    def update(self, summaries: Sequence[RoomSummary]) -> None:
        """Show these rooms (the engine's list, in its order): rows that went are removed (their counts forgotten: a
        new room of the same name starts from zero), new ones inserted, others changed."""
        state = self._state
        merge_rows(self, state.rows, [state.row(summary) for summary in summaries], lambda row: row.key,
                   lambda key: state.forget(str(key)))

    # --- QAbstractTableModel ------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._state.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(RoomColumn)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._state.rows):
            return None
        row = self._state.rows[index.row()]
        column = RoomColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cell(column)
        if role == Qt.ItemDataRole.ToolTipRole and column is RoomColumn.TOPIC and row.summary.topic:
            return row.summary.topic
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (RoomColumn.ONLINE, RoomColumn.MESSAGES):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(RoomColumn):
            return None
        column = RoomColumn(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate(CONTEXT, HEADERS[column])
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = HEADER_TIPS.get(column)
            return None if tip is None else QCoreApplication.translate(CONTEXT, tip)
        return None
