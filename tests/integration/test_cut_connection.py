"""A member's connection cut mid-conversation: every transcript ends equal to the server's stored history.

The headless server runs as a subprocess with a SQLite file. Alice reaches it through a
small TCP relay in this process that the test can cut (both sides aborted, as when a cable
is pulled or a NAT forgets the flow); Bob and Carol connect directly. Alice is cut after the
server stored her message but before its ACK reached her, and the others keep talking while
she is away; her client reconnects by itself, resends its outbox (the server recognises the
resend) and resumes from the last sequence number it saw.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Slot
from PySide6.QtNetwork import QAbstractSocket, QHostAddress, QTcpServer, QTcpSocket
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient, ClientState
from chat_gui.client.events import Acked, ChatMessage
from tests.conftest import WAIT_MS
from tests.integration.test_headless import read_port, start_headless, stop_process

ROUNDS = 6  # each round: everyone says something
Line = tuple[str, str]  # sender, text


class CuttableRelay(QObject):
    """Forwards every accepted connection to the server's port; ``cut()`` aborts all of them at once."""

    def __init__(self, target_port: int) -> None:
        super().__init__()
        self.target_port = target_port
        self.pairs: list[tuple[QTcpSocket, QTcpSocket]] = []
        self.accepted = 0
        self.hold_replies = False  # keep what the server sends from reaching the client (lost at the cut)
        self._server = QTcpServer(self)
        self._server.newConnection.connect(self._on_server_new_connection)
        assert self._server.listen(QHostAddress(QHostAddress.SpecialAddress.LocalHost), 0)

    @property
    def port(self) -> int:
        return self._server.serverPort()

    def cut(self) -> None:
        for inner, outer in self.pairs:
            inner.abort()
            outer.abort()
        self.pairs.clear()

    def close(self) -> None:
        self.cut()
        self._server.close()

    @Slot()
    def _on_server_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            inner = self._server.nextPendingConnection()
            outer = QTcpSocket(self)
            self.accepted += 1
            self.pairs.append((inner, outer))
            # Bytes from the client wait in inner's buffer until outer is connected.
            outer.connected.connect(lambda inner=inner, outer=outer: outer.write(inner.readAll()))
            inner.readyRead.connect(lambda inner=inner, outer=outer: self._pass(inner, outer))
            outer.readyRead.connect(lambda inner=inner, outer=outer: self._reply(inner, outer))
            inner.disconnected.connect(lambda outer=outer: outer.disconnectFromHost())
            outer.disconnected.connect(lambda inner=inner: inner.disconnectFromHost())
            outer.connectToHost(QHostAddress(QHostAddress.SpecialAddress.LocalHost), self.target_port)

    def _reply(self, inner: QTcpSocket, outer: QTcpSocket) -> None:
        if not self.hold_replies:
            inner.write(outer.readAll())

    @staticmethod
    def _pass(inner: QTcpSocket, outer: QTcpSocket) -> None:
        if outer.state() == QAbstractSocket.SocketState.ConnectedState:
            outer.write(inner.readAll())


class Transcript:
    """What one client has seen, by sequence number: its own acknowledged messages and everyone else's."""

    def __init__(self, client: ChatClient) -> None:
        self.client = client
        self.sent: dict[str, str] = {}  # message id -> text
        self.lines: dict[int, Line] = {}
        self.receipts: Counter[int] = Counter()  # how often each seq arrived: must end all ones
        client.message_acked.connect(self._on_acked)
        client.chat_received.connect(self._on_chat)

    def say(self, text: str) -> None:
        message_id = self.client.send(text)
        assert message_id is not None
        self.sent[message_id] = text

    def _on_acked(self, ack: Acked, _rtt: float) -> None:
        self.receipts[ack.seq] += 1
        self.lines[ack.seq] = (self.client.name, self.sent[ack.id])

    def _on_chat(self, relay: ChatMessage) -> None:
        self.receipts[relay.seq] += 1
        self.lines[relay.seq] = (relay.sender, relay.text)


@pytest.fixture
def headless_db(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int, Path]]:
    db = tmp_path / "chat.sqlite3"
    process = start_headless("--port", "0", "--max-clients", "0", "--db", str(db), "--log-level", "warning")
    try:
        yield process, read_port(process), db
    finally:
        stop_process(process)


def _connect(qtbot: QtBot, port: int, name: str) -> ChatClient:
    client = ChatClient()
    client.auto_reconnect = True
    client.reconnect_delays_ms = (50, 100, 200)
    with qtbot.waitSignal(client.welcomed, timeout=WAIT_MS):
        client.connect_to("127.0.0.1", port, name)
    return client


def _stored_history(db: Path) -> dict[int, Line]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT seq, sender, text FROM messages ORDER BY seq").fetchall()
    return {seq: (sender, text) for seq, sender, text in rows}


def test_a_cut_member_catches_up_and_every_transcript_equals_the_stored_history(
        qtbot: QtBot, headless_db: tuple[subprocess.Popen[str], int, Path]) -> None:
    process, port, db = headless_db
    relay = CuttableRelay(port)
    alice = _connect(qtbot, relay.port, "Alice")
    bob = _connect(qtbot, port, "Bob")
    carol = _connect(qtbot, port, "Carol")
    clients = (alice, bob, carol)
    transcripts = {client.name: Transcript(client) for client in clients}
    try:
        for round_number in range(ROUNDS):
            cut_now = round_number == ROUNDS // 2
            if cut_now:
                relay.hold_replies = True  # from here on, nothing the server says reaches Alice
            for client in clients:
                transcripts[client.name].say(f"{client.name} says {round_number}")
            if cut_now:
                # Stored and relayed (Bob has it), but its ACK is held in the relay: cut now.
                qtbot.waitUntil(lambda: ("Alice", f"Alice says {ROUNDS // 2}") in transcripts["Bob"].lines.values(),
                                timeout=WAIT_MS)
                assert alice.state is ClientState.ONLINE
                with qtbot.waitSignal(alice.reconnecting, timeout=WAIT_MS):
                    relay.hold_replies = False
                    relay.cut()
                # The others talk on while she is away; she must get these on her return.
                for client in (bob, carol):
                    transcripts[client.name].say(f"{client.name} while Alice is away")
                with qtbot.waitSignal(alice.welcomed, timeout=WAIT_MS):
                    pass
        expected_total = ROUNDS * len(clients) + 2

        def everyone_has_everything() -> None:
            for transcript in transcripts.values():
                assert len(transcript.lines) == expected_total, (transcript.client.name, len(transcript.lines))

        qtbot.waitUntil(everyone_has_everything, timeout=WAIT_MS)
    finally:
        for client in clients:
            client.auto_reconnect = False
            client.abort()
        relay.close()

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0
    history = _stored_history(db)
    assert sorted(history) == list(range(1, expected_total + 1)), "no gaps in the stored sequence"
    assert Counter(text for _, text in history.values()).most_common(1)[0][1] == 1, "each message stored once"
    for name, transcript in transcripts.items():
        assert transcript.lines == history, f"{name}'s transcript differs from the stored history"
        twice = {seq: transcript.lines[seq] for seq, count in transcript.receipts.items() if count > 1}
        assert not twice, f"{name} received these more than once: {twice}"
    assert relay.accepted >= 2, "Alice really came back through a new connection"
    assert {text for sender, text in history.values() if sender == "Alice"} == {
        f"Alice says {n}" for n in range(ROUNDS)}
