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
from chat_server.core.auth import Attempt
from chat_server.core.commit import GroupCommit
from chat_server.core.departures import Departures, who
from chat_server.core.member_replies import MemberReplies
from chat_server.core.roster import Roster
from chat_server.core.session import MEMBER, MemberSession, Refusal, State, Step
from chat_server.core.sessions import Session, SessionCache
from chat_server.core.upkeep import StoreUpkeep
from chat_server.net.connection import ClientConnection, ConnectionSignals
from chat_server.net.listener import Listener
from chat_server.net.reactor import Reactor
from chat_server.net.transport import Transport
from chat_server.net.watchdog import Watchdog
from chat_server.net.writes import WriteScheduler
from chat_server.settings import ServerSettings, changed_settings, runtime_change
from chat_server.store import Store, StoreError

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
        self._listener.connection_ready.connect(self._on_listener_connection_ready)
        self._listener.plain_client_refused.connect(self._on_listener_plain_client_refused)
        self.store = store
        started_at = time.time()
        self.cache = SessionCache(started_at, self.settings.cache_ended_sessions)
        self.cache.on_folded = self.session_changed.emit  # the window drops its row
        self.run = self.store.start_run(started_at)
        self._connections: dict[int, ClientConnection] = {}  # session id -> connection (at the password prompt too)
        # The door's limits, the password gate and the names (connections at the password prompt are not members).
        self._admission: Admission[ClientConnection] = Admission(lambda: self.settings, _client_id_of)
        self._names = self._admission.names
        self._encodings: dict[tuple[int, p.Framing], tuple[p.Message, bytes]] = {}  # held broadcasts, this pass
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
        self._connection_signals.events_received.connect(self._on_connection_events)
        self._connection_signals.join_due.connect(self._announce)
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

    @Slot()
    def _on_listener_connection_ready(self) -> None:
        while (transport := self._listener.next_transport()) is not None:
            now = time.time()
            host = transport.peer_host  # an IPv4-mapped address is written as IPv4 already (unmapped_host)
            refusal = self._admission.refusal(host, self.online_count)
            if refusal is not None:
                self._refuse(transport, host, now, *refusal)
                continue
            session = self.cache.open(host, transport.peer_port, now)
            password_required = bool(self.settings.password)
            member = MemberSession(password_required, time.monotonic())
            conn = ClientConnection(transport, session, self.settings, self._writes, self._connection_signals,
                                    self._reactor, member)
            self._connections[session.id] = conn
            if password_required:
                # No name and nothing to hear until the password is right; a text client's first line is it.
                self._admission.start_login(session.id, host)
                conn.decoder.expect_password = True
                conn.send_line(p.password_prompt_line())
                log.info("%s connected: asking for the password", session.info().address)
            else:
                self._admit(conn)
                conn.send_line(p.greeting_line(session.name, self._replies.available))
                log.info("%s connected from %s", session.name, session.info().address)
            self._changed(session)
            conn.start()

    @Slot(str, int)
    def _on_listener_plain_client_refused(self, host: str, port: int) -> None:
        """A plain client on the TLS port was told to use TLS: recorded like any refused connection."""
        now = time.time()
        session = self.cache.refuse(host, port, p.EndReason.REFUSED_NOT_TLS, now)
        address = session.info().address
        log.warning("refused %s: it does not speak TLS (told so in plain text)", address)
        self.connection_refused.emit(address, "not TLS: a plain client on the TLS port")
        self._changed(session)

    def _admit(self, conn: ClientConnection) -> None:
        """A connection becomes a member (not yet announced): it gets a name and the broadcasts from now on."""
        conn.session.name = self._admission.assign(conn)
        self._roster.admit(conn)

    def _refuse(self, transport: Transport, host: str, now: float, reason: p.EndReason, line: str) -> None:
        """Turn a new connection away with one line, before it is a member (counted in its address's row)."""
        session = self.cache.refuse(host, transport.peer_port, reason, now)
        transport.write((p.refusal_line(reason, line) + "\n").encode("utf-8"))
        transport.close()
        address = session.info().address
        log.warning("refused %s: %s", address, line)
        self.connection_refused.emit(address, line)
        self._changed(session)

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
            self._announce(conn)
            if self._defer_behind_reply(conn, [event, *rest]):  # its history comes first
                return True
            step = member.receive(event) if member.state is MEMBER else Step.OVER
        if step is Step.CHAT:
            self._on_chat(conn, cast(p.Chat, event))
        elif step is Step.PING:
            conn.reply(p.Pong(token=cast(p.Ping, event).token))
        elif step is Step.HELLO:
            self._on_hello(conn, cast(p.Hello, event))
        elif step is Step.CHECK_PASSWORD:
            self._on_password_attempt(conn, rest)
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

    # --- the password ------------------------------------------------------------------

    def _on_password_attempt(self, conn: ClientConnection, rest: list[p.Event]) -> None:
        """Check the session's password attempt now, or (after wrong ones from the same address) a little later;
        ``rest`` (what came after it) waits in the session until then."""
        member = conn.member
        host, now = conn.session.host, time.monotonic()
        password = member.attempt or ""
        check = self._admission.schedule(host, now, member.prompted_at)
        if isinstance(check, int):  # its turn would come after the time a connection may stay at the prompt
            wait_s = check
            log.info("%s: its password's turn is %d s away (earlier ones from %s were wrong): refused",
                     conn.session.info().address, wait_s, host)
            conn.send(p.Error(p.ERR_TRY_LATER, f"Earlier passwords from your address were wrong: try again in "
                                               f"{wait_s} s."))
            self._departures.end(conn, p.EndReason.REFUSED_BUSY, "")
            return
        member.wait(rest)
        if check.at <= now:
            self._check_password(conn, check, password)
            return
        log.info("%s: checking its password in %.1f s (earlier ones from %s were wrong)",
                 conn.session.info().address, check.at - now, host)
        if check.at - now >= 1:  # long enough to wonder about
            conn.send(p.Notice(text=f"Checking your password in {check.at - now:.0f} s: earlier passwords from "
                                    "your address were wrong.", time=time.time(), private=True))
        timer = self._reactor.call_later(check.at - now, self._on_password_due, conn, check, password)
        self._admission.wait_for_turn(conn.session.id, check, timer)

    def _on_password_due(self, conn: ClientConnection, check: Attempt, password: str) -> None:
        try:
            self._check_password(conn, check, password)
        except Exception:  # it must not stay half-admitted with its reading held
            log.exception("unexpected error while checking the password of %s", who(conn))
            self._departures.fail(conn)

    def _check_password(self, conn: ClientConnection, check: Attempt, password: str) -> None:
        host = conn.session.host
        member = conn.member
        if member.end_reason is not None:  # it went away while its check waited
            self._admission.give_up(conn.session.id, check)
            return
        right, failures = self._admission.check(conn.session.id, check, password, time.monotonic())
        if not right:
            address = conn.session.info().address
            log.warning("wrong password from %s (%d in a row from %s)", address, failures, host)
            self.connection_refused.emit(address, f"wrong password ({failures} in a row from {host})")
            text = "Wrong password; the server closed the connection."
            if failures >= 3:
                text += " Repeated wrong passwords from your address are answered more and more slowly."
            conn.send(p.Error(p.ERR_PASSWORD_WRONG, text))
            self._departures.end(conn, p.EndReason.REFUSED_PASSWORD, "")
            return
        line = self._admission.full_line(self.online_count)
        if line is not None:  # it filled up while this one logged in
            log.warning("refused %s after its password: %s", conn.session.info().address, line)
            self.connection_refused.emit(conn.session.info().address, line)
            conn.send_line(p.refusal_line(p.EndReason.REFUSED_FULL, line))
            self._departures.end(conn, p.EndReason.REFUSED_FULL, "")
            return
        admitted = member.admit()
        if admitted is None:  # pragma: no cover - only a session checking its password is checked
            return
        hello, rest = admitted
        self._admission.logged_in(conn.session.id)
        self._admit(conn)
        log.info("%s gave the password: it is %s", conn.session.info().address, conn.name)
        self._changed(conn.session)
        if hello is None:  # a text client: now its greeting, and it is in
            conn.send_line(p.greeting_line(conn.name, self._replies.available))
            self._announce(conn)
        events: list[p.Event] = [hello, *rest] if hello is not None else rest
        if events:
            self._on_connection_events(conn, events)
        if member.end_reason is None:
            conn.release_reading()

    # --- hello and names -------------------------------------------------------------------

    def _on_hello(self, conn: ClientConnection, hello: p.Hello) -> None:
        member = conn.member
        old = conn.name
        verdict = member.hello(hello, self._commit.seq, old)
        conn.session.client_id = member.client_id
        if isinstance(verdict, Refusal):
            if verdict.reason is None:  # pragma: no cover - a second hello is answered as HELLO_AGAIN before this
                conn.reply(verdict.error)
                return
            conn.send(verdict.error)
            self._departures.end(conn, verdict.reason, "")
            return
        if verdict is not None:
            name = verdict
            refusal = self._claim_name(conn, name)
            if refusal is not None:
                conn.send(refusal)
                self._departures.end(conn, p.EndReason.REFUSED_NAME, "")
                return
            conn.session.name = name
            log.info("%s is now %s", old, name)
            if member.announced:
                self._broadcast(p.Renamed(old=old, new=name, time=time.time()))
                self.member_renamed.emit(old, name)
        self._changed(conn.session)  # its client id, and its name if it chose one
        members = self._roster.names()
        if not member.announced:
            members.append(conn.name)
        conn.send_requested(p.Welcome(
            name=conn.name, online=len(members), max_clients=self.max_clients,
            members=tuple(members), max_line_bytes=self.settings.max_line_bytes,
            seq=self._commit.stored_seq,  # stored ones only
        ))
        if not member.announced:
            self._announce(conn)
        elif not member.history_sent:  # announced as a text member before its hello came: its history now
            self._replies.send_history(conn)

    def _claim_name(self, conn: ClientConnection, name: str) -> p.Error | None:
        """Give ``conn`` the name it asked for, or say why not.

        A member online keeps its name, unless the same client (same client id) comes back: then its
        old connection, probably dead without knowing it yet, is closed. A chosen name used with a
        client id recently is kept for that client id (see ``name_reservation_s``).
        """
        claim = self._admission.claim(conn, name, self._recent_name_holder)
        if isinstance(claim, p.Error):
            return claim
        if claim is not None:  # the same client connected again
            log.info("%s connected again from %s: closing its old connection", claim.name,
                     conn.session.info().address)
            self._departures.end(claim, p.EndReason.REPLACED,
                                 "You connected again from elsewhere, so this connection is closed.")
        self._admission.take(conn, name)
        return None

    def _recent_name_holder(self, name: str) -> str | None:
        """The client id that used ``name`` within the reservation time, from the store (None if it cannot say)."""
        self.commit()  # the sessions of this turn count too
        try:
            return self.store.name_holder(name, time.time() - self.settings.name_reservation_s)
        except StoreError as exc:
            log.error("could not look up who used the name %s: %s", name, exc)
            return None

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

    # --- joining and leaving -------------------------------------------------------

    @Slot(object)
    def _announce(self, conn: ClientConnection) -> None:
        member = conn.member
        if not member.announce():  # only a joining member is announced, once
            return
        online = len(self._roster) + 1
        # A text member reads one reply per line it sends (the simplest socket clients read exactly once):
        # it is not sent the history unasked (its greeting says how to ask) nor its own join line.
        text_member = conn.output_framing is p.Framing.TEXT
        replay = None if text_member else self._replies.history_for(conn)
        for message in conn.take_held():
            if replay is not None and isinstance(message, p.Relay):
                continue  # the replay reads it from the store, in its place
            if member.hello_done and isinstance(message, (p.Joined, p.Left, p.Renamed)):
                continue  # its welcome listed the members as they are now
            if replay is not None:
                conn.hold(message)  # after its history, like what is broadcast while it catches up
            else:
                conn.send_bytes(self._encoded(message, conn.output_framing))
        log.info("%s joined (%d online)", conn.name, online)
        # A JSON member hears its own join too (the line that says it is in), after its history if it gets one;
        # a text member's greeting said it.
        self._roster.announce(conn, catching_up=replay is not None)
        if replay is not None:
            member.history_given()
            self._replies.start(conn, replay)
        self._broadcast(p.Joined(name=conn.name, online=online, time=time.time()),
                        exclude=conn if text_member else None)
        self.member_joined.emit(conn.name, online)

    def _encoded(self, message: p.Message, framing: p.Framing) -> bytes:
        """``message`` in ``framing``, encoded once per pass for all the members it was held for: they share the
        bytes instead of each holding a copy until its output is written."""
        key = (id(message), framing)
        hit = self._encodings.get(key)
        if hit is None:
            if not self._encodings:
                self._reactor.call_soon(self._encodings.clear)
            hit = self._encodings[key] = (message, p.encode(message, framing))  # the message keeps its id
        return hit[1]

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
