"""Stopping: ``stopped`` always comes, whatever state the members' connections are in."""

from __future__ import annotations

import socket
from collections.abc import Callable

from pytestqt.qtbot import QtBot

from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, RawClient

MakeServer = Callable[..., ChatServer]
MakeRaw = Callable[[ChatServer], RawClient]


def test_stop_ends_even_when_a_goodbye_can_only_be_cut(make_server: MakeServer, make_raw: MakeRaw,
                                                       qtbot: QtBot) -> None:
    """A member that reads nothing, with a little output still unsent (less than 'backed up'): the stop
    timer cuts it, and ``stopped`` must still come (it never did: the cut connection closes after the timer)."""
    server = make_server(max_clients=0, rate_per_s=0, max_output_bytes=0)
    reader = socket.socket()
    reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    reader.connect(("127.0.0.1", server.server_port))
    sender = make_raw(server)
    sender.send("hi\n")
    sender.wait_line("hi ACK")
    [held] = [conn for conn in server._connections.values() if conn.session.port == reader.getsockname()[1]]
    line = "x" * 16_000  # a quarter of what counts as backed up: the first one left unsent is less than that
    acks = 1

    def acknowledged() -> bool:
        return sum(text.endswith(" ACK") for text in sender.lines) >= acks

    while held.transport.write_buffer_size == 0:  # until the kernel's buffers are full and some waits here
        sender.send(f"{line}\n")
        acks += 1
        qtbot.waitUntil(acknowledged, timeout=WAIT_MS)
        assert acks < 2_000
    assert not held.backed_up
    with qtbot.waitSignal(server.stopped, timeout=WAIT_MS):
        server.stop()
    reader.close()
