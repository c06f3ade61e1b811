"""MemberSession and Admission over a fake link: random interleavings, and what must hold whatever the order.

The fake link (tests/server/core/fake_link.py) is the two machines plus a small in-memory driver that
carries out their answers the way the engine does: no Qt, no sockets, a clock of its own.
Connects, hellos (names, client ids, wrong versions, passwords right, wrong and missing), text
passwords, chats and resends, a chat and an exit in one read, stray events, the grace period's end,
members found too slow by a commit's writes, cuts, kicks, commits, the password checks' turns and a
shutdown come in any order. Invariants:

- every ACKed message is stored exactly once, under the seq its ACK gave;
- no connection receives a relay or a presence line unless it is a member when it arrives;
- every session ends exactly once, with one reason, and is ENDED after its connection closed;
- an event wrong for the session's state gives a defined step, never an exception.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from chat_server import protocol as p
from chat_server.core.session import State, Step
from tests.server.core.fake_link import PASSWORD, Conn, FakeServer

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
    @rule(host=st.sampled_from(["10.0.0.1", "10.0.0.2"]), slow=st.sampled_from([False, False, True]))
    def connect(self, host: str, slow: bool) -> None:
        """A new connection; a slow one is found over its output cap by the first write to it."""
        conn = self.server.connect(host)
        if conn is not None:
            conn.slow = slow

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

    @rule(index=st.integers(0, 9), message_id=st.sampled_from(MESSAGE_IDS),
          last=st.sampled_from([p.Exit(), p.Hello(version=99), p.DecodeError(p.ERR_BAD_MESSAGE, "bad")]))
    def chat_and_more(self, index: int, message_id: str, last: p.Event) -> None:
        """A chat and what ends the session (or not) in one read: the end commits the chat first."""
        conn = self._pick(index)
        if conn is not None:
            self.server.receive(conn, [p.Chat(id=message_id, text="bye"), last])

    @rule(index=st.integers(0, 9), event=st.sampled_from(STRAY))
    def stray(self, index: int, event: p.Event) -> None:
        conn = self._pick(index)
        if conn is not None:
            self.server.steps.clear()
            self.server.receive(conn, [event])  # whatever the state: a step, never an exception
            assert set(self.server.steps) <= ERROR_STEPS

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


SessionLink.TestCase.settings = settings(max_examples=400, stateful_step_count=40, deadline=None,
                                         suppress_health_check=[HealthCheck.too_slow])
test_member_sessions_over_a_fake_link = SessionLink.TestCase
