"""The real ``telnet`` program on a pseudo-terminal: after Ctrl-C it still shows what the server says.

Skipped where telnet is not installed (``apt-get install telnet``). Ctrl-C is telnet's SIGINT, which
makes it send ``IAC IP IAC DO TIMING-MARK`` and discard all output until the timing mark is answered.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS

TELNET = shutil.which("telnet")
pytestmark = pytest.mark.skipif(TELNET is None, reason="telnet is not installed (apt-get install telnet)")


class TelnetOnPty:
    """telnet with a pseudo-terminal for its keyboard and screen."""

    def __init__(self, qtbot: QtBot, port: int) -> None:
        assert TELNET is not None
        self.qtbot = qtbot
        self.master, slave = os.openpty()
        os.set_blocking(self.master, False)
        self.process = subprocess.Popen([TELNET, "127.0.0.1", str(port)], stdin=slave, stdout=slave, stderr=slave,
                                        start_new_session=True)
        os.close(slave)
        self.screen = bytearray()

    def type(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\r")

    def wait_for(self, text: str) -> None:
        def seen() -> bool:
            try:
                while chunk := os.read(self.master, 4096):
                    self.screen += chunk
            except (BlockingIOError, OSError):
                pass
            return text.encode() in self.screen

        self.qtbot.waitUntil(seen, timeout=WAIT_MS)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=WAIT_MS / 1000)
        os.close(self.master)


@pytest.fixture
def telnet(server: ChatServer, qtbot: QtBot) -> Iterator[TelnetOnPty]:
    client = TelnetOnPty(qtbot, server.server_port)
    yield client
    client.close()


def test_telnet_shows_the_replies_after_ctrl_c(telnet: TelnetOnPty, server: ChatServer, qtbot: QtBot) -> None:
    telnet.wait_for("Welcome Client01! Type a message, 'status' or 'exit'.")
    telnet.type("before ctrl-c")
    telnet.wait_for("before ctrl-c ACK")
    [conn] = server._connections.values()  # (when its bytes arrive is only seen inside)
    heard = conn.heard_at
    telnet.process.send_signal(signal.SIGINT)  # what the terminal does on Ctrl-C
    qtbot.waitUntil(lambda: conn.heard_at != heard, timeout=WAIT_MS)  # IAC IP IAC DO TIMING-MARK arrived
    telnet.type("after ctrl-c")
    telnet.wait_for("after ctrl-c ACK")
    telnet.type("exit")
    telnet.wait_for("Goodbye Client01! Disconnected at ")
    telnet.wait_for("Connection closed by foreign host.")
    session = server.cache.get(1)
    assert session is not None and session.state == "exit" and session.messages == 2
