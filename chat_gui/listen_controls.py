"""The server window's listening bar: host, port, max clients, Start/Stop and the listening state."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

LOCALHOST = "127.0.0.1"
ALL_INTERFACES = "any"
MAX_CLIENTS_LIMIT = 10_000


def is_all_interfaces(host: str) -> bool:
    return host.strip().lower() in ("any", "", "*", "0.0.0.0", "::")


def is_localhost(host: str) -> bool:
    return host.strip().lower() in ("localhost", "127.0.0.1")


class ListenControls(QWidget):
    """Where the server listens and how many may join; the window decides what Start and Stop do."""

    start_clicked = Signal()
    stop_clicked = Signal()
    max_clients_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host_combo = QComboBox()
        self.host_combo.addItem("localhost (127.0.0.1)", LOCALHOST)
        self.host_combo.addItem("all interfaces", ALL_INTERFACES)
        self.host_combo.setToolTip("localhost: only this computer can connect; "
                                   "all interfaces: other computers on the LAN can too")
        self.port_spin = QSpinBox()
        self.port_spin.setRange(0, 65535)
        self.port_spin.setSpecialValueText("any free")
        self.port_spin.setToolTip("TCP port to listen on (0 picks a free one)")
        self.max_spin = QSpinBox()
        self.max_spin.setRange(0, MAX_CLIENTS_LIMIT)
        self.max_spin.setSpecialValueText("unlimited")
        self.max_spin.setToolTip("Members online at once; newcomers past this are refused (0 = no limit). "
                                 "A change applies to new connections at once.")
        self.start_button = QPushButton("Start")
        self.start_button.setToolTip("Listen for clients with these settings")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop listening and disconnect every member")
        self.state_label = QLabel()

        for name in ("host_combo", "port_spin", "max_spin", "start_button", "stop_button", "state_label"):
            getattr(self, name).setObjectName(name)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for text, widget in (("Host", self.host_combo), ("Port", self.port_spin), ("Max clients", self.max_spin)):
            caption = QLabel(text)
            caption.setBuddy(widget)
            layout.addWidget(caption)
            layout.addWidget(widget)
            layout.addSpacing(10)
        layout.addWidget(self.start_button)
        layout.addWidget(self.stop_button)
        layout.addSpacing(10)
        layout.addWidget(self.state_label)
        layout.addStretch(1)

        self.start_button.clicked.connect(self.start_clicked)
        self.stop_button.clicked.connect(self.stop_clicked)
        self.max_spin.valueChanged.connect(self.max_clients_changed)

    def set_options(self, host: str, port: int, max_clients: int) -> None:
        """Show these values; a host other than localhost or any gets its own entry."""
        host = host.strip()
        if is_localhost(host):
            self.host_combo.setCurrentIndex(0)
        elif is_all_interfaces(host):
            self.host_combo.setCurrentIndex(1)
        else:
            index = self.host_combo.findData(host)
            if index < 0:
                self.host_combo.addItem(host, host)
                index = self.host_combo.count() - 1
            self.host_combo.setCurrentIndex(index)
        self.port_spin.setValue(port)
        self.max_spin.setValue(max_clients)

    def host(self) -> str:
        """The chosen host, as ``ChatServer.listen`` takes it."""
        return str(self.host_combo.currentData())

    def port(self) -> int:
        return self.port_spin.value()

    def max_clients(self) -> int:
        return self.max_spin.value()

    def set_state(self, listening: bool, members_online: bool, address: str) -> None:
        """Lock host and port while listening; Stop also serves to end sessions left after a stop."""
        for widget in (self.host_combo, self.port_spin, self.start_button):
            widget.setEnabled(not listening)
        self.stop_button.setEnabled(listening or members_online)
        if listening:
            self.state_label.setText(f"<span style='color:#2e9d4f'>●</span> Listening on <b>{address}</b>")
        else:
            self.state_label.setText("<span style='color:#8a8f98'>●</span> Not listening")
