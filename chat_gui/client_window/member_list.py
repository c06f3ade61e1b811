"""The members online, as a list model the client window shows beside the transcript."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QPixmap


class MemberListModel(QAbstractListModel):
    """Member names in order of arrival; this member's own name is marked and shown first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._names: list[str] = []
        self.me = ""
        self.icon_for: Callable[[str], QPixmap] | None = None  # a picture beside each name, if set

    @property
    def names(self) -> list[str]:
        return list(self._names)

    # --- the model interface ------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._names)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._names):
            return None
        name = self._names[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{name} (you)" if name == self.me else name
        if role == Qt.ItemDataRole.ToolTipRole:
            return "This is you." if name == self.me else f"{name} is online."
        if role == Qt.ItemDataRole.DecorationRole and self.icon_for is not None:
            return self.icon_for(name)
        if role == Qt.ItemDataRole.FontRole and name == self.me:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return name
        return None

    # --- changes ----------------------------------------------------------------------------

    def set_members(self, names: Sequence[str], me: str) -> None:
        """Start over from a welcome: everyone online, with ``me`` first."""
        self.beginResetModel()
        self.me = me
        self._names = [me] if me in names else []
        self._names += [name for name in names if name != me]
        self.endResetModel()

    def add(self, name: str) -> None:
        if name in self._names:
            return
        row = len(self._names)
        self.beginInsertRows(QModelIndex(), row, row)
        self._names.append(name)
        self.endInsertRows()

    def remove(self, name: str) -> None:
        if name not in self._names:
            return
        row = self._names.index(name)
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._names[row]
        self.endRemoveRows()

    def rename(self, old: str, new: str) -> None:
        if old not in self._names:
            self.add(new)
            return
        row = self._names.index(old)
        self._names[row] = new
        if old == self.me:
            self.me = new
        index = self.index(row)
        self.dataChanged.emit(index, index)

    def clear(self) -> None:
        if self._names:
            self.beginResetModel()
            self._names = []
            self.endResetModel()
