"""The server engine: its parts put together, its public methods and its signals.

``ChatServer`` wires the listener, the reactor and the connections to the parts that act: ``Arrivals`` (the door,
the password, the hello, the announcement), ``Dispatcher`` (what members send), ``GroupCommit`` (store, then ACK
and fan out through the ``Roster``), ``MemberReplies`` (history and status), ``Departures`` (goodbyes and the stop)
and ``StoreUpkeep``. QtCore and QtNetwork only, so it runs under QCoreApplication (headless) as well as under
the server window, which observes these signals and calls these methods.

Over 400 lines: the engine's public face (its signals, and the methods the windows call, each a line or two) is one
list; the work is done in the parts it wires together.
"""

from __future__ import annotations

import dataclasses
import logging
import time

from PySide6.QtCore import QObject, Signal, Slot

from chat_server import protocol as p
from chat_server.core.admission import Admission
from chat_server.core.arrivals import Arrivals
from chat_server.core.away import AwayBoard
from chat_server.core.commit import GroupCommit
from chat_server.core.conversation_hub import ConversationHub
from chat_server.core.departures import Departures
from chat_server.core.dispatch import Dispatcher
from chat_server.core.member_replies import MemberReplies
from chat_server.core.operator_refusals import OperatorRefusal
from chat_server.core.replay_view import ReplayViews
from chat_server.core.room_operator import RoomOperator, RoomSummary
from chat_server.core.room_requests import RoomRequests
from chat_server.core.rooms import DIRECT_PREFIX, OPERATOR, Refused
from chat_server.core.roster import Roster
from chat_server.core.search_requests import SearchRequests
from chat_server.core.sessions import Session, SessionCache
from chat_server.core.shared_files import SharedFileRow, SharedFiles
from chat_server.core.transfer_door import TransferDoor
from chat_server.core.typing_relay import TypingRelay
from chat_server.core.upkeep import StoreUpkeep
from chat_server.net.connection import ClientConnection, ConnectionSignals
from chat_server.net.listener import Listener
from chat_server.net.reactor import Reactor
from chat_server.net.watchdog import Watchdog
from chat_server.net.writes import WriteScheduler
from chat_server.settings import ServerSettings, changed_settings, runtime_change
from chat_server.store import Store, StoredMessage, StoreError

log = logging.getLogger(__name__)

HIDDEN_DIRECT_TEXT = "direct message"
"""What ``messages_relayed`` says instead of a direct message's text."""
THROTTLE_NOTICE_S = 10.0
"""A member over its message rate is told so at most this often."""


