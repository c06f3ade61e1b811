"""The client engine's timers against peers that do not answer, and the server answering a client's ping.

The silent peers are real sockets on loopback: a listener whose backlog is full (the kernel leaves the
SYN unanswered) and a stand-in server that welcomes and then ignores ``exit``.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtNetwork import QHostAddress, QTcpServer, QTcpSocket
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import CONNECT_TIMEOUT_MS, EXIT_TIMEOUT_MS, ChatClient, ClientEnd, ClientState
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, RawClient

MakeRaw = Callable[[ChatServer], RawClient]


@pytest.fixture
def client() -> Iterator[ChatClient]:
    chat = ChatClient()
    yield chat
    if chat.state is not ClientState.OFFLINE:
        chat.abort()
    chat.deleteLater()


def test_a_server_that_never_answers_the_connect_is_given_up_after_the_timeout(
        client: ChatClient, qtbot: QtBot) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)  # never accepts: once its backlog is full, further SYNs go unanswered
    port = listener.getsockname()[1]
    fillers = []
    try:
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        with qtbot.waitSignal(client.disconnected, timeout=CONNECT_TIMEOUT_MS + WAIT_MS) as ended:
            client.connect_to("127.0.0.1", port, "Alice")
        assert ended.args == [ClientEnd.UNREACHABLE.value,
                              f"Could not connect to 127.0.0.1:{port}: no answer in {CONNECT_TIMEOUT_MS // 1000} s."]
        assert client.state is ClientState.OFFLINE and not client.reconnect_pending
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


def test_exit_gives_up_on_a_server_that_sends_no_goodbye(client: ChatClient, qtbot: QtBot) -> None:
    mute = QTcpServer()
    assert mute.listen(QHostAddress(QHostAddress.SpecialAddress.LocalHost), 0)
    peers: list[QTcpSocket] = []
    received: list[dict[str, object]] = []

    def on_ready_read(peer: QTcpSocket) -> None:
        while peer.canReadLine():
            message = json.loads(bytes(peer.readLine().data()))
            received.append(message)
            if message["type"] == "hello":  # welcome it, then say nothing more
                peer.write(p.encode(p.Welcome(name="Alice", online=1, max_clients=3, members=("Alice",),
                                              max_line_bytes=1000)))

    def on_new_connection() -> None:
        peer = mute.nextPendingConnection()
        peers.append(peer)
        peer.readyRead.connect(lambda: on_ready_read(peer))

    mute.newConnection.connect(on_new_connection)
    try:
        with qtbot.waitSignal(client.welcomed, timeout=WAIT_MS):
            client.connect_to("127.0.0.1", mute.serverPort(), "Alice")
        with qtbot.waitSignal(client.disconnected, timeout=EXIT_TIMEOUT_MS + WAIT_MS) as ended:
            client.exit()
        assert ended.args == [ClientEnd.EXIT.value, "Left without a goodbye from the server."]
        assert [message["type"] for message in received] == ["hello", "exit"]
        assert client.state is ClientState.OFFLINE
    finally:
        for peer in peers:
            peer.abort()
        mute.close()


def test_the_server_answers_a_clients_ping_with_its_token(server: ChatServer, make_raw: MakeRaw) -> None:
    member = make_raw(server)
    member.send(p.encode(p.Hello(name="pinger")))
    member.wait_line(lambda line: line.startswith('{"type":"welcome"'))
    member.send(p.encode(p.Ping(token="t-42")))
    pong = json.loads(member.wait_line(lambda line: line.startswith('{"type":"pong"')))
    assert pong == {"type": "pong", "token": "t-42"}
    assert server.members() == ["pinger"]
