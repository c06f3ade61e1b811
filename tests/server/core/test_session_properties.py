"""MemberSession and Admission over a fake link: random interleavings, and what must hold whatever the order.

The fake link is the two machines plus a small in-memory driver that carries out their answers the
way the engine does (chat_server/core/engine.py, in miniature): no Qt, no sockets, a clock of its own.
Connects, hellos (names, client ids, wrong versions, passwords right, wrong and missing), text
passwords, chats and resends, stray events, the grace period's end, cuts, kicks, commits, the
password checks' turns and a shutdown come in any order. Invariants:

- every ACKed message is stored exactly once, under the seq its ACK gave;
- no connection receives a relay or a presence line unless it is a member when it arrives;
- every session ends exactly once, with one reason, and is ENDED after its connection closed;
- an event wrong for the session's state gives a defined step, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from chat_server import protocol as p
from chat_server.core.admission import Admission
from chat_server.core.auth import Attempt
from chat_server.core.session import MemberSession, Refusal, State, Step
from chat_server.settings import ServerSettings
from chat_server.store import text_bound_client_id

PASSWORD = "pw"
NAMES = ("alice", "Alice", "bob", "Server", "x" * 40, None)
CLIENT_IDS = ("id-a", "id-b", None)
TEXTS = ("hi", "hello", "same")
MESSAGE_IDS = ("1", "2", "3")
STRAY: list[p.Event | p.Message] = [
    p.PasswordAttempt("pw"), p.Ping(token="t"), p.Pong(token="t"), p.StatusRequest(), p.HistoryRequest(),
    p.TelnetReply(b"\xff\xfb\x01"), p.DecodeError(p.ERR_BAD_MESSAGE, "bad"),
    p.Welcome(name="x", online=1, max_clients=0), p.Ack(id="1", seq=1, time=0.0),  # never from a client
]
ERROR_STEPS = {Step.NOT_ALLOWED, Step.HELLO_AGAIN, Step.IGNORE, Step.OVER, Step.WAIT, Step.ANNOUNCE, Step.PING,
               Step.STATUS, Step.HISTORY, Step.TELNET, Step.DECODE_ERROR, Step.CHECK_PASSWORD, Step.HELLO,
               Step.PASSWORD_MISSING}
"""What a stray event may be answered with: anything but storing a chat or ending the session (EXIT)."""


@dataclass(eq=False)
class Conn:
    """One connection's end of the fake link: its session, and what it was sent."""

    key: int
    host: str
    member: MemberSession
    name: str = ""
    closed: bool = False  # the transport is gone: nothing more is read or sent
    slow: bool = False  # over its output cap: the next write to it ends it as too slow, inside the commit
    written: bool = False  # output queued since the last write
    acks: list[tuple[str, int, str]] = field(default_factory=list)  # (message id, seq, text)
    heard: list[tuple[str, object, State]] = field(default_factory=list)  # (kind, what, its state when it came)
    errors: list[str] = field(default_factory=list)
    goodbyes: int = 0


@dataclass(frozen=True)
class Stored:
    seq: int
    client_id: str | None
    message_id: str
    text: str


