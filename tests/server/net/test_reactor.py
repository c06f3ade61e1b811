"""The reactor on Qt's event loop: socket readiness (epoll set or one notifier per socket), call_soon, call_later."""

from __future__ import annotations

import select
import socket
from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from chat_server.net import reactor as reactor_module
from chat_server.net.reactor import Reactor
from tests.conftest import WAIT_MS

BACKENDS = [pytest.param(True, id="epoll"), pytest.param(False, id="notifiers")]


@pytest.fixture(params=BACKENDS)
def reactor(request: pytest.FixtureRequest) -> Iterator[Reactor]:
    if request.param and not hasattr(select, "epoll"):
        pytest.skip("no epoll on this system")
    reactor = Reactor(use_epoll=request.param)
    assert reactor.uses_epoll is request.param
    yield reactor
    reactor.close()
    reactor.deleteLater()


@pytest.fixture
def pairs() -> Iterator[Callable[[], tuple[socket.socket, socket.socket]]]:
    made: list[socket.socket] = []

    def make() -> tuple[socket.socket, socket.socket]:
        ours, theirs = socket.socketpair()
        ours.setblocking(False)
        made.extend((ours, theirs))
        return ours, theirs

    yield make
    for sock in made:
        sock.close()


class Recorder:
    """An I/O handler that reads what comes and notes what happens, in order."""

    def __init__(self, sock: socket.socket, log: list[str], name: str) -> None:
        self.sock, self.log, self.name = sock, log, name
        self.received = b""
        self.writable = 0
        self.on_read: Callable[[], object] = lambda: None

    def on_readable(self) -> None:
        data = self.sock.recv(4096)
        self.received += data
        self.log.append(f"{self.name} read {data.decode()}")
        self.on_read()

    def on_writable(self) -> None:
        self.writable += 1


def test_a_readable_socket_is_reported_and_callbacks_queued_meanwhile_run_when_its_pass_ends(
        reactor: Reactor, pairs, qtbot: QtBot) -> None:
    log: list[str] = []
    ours, theirs = pairs()
    handler = Recorder(ours, log, "a")
    handler.on_read = lambda: reactor.call_soon(log.append, "soon")
    reactor.register(ours.fileno(), handler, True, False)
    theirs.send(b"x")
    qtbot.waitUntil(lambda: log == ["a read x", "soon"], timeout=WAIT_MS)


def test_call_soon_outside_a_pass_runs_in_a_later_pass_in_order(reactor: Reactor, qtbot: QtBot) -> None:
    log: list[int] = []
    reactor.call_soon(log.append, 1)
    reactor.call_soon(log.append, 2)
    assert log == []
    qtbot.waitUntil(lambda: log == [1, 2], timeout=WAIT_MS)


def test_input_is_left_alone_while_reading_is_off(reactor: Reactor, pairs, qtbot: QtBot) -> None:
    log: list[str] = []
    (paused, paused_peer), (busy, busy_peer) = pairs(), pairs()
    reactor.register(paused.fileno(), Recorder(paused, log, "paused"), False, False)
    reactor.register(busy.fileno(), Recorder(busy, log, "busy"), True, False)
    paused_peer.send(b"p")
    busy_peer.send(b"b")
    qtbot.waitUntil(lambda: log == ["busy read b"], timeout=WAIT_MS)  # passes ran: the paused one was skipped
    reactor.modify(paused.fileno(), True, False)
    qtbot.waitUntil(lambda: log == ["busy read b", "paused read p"], timeout=WAIT_MS)


def test_write_interest_reports_a_writable_socket_until_switched_off(reactor: Reactor, pairs, qtbot: QtBot) -> None:
    ours, _ = pairs()
    handler = Recorder(ours, [], "a")
    reactor.register(ours.fileno(), handler, False, True)
    qtbot.waitUntil(lambda: handler.writable >= 2, timeout=WAIT_MS)
    reactor.modify(ours.fileno(), False, False)
    reactor.unregister(ours.fileno())
    seen = handler.writable
    done: list[bool] = []
    reactor.call_later(0.02, done.append, True)
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
    assert handler.writable == seen


