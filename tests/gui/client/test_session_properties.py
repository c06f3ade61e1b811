"""ClientSession over a fake link: random sends, ACKs, refusals, cuts, goodbyes and reconnects, with invariants.

The link is a small in-memory driver that carries out the session's outputs the way ChatClient does (it
writes messages to a fake server, notes the events, cuts the connection on Disconnect, asks for the
outbox after each received event and for a reconnect after each end), and a fake server that stores
each (client, id) once, as the real one does. No Qt, no sockets: hypothesis chooses the order of
everything. Bounded: 200 runs of at most 50 steps (a few seconds).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from chat_gui.client.events import (
    Acked,
    ClientEnd,
    ClientState,
    Disconnect,
    Ended,
    ErrorReceived,
    ReconnectScheduled,
    StateChanged,
)
from chat_gui.client.session import RECONNECT_DELAYS_MS, ClientSession, Output
from chat_server import protocol as p

HOST, PORT = "127.0.0.1", 5000


@dataclass
class Connection:
    """One connection as both ends see it: what the client wrote, what waits for the client."""

    up: bool = False  # False: still connecting
    written: list[p.Message] = field(default_factory=list)  # client -> server, not yet processed
    to_client: list[p.Event | None] = field(default_factory=list)  # server -> client; None: the server closes
    chats: list[str] = field(default_factory=list)  # ids of every chat the client wrote on it, in order
    member: bool = False  # the server welcomed it
    ended: int = 0  # Ended reports for it
    left: bool = False  # the client said exit on it


class FakeServer:
    """Stores each message id once (a resend is acknowledged with its first seq), as the real server does."""

    def __init__(self) -> None:
        self.seq = 0
        self.stored: dict[str, int] = {}  # message id -> seq
        self.refused: set[str] = set()

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq


SERVER_LINES = st.one_of(
    st.builds(p.Ack, id=st.sampled_from(["?-1", "stranger"]), seq=st.integers(0, 40), time=st.just(1.0)),
    st.builds(p.Relay, sender=st.just("bob"), text=st.just("hi"), seq=st.integers(0, 40), time=st.just(1.0),
              history=st.booleans()),
    st.builds(p.Joined, name=st.sampled_from(["bob", "carol"]), online=st.integers(1, 3), time=st.just(1.0)),
    st.builds(p.Left, name=st.sampled_from(["bob", "carol"]), reason=st.sampled_from([r.value for r in p.EndReason]),
              online=st.integers(0, 3), time=st.just(1.0)),
    st.builds(p.Renamed, old=st.just("Client02"), new=st.just("bob"), time=st.just(1.0)),
    st.builds(p.Notice, text=st.just("noon"), time=st.just(1.0), private=st.booleans()),
    st.builds(p.Error, code=st.sampled_from([p.ERR_BAD_MESSAGE, p.ERR_NOT_ALLOWED, p.ERR_NAME_TAKEN]),
              text=st.just("no"), id=st.none()),
    st.builds(p.Ping, token=st.just("t")),
    st.builds(p.Banner, text=st.just("Welcome Client01! Type a message, 'status' or 'exit'.")),
    st.builds(p.Refusal, reason=st.sampled_from(["refused: full", "refused: moon"]), text=st.just("Later.")),
    st.builds(p.DecodeError, code=st.just(p.ERR_BAD_MESSAGE), text=st.just("not JSON")),
    st.builds(p.Welcome, name=st.just("alice"), online=st.just(1), max_clients=st.just(3), seq=st.integers(0, 40)),
    st.builds(p.Goodbye, name=st.just("alice"), reason=st.sampled_from([r.value for r in p.EndReason] + ["?"]),
              time=st.just(1.0)),
)
"""Anything a server may send, at any moment: the session must take it without raising."""

OUTCOMES = st.sampled_from(["welcome"] * 6 + ["full", "name_taken", "password_wrong", "silence", "unreachable"])
"""How a connection attempt goes: up and welcomed mostly, else refused, never answered, or not made at all."""

RARELY = st.sampled_from([True, False, False])
"""For the steps that end a connection: taken one time in three, so that runs get far enough to chat."""


class ClientSessionOverAFakeLink(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.session = ClientSession(client_id="c-1")
        self.server = FakeServer()
        self.link: Connection | None = None
        self.connections: list[Connection] = []
        self.now = 0.0
        self.mirror = ClientState.OFFLINE  # the state as the StateChanged reports tell it
        self.submitted: list[str] = []
        self.acked: set[str] = set()
        self.refused: set[str] = set()
        self.highest_seq: int | None = None
        self.reconnect: ReconnectScheduled | None = None
        self.welcomed_since_connect = False
        self.hello_answer = "welcome"

    @initialize(auto_reconnect=st.booleans(), name=st.sampled_from([None, "alice"]))
    def connect_first(self, auto_reconnect: bool, name: str | None) -> None:
        self.session.auto_reconnect = auto_reconnect
        self.user_connects(name)

    # --- the driver: ChatClient's part ------------------------------------------------------

    def apply(self, outputs: list[Output]) -> None:
        for output in outputs:
            match output:
                case p.Message():
                    if self.link is not None and self.link.up:
                        self.link.written.append(output)
                        if isinstance(output, p.Chat):
                            self.link.chats.append(output.id)
                case StateChanged(state=state):
                    assert state is not self.mirror, "a state change that changes nothing"
                    if self.link is not None:  # once leaving, never back in on that connection
                        assert not (state is ClientState.ONLINE and self.link.left)
                        self.link.left = self.link.left or state is ClientState.LEAVING
                    self.mirror = state
                case Acked(id=message_id):
                    if message_id in self.submitted:
                        assert message_id not in self.refused
                        self.acked.add(message_id)
                case ErrorReceived(message_id=message_id) if message_id is not None:
                    self.refused.add(message_id)
                case Ended():
                    assert self.link is not None
                    self.link.ended += 1
                case Disconnect():
                    self.close_connection()

    def close_connection(self) -> None:
        """The socket is closed (cut, refused, aborted): the session reports the end, then plans a reconnect."""
        link = self.link
        if link is None:
            return
        self.apply(self.session.closed())
        self.link = None
        assert link.ended == 1, "every connection ends exactly once"
        plan = self.session.plan_reconnect()
        # ChatClient may hear of the same end twice (its abort, then the socket's disconnected): nothing more.
        assert self.session.closed() == [] and self.session.plan_reconnect() is None
        if plan is not None:
            assert self.session.auto_reconnect and self.welcomed_since_connect
            delays = self.session.reconnect_delays_ms
            assert plan.delay_ms == delays[min(plan.attempt, len(delays)) - 1]
            assert plan.attempt == self.session.reconnect_attempt >= 1
            self.reconnect = plan

    def open(self) -> None:
        if self.link is not None:  # ChatClient aborts the socket first: a connected one reports its end
            if self.link.up:
                self.close_connection()
            self.link = None
        self.apply(self.session.open())
        self.link = Connection()
        self.connections.append(self.link)

    def receive(self, event: p.Event) -> None:
        self.now += 0.5
        assert self.link is not None
        before = self.session.state
        joining = before is ClientState.JOINING
        self.apply(self.session.receive(event, self.now))
        if self.link is None:
            return
        if isinstance(event, p.Welcome):  # taken while joining only (leaving, the goodbye follows)
            assert self.session.state is (ClientState.ONLINE if joining else before)
        if isinstance(event, p.Welcome) and joining:
            self.welcomed_since_connect = True
            waiting = [chat.id for chat in self.session.pending]
            already = list(self.link.chats)
            self.apply(self.session.flush_outbox(self.now))
            # Every message not yet acknowledged goes out once on this connection, in order, after the welcome.
            resent = self.link.chats[len(already):]
            assert [i for i in waiting if i not in already] == resent
        else:
            self.apply(self.session.flush_outbox(self.now))

    # --- what the user does -------------------------------------------------------------------

    @rule(name=st.sampled_from([None, "alice", " alice "]), now=RARELY)
    def user_connects_again(self, name: str | None, now: bool) -> None:
        if now:
            self.user_connects(name)

    def user_connects(self, name: str | None) -> None:
        self.reconnect = None
        self.session.connect(HOST, PORT, name)
        self.welcomed_since_connect = False
        self.open()

    @rule(text=st.sampled_from(["hello", "second", "third", "", "two\nlines", "x" * 300]))
    def user_sends(self, text: str) -> None:
        self.now += 0.25
        message_id, outputs = self.session.send(text, self.now)
        self.apply(outputs)
        if message_id is None:
            assert self.session.message_problem(text) is not None
        else:
            assert message_id not in self.submitted
            self.submitted.append(message_id)

    @rule(now=RARELY)
    def user_exits(self, now: bool) -> None:
        if not now:
            return
        self.reconnect = None
        self.session.cancel_reconnect()
        self.apply(self.session.leave())

    @rule(all_runs=st.booleans())
    def user_asks_for_status(self, all_runs: bool) -> None:
        request = self.session.status_request(all_runs, 1)
        assert (request is not None) == (self.session.state is ClientState.ONLINE)
        if request is not None:
            self.apply([request])

    # --- what the network and the timers do ----------------------------------------------------

    @precondition(lambda self: self.link is not None and not self.link.up)
    @rule(outcome=OUTCOMES)
    def connection_attempt_ends(self, outcome: str) -> None:
        assert self.link is not None
        if outcome == "unreachable":
            self.apply(self.session.unreachable("connection refused"))
            return
        self.link.up = True
        self.hello_answer = outcome
        self.apply(self.session.opened())

    @precondition(lambda self: self.session.state in (ClientState.CONNECTING, ClientState.LEAVING))
    @rule(now=RARELY)
    def timer_runs_out(self, now: bool) -> None:
        if now:
            self.apply(self.session.timed_out())

    @precondition(lambda self: self.link is not None and self.link.up)
    @rule(reset=st.booleans(), now=RARELY)
    def connection_is_cut(self, reset: bool, now: bool) -> None:
        if not now:
            return
        if reset:
            self.session.lost("Connection reset by peer")
        self.close_connection()

    @precondition(lambda self: self.reconnect is not None)
    @rule()
    def reconnect_timer_fires(self) -> None:
        self.reconnect = None
        if self.session.reconnect():
            self.open()

    # --- the fake server ----------------------------------------------------------------------

    @precondition(lambda self: self.link is not None and bool(self.link.written))
    @rule(refuse=st.booleans())
    def server_reads_a_line(self, refuse: bool) -> None:
        assert self.link is not None
        self.serve(self.link, self.link.written.pop(0), refuse)

    @precondition(lambda self: self.link is not None and self.link.up)
    @rule(refuse=st.booleans())
    def round_trip(self, refuse: bool) -> None:
        """The server reads everything written so far, and the client everything the server sent."""
        link = self.link
        assert link is not None
        while link.written:
            self.serve(link, link.written.pop(0), refuse)
        while self.link is link and link.to_client:
            self.client_reads_a_line()

    def serve(self, link: Connection, message: p.Message, refuse: bool) -> None:
        server = self.server
        match message:
            case p.Hello():
                answer = self.hello_answer
                if answer == "welcome":
                    link.member = True
                    link.to_client.append(p.Welcome(name=message.name or "Client01", online=1, max_clients=3,
                                                    members=(message.name or "Client01",), max_line_bytes=200,
                                                    seq=server.seq))
                elif answer == "full":
                    link.to_client += [p.Refusal("refused: full", "Server is full (3/3 online)."), None]
                elif answer != "silence":
                    link.to_client += [p.Error(answer, "No."), None]
            case p.Chat(id=message_id) if link.member:
                if message_id in server.stored:  # a resend: acknowledged again, stored once
                    link.to_client.append(p.Ack(message_id, server.stored[message_id], 1.0))
                elif refuse and message_id not in server.refused and len(server.refused) < 2:
                    server.refused.add(message_id)
                    link.to_client.append(p.Error(p.ERR_NOT_STORED, "Not stored.", message_id))
                else:
                    server.stored[message_id] = server.next_seq()
                    link.to_client.append(p.Ack(message_id, server.stored[message_id], 1.0))
            case p.Exit():
                link.to_client += [p.Goodbye("alice", p.EndReason.EXIT.value, 1.0), None]
            case p.StatusRequest() if link.member:
                link.to_client.append(p.StatusReport(online=1, max_clients=3, started_at=1.0))

    @precondition(lambda self: self.link is not None and self.link.member)
    @rule()
    def another_member_talks(self) -> None:
        assert self.link is not None
        self.link.to_client.append(p.Relay("bob", "hi", self.server.next_seq(), 1.0))

    @precondition(lambda self: self.link is not None and self.link.up)
    @rule(event=SERVER_LINES)
    def server_sends_something_odd(self, event: p.Event) -> None:
        self.receive(event)

    @precondition(lambda self: self.link is not None and bool(self.link.to_client))
    @rule()
    def client_reads_a_line(self) -> None:
        assert self.link is not None
        event = self.link.to_client.pop(0)
        if event is None:
            self.close_connection()
        else:
            self.receive(event)

    @precondition(lambda self: self.link is not None and self.link.member)
    @rule(reason=st.sampled_from([p.EndReason.SERVER_STOPPED, p.EndReason.KICKED, p.EndReason.REPLACED]))
    def server_says_goodbye(self, reason: p.EndReason) -> None:
        assert self.link is not None
        self.link.to_client += [p.Goodbye("alice", reason.value, 1.0), None]

    # --- what must always hold ------------------------------------------------------------------

    @invariant()
    def the_outbox_never_loses_nor_duplicates(self) -> None:
        pending = [chat.id for chat in self.session.pending]
        assert len(pending) == len(set(pending))
        assert set(pending).isdisjoint(self.acked) and set(pending).isdisjoint(self.refused)
        assert set(self.submitted) == set(pending) | self.acked | self.refused
        # Oldest first: the order they were typed in.
        assert pending == sorted(pending, key=self.submitted.index)

    @invariant()
    def each_connection_carries_a_message_once_in_order(self) -> None:
        for connection in self.connections:
            assert len(connection.chats) == len(set(connection.chats))
            assert connection.chats == sorted(connection.chats, key=self.submitted.index)

    @invariant()
    def what_was_stored_is_stored_once(self) -> None:
        assert sorted(self.server.stored.values()) == sorted(set(self.server.stored.values()))

    @invariant()
    def last_seq_never_goes_back(self) -> None:
        seq = self.session.last_seq
        if self.highest_seq is not None:
            assert seq is not None and seq >= self.highest_seq
        self.highest_seq = seq

    @invariant()
    def the_reports_follow_the_state(self) -> None:
        assert self.mirror is self.session.state
        assert (self.link is None) == (self.session.state is ClientState.OFFLINE)
        assert all(connection.ended <= 1 for connection in self.connections)
        if self.session.state is ClientState.ONLINE:
            assert self.session.reconnect_attempt == 0


ClientSessionOverAFakeLink.TestCase.settings = settings(
    max_examples=200, stateful_step_count=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
test_client_session_over_a_fake_link = ClientSessionOverAFakeLink.TestCase


def test_an_end_nobody_chose_reconnects_with_the_back_off_and_a_welcome_resets_it() -> None:
    session = ClientSession()
    session.auto_reconnect = True
    session.connect(HOST, PORT, "alice")
    session.open()
    session.opened()
    session.receive(p.Welcome(name="alice", online=1, max_clients=3), 0.0)
    plans: list[ReconnectScheduled | None] = []
    for _ in range(len(RECONNECT_DELAYS_MS) + 2):
        outputs = session.closed()
        assert outputs[-1] == Ended(ClientEnd.DROPPED if not plans else ClientEnd.UNREACHABLE,
                                    "The connection to 127.0.0.1:5000 was lost." if not plans else
                                    "Could not connect to 127.0.0.1:5000: connection refused.")
        plans.append(session.plan_reconnect())
        assert session.reconnect()
        session.open()
        assert session.unreachable("connection refused") == [Disconnect()]
    assert [plan.delay_ms if plan else None for plan in plans] == [*RECONNECT_DELAYS_MS, 30000, 30000]
    assert [plan.attempt if plan else None for plan in plans] == list(range(1, len(RECONNECT_DELAYS_MS) + 3))
    session.closed()
    session.plan_reconnect()
    session.reconnect()
    session.open()
    session.opened()
    session.receive(p.Welcome(name="alice", online=1, max_clients=3), 0.0)
    assert session.reconnect_attempt == 0


def test_a_refusal_is_classified_by_its_tag_or_code_and_ends_the_connection_so() -> None:
    cases: list[tuple[p.Event, ClientEnd, str]] = [
        (p.Refusal("refused: full", "Server is full."), ClientEnd.REFUSED, "full"),
        (p.Refusal("refused: something new", "Not now."), ClientEnd.REFUSED, "other"),
        (p.Error(p.ERR_NAME_RESERVED, "Kept."), ClientEnd.REFUSED, "name"),
        (p.Error(p.ERR_PASSWORD_REQUIRED, "Password?"), ClientEnd.PASSWORD, "password"),
        (p.Error(p.ERR_TRY_LATER, "Later."), ClientEnd.REFUSED, "busy"),
        (p.Banner("Server is full (3/3 online). Try again later."), ClientEnd.DROPPED, ""),  # prose is not a tag
    ]
    for event, end, kind in cases:
        session = ClientSession()
        session.connect(HOST, PORT, "alice")
        session.open()
        session.opened()
        session.receive(event, 0.0)
        assert (session.refusal.kind.value if session.refusal else "") == kind
        ended = session.closed()[-1]
        assert isinstance(ended, Ended) and ended.end is end, event


def test_a_message_typed_while_leaving_waits_behind_the_unacknowledged_ones() -> None:
    session = ClientSession()
    session.connect(HOST, PORT, "alice")
    session.open()
    session.opened()
    session.receive(p.Welcome(name="alice", online=1, max_clients=3), 0.0)
    first, sent = session.send("first", 1.0)
    assert [type(output) for output in sent] == [p.Chat]
    assert session.leave() == [StateChanged(ClientState.LEAVING), p.Exit()]
    second, queued = session.send("second", 2.0)
    assert queued == []
    session.closed()
    assert [chat.id for chat in session.pending] == [first, second]
    assert [chat.text for chat in session.pending] == ["first", "second"]
