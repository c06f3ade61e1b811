"""The client engine leaving while its hello is being answered: against a stand-in server on loopback."""

from __future__ import annotations

import json

from PySide6.QtNetwork import QHostAddress, QTcpServer, QTcpSocket
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient, ClientEnd, ClientState
from chat_server import protocol as p
from tests.conftest import WAIT_MS


def test_a_welcome_that_crosses_the_exit_does_not_bring_the_client_online(qtbot: QtBot) -> None:
    server = QTcpServer()
    assert server.listen(QHostAddress(QHostAddress.SpecialAddress.LocalHost), 0)
    peers: list[QTcpSocket] = []
    received: list[str] = []

    def on_ready_read(peer: QTcpSocket) -> None:
        while peer.canReadLine():
            kind = json.loads(bytes(peer.readLine().data()))["type"]
            received.append(kind)
            if kind == "exit":  # the welcome had left before the exit arrived: both answers go out
                peer.write(p.encode(p.Welcome(name="Alice", online=1, max_clients=3, members=("Alice",))))
                peer.write(p.encode(p.Goodbye(name="Alice", reason=p.EndReason.EXIT.value, time=1.0,
                                              text="Goodbye Alice!")))
                peer.disconnectFromHost()

    def on_new_connection() -> None:
        peer = server.nextPendingConnection()
        peers.append(peer)
        peer.readyRead.connect(lambda: on_ready_read(peer))

    server.newConnection.connect(on_new_connection)
    client = ChatClient()
    states: list[str] = []
    welcomed: list[object] = []
    client.state_changed.connect(states.append)
    client.welcomed.connect(welcomed.append)
    try:
        client.connect_to("127.0.0.1", server.serverPort(), "Alice")
        qtbot.waitUntil(lambda: received == ["hello"], timeout=WAIT_MS)
        message_id = client.send("typed while joining")
        with qtbot.waitSignal(client.disconnected, timeout=WAIT_MS) as ended:
            client.exit()
        assert ended.args == [ClientEnd.EXIT.value, "Goodbye Alice!"]
        assert states == ["connecting", "joining", "leaving", "offline"]
        assert welcomed == [] and received == ["hello", "exit"]
        assert [chat.id for chat in client.pending] == [message_id]  # still kept, not sent after the exit
        assert client.state is ClientState.OFFLINE and not client.reconnect_pending
    finally:
        client.abort()
        client.deleteLater()
        for peer in peers:
            peer.abort()
        server.close()
