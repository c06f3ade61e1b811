"""The client window: connect, chat, see who is online, ask for status, leave and come back.

Over 400 lines: a few per engine signal and per user action on the connection's course, which is the window's
(connecting, the welcome, a goodbye, a drop, reconnecting). Its parts are modules of their own: the widgets and
their places (window_body), the message box (message_box), what happens in the conversations
(conversation_news), a certificate or a password to ask about (connection_questions), Status
(status_requests), the sidebar and the conversation in view (conversation_pane), the member list
(member_panel), a room's actions (room_actions), read markers and the "new messages" line (read_tracking), who
is typing (typing_line), away (away_control), the connect
panel and the servers list.

It drives a ChatClient through its methods and shows what its signals report; it never
touches a socket. Reconnecting after a drop is the engine's job (``auto_reconnect``); the
window only says what is happening.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QWidget

from chat_gui.client import (
    LOBBY,
    ChatClient,
    ClientEnd,
    ClientIdentities,
    ClientState,
    Conversation,
    Farewell,
    RefusalKind,
    ServerBrowser,
    Welcomed,
)
from chat_gui.client_window.away_control import AwayControl
from chat_gui.client_window.connect_panel import ConnectPanel
from chat_gui.client_window.connection_questions import ConnectionQuestions
from chat_gui.client_window.conversation_news import ConversationNews
from chat_gui.client_window.conversation_pane import ConversationPane
from chat_gui.client_window.emoji_font import add_emoji_fallback
from chat_gui.client_window.file_sharing import FileSharing
from chat_gui.client_window.member_list import MemberListModel
from chat_gui.client_window.member_panel import MemberPanel
from chat_gui.client_window.message_box import MessageBox
from chat_gui.client_window.notifier import Notifier
from chat_gui.client_window.read_tracking import ReadTracking
from chat_gui.client_window.room_actions import RoomActions
from chat_gui.client_window.scrollback_loader import ScrollbackLoader
from chat_gui.client_window.search_dock import SearchDock
from chat_gui.client_window.server_list import ServerChoice, ServerListPanel
from chat_gui.client_window.status_requests import StatusRequests
from chat_gui.client_window.transcript import Delivery, Entry, EntryKind
from chat_gui.client_window.transcript_view import TranscriptView
from chat_gui.client_window.typing_line import TypingLine
from chat_gui.client_window.window_body import WindowBody
from chat_gui.widgets import ShortcutTable, StatusDialog, add_help_menu
from chat_server import protocol as p
from resources import client_window_icon

APP_TITLE = "LAN Chat"  # the application's name: not translated


class ClientWindow(QMainWindow):
    """One chat member's window; several can live in one process (demo mode opens three)."""

    closed = Signal()  # closed for real: after the goodbye, when closing waited for it

    def __init__(self, client: ChatClient | None = None, settings: QSettings | None = None,
                 parent: QWidget | None = None, browser: ServerBrowser | None = None) -> None:
        """``browser``: looks for servers on the network while the connect panel shows (None: the list
        has only the last servers used)."""
        super().__init__(parent)
        self.setWindowIcon(client_window_icon())  # the application's icon with a person's badge
        self.client = client if client is not None else ChatClient(self)
        self.client.auto_reconnect = True
        self.settings = settings if settings is not None else QSettings()
        self.browser = browser
        if browser is not None:
            browser.setParent(self)
        self.identities = ClientIdentities(self.settings)
        self._anonymous_id = self.client.client_id  # used while no name is chosen
        self.members = MemberListModel(self)
        self.notifier = Notifier(self)
        self._had_session = False  # a welcome came at some point: offer Reconnect, not Connect
        self._goodbye_seen = False  # this connection's goodbye is in the transcript already
        self._closing = False  # close() waits for the goodbye, then closes for real
        self._last_problem = ""  # why the last connection ended or failed, while reconnecting

        self.transcript_view = TranscriptView()
        self.pane = ConversationPane(self.client, self.transcript_view, self.settings, self._address, self)
        self.conversations = self.pane.model
        self.transcript = self.pane.transcript(LOBBY)  # the lobby's: all that a version-1 server says
        self.sidebar = self.pane.sidebar
        self.room_actions = RoomActions(self.client, self.pane, lambda: self.member_panel.rosters, self)
        self.news = ConversationNews(self.client, self.pane, self.notifier, self, self)
        self.scrollback = ScrollbackLoader(self.client, self.pane, self.transcript_view, self)
        self._build_ui()
        self.questions = ConnectionQuestions(self.client, self.news, self.body, self, lambda: self._closing,
                                             self._address)
        self.client.trust = self.questions.decide_trust
        self.status_requests = StatusRequests(self.client, self)
        # Emoji drawn from an installed emoji font, not as boxes, wherever members' text and names show.
        self.emoji_family = add_emoji_fallback([self.transcript_view, self.message_edit, self.members_view,
                                                self.sidebar.view])
        self.member_panel = MemberPanel(self.client, self.pane, self.members, self.members_label, self)
        self.search_dock = SearchDock(self.client, self.pane, self.transcript_view, self)  # Ctrl+F
        self.message_box.names_in = lambda conversation: self.member_panel.rosters.names(conversation, self.client.name)
        self.read_tracking = ReadTracking(self.client, self.pane, self.transcript_view, self, self)
        self.connect_panel.restore(self.settings)
        self.away = AwayControl(self.client, self, self.pane, self.members, self)  # by hand and when idle
        self._connect_signals()
        self._update_for_state()
        self._update_title()
        self.resize(900, 560)

    # --- public API --------------------------------------------------------------------------

    def connect_to(self, host: str, port: int, name: str | None = None, tls: bool = False,
                   password: str | None = None) -> None:
        """Fill the connect panel and connect (not remembered: only what the user types is)."""
        self.connect_panel.fill(host, port, name, tls)
        self._connect(remember=False, password=password)

    def send_message(self, text: str) -> str | None:
        """Send ``text`` as if typed and entered; the message id, or None if not sent."""
        self.message_edit.setText(text)
        return self.message_box.send_typed()

    def entries(self, conversation: Conversation = LOBBY) -> list[Entry]:
        return self.pane.transcript(conversation).entries()

    def transcript_lines(self, conversation: Conversation = LOBBY) -> list[str]:
        """A conversation's transcript as plain lines (what a screen reader reads)."""
        return [entry.summary() for entry in self.entries(conversation)]

    @property
    def unread(self) -> int:
        """Messages not yet seen in the conversations that are not muted (the title shows it)."""
        return self.conversations.conversations.total_unread

    def open_conversation(self, conversation: Conversation) -> None:
        """Show ``conversation`` (opened in the sidebar first, if it was not)."""
        self.pane.show(conversation)

    @property
    def status_dialog(self) -> StatusDialog | None:
        """The server's answer to Status, once asked for."""
        return self.status_requests.dialog

    # --- building -------------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.connect_panel = ConnectPanel()
        panel = self.connect_panel  # its fields, as the window's own (tests and the tab order use them)
        self.host_edit, self.port_spin, self.name_edit = panel.host_edit, panel.port_spin, panel.name_edit
        self.tls_check, self.connect_button = panel.tls_check, panel.connect_button
        self.server_list = ServerListPanel(self.browser, self.settings,
                                           lambda host, port: self.client.known_servers.get(host, port))
        self.transcript_view.setModel(self.transcript)
        self.message_box = MessageBox(self.client, self.pane, self.transcript_view, self.news.sent_in, self)
        self.files = FileSharing(self.client, self.pane, self.transcript_view, self.message_box.edit,
                                 self.news.sent_in, self)  # attach, drop, paste; the file cards' buttons
        self.message_box.row.insertWidget(1, self.files.attach_button)
        self.typing_line = TypingLine(self.client, self.pane, self.message_box.edit, self)
        body = self.body = WindowBody(self.connect_panel, self.server_list, self.pane, self.transcript_view,
                                      self.room_actions, self.members, self.message_box, self.typing_line.label,
                                      attach_button=self.files.attach_button)
        # Its widgets, as the window's own (tests use them).
        self.state_icon, self.state_label, self.progress = body.state_icon, body.state_label, body.progress
        self.status_button, self.exit_button = body.status_button, body.exit_button
        self.members_label, self.members_view, self.splitter = body.members_label, body.members_view, body.splitter
        box = self.message_box
        self.message_edit, self.send_button, self.limit_label = box.edit, box.send_button, box.limit_label
        self.setCentralWidget(body)

        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(self.quit_action)
        self._build_shortcuts()

    def _build_shortcuts(self) -> None:
        """Everything by keyboard; Help → Keyboard shortcuts lists this same table."""
        table = self.shortcuts = ShortcutTable(self)
        table.note(["Return"], self.tr("Send the message (in the message field)"))
        table.add(["Ctrl+Return"], self.tr("Send the message"), self.message_box.send_typed)
        table.add(["Ctrl+L"], self.tr("Go to the message field"), self.message_edit.setFocus)
        table.add(["Ctrl+PgDown"], self.tr("Next conversation"), lambda: self.sidebar.select_next(1))
        table.add(["Ctrl+PgUp"], self.tr("Previous conversation"), lambda: self.sidebar.select_next(-1))
        table.add(["Ctrl+R"], self.tr("Find, join or create a room (Rooms…)"), self.sidebar.rooms_button.click)
        table.add(["Ctrl+F"], self.tr("Search the messages (Esc closes the search)"), lambda: self.search_dock.open())
        table.add(["Ctrl+I"], self.tr("Ask the server who has connected (Status)"), self.status_button.click)
        table.note(["Return"], self.tr("Save the file of the card selected in the transcript (Menu: Open, Cancel)"))
        table.add(["Ctrl+D"], self.tr("Leave the chat, or stop reconnecting (Exit); the window stays open"),
                  self.exit_button.click)
        table.adopt(self.quit_action, self.tr("Leave the chat and close the window"))
        add_help_menu(self, table)

    def _connect_signals(self) -> None:
        client = self.client
        client.state_changed.connect(self._on_client_state_changed)
        client.welcomed.connect(self._on_client_welcomed)
        self.news.connect_signals()
        self.scrollback.connect_signals()
        self.status_requests.connect_signals()
        client.goodbye_received.connect(self._on_client_goodbye_received)
        client.disconnected.connect(self._on_client_disconnected)
        client.reconnecting.connect(self._on_client_reconnecting)

        self.connect_panel.connect_requested.connect(self._on_connect_panel_connect_requested)
        self.server_list.server_chosen.connect(self._on_server_list_server_chosen)
        self.message_box.connect_signals()
        self.files.connect_signals()
        self.typing_line.connect_signals()
        self.away.connect_signals()
        self.status_button.clicked.connect(self._on_status_button_clicked)
        self.exit_button.clicked.connect(self._on_exit_button_clicked)
        self.quit_action.triggered.connect(self._on_quit_action_triggered)
        self.pane.conversation_shown.connect(self._on_pane_conversation_shown)
        self.news.unread_counted.connect(self._on_news_unread_counted)
        self.read_tracking.connect_signals()
        self.read_tracking.counts_changed.connect(self._on_news_unread_counted)
        self.questions.answered.connect(self._on_questions_answered)
        self.members_view.doubleClicked.connect(self._on_members_view_double_clicked)

    # --- what the client engine reports ------------------------------------------------------------

    @Slot(str)
    def _on_client_state_changed(self, _state: str) -> None:
        self._update_for_state()

    @Slot(object)
    def _on_client_welcomed(self, welcome: Welcomed) -> None:
        back = self._had_session
        self._had_session = True
        self._goodbye_seen = False
        self.news.welcomed(welcome, back)
        if back:
            text = self.tr("Welcome back, {name}!").format(name=welcome.name)
        elif self.client.requested_name:
            text = self.tr("Welcome, {name}!").format(name=welcome.name)
        else:
            text = self.tr("Welcome, {name} (a name the server chose for you)!").format(name=welcome.name)
        text += " " + self.tr("You are in the chat on {address} · {online}").format(
            address=self._address(), online=self.news.online_text())
        self._add(EntryKind.WELCOME, text)
        self.pane.welcomed(welcome)
        # The engine sends what waited in its outbox right after this signal.
        for transcript in self.conversations.transcripts():
            transcript.move_deliveries(Delivery.QUEUED, Delivery.SENDING)
            transcript.move_deliveries(Delivery.HELD, Delivery.SENDING)
        self.message_box.set_max_line_bytes(welcome.max_line_bytes)
        self.message_box.update_limit_hint()
        self._update_title()
        if self.isActiveWindow() or not self.message_edit.hasFocus():
            self.message_edit.setFocus()

    @Slot(object)
    def _on_client_goodbye_received(self, goodbye: Farewell) -> None:
        self._goodbye_seen = True
        self._add(EntryKind.GOODBYE, goodbye.text, goodbye.time)

    @Slot(str, str)
    def _on_client_disconnected(self, kind: str, text: str) -> None:
        # Held until Reconnect is pressed, unless ``reconnecting`` (next, if it comes) says they wait for it.
        for transcript in self.conversations.transcripts():
            transcript.move_deliveries(Delivery.SENDING, Delivery.HELD, only=self.client.pending_ids)
            transcript.move_deliveries(Delivery.QUEUED, Delivery.HELD)
        self.status_requests.set_offline()
        if self._closing:
            self.close()
            return
        self._last_problem = text
        # Whether a reconnect follows is the engine's decision: ``reconnecting`` comes next if it does.
        if kind in (ClientEnd.EXIT.value, ClientEnd.KICKED.value, ClientEnd.ERROR.value, ClientEnd.REPLACED.value) \
                and self._had_session:
            if not self._goodbye_seen:
                self._add(EntryKind.GOODBYE, text)
        elif self.client.reconnect_attempt == 0 and self._had_session and kind == ClientEnd.REFUSED.value:
            self._add(EntryKind.ERROR, text)
        elif kind == ClientEnd.PASSWORD.value:
            # Asked once this signal has been handled, not inside the socket's own call.
            QTimer.singleShot(0, self, self._ask_password)
        self._show_state(self._plain(kind, text), error=kind not in (ClientEnd.EXIT.value,))
        self._update_for_state(keep_message=True)
        refusal = self.client.refusal
        if kind == ClientEnd.REFUSED.value and refusal is not None and refusal.kind is RefusalKind.NAME:
            self.name_edit.setFocus()  # ready to be typed over
            self.name_edit.selectAll()

    @Slot(int, int)
    def _on_client_reconnecting(self, attempt: int, delay_ms: int) -> None:
        for transcript in self.conversations.transcripts():
            transcript.move_deliveries(Delivery.HELD, Delivery.QUEUED)
        if attempt == 1:  # the connection was just lost: say once what happens now
            lost = "" if self._goodbye_seen else f"{self._last_problem} "
            self._add(EntryKind.INFO, lost + self.tr("Reconnecting automatically; what you type meanwhile "
                                                     "is sent once the connection is back."))
            self._goodbye_seen = False
        seconds = max(1, round(delay_ms / 1000))
        problem = f"{self._last_problem} " if attempt > 1 and self._last_problem else self.tr("Offline.") + " "
        self._show_state(problem + self.tr("Reconnecting in {seconds} s (attempt {attempt})…").format(
            seconds=seconds, attempt=attempt), busy=True)
        self._update_for_state(keep_message=True)

    # --- what the user does ------------------------------------------------------------------------

    @Slot()
    def _on_connect_panel_connect_requested(self) -> None:
        self._connect(remember=True)

    @Slot(object)
    def _on_server_list_server_chosen(self, choice: ServerChoice) -> None:
        if self.client.state is not ClientState.OFFLINE:
            return
        self.connect_panel.fill(choice.host, choice.port, self.name_edit.text().strip() or None, choice.tls)
        self._connect(remember=True)

    @Slot()
    def _on_status_button_clicked(self) -> None:
        self.status_requests.request()

    @Slot()
    def _on_exit_button_clicked(self) -> None:
        if self.client.cancel_reconnect():
            self._show_state(self.tr("Offline. Not reconnecting; press Reconnect to try again."))
            self._add(EntryKind.INFO, self.tr("Stopped reconnecting."))
            for transcript in self.conversations.transcripts():
                transcript.move_deliveries(Delivery.QUEUED, Delivery.HELD)
        self.client.exit()
        self._update_for_state()

    @Slot()
    def _on_quit_action_triggered(self) -> None:
        self.close()

    @Slot(object)
    def _on_pane_conversation_shown(self, conversation: Conversation) -> None:
        self.message_box.set_conversation(conversation)
        self._update_title()

    @Slot()
    def _on_news_unread_counted(self) -> None:
        self._update_title()

    @Slot(object)
    def _on_questions_answered(self, password: str | None) -> None:
        self._connect(remember=False, password=password)

    @Slot(QModelIndex)
    def _on_members_view_double_clicked(self, index: QModelIndex) -> None:
        name = index.data(Qt.ItemDataRole.UserRole)
        if not isinstance(name, str) or name == self.client.name:
            return
        if not self.client.has_rooms:
            self._add(EntryKind.INFO, self.tr("This server has no direct messages (it speaks protocol version 1)."))
            return
        self.open_conversation(Conversation.direct(name))
        self.message_edit.setFocus()

    # --- events ----------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.conversations.mark_read(self.pane.current)
            self.read_tracking.window_activated()
            self._update_title()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Leave cleanly: say exit and close once the server's goodbye (or the timeout) came."""
        self.client.auto_reconnect = False  # whatever ends the connection now, a closed window stays closed
        self.client.cancel_reconnect()
        state = self.client.state
        if state in (ClientState.ONLINE, ClientState.JOINING, ClientState.LEAVING):
            self._closing = True
            if state is not ClientState.LEAVING:
                self.client.exit()
            self.hide()
            event.ignore()
            return
        if state is ClientState.CONNECTING:
            self.client.exit()  # cancels the attempt
        self.status_requests.close()
        self.server_list.set_active(False)  # stops browsing: zeroconf's sockets and thread close now
        event.accept()
        self.closed.emit()

    # --- helpers ---------------------------------------------------------------------------------

    @Slot()
    def _ask_password(self) -> None:
        self.questions.ask_password(self._last_problem)

    def _connect(self, remember: bool, password: str | None = None) -> None:
        problem = self.connect_panel.problem()
        if problem is not None:
            text, field = problem
            self._show_state(text, error=True)
            field.setFocus()
            return
        target = self.connect_panel.target()
        if remember:
            self.connect_panel.save(self.settings)
            self.server_list.remember(target.host, target.port, target.tls)
        self._goodbye_seen = False
        # A chosen name comes with the client id remembered for it, so that the server, which keeps
        # the name for that id a while, gives it back after a restart of this app too.
        self.client.client_id = self.identities.for_name(target.name) if target.name else self._anonymous_id
        self.client.connect_to(target.host, target.port, target.name, tls=target.tls, password=password)
        for transcript in self.conversations.transcripts():
            transcript.move_deliveries(Delivery.HELD, Delivery.QUEUED)
        self._update_for_state()

    def _add(self, kind: EntryKind, text: str, at: float | None = None) -> None:
        self.news.add(kind, text, at)

    def _address(self) -> str:
        host = self.client.host or self.host_edit.text().strip()
        port = self.client.port or self.port_spin.value()
        return p.host_port(host, port)

    def _plain(self, kind: str, text: str) -> str:
        if kind == ClientEnd.EXIT.value:
            return self.tr("You left the chat. Press Reconnect to join again.")
        if kind == ClientEnd.REFUSED.value:
            return self.tr("The server turned you away: {reason}").format(reason=text)
        if kind == ClientEnd.REPLACED.value:
            return self.tr("You joined again from another window or computer, so this one was disconnected. "
                           "Press Reconnect to chat here instead.")
        return text

    def _show_state(self, text: str, error: bool = False, busy: bool = False) -> None:
        """The line under the connect panel: a dot (or a warning sign), the words, a busy bar."""
        self.body.show_state(text, error, busy, online=self.client.state is ClientState.ONLINE)

    def _update_for_state(self, keep_message: bool = False) -> None:
        state = self.client.state
        waiting = self.client.reconnect_pending
        busy = state in (ClientState.CONNECTING, ClientState.JOINING, ClientState.LEAVING)
        offline = state is ClientState.OFFLINE
        self.connect_panel.setVisible(offline or (busy and not self._had_session))
        self.connect_panel.set_state(offline, self._had_session, waiting)
        self.server_list.set_active(offline and not self._closing)
        self.status_button.setEnabled(state is ClientState.ONLINE)
        self.exit_button.setEnabled(state in (ClientState.ONLINE, ClientState.JOINING, ClientState.CONNECTING)
                                    or waiting)
        self.exit_button.setText(self.tr("Stop reconnecting") if waiting else self.tr("E&xit"))
        if state is ClientState.CONNECTING:
            self._show_state(self.tr("Connecting to {address}…").format(address=self._address()), busy=True)
        elif state is ClientState.JOINING:
            self._show_state(self.tr("Connected to {address}; joining the chat…").format(address=self._address()),
                             busy=True)
        elif state is ClientState.LEAVING:
            self._show_state(self.tr("Leaving the chat…"), busy=True)
        elif state is ClientState.ONLINE:
            self._show_state(self.tr("Online as {name} on {address}").format(name=self.client.name,
                                                                               address=self._address()))
        elif not keep_message and not waiting and not self.state_label.text():
            self._show_state(self.tr("Not connected. Fill in the server, then press Connect."))
        if waiting:
            self.progress.show()
        self._update_title()

    def _update_title(self) -> None:
        self.notifier.set_unread(self.unread)  # the tray's badge
        name = self.client.name if self.client.state is ClientState.ONLINE else ""
        title = f"{APP_TITLE} — {name}" if name else self.tr("LAN Chat client")
        if self.client.state is not ClientState.ONLINE and self._had_session:
            title += " " + self.tr("(offline)")
        self.setWindowTitle(f"({self.unread}) {title}" if self.unread else title)
