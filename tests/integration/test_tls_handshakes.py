"""TLS accepts under silent connections: no handshake waits for another, and a stalled one is dropped within seconds."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient
from chat_gui.client.pinning import KnownServers
from chat_server.core.engine import ChatServer
from chat_server.net import tls_server, tls_sniff
from tests.conftest import WAIT_MS

MakeServer = Callable[..., ChatServer]


def _state(sock: socket.socket) -> str:
    """'open' while the server keeps the connection (it sends nothing before a ClientHello), else 'closed'."""
    try:
        data = sock.recv(1)
    except BlockingIOError:
        return "open"
    except ConnectionResetError:
        return "closed"
    return "closed" if data == b"" else "open"


@pytest.fixture
def silent_connections() -> Iterator[Callable[..., list[socket.socket]]]:
    """TCP connections that say nothing (``nc`` left open on a TLS port), or only the first byte of a handshake."""
    opened: list[socket.socket] = []

    def open_silent(port: int, count: int, first: bytes = b"") -> list[socket.socket]:
        socks = [socket.create_connection(("127.0.0.1", port), timeout=WAIT_MS / 1000) for _ in range(count)]
        for sock in socks:
            if first:
                sock.sendall(first)
            sock.setblocking(False)
        opened.extend(socks)
        return socks

    yield open_silent
    for sock in opened:
        sock.close()


def _tls_member(qtbot: QtBot, server: ChatServer, tmp_path: Path) -> ChatClient:
    member = ChatClient()
    member.known_servers = KnownServers(tmp_path / "known_servers.json")
    with qtbot.waitSignal(member.welcomed, timeout=WAIT_MS):
        member.connect_to("127.0.0.1", server.server_port, "alice", tls=True)
    return member


def test_200_silent_connections_do_not_delay_a_tls_member_and_are_dropped_after_the_handshake_timeout(
        make_server: MakeServer, silent_connections: Callable[..., list[socket.socket]], qtbot: QtBot,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tls_sniff, "SNIFF_TIMEOUT_S", tls_server.HANDSHAKE_TIMEOUT_S)  # not 10 s: a quicker test
    server = make_server(tls=True, tls_folder=str(tmp_path / "data"))
    # Accepted before the member, so ahead of it: 100 that say nothing, 100 that begin a handshake (its first
    # byte, a TLS handshake record's type) and stall.
    silent = silent_connections(server.server_port, 100) + silent_connections(server.server_port, 100, b"\x16")
    member = _tls_member(qtbot, server, tmp_path)
    # It got in before any silent connection's handshake timed out: it waited for none of them.
    assert [_state(sock) for sock in silent] == ["open"] * 200
    with qtbot.waitSignal(member.message_acked, timeout=WAIT_MS):
        member.send("in at once")
    # And each of them is dropped once its handshake timeout passes, without anyone's help.
    qtbot.waitUntil(lambda: [_state(sock) for sock in silent] == ["closed"] * 200, timeout=WAIT_MS)
    assert server.online_count == 1
    member.abort()


def test_when_too_many_handshakes_are_under_way_the_oldest_gives_way(
        make_server: MakeServer, silent_connections: Callable[..., list[socket.socket]], qtbot: QtBot,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tls_server, "MAX_HANDSHAKES", 10)
    server = make_server(tls=True, tls_folder=str(tmp_path / "data"))
    silent = silent_connections(server.server_port, 30, b"\x16")  # each begins a handshake and stalls
    member = _tls_member(qtbot, server, tmp_path)  # its own handshake pushed the oldest silent one out too
    qtbot.waitUntil(lambda: [_state(sock) for sock in silent] == ["closed"] * 21 + ["open"] * 9, timeout=WAIT_MS)
    member.abort()