class FakeServer:
    """The driver: carries out the session's steps and the admission's answers as the engine does."""

    def __init__(self, password: str, max_clients: int) -> None:
        self.settings = ServerSettings(password=password, max_clients=max_clients, name_reservation_s=0,
                                       auth_timeout_ms=5000, max_logins=4, max_logins_per_address=3)
        self.admission: Admission[Conn] = Admission(lambda: self.settings, lambda conn: conn.member.client_id)
        self.now = 0.0
        self.conns: list[Conn] = []  # every connection accepted, in order
        self.live: dict[int, Conn] = {}  # accepted and not yet forgotten
        self.members: dict[int, Conn] = {}  # announced and not yet forgotten: they hear the room
        self.store: list[Stored] = []
        self.batch: list[tuple[Stored, Conn]] = []
        self.resends: list[tuple[Conn, p.Chat, str]] = []
        self.checks: list[tuple[Conn, Attempt, str]] = []
        self.ends: dict[int, list[p.EndReason]] = {}

    @property
    def online(self) -> int:
        return len(self.live) - self.admission.login_count

    def connect(self, host: str) -> Conn | None:
        if self.admission.refusal(host, self.online) is not None:
            return None
        key = len(self.conns) + 1
        conn = Conn(key, host, MemberSession(bool(self.settings.password), self.now))
        self.conns.append(conn)
        self.live[key] = conn
        self.ends[key] = []
        if self.settings.password:
            self.admission.start_login(key, host)
        else:
            conn.name = self.admission.assign(conn)
        return conn

    # --- events in (the engine's _on_connection_events and _on_event) ---------------------------------

    def receive(self, conn: Conn, events: list[p.Event]) -> None:
        if conn.closed:
            return
        member = conn.member
        if member.state is State.CHECKING_PASSWORD:
            member.wait(events)
            return
        for index, event in enumerate(events):
            if member.over:
                return
            step = member.receive(event)
            if step is Step.ANNOUNCE:
                self.announce(conn)
                step = member.receive(event) if member.state is State.MEMBER else Step.OVER
            if step is Step.CHAT:
                assert member.state is State.MEMBER
                self.chat(conn, event)  # type: ignore[arg-type]
            elif step is Step.HELLO:
                self.hello(conn, event)  # type: ignore[arg-type]
            elif step is Step.CHECK_PASSWORD:
                self.password(conn, events[index + 1:])
                return
            elif step is Step.EXIT:
                self.end(conn, p.EndReason.EXIT)
            elif step is Step.PASSWORD_MISSING:
                conn.errors.append(p.ERR_PASSWORD_REQUIRED)
                self.end(conn, p.EndReason.REFUSED_PASSWORD)
            elif step in (Step.HELLO_AGAIN, Step.NOT_ALLOWED, Step.DECODE_ERROR):
                conn.errors.append(p.ERR_NOT_ALLOWED)

    def _earlier(self, client_id: str, message_id: str) -> tuple[Stored | None, Stored | None]:
        key = (client_id, message_id)
        in_batch = next((s for s, _ in self.batch if (s.client_id, s.message_id) == key), None)
        return in_batch, in_batch or next((s for s in self.store if (s.client_id, s.message_id) == key), None)

    def chat(self, conn: Conn, chat: p.Chat) -> None:
        client_id = conn.member.client_id
        if client_id is not None and chat.id:
            in_batch, earlier = self._earlier(client_id, chat.id)
            if earlier is not None and earlier.text != chat.text:  # another message under a used id
                client_id = text_bound_client_id(client_id, chat.text)
                in_batch, earlier = self._earlier(client_id, chat.id)
            if in_batch is not None:
                self.resends.append((conn, chat, client_id))
                return
            if earlier is not None:
                conn.acks.append((chat.id, earlier.seq, chat.text))
                return
        seq = (self.batch[-1][0].seq if self.batch else self.store[-1].seq if self.store else 0) + 1
        self.batch.append((Stored(seq, client_id if chat.id else None, chat.id, chat.text), conn))

    def commit(self) -> None:
        batch, self.batch = self.batch, []
        self.store.extend(stored for stored, _ in batch)
        for stored, sender in batch:
            sender.acks.append((stored.message_id, stored.seq, stored.text))
            sender.written = True
            self.broadcast("relay", stored.seq, exclude=sender)
        resends, self.resends = self.resends, []
        for conn, chat, client_id in resends:
            first = next(s for s, _ in batch if (s.client_id, s.message_id) == (client_id, chat.id))
            conn.acks.append((chat.id, first.seq, chat.text))
            conn.written = True
        self.write()

    def write(self) -> None:
        """The writes at the end of the commit, as the engine's WriteScheduler does them: a member over its output
        cap is ended as too slow right there (the overflowed signal), even while another end is committing."""
        for conn in list(self.live.values()):
            if conn.written:
                conn.written = False
                if conn.slow and not conn.member.over:
                    self.end(conn, p.EndReason.TOO_SLOW)

    def broadcast(self, kind: str, what: object, exclude: Conn | None = None) -> None:
        for conn in self.members.values():
            if conn is not exclude and not conn.closed:
                conn.heard.append((kind, what, conn.member.state))
                conn.written = True

    # --- the password gate ---------------------------------------------------------------------------

    def password(self, conn: Conn, rest: list[p.Event]) -> None:
        member = conn.member
        check = self.admission.schedule(conn.host, self.now, member.prompted_at)
        if isinstance(check, int):
            conn.errors.append(p.ERR_TRY_LATER)
            self.end(conn, p.EndReason.REFUSED_BUSY)
            return
        member.wait(rest)
        self.checks.append((conn, check, member.attempt or ""))

    def run_due_checks(self) -> None:
        due = [entry for entry in self.checks if entry[1].at <= self.now]
        self.checks = [entry for entry in self.checks if entry[1].at > self.now]
        for conn, check, password in due:
            member = conn.member
            if member.over:
                self.admission.give_up(conn.key, check)
                continue
            right, _ = self.admission.check(conn.key, check, password, self.now)
            if not right:
                conn.errors.append(p.ERR_PASSWORD_WRONG)
                self.end(conn, p.EndReason.REFUSED_PASSWORD)
                continue
            if self.admission.full_line(self.online) is not None:
                self.end(conn, p.EndReason.REFUSED_FULL)
                continue
            admitted = member.admit()
            assert admitted is not None
            hello, rest = admitted
            self.admission.logged_in(conn.key)
            conn.name = self.admission.assign(conn)
            if hello is None:
                self.announce(conn)
            self.receive(conn, [hello, *rest] if hello is not None else rest)

    # --- names, joining and leaving ------------------------------------------------------------------

    def hello(self, conn: Conn, hello: p.Hello) -> None:
        verdict = conn.member.hello(hello, self.store[-1].seq if self.store else 0, conn.name)
        if isinstance(verdict, Refusal):
            conn.errors.append(verdict.error.code)
            if verdict.reason is not None:
                self.end(conn, verdict.reason)
            return
        if verdict is not None:
            claim = self.admission.claim(conn, verdict, lambda name: None)
            if isinstance(claim, p.Error):
                conn.errors.append(claim.code)
                self.end(conn, p.EndReason.REFUSED_NAME)
                return
            if claim is not None:
                self.end(claim, p.EndReason.REPLACED)
            self.admission.take(conn, verdict)
            if conn.member.announced:
                self.broadcast("renamed", verdict)
            conn.name = verdict
        if not conn.member.announced:
            self.announce(conn)

    def announce(self, conn: Conn) -> None:
        if not conn.member.announce():
            return
        self.members[conn.key] = conn
        self.broadcast("joined", conn.name, exclude=conn)

    def end(self, conn: Conn, reason: p.EndReason, tell_others: bool = True) -> None:
        member = conn.member
        if member.over:
            return
        self.commit()
        if not member.end(reason):
            return
        self.forget(conn, reason, tell_others)
        if not conn.closed:
            conn.goodbyes += 1

    def closed(self, conn: Conn) -> None:
        """The connection is gone (a cut, or the close after a goodbye)."""
        self.commit()
        if conn.member.closed() is not None:
            self.forget(conn, p.EndReason.DROPPED, tell_others=True)
        conn.closed = True

    def forget(self, conn: Conn, reason: p.EndReason, tell_others: bool) -> None:
        self.ends[conn.key].append(reason)
        self.admission.forget(conn.key, conn)
        self.live.pop(conn.key, None)
        self.members.pop(conn.key, None)
        if conn.member.announced and tell_others:
            self.broadcast("left", conn.name)