class ChatServer(QObject):
    """Owns the listener (chat_server/net/listener.py), one ClientConnection per member, and the session cache."""

    listening_changed = Signal(bool)
    listen_failed = Signal(object)  # ListenFailure (chat_server/net/listen_failure.py): kind, address, Qt's text
    member_joined = Signal(str, int)  # name, online count
    member_left = Signal(str, str, int)  # name, EndReason value, online count
    window_opened = Signal(str, int)  # name, its windows now; window_closed: name, EndReason value, windows left
    window_closed = Signal(str, str, int)  # (another window of a member online came or went: nobody is told)
    member_renamed = Signal(str, str)  # old, new
    messages_relayed = Signal(object)  # list[StoredMessage]: what one commit stored and relayed, in seq order
    connection_refused = Signal(str, str)  # address, reason
    protocol_error = Signal(str, str)  # member name (or address), error text
    member_throttled = Signal(str)  # name: over its message rate, read more slowly for a moment
    notice_sent = Signal(str, str)  # text, recipient name ("" for everyone)
    session_changed = Signal(int)  # a cache row was added or changed: its session id
    sessions_counted = Signal(object)  # a commit stored messages of these cache rows (their counts): list of ids
    settings_changed = Signal(object)  # frozenset of the names apply_settings changed; ``settings`` has the values
    stopped = Signal()  # after stop(): every member is gone
    rooms_changed = Signal()  # a room was made, changed or closed, or someone joined or left one (``rooms()``)
    room_event = Signal(object)  # RoomEvent (chat_server/core/room_events.py): what happened to a room, and who did it
    file_shared = Signal(object)  # SharedFileRow (chat_server/core/shared_files.py): a file's message was stored
    files_changed = Signal()  # a download was counted, a file expired or was deleted (``files()``)

    def __init__(self, settings: ServerSettings, store: Store, parent: QObject | None = None) -> None:
        """Serve with ``store`` (opened by the caller, closed by ``close``); raises StoreError if the store cannot
        begin a run, and TlsError if the settings ask for TLS with a certificate that cannot be used."""
        super().__init__(parent)
        self._settings = settings  # changed only by apply_settings
        self._reactor = Reactor(self)  # every member socket, and the deadlines of every connection
        self._listener = Listener(self._reactor, self.settings, self)
        self._listener.listening_changed.connect(self.listening_changed)
        self._listener.listen_failed.connect(self.listen_failed)
        self._listener.handshake_failed.connect(self.connection_refused)
        self.store = store
        started_at = time.time()
        self.cache = SessionCache(started_at, self.settings.cache_ended_sessions)
        self.cache.on_folded = self.session_changed.emit  # the window drops its row
        self.run = self.store.start_run(started_at)
        self._connections: dict[int, ClientConnection] = {}  # session id -> connection (at the password prompt too)
        # The door's limits, the password gate and the names (connections at the password prompt are not members).
        self._admission: Admission[ClientConnection] = Admission(
            lambda: self.settings, lambda conn: conn.member.client_id, lambda conn: conn.member.instance)
        self._names = self._admission.names
        self._roster = Roster()  # who gets broadcasts, grouped by framing
        self._writes = WriteScheduler(self._reactor)
        # Group commit: what one pass of the reactor read is written in one transaction when
        # the pass's reading is done, and acknowledged and relayed (by the roster) only after it.
        self._commit = GroupCommit(self.store, self._roster, self._writes, self._reactor, self.session_changed.emit,
                                   self._on_committed, self.sessions_counted.emit)
        self._reactor.set_gather_budget(self._commit.gather_budget_s)
        # Rooms and direct messages: who is in which, who gets what, what each may be replayed.
        self._hub = ConversationHub(self.store, settings, self.commit, self._admission.names.get, self.run)
        self._roster.routes = self._hub
        self._hub.rooms_changed = self.rooms_changed.emit
        self._hub.room_event = self.room_event.emit
        self._room_operator = RoomOperator(self._hub)
        self._commit.waiting_recipient = self._hub.waiting_recipient
        # History and status, paged out between the others' messages.
        self._replies = MemberReplies(self.store, self._commit, self._roster, self._reactor, self.run, started_at,
                                      settings.history_limit, settings.resume_limit,
                                      lambda: (self.online_count, self.max_clients))
        views = ReplayViews(self._hub)
        self._replies.view = views.view
        self._replies.history_start = views.history_start
        self._replies.recent_of = views.recent_of
        # How sessions end, and the stop.
        self._departures = Departures(lambda: self._settings, self.store, self.cache, self._roster, self._commit,
                                      self._replies, self._admission, self._connections, self._hub, self)
        self._departures.member_left.connect(self.member_left)
        self._departures.window_closed.connect(self.window_closed)
        self._departures.stopped.connect(self.stopped)
        self._connection_signals = ConnectionSignals(self)
        # How a connection becomes a member: the door, the password, the hello, the announcement.
        self._arrivals = Arrivals(lambda: self._settings, lambda: self.online_count, self._reactor, self._listener,
                                  self.store, self.cache, self._roster, self._writes, self._commit, self._replies,
                                  self._admission, self._departures, self._connections, self._connection_signals,
                                  lambda conn, events: self._dispatcher.carry_out(conn, events), self._hub, self)
        self._arrivals.connection_refused.connect(self.connection_refused)
        self._arrivals.member_joined.connect(self.member_joined)
        self._arrivals.window_opened.connect(self.window_opened)
        self._arrivals.member_renamed.connect(self.member_renamed)
        self._listener.connection_ready.connect(self._arrivals.accept)
        self._listener.plain_client_refused.connect(self._arrivals.plain_client_refused)
        # What members send, carried out as each one's session says; searches off the event loop; typing and away
        # (never stored).
        self._searches = SearchRequests(self._hub, self)
        self._typing = TypingRelay(self._hub, self._admission.names.get)
        self._away = AwayBoard(self._hub, self._admission.names.get, self._commit.changed)
        self._hub.arrived = self._away.arrived
        self._hub.departed = self._on_member_departed
        self._hub.away_note = self._away.note
        self._replies.away_by_name = self._away.by_name
        # Files: requests and shares on the chat connection, the bytes on transfer connections of their own.
        self._files = SharedFiles(self.store, self._hub, lambda: self._settings, self)
        self._files.file_shared.connect(self.file_shared)
        self._files.files_changed.connect(self.files_changed)
        self._hub.file_ref = self._replies.file_ref = self._files.requests.ref
        self._arrivals.tokens_held = self._files.requests.tokens_held
        door = TransferDoor(self.store, self.cache, self._commit, self._admission, self._roster, self._replies,
                            self._connections, self._files.requests, self._files.threads, self._arrivals.only_transfer)
        self._dispatcher = Dispatcher(self._roster, self._commit, self._replies, self._arrivals, self._departures,
                                      self.protocol_error.emit, self._hub, RoomRequests(self._hub), self._searches,
                                      self._typing, self._away, self._files.requests, door, self)
        self._connection_signals.events_received = self._dispatcher.carry_out
        self._connection_signals.join_due.connect(self._arrivals.announce)
        self._connection_signals.closed.connect(self._on_connection_closed)
        self._connection_signals.throttled.connect(self._on_connection_throttled)
        self._connection_signals.overflowed.connect(self._departures.too_slow)
        self._watchdog = Watchdog(self.settings, self._connections.values, self)
        self._watchdog.stalled.connect(self._departures.stalled)
        self._watchdog.idle.connect(self._departures.idle)
        self._watchdog.unauthenticated.connect(self._departures.unauthenticated)
        self._throttle_told: dict[int, float] = {}  # session id -> when it was last told to slow down
        self._upkeep = StoreUpkeep(self.store, settings.heartbeat_ms, settings.retention_days, self._replies.recount,
                                   self)

    def _on_member_departed(self, conn: ClientConnection) -> None:
        self._typing.depart(conn)
        self._away.depart(conn)

    # --- listening -----------------------------------------------------------

    def listen(self, host: str | None = None, port: int | None = None, tls: bool | None = None) -> bool:
        """Start listening, with TLS or without (None: as before); on failure emit ``listen_failed``
        with the reason and return False."""
        return self._listener.listen(self.settings.host if host is None else host,
                                     self.settings.port if port is None else port, tls)

    @property
    def is_listening(self) -> bool:
        return self._listener.is_listening

    @property
    def server_port(self) -> int:
        """The port really listened on (what port 0 turned into)."""
        return self._listener.port

    @property
    def server_host(self) -> str:
        return self._listener.host

    @property
    def tls(self) -> bool:
        return self._listener.tls

    @property
    def tls_fingerprint(self) -> str:
        """The SHA-256 of the certificate served while TLS is on, as ``openssl x509 -fingerprint`` shows it."""
        return self._listener.fingerprint

    def stop(self, text: str = "Server is shutting down.") -> None:
        """Stop listening, say goodbye to every member and emit ``stopped`` once they are gone.

        Whatever goes wrong with one member, the others get their goodbye and ``stopped`` comes.
        """
        try:
            self.commit()
        except Exception:
            log.exception("unexpected error while storing the last messages before stopping")
        self._listener.close()
        self._files.stop()
        self._departures.stop(text)

    # --- members ---------------------------------------------------------------

    @property
    def online_count(self) -> int:
        """Members online (what the limit counts): a member's windows once, a connection not yet announced as one."""
        return self._roster.member_count() + self._roster.joining

    @property
    def login_count(self) -> int:
        """Connections at the password prompt (or waiting for their password's check)."""
        return self._admission.login_count

    def members(self) -> list[str]:
        """Names of the members announced to the others, in order of announcement."""
        return self._roster.names()

    # --- settings changed while running ---------------------------------------------

    @property
    def settings(self) -> ServerSettings:
        """The settings in force; only ``apply_settings`` changes them."""
        return self._settings

    def apply_settings(self, settings: ServerSettings) -> None:
        """Use ``settings`` from now on and emit ``settings_changed`` if any changed. Only ``RUNTIME_SETTINGS``
        may differ (ValueError otherwise; NameRefused, with the rule's code, for a name that cannot be announced);
        they apply to new connections, members already in stay."""
        new = runtime_change(self._settings, settings)
        changed = changed_settings(self._settings, new)
        if not changed:
            return
        self._settings = new
        if "password" in changed:
            self._watchdog.update(new)
            log.info("password %s", "set: new connections must give it" if new.password else "removed")
        self.settings_changed.emit(changed)

    @property
    def max_clients(self) -> int:
        """The limit for new connections (0 = none)."""
        return self._settings.max_clients

    def set_max_clients(self, max_clients: int) -> None:
        """Change the limit for new connections (0 = none): ``apply_settings`` for this one setting."""
        self.apply_settings(dataclasses.replace(self._settings, max_clients=max_clients))

    @property
    def has_password(self) -> bool:
        return bool(self._settings.password)

    def set_password(self, password: str) -> None:
        """Ask new connections for ``password`` ("" for none): ``apply_settings`` for this one setting."""
        self.apply_settings(dataclasses.replace(self._settings, password=password))

    def past_sessions(self) -> list[p.SessionInfo]:
        """The sessions of earlier runs kept in the store (raises StoreError if it cannot read them)."""
        return self.store.past_sessions()

    def status_report(self, all_runs: bool = False, page: int = 1) -> p.StatusReport:
        """A page of the sessions of this run, or (``all_runs``) of every run in the store, as ``status`` shows it
        (raises StoreError if the store cannot read them)."""
        return self._replies.status_report(all_runs, page)

    def close(self) -> None:
        """Write what is pending and close the store (after ``stop``)."""
        self._upkeep.stop()
        self._searches.close()
        self._files.close()
        self.commit()
        self.store.close()

    def commit(self) -> None:
        """Store what arrived since the last commit in one transaction, then acknowledge and relay it
        (chat_server/core/commit.py)."""
        self._commit.commit()

    def _on_committed(self, messages: list[StoredMessage]) -> None:
        """``messages_relayed``, without the text of direct messages: the operator does not read them."""
        if self._files.requests.shares_pending:
            self._files.requests.committed(messages)
        if any(m.conversation.startswith(DIRECT_PREFIX) for m in messages):
            messages = [dataclasses.replace(m, text=HIDDEN_DIRECT_TEXT) if m.conversation.startswith(DIRECT_PREFIX)
                        else m for m in messages]
        self.messages_relayed.emit(messages)

    def _changed(self, session: Session) -> None:
        """A cache row was added or changed: tell the observers and write it with the next commit."""
        self._commit.changed(session)

    def send_notice(self, text: str, to: str | None = None, room: str | None = None) -> bool:
        """A notice from the operator to every member, to the member named ``to``, or to the members online of
        ``room`` (those that speak rooms)."""
        text = text.strip()
        if not text:
            return False
        now = time.time()
        if room is not None:
            if self._room_operator.notice(room, text) is not None:
                return False
        elif to is None:
            self._broadcast(p.Notice(text=text, time=now))
        else:
            windows = self._names.holders(to)  # each window of the member
            if not windows:
                return False
            for conn in windows:
                conn.send(p.Notice(text=text, time=now, private=True))
        log.info("notice to %s: %s", to or room or "everyone", text)
        self.notice_sent.emit(text, to or room or "")
        return True

    # --- rooms (the operator's side) -------------------------------------------------

    def rooms(self) -> list[RoomSummary]:
        """Every room, private ones too, by name: members, those online, topic, private or not."""
        return self._room_operator.rooms()

    def room_of(self, conversation: str) -> str | None:
        """The room a message's ``conversation`` is (``#lobby`` too), by name; None for a direct conversation."""
        return self._hub.room_name(conversation)

    def room_message_counts(self) -> dict[str, int]:
        """How many messages the store holds of each open room (``#lobby`` too), by name: one query, for the server
        window to start its count from (``messages_relayed`` says what comes after); {} if the store cannot say."""
        try:
            counts = self.store.room_message_counts()
        except StoreError as exc:
            log.error("could not count the rooms' messages: %s", exc)
            return {}
        named = ((self._hub.room_name(conversation), count) for conversation, count in counts.items())
        return {name: count for name, count in named if name is not None}

    def room_members(self, room: str) -> list[str]:
        """The members of ``room`` by name (of ``#lobby``: those online), for the operator; [] if there is none."""
        keys = self._hub.model.members(OPERATOR, room)
        return [] if isinstance(keys, Refused) else sorted(self._hub.name_of(key) for key in keys)

    def direct_members(self, conversation: str) -> tuple[str, ...]:
        """The two members of a direct conversation by the names they were last seen under; () for a room's."""
        if not conversation.startswith(DIRECT_PREFIX):
            return ()
        return tuple(self._hub.name_of(key) for key in conversation[len(DIRECT_PREFIX):].split("|"))

    def create_room(self, room: str, private: bool = False) -> OperatorRefusal | None:
        """Make a room with no owner and nobody in it (a private one is joined by the operator's invitation).
        Why not (a value with its code, for the window to word; ``english`` is the engine's sentence), or None."""
        return self._room_operator.create(room, private)

    def close_room(self, room: str) -> OperatorRefusal | None:
        """Close a room (not #lobby): its members are out of it. The reason it cannot be done, or None."""
        return self._room_operator.close(room)

    def rename_room(self, room: str, new_name: str) -> OperatorRefusal | None:
        """Give ``room`` (not #lobby) the name ``new_name``, under the rules of a new room's name; its members online
        are told. Why not, or None."""
        return self._room_operator.rename(room, new_name)

    def invite_to_room(self, name: str, room: str) -> OperatorRefusal | None:
        """Invite the member ``name`` to ``room`` (how anyone gets into a private room the operator made). Why not,
        or None."""
        return self._room_operator.invite(name, room)

    def remove_from_room(self, name: str, room: str) -> OperatorRefusal | None:
        """Take the member ``name`` out of ``room`` (or withdraw its invitation). Why not, or None."""
        return self._room_operator.remove(name, room)

    def set_room_topic(self, room: str, topic: str) -> OperatorRefusal | None:
        """Set ``room``'s topic (any room, #lobby too; empty clears it). Why not, or None."""
        return self._room_operator.set_topic(room, topic)

    def kick(self, name: str) -> bool:
        """Disconnect the member ``name`` (each of its windows); the others are told it was kicked."""
        windows = self._names.holders(name)
        for conn in windows:
            self._departures.end(conn, p.EndReason.KICKED, "You were removed by the server operator.")
        return bool(windows)

    # --- limits ----------------------------------------------------------------------

    @Slot(object)
    def _on_connection_throttled(self, conn: ClientConnection) -> None:
        now = time.monotonic()
        log.info("%s is over %g messages/s: reading it more slowly", conn.name, self.settings.rate_per_s)
        if now - self._throttle_told.get(conn.session.id, -THROTTLE_NOTICE_S) >= THROTTLE_NOTICE_S:
            self._throttle_told[conn.session.id] = now
            conn.send(p.Notice(text=f"You are sending more than {self.settings.rate_per_s:g} messages a second: "
                                    "the server takes them more slowly for a moment. Nothing is lost.",
                               time=time.time(), private=True))
            self.member_throttled.emit(conn.name)

    # --- files ------------------------------------------------------------------------------------

    def files(self) -> list[SharedFileRow]:
        """Every file shared (expired ones too), the newest first."""
        return self._files.files()

    def delete_file(self, file_id: str) -> bool:
        """Delete a shared file's content; its record stays, as expired. False if there is none to delete."""
        return self._files.delete_file(file_id)

    @Slot(object)
    def _on_connection_closed(self, conn: ClientConnection) -> None:
        self._throttle_told.pop(conn.session.id, None)
        self._arrivals.only_transfer.pop(conn.session.id, None)
        self._departures.closed(conn)

    def _broadcast(self, message: p.Message, exclude: ClientConnection | None = None) -> None:
        """Send to every member (encoded once per framing); members not yet announced get it when they are."""
        self._roster.broadcast(message, exclude)
