"""The server window: listening controls, the live connection cache, a timeline, the event log and operator tools.

Over 400 lines: this is the one place that wires the engine to the window's nine parts (listen
controls, the announcement row, banners, the connections and rooms tabs, the timeline, the log panel,
the notice bar, the status bar); the parts live in their own modules, and each slot here is a few lines.

It never touches a socket: it calls the ChatServer engine's methods and observes its
signals. Engine signals only queue work (a dirty session id, a log line, a message
count); a short single-shot timer applies the queue to the models at most
1000 / FLUSH_INTERVAL_MS times a second, so a burst of messages costs the relay
almost nothing and painting never holds up the network.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from pathlib import Path

from PySide6.QtCore import QConcatenateTablesProxyModel, QCoreApplication, QLocale, QSettings, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QSplitter, QTabWidget, QVBoxLayout, QWidget

from chat_gui.server_window.announce_controls import AnnounceControls
from chat_gui.server_window.engine_texts import listen_failure, room_refusal
from chat_gui.server_window.event_log import EventKind, EventLogModel
from chat_gui.server_window.event_reports import ServerEventReporter
from chat_gui.server_window.kick_dialog import KickConfirmation
from chat_gui.server_window.listen_controls import ListenControls, exposure_warning_text
from chat_gui.server_window.message_rate import MessageRate
from chat_gui.server_window.notice_bar import NoticeBar
from chat_gui.server_window.panels import ConnectionsPanel, EventLogPanel, banner, titled_panel
from chat_gui.server_window.rooms_model import RoomTableModel
from chat_gui.server_window.rooms_panel import RoomsPanel
from chat_gui.server_window.settings_panel import ServerWindowSettings, SettingsKey
from chat_gui.server_window.timeline import SessionTimeline
from chat_gui.widgets import (
    ElidedLabel,
    SessionFilterProxy,
    SessionListModel,
    SessionTableModel,
    ShortcutTable,
    add_help_menu,
    is_today,
    problem_words,
    restore_if_it_fits,
    show_focus,
    write_sessions_csv,
)
from chat_server.core import ChatServer, RoomChange, RoomEvent
from chat_server.net import ListenFailure
from chat_server.protocol import ONLINE, SessionInfo, host_port
from chat_server.settings import NameRefused
from chat_server.store import StoredMessage, StoreError
from resources import server_window_icon

FLUSH_INTERVAL_MS = 250  # 4 updates a second: live to the eye, and painting stays off the hot path
"""Queued changes reach the table, timeline and log within this long (so at most 20 flushes a second)."""
TICK_INTERVAL_MS = 1000
"""How often the message rate in the status bar is refreshed when nothing else updates it."""

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
        self._rooms_dirty = True  # the room list is read again at the next flush
        self._room_messages: Counter[str] = Counter()  # by conversation, until the next flush
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_INTERVAL_MS)
        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(TICK_INTERVAL_MS)

        self._build_ui()
        self._restore_settings()
        self._connect_signals()
        self._tick_timer.start()
        self._update_listening_ui()
        self._update_selection_ui()
        self._schedule_flush()  # the rooms there are already (a window opened on a running server)
        self._notice_bar.text_edit.setFocus()  # typing a notice is what the operator does most

    # --- public ---------------------------------------------------------------------------

    def set_listen_options(self, host: str, port: int, max_clients: int) -> None:
        """Fill the listening controls (command-line options override remembered ones)."""
        self._controls.set_options(host, port, max_clients)

    def start(self) -> bool:
        """Listen with the controls' values, as Start does; a failure is shown in the window."""
        controls = self._controls
        self._server.set_max_clients(controls.max_clients())
        self._server.set_password(controls.password())
        self._apply_announce_options()
        ok = self._server.listen(controls.host(), controls.port(), tls=controls.tls())
        if ok:
            self._settings.remember_listen_options(controls.host(), controls.port(), controls.max_clients(),
                                                   controls.tls())
        self._update_listening_ui()
        return ok

    def exposure_warning(self) -> str:
        """The warning shown when the chat is (or would be) readable by anyone on the network; "" if not."""
        server = self._server
        if server.is_listening:
            return exposure_warning_text(True, server.server_host, server.tls)
        return exposure_warning_text(False, self._controls.host(), self._controls.tls())

    def stop(self) -> None:
        """Stop listening and disconnect every member, as Stop does."""
        self._server.stop()
        self._update_listening_ui()

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
        self._flush_timer.stop()
        self._sessions.flush()
        self._fit_time_columns()
        self._flush_rooms()
        self._log.flush()
        self._update_count()
        self._update_selection_ui()

    def message_rate(self) -> float:
        """Messages relayed per second, averaged over the last few seconds."""
        return self._rate.rate()

    def count_text(self) -> str:
        """'2/3 online · listening on 127.0.0.1:12345', as the status bar and the title show it."""
        online = self._server.online_count
        limit = self._server.max_clients
        count = (self.tr("{online}/{limit} online").format(online=online, limit=limit) if limit
                 else self.tr("{online} online (no limit)").format(online=online))
        if not self._server.is_listening:
            return self.tr("{count} · not listening").format(count=count)
        return self.tr("{count} · listening on {address}").format(count=count, address=self._listen_address())

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

    # --- building ---------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.setWindowTitle(self._title())
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(10, 8, 10, 6)
        layout.setSpacing(8)
        self._controls = ListenControls()
        layout.addWidget(self._controls)
        self._announce = AnnounceControls()
        layout.addWidget(self._announce)
        self._error_label = banner("error_label", "#fbe3e1", "#8c1d13", "#e6a29b")
        self._error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self._error_label)
        self._warning_label = banner("warning_label", "#fff4d6", "#6b4a00", "#e8c66a")
        layout.addWidget(self._warning_label)

        self._splitter = QSplitter(Qt.Orientation.Vertical)
        self._splitter.setChildrenCollapsible(False)
        self._connections = ConnectionsPanel(self._proxy)
        self._rooms_panel = RoomsPanel(self._rooms)
        self._tabs = QTabWidget()
        self._tabs.setObjectName("tabs")
        self._tabs.setDocumentMode(True)
        self._tabs.addTab(self._connections, self.tr("Connections"))
        self._tabs.addTab(self._rooms_panel, self.tr("Rooms"))
        self._timeline = SessionTimeline(self._sessions)
        self._timeline.setObjectName("timeline")
        self._timeline.setAccessibleName(self.tr("Timeline"))
        self._timeline.setAccessibleDescription(self.tr("Each session as a bar over time; clicking one selects it"
                                                        " in the Connections table"))
        self._log_panel = EventLogPanel(self._log)
        self._splitter.addWidget(self._tabs)
        self._splitter.addWidget(titled_panel(self.tr("Timeline"), self._timeline, []))
        self._splitter.addWidget(self._log_panel)
        self._splitter.setSizes([260, 190, 220])
        layout.addWidget(self._splitter, 1)
        self._notice_bar = NoticeBar()
        layout.addWidget(self._notice_bar)
        self.setCentralWidget(central)

        self._count_label = ElidedLabel()  # in German it can be longer than half of a 1024-wide screen
        self._total_label = QLabel()
        self._rate_label = QLabel()
        self._rate_label.setToolTip(self.tr("Messages relayed per second, averaged over the last few seconds"))
        self._count_label.setContentsMargins(6, 0, 0, 0)
        self._rate_label.setContentsMargins(0, 0, 6, 0)
        # Permanent widgets: temporary status messages must never hide the member count.
        self.statusBar().addPermanentWidget(self._count_label, 1)
        self.statusBar().addPermanentWidget(self._total_label)
        self.statusBar().addPermanentWidget(self._rate_label)

        self._export_action = QAction(self.tr("Export CSV…"), self)
        self._export_action.setShortcut(QKeySequence.StandardKey.Save)
        self.addAction(self._export_action)
        for name in ("count_label", "total_label", "rate_label"):
            getattr(self, f"_{name}").setObjectName(name)  # tests and style sheets find widgets by name
        self._build_shortcuts()
        show_focus(self._connections.table, self._rooms_panel.table, self._log_panel.log_view, self._timeline)
        self.resize(960, 720)

    def _build_shortcuts(self) -> None:
        """Every operator action by keyboard; Help → Keyboard shortcuts lists this same table."""
        table = self.shortcuts = ShortcutTable(self)
        controls = self._controls
        table.add(["F5"], self.tr("Start listening"), controls.start_button.click)
        table.add(["Shift+F5"], self.tr("Stop listening and disconnect every member"), controls.stop_button.click)
        table.add(["Ctrl+1"], self.tr("Go to the Connections table"), self._on_connections_shortcut)
        table.add(["Ctrl+2"], self.tr("Go to the Rooms table"), self._on_rooms_shortcut)
        table.add(["Ctrl+K"], self.tr("Kick the selected member (asks first)"), self._connections.kick_button.click)
        table.add(["Ctrl+N"], self.tr("Write a notice (to whom \u201cNotice to\u201d shows)"),
                  self._notice_bar.text_edit.setFocus)
        table.note(["Return"], self.tr("Send the notice (in the notice field)"))
        table.adopt(self._export_action, self.tr("Export the sessions shown to a CSV file"))
        table.add(["Ctrl+Q"], self.tr("Close the window (members online get a goodbye first)"), self.close)
        add_help_menu(self, table)

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
        self._apply_announce_options()
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
        server.listening_changed.connect(self._on_server_listening_changed)
        server.listen_failed.connect(self._on_server_listen_failed)
        server.member_joined.connect(self._on_server_member_joined)
        server.member_left.connect(self._on_server_member_left)
        server.member_renamed.connect(self._on_server_member_renamed)
        server.messages_relayed.connect(self._on_server_messages_relayed)
        server.session_changed.connect(self._on_server_session_changed)
        server.settings_changed.connect(self._on_server_settings_changed)
        server.stopped.connect(self._on_server_stopped)
        server.rooms_changed.connect(self._on_server_rooms_changed)
        server.room_event.connect(self._on_server_room_event)

        self._reporter.reported.connect(self._schedule_flush)
        self._flush_timer.timeout.connect(self._on_flush_timer_timeout)
        self._tick_timer.timeout.connect(self._on_tick_timer_timeout)
        self._controls.start_clicked.connect(self._on_controls_start_clicked)
        self._controls.stop_clicked.connect(self._on_controls_stop_clicked)
        self._controls.max_clients_changed.connect(self._on_controls_max_clients_changed)
        self._controls.password_changed.connect(self._on_controls_password_changed)
        self._controls.exposure_changed.connect(self._on_controls_exposure_changed)
        self._announce.name_changed.connect(self._on_announce_changed)
        self._announce.announce_toggled.connect(self._on_announce_changed)
        self._connections.online_only_toggled.connect(self._on_connections_online_only_toggled)
        self._connections.runs_changed.connect(self._on_connections_runs_changed)
        self._connections.kick_requested.connect(self._on_connections_kick_requested)
        self._connections.notice_requested.connect(self._on_connections_notice_requested)
        self._connections.export_requested.connect(self._on_export_requested)
        self._connections.selection_changed.connect(self._on_connections_selection_changed)
        self._export_action.triggered.connect(self._on_export_requested)
        self._notice_bar.notice_requested.connect(self._on_notice_bar_notice_requested)
        self._timeline.session_clicked.connect(self._on_timeline_session_clicked)
        self._rooms_panel.create_requested.connect(self._on_rooms_create_requested)
        self._rooms_panel.close_requested.connect(self._on_rooms_close_requested)
        self._rooms_panel.rename_requested.connect(self._on_rooms_rename_requested)
        self._rooms_panel.topic_requested.connect(self._on_rooms_topic_requested)
        self._rooms_panel.remove_requested.connect(self._on_rooms_remove_requested)
        self._rooms_panel.invite_requested.connect(self._on_rooms_invite_requested)
        self._rooms_panel.members_wanted.connect(self._on_rooms_members_wanted)
        self._rooms_panel.notice_requested.connect(self._on_rooms_notice_requested)
        self._rooms_panel.selection_changed.connect(self._on_rooms_selection_changed)

    # --- engine events: cheap, they only queue (the log's lines come from the reporter) ----------------

    @Slot(bool)
    def _on_server_listening_changed(self, listening: bool) -> None:
        if listening:
            self._error_label.hide()
        self._update_listening_ui()

    @Slot(object)
    def _on_server_listen_failed(self, failure: ListenFailure) -> None:
        self._error_label.setText(listen_failure(failure))
        self._error_label.show()
        self._update_listening_ui()

    @Slot(str, int)
    def _on_server_member_joined(self, name: str, online: int) -> None:
        self._notice_bar.set_members(self._server.members())
        self._update_count()
        self._on_server_rooms_changed()  # the rooms' members online

    @Slot(str, str, int)
    def _on_server_member_left(self, name: str, reason: str, online: int) -> None:
        self._notice_bar.set_members(self._server.members())
        self._update_count()
        self._on_server_rooms_changed()

    @Slot(str, str)
    def _on_server_member_renamed(self, old: str, new: str) -> None:
        self._notice_bar.set_members(self._server.members(), renamed=(old, new))

    @Slot(object)
    def _on_server_messages_relayed(self, messages: list[StoredMessage]) -> None:
        self._rate.count(len(messages))
        self._room_messages.update(message.conversation for message in messages)
        self._rooms_dirty = True  # the reporter's line schedules the flush

    @Slot()
    def _on_server_rooms_changed(self) -> None:
        self._rooms_dirty = True
        self._schedule_flush()

    @Slot(object)
    def _on_server_room_event(self, event: RoomEvent) -> None:
        if event.change is RoomChange.RENAMED:
            self._rooms.renamed(event.old, event.room)  # its count of messages goes with it

    @Slot(int)
    def _on_server_session_changed(self, session_id: int) -> None:
        self._sessions.mark_changed(session_id)
        self._schedule_flush()

    @Slot(object)
    def _on_server_settings_changed(self, changed: frozenset[str]) -> None:
        self._update_listening_ui()  # the member limit and whether a password is asked show there

    @Slot()
    def _on_server_stopped(self) -> None:
        self._update_listening_ui()
        if self._closing:
            QTimer.singleShot(0, self.close)

    # --- timers -------------------------------------------------------------------------------------

    @Slot()
    def _schedule_flush(self) -> None:
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    @Slot()
    def _on_flush_timer_timeout(self) -> None:
        self.flush()

    @Slot()
    def _on_tick_timer_timeout(self) -> None:
        self._show_rate()
        self._fit_time_columns()  # after midnight, yesterday's times show their date

    # --- operator actions -------------------------------------------------------------------------

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
        self._apply_announce_options()

    def _apply_announce_options(self) -> None:
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

    @Slot()
    def _on_controls_exposure_changed(self) -> None:
        self._update_warning()

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
        self._fit_time_columns()

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

    @Slot(str, bool)
    def _on_rooms_create_requested(self, room: str, private: bool) -> None:
        why_not = self._server.create_room(room, private)
        if why_not is None:  # the engine's room_event logs it
            self.flush()
            self._rooms_panel.select_room(room)
        else:
            self._report(EventKind.ERROR, self.tr("Room {room} not created: {reason}").format(
                room=room, reason=room_refusal(why_not)))

    @Slot(str)
    def _on_rooms_close_requested(self, room: str) -> None:
        why_not = self._server.close_room(room)
        if why_not is not None:
            self._report(EventKind.ERROR, self.tr("Room {room} not closed: {reason}").format(
                room=room, reason=room_refusal(why_not)))

    @Slot(str, str)
    def _on_rooms_rename_requested(self, room: str, new_name: str) -> None:
        why_not = self._server.rename_room(room, new_name)
        if why_not is None:
            self.flush()
            self._rooms_panel.select_room(new_name)
        else:
            self._report(EventKind.ERROR, self.tr("Room {room} not renamed: {reason}").format(
                room=room, reason=room_refusal(why_not)))

    @Slot(str, str)
    def _on_rooms_topic_requested(self, room: str, topic: str) -> None:
        why_not = self._server.set_room_topic(room, topic)
        if why_not is not None:
            self._report(EventKind.ERROR, self.tr("Topic of {room} not set: {reason}").format(
                room=room, reason=room_refusal(why_not)))

    @Slot(str, str)
    def _on_rooms_remove_requested(self, name: str, room: str) -> None:
        why_not = self._server.remove_from_room(name, room)
        if why_not is not None:
            self._report(EventKind.ERROR, self.tr("{name} not removed from {room}: {reason}").format(
                name=name, room=room, reason=room_refusal(why_not)))

    @Slot(str, str)
    def _on_rooms_invite_requested(self, name: str, room: str) -> None:
        why_not = self._server.invite_to_room(name, room)
        if why_not is not None:
            self._report(EventKind.ERROR, self.tr("{name} not invited to {room}: {reason}").format(
                name=name, room=room, reason=room_refusal(why_not)))

    @Slot(str)
    def _on_rooms_members_wanted(self, room: str) -> None:
        self._rooms_panel.set_members(self._server.room_members(room))

    @Slot(str)
    def _on_rooms_notice_requested(self, room: str) -> None:
        self._notice_bar.set_recipient(room)
        self._notice_bar.text_edit.setFocus()

    @Slot()
    def _on_rooms_selection_changed(self) -> None:
        room = self._rooms_panel.selected_room()
        if room is not None:
            self._notice_bar.set_recipient(room)

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

    def _flush_rooms(self) -> None:
        if not self._rooms_dirty:
            return
        self._rooms_dirty = False
        for conversation, count in self._room_messages.items():
            room = self._server.room_of(conversation)
            if room is not None:
                self._rooms.count(room, count)
        self._room_messages.clear()
        self._rooms.update(self._server.rooms())
        self._notice_bar.set_rooms([room.name for room in self._rooms.rooms()])
        self._rooms_panel.update_buttons()

    def _fit_time_columns(self) -> None:
        """Room for dates in the time columns while some session shown is not from today."""
        starts = [t for t in (self._sessions.first_connected(), self._past.first_connected()) if t is not None]
        self._connections.show_dates(bool(starts) and not is_today(min(starts)))

    def _listen_address(self) -> str:
        return host_port(self._server.server_host, self._server.server_port)

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

    def _update_listening_ui(self) -> None:
        server = self._server
        listening = server.is_listening
        self._controls.set_state(listening, server.online_count > 0, self._listen_address() if listening else "",
                                 fingerprint=server.tls_fingerprint if listening else "",
                                 password=server.has_password)
        self._update_warning()
        self._update_count()

    def _update_warning(self) -> None:
        text = self.exposure_warning()
        self._warning_label.setText(text)
        self._warning_label.setVisible(bool(text))

    def _name_not_changed(self) -> str:
        return self.tr("The server's name was not changed")

    def _show_rate(self) -> None:
        self._rate_label.setText(self.tr("· {rate} msg/s").format(rate=QLocale().toString(self._rate.rate(), "f", 1)))

    def _title(self) -> str:
        return self.tr("LAN Chat Server")

    def _update_count(self) -> None:
        text = self.count_text()
        self._count_label.setText(text)
        self.setWindowTitle(f"{text} — {self._title()}")
        sessions, messages = self._server.cache.total, self._rate.total
        folded = self._server.cache.folded  # the oldest ended sessions, no longer in the table (status lists them)
        # (lupdate finds no tr() inside an f-string: each text is translated on its own line)
        total = self.tr("%n session(s)", "", sessions)
        if folded:
            total = total + " " + self.tr("(%n oldest not listed)", "", folded)
        message_count = self.tr("%n message(s)", "", messages)
        self._total_label.setText(f"{total} · {message_count}")
        self._show_rate()

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
        self._tick_timer.stop()
        self._flush_timer.stop()
        super().closeEvent(event)

