"""The client engine: one QTcpSocket speaking the JSON framing, with high-level signals.

No widgets here: the client window drives this object through its methods and
listens to its signals, and tests do the same without a window.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import deque
from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtNetwork import QAbstractSocket, QSslError, QSslSocket, QTcpSocket

from chat_gui.client.pinning import KnownServers, TrustQuestion
from chat_server import protocol as p
from chat_server.net.tls import fingerprint

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_MS = 5000
"""How long a connection attempt may take before it is given up."""

EXIT_TIMEOUT_MS = 2000
"""After ``exit()``, how long to wait for the server's goodbye before closing anyway."""

PING_INTERVAL_MS = 15_000
"""After this long without a word from the server, the client pings it."""

SERVER_SILENT_MS = 45_000
"""After this long without a word (pongs included), the server is taken for gone: a sleeping laptop, a cut cable."""

RECONNECT_DELAYS_MS = (1000, 2000, 4000, 8000, 15000, 30000)
"""With ``auto_reconnect``, the wait before each attempt after an unexpected end; the last repeats."""


class ClientState(StrEnum):
    """Where the client is in its connection's life."""

    OFFLINE = "offline"
    CONNECTING = "connecting"
    JOINING = "joining"  # connected, hello sent, welcome not yet received
    ONLINE = "online"
    LEAVING = "leaving"  # exit sent, waiting for the goodbye


class ClientEnd(StrEnum):
    """Why a connection ended, as the ``disconnected`` signal reports it."""

    EXIT = "exit"  # we said exit and the server said goodbye
    KICKED = "kicked"
    SERVER_STOPPED = "server stopped"
    TIMED_OUT = "timed out"
    DROPPED = "dropped"  # the connection broke without a goodbye
    REFUSED = "refused"  # the server turned us away (full, name taken, ...)
    UNREACHABLE = "unreachable"  # no connection could be made
    ERROR = "error"  # a protocol error ended the session
    UNTRUSTED = "untrusted"  # a TLS server's certificate is not the one it had before (or was not accepted)
    PASSWORD = "password"  # the server needs a password, or another one than given
    REPLACED = "replaced"  # this client connected again elsewhere (another window), which took the name over


_GOODBYE_ENDS = {
    p.EndReason.EXIT: ClientEnd.EXIT,
    p.EndReason.KICKED: ClientEnd.KICKED,
    p.EndReason.SERVER_STOPPED: ClientEnd.SERVER_STOPPED,
    p.EndReason.TIMED_OUT: ClientEnd.TIMED_OUT,
    p.EndReason.REPLACED: ClientEnd.REPLACED,
}

_PASSWORD_ERRORS = (p.ERR_PASSWORD_REQUIRED, p.ERR_PASSWORD_WRONG)
_NAME_ERRORS = (p.ERR_NAME_TAKEN, p.ERR_NAME_RESERVED)

def _end_of(reason: str) -> ClientEnd:
    """The ClientEnd for the reason a goodbye gives."""
    try:
        return _GOODBYE_ENDS.get(p.EndReason(reason), ClientEnd.ERROR)
    except ValueError:
        return ClientEnd.ERROR


_SOCKET_ERRORS = {
    QAbstractSocket.SocketError.ConnectionRefusedError: "connection refused (is the server running?)",
    QAbstractSocket.SocketError.HostNotFoundError: "host not found",
    QAbstractSocket.SocketError.SocketTimeoutError: "the connection timed out",
    QAbstractSocket.SocketError.NetworkError: "the network is unreachable",
}


def untrusted_text(question: TrustQuestion) -> str:
    """The plain explanation of a refused certificate."""
    address = KnownServers.key(question.host, question.port)
    if not question.changed:
        return f"Not connected: the certificate of {address} was not accepted (SHA-256 {question.fingerprint})."
    return (f"Not connected: {address} presented a DIFFERENT certificate than before. Someone may be "
            f"pretending to be the server, or its certificate was replaced. Expected SHA-256 {question.known}, "
            f"got {question.fingerprint}. If the server's owner confirms the new fingerprint, accept it on purpose "
            "and connect again.")


