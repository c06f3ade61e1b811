"""A telnet client on loopback, byte for byte as telnet sends: Ctrl-C, option negotiation, Telnet's end."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from chat_server.core.engine import ChatServer
from chat_server.protocol.telnet import DO, EOF, IAC, IP, TIMING_MARK, WILL, WONT
from tests.conftest import WAIT_MS

CTRL_C = bytes([IAC, IP, IAC, DO, TIMING_MARK])
GREETING = b"Welcome Client01! Type a message, 'status' or 'exit'.\n"


class ByteClient:
    """A plain socket that keeps every byte it receives (telnet's replies are not text)."""

    def __init__(self, qtbot: QtBot, port: int) -> None:
        self.qtbot = qtbot
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setblocking(False)
        self.received = bytearray()
        self.closed = False

    def _read(self) -> bytearray:
        """What has been received so far, after reading what is waiting."""
        while not self.closed:
            try:
                chunk = self.sock.recv(65536)
            except BlockingIOError:
                break
            if not chunk:
                self.closed = True
            self.received += chunk
        return self.received

    def wait_for(self, expected: bytes) -> None:
        """Wait until exactly ``expected`` was received (and fail on anything else)."""

        def check() -> None:
            self._read()
            assert bytes(self.received) == expected

        self.qtbot.waitUntil(check, timeout=WAIT_MS)

    def wait_lines(self, count: int) -> None:
        self.qtbot.waitUntil(lambda: self._read().count(b"\n") >= count, timeout=WAIT_MS)

    def wait_closed(self) -> None:
        self.qtbot.waitUntil(lambda: self._read() is not None and self.closed, timeout=WAIT_MS)


@pytest.fixture
def telnet(server: ChatServer, qtbot: QtBot) -> Iterator[ByteClient]:
    client = ByteClient(qtbot, server.server_port)
    yield client
    client.sock.close()


def test_ctrl_c_is_answered_with_the_timing_mark_after_the_replies_before_it(telnet: ByteClient) -> None:
    telnet.sock.sendall(b"hello\r\n" + CTRL_C + b"still here\r\n")
    telnet.wait_for(GREETING + b"hello ACK\n" + bytes([IAC, WILL, TIMING_MARK]) + b"still here ACK\n")


def test_options_are_refused_and_the_session_goes_on(telnet: ByteClient, server: ChatServer) -> None:
    telnet.sock.sendall(bytes([IAC, DO, 1, IAC, WILL, 24]) + b"status\r\n")  # DO ECHO, WILL TERMINAL-TYPE
    telnet.wait_lines(4)  # the greeting and the status table (title, header, one row)
    refusals = bytes([IAC, WONT, 1, IAC, 254, 24])  # WONT ECHO, DONT TERMINAL-TYPE
    assert telnet.received.startswith(GREETING + refusals + b"Status: 1/3 online, 1 session(s) since ")
    session = server.cache.get(1)
    assert session is not None and session.state == "online"


def test_telnet_eof_ends_the_session_as_exit(telnet: ByteClient, server: ChatServer) -> None:
    telnet.sock.sendall(b"bye\r\n" + bytes([IAC, EOF]))
    telnet.wait_closed()
    session = server.cache.get(1)
    assert session is not None and session.state == "exit"
    assert telnet.received.startswith(GREETING + b"bye ACK\nGoodbye Client01! Disconnected at ")


def test_telnet_in_character_mode_is_one_message_per_enter_however_slowly_it_types(
        telnet: ByteClient, server: ChatServer, qtbot: QtBot) -> None:
    # A telnet that sends every key as it is typed (Windows' telnet does by default, any telnet after "mode
    # character" on a server that agrees): each key in its own packet, Enter as CR NUL or CR LF. Netcat's rule
    # (bytes then 50 ms of silence are a message) made each key a message; a telnet client ends its own lines.
    telnet.sock.sendall(bytes([IAC, WILL, 31]))  # WILL NAWS: what Windows' telnet says first
    telnet.wait_for(GREETING + bytes([IAC, 254, 31]))
    [conn] = server._connections.values()
    for line, enter in ((b"hello", b"\r\0"), (b"/join #dev", b"\r\n")):
        for key in line:
            heard = conn.heard_at
            telnet.sock.sendall(bytes([key]))
            qtbot.waitUntil(lambda: conn.heard_at != heard, timeout=WAIT_MS)  # noqa: B023 (seen only inside)
            assert conn._flush_timer is None, "no pause turns a key into a message"
        telnet.sock.sendall(enter)
    telnet.wait_for(GREETING + bytes([IAC, 254, 31]) + b"hello ACK\n"
                    + b"[#dev] * You created #dev: 1 member online (Client01).\n")
