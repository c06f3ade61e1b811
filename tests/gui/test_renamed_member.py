"""A member renamed after its announcement (a late JSON hello), as the client and server windows show it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from chat_gui.client_window.transcript import EntryKind
from chat_gui.client_window.window import ClientWindow
from chat_gui.server_window.window import ServerWindow
from chat_server import protocol as p
from tests.conftest import WAIT_MS, stop_clients
from tests.integration.test_rename import GRACE_MS, MakeRaw, MakeServer

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)", "propagateSizeHints")


def test_both_windows_follow_a_rename_after_the_announcement(qtbot: QtBot, tmp_path: Path, make_server: MakeServer,
                                                              make_raw: MakeRaw) -> None:
    server = make_server(join_grace_ms=GRACE_MS)
    server_window = ServerWindow(server, QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(server_window)
    server_window.show()
    client_window = ClientWindow(settings=QSettings(str(tmp_path / "client.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(client_window)
    client_window.show()
    try:
        with qtbot.waitSignal(client_window.client.welcomed, timeout=WAIT_MS):
            client_window.connect_to("127.0.0.1", server.server_port, "Alice")
        with qtbot.waitSignal(client_window.client.member_joined, timeout=WAIT_MS) as joined:
            late = make_raw(server)  # says nothing: announced under its assigned name after the grace
        assigned = joined.args[0]
        recipient = server_window.findChild(QComboBox, "notice_recipient")
        assert recipient is not None
        qtbot.waitUntil(lambda: [recipient.itemText(i) for i in range(recipient.count())]
                        == ["everyone", "Alice", assigned], timeout=WAIT_MS)
        recipient.setCurrentIndex(recipient.findData(assigned))  # the operator picked the member

        with qtbot.waitSignal(client_window.client.member_renamed, timeout=WAIT_MS):
            late.send(p.encode(p.Hello(name="Rita")))

        # The client window: the member list and a transcript line.
        assert client_window.members.names == ["Alice", "Rita"]
        renamed = [entry.text for entry in client_window.entries() if entry.kind is EntryKind.RENAMED]
        assert renamed == [f"{assigned} is now Rita"]
        # The server window: its log, and the notice recipient follows the member to its new name.
        def logged() -> None:  # the log shows its lines in batches
            lines = [line for line in server_window.event_log.lines() if "is now" in line]
            assert len(lines) == 1 and lines[0].endswith(f" {assigned} is now Rita"), lines

        qtbot.waitUntil(logged, timeout=WAIT_MS)
        assert [recipient.itemText(i) for i in range(recipient.count())] == ["everyone", "Alice", "Rita"]
        assert recipient.currentText() == "Rita"
    finally:
        stop_clients([client_window.client])
