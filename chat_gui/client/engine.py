"""The client engine: the socket adapter around a ClientSession, with high-level signals.

Over 400 lines: the commands, the sockets, the TLS handshake's trust check and the liveness timers, which are
I/O and stay beside the sockets they watch. The signals, and which of the session's events becomes which, are
ClientSignals' (client_signals.py); whether a certificate is trusted is pinning.py's.

One QTcpSocket (or QSslSocket) speaking the JSON framing. The session (session.py) decides everything a
member's side of the protocol decides; this object carries out what it returns (writes, signals, cutting
the connection) and keeps what only I/O has: the sockets, TLS trust, the decoder's bytes and the timers.
No widgets here: the client window drives this object through its methods and listens to its signals, and
tests do the same without a window.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar, cast, overload

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Slot
from PySide6.QtNetwork import QAbstractSocket, QSslError, QSslSocket, QTcpSocket

from chat_gui.client.client_signals import ClientSignals
from chat_gui.client.events import (
    LOBBY,
    ClientEnd,
    ClientState,
    Conversation,
    Disconnect,
    Refusal,
    RoomState,
)
from chat_gui.client.file_events import SharedFile, TransferFailed, TransferFinished, TransferProgress
from chat_gui.client.file_transfers import FileTransfers
from chat_gui.client.files import StartDownload, StartUpload
from chat_gui.client.phrases import QT_TRANSLATE_NOOP
from chat_gui.client.pinning import KnownServers, TrustQuestion, trusted, untrusted_text
from chat_gui.client.presence import TypingChanged, TypingState
from chat_gui.client.search import SearchFilters
from chat_gui.client.session import (
    CONNECT_TIMEOUT_MS,
    EXIT_TIMEOUT_MS,
    RECONNECT_DELAYS_MS,
    ClientSession,
    Output,
)
from chat_server import protocol as p
from chat_server.net import fingerprint

__all__ = [
    "CONNECT_TIMEOUT_MS", "EXIT_TIMEOUT_MS", "PING_INTERVAL_MS", "RECONNECT_DELAYS_MS", "SERVER_SILENT_MS",
    "ChatClient", "ClientEnd", "ClientState", "untrusted_text",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

PING_INTERVAL_MS = 15_000
"""After this long without a word from the server, the client pings it."""

SERVER_SILENT_MS = 45_000
"""After this long without a word (pongs included), the server is taken for gone: a sleeping laptop, a cut cable."""

_SOCKET_ERRORS = {
    QAbstractSocket.SocketError.ConnectionRefusedError:
        QT_TRANSLATE_NOOP("ChatClient", "connection refused (is the server running?)"),
    QAbstractSocket.SocketError.HostNotFoundError: QT_TRANSLATE_NOOP("ChatClient", "host not found"),
    QAbstractSocket.SocketError.SocketTimeoutError: QT_TRANSLATE_NOOP("ChatClient", "the connection timed out"),
    QAbstractSocket.SocketError.NetworkError: QT_TRANSLATE_NOOP("ChatClient", "the network is unreachable"),
}
"""How the common reasons a connection cannot be made are said (in English; translated where used)."""


class _Read(Generic[T]):
    """A ChatClient attribute that is its session's, read through: only the session writes it."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, client: None, owner: type) -> _Read[T]: ...
    @overload
    def __get__(self, client: ChatClient, owner: type) -> T: ...

    def __get__(self, client: ChatClient | None, owner: type) -> T | _Read[T]:
        return self if client is None else cast(T, getattr(client.session, self._name))

    def __set__(self, client: ChatClient, value: T) -> None:
        raise AttributeError(f"{self._name} is the session's to change")


class _Setting(_Read[T]):
    """A ChatClient attribute that is a setting of its session's, written through."""

    def __set__(self, client: ChatClient, value: T) -> None:
        setattr(client.session, self._name, value)


