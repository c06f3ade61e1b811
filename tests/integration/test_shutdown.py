"""Stopping the server with a member that does not read: it is aborted, and the stop does not wait for it.

``stop`` aborts at once a member far behind in reading (its goodbye would never be read); one only a
little behind gets ``shutdown_timeout_ms`` to take its goodbye and is aborted after that.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from chat_server.net.connection import BACKED_UP_BYTES, ClientConnection
from tests.conftest import WAIT_MS

MakeServer = Callable[..., ChatServer]
MakeClient = Callable[..., ChatClient]

BIG = "z" * 60_000  # one message, under the default line limit
MAX_BIG_MESSAGES = 200  # bounds the filling loops: 12 MB at most
LONG_SHUTDOWN_MS = 60_000  # so long that a stop waiting for it would fail the test


@pytest.fixture
def sleeper() -> Iterator[Callable[[int], socket.socket]]:
    """A member that joins and then reads nothing, with a small receive window."""
    socks: list[socket.socket] = []

    def connect(port: int) -> socket.socket:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", port))
        sock.sendall(p.encode(p.Hello(name="Sleeper")))
        socks.append(sock)
        return sock

    yield connect
    for sock in socks:
        sock.close()


def _connection(server: ChatServer, name: str) -> ClientConnection:
    return next(conn for conn in server._connections.values() if conn.name == name)


def _fill(qtbot: QtBot, talker: ChatClient, stuck: ClientConnection, enough: Callable[[int], bool]) -> None:
    """Relay big messages to ``stuck`` until its unread output (past the kernel's buffers) is ``enough``."""
    for number in range(MAX_BIG_MESSAGES):
        with qtbot.waitSignal(talker.message_acked, timeout=WAIT_MS):
            talker.send(f"{number} {BIG}")
        if enough(stuck.transport.write_buffer_size):
            return
    raise AssertionError(f"{MAX_BIG_MESSAGES} messages did not back the member up")


def _stopped_in(qtbot: QtBot, server: ChatServer, timeout_ms: int) -> float:
    started = time.monotonic()
    with qtbot.waitSignal(server.stopped, timeout=timeout_ms):
        server.stop()
    return time.monotonic() - started


def test_a_member_far_behind_in_reading_is_aborted_at_once_on_stop(
        make_server: MakeServer, make_client: MakeClient, sleeper: Callable[[int], socket.socket],
        qtbot: QtBot) -> None:
    server = make_server(shutdown_timeout_ms=LONG_SHUTDOWN_MS, max_output_bytes=64 * 1024 * 1024, history_limit=0,
                         rate_per_s=0)
    talker = make_client(server, "Talker")
    with qtbot.waitSignal(talker.member_joined, timeout=WAIT_MS):
        sleeper(server.server_port)
    stuck = _connection(server, "Sleeper")
    # Well past the mark, so that the kernel taking a little more meanwhile does not bring it back under.
    _fill(qtbot, talker, stuck, lambda unread: unread > 4 * BACKED_UP_BYTES)
    assert stuck.backed_up
    with qtbot.waitSignal(talker.goodbye_received, timeout=WAIT_MS) as goodbye:
        # Well within the minute the shutdown timeout would give the stuck member.
        _stopped_in(qtbot, server, WAIT_MS)
    assert goodbye.args[0].reason == "server stopped"
    assert [(s.name, s.state) for s in server.cache] == [("Talker", "server stopped"), ("Sleeper", "server stopped")]
    assert server.online_count == 0


def test_a_member_a_little_behind_gets_the_shutdown_timeout_then_is_aborted(
        make_server: MakeServer, make_client: MakeClient, sleeper: Callable[[int], socket.socket],
        qtbot: QtBot) -> None:
    timeout_ms = 300
    server = make_server(shutdown_timeout_ms=timeout_ms, max_output_bytes=64 * 1024 * 1024, history_limit=0,
                         rate_per_s=0)
    talker = make_client(server, "Talker")
    with qtbot.waitSignal(talker.member_joined, timeout=WAIT_MS):
        sleeper_sock = sleeper(server.server_port)
    stuck = _connection(server, "Sleeper")
    # Some output the kernel would not take, but not enough to count as backed up: its goodbye waits
    # behind it, and only the shutdown timeout ends the wait.
    small = "y" * 2000
    for number in range(MAX_BIG_MESSAGES * 30):
        with qtbot.waitSignal(talker.message_acked, timeout=WAIT_MS):
            talker.send(f"{number} {small}")
        if stuck.transport.write_buffer_size:
            break
    assert 0 < stuck.transport.write_buffer_size <= BACKED_UP_BYTES and not stuck.backed_up
    elapsed = _stopped_in(qtbot, server, WAIT_MS)
    assert elapsed >= timeout_ms / 1000 * 0.9  # it waited for the member's goodbye first
    # Aborted: what was still waiting in the server, the goodbye behind it included, was dropped; the
    # sleeper, reading at last, gets what the kernel had taken and then the end.
    sleeper_sock.settimeout(WAIT_MS / 1000)
    received = bytearray()
    while chunk := sleeper_sock.recv(1 << 20):
        received += chunk
    *complete, _cut = received.split(b"\n")  # the last message may have been cut short by the abort
    kinds = [json.loads(line)["type"] for line in complete if line.startswith(b"{")]
    assert kinds[0] == "welcome" and "goodbye" not in kinds
    assert [(s.name, s.state) for s in server.cache] == [("Talker", "server stopped"), ("Sleeper", "server stopped")]
