"""The server window: listening controls, the live connection cache, a timeline, the event log and operator tools.

It never touches a socket: it calls the ChatServer engine's methods and observes its signals. This module
assembles the window and wires it (one ``_connect_signals``); its parts live beside it: the widgets and
shortcuts (layout.py), starting and stopping and what the server runs with (serving.py), the Rooms tab's
actions (room_operations.py), the Files tab (files_panel.py), keeping up with the engine by a timer (refresh.py),
the status bar (status_counts.py), the log's lines (event_reports.py). What stays here is the Connections tab's
actions (kick, a notice, earlier runs, export), the settings restored and saved, and closing."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from PySide6.QtCore import QConcatenateTablesProxyModel, QCoreApplication, QSettings, Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QFileDialog, QMainWindow, QWidget

from chat_gui.server_window.event_log import EventKind, EventLogModel
from chat_gui.server_window.event_reports import ServerEventReporter
from chat_gui.server_window.files_panel import FilesTab
from chat_gui.server_window.kick_dialog import KickConfirmation
from chat_gui.server_window.layout import build_parts, build_shortcuts
from chat_gui.server_window.message_rate import MessageRate
from chat_gui.server_window.refresh import WindowRefresh
from chat_gui.server_window.room_operations import RoomOperations
from chat_gui.server_window.rooms_model import RoomTableModel
from chat_gui.server_window.rooms_panel import RoomsPanel
from chat_gui.server_window.serving import Serving
from chat_gui.server_window.settings_panel import ServerWindowSettings, SettingsKey
from chat_gui.server_window.status_counts import StatusCounts
from chat_gui.server_window.timeline import SessionTimeline
from chat_gui.widgets import (
    SessionFilterProxy,
    SessionListModel,
    SessionTableModel,
    restore_if_it_fits,
    write_sessions_csv,
)
from chat_server.core import ChatServer
from chat_server.protocol import ONLINE, SessionInfo
from chat_server.store import StoreError
from resources import server_window_icon


class ServerWindow(QMainWindow):
    """What the person running the chat sees: who is connected, what happens, and the controls."""

    def __init__(self, server: ChatServer, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowIcon(server_window_icon())  # the application's icon with the server's badge
        self._server = server
        self._settings = ServerWindowSettings(settings if settings is not None else QSettings())
        self._closing = False
        self._rate = MessageRate()
        self._rate.total = sum(session.messages for session in server.cache)

        self._sessions = SessionTableModel(server.cache, self, run=server.run)
        self._past = SessionListModel(self)  # earlier runs' sessions, loaded when "All runs" is chosen
        self._all_sessions = QConcatenateTablesProxyModel(self)
        self._all_sessions.addSourceModel(self._sessions)
        self._all_sessions.addSourceModel(self._past)
        self._proxy = SessionFilterProxy(self)
        self._proxy.setSourceModel(self._all_sessions)
        self._log = EventLogModel(self._settings.log_limit(), self)
        self._reporter = ServerEventReporter(server, self._log, self)
        self._rooms = RoomTableModel(self)
        for room, count in server.room_message_counts().items():  # the stored ones; messages_relayed adds the rest
            self._rooms.count(room, count)
        self.setWindowTitle(self._title())
        parts = build_parts(self, self._proxy, self._rooms, self._sessions, self._log)
        self._controls, self._announce = parts.controls, parts.announce
        self._splitter, self._tabs = parts.splitter, parts.tabs
        self._connections, self._rooms_panel, self._timeline = parts.connections, parts.rooms_panel, parts.timeline
        self._log_panel, self._notice_bar, self._export_action = parts.log_panel, parts.notice_bar, parts.export_action
        self._status = StatusCounts(server, self._rate, parts.count_label, parts.total_label, parts.rate_label, self)
        self._serving = Serving(server, self._settings, parts, self._report, self._update_count, self)
        self._room_operations = RoomOperations(server, self._rooms_panel, self._notice_bar, self._report, self.flush,
                                               self)
        self._refresh = WindowRefresh(server, self._sessions, self._past, self._rooms, self._log, self._rate, parts,
                                      self._update_count, self._update_selection_ui, self._status.show_rate, self)
        self._tick_timer = self._refresh.tick_timer
        self.files_tab = FilesTab(server, parts.tabs, self._report, self)  # shared files, and Delete
        # Every operator action by keyboard; Help → Keyboard shortcuts lists this same table.
        self.shortcuts = build_shortcuts(self, parts, self._on_connections_shortcut, self._on_rooms_shortcut)
        self._restore_settings()
        self._connect_signals()
        self._serving.update_ui()
        self._update_selection_ui()
        self._refresh.schedule()  # the rooms there are already (a window opened on a running server)
        self._notice_bar.text_edit.setFocus()  # typing a notice is what the operator does most

    # --- public ---------------------------------------------------------------------------

    def set_listen_options(self, host: str, port: int, max_clients: int) -> None:
        """Fill the listening controls (command-line options override remembered ones)."""
        self._controls.set_options(host, port, max_clients)

    def start(self) -> bool:
        """Listen with the controls' values, as Start does; a failure is shown in the window."""
        return self._serving.start()

    def exposure_warning(self) -> str:
        """The warning shown when the chat is (or would be) readable by anyone on the network; "" if not."""
        return self._serving.exposure_warning()

    def stop(self) -> None:
        """Stop listening and disconnect every member, as Stop does."""
        self._serving.stop()

    def export_csv(self) -> int | None:
        """Ask where to save the connection cache and write it there; how many sessions were written."""
        suggested = str(self._settings.export_dir() / time.strftime("lanchat-sessions-%Y%m%d-%H%M%S.csv"))
        path = self.ask_export_path(self, suggested)
        if not path:
            return None
        try:
            count = write_sessions_csv(path, self.sessions_shown())
        except OSError as error:
            self._report(EventKind.ERROR, self.tr("Could not export to {path}: {error}").format(
                path=path, error=error.strerror or error))
            return None
        self._settings.remember_export_dir(Path(path).parent)
        self._report(EventKind.SERVER, self.tr("Exported %n session(s) to {path}", "", count).format(path=path))
        return count

    @classmethod
    def ask_export_path(cls, parent: QWidget, suggested: str) -> str | None:
        """The file to export to, from a save dialog (tests replace this); None if cancelled."""
        path, _ = QFileDialog.getSaveFileName(parent, QCoreApplication.translate("ServerWindow", "Export connections"),
                                              suggested, QCoreApplication.translate(
                                                  "ServerWindow", "CSV files (*.csv);;All files (*)"))
        return path or None

    def sessions_shown(self) -> list[SessionInfo]:
        """The sessions the table holds, whatever its filter: this run's, or (All runs) every run's."""
        this_run = [dataclasses.replace(info, run=self._server.run) for info in self._server.cache.snapshot()]
        return [*self._past.infos(), *this_run]

    @property
    def all_runs(self) -> bool:
        return self._connections.all_runs

    def set_all_runs(self, all_runs: bool) -> None:
        """Show the sessions of every run kept in the store, or of this run only."""
        self._connections.set_all_runs(all_runs)

    def flush(self) -> None:
        """Apply the queued engine changes to the table, timeline, log and status bar now."""
        self._refresh.flush()

    def message_rate(self) -> float:
        """Messages relayed per second, averaged over the last few seconds."""
        return self._rate.rate()

    def count_text(self) -> str:
        """'2/3 online · listening on 127.0.0.1:12345', as the status bar and the title show it."""
        return self._status.count_text()

    def save_settings(self) -> None:
        """Remember the window's geometry, layout and choices (done on close)."""
        self._settings.save_window(self.saveGeometry(), self._splitter.saveState(),
                                   self._connections.header_state(), self._log.limit,
                                   self._connections.online_only, self.all_runs)

    @property
    def session_model(self) -> SessionTableModel:
        return self._sessions

    @property
    def session_proxy(self) -> SessionFilterProxy:
        return self._proxy

    @property
    def event_log(self) -> EventLogModel:
        return self._log

    @property
    def timeline(self) -> SessionTimeline:
        return self._timeline

    @property
    def room_model(self) -> RoomTableModel:
        return self._rooms

    @property
    def rooms_panel(self) -> RoomsPanel:
        return self._rooms_panel

    def show_rooms(self) -> None:
        """Bring the Rooms tab to the front."""
        self._tabs.setCurrentWidget(self._rooms_panel)

    # --- settings -------------------------------------------------------------------------------

    def _restore_settings(self) -> None:
        server = self._server
        if server.is_listening:  # already serving: show what it really does
            self.set_listen_options(server.server_host, server.server_port, server.max_clients)
        else:
            self.set_listen_options(*self._settings.listen_options(server.settings))
        # TLS asked for on the command line, or as the last start had it; the password only from this run.
        self._controls.set_security(server.tls or self._settings.tls(), server.settings.password)
        self._announce.set_values(*self._settings.announce_options(server.settings))
        self._serving.apply_announce_options()
        # The geometry only if it still fits this screen (the launcher makes the default one fit).
        for key, restore in ((SettingsKey.GEOMETRY, lambda state: restore_if_it_fits(self, state)),
                             (SettingsKey.SPLITTER, self._splitter.restoreState),
                             (SettingsKey.HEADER, self._connections.restore_header_state)):
            state = self._settings.state(key)
            if state is not None:
                restore(state)
        self._connections.set_online_only(self._settings.online_only())
        self._connections.set_all_runs(self._settings.all_runs())
        self._show_runs(self.all_runs)

    # --- wiring --------------------------------------------------------------------------------

    def _connect_signals(self) -> None:
        server = self._server
        self._serving.connect_signals()  # listening, the controls, the name and the announcement
        self._room_operations.connect_signals()  # the Rooms tab's requests
        server.member_joined.connect(self._on_server_member_joined)
        server.member_left.connect(self._on_server_member_left)
        server.member_renamed.connect(self._on_server_member_renamed)
        server.stopped.connect(self._on_server_stopped)
        self._refresh.connect_signals(self._reporter)  # the engine's changes queued, applied by a timer
        self._connections.online_only_toggled.connect(self._on_connections_online_only_toggled)
        self._connections.runs_changed.connect(self._on_connections_runs_changed)
        self._connections.kick_requested.connect(self._on_connections_kick_requested)
        self._connections.notice_requested.connect(self._on_connections_notice_requested)
        self._connections.export_requested.connect(self._on_export_requested)
        self._connections.selection_changed.connect(self._on_connections_selection_changed)
        self._export_action.triggered.connect(self._on_export_requested)
        self._notice_bar.notice_requested.connect(self._on_notice_bar_notice_requested)
        self._timeline.session_clicked.connect(self._on_timeline_session_clicked)

    # --- engine events: cheap, they only queue (the log's lines come from the reporter) ----------------

    @Slot(str, int)
    def _on_server_member_joined(self, name: str, online: int) -> None:
        self._notice_bar.set_members(self._server.members())
        self._update_count()
        self._refresh.rooms_changed()  # the rooms' members online

    @Slot(str, str, int)
    def _on_server_member_left(self, name: str, reason: str, online: int) -> None:
        self._notice_bar.set_members(self._server.members())
        self._update_count()
        self._refresh.rooms_changed()

    @Slot(str, str)
    def _on_server_member_renamed(self, old: str, new: str) -> None:
        self._notice_bar.set_members(self._server.members(), renamed=(old, new))

    @Slot()
    def _on_server_stopped(self) -> None:
        self._serving.update_ui()
        if self._closing:
            QTimer.singleShot(0, self.close)

    # --- timers -------------------------------------------------------------------------------------

    # --- operator actions -------------------------------------------------------------------------

    @Slot(bool)
    def _on_connections_online_only_toggled(self, _checked: bool) -> None:
        self._update_selection_ui()

    @Slot(bool)
    def _on_connections_runs_changed(self, all_runs: bool) -> None:
        self._show_runs(all_runs)
        self._update_selection_ui()

    def _show_runs(self, all_runs: bool) -> None:
        if all_runs:
            try:
                past = self._server.past_sessions()
            except StoreError as error:
                self._report(EventKind.ERROR, self.tr("Could not read earlier runs from the database: {error}").format(
                    error=error))
                past = []
            self._past.set_sessions(past)
        else:
            self._past.set_sessions(())
        self._connections.show_run_column(all_runs)
        self._refresh.fit_time_columns()

    @Slot()
    def _on_connections_kick_requested(self) -> None:
        session_id = self._connections.selected_session()
        session = None if session_id is None else self._server.cache.get(session_id)
        if session is None or not session.name:
            return
        # The button is updated with the table, a moment after a member leaves: a click in between says so
        # (and never kicks another member who has taken the name since).
        name = self._online_name(session_id)
        if name is not None and not KickConfirmation.ask(self, name):
            return
        # The question was modal: the member may have left while it was open. The kick is for the session the
        # question named, wherever the selection is now.
        if name is None or self._online_name(session_id) != name or not self._server.kick(name):
            self._report(EventKind.ERROR, self.tr("Not kicked: {name} is no longer online").format(name=session.name))

    @Slot()
    def _on_connections_notice_requested(self) -> None:
        name = self._selected_member()
        if name is not None:
            self._notice_bar.set_recipient(name)
        self._notice_bar.text_edit.setFocus()

    @Slot()
    def _on_export_requested(self) -> None:
        self.export_csv()

    @Slot(str, str)
    def _on_notice_bar_notice_requested(self, text: str, to: str) -> None:
        room = to if to.startswith("#") else None
        if self._server.send_notice(text, None if room else to or None, room=room):
            self._notice_bar.text_edit.clear()
        elif room:
            self._report(EventKind.ERROR, self.tr("Notice not sent: there is no room {room} any more").format(
                room=room))
        else:
            self._report(EventKind.ERROR, self.tr("Notice not sent: {name} is no longer online").format(
                name=to or self.tr("nobody")))

    @Slot()
    def _on_connections_selection_changed(self) -> None:
        name = self._selected_member()
        if name is not None:
            self._notice_bar.set_recipient(name)
        self._update_selection_ui()

    @Slot()
    def _on_connections_shortcut(self) -> None:
        self._tabs.setCurrentWidget(self._connections)
        self._connections.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    @Slot()
    def _on_rooms_shortcut(self) -> None:
        self._tabs.setCurrentWidget(self._rooms_panel)
        self._rooms_panel.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    @Slot(int)
    def _on_timeline_session_clicked(self, session_id: int) -> None:
        self._connections.select_session(session_id)

    # --- helpers -------------------------------------------------------------------------------------

    def _report(self, kind: EventKind, text: str) -> None:
        self._reporter.report(kind, text)

    def _selected_member(self) -> str | None:
        """The name of the selected session if that member is online now."""
        return self._online_name(self._connections.selected_session())

    def _online_name(self, session_id: int | None) -> str | None:
        """The name of this session's member if they are online now."""
        session = None if session_id is None else self._server.cache.get(session_id)
        if session is None or session.state != ONLINE or session.name not in self._server.members():
            return None
        return session.name

    def _update_selection_ui(self) -> None:
        self._timeline.set_selected(self._connections.selected_session())
        self._connections.set_kick_target(self._selected_member())

    def _title(self) -> str:
        return self.tr("LAN Chat Server")

    def _update_count(self) -> None:
        self.setWindowTitle(f"{self._status.update(self._totals())} — {self._title()}")

    def _totals(self) -> str:
        """'12 sessions · 340 messages', as the status bar counts them."""
        sessions, messages = self._server.cache.total, self._rate.total
        folded = self._server.cache.folded  # the oldest ended sessions, no longer in the table (status lists them)
        # (lupdate finds no tr() inside an f-string: each text is translated on its own line)
        total = self.tr("%n session(s)", "", sessions)
        if folded:
            total = total + " " + self.tr("(%n oldest not listed)", "", folded)
        message_count = self.tr("%n message(s)", "", messages)
        return f"{total} · {message_count}"

    # --- closing ---------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save settings; with the server running, stop it first so members get a goodbye, then close."""
        if not self._closing:
            self.save_settings()
        if self._server.is_listening or self._server.online_count:
            self._closing = True
            event.ignore()
            self._server.stop()
            return
        self._refresh.stop()
        super().closeEvent(event)

