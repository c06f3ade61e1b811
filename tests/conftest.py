"""Shared fixtures: a server engine on 127.0.0.1 port 0, JSON clients and raw text clients."""

from __future__ import annotations

import os
import socket

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from PySide6.QtNetwork import QAbstractSocket, QTcpSocket
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient, ClientState
from chat_server.core.engine import ChatServer
from chat_server.net.main_thread_gc import collect_if_due, collect_on_main_thread
from chat_server.settings import ServerSettings
from chat_server.store import Store
from chat_server.store.sqlite import SqliteStore

# Hypothesis's timing checks measure the machine, not the code: on a busy CI runner a property test that
# takes 300 ms per example is a slow machine, not a failure. Example counts stay as each test sets them.
hypothesis_settings.register_profile("lanchat", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("lanchat")

@pytest.fixture(scope="session", autouse=True)
def _collect_on_main_thread(qapp: QApplication) -> Iterator[None]:
    """Garbage collection on the Qt thread only, as in the application: tests run zeroconf's threads beside Qt
    objects, and a cycle holding one collected on such a thread crashed the suite (chat_server/net/main_thread_gc.py).
    """
    collector = collect_on_main_thread(qapp)
    yield
    collector.close()


@pytest.fixture(autouse=True)
def _collect_after_each_test() -> Iterator[None]:
    """The collector's timer runs only while a test spins the event loop: what a test left is collected after it."""
    yield
    collect_if_due()


# A shorter join grace than the default keeps text-client tests quick; JSON clients on
# loopback send their hello well within it.
TEST_SETTINGS = ServerSettings(host="127.0.0.1", port=0, join_grace_ms=100)
WAIT_MS = 5000


class RawClient:
    """A plain socket client, like netcat: writes bytes, collects the lines it receives."""

    def __init__(self, qtbot: QtBot, port: int) -> None:
        self.qtbot = qtbot
        self.socket = QTcpSocket()
        self.lines: list[str] = []
        self._partial = b""
        self.closed = False
        self.socket.readyRead.connect(self._on_ready_read)
        self.socket.disconnected.connect(self._on_disconnected)
        with qtbot.waitSignal(self.socket.connected, timeout=WAIT_MS):
            self.socket.connectToHost("127.0.0.1", port)

    def _on_ready_read(self) -> None:
        if not self.socket.isOpen():
            return
        data = self._partial + bytes(self.socket.readAll().data())
        *complete, self._partial = data.split(b"\n")
        self.lines.extend(line.decode("utf-8", errors="replace") for line in complete)

    def _on_disconnected(self) -> None:
        self._on_ready_read()
        self.closed = True

    def send(self, data: bytes | str) -> None:
        self.socket.write(data.encode("utf-8") if isinstance(data, str) else data)
        self.socket.flush()

    def wait_line(self, wanted: str | Callable[[str], bool], start: int = 0) -> str:
        """Wait for a line equal to ``wanted`` (or satisfying it); return it."""
        found: list[str] = []

        def check() -> None:
            for line in self.lines[start:]:
                if (wanted(line) if callable(wanted) else line == wanted):
                    found.append(line)
                    return
            raise AssertionError(f"no line {wanted!r} in {self.lines!r}")

        self.qtbot.waitUntil(check, timeout=WAIT_MS)
        return found[0]

    def wait_closed(self) -> None:
        self.qtbot.waitUntil(lambda: self.closed, timeout=WAIT_MS)

    def close(self) -> None:
        if self.socket.state() != QAbstractSocket.SocketState.UnconnectedState:
            self.socket.abort()


def half_closed_session(qtbot: QtBot, port: int, data: bytes) -> list[str]:
    """Like ``printf DATA | nc -N``: send ``data``, close the sending side, and read until the server closes."""
    sock = socket.create_connection(("127.0.0.1", port))
    received = bytearray()
    try:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        sock.setblocking(False)

        def ended() -> bool:
            while True:
                try:
                    chunk = sock.recv(65536)
                except BlockingIOError:
                    return False
                if not chunk:
                    return True
                received.extend(chunk)

        qtbot.waitUntil(ended, timeout=WAIT_MS)
    finally:
        sock.close()
    return received.decode("utf-8").splitlines()


@pytest.fixture
def make_server(qtbot: QtBot) -> Iterator[Callable[..., ChatServer]]:
    """Start a server engine on 127.0.0.1:0 with the given settings overrides, over a SqliteStore at their
    ``db_path`` (or a store of the test's own, for tests that make the store fail)."""
    servers: list[ChatServer] = []

    def start(store: Store | None = None, **overrides: object) -> ChatServer:
        settings = replace(TEST_SETTINGS, **overrides)  # type: ignore[arg-type]
        server = ChatServer(settings, store if store is not None else SqliteStore(settings.db_path, settings.db_sync))
        assert server.listen(), "the test server could not listen"
        servers.append(server)
        return server

    yield start
    for server in servers:
        if server.is_listening or server.online_count:
            with qtbot.waitSignal(server.stopped, timeout=WAIT_MS):
                server.stop()
        server.deleteLater()


@pytest.fixture
def server(make_server: Callable[..., ChatServer]) -> ChatServer:
    """A server engine with the default settings (3 members at most) on a free port."""
    return make_server()


@pytest.fixture
def make_client(qtbot: QtBot) -> Iterator[Callable[..., ChatClient]]:
    """Connect a ChatClient to ``server`` and wait for its welcome (unless ``wait=False``)."""
    clients: list[ChatClient] = []

    def connect(server: ChatServer, name: str | None = None, wait: bool = True) -> ChatClient:
        client = ChatClient()
        clients.append(client)
        if wait:
            with qtbot.waitSignal(client.welcomed, timeout=WAIT_MS):
                client.connect_to("127.0.0.1", server.server_port, name)
        else:
            client.connect_to("127.0.0.1", server.server_port, name)
        return client

    yield connect
    for client in clients:
        if client.state is not ClientState.OFFLINE:
            client.abort()
        client.deleteLater()


def stop_clients(clients: Iterable[ChatClient]) -> None:
    """End the test's clients without reconnecting (for windows: ``window.client``)."""
    for client in clients:
        client.auto_reconnect = False
        client.cancel_reconnect()
        if client.state is not ClientState.OFFLINE:
            client.abort()


@pytest.fixture
def make_raw(qtbot: QtBot) -> Iterator[Callable[[ChatServer], RawClient]]:
    """Open a plain text connection (a netcat stand-in) to ``server``."""
    raws: list[RawClient] = []

    def connect(server: ChatServer) -> RawClient:
        raw = RawClient(qtbot, server.server_port)
        raws.append(raw)
        return raw

    yield connect
    for raw in raws:
        raw.close()
