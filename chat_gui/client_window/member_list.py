"""The members of the conversation in view, as a list model the client window shows beside the transcript."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractListModel, QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QPixmap

from chat_gui.client_window.rosters import Member


def away_text(message: str) -> str:
    """A member's away as the list words it: "away: lunch", or "away"."""
    if message:
        return QCoreApplication.translate("MemberListModel", "away: {message}").format(message=message)
    return QCoreApplication.translate("MemberListModel", "away")


class MemberListModel(QAbstractListModel):
    """Member names (this member's own first and marked); a member offline is drawn muted and says so."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._members: list[Member] = []
        self.me = ""
        self.icon_for: Callable[[str], QPixmap] | None = None  # a picture beside each name online, if set
        self.offline_icon: Callable[[], QPixmap] | None = None  # the picture beside a member offline
        self.offline_color: Callable[[], QColor] | None = None  # the colour of a member offline's name
        self.away_of: Callable[[str], str | None] = lambda name: None  # a member's away message, None if present

    @property
    def names(self) -> list[str]:
        return [member.name for member in self._members]

    @property
    def members(self) -> list[Member]:
        return list(self._members)

    # --- the model interface ------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._members)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._members):
            return None
        member = self._members[index.row()]
        name = member.name
        away = self.away_of(name) if member.online else None
        if role == Qt.ItemDataRole.DisplayRole:
            shown = self.tr("{name} (you)").format(name=name) if name == self.me else name
            return shown if away is None else f"{shown} · {away_text(away)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            if away is not None:
                return self.tr("{name} is {away}.").format(name=name, away=away_text(away))
            if name == self.me:
                return self.tr("This is you.")
            if member.online:
                return self.tr("{name} is online. Double-click to send {name} a direct message.").format(name=name)
            return self.tr("{name} is offline. Double-click to send {name} a direct message.").format(name=name)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            if away is not None:
                return away_text(away)
            return self.tr("online") if member.online else self.tr("offline")
        if role == Qt.ItemDataRole.DecorationRole:
            if not member.online:
                return self.offline_icon() if self.offline_icon is not None else None
            return self.icon_for(name) if self.icon_for is not None else None
        if role == Qt.ItemDataRole.ForegroundRole and (not member.online or away is not None) \
                and self.offline_color is not None:
            return self.offline_color()  # a member away is drawn muted too
        if role == Qt.ItemDataRole.FontRole and (name == self.me or not member.online):
            font = QFont()
            font.setBold(name == self.me)
            font.setItalic(not member.online)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return name
        return None

    # --- changes ----------------------------------------------------------------------------

    def set_members(self, names: Sequence[str], me: str) -> None:
        """Everyone in ``names`` online, with ``me`` first."""
        first = [me] if me in names else []
        self.show_members([Member(name) for name in first + [name for name in names if name != me]], me)

    def show_members(self, members: Sequence[Member], me: str) -> None:
        """Show ``members``: a row in or out, or a member online or offline, as such a change; anything else anew."""
        new = list(members)
        old = self._members
        if me != self.me or len(new) not in (len(old) - 1, len(old), len(old) + 1):
            self._reset(new, me)
        elif len(new) == len(old) and [m.name for m in new] == [m.name for m in old]:
            changed = [row for row, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
            self._members = new
            for row in changed:
                index = self.index(row)
                self.dataChanged.emit(index, index)
        elif len(new) == len(old) + 1 and (inserted := _gap(new, old)) is not None:
            self.beginInsertRows(QModelIndex(), inserted, inserted)
            self._members = new
            self.endInsertRows()
        elif len(new) == len(old) - 1 and (removed := _gap(old, new)) is not None:
            self.beginRemoveRows(QModelIndex(), removed, removed)
            self._members = new
            self.endRemoveRows()
        else:
            self._reset(new, me)

    def refresh(self, name: str) -> None:
        """``name``'s row is drawn anew (it went away or came back)."""
        for row, member in enumerate(self._members):
            if member.name == name:
                index = self.index(row)
                self.dataChanged.emit(index, index)

    def clear(self) -> None:
        if self._members:
            self._reset([], self.me)

    def _reset(self, members: list[Member], me: str) -> None:
        self.beginResetModel()
        self._members = members
        self.me = me
        self.endResetModel()


def _gap(longer: list[Member], shorter: list[Member]) -> int | None:
    """The row whose removal from ``longer`` leaves ``shorter``, or None if no single row does."""
    row = next((i for i, (a, b) in enumerate(zip(longer, shorter, strict=False)) if a != b), len(shorter))
    return row if longer[row + 1:] == shorter[row:] else None
