"""The server window's Rooms panel: the rooms table and what the operator can do to a room.

The panel asks the operator what it needs (a room's name, a topic, a member) through small
classmethods that tests replace, then says what was asked for with a signal; the window carries
it out with the engine (the panel never sees the ChatServer).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QItemSelection, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chat_gui.server_window.panels import titled_panel
from chat_gui.server_window.rooms_model import RoomColumn, RoomTableModel
from chat_gui.widgets import ask_item
from chat_server.protocol import LOBBY


class RoomQuestions:
    """The operator's answers (tests replace these classmethods); None, or False, when cancelled."""

    @classmethod
    def new_room(cls, parent: QWidget) -> tuple[str, bool] | None:
        """A new room's name and whether it is private."""
        dialog = QDialog(parent)
        dialog.setWindowTitle(QCoreApplication.translate("RoomQuestions", "New room"))
        name = QLineEdit("#")
        private = QCheckBox(QCoreApplication.translate(
            "RoomQuestions", "Private: joined only by invitation, hidden from others' room lists"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        form = QFormLayout(dialog)
        form.addRow(QCoreApplication.translate("RoomQuestions", "Name"), name)
        form.addRow(private)
        form.addRow(buttons)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        if dialog.exec() != QDialog.DialogCode.Accepted or not name.text().strip():
            return None
        return name.text().strip(), private.isChecked()

    @classmethod
    def topic(cls, parent: QWidget, room: str, current: str) -> str | None:
        title = QCoreApplication.translate("RoomQuestions", "Topic")
        question = QCoreApplication.translate("RoomQuestions", "Topic of {room} (empty clears it)").format(room=room)
        text, ok = QInputDialog.getText(parent, title, question, QLineEdit.EchoMode.Normal, current)
        return text if ok else None

    @classmethod
    def member(cls, parent: QWidget, room: str, members: list[str]) -> str | None:
        """The name of a member to take out of ``room``: one of ``members``, or another typed (an invitation)."""
        title = QCoreApplication.translate("RoomQuestions", "Remove a member")
        question = QCoreApplication.translate(
            "RoomQuestions", "Take this member out of {room} (or withdraw their invitation):").format(room=room)
        text = ask_item(parent, title, question, members, QCoreApplication.translate("RoomQuestions", "Member"))
        return text.strip() if text is not None and text.strip() else None

    @classmethod
    def invitee(cls, parent: QWidget, room: str) -> str | None:
        """The name of a member to invite to the private ``room``."""
        title = QCoreApplication.translate("RoomQuestions", "Invite a member")
        question = QCoreApplication.translate("RoomQuestions", "Invite this member to {room}:").format(room=room)
        text, ok = QInputDialog.getText(parent, title, question)
        return text.strip() if ok and text.strip() else None

    @classmethod
    def new_name(cls, parent: QWidget, room: str) -> str | None:
        """The name ``room`` is to have from now on."""
        title = QCoreApplication.translate("RoomQuestions", "Rename room")
        question = QCoreApplication.translate(
            "RoomQuestions", "New name of {room} (its members, topic and messages stay with it):").format(room=room)
        text, ok = QInputDialog.getText(parent, title, question, QLineEdit.EchoMode.Normal, room)
        return text.strip() if ok and text.strip() else None

    @classmethod
    def close_room(cls, parent: QWidget, room: str) -> bool:
        title = QCoreApplication.translate("RoomQuestions", "Close room")
        question = QCoreApplication.translate(
            "RoomQuestions", "Close {room}? Its members are taken out of it and it leaves the list.").format(room=room)
        answer = QMessageBox.question(parent, title, question)
        return answer == QMessageBox.StandardButton.Yes


class RoomsPanel(QWidget):
    """The rooms table with New room, Topic, Invite, Remove member, Rename, Close and a notice to the room."""

    create_requested = Signal(str, bool)  # name, private
    close_requested = Signal(str)  # room
    rename_requested = Signal(str, str)  # room, new name
    topic_requested = Signal(str, str)  # room, topic
    remove_requested = Signal(str, str)  # member name, room
    invite_requested = Signal(str, str)  # member name, room
    notice_requested = Signal(str)  # room: the notice bar is to send to it
    selection_changed = Signal()
    members_wanted = Signal(str)  # room: the window answers with set_members() before the question is asked

    def __init__(self, model: RoomTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._members: list[str] = []
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(RoomColumn.TOPIC, QHeaderView.ResizeMode.Stretch)
        metrics = self.table.fontMetrics()
        pad = 30
        def heading(column: RoomColumn) -> str:  # as translated
            return str(model.headerData(column, Qt.Orientation.Horizontal))

        private = QCoreApplication.translate("RoomTable", "private")
        for column, samples in ((RoomColumn.NAME, ["#" + "m" * 14]),
                                (RoomColumn.ONLINE, [f"{heading(RoomColumn.ONLINE)} 999/999"]),
                                (RoomColumn.MESSAGES, [heading(RoomColumn.MESSAGES)]),
                                (RoomColumn.PRIVATE, [heading(RoomColumn.PRIVATE), private])):
            self.table.setColumnWidth(column, max(map(metrics.horizontalAdvance, samples)) + pad)
        self.new_button = QPushButton(self.tr("New room…"))
        self.topic_button = QPushButton(self.tr("Topic…"))
        self.invite_button = QPushButton(self.tr("Invite…"))
        self.remove_button = QPushButton(self.tr("Remove member…"))
        self.rename_button = QPushButton(self.tr("Rename…"))
        self.close_button = QPushButton(self.tr("Close room"))
        self.notice_action = QAction(self.tr("Send a notice to this room"), self)
        for name in ("new_button", "topic_button", "invite_button", "remove_button", "rename_button", "close_button"):
            getattr(self, name).setObjectName(f"room_{name}")
        self.table.setObjectName("rooms_table")
        self.table.setAccessibleName(self.tr("Rooms"))
        self.table.setAccessibleDescription(self.tr("One row per room; select one to change it or send its members"
                                                    " a notice (context menu)"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # The buttons in two columns beside the table: in a row under the heading they kept the window wider than
        # half of a 1024-pixel screen, and in one column taller than half of a 1000-pixel one.
        body = QWidget()
        beside = QHBoxLayout(body)
        beside.setContentsMargins(0, 0, 0, 0)
        beside.addWidget(self.table, 1)
        grid = QGridLayout()
        for index, button in enumerate((self.new_button, self.topic_button, self.invite_button, self.rename_button,
                                        self.remove_button, self.close_button)):
            grid.addWidget(button, index // 2, index % 2)
        grid.setRowStretch(3, 1)
        beside.addLayout(grid)
        layout.addWidget(titled_panel(self.tr("Rooms"), body, []))
        self._connect_signals()
        self.update_buttons()

    def selected_room(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self._model.room_at(rows[0].row()) if rows else None

    def select_room(self, room: str) -> bool:
        row = self._model.row_of(room)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def set_members(self, members: list[str]) -> None:
        """The members of the room about to be asked about (the answer to ``members_wanted``)."""
        self._members = list(members)

    def update_buttons(self) -> None:
        room = self.selected_room()
        for widget in (self.topic_button, self.notice_action):
            widget.setEnabled(room is not None)
        lobby = room is None or room.lower() == LOBBY
        self.remove_button.setEnabled(not lobby)
        self.close_button.setEnabled(not lobby)
        self.rename_button.setEnabled(not lobby)
        self.rename_button.setToolTip(self.tr("#lobby keeps its name") if room is not None and lobby
                                      else self.tr("Give the selected room another name"))
        private = room is not None and any(summary.private for summary in self._model.rooms() if summary.name == room)
        self.invite_button.setEnabled(private)
        self.invite_button.setToolTip(self.tr("Invite a member to the selected private room") if private
                                      else self.tr("Select a private room to invite a member (anyone may join a "
                                                   "public one)"))
        self.close_button.setToolTip(self.tr("#lobby cannot be closed") if room is not None and lobby
                                     else self.tr("Close the selected room"))

    def _connect_signals(self) -> None:
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.topic_button.clicked.connect(self._on_topic_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.invite_button.clicked.connect(self._on_invite_button_clicked)
        self.rename_button.clicked.connect(self._on_rename_button_clicked)
        self.close_button.clicked.connect(self._on_close_button_clicked)
        self.notice_action.triggered.connect(self._on_notice_action_triggered)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu_requested)

    @Slot()
    def _on_new_button_clicked(self) -> None:
        answer = RoomQuestions.new_room(self)
        if answer is not None:
            self.create_requested.emit(*answer)

    @Slot()
    def _on_topic_button_clicked(self) -> None:
        room = self.selected_room()
        if room is None:
            return
        current = next((summary.topic for summary in self._model.rooms() if summary.name == room), "")
        topic = RoomQuestions.topic(self, room, current)
        if topic is not None:
            self.topic_requested.emit(room, topic)

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        room = self.selected_room()
        if room is None:
            return
        self._members = []
        self.members_wanted.emit(room)
        name = RoomQuestions.member(self, room, self._members)
        if room is not None and name is not None:
            self.remove_requested.emit(name, room)

    @Slot()
    def _on_invite_button_clicked(self) -> None:
        room = self.selected_room()
        name = None if room is None else RoomQuestions.invitee(self, room)
        if room is not None and name is not None:
            self.invite_requested.emit(name, room)

    @Slot()
    def _on_rename_button_clicked(self) -> None:
        room = self.selected_room()
        name = None if room is None else RoomQuestions.new_name(self, room)
        if room is not None and name is not None and name != room:
            self.rename_requested.emit(room, name)

    @Slot()
    def _on_close_button_clicked(self) -> None:
        room = self.selected_room()
        if room is not None and RoomQuestions.close_room(self, room):
            self.close_requested.emit(room)

    @Slot()
    def _on_notice_action_triggered(self) -> None:
        room = self.selected_room()
        if room is not None:
            self.notice_requested.emit(room)

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self.update_buttons()
        self.selection_changed.emit()

    @Slot(QPoint)
    def _on_table_context_menu_requested(self, pos: QPoint) -> None:
        if self.selected_room() is None:
            return
        menu = QMenu(self)
        menu.addAction(self.notice_action)
        menu.popup(self.table.viewport().mapToGlobal(pos))
