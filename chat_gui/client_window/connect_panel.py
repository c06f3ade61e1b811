"""The client window's connect panel: server, port, name, TLS and Connect, remembered between runs."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget

from chat_gui.widgets import problem_words
from chat_server import protocol as p
from chat_server.settings import DEFAULT_HOST, DEFAULT_PORT


class SettingsKey:
    """Where the panel's fields are remembered."""

    HOST = "client/host"
    PORT = "client/port"
    NAME = "client/name"
    TLS = "client/tls"


@dataclass(frozen=True, slots=True)
class ConnectTarget:
    """What the panel says to connect to."""

    host: str
    port: int
    name: str | None  # None: the server assigns one
    tls: bool


class ConnectPanel(QWidget):
    """The fields and the Connect button; the window decides what connecting means."""

    connect_requested = Signal()  # Connect pressed, or Enter in the host or name field

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host_edit = QLineEdit()
        self.host_edit.setPlaceholderText(self.tr("host name or IP address"))
        self.host_edit.setToolTip(self.tr("The chat server's host name or IP address"))
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1, 65535)
        self.port_spin.setToolTip(self.tr("The chat server's TCP port"))
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(p.MAX_NAME_LENGTH)
        self.name_edit.setPlaceholderText(self.tr("optional: the server picks one"))
        self.name_edit.setToolTip(self.tr("Your name in the chat; leave it empty and the server assigns ClientNN"))
        self.tls_check = QCheckBox(self.tr("&TLS"))
        self.tls_check.setToolTip(self.tr("Encrypt the connection (the server must run with --tls); the server's "
                                          "certificate is remembered and a change is refused"))
        self.connect_button = QPushButton(self.tr("&Connect"))
        host_label, port_label = QLabel(self.tr("&Server")), QLabel(self.tr("&Port"))
        name_label = QLabel(self.tr("&Name"))
        host_label.setBuddy(self.host_edit)
        port_label.setBuddy(self.port_spin)
        name_label.setBuddy(self.name_edit)

        form = QHBoxLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addWidget(host_label)
        form.addWidget(self.host_edit, 3)
        form.addWidget(port_label)
        form.addWidget(self.port_spin)
        form.addSpacing(6)
        form.addWidget(name_label)
        form.addWidget(self.name_edit, 2)
        form.addWidget(self.tls_check)
        form.addWidget(self.connect_button)

        self.connect_button.clicked.connect(self.connect_requested)
        self.host_edit.returnPressed.connect(self.connect_requested)
        self.name_edit.returnPressed.connect(self.connect_requested)

    def fill(self, host: str, port: int, name: str | None, tls: bool) -> None:
        self.host_edit.setText(host)
        self.port_spin.setValue(port)
        self.name_edit.setText(name or "")
        self.tls_check.setChecked(tls)

    def problem(self) -> tuple[str, QWidget] | None:
        """What keeps the fields from being used, and the field to fix; None if they can be."""
        if not self.host_edit.text().strip():
            return self.tr("Type the server's host name or IP address."), self.host_edit
        name = self.name_edit.text().strip()
        fault = p.name_fault(name) if name else None
        if fault is not None:
            return self.tr("That name cannot be used: {problem}.").format(problem=problem_words(fault)), self.name_edit
        return None

    def target(self) -> ConnectTarget:
        name = self.name_edit.text().strip()
        return ConnectTarget(self.host_edit.text().strip(), self.port_spin.value(), name or None,
                             self.tls_check.isChecked())

    def set_state(self, offline: bool, had_session: bool, waiting: bool) -> None:
        """Editable only while offline; the button says Connect, Reconnect, or Reconnect now while waiting."""
        for widget in (self.host_edit, self.port_spin, self.name_edit, self.tls_check):
            widget.setEnabled(offline)
        self.connect_button.setEnabled(offline)
        self.connect_button.setText(self.tr("Reconnect &now") if waiting else self.tr("Re&connect") if had_session
                                    else self.tr("&Connect"))
        self.connect_button.setDefault(offline)

    def restore(self, settings: QSettings) -> None:
        """The values of the last connection the user made (bad stored values give the defaults)."""
        try:
            port = int(str(settings.value(SettingsKey.PORT, DEFAULT_PORT)))
        except ValueError:
            port = DEFAULT_PORT
        self.fill(str(settings.value(SettingsKey.HOST, DEFAULT_HOST)), port if 1 <= port <= 65535 else DEFAULT_PORT,
                  str(settings.value(SettingsKey.NAME, "")),
                  str(settings.value(SettingsKey.TLS, "false")).lower() == "true")

    def save(self, settings: QSettings) -> None:
        target = self.target()
        settings.setValue(SettingsKey.HOST, target.host)
        settings.setValue(SettingsKey.PORT, target.port)
        settings.setValue(SettingsKey.NAME, target.name or "")
        settings.setValue(SettingsKey.TLS, target.tls)
        settings.sync()
