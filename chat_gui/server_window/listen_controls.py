"""The server window's listening bar: host, port, max clients, TLS, password, Start/Stop and the listening state."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from chat_gui.i18n import translatable
from chat_server.protocol import is_all_interfaces, is_localhost

LOCALHOST = "127.0.0.1"
ALL_INTERFACES = "any"
MAX_CLIENTS_LIMIT = 10_000


EXPOSED_NOW = translatable("ListenControls", "Anyone on your network can read this chat: the server listens on all "
                                             "interfaces without TLS. Stop, tick TLS and Start again to encrypt it.")
EXPOSED_AT_START = translatable("ListenControls", "Listening on all interfaces without TLS lets anyone on your network "
                                                  "read the chat: tick TLS to encrypt it.")


def exposure_warning_text(listening: bool, host: str, tls: bool) -> str:
    """The warning for a server that listens (``listening``) or would listen on ``host``; "" if none is due."""
    if tls or not is_all_interfaces(host):
        return ""
    return QCoreApplication.translate("ListenControls", EXPOSED_NOW if listening else EXPOSED_AT_START)


class ListenControls(QWidget):
    """Where the server listens, how and who may join; the window decides what Start and Stop do."""

    start_clicked = Signal()
    stop_clicked = Signal()
    max_clients_changed = Signal(int)
    password_changed = Signal(str)  # edited (Enter or leaving the field); "" for none
    exposure_changed = Signal()  # the host or TLS choice changed: the window rechecks its warning

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host_combo = QComboBox()
        self.host_combo.addItem(self.tr("localhost (127.0.0.1)"), LOCALHOST)
        self.host_combo.addItem(self.tr("all interfaces"), ALL_INTERFACES)
        self.host_combo.setToolTip(self.tr("localhost: only this computer can connect; "
                                           "all interfaces: other computers on the LAN can too"))
        self.host_combo.setAccessibleName(self.tr("Host"))  # a combo box is otherwise announced by its value
        self.port_spin = QSpinBox()
        self.port_spin.setRange(0, 65535)
        self.port_spin.setSpecialValueText(self.tr("any free"))
        self.port_spin.setToolTip(self.tr("TCP port to listen on (0 picks a free one)"))
        self.max_spin = QSpinBox()
        self.max_spin.setRange(0, MAX_CLIENTS_LIMIT)
        self.max_spin.setSpecialValueText(self.tr("unlimited"))
        self.max_spin.setToolTip(self.tr("Members online at once; newcomers past this are refused (0 = no limit). "
                                         "A change applies to new connections at once."))
        self.tls_check = QCheckBox(self.tr("TLS"))
        self.tls_check.setToolTip(self.tr("Encrypt every connection. A self-signed certificate is made the first "
                                          "time; clients check its fingerprint (shown below once listening). "
                                          "Applies at Start."))
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("none"))
        self.password_edit.setClearButtonEnabled(True)
        self.password_edit.setMaximumWidth(150)
        self.password_edit.setToolTip(self.tr("A password new members must give (empty: none). A change applies "
                                              "to the next connections; members online stay. It is not saved: "
                                              "start with --password-file or $LANCHAT_PASSWORD to have it set at "
                                              "once."))
        self.start_button = QPushButton(self.tr("Start"))
        self.start_button.setToolTip(self.tr("Listen for clients with these settings"))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop listening and disconnect every member"))
        self.state_label = QLabel()
        self.state_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint_label = QLabel()
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint_label.setToolTip(self.tr("Members see this fingerprint when they first connect with TLS: "
                                                  "if theirs matches, nobody is in between"))
        self.fingerprint_label.hide()

        for name in ("host_combo", "port_spin", "max_spin", "tls_check", "password_edit", "start_button",
                     "stop_button", "state_label", "fingerprint_label"):
            getattr(self, name).setObjectName(name)

        row = QHBoxLayout()
        row.setSpacing(6)
        # Three rows: where and how to listen (locked while listening), who may join (changes apply while listening),
        # Start and Stop with the state. Fewer rows kept the window wider than half of a 1024-pixel screen (in
        # German even more).
        who = QHBoxLayout()
        who.setSpacing(6)
        for line, text, widget in ((row, self.tr("Host"), self.host_combo), (row, self.tr("Port"), self.port_spin),
                                   (who, self.tr("Max clients"), self.max_spin),
                                   (who, self.tr("Password"), self.password_edit)):
            caption = QLabel(text)
            caption.setBuddy(widget)
            line.addWidget(caption)
            line.addWidget(widget)
            line.addSpacing(10)
        row.addWidget(self.tls_check)
        row.addStretch(1)
        who.addStretch(1)
        actions = QHBoxLayout()
        actions.setSpacing(6)
        actions.addWidget(self.start_button)
        actions.addWidget(self.stop_button)
        actions.addSpacing(10)
        actions.addWidget(self.state_label, 1)
        self.state_label.setWordWrap(True)  # wraps in a narrow window rather than widening it
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(row)
        layout.addLayout(who)
        layout.addLayout(actions)
        layout.addWidget(self.fingerprint_label)
        # Tab as the eye reads: row by row.
        for first, second in ((self.port_spin, self.tls_check), (self.tls_check, self.max_spin),
                              (self.password_edit, self.start_button)):
            QWidget.setTabOrder(first, second)

        self.start_button.clicked.connect(self.start_clicked)
        self.stop_button.clicked.connect(self.stop_clicked)
        self.max_spin.valueChanged.connect(self.max_clients_changed)
        self.password_edit.editingFinished.connect(self._on_password_edit_editing_finished)
        self.host_combo.currentIndexChanged.connect(self.exposure_changed)
        self.tls_check.toggled.connect(self.exposure_changed)

    @Slot()
    def _on_password_edit_editing_finished(self) -> None:
        self.password_changed.emit(self.password())

    def set_security(self, tls: bool, password: str) -> None:
        self.tls_check.setChecked(tls)
        self.password_edit.setText(password)

    def tls(self) -> bool:
        return self.tls_check.isChecked()

    def password(self) -> str:
        return self.password_edit.text().strip()

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

    def set_state(self, listening: bool, members_online: bool, address: str, fingerprint: str = "",
                  password: bool = False) -> None:
        """Lock host, port and TLS while listening; Stop also serves to end sessions left after a stop.

        ``fingerprint``: the TLS certificate's SHA-256 while serving TLS; ``password``: one is asked for.
        """
        for widget in (self.host_combo, self.port_spin, self.tls_check, self.start_button):
            widget.setEnabled(not listening)
        self.stop_button.setEnabled(listening or members_online)
        if listening:
            how = self.tr(" · encrypted (TLS)") if fingerprint else self.tr(" · not encrypted")
            how += self.tr(" · password required") if password else ""
            listening_on = self.tr("Listening on <b>{address}</b>").format(address=address)
            self.state_label.setText(f"<span style='color:#2e9d4f'>●</span> {listening_on}{how}")
        else:
            not_listening = self.tr("Not listening")
            self.state_label.setText(f"<span style='color:#8a8f98'>●</span> {not_listening}")
        self.fingerprint_label.setVisible(listening and bool(fingerprint))
        if listening and fingerprint:
            mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
            caption = self.tr("Certificate SHA-256 fingerprint:")
            self.fingerprint_label.setText(f"{caption} <span style=\"font-family:'{mono}'\">{fingerprint}</span>")
