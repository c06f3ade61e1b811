"""The server window's announcement row: the name the server is announced by, and whether it is announced."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from chat_server.protocol import MAX_SERVER_NAME_LENGTH


class AnnounceControls(QWidget):
    """A name field and an "Announce on the network" box; both apply while the server runs (the window does)."""

    name_changed = Signal(str)  # edited (Enter or leaving the field), without blanks around it
    announce_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("server_name_edit")
        self.name_edit.setAccessibleName(self.tr("Server name"))  # the caption alone says "Name"
        self.name_edit.setMaxLength(MAX_SERVER_NAME_LENGTH)
        self.name_edit.setToolTip(self.tr("The name clients see in their list of servers on this network"))
        self.announce_check = QCheckBox(self.tr("Announce on the network"))
        self.announce_check.setObjectName("announce_check")
        self.announce_check.setToolTip(self.tr(
            "Announce this server on the LAN (DNS-SD), so that client windows list it and 'main.py discover' finds "
            "it. Not on localhost, where only this computer can connect. Anyone can forge an announcement: clients "
            "still check the TLS fingerprint themselves."))
        caption = QLabel(self.tr("Name"))
        caption.setBuddy(self.name_edit)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(caption)
        row.addWidget(self.name_edit, 1)
        row.addSpacing(10)
        row.addWidget(self.announce_check)
        row.addStretch(1)
        self.name_edit.editingFinished.connect(self._on_name_edit_editing_finished)
        self.announce_check.toggled.connect(self.announce_toggled)

    def set_values(self, name: str, announce: bool) -> None:
        """Show these values (without emitting ``announce_toggled``)."""
        self.name_edit.setText(name)
        blocked = self.announce_check.blockSignals(True)
        self.announce_check.setChecked(announce)
        self.announce_check.blockSignals(blocked)

    def name(self) -> str:
        return self.name_edit.text().strip()

    def announce(self) -> bool:
        return self.announce_check.isChecked()

    @Slot()
    def _on_name_edit_editing_finished(self) -> None:
        self.name_changed.emit(self.name())
