"""The server engine: accepts clients, names them, relays, acknowledges and keeps the cache.

QtCore and QtNetwork only, so it runs under QCoreApplication (headless) as well as
under the server window, which observes these signals and calls these methods.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from typing import cast

from PySide6.QtCore import QObject, Signal, Slot

from chat_server import protocol as p
from chat_server.core.admission import Admission
from chat_server.core.arrivals import Arrivals
from chat_server.core.commit import GroupCommit
from chat_server.core.departures import Departures, who
from chat_server.core.member_replies import MemberReplies
from chat_server.core.roster import Roster
from chat_server.core.session import MEMBER, State, Step
from chat_server.core.sessions import Session, SessionCache
from chat_server.core.upkeep import StoreUpkeep
from chat_server.net.connection import ClientConnection, ConnectionSignals
from chat_server.net.listener import Listener
from chat_server.net.reactor import Reactor
from chat_server.net.watchdog import Watchdog
from chat_server.net.writes import WriteScheduler
from chat_server.settings import ServerSettings, changed_settings, runtime_change
from chat_server.store import Store

log = logging.getLogger(__name__)

THROTTLE_NOTICE_S = 10.0
"""A member over its message rate is told so at most this often."""

AFTER_PASSWORD_MAX_EVENTS = 64
"""Lines a connection may send behind a password whose check is waiting; then it is not read until the check.
It is read until then so that a connection that closes is noticed at once and gives its place in the queue up."""


class ChatServer(QObject):
    """Owns the listener (chat_server/net/listener.py), one ClientConnection per member, and the session cache."""

    listening_changed = Signal(bool)
    listen_failed = Signal(str)  # Qt's error text
    member_joined = Signal(str, int)  # name, online count
    member_left = Signal(str, str, int)  # name, EndReason value, online count
    member_renamed = Signal(str, str)  # old, new
    messages_relayed = Signal(object)  # list[StoredMessage]: what one commit stored and relayed, in seq order
    connection_refused = Signal(str, str)  # address, reason
    protocol_error = Signal(str, str)  # member name (or address), error text
    member_throttled = Signal(str)  # name: over its message rate, read more slowly for a moment
    notice_sent = Signal(str, str)  # text, recipient name ("" for everyone)
    session_changed = Signal(int)  # a cache row was added or changed: its session id
    settings_changed = Signal(object)  # frozenset of the names apply_settings changed; ``settings`` has the values
    stopped = Signal()  # after stop(): every member is gone

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
        self._admission: Admission[ClientConnection] = Admission(lambda: self.settings, _client_id_of)
        self._names = self._admission.names
        self._roster = Roster()  # who gets broadcasts, grouped by framing
        self._writes = WriteScheduler(self._reactor)
        # Group commit: what one pass of the reactor read is written in one transaction when
        # the pass's reading is done, and acknowledged and relayed (by the roster) only after it.
        self._commit = GroupCommit(self.store, self._roster, self._writes, self._reactor, self.session_changed.emit,
                                   self.messages_relayed.emit)
        self._reactor.set_gather_budget(self._commit.gather_budget_s)
        # History and status, paged out between the others' messages.
        self._replies = MemberReplies(self.store, self._commit, self._roster, self._reactor, self.run, started_at,
                                      settings.history_limit, settings.resume_limit,
                                      lambda: (self.online_count, self.max_clients))
        # How sessions end, and the stop.
        self._departures = Departures(lambda: self._settings, self.store, self.cache, self._roster, self._commit,
                                      self._replies, self._admission, self._connections, self)
        self._departures.member_left.connect(self.member_left)
        self._departures.stopped.connect(self.stopped)
        self._connection_signals = ConnectionSignals(self)
        # How a connection becomes a member: the door, the password, the hello, the announcement.
        self._arrivals = Arrivals(lambda: self._settings, lambda: self.online_count, self._reactor, self._listener,
                                  self.store, self.cache, self._roster, self._writes, self._commit, self._replies,
                                  self._admission, self._departures, self._connections, self._connection_signals,
                                  self._on_connection_events, self)
        self._arrivals.connection_refused.connect(self.connection_refused)
        self._arrivals.member_joined.connect(self.member_joined)
        self._arrivals.member_renamed.connect(self.member_renamed)
        self._listener.connection_ready.connect(self._arrivals.accept)
        self._listener.plain_client_refused.connect(self._arrivals.plain_client_refused)
        self._connection_signals.events_received.connect(self._on_connection_events)
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
        self._departures.stop(text)

    # --- members ---------------------------------------------------------------

    @property
    def online_count(self) -> int:
        """Members online; connections still at the password prompt are not members."""
        return len(self._connections) - self._admission.login_count

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
        may differ (ValueError otherwise); they apply to new connections, members already in stay."""
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
        self.commit()
        self.store.close()

    def commit(self) -> None:
        """Store what arrived since the last commit in one transaction, then acknowledge and relay it
        (chat_server/core/commit.py)."""
        self._commit.commit()

    def _changed(self, session: Session) -> None:
        """A cache row was added or changed: tell the observers and write it with the next commit."""
        self._commit.changed(session)

    def send_notice(self, text: str, to: str | None = None) -> bool:
        """A notice from the operator to every member, or to the member named ``to``."""
        text = text.strip()
        if not text:
            return False
        now = time.time()
        if to is None:
            self._broadcast(p.Notice(text=text, time=now))
        else:
            conn = self._names.get(to)
            if conn is None:
                return False
            conn.send(p.Notice(text=text, time=now, private=True))
        log.info("notice to %s: %s", to or "everyone", text)
        self.notice_sent.emit(text, to or "")
        return True

    def kick(self, name: str) -> bool:
        """Disconnect the member ``name``; the others are told it was kicked."""
        conn = self._names.get(name)
        if conn is None:
            return False
        self._departures.end(conn, p.EndReason.KICKED, "You were removed by the server operator.")
        return True

    # --- accepting -------------------------------------------------------------

    # --- what members send -------------------------------------------------------

    @Slot(object, object)
    def _on_connection_events(self, conn: ClientConnection, events: list[p.Event]) -> None:
        member = conn.member
        if member.state is State.CHECKING_PASSWORD:  # its password check is waiting: what follows waits with it
            member.wait(events)
            if member.waiting_count >= AFTER_PASSWORD_MAX_EVENTS and not conn.reading_held:
                conn.hold_reading()
            return
        if member.announced:
            self._roster.regroup(conn)
        for index, event in enumerate(events):
            if member.end_reason is not None:
                return
            try:
                if self._on_event(conn, event, events[index + 1:]):
                    return
            except Exception:  # a bug must cost this connection at most, never the pass or the others
                log.exception("unexpected error while handling %s from %s", type(event).__name__, who(conn))
                self._departures.fail(conn)
                return

    def _on_event(self, conn: ClientConnection, event: p.Event, rest: list[p.Event]) -> bool:
        """Carry out one message from ``conn`` as its session says; True if it took ``rest`` too (a password
        check waits with it, or a reply began)."""
        member = conn.member
        if type(event) is p.Chat and member.state is MEMBER:  # the hot path: straight to the batch
            self._on_chat(conn, event)
            return self._defer_behind_reply(conn, rest)
        step = member.receive(event)
        if step is Step.ANNOUNCE:  # a joining member's first message (not a hello): it is announced first
            self._arrivals.announce(conn)
            if self._defer_behind_reply(conn, [event, *rest]):  # its history comes first
                return True
            step = member.receive(event) if member.state is MEMBER else Step.OVER
        if step is Step.CHAT:
            self._on_chat(conn, cast(p.Chat, event))
        elif step is Step.PING:
            conn.reply(p.Pong(token=cast(p.Ping, event).token))
        elif step is Step.HELLO:
            self._arrivals.hello(conn, cast(p.Hello, event))
        elif step is Step.CHECK_PASSWORD:
            self._arrivals.password_attempt(conn, rest)
            return True
        elif step is Step.WAIT:  # pragma: no cover - a batch behind a waiting check waits whole (above)
            member.wait(rest)
            return True
        elif step is Step.STATUS:
            request = cast(p.StatusRequest, event)
            self._replies.status(conn, request.all_runs, request.page)
        elif step is Step.HISTORY:
            self._replies.history(conn, cast(p.HistoryRequest, event).count)
        elif step is Step.EXIT:
            self._departures.end(conn, p.EndReason.EXIT, "")
        elif step is Step.TELNET:  # telnet waits for it even at the password prompt
            conn.reply_bytes(cast(p.TelnetReply, event).data)
        elif step is Step.DECODE_ERROR:
            self._on_decode_error(conn, cast(p.DecodeError, event))
        elif step is Step.PASSWORD_MISSING:  # not a guess: a JSON client that did not know it needs one
            conn.send(p.Error(p.ERR_PASSWORD_REQUIRED, "This server needs a password."))
            self._departures.end(conn, p.EndReason.REFUSED_PASSWORD, "")
        elif step is Step.HELLO_AGAIN:
            conn.reply(p.Error(p.ERR_NOT_ALLOWED, "hello was already received"))
        elif step is Step.NOT_ALLOWED:
            # The server's decoder knows only the client's types (p.CLIENT_MESSAGES): a server-only type on the
            # wire is refused there as an unknown type (tests/server/protocol/test_validation.py). This answers
            # a type the session does not take in this state; it never ends the session.
            conn.reply(p.Error(p.ERR_NOT_ALLOWED, f"a client cannot send '{cast(p.Message, event).TYPE}'"))
        # IGNORE (a pong; at the password prompt, anything but the password) and OVER: nothing to do
        return self._defer_behind_reply(conn, rest)

    @staticmethod
    def _defer_behind_reply(conn: ClientConnection, rest: list[p.Event]) -> bool:
        """If a reply to ``conn`` began, what it sent after waits until the reply is written: True."""
        if not conn.replying:
            return False
        conn.defer(rest)
        return True

    def _on_chat(self, conn: ClientConnection, chat: p.Chat) -> None:
        problem = p.text_problem(chat.text)
        if problem is not None:
            conn.reply(p.Error(p.ERR_MESSAGE_INVALID, f"Not sent: {problem}.", id=chat.id))
            return
        self._commit.add(conn, chat)

    def _on_decode_error(self, conn: ClientConnection, error: p.DecodeError) -> None:
        log.warning("%s sent bad input: %s", conn.name, error.text)
        self.protocol_error.emit(conn.name, error.text)
        conn.reply(p.Error(error.code, error.text, id=error.id))
        if conn.decoder.failed:
            self._departures.end(conn, p.EndReason.ERROR, "")

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

    @Slot(object)
    def _on_connection_closed(self, conn: ClientConnection) -> None:
        self._throttle_told.pop(conn.session.id, None)
        self._departures.closed(conn)

    def _broadcast(self, message: p.Message, exclude: ClientConnection | None = None) -> None:
        """Send to every member (encoded once per framing); members not yet announced get it when they are."""
        self._roster.broadcast(message, exclude)


def _client_id_of(conn: ClientConnection) -> str | None:
    return conn.member.client_id
