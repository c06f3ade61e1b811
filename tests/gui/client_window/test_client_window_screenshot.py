"""The README's screenshot of the client window: mid-conversation with two other members.

It runs in every test run (so the scene keeps working) and saves the picture only when asked:

    LANCHAT_SCREENSHOT=docs/images/client-window.png \
        .venv/bin/pytest tests/gui/client_window/test_client_window_screenshot.py
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient
from chat_gui.client_window.transcript import Delivery, EntryKind
from chat_gui.client_window.window import ClientWindow
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")


def test_client_window_scene(qtbot: QtBot, server: ChatServer, make_client: Callable[..., ChatClient],
                             tmp_path: Path) -> None:
    bob = make_client(server, "Bob")
    window = ClientWindow(settings=QSettings(str(tmp_path / "client.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(820, 560)
    window.show()
    with qtbot.waitSignal(window.client.welcomed, timeout=WAIT_MS):
        window.connect_to("127.0.0.1", server.server_port, "Alice")

    def from_other(sender: ChatClient, text: str) -> None:
        with qtbot.waitSignal(window.client.chat_received, timeout=WAIT_MS):
            sender.send(text)

    def from_alice(text: str) -> None:
        with qtbot.waitSignal(window.client.message_acked, timeout=WAIT_MS):
            window.send_message(text)

    from_other(bob, "Morning Alice! Did last night's build pass?")
    from_alice("Yes, all green. I'm tagging the release now.")
    with qtbot.waitSignal(window.client.member_joined, timeout=WAIT_MS):
        carol = make_client(server, "Carol")
    from_other(carol, "Hi both, what did I miss?")
    from_alice("Only the release. The notes are on the wiki; have a look when you get a minute.")
    with qtbot.waitSignal(window.client.notice_received, timeout=WAIT_MS):
        server.send_notice("The server restarts at 18:00 for maintenance.")
    from_other(bob, "Thanks! I'll read them after lunch.")
    from_alice("Great, see you at stand-up.")

    assert window.members.names == ["Alice", "Bob", "Carol"]
    assert "Carol joined · 3/3 online" in window.transcript_lines()
    own = [entry for entry in window.entries() if entry.kind is EntryKind.OWN]
    assert len(own) == 3 and all(entry.delivery is Delivery.ACKED for entry in own)
    assert [entry.sender for entry in window.entries() if entry.kind is EntryKind.OTHER] == ["Bob", "Carol", "Bob"]

    path = os.environ.get("LANCHAT_SCREENSHOT")
    if path:
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        assert window.grab().save(path)
