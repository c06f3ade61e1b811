"""Fixtures shared by the client window's tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from chat_gui.client_window.window import ClientWindow
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, stop_clients


@pytest.fixture
def trio(qtbot: QtBot, server: ChatServer, tmp_path: Path) -> Iterator[list[ClientWindow]]:
    """alice, bob and carol: three client windows connected to ``server``, each seeing all three."""
    opened: list[ClientWindow] = []
    for name in ("alice", "bob", "carol"):
        window = ClientWindow(settings=QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.client.auto_reconnect = False
        window.show()
        opened.append(window)
        with qtbot.waitSignal(window.client.welcomed, timeout=WAIT_MS):
            window.connect_to("127.0.0.1", server.server_port, name)
    qtbot.waitUntil(lambda: opened[0].members.names == ["alice", "bob", "carol"], timeout=WAIT_MS)
    yield opened
    stop_clients(window.client for window in opened)
