"""How a connection becomes a member: the door, the password gate, the hello and its name, the announcement.

``Admission`` (chat_server/core/admission.py) holds the rules and the bookkeeping (limits at the door, the
password checks' schedule, names and reservations) and ``MemberSession`` where each connection is in its
life; this carries out what they decide, with the sockets, the cache and the broadcasts.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from chat_server import protocol as p
from chat_server.core.admission import Admission
from chat_server.core.auth import Attempt
from chat_server.core.commit import GroupCommit
from chat_server.core.conversation_hub import ConversationHub
from chat_server.core.departures import Departures, who
from chat_server.core.member_replies import MemberReplies
from chat_server.core.roster import Roster
from chat_server.core.session import MemberSession, Refusal
from chat_server.core.sessions import SessionCache
from chat_server.net.connection import ClientConnection, ConnectionSignals
from chat_server.net.listener import Listener
from chat_server.net.reactor import Reactor
from chat_server.net.transport import Transport
from chat_server.net.writes import WriteScheduler
from chat_server.settings import ServerSettings
from chat_server.store import Store, StoreError

log = logging.getLogger(__name__)

EventHandler = Callable[[ClientConnection, list[p.Event]], None]


class Arrivals(QObject):
    """Accepts connections and takes each through the password and its hello until it is announced."""

    connection_refused = Signal(str, str)  # address, reason
    member_joined = Signal(str, int)  # name, online count
    window_opened = Signal(str, int)  # name, its windows now
    member_renamed = Signal(str, str)  # old, new

    def __init__(self, settings: Callable[[], ServerSettings], online: Callable[[], int], reactor: Reactor,
                 listener: Listener, store: Store, cache: SessionCache, roster: Roster, writes: WriteScheduler,
                 commit: GroupCommit, replies: MemberReplies, admission: Admission[ClientConnection],
                 departures: Departures, connections: dict[int, ClientConnection],
                 connection_signals: ConnectionSignals, handle_events: EventHandler, hub: ConversationHub,
                 parent: QObject | None = None) -> None:
        """``online()`` counts the members online; ``handle_events`` carries out what a connection sent behind its
        password once the password is right."""
        super().__init__(parent)
        self._settings = settings
        self._online = online
        self._reactor = reactor
        self._listener = listener
        self._store = store
        self._cache = cache
        self._roster = roster
        self._writes = writes
        self._commit = commit
        self._replies = replies
        self._admission = admission
        self._departures = departures
        self._connections = connections  # the engine's: session id -> connection
        self._connection_signals = connection_signals
        self._handle_events = handle_events
        self._hub = hub
        self._encodings: dict[tuple[int, p.Framing], tuple[p.Message, bytes]] = {}  # held broadcasts, this pass
        # A connection refused at the door from an address holding a file transfer's token: let in, but only as a
        # transfer (chat_server/core/transfer_door.py), and no more of them at once than ``tokens_held(host)``;
        # ``only_transfer`` keeps the refusal it gets if it says anything else.
        self.tokens_held: Callable[[str], int] = lambda host: 0
        self.only_transfer: dict[int, tuple[p.EndReason, str]] = {}

    # --- the door ------------------------------------------------------------------------

    @Slot()
    def accept(self) -> None:
        """Take the connections the listener has ready: refuse each at the door, or greet it (or ask it for the
        password)."""
        while (transport := self._listener.next_transport()) is not None:
            now = time.time()
            host = transport.peer_host  # an IPv4-mapped address is written as IPv4 already (unmapped_host)
            refusal = self._admission.refusal(host, self._online())
            if refusal is not None and not self._let_in(host):
                self._refuse(transport, host, now, *refusal)
                continue
            session = self._cache.open(host, transport.peer_port, now)
            if refusal is not None:
                self.only_transfer[session.id] = refusal
            password_required = bool(self._settings().password)
            member = MemberSession(password_required, time.monotonic())
            conn = ClientConnection(transport, session, self._settings(), self._writes, self._connection_signals,
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
                # Not named yet: a JSON client's hello may choose its name; its join line names it, once.
                log.info("%s connected", session.info().address)
            self._commit.changed(session)
            conn.start()

    @Slot(str, int)
    def plain_client_refused(self, host: str, port: int) -> None:
        """A plain client on the TLS port was told to use TLS: recorded like any refused connection."""
        now = time.time()
        session = self._cache.refuse(host, port, p.EndReason.REFUSED_NOT_TLS, now)
        address = session.info().address
        log.warning("refused %s: it does not speak TLS (told so in plain text)", address)
        self.connection_refused.emit(address, "not TLS: a plain client on the TLS port")
        self._commit.changed(session)

    def _admit(self, conn: ClientConnection) -> None:
        """A connection becomes a member (not yet announced): it gets a name and the broadcasts from now on."""
        conn.session.name = self._admission.assign(conn)
        self._roster.admit(conn)

    def _refuse(self, transport: Transport, host: str, now: float, reason: p.EndReason, line: str) -> None:
        """Turn a new connection away with one line, before it is a member (counted in its address's row)."""
        session = self._cache.refuse(host, transport.peer_port, reason, now)
        transport.write((p.refusal_line(reason, line) + "\n").encode("utf-8"))
        transport.close()
        address = session.info().address
        log.warning("refused %s: %s", address, line)
        self.connection_refused.emit(address, line)
        self._commit.changed(session)

    # --- the password ------------------------------------------------------------------

    def password_attempt(self, conn: ClientConnection, rest: list[p.Event]) -> None:
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
        line = self._admission.full_line(self._online())
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
        log.info("%s gave the password", conn.session.info().address)
        self._commit.changed(conn.session)
        if hello is None:  # a text client: now its greeting, and it is in
            conn.send_line(p.greeting_line(conn.name, self._replies.available))
            self.announce(conn)
        events: list[p.Event] = [hello, *rest] if hello is not None else rest
        if events:
            self._handle_events(conn, events)
        if member.end_reason is None:
            conn.release_reading()

    # --- hello and names -------------------------------------------------------------------

    def hello(self, conn: ClientConnection, hello: p.Hello) -> None:
        member = conn.member
        old = conn.name
        old_key = self._hub.key_of(conn)
        verdict = member.hello(hello, self._commit.seq, old)
        conn.session.client_id = member.client_id
        if member.announced and self._hub.key_of(conn) != old_key:  # a late hello gave it a client id
            self._hub.moved(conn, old_key)
        if isinstance(verdict, Refusal):
            if verdict.reason is None:  # pragma: no cover - a second hello is answered as HELLO_AGAIN before this
                conn.reply(verdict.error)
                return
            conn.send(verdict.error)
            self._departures.end(conn, verdict.reason, "")
            return
        if verdict is None and hello.name is None:
            # Back without a name: the ClientNN it had, if free (a late hello keeps its own beside another window).
            verdict = self._admission.earlier_name(conn, shared=not member.announced)
        if verdict is not None:
            claimed = self._claim_name(conn, verdict)
            if isinstance(claimed, p.Error):
                conn.send(claimed)
                self._departures.end(conn, p.EndReason.REFUSED_NAME, "")
                return
            conn.session.name = name = claimed
            if member.announced:  # a rename; before its join, the name it joins under is all there is to say
                self._hub.renamed(conn)
                self._roster.renamed(conn, old)
                log.info("%s is now %s", old, name)
                self._roster.broadcast(p.Renamed(old=old, new=name, time=time.time()))
                self.member_renamed.emit(old, name)
        self._commit.changed(conn.session)  # its client id, and its name if it chose one
        self._admission.welcomed(conn)
        members = self._roster.names()
        if conn.name not in members:  # not yet announced (and no other window of it is)
            members.append(conn.name)
        conn.send_requested(p.Welcome(
            name=conn.name, online=len(members), max_clients=self._settings().max_clients,
            members=tuple(members), max_line_bytes=self._settings().max_line_bytes,
            seq=self._commit.stored_seq,  # stored ones only
            version=member.version, rooms=self._hub.joined_rooms(conn),
        ))
        if not member.announced:
            self.announce(conn)
        elif not member.history_sent:  # announced as a text member before its hello came: its history now
            self._replies.send_history(conn)

    def _claim_name(self, conn: ClientConnection, name: str) -> p.Error | str:
        """Give ``conn`` the name it asked for (the name as it is held: another window of the same member holds it
        as it was written first), or say why not.

        A member online keeps its name, unless the same client (same client id) comes back: the same window
        (same instance, or one that says none) replaces its old connection, probably dead without knowing it
        yet; another window of it shares the name. A chosen name used with a client id recently is kept for
        that client id (see ``name_reservation_s``).
        """
        claim = self._admission.claim(conn, name, self._recent_name_holder)
        if isinstance(claim, p.Error):
            return claim
        sharing = claim.shared_with
        if sharing is not None and conn.member.announced:  # announced under another name already (a late hello)
            return p.Error(p.ERR_NAME_TAKEN, f"The name {sharing.name} is held by another window of yours; a window "
                                             "shares it only when its hello is its first line.")
        for old in claim.replaced:
            log.info("%s connected again from %s: closing its old connection", old.name, conn.session.info().address)
            self._departures.end(old, p.EndReason.REPLACED,
                                 "You connected again from elsewhere, so this connection is closed.")
        if sharing is not None:
            name = sharing.name
            log.info("%s opened another window from %s", name, conn.session.info().address)
        self._admission.take(conn, name, shared=sharing is not None)
        return name

    def _recent_name_holder(self, name: str) -> str | None:
        """The client id that used ``name`` within the reservation time, from the store (None if it cannot say)."""
        self._commit.commit()  # the sessions of this turn count too
        try:
            return self._store.name_holder(name, time.time() - self._settings().name_reservation_s)
        except StoreError as exc:
            log.error("could not look up who used the name %s: %s", name, exc)
            return None

    def _let_in(self, host: str) -> bool:
        """Whether a connection from ``host`` that the door refuses comes in anyway, for a transfer: one for each
        live token the address holds, no more (else one token would let in any number)."""
        held = self.tokens_held(host)
        if not held:
            return False
        connections = self._connections
        waiting = sum(1 for session_id in self.only_transfer
                      if (conn := connections.get(session_id)) is not None and conn.session.host == host)
        return waiting < held

    # --- announcing ---------------------------------------------------------------------------

    @Slot(object)
    def refuse_non_transfer(self, conn: ClientConnection) -> None:
        """A connection let in past the door for a file transfer did something else: refused as the door would."""
        reason, line = self.only_transfer.pop(conn.session.id)
        log.warning("refused %s: %s", conn.session.info().address, line)
        self.connection_refused.emit(conn.session.info().address, line)
        conn.send_line(p.refusal_line(reason, line))
        self._departures.end(conn, reason, "")

    def announce(self, conn: ClientConnection) -> None:
        """``conn`` is a member from now on: the others are told, and (JSON) it gets its history first."""
        member = conn.member
        if self.only_transfer and conn.session.id in self.only_transfer:  # let in for a transfer, but it is none
            self.refuse_non_transfer(conn)
            return
        if not member.announce():  # only a joining member is announced, once
            return
        # Another window of a member online (sharing its name): the member is there already, nobody is told.
        another_window = self._roster.windows_of(conn.name) > 0
        online = self._roster.member_count() + (0 if another_window else 1)
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
        if another_window:
            log.info("%s joined in another window (%d windows) from %s", conn.name,
                     self._roster.windows_of(conn.name) + 1, conn.session.info().address)
        else:
            log.info("%s joined (%d online) from %s", conn.name, online, conn.session.info().address)
        # A JSON member hears its own join too (the line that says it is in), after its history if it gets one;
        # a text member's greeting said it.
        self._roster.announce(conn, catching_up=replay is not None)
        self._hub.arrive(conn)
        delivered = self._hub.deliver_waiting(conn)  # the direct messages that waited for it, once
        self._hub.invitation_news.tell(conn)  # and the invitations made while it was away, once
        self._hub.read_markers.tell(conn)  # how far its identity has read, before the history it reads against
        if replay is not None:
            replay.skip = delivered
            member.history_given()
            self._replies.start(conn, replay)
        joined = p.Joined(name=conn.name, online=online, time=time.time())
        if another_window:  # only this window hears its join (a JSON one: the line that says it is in)
            if not text_member:
                if replay is not None:
                    conn.hold(joined)
                else:
                    conn.send(joined)
            self.window_opened.emit(conn.name, self._roster.windows_of(conn.name))
            return
        self._roster.broadcast(joined, exclude=conn if text_member else None)
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