class SessionLink(RuleBasedStateMachine):
    """Random interleavings over the fake link; the invariants below are checked after every step."""

    def __init__(self) -> None:
        super().__init__()
        self.server = FakeServer("", 0)
        self.stopped = False

    @precondition(lambda self: not self.server.conns)
    @rule(password=st.booleans(), max_clients=st.sampled_from([0, 2, 5]))
    def configure(self, password: bool, max_clients: int) -> None:
        self.server = FakeServer(PASSWORD if password else "", max_clients)

    def _pick(self, index: int) -> Conn | None:
        conns = self.server.conns
        return conns[index % len(conns)] if conns else None

    @precondition(lambda self: not self.stopped)
    @rule(host=st.sampled_from(["10.0.0.1", "10.0.0.2"]))
    def connect(self, host: str) -> None:
        self.server.connect(host)

    @rule(index=st.integers(0, 9), name=st.sampled_from(NAMES), client_id=st.sampled_from(CLIENT_IDS),
          version=st.sampled_from([p.PROTOCOL_VERSION, p.PROTOCOL_VERSION, 99]),
          password=st.sampled_from([PASSWORD, "wrong", None]), last_seq=st.sampled_from([None, 0, 1, 1000]))
    def hello(self, index: int, name: str | None, client_id: str | None, version: int, password: str | None,
              last_seq: int | None) -> None:
        conn = self._pick(index)
        if conn is not None:
            self.server.receive(conn, [p.Hello(version=version, name=name, client_id=client_id, last_seq=last_seq,
                                               password=password)])

    @rule(index=st.integers(0, 9), right=st.booleans(), then=st.lists(st.sampled_from(TEXTS), max_size=2))
    def text_password(self, index: int, right: bool, then: list[str]) -> None:
        conn = self._pick(index)
        if conn is not None:
            chats: list[p.Event] = [p.Chat(id="", text=text) for text in then]
            self.server.receive(conn, [p.PasswordAttempt(PASSWORD if right else "nope"), *chats])

    @rule(index=st.integers(0, 9), message_id=st.sampled_from(MESSAGE_IDS), text=st.sampled_from(TEXTS),
          times=st.integers(1, 2))
    def chat(self, index: int, message_id: str, text: str, times: int) -> None:
        """A chat, sent ``times`` in one read: the second is a resend."""
        conn = self._pick(index)
        if conn is not None:
            self.server.receive(conn, [p.Chat(id=message_id, text=text)] * times)

    @rule(index=st.integers(0, 9), event=st.sampled_from(STRAY))
    def stray(self, index: int, event: p.Event) -> None:
        conn = self._pick(index)
        if conn is not None:
            before = conn.member.end_reason
            assert conn.member.receive(event) in ERROR_STEPS  # asked directly: a step, never an exception
            assert conn.member.end_reason is before
            self.server.receive(conn, [event])

    @rule(index=st.integers(0, 9))
    def exit(self, index: int) -> None:
        conn = self._pick(index)
        if conn is not None:
            self.server.receive(conn, [p.Exit()])

    @rule(index=st.integers(0, 9))
    def grace_over(self, index: int) -> None:
        conn = self._pick(index)
        if conn is not None and not conn.closed:
            self.server.announce(conn)

    @rule(index=st.integers(0, 9))
    def cut(self, index: int) -> None:
        conn = self._pick(index)
        if conn is not None and not conn.closed:
            self.server.closed(conn)

    @rule(name=st.sampled_from(["alice", "bob", "Client01", "Client02"]))
    def kick(self, name: str) -> None:
        holder = self.server.admission.names.get(name)
        if holder is not None:
            self.server.end(holder, p.EndReason.KICKED)

    @rule(index=st.integers(0, 9))
    def falls_behind(self, index: int) -> None:
        conn = self._pick(index)
        if conn is not None:
            conn.slow = True

    @rule()
    def commit(self) -> None:
        self.server.commit()

    @rule(seconds=st.sampled_from([0.0, 0.5, 2.0, 10.0]))
    def time_passes(self, seconds: float) -> None:
        self.server.now += seconds
        self.server.run_due_checks()

    @rule()
    def closes_arrive(self) -> None:
        """The connections the server ended finish writing their goodbye and close."""
        for conn in self.server.conns:
            if conn.member.state is State.ENDING:
                self.server.closed(conn)

    @precondition(lambda self: not self.stopped)
    @rule()
    def shutdown(self) -> None:
        self.stopped = True
        server = self.server
        server.commit()
        for conn in list(server.live.values()):
            server.end(conn, p.EndReason.SERVER_STOPPED, tell_others=False)
        self.closes_arrive()

    @invariant()
    def every_ack_is_of_a_message_stored_once(self) -> None:
        keys = [(s.client_id, s.message_id) for s in self.server.store if s.client_id is not None]
        assert len(keys) == len(set(keys)), "a message stored twice"
        by_seq = {s.seq: s for s in self.server.store}
        assert sorted(by_seq) == list(range(1, len(self.server.store) + 1))
        for conn in self.server.conns:
            for message_id, seq, text in conn.acks:
                stored = by_seq[seq]
                assert (stored.message_id, stored.text) == (message_id, text)

    @invariant()
    def only_members_hear_the_room(self) -> None:
        for conn in self.server.conns:
            assert all(state is State.MEMBER for _, _, state in conn.heard)
            if not conn.member.announced:
                assert not conn.heard

    @invariant()
    def a_session_ends_once_with_one_reason(self) -> None:
        for conn in self.server.conns:
            ends = self.server.ends[conn.key]
            assert len(ends) <= 1
            if ends:
                assert conn.member.end_reason is ends[0] and conn.member.over
            else:
                assert conn.member.end_reason is None and conn.key in self.server.live
            if conn.closed:
                assert conn.member.state is State.ENDED and len(ends) == 1

    def teardown(self) -> None:
        if self.server.conns:
            self.shutdown() if not self.stopped else self.closes_arrive()
            for conn in self.server.conns:
                assert conn.closed and conn.member.state is State.ENDED
                assert len(self.server.ends[conn.key]) == 1
            assert self.server.online == 0 and self.server.admission.login_count == 0
            assert not self.server.live and not self.server.members


SessionLink.TestCase.settings = settings(max_examples=150, stateful_step_count=40, deadline=None,
                                         suppress_health_check=[HealthCheck.too_slow])
test_member_sessions_over_a_fake_link = SessionLink.TestCase
