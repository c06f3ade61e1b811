"""Starting and stopping the server from its window, and what it runs with: the listening controls, the name and
the announcement, the password and the member limit, the error banner of a failed listen or a refused name, and the
warning while the chat is readable by anyone on the network."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import QObject, Slot

from chat_gui.server_window.engine_texts import listen_failure
from chat_gui.server_window.event_log import EventKind
from chat_gui.server_window.layout import WindowParts
from chat_gui.server_window.listen_controls import exposure_warning_text
from chat_gui.server_window.settings_panel import ServerWindowSettings
from chat_gui.widgets import problem_words
from chat_server.core import ChatServer
from chat_server.net import ListenFailure
from chat_server.protocol import host_port
from chat_server.settings import NameRefused


class Serving(QObject):
    """The window's side of listening: it gives the engine the controls' values and shows what the engine does.
    ``report`` writes a log line; ``changed`` is called whenever what the status bar counts may have changed."""

    def __init__(self, server: ChatServer, settings: ServerWindowSettings, parts: WindowParts,
                 report: Callable[[EventKind, str], None], changed: Callable[[], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = server
        self._settings = settings
        self._controls = parts.controls
        self._announce = parts.announce
        self._error_label = parts.error_label
        self._warning_label = parts.warning_label
        self._report = report
        self._changed = changed

    def connect_signals(self) -> None:
        """Follow the engine and the controls (once the window has restored the controls' values)."""
        server, controls = self._server, self._controls
        server.listening_changed.connect(self._on_server_listening_changed)
        server.listen_failed.connect(self._on_server_listen_failed)
        server.settings_changed.connect(self._on_server_settings_changed)
        controls.start_clicked.connect(self._on_controls_start_clicked)
        controls.stop_clicked.connect(self._on_controls_stop_clicked)
        controls.max_clients_changed.connect(self._on_controls_max_clients_changed)
        controls.password_changed.connect(self._on_controls_password_changed)
        controls.exposure_changed.connect(self._on_controls_exposure_changed)
        self._announce.name_changed.connect(self._on_announce_changed)
        self._announce.announce_toggled.connect(self._on_announce_changed)

    def start(self) -> bool:
        """Listen with the controls' values, as Start does; a failure is shown in the window."""
        controls = self._controls
        self._server.set_max_clients(controls.max_clients())
        self._server.set_password(controls.password())
        self.apply_announce_options()
        ok = self._server.listen(controls.host(), controls.port(), tls=controls.tls())
        if ok:
            self._settings.remember_listen_options(controls.host(), controls.port(), controls.max_clients(),
                                                   controls.tls())
        self.update_ui()
        return ok

    def stop(self) -> None:
        """Stop listening and disconnect every member, as Stop does."""
        self._server.stop()
        self.update_ui()

    def exposure_warning(self) -> str:
        """The warning shown when the chat is (or would be) readable by anyone on the network; "" if not."""
        server = self._server
        if server.is_listening:
            return exposure_warning_text(True, server.server_host, server.tls)
        return exposure_warning_text(False, self._controls.host(), self._controls.tls())

    def listen_address(self) -> str:
        return host_port(self._server.server_host, self._server.server_port)

    def apply_announce_options(self) -> None:
        """Give the engine the name and the announce box (both apply at once); a bad name is shown and undone."""
        settings = self._server.settings
        name, announce = self._announce.name(), self._announce.announce()
        try:
            self._server.apply_settings(dataclasses.replace(settings, name=name, advertise=announce))
        except NameRefused as refused:
            self._error_label.setText(f"{self._name_not_changed()}: {problem_words(refused.problem)}")
            self._error_label.show()
            self._announce.set_values(settings.name, settings.advertise)
            return
        if self._error_label.text().startswith(self._name_not_changed()):
            self._error_label.hide()
        self._settings.remember_announce_options(name, announce)

    def update_ui(self) -> None:
        """The controls, the warning and the counts as the engine is now."""
        server = self._server
        listening = server.is_listening
        self._controls.set_state(listening, server.online_count > 0, self.listen_address() if listening else "",
                                 fingerprint=server.tls_fingerprint if listening else "",
                                 password=server.has_password)
        self._update_warning()
        self._changed()

    @Slot(bool)
    def _on_server_listening_changed(self, listening: bool) -> None:
        if listening:
            self._error_label.hide()
        self.update_ui()

    @Slot(object)
    def _on_server_listen_failed(self, failure: ListenFailure) -> None:
        self._error_label.setText(listen_failure(failure))
        self._error_label.show()
        self.update_ui()

    @Slot(object)
    def _on_server_settings_changed(self, changed: frozenset[str]) -> None:
        self.update_ui()  # the member limit and whether a password is asked show there

    @Slot()
    def _on_controls_start_clicked(self) -> None:
        self.start()

    @Slot()
    def _on_controls_stop_clicked(self) -> None:
        self.stop()

    @Slot(int)
    def _on_controls_max_clients_changed(self, value: int) -> None:
        self._server.set_max_clients(value)  # applies to the next connection, even while listening

    @Slot(str)
    def _on_controls_password_changed(self, password: str) -> None:
        if password == self._server.settings.password:
            return
        self._server.set_password(password)
        self._report(EventKind.SERVER, self.tr("Password set: new members must give it") if password
                     else self.tr("Password removed: anyone who can connect may join"))

    @Slot()
    def _on_announce_changed(self) -> None:
        self.apply_announce_options()

    @Slot()
    def _on_controls_exposure_changed(self) -> None:
        self._update_warning()

    def _update_warning(self) -> None:
        text = self.exposure_warning()
        self._warning_label.setText(text)
        self._warning_label.setVisible(bool(text))

    def _name_not_changed(self) -> str:
        return self.tr("The server's name was not changed")