class ChatClient(QObject):
    """A chat member: connects, says hello, sends chat messages and reports what arrives.

    Messages given to ``send`` while not online wait in an outbox and go out after the
    next welcome; messages sent but not yet acknowledged when a connection drops go
    back to the outbox, so what the user typed is not lost.
    """

    state_changed = Signal(str)  # ClientState value
    welcomed = Signal(object)  # p.Welcome: the assigned or chosen name, who is online
    message_acked = Signal(object, float)  # p.Ack, round-trip time in ms
    chat_received = Signal(object)  # p.Relay: a message from another member
    member_joined = Signal(str, int)  # name, members online
    member_left = Signal(str, str, int)  # name, how it ended (EndReason value), members online
    member_renamed = Signal(str, str)  # old name, new name
    status_received = Signal(object)  # p.StatusReport
    notice_received = Signal(str, bool)  # text, private (to this member only)
    error_received = Signal(str, str, str)  # code, text, refused message id ("" if none)
    goodbye_received = Signal(object)  # p.Goodbye, just before the server closes
    disconnected = Signal(str, str)  # ClientEnd value, the reason in plain words
    encrypted = Signal(str)  # TLS is up with a trusted server: its certificate's SHA-256 fingerprint
    reconnecting = Signal(int, int)  # attempt number (1, 2, ...), delay in ms before it starts

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Who this client is across reconnects: resends are recognised by it, and a name it chose is kept
        # for it. The window sets a remembered one per name before connecting.
        self.client_id = uuid.uuid4().hex
        # Message ids are unique to this object, so that a client id reused in a later run never makes
        # the server take a new message for a resend of an old one.
        self._id_prefix = uuid.uuid4().hex[:6]
        self.password: str | None = None  # sent in hello; kept in memory only, for reconnects
        self.state = ClientState.OFFLINE
        self.host = ""
        self.port = 0
        self.requested_name: str | None = None
        self.name = ""  # the name the server confirmed in its welcome
        self.members: list[str] = []
        self.max_clients = 0
        self.max_line_bytes = p.DEFAULT_MAX_LINE_BYTES
        self._decoder = p.ClientDecoder()
        self._next_id = 0
        self._outbox: deque[p.Chat] = deque()  # waiting to be sent
        self._unacked: dict[str, tuple[p.Chat, float]] = {}  # sent: id -> (message, monotonic send time)
        self._end: tuple[ClientEnd, str] | None = None  # why the current connection is ending
        self._refusal = ""  # a plain line (or error) received before the welcome
        self._refusal_code = ""  # the error code of that refusal, if it was an error
        self._chosen_name: str | None = None  # the name given to connect_to (None: the server assigns one)
        # Reconnecting: off unless asked for, so a plain engine ends where its connection ends.
        self.auto_reconnect = False
        self.reconnect_delays_ms: tuple[int, ...] = RECONNECT_DELAYS_MS
        self.reconnect_attempt = 0  # attempts since the last welcome (0: not reconnecting)
        self._was_welcomed = False  # a welcome came since the last connect_to by the user
        # The newest sequence number seen from this server; a reconnect sends it in its hello,
        # so the server sends exactly the messages missed instead of the recent history again.
        self.last_seq: int | None = None

        # TLS: a server is trusted by its certificate's fingerprint, remembered on first contact.
        self.tls = False
        self.known_servers = KnownServers()
        self.trust: Callable[[TrustQuestion], bool] | None = None  # None: trust the first, refuse a change
        self.server_fingerprint = ""
        self._trust_checked = False

        # One socket for plain TCP and one for TLS; ``_socket`` is the one the current connection uses.
        self._plain_socket = QTcpSocket(self)
        self._tls_socket = QSslSocket(self)
        self._tls_socket.encrypted.connect(self._on_socket_encrypted)
        self._tls_socket.sslErrors.connect(self._on_socket_ssl_errors)
        for socket in (self._plain_socket, self._tls_socket):
            socket.connected.connect(self._on_socket_connected)
            socket.readyRead.connect(self._on_socket_ready_read)
            socket.disconnected.connect(self._on_socket_disconnected)
            socket.errorOccurred.connect(self._on_socket_error_occurred)
        self._socket: QTcpSocket = self._plain_socket
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.timeout.connect(self._on_timeout)
        self._reconnect_timer = QTimer(self)
        self._reconnect_timer.setSingleShot(True)
        self._reconnect_timer.timeout.connect(self._on_reconnect_timer_timeout)
        # Liveness: TCP alone may not notice for hours that the other end is gone.
        self.ping_interval_ms = PING_INTERVAL_MS
        self.silence_timeout_ms = SERVER_SILENT_MS
        self.pings_answered = 0  # pings from the server this client answered
        self._heard_at = time.monotonic()
        self._pinged_at = 0.0
        self._liveness = QTimer(self)
        self._liveness.timeout.connect(self._on_liveness_timeout)

    # --- commands --------------------------------------------------------------

    def connect_to(self, host: str, port: int, name: str | None = None, tls: bool | None = None,
                   password: str | None = None) -> None:
        """Connect and join as ``name`` (None or empty: the server assigns ClientNN); ``tls`` as last time if None;
        ``password`` for a server that has one (None: the one given before, for the same server only)."""
        if tls is not None:
            self.tls = tls
        self.cancel_reconnect()
        self._was_welcomed = False
        if (host, port) != (self.host, self.port):
            self.last_seq = None  # another server: its numbers mean nothing here
            self.password = None  # nor is its password ever sent anywhere else
        if password is not None:
            self.password = password
        self._chosen_name = name.strip() if name and name.strip() else None
        self._open(host, port, name)

    def _open(self, host: str, port: int, name: str | None) -> None:
        if self._socket.state() != QAbstractSocket.SocketState.UnconnectedState:
            self._socket.abort()
        self.host, self.port = host, port
        self.requested_name = name.strip() if name and name.strip() else None
        self._decoder = p.ClientDecoder()
        self._end = None
        self._refusal = self._refusal_code = ""
        self._set_state(ClientState.CONNECTING)
        self._timeout.start(CONNECT_TIMEOUT_MS)
        self.server_fingerprint = ""
        self._trust_checked = False
        if self.tls:
            self._socket = self._tls_socket
            self._tls_socket.connectToHostEncrypted(host, port)
        else:
            self._socket = self._plain_socket
            self._plain_socket.connectToHost(host, port)

    def send(self, text: str) -> str | None:
        """Queue a chat message and send it when online; its id, or None if it cannot be sent.

        Use ``message_problem`` first to tell the user why a text would be refused.
        """
        if self.message_problem(text) is not None:
            return None
        self._next_id += 1
        chat = p.Chat(id=f"{self._id_prefix}-{self._next_id}", text=text)
        if self.state is ClientState.ONLINE:
            self._transmit(chat)
        else:
            self._outbox.append(chat)
        return chat.id

    def message_problem(self, text: str) -> str | None:
        """Why ``text`` would be refused by the server (empty, several lines, too long), or None."""
        problem = p.text_problem(text)
        if problem is not None:
            return problem[:1].upper() + problem[1:] + "."
        size = self.message_bytes(text)
        if size > self.max_line_bytes:
            return f"Too long: {size - self.max_line_bytes} bytes over the server's limit."
        return None

    def message_bytes(self, text: str) -> int:
        """The size of ``text`` as the chat line the server limits to ``max_line_bytes``."""
        return len(p.encode(p.Chat(id=f"{self._id_prefix}-{self._next_id + 1}", text=text))) - 1

    def request_status(self, all_runs: bool = False, page: int = 1) -> bool:
        """Ask for a page of the server's connection cache (1: the newest; every run kept, with ``all_runs``);
        ``status_received`` brings it."""
        if self.state is not ClientState.ONLINE:
            return False
        self._write(p.StatusRequest(all_runs=all_runs, page=page))
        return True

    def exit(self) -> None:
        """Leave: say exit, wait for the goodbye (at most EXIT_TIMEOUT_MS), then close.

        While waiting to reconnect, this only stops the waiting.
        """
        self.cancel_reconnect()
        if self.state in (ClientState.ONLINE, ClientState.JOINING):
            self._set_state(ClientState.LEAVING)
            self._write(p.Exit())
            self._timeout.start(EXIT_TIMEOUT_MS)
        elif self.state is ClientState.CONNECTING:
            self._finish(ClientEnd.EXIT, "Connection attempt cancelled.")
            self._timeout.stop()
            self._socket.abort()  # an attempt still connecting ends without a signal: report it now
            self._done()

    def abort(self) -> None:
        """Cut the connection without a word, as a crash or a pulled cable would."""
        self._socket.abort()

    def cancel_reconnect(self) -> bool:
        """Stop a pending reconnect attempt; True if one was pending."""
        pending = self._reconnect_timer.isActive()
        self._reconnect_timer.stop()
        self.reconnect_attempt = 0
        return pending

    @property
    def reconnect_pending(self) -> bool:
        """Whether the client is waiting to try reconnecting."""
        return self._reconnect_timer.isActive()

    @property
    def pending(self) -> list[p.Chat]:
        """Messages not yet acknowledged, sent or still waiting, oldest first."""
        return [chat for chat, _ in self._unacked.values()] + list(self._outbox)

    # --- the socket -------------------------------------------------------------

    @Slot()
    def _on_socket_connected(self) -> None:
        # One short line per message: send it now rather than wait for the previous one's ACK.
        self._socket.setSocketOption(QAbstractSocket.SocketOption.LowDelayOption, 1)
        if not self.tls:
            self._timeout.stop()
            self._join()

    @Slot()
    def _on_socket_encrypted(self) -> None:
        if not self._trust_checked and not self._check_trust():
            return  # a certificate valid for a CA but not the one pinned
        self._timeout.stop()
        self.encrypted.emit(self.server_fingerprint)
        self._join()

    @Slot(list)
    def _on_socket_ssl_errors(self, errors: list[QSslError]) -> None:
        # A self-signed certificate always has errors (no CA vouches for it); the pin replaces the CA.
        if self._check_trust():
            self._tls_socket.ignoreSslErrors()

    def _check_trust(self) -> bool:
        """Compare the server's certificate with the one remembered for it; refuse and abort if it is not trusted."""
        self._trust_checked = True
        certificate = self._tls_socket.peerCertificate()
        if certificate.isNull():
            self._refuse_certificate("The server sent no certificate.")
            return False
        found = fingerprint(certificate)
        question = TrustQuestion(self.host, self.port, found, self.known_servers.get(self.host, self.port))
        if question.known == found:
            trusted = True
        elif self.trust is not None:
            trusted = self.trust(question)
        else:
            trusted = question.known is None  # trust on first use; a change is never accepted silently
        if not trusted:
            self._refuse_certificate(untrusted_text(question))
            return False
        if question.known != found:
            self.known_servers.remember(self.host, self.port, found)
            log.info("trusting %s with certificate %s", self._address, found)
        self.server_fingerprint = found
        return True

    def _refuse_certificate(self, text: str) -> None:
        self._timeout.stop()
        self._finish(ClientEnd.UNTRUSTED, text)
        self._socket.abort()
        if self.state is not ClientState.OFFLINE:
            self._done()

    def _join(self) -> None:
        self._set_state(ClientState.JOINING)
        self._heard_at = time.monotonic()
        self._liveness.start(max(10, min(self.ping_interval_ms, self.silence_timeout_ms) // 4))
        self._write(p.Hello(name=self.requested_name, client_id=self.client_id, last_seq=self.last_seq,
                            password=self.password or None))

    @Slot()
    def _on_socket_ready_read(self) -> None:
        if not self._socket.isOpen():
            return
        self._heard_at = time.monotonic()
        for event in self._decoder.feed(bytes(self._socket.readAll().data())):
            self._handle(event)

    @Slot(QAbstractSocket.SocketError)
    def _on_socket_error_occurred(self, error: QAbstractSocket.SocketError) -> None:
        if self.state is ClientState.CONNECTING:
            self._timeout.stop()
            reason = _SOCKET_ERRORS.get(error, self._socket.errorString())
            self._finish(ClientEnd.UNREACHABLE, f"Could not connect to {self._address}: {reason}.")
            self._done()
        elif self._end is None and error != QAbstractSocket.SocketError.RemoteHostClosedError:
            self._end = (ClientEnd.DROPPED, f"Connection lost: {self._socket.errorString()}.")

    @Slot()
    def _on_socket_disconnected(self) -> None:
        self._on_socket_ready_read()  # a goodbye may arrive with the close
        self._timeout.stop()
        if self._end is None:
            if self._refusal_code in _PASSWORD_ERRORS:
                self._end = (ClientEnd.PASSWORD, self._refusal)
            elif self._refusal:
                self._end = (ClientEnd.REFUSED, self._refusal)
            else:
                self._end = (ClientEnd.DROPPED, f"The connection to {self._address} was lost.")
        self._done()

    @Slot()
    def _on_timeout(self) -> None:
        if self.state is ClientState.CONNECTING:
            seconds = CONNECT_TIMEOUT_MS // 1000
            self._finish(ClientEnd.UNREACHABLE, f"Could not connect to {self._address}: no answer in {seconds} s.")
            self._socket.abort()
            self._done()
        elif self.state is ClientState.LEAVING:
            self._finish(ClientEnd.EXIT, "Left without a goodbye from the server.")
            self._socket.abort()

    @Slot()
    def _on_liveness_timeout(self) -> None:
        if self.state not in (ClientState.JOINING, ClientState.ONLINE):
            return
        now = time.monotonic()
        silent_ms = (now - self._heard_at) * 1000
        if silent_ms >= self.silence_timeout_ms:
            seconds = self.silence_timeout_ms / 1000
            self._finish(ClientEnd.TIMED_OUT, f"The server at {self._address} stopped answering "
                                              f"(nothing heard in {seconds:g} s).")
            self._socket.abort()
        elif silent_ms >= self.ping_interval_ms and (now - self._pinged_at) * 1000 >= self.ping_interval_ms:
            self._pinged_at = now
            self._write(p.Ping(token="client"))

    # --- what the server sends ------------------------------------------------------

    def _handle(self, event: p.Event) -> None:
        match event:
            case p.Welcome():
                self._on_welcome(event)
            case p.Ack():
                self._on_ack(event)
            case p.Relay():
                self._saw(event.seq)
                self.chat_received.emit(event)
            case p.Joined(name=name, online=online):
                if name not in self.members:
                    self.members.append(name)
                self.member_joined.emit(name, online)
            case p.Left(name=name, reason=reason, online=online):
                if name in self.members:
                    self.members.remove(name)
                self.member_left.emit(name, reason, online)
            case p.Renamed(old=old, new=new):
                self.members = [new if member == old else member for member in self.members]
                self.member_renamed.emit(old, new)
            case p.StatusReport():
                self.status_received.emit(event)
            case p.Notice(text=text, private=private):
                self.notice_received.emit(text, private)
            case p.Error():
                self._on_error(event)
            case p.Goodbye():
                self._finish(_end_of(event.reason), event.text or f"Disconnected ({event.reason}).")
                self.goodbye_received.emit(event)
            case p.Ping(token=token):
                self._write(p.Pong(token=token))
                self.pings_answered += 1
            case p.Refusal(text=text):
                # A plain line that turns this connection away (full, busy, ...): the server closes next.
                if self.state is not ClientState.ONLINE:
                    self._refusal = text
            case p.Banner():
                pass  # the greeting or the password prompt: the welcome (or an error) follows
            case p.DecodeError(text=text):
                log.warning("unreadable line from the server: %s", text)

    def _on_welcome(self, welcome: p.Welcome) -> None:
        self.name = welcome.name
        self._was_welcomed = True
        self.reconnect_attempt = 0
        self.members = list(welcome.members)
        self.max_clients = welcome.max_clients
        self.max_line_bytes = welcome.max_line_bytes
        if self.last_seq is None:
            # Seen nothing yet (an empty history): after a drop, ask for what came after this
            # welcome. Asking for the recent history instead would replay this client's own
            # acknowledged messages, and skip whatever it missed beyond the history's length.
            self.last_seq = welcome.seq
        self._set_state(ClientState.ONLINE)
        self.welcomed.emit(welcome)
        while self._outbox and self.state is ClientState.ONLINE:
            self._transmit(self._outbox.popleft())

    def _on_ack(self, ack: p.Ack) -> None:
        self._saw(ack.seq)
        sent = self._unacked.pop(ack.id, None)
        rtt_ms = (time.monotonic() - sent[1]) * 1000.0 if sent else 0.0
        self.message_acked.emit(ack, rtt_ms)

    def _on_error(self, error: p.Error) -> None:
        if error.id is not None:
            self._unacked.pop(error.id, None)
        if self.state is ClientState.JOINING:
            self._refusal, self._refusal_code = error.text, error.code
        self.error_received.emit(error.code, error.text, error.id or "")

    def _saw(self, seq: int) -> None:
        self.last_seq = seq if self.last_seq is None else max(self.last_seq, seq)

    # --- helpers --------------------------------------------------------------------

    @property
    def _address(self) -> str:
        return p.host_port(self.host, self.port)

    def _transmit(self, chat: p.Chat) -> None:
        self._unacked[chat.id] = (chat, time.monotonic())
        self._write(chat)

    def _write(self, message: p.Message) -> None:
        if self._socket.state() == QAbstractSocket.SocketState.ConnectedState:
            self._socket.write(p.encode(message))

    def _finish(self, end: ClientEnd, text: str) -> None:
        if self._end is None:
            self._end = (end, text)

    def _done(self) -> None:
        """The connection is over: requeue what was not acknowledged and report why."""
        if self.state is ClientState.OFFLINE:
            return
        unacked = [chat for chat, _ in self._unacked.values()]
        self._unacked.clear()
        self._outbox.extendleft(reversed(unacked))
        end, text = self._end or (ClientEnd.DROPPED, "Disconnected.")
        self._liveness.stop()
        self.members = []
        self._set_state(ClientState.OFFLINE)
        self.disconnected.emit(end.value, text)
        if self.state is ClientState.OFFLINE and self._should_reconnect(end):
            self._schedule_reconnect()

    # --- reconnecting ---------------------------------------------------------------

    def _should_reconnect(self, end: ClientEnd) -> bool:
        """Reconnect after an end nobody here chose, once this client has been welcomed."""
        if not self.auto_reconnect or not self._was_welcomed or not self.reconnect_delays_ms:
            return False
        if end in (ClientEnd.DROPPED, ClientEnd.SERVER_STOPPED, ClientEnd.TIMED_OUT):
            return True
        # While reconnecting, a server that is not back yet or is full (or still holds our
        # name for the session that just dropped) is worth another try later.
        return self.reconnect_attempt > 0 and end in (ClientEnd.UNREACHABLE, ClientEnd.REFUSED)

    def _schedule_reconnect(self) -> None:
        self.reconnect_attempt += 1
        index = min(self.reconnect_attempt, len(self.reconnect_delays_ms)) - 1
        delay_ms = self.reconnect_delays_ms[index]
        self._reconnect_timer.start(delay_ms)
        log.info("reconnecting to %s in %d ms (attempt %d)", self._address, delay_ms, self.reconnect_attempt)
        self.reconnecting.emit(self.reconnect_attempt, delay_ms)

    @Slot()
    def _on_reconnect_timer_timeout(self) -> None:
        if self.state is ClientState.OFFLINE:
            # Come back under the same name, so the others see the same member return; but a name the
            # server had assigned is not worth waiting for if someone else has it now.
            name = self.name or self.requested_name
            if self._chosen_name is None and self._refusal_code in _NAME_ERRORS:
                name = None
            self._open(self.host, self.port, name)

    def _set_state(self, state: ClientState) -> None:
        if state is not self.state:
            self.state = state
            self.state_changed.emit(state.value)