class ChatClient(ClientSignals):
    """A chat member: connects, says hello, sends chat messages and reports what arrives.

    Messages given to ``send`` while not online wait in an outbox and go out after the
    next welcome; messages sent but not yet acknowledged when a connection drops go
    back to the outbox, so what the user typed is not lost.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = ClientSession()
        self._decoder = p.ClientDecoder()

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
        self._heard_at = time.monotonic()
        self._pinged_at = 0.0
        self._liveness = QTimer(self)
        self._liveness.timeout.connect(self._on_liveness_timeout)
        # Typing indicators expire by the clock (replaceable: tests move it on instead of waiting).
        self.clock: Callable[[], float] = time.monotonic
        self._typing_expiry = QTimer(self)
        self._typing_expiry.setSingleShot(True)
        self._typing_expiry.timeout.connect(self.expire_typing)
        # Shared files: their transfers run on threads of their own, beside this connection (file_transfers.py).
        self.files = FileTransfers(self, self, self._apply)

    # --- the session's state, as the engine's (read through; settings written through) ----------

    state = _Read[ClientState]()
    name = _Read[str]()  # the name the server confirmed in its welcome
    requested_name = _Read[str | None]()  # the name asked for on the current connection (None: assigned)
    members = _Read[list[str]]()
    host = _Read[str]()
    port = _Read[int]()
    max_clients = _Read[int]()
    max_line_bytes = _Read[int]()
    last_seq = _Read[int | None]()
    password = _Read[str | None]()
    pings_answered = _Read[int]()
    refusal = _Read[Refusal | None]()  # why the server turned the last connection away, if it did
    reconnect_attempt = _Read[int]()  # attempts since the last welcome (0: not reconnecting)
    # Who this client is across reconnects; the window sets a remembered one per name before connecting.
    client_id = _Setting[str]()
    auto_reconnect = _Setting[bool]()  # reconnect after an end nobody here chose (off unless asked for)
    reconnect_delays_ms = _Setting[tuple[int, ...]]()
    protocol_version = _Setting[int]()  # said in hello (version 2: rooms); the welcome says which is spoken

    @property
    def reconnect_pending(self) -> bool:
        """Whether the client is waiting to try reconnecting."""
        return self._reconnect_timer.isActive()

    @property
    def pending(self) -> list[p.Chat]:
        """Messages not yet acknowledged, sent or still waiting, oldest first."""
        return self.session.pending

    @property
    def pending_ids(self) -> set[str]:
        """The ids of the messages not yet acknowledged."""
        return {chat.id for chat in self.session.pending}

    def message_problem(self, text: str) -> p.Problem | None:
        """Why ``text`` would be refused by the server (empty, several lines, too long), or None: a code and its
        values for the window to word (chat_gui/widgets/problems.py)."""
        return self.session.message_problem(text)

    def message_bytes(self, text: str) -> int:
        """The size of ``text`` as the chat line the server limits to ``max_line_bytes``."""
        return self.session.message_bytes(text)

    # --- commands --------------------------------------------------------------------------

    def connect_to(self, host: str, port: int, name: str | None = None, tls: bool | None = None,
                   password: str | None = None) -> None:
        """Connect and join as ``name`` (None or empty: the server assigns ClientNN); ``tls`` as last time if None;
        ``password`` for a server that has one (None: the one given before, for the same server only)."""
        if tls is not None:
            self.tls = tls
        self._reconnect_timer.stop()
        self.session.connect(host, port, name, password)
        self._open()

    def _open(self) -> None:
        if self._socket.state() != QAbstractSocket.SocketState.UnconnectedState:
            self._socket.abort()
        self._decoder = p.ClientDecoder()
        self._apply(self.session.open())
        self.files.restore()  # an earlier run's transfers to this server, if it kept any: resumed after the welcome
        self._timeout.start(CONNECT_TIMEOUT_MS)
        self.server_fingerprint = ""
        self._trust_checked = False
        host, port = self.session.host, self.session.port
        if self.tls:
            self._socket = self._tls_socket
            self._tls_socket.connectToHostEncrypted(host, port)
        else:
            self._socket = self._plain_socket
            self._plain_socket.connectToHost(host, port)

    def send(self, text: str, conversation: Conversation = LOBBY) -> str | None:
        """Queue a chat message to ``conversation`` (a room, or a member directly) and send it when online; its id,
        or None if it cannot be sent (a room or a direct message to a server without them included).

        Use ``message_problem`` first to tell the user why a text would be refused.
        """
        message_id, outputs = self.session.send(text, self.clock(), conversation)
        self._apply(outputs)
        return message_id

    # Typing and away (a server that speaks version 2).

    def set_typing(self, conversation: Conversation, state: TypingState) -> None:
        """The user types in ``conversation``: ``active`` at each key (sent at most every 3 s), ``paused`` when it
        stops for a while, ``done`` when the field is cleared or the message sent. Nothing while offline."""
        self._apply(self.session.typing(conversation, state, self.clock()))

    def typists(self, conversation: Conversation) -> tuple[str, ...]:
        """Who types in ``conversation`` now, as ``typing_changed`` last said."""
        return self.session.presence.board.typists(conversation)

    def set_away(self, message: str | None) -> None:
        """Be away with ``message`` ("" for none), or back (None); said again after each reconnect."""
        self._apply(self.session.set_away(message))

    @property
    def away_message(self) -> str | None:
        """What ``set_away`` last asked for, or another window of this member's since (None: present)."""
        return self.session.presence.away_message

    @property
    def away_set_elsewhere(self) -> bool:
        """Whether ``away_message`` was set by another window of this member's rather than by ``set_away`` here."""
        return self.session.presence.away_elsewhere

    def away_of(self, name: str) -> str | None:
        """``name``'s away message ("" for none) if the server said it is away, else None."""
        return self.session.presence.book.message(name)

    @Slot()
    def expire_typing(self) -> None:
        """Forget the typing notices that are too old by ``clock()`` (the timer calls this when one is due)."""
        self._apply(self.session.expire_typing(self.clock()))
        self._plan_typing_expiry()

    def _plan_typing_expiry(self) -> None:
        due = self.session.presence.board.next_expiry()
        if due is None:
            self._typing_expiry.stop()
        else:
            self._typing_expiry.start(max(0, int((due - self.clock()) * 1000) + 1))

    # Rooms: each request is written if the server speaks rooms and this client is online; False if not.

    @property
    def has_rooms(self) -> bool:
        """Whether the server speaks rooms and direct messages with this client (its last welcome said so)."""
        return self.session.rooms.available

    @property
    def rooms(self) -> list[Conversation]:
        """The rooms this member is in, ``#lobby`` first."""
        return self.session.rooms.joined

    def room_state(self, conversation: Conversation) -> RoomState | None:
        """What this member knows of a room it is in (its topic, private or not, its owner), as the welcome and the
        server's news since said; None for a room it is not in."""
        return self.session.rooms.state(conversation)

    def join_room(self, name: str) -> bool:
        """Join the room ``name`` (creating it, public, if there is none); ``room_entered`` follows."""
        return self._request(self.session.rooms.join(name))

    def create_room(self, name: str, private: bool = False) -> bool:
        """Create the room ``name`` (``private``: by invitation only); ``room_entered`` follows."""
        return self._request(self.session.rooms.create(name, private))

    def leave_room(self, name: str) -> bool:
        """Leave the room ``name`` (never #lobby); ``room_exited`` follows."""
        return self._request(self.session.rooms.leave(name))

    def request_rooms(self) -> bool:
        """Ask for the room list; ``rooms_listed`` brings it."""
        return self._request(self.session.rooms.list_rooms())

    def request_room_members(self, name: str) -> bool:
        """Ask who is in the room ``name``; ``room_members_listed`` brings it."""
        return self._request(self.session.rooms.members(name))

    def set_topic(self, name: str, topic: str) -> bool:
        """Set the topic of the room ``name`` (empty: none); ``topic_changed`` follows."""
        return self._request(self.session.rooms.set_topic(name, topic))

    def invite(self, name: str, member: str) -> bool:
        """Invite ``member`` to the room ``name``; ``invitation_sent`` follows."""
        return self._request(self.session.rooms.invite(name, member))

    def remove_member(self, name: str, member: str) -> bool:
        """Take ``member`` out of the room ``name`` (its owner only); ``room_member_left`` follows."""
        return self._request(self.session.rooms.remove(name, member))

    def mark_read(self, conversation: Conversation, seq: int) -> bool:
        """Tell the server this member has read ``conversation`` up to the message ``seq`` (only a step forward is
        sent, on a server that speaks rooms); ``read_marker_moved`` follows, here and in the identity's other
        windows."""
        if not self.session.rooms.available:
            return False
        return self._request(self.session.read_markers.mark(conversation, seq))

    def read_marker(self, conversation: Conversation) -> int | None:
        """How far this identity has read ``conversation``, as the server last said (None: it said nothing)."""
        return self.session.read_markers.seq(conversation)

    def _request(self, request: p.Message | None) -> bool:
        if request is None or self.session.state is not ClientState.ONLINE:
            return False
        self._write(request)
        return True

    def load_older(self, conversation: Conversation, before: int | None = None) -> bool:
        """Ask for the page of ``conversation``'s messages before ``before`` (None: the oldest this client holds; the
        newest, if it holds none); ``history_page_received`` brings it. False if not asked: offline, a version-1
        server, a page already on its way, or the server said there is nothing older (``at_beginning``)."""
        if self.session.state is not ClientState.ONLINE:  # (asked first: a request made is a page awaited)
            return False
        return self._request(self.session.scrollback.older(conversation, self.session.rooms, before))

    def load_around(self, conversation: Conversation, seq: int) -> bool:
        """Ask for the page of ``conversation`` around ``seq`` (opening a search result older than the transcript);
        ``history_page_received`` brings it, with ``around`` set."""
        return self._request(self.session.scrollback.around(conversation, seq, self.session.rooms))

    def forget_scrollback(self, conversation: Conversation) -> None:
        """The window dropped ``conversation``'s transcript (closed): reopened, it loads from its newest again."""
        self.session.scrollback.forget(conversation)

    def at_beginning(self, conversation: Conversation) -> bool:
        """The server said ``conversation`` has nothing older than what this client holds."""
        return self.session.scrollback.at_beginning(conversation)

    def search(self, query: str, filters: SearchFilters = SearchFilters()) -> bool:  # noqa: B008
        """Search the messages this member may read (``search_problem`` says first why a query would be refused);
        ``search_found`` brings the newest page, or ``search_failed`` why there is none. False if not sent (offline,
        or a server without search)."""
        if not self.has_rooms:
            return False
        return self._request(self.session.search.start(query, filters))

    def search_more(self) -> bool:
        """Ask for the next page of the last search; False if it has no more (or is still coming)."""
        if self.session.state is not ClientState.ONLINE:
            return False
        return self._request(self.session.search.more())

    # Files (protocol version 2): each transfer on a connection and a thread of its own (file_transfers.py).

    def share_file(self, path: Path | str, conversation: Conversation = LOBBY, caption: str = "") -> str | None:
        """Share the file at ``path`` in ``conversation`` with ``caption`` (may be ""): hashed, uploaded, then
        announced by a chat message whose id this returns (also the transfer's id; ``message_acked`` has it last).
        None: not now (offline, or a server without files)."""
        return self.files.share(Path(path), conversation, caption)

    def download_file(self, file: SharedFile, dest_path: Path | str) -> str:
        """Download ``file`` to ``dest_path`` (written as ``<dest_path>.part`` until verified); the transfer's id."""
        return self.files.download(file, Path(dest_path))

    def cancel_transfer(self, transfer_id: str) -> bool:
        """Stop a transfer (``transfer_failed`` follows, as cancelled); False if there is none of this id."""
        return self.files.cancel(transfer_id)

    def transfers(self) -> list[TransferProgress]:
        """The transfers under way, as each last reported its progress."""
        return self.files.progress()

    @property
    def transfers_folder(self) -> Path | None:
        """Where the transfers not done are kept (transfers.json) for a later run to resume; None: not kept."""
        return self.files.folder

    @transfers_folder.setter
    def transfers_folder(self, folder: Path | None) -> None:
        self.files.folder = folder

    def request_status(self, all_runs: bool = False, page: int = 1) -> bool:
        """Ask for a page of the server's connection cache (1: the newest; every run kept, with ``all_runs``);
        ``status_received`` brings it."""
        request = self.session.status_request(all_runs, page)
        if request is None:
            return False
        self._write(request)
        return True

    def exit(self) -> None:
        """Leave: say exit, wait for the goodbye (at most EXIT_TIMEOUT_MS), then close.

        While waiting to reconnect, this only stops the waiting.
        """
        self.cancel_reconnect()
        self._apply(self.session.leave())
        if self.session.state is ClientState.LEAVING:
            self._timeout.start(EXIT_TIMEOUT_MS)

    def abort(self) -> None:
        """Cut the connection without a word, as a crash or a pulled cable would."""
        self._socket.abort()

    def cancel_reconnect(self) -> bool:
        """Stop a pending reconnect attempt; True if one was pending."""
        pending = self._reconnect_timer.isActive()
        self._reconnect_timer.stop()
        self.session.cancel_reconnect()
        return pending

    # --- the socket ----------------------------------------------------------------------------

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
            self._refuse_certificate(self.tr("The server sent no certificate."))
            return False
        host, port = self.session.host, self.session.port
        found = fingerprint(certificate)
        question = TrustQuestion(host, port, found, self.known_servers.get(host, port))
        if not trusted(question, self.trust):
            self._refuse_certificate(untrusted_text(question))
            return False
        if question.known != found:
            self.known_servers.remember(host, port, found)
            log.info("trusting %s with certificate %s", self.session.address, found)
        self.server_fingerprint = found
        return True

    def _refuse_certificate(self, text: str) -> None:
        self.session.fail(ClientEnd.UNTRUSTED, text)
        self._disconnect()

    def _join(self) -> None:
        self._heard_at = time.monotonic()
        self._liveness.start(max(10, min(self.ping_interval_ms, self.silence_timeout_ms) // 4))
        self._apply(self.session.opened())

    @Slot()
    def _on_socket_ready_read(self) -> None:
        if not self._socket.isOpen():
            return
        self._heard_at = time.monotonic()  # liveness keeps the real clock: a test's clock would make it jump
        now = self.clock()
        session = self.session
        for event in self._decoder.feed(bytes(self._socket.readAll().data())):
            self._apply(session.receive(event, now))
            # What the welcome released waits until the welcome is reported (the window marks them sent).
            self._apply(session.flush_outbox(now))

    @Slot(QAbstractSocket.SocketError)
    def _on_socket_error_occurred(self, error: QAbstractSocket.SocketError) -> None:
        if self.session.state is ClientState.CONNECTING:
            self._timeout.stop()
            known = _SOCKET_ERRORS.get(error)
            reason = QCoreApplication.translate("ChatClient", known) if known else self._socket.errorString()
            self._apply(self.session.unreachable(reason))
        elif error != QAbstractSocket.SocketError.RemoteHostClosedError:
            self.session.lost(self._socket.errorString())

    @Slot()
    def _on_socket_disconnected(self) -> None:
        self._on_socket_ready_read()  # a goodbye may arrive with the close
        self._timeout.stop()
        self._closed()

    @Slot()
    def _on_timeout(self) -> None:
        self._apply(self.session.timed_out())

    @Slot()
    def _on_liveness_timeout(self) -> None:
        if self.session.state not in (ClientState.JOINING, ClientState.ONLINE):
            return
        now = time.monotonic()
        silent_ms = (now - self._heard_at) * 1000
        if silent_ms >= self.silence_timeout_ms:
            seconds = self.silence_timeout_ms / 1000
            self.session.fail(ClientEnd.TIMED_OUT, self.tr(
                "The server at {address} stopped answering (nothing heard in {seconds} s).").format(
                    address=self.session.address, seconds=f"{seconds:g}"))
            self._disconnect()
        elif silent_ms >= self.ping_interval_ms and (now - self._pinged_at) * 1000 >= self.ping_interval_ms:
            self._pinged_at = now
            self._write(p.Ping(token="client"))

    # --- carrying out what the session says -----------------------------------------------------

    def _apply(self, outputs: list[Output]) -> None:
        for output in outputs:
            match output:
                case p.Message():
                    self._write(output)
                case Disconnect():
                    self._disconnect()
                case TypingChanged():
                    self.report(output)
                    self._plan_typing_expiry()
                case StartUpload() | StartDownload():
                    self.files.start(output)
                case TransferFinished() | TransferFailed():
                    self.files.ended(output)
                case _:
                    self.report(output)

    def _disconnect(self) -> None:
        """Cut the connection (the session knows why) and report its end, if the cut did not already."""
        self._timeout.stop()
        self._socket.abort()
        self._closed()

    def _closed(self) -> None:
        """The connection is over: the session reports why, then says whether and when to try again."""
        self._liveness.stop()
        self._apply(self.session.closed())
        plan = self.session.plan_reconnect()
        if plan is not None:
            self._reconnect_timer.start(plan.delay_ms)
            log.info("reconnecting to %s in %d ms (attempt %d)", self.session.address, plan.delay_ms, plan.attempt)
            self.reconnecting.emit(plan.attempt, plan.delay_ms)

    def _write(self, message: p.Message) -> None:
        if self._socket.state() == QAbstractSocket.SocketState.ConnectedState:
            self._socket.write(p.encode(message))

    @Slot()
    def _on_reconnect_timer_timeout(self) -> None:
        if self.session.reconnect():
            self._open()
