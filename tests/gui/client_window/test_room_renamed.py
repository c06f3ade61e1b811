"""A room the server's operator renames, as a client window sees it: a real server, a real client, one conversation
that moves to its new name with its transcript."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from chat_gui.client import LOBBY, Conversation
from chat_gui.client_window.window import ClientWindow
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, stop_clients

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")


def sidebar_rows(window: ClientWindow) -> list[str]:
    model = window.conversations
    return [str(model.index(row).data()) for row in range(model.rowCount())]


def test_a_renamed_room_keeps_its_transcript_under_its_new_name(qtbot: QtBot, server: ChatServer,
                                                                tmp_path: Path) -> None:
    window = ClientWindow(settings=QSettings(str(tmp_path / "c.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.client.auto_reconnect = False
    window.client.protocol_version = p.ROOMS_VERSION
    window.show()
    try:
        with qtbot.waitSignal(window.client.welcomed, timeout=WAIT_MS):
            window.connect_to("127.0.0.1", server.server_port, "alice")
        with qtbot.waitSignal(window.client.room_entered, timeout=WAIT_MS):
            assert window.client.join_room("#dev")
        dev = Conversation.room("#dev")
        with qtbot.waitSignal(window.client.message_acked, timeout=WAIT_MS):
            window.message_edit.setText("before the rename")
            window.send_button.click()
        before = window.transcript_lines(dev)
        assert before[-1].startswith("You: before the rename")
        with qtbot.waitSignal(window.client.room_renamed, timeout=WAIT_MS):
            assert server.rename_room("#dev", "#Devel") is None
        devel = Conversation.room("#Devel")
        assert sidebar_rows(window) == ["Rooms", "#lobby", "#Devel"]
        assert window.pane.current == devel
        assert window.transcript_lines(devel) == [*before, "The server's operator renamed #dev to #Devel."]
        with qtbot.waitSignal(window.client.room_renamed, timeout=WAIT_MS):
            assert server.rename_room("#devel", "#devel") is None  # another spelling of the same name
        assert sidebar_rows(window) == ["Rooms", "#lobby", "#devel"]
        assert window.transcript_lines(devel)[-1] == "The server's operator renamed #Devel to #devel."
        with qtbot.waitSignal(window.client.message_acked, timeout=WAIT_MS):
            window.message_edit.setText("after the rename")
            window.send_button.click()
        assert window.transcript_lines(devel)[-1].startswith("You: after the rename")
        assert not any("rename" in line for line in window.transcript_lines(LOBBY))
    finally:
        stop_clients([window.client])
