"""A member invited to a private room while its client window was away is told when it connects again, in the
conversation in view, and only that once: a real server, a real client window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from chat_gui.client import LOBBY
from chat_gui.client_window.window import ClientWindow
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, stop_clients

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

TOLD = "The server's operator invited you to #staff: join it from Rooms…"


def test_an_invitation_made_while_away_is_told_on_the_next_connection_once(
        qtbot: QtBot, server: ChatServer, tmp_path: Path) -> None:
    window = ClientWindow(settings=QSettings(str(tmp_path / "c.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.client.auto_reconnect = False
    window.client.protocol_version = p.ROOMS_VERSION
    window.show()

    def connect() -> None:
        with qtbot.waitSignal(window.client.welcomed, timeout=WAIT_MS):
            window.connect_to("127.0.0.1", server.server_port, "bob")

    def leave() -> None:
        with qtbot.waitSignal(window.client.disconnected, timeout=WAIT_MS):
            window.client.exit()

    try:
        connect()
        leave()
        assert server.create_room("#staff", private=True) is None
        assert server.invite_to_room("bob", "#staff") is None  # bob is away: his name is kept for his client id
        with qtbot.waitSignal(window.client.invitation_sent, timeout=WAIT_MS):
            connect()
        assert window.transcript_lines(LOBBY).count(TOLD) == 1
        leave()
        connect()
        with qtbot.waitSignal(window.client.room_entered, timeout=WAIT_MS):
            assert window.client.join_room("#staff")  # the invitation still stands
        assert window.transcript_lines(LOBBY).count(TOLD) == 1  # told once
    finally:
        stop_clients([window.client])
