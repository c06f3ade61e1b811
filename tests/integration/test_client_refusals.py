"""The client engine tells a refusal by its tag, never by the prose: against a stand-in server on loopback
that sends one plain line and closes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtNetwork import QHostAddress, QTcpServer, QTcpSocket
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient, ClientEnd, ClientState
from tests.conftest import WAIT_MS


@pytest.fixture
def client() -> Iterator[ChatClient]:
    chat = ChatClient()
    yield chat
    if chat.state is not ClientState.OFFLINE:
        chat.abort()
    chat.deleteLater()


def _one_line_server(line: str) -> tuple[QTcpServer, list[QTcpSocket]]:
    """A listener that answers every connection with ``line`` and closes it."""
    server = QTcpServer()
    assert server.listen(QHostAddress(QHostAddress.SpecialAddress.LocalHost), 0)
    peers: list[QTcpSocket] = []

    def on_new_connection() -> None:
        peer = server.nextPendingConnection()
        peers.append(peer)
        peer.write((line + "\n").encode("utf-8"))
        peer.disconnectFromHost()

    server.newConnection.connect(on_new_connection)
    return server, peers


@pytest.mark.parametrize(("line", "expected"), [
    ("[refused: full] Server is full (3/3 online). Try again later.",
     (ClientEnd.REFUSED.value, "Server is full (3/3 online). Try again later.")),
    ("[refused: moon phase] Not tonight.", (ClientEnd.REFUSED.value, "Not tonight.")),  # a reason it does not know
    # Prose that reads like a refusal is not one without the tag: the connection was simply lost.
    ("Server is full (3/3 online). Try again later.", (ClientEnd.DROPPED.value, "The connection to {} was lost.")),
    ("Welcome Client01! Type a message, 'status' or 'exit'.", (ClientEnd.DROPPED.value,
                                                               "The connection to {} was lost.")),
])
def test_a_plain_line_is_a_refusal_only_with_the_tag(client: ChatClient, qtbot: QtBot, line: str,
                                                     expected: tuple[str, str]) -> None:
    server, peers = _one_line_server(line)
    try:
        with qtbot.waitSignal(client.disconnected, timeout=WAIT_MS) as ended:
            client.connect_to("127.0.0.1", server.serverPort(), "Alice")
        address = f"127.0.0.1:{server.serverPort()}"
        assert ended.args == [expected[0], expected[1].format(address)]
        assert client.state is ClientState.OFFLINE and not client.reconnect_pending
    finally:
        for peer in peers:
            peer.abort()
        server.close()
