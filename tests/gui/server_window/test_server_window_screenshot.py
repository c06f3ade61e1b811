"""The README's screenshot of the server window: three members online and one departed, with real clients
connected over TLS to a server with a password.

It runs in every test run (so the scene keeps working) and saves the picture only when asked:

    LANCHAT_SCREENSHOT=docs/images/server-window.png \
        .venv/bin/pytest tests/gui/server_window/test_server_window_screenshot.py
"""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QTableView

from chat_gui.client.engine import ChatClient
from chat_gui.client.pinning import KnownServers
from chat_gui.server_window.window import ServerWindow
from chat_gui.widgets.session_model import Column
from tests.conftest import WAIT_MS

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_server_window_scene(qtbot, make_server, tmp_path):
    path = os.environ.get("LANCHAT_SCREENSHOT")
    server = make_server(tls=True, tls_folder=str(tmp_path / "data"), password="team chat")
    clients: list[ChatClient] = []

    def make_client(_server, name: str) -> ChatClient:
        client = ChatClient()
        client.known_servers = KnownServers(tmp_path / "known_servers.json")
        clients.append(client)
        with qtbot.waitSignal(client.welcomed, timeout=WAIT_MS):
            client.connect_to("127.0.0.1", server.server_port, name, tls=True, password="team chat")
        return client

    def pause(seconds: float) -> None:
        """Only for the picture: spread the scene over some seconds so the timeline has shape."""
        if path:
            qtbot.wait(int(seconds * 1000))

    window = ServerWindow(server, QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(980, 740)
    window.show()

    alice = make_client(server, "Alice")
    pause(2)
    bob = make_client(server, "Bob")
    pause(1.5)
    dave = make_client(server, "Dave")
    for sender, receiver, text in ((alice, bob, "Morning all! Stand-up in 5 minutes."),
                                   (bob, alice, "On my way."),
                                   (dave, alice, "Sorry, I have to leave early today."),
                                   (alice, dave, "No problem, see you tomorrow.")):
        with qtbot.waitSignal(receiver.chat_received, timeout=WAIT_MS):
            sender.send(text)
        pause(1)
    with qtbot.waitSignal(dave.disconnected, timeout=WAIT_MS):
        dave.exit()
    pause(2)
    carol = make_client(server, "Carol")
    pause(1)
    with qtbot.waitSignal(alice.chat_received, timeout=WAIT_MS):
        carol.send("Hi, did I miss anything?")
    with qtbot.waitSignal(carol.notice_received, timeout=WAIT_MS):
        server.send_notice("The server restarts at 18:00 for maintenance.")
    pause(1.5)
    with qtbot.waitSignal(alice.chat_received, timeout=WAIT_MS):
        bob.send("Carol: only the coffee.")

    def scene_ready() -> None:
        proxy = window.session_proxy
        rows = [(proxy.index(r, Column.NAME).data(), proxy.index(r, Column.STATE).data())
                for r in range(proxy.rowCount())]
        assert rows == [("Alice", "online"), ("Bob", "online"), ("Dave", "left"), ("Carol", "online")]
        assert window.event_log.lines()[-1].endswith("Bob: Carol: only the coffee.")

    qtbot.waitUntil(scene_ready, timeout=WAIT_MS)
    assert window.count_text() == f"3/3 online · listening on 127.0.0.1:{server.server_port}"
    table = window.findChild(QTableView, "table")
    assert table is not None
    table.selectRow(1)  # Bob, as an operator about to send him a notice would
    if path:
        assert window.grab().save(path), f"could not save {path}"
    for client in clients:
        client.abort()
