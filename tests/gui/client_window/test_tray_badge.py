"""The tray icon's unread state: a badge while any chat window has messages its member has not seen.

Offscreen there is no system tray, so the test checks what the tray would show (icon and tool tip, computed the
same way whether a tray exists or not), not a tray on a real panel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient
from chat_gui.client_window.notifier import tray_icon_name, tray_tool_tip, unread_in_all_windows
from chat_gui.client_window.window import ClientWindow
from chat_server.core.engine import ChatServer
from resources import TRAY_ICON, TRAY_UNREAD_ICON
from tests.conftest import WAIT_MS

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")


def test_the_tray_shows_a_badge_while_a_window_behind_has_unread_messages(
        qtbot: QtBot, server: ChatServer, make_client: Callable[..., ChatClient], tmp_path: Path) -> None:
    alice = ClientWindow(settings=QSettings(str(tmp_path / "alice.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(alice)
    alice.client.auto_reconnect = False
    alice.show()
    with qtbot.waitSignal(alice.client.welcomed, timeout=WAIT_MS):
        alice.connect_to("127.0.0.1", server.server_port, "alice")
    bob = make_client(server, "bob")
    assert (unread_in_all_windows(), tray_icon_name(), tray_tool_tip()) == (0, TRAY_ICON, "LAN Chat")

    other = QWidget()  # another application's window in front of alice's
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: other.isActiveWindow() and not alice.isActiveWindow(), timeout=WAIT_MS)
    for text in ("hello", "anyone?"):
        with qtbot.waitSignal(alice.client.chat_received, timeout=WAIT_MS):
            bob.send(text)
    assert alice.notifier.unread == 2 and alice.windowTitle().startswith("(2) ")
    assert (unread_in_all_windows(), tray_icon_name(), tray_tool_tip()) == (2, TRAY_UNREAD_ICON, "LAN Chat: 2 unread")

    alice.activateWindow()  # the member comes back: the lobby is read, the badge goes
    qtbot.waitUntil(alice.isActiveWindow, timeout=WAIT_MS)
    assert (alice.notifier.unread, tray_icon_name(), tray_tool_tip()) == (0, TRAY_ICON, "LAN Chat")
    alice.client.abort()
