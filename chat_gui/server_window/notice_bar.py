"""The server window's notice line: pick everyone, one member online or one room, type, press Enter."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QWidget

from chat_server.protocol import LOBBY


class NoticeBar(QWidget):
    """Emits ``notice_requested(text, to)`` with ``to`` a member's name, a room (``#name``) or "" for everyone."""

    notice_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        caption = QLabel(self.tr("Notice to"))
        self.recipient_combo = QComboBox()
        self.recipient_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.recipient_combo.setMinimumContentsLength(10)
        self.recipient_combo.setToolTip(self.tr("Everyone, one member online or the members online of one room"
                                                " (selecting a member or a room in its table picks it)"))
        caption.setBuddy(self.recipient_combo)
        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText(self.tr("A notice from the operator; press Enter to send"))
        self.text_edit.setClearButtonEnabled(True)
        self.text_edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.send_button = QPushButton(self.tr("Send"))
        self.recipient_combo.setObjectName("notice_recipient")
        self.text_edit.setObjectName("notice_edit")
        self.send_button.setObjectName("notice_send_button")
        self.recipient_combo.setAccessibleName(self.tr("Notice to"))
        self.text_edit.setAccessibleName(self.tr("Notice"))
        self.send_button.setAccessibleName(self.tr("Send the notice"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(caption)
        layout.addWidget(self.recipient_combo)
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(self.send_button)
        self._rooms: list[str] = []
        self.set_members([])
        self.send_button.clicked.connect(self._on_send_button_clicked)
        self.text_edit.returnPressed.connect(self._on_send_button_clicked)

    def recipient(self) -> str:
        """The chosen member's name, a room, or "" for everyone."""
        return str(self.recipient_combo.currentData() or "")

    def set_recipient(self, name: str) -> None:
        """Choose this member or room (everyone if it is not in the list)."""
        self.recipient_combo.setCurrentIndex(max(0, self.recipient_combo.findData(name)))

    def set_members(self, names: list[str], renamed: tuple[str, str] | None = None) -> None:
        """The members who can be chosen; the choice is kept if they are still there (or were renamed)."""
        current = self.recipient()
        if renamed is not None and current == renamed[0]:
            current = renamed[1]
        self.recipient_combo.blockSignals(True)
        self.recipient_combo.clear()
        self.recipient_combo.addItem(self.tr("everyone"), "")
        for name in [*names, *self._rooms]:  # a member's name never starts with "#", a room's always does
            self.recipient_combo.addItem(name, name)
        if current and current not in names and current not in self._rooms:
            # The chosen member left: the choice stays (marked), so that a private notice typed for them is
            # refused rather than sent to everyone.
            # How the chosen member is listed after leaving, until another choice is made.
            self.recipient_combo.addItem(self.tr("{name} (left)").format(name=current), current)
        self.recipient_combo.blockSignals(False)
        self.set_recipient(current)

    def set_rooms(self, rooms: list[str]) -> None:
        """The rooms that can be chosen (after the members; not #lobby: everyone is in it); the choice is kept as for
        members."""
        rooms = [room for room in rooms if room.lower() != LOBBY]
        if rooms != self._rooms:
            self._rooms = list(rooms)
            self.set_members(self.members())

    def members(self) -> list[str]:
        """The members online in the list (not a chosen member who has left, nor the rooms)."""
        listed = [str(self.recipient_combo.itemData(i)) for i in range(1, self.recipient_combo.count())]
        return [name for name in listed
                if self.recipient_combo.findText(name) >= 0 and name not in self._rooms]

    def rooms(self) -> list[str]:
        return list(self._rooms)

    @Slot()
    def _on_send_button_clicked(self) -> None:
        text = self.text_edit.text().strip()
        if text:
            self.notice_requested.emit(text, self.recipient())