def test_call_later_runs_in_deadline_order_and_a_cancelled_call_never_runs(reactor: Reactor, qtbot: QtBot) -> None:
    log: list[str] = []
    reactor.call_later(0.03, log.append, "third")
    cancelled = reactor.call_later(0.02, log.append, "cancelled")
    reactor.call_later(0.01, log.append, "second")
    reactor.call_later(0.0, log.append, "first")
    cancelled.cancel()
    qtbot.waitUntil(lambda: len(log) == 3, timeout=WAIT_MS)
    assert log == ["first", "second", "third"]


def test_many_restarted_deadlines_leave_one_call(reactor: Reactor, qtbot: QtBot) -> None:
    log: list[int] = []
    handle = reactor.call_later(5.0, log.append, -1)
    for n in range(500):  # like a text member's flush timer, restarted on every read
        handle.cancel()
        handle = reactor.call_later(0.001 * (n % 3), log.append, n)
    qtbot.waitUntil(lambda: log == [499], timeout=WAIT_MS)


def test_a_gather_budget_lets_input_arriving_meanwhile_join_the_pass(pairs, qtbot: QtBot) -> None:
    if not hasattr(select, "epoll"):
        pytest.skip("only the epoll set waits for more input")
    reactor = Reactor(use_epoll=True)
    log: list[str] = []
    (first, first_peer), (second, second_peer) = pairs(), pairs()
    handler = Recorder(first, log, "first")
    handler.on_read = lambda: reactor.call_soon(log.append, "commit")
    reactor.register(first.fileno(), handler, True, False)
    reactor.register(second.fileno(), Recorder(second, log, "second"), True, False)

    def budget() -> float:
        if log == ["first read 1"]:  # the other sender's message is on its way
            second_peer.send(b"2")
            return 5.0
        return 0.0

    reactor.set_gather_budget(budget)
    first_peer.send(b"1")
    try:
        qtbot.waitUntil(lambda: "commit" in log, timeout=WAIT_MS)
        assert log == ["first read 1", "second read 2", "commit"]
    finally:
        reactor.close()
        reactor.deleteLater()


def test_a_pass_stops_reading_at_its_budget_and_the_next_reads_the_rest_first(
        qtbot: QtBot, pairs: Callable[[], tuple[socket.socket, socket.socket]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(select, "epoll"):
        pytest.skip("no epoll on this system")
    monkeypatch.setattr(reactor_module, "PASS_READ_BYTES", 10)
    reactor = Reactor(use_epoll=True)
    log: list[str] = []
    behind: list[bool] = []
    reactor.set_behind_listener(behind.append)

    def end_of_pass() -> None:
        if log[-1] != "|":
            log.append("|")

    handlers = []
    for name in "abcd":
        ours, theirs = pairs()
        handler = Recorder(ours, log, name)

        def count(handler: Recorder = handler) -> None:
            reactor.bytes_read += len(handler.received)  # what a transport adds for each read
            handler.received = b""
            reactor.call_soon(end_of_pass)
        handler.on_read = count
        reactor.register(ours.fileno(), handler, True, False)
        handlers.append(handler)
        theirs.sendall(b"0123456")  # 7 bytes each: the budget of 10 is passed at the second socket
    qtbot.waitUntil(lambda: log.count("|") == 2, timeout=WAIT_MS)
    # Two sockets a pass: the two the first pass left are read in the second, and none is read twice.
    assert len(log) == 6 and log[2] == "|" and log[5] == "|"
    assert sorted(line[0] for line in log if line != "|") == ["a", "b", "c", "d"]
    assert behind == [True, False]  # behind after the first pass, caught up after the second
    for handler in handlers:
        reactor.unregister(handler.sock.fileno())
    reactor.close()
    reactor.deleteLater()
