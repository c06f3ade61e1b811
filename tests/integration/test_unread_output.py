"""A member that stops reading, through the plain-socket transport: output queued past the kernel, then drained
in order, or lost with a reset while it waits; the others are served all along.

The far end is a real socket with a small receive buffer that does not read until the test says so;
the kernel's buffers fill and what they refuse (EAGAIN) waits in the member's transport.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS

MakeServer = Callable[..., ChatServer]
MakeClient = Callable[..., ChatClient]

TEXT_BYTES = 30_000
"""Each chat message's text: a few dozen fill a 4 KiB receive buffer and the send buffer behind it."""

MAX_MESSAGES = 400
"""The most the talker sends to back the sleeper up (about 12 MiB): the test fails rather than loop on."""


class Sleeper:
    """A JSON member on a plain socket that reads only when ``pump`` is called."""

    def __init__(self, port: int) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.connect(("127.0.0.1", port))
        self.sock.sendall(p.encode(p.Hello(name="Sleeper", client_id="id-sleeper")))
        self.sock.setblocking(False)
        self.decoder = p.ClientDecoder(max_line_bytes=1 << 20)
        self.events: list[p.Event] = []

    def pump(self) -> None:
        while True:
            try:
                data = self.sock.recv(1 << 20)
            except BlockingIOError:
                return
            if not data:
                return
            self.events += self.decoder.feed(data)

    def relays(self) -> list[tuple[int, str, str]]:
        return [(event.seq, event.sender, event.text) for event in self.events if isinstance(event, p.Relay)]


@pytest.fixture
def sleeper_and_talker(make_server: MakeServer, make_client: MakeClient,
                       qtbot: QtBot) -> Iterator[tuple[ChatServer, Sleeper, ChatClient]]:
    # The output cap is far above what the test queues: the sleeper stays a member however far behind it is.
    server = make_server(rate_per_s=0, max_output_bytes=64 * 1024 * 1024)
    talker = make_client(server, "Talker")
    sleeper = Sleeper(server.server_port)
    qtbot.waitUntil(lambda: "Sleeper" in talker.members, timeout=WAIT_MS)
    yield server, sleeper, talker
    sleeper.sock.close()


def _queued_in_transport(server: ChatServer, name: str) -> int:
    """Bytes the member's transport holds because the kernel would not take them (no public view of this)."""
    conn = server._names.get(name)
    assert conn is not None, f"{name} is not online"
    return conn.transport.write_buffer_size


def _back_up(server: ChatServer, talker: ChatClient, qtbot: QtBot) -> list[str]:
    """Send messages until some of the sleeper's output waits in its transport; their texts, in order."""
    texts: list[str] = []
    while _queued_in_transport(server, "Sleeper") == 0:
        assert len(texts) < MAX_MESSAGES, "the kernel took everything sent to a member that does not read"
        text = f"{len(texts)} " + "y" * TEXT_BYTES
        with qtbot.waitSignal(talker.message_acked, timeout=WAIT_MS):
            talker.send(text)
        texts.append(text)
    return texts


def test_output_the_kernel_refuses_waits_in_the_transport_and_drains_in_order(
        sleeper_and_talker: tuple[ChatServer, Sleeper, ChatClient], qtbot: QtBot) -> None:
    server, sleeper, talker = sleeper_and_talker
    texts = _back_up(server, talker, qtbot)
    assert _queued_in_transport(server, "Sleeper") > 0
    expected = [(seq, "Talker", text) for seq, text in enumerate(texts, start=1)]

    def drained() -> None:
        sleeper.pump()
        assert sleeper.relays() == expected

    qtbot.waitUntil(drained, timeout=WAIT_MS)
    assert _queued_in_transport(server, "Sleeper") == 0
    assert set(server.members()) == {"Talker", "Sleeper"}
    # Nothing was lost or repeated on the way, and the member is in step again.
    with qtbot.waitSignal(talker.message_acked, timeout=WAIT_MS):
        talker.send("after the drain")
    expected.append((len(texts) + 1, "Talker", "after the drain"))
    qtbot.waitUntil(drained, timeout=WAIT_MS)


def test_a_reset_while_output_waits_ends_the_session_as_dropped_and_the_others_go_on(
        sleeper_and_talker: tuple[ChatServer, Sleeper, ChatClient], make_client: MakeClient,
        qtbot: QtBot) -> None:
    server, sleeper, talker = sleeper_and_talker
    texts = _back_up(server, talker, qtbot)
    listener = make_client(server, "Listener")
    left: list[tuple[str, str, int]] = []
    talker.member_left.connect(lambda *args: left.append(args))
    sleeper.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sleeper.sock.close()  # with unread input and a zero linger: a reset, while the server still has output for it
    qtbot.waitUntil(lambda: left == [("Sleeper", p.EndReason.DROPPED.value, 2)], timeout=WAIT_MS)
    [info] = [info for info in server.cache.snapshot() if info.name == "Sleeper"]
    assert info.state == "dropped"
    assert set(server.members()) == {"Talker", "Listener"}
    with qtbot.waitSignal(listener.chat_received, timeout=WAIT_MS) as received:
        talker.send("still here")
    assert (received.args[0].seq, received.args[0].sender, received.args[0].text) == (
        len(texts) + 1, "Talker", "still here")


SMALL_CAP_BYTES = 4096
"""An output cap small enough that one relay of TEXT_BYTES left in the transport passes it."""


def test_a_member_found_too_slow_by_the_commit_of_its_own_exit_ends_once(
        make_server: MakeServer, make_client: MakeClient, qtbot: QtBot) -> None:
    # Its exit commits its chat first; that commit's writes find it over its output cap: it ends there as too slow,
    # and the exit that was ending it does not end it a second time (a second Left, the row closed twice).
    server = make_server(rate_per_s=0, max_output_bytes=SMALL_CAP_BYTES)
    talker = make_client(server, "Talker")
    sleeper = Sleeper(server.server_port)
    qtbot.waitUntil(lambda: "Sleeper" in talker.members, timeout=WAIT_MS)
    # Each relay is written only while what waits unread is within the cap: the last one leaves it past the cap.
    sent = 0
    while _queued_in_transport(server, "Sleeper") <= SMALL_CAP_BYTES:
        assert sent < MAX_MESSAGES, "the kernel took everything sent to a member that does not read"
        with qtbot.waitSignal(talker.message_acked, timeout=WAIT_MS):
            talker.send(f"{sent} " + "y" * TEXT_BYTES)
        sent += 1
    left: list[tuple[str, str, int]] = []
    server.member_left.connect(lambda *args: left.append(args))
    chat_and_exit = p.encode(p.Chat(id="s1", text="mine")) + p.encode(p.Exit())
    with qtbot.waitSignal(server.member_left, timeout=WAIT_MS):
        sleeper.sock.send(chat_and_exit)  # one read: the chat is in the batch when the exit is carried out
    assert left == [("Sleeper", p.EndReason.TOO_SLOW.value, 1)]
    [info] = [info for info in server.cache.snapshot() if info.name == "Sleeper"]
    assert info.state == p.EndReason.TOO_SLOW.value
    assert server.members() == ["Talker"]
    sleeper.sock.close()
