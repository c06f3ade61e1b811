"""The room dialog: find a public room and join it, or create a room (public, or private: by invitation only).

It shows the room list the engine reports (``show_rooms``) and says what the user asks for (``join_requested``,
``create_requested``, ``refresh_requested``); the window carries that out. The table is a thin model over a
plain list of RoomSummary values, filtered as the user types.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chat_gui.client import RoomSummary
from chat_gui.client_window.words import QT_TRANSLATE_NOOP, counts

COLUMNS = (QT_TRANSLATE_NOOP("RoomListModel", "Room"), QT_TRANSLATE_NOOP("RoomListModel", "Members"),
           QT_TRANSLATE_NOOP("RoomListModel", "Topic"))
"""The columns' titles, in English; translated where shown."""
RoomRole = Qt.ItemDataRole.UserRole + 1
"""The role under which each row gives its RoomSummary."""


class RoomListModel(QAbstractTableModel):
    """The room list: name, members, topic; a private room is marked, and so is a room this member is in."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rooms: list[RoomSummary] = []

    @property
    def rooms(self) -> list[RoomSummary]:
        return list(self._rooms)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rooms)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if (orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return QCoreApplication.translate("RoomListModel", COLUMNS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rooms):
            return None
        room = self._rooms[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                marks = [mark for mark, on in ((self.tr("private"), room.private), (self.tr("joined"), room.joined),
                                               (self.tr("invited"), room.invited)) if on]
                return f"{room.name} ({', '.join(marks)})" if marks else room.name
            if column == 1:
                return "" if room.invited and not room.members else room.members  # the list did not say
            return room.topic
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 2 and room.topic:
                return room.topic
            return self.tr("You are in this room.") if room.joined else self.tr("Double-click to join.")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == RoomRole:
            return room
        return None

    def set_rooms(self, rooms: Sequence[RoomSummary]) -> None:
        self.beginResetModel()
        self._rooms = sorted(rooms, key=lambda room: room.name.casefold())
        self.endResetModel()


class RoomFilter(QSortFilterProxyModel):
    """Rooms whose name or topic holds the filter's words (any case)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_words(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        room = self.sourceModel().index(source_row, 0, source_parent).data(RoomRole)
        if not isinstance(room, RoomSummary):
            return False
        seen = f"{room.name} {room.topic}".casefold()
        return all(word in seen for word in self._words)


class RoomDialog(QDialog):
    """Join a room from the list, or create one; stays open so the list can be refreshed and filtered."""

    join_requested = Signal(str)  # a room's name
    create_requested = Signal(str, bool)  # a room's name (with its #), private
    refresh_requested = Signal()

    def __init__(self, room_problem: Callable[[str], str | None], parent: QWidget | None = None) -> None:
        """``room_problem``: why a name cannot be a room's, as a sentence (None if it can)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Rooms"))
        self._room_problem = room_problem
        self.model = RoomListModel(self)
        self.proxy = RoomFilter(self)
        self.proxy.setSourceModel(self.model)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Find a room by name or topic"))
        self.filter_edit.setAccessibleName(self.tr("Find a room"))
        self.filter_edit.setClearButtonEnabled(True)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(self.tr("Rooms"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.list_label = QLabel(self.tr("Loading the room list…"))
        self.join_button = QPushButton(self.tr("&Join"))
        self.join_button.setEnabled(False)
        self.refresh_button = QPushButton(self.tr("Re&fresh"))
        list_row = QHBoxLayout()
        list_row.addWidget(self.list_label, 1)
        list_row.addWidget(self.refresh_button)
        list_row.addWidget(self.join_button)

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("#room-name"))
        self.name_edit.setAccessibleName(self.tr("New room's name"))
        self.private_check = QCheckBox(self.tr("&Private: only people you invite can find and join it"))
        self.create_button = QPushButton(self.tr("&Create"))
        self.create_button.setEnabled(False)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        create_box = QGroupBox(self.tr("Create a room"))
        create_layout = QVBoxLayout(create_box)
        name_row = QHBoxLayout()
        name_row.addWidget(self.name_edit, 1)
        name_row.addWidget(self.create_button)
        create_layout.addLayout(name_row)
        create_layout.addWidget(self.private_check)
        create_layout.addWidget(self.problem_label)

        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table, 1)
        layout.addLayout(list_row)
        layout.addWidget(create_box)
        self._connect_signals()
        self.resize(520, 420)

    def _connect_signals(self) -> None:
        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.join_button.clicked.connect(self._on_join_button_clicked)
        self.refresh_button.clicked.connect(self._on_refresh_button_clicked)
        self.name_edit.textChanged.connect(self._on_name_edit_text_changed)
        self.name_edit.returnPressed.connect(self._on_create_button_clicked)
        self.create_button.clicked.connect(self._on_create_button_clicked)

    # --- what the window tells it ------------------------------------------------------------

    def show_rooms(self, rooms: Sequence[RoomSummary]) -> None:
        self.model.set_rooms(rooms)
        count = len(rooms)
        self.list_label.setText(counts().rooms(count) if count else self.tr("No rooms yet: create one."))
        self._update_join_button()

    def set_waiting(self) -> None:
        self.list_label.setText(self.tr("Loading the room list…"))

    def visible_rooms(self) -> list[str]:
        """The names of the rooms the table shows now, in its order (what a screen reader reads)."""
        return [str(self.proxy.index(row, 0).data(RoomRole).name) for row in range(self.proxy.rowCount())]

    def new_room_name(self) -> str:
        """The name typed for a new room, with its ``#`` (added if left out)."""
        name = self.name_edit.text().strip()
        return name if name.startswith("#") or not name else f"#{name}"

    # --- what the user does ---------------------------------------------------------------------

    @Slot(str)
    def _on_filter_edit_text_changed(self, text: str) -> None:
        self.proxy.set_words(text)
        self._update_join_button()

    @Slot()
    def _on_table_selection_changed(self) -> None:
        self._update_join_button()

    @Slot(QModelIndex)
    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        room = index.data(RoomRole)
        if isinstance(room, RoomSummary):
            self.join_requested.emit(room.name)

    @Slot()
    def _on_join_button_clicked(self) -> None:
        room = self._selected()
        if room is not None:
            self.join_requested.emit(room.name)

    @Slot()
    def _on_refresh_button_clicked(self) -> None:
        self.set_waiting()
        self.refresh_requested.emit()

    @Slot(str)
    def _on_name_edit_text_changed(self, _text: str) -> None:
        name = self.new_room_name()
        problem = self._room_problem(name) if name else None
        self.problem_label.setText(f"⚠ {problem}" if problem else "")  # a sentence already
        self.problem_label.setVisible(problem is not None)
        self.create_button.setEnabled(bool(name) and problem is None)

    @Slot()
    def _on_create_button_clicked(self) -> None:
        name = self.new_room_name()
        if not name or self._room_problem(name) is not None:
            return
        self.create_requested.emit(name, self.private_check.isChecked())
        self.name_edit.clear()
        self.private_check.setChecked(False)

    def _selected(self) -> RoomSummary | None:
        rows = self.table.selectionModel().selectedRows()
        room = rows[0].data(RoomRole) if rows else None
        return room if isinstance(room, RoomSummary) else None

    def _update_join_button(self) -> None:
        room = self._selected()
        self.join_button.setEnabled(room is not None)
        self.join_button.setText(self.tr("&Open") if room is not None and room.joined else self.tr("&Join"))
