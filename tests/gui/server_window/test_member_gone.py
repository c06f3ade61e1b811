"""The server window when the member the operator chose has just left: a Kick clicked before the table caught
up, and a private notice typed for them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient
from chat_gui.server_window.kick_dialog import KickConfirmation
from chat_gui.server_window.window import ServerWindow
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS
from tests.gui.server_window.test_server_window import child, select_member, wait_log

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def window(qtbot: QtBot, server: ChatServer, tmp_path: Path) -> ServerWindow:
    window = ServerWindow(server, QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    return window


def _errors(window: ServerWindow) -> list[str]:
    return [line for line in window.event_log.lines() if "Not kicked" in line or "Notice not sent" in line]


def _leave(qtbot: QtBot, server: ChatServer, member: ChatClient) -> None:
    with qtbot.waitSignal(server.member_left, timeout=WAIT_MS) as left:
        member.exit()
    assert left.args[:2] == [member.name, "exit"]


def _no_notice_reached(qtbot: QtBot, member: ChatClient, notices: list[tuple[str, bool]]) -> None:
    # A status round trip: anything sent to the member before the answer has arrived by then.
    with qtbot.waitSignal(member.status_received, timeout=WAIT_MS):
        member.request_status()
    assert notices == []


def test_kick_clicked_after_the_selected_member_left_kicks_nobody_and_says_so(
        qtbot: QtBot, window: ServerWindow, server: ChatServer, make_client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(KickConfirmation, "ask", classmethod(lambda cls, parent, name: True))  # the operator: yes
    alice = make_client(server, "Alice")
    bob = make_client(server, "Bob")
    window.flush()
    select_member(qtbot, window, "Bob")
    kick = child(window, QPushButton, "kick_button")
    assert kick.isEnabled()
    _leave(qtbot, server, bob)
    # The table (and the button) catch up on the next flush, a moment later: the click comes first.
    assert kick.isEnabled()
    qtbot.mouseClick(kick, Qt.MouseButton.LeftButton)
    line = wait_log(qtbot, window, "Not kicked")
    assert line.endswith("  Not kicked: Bob is no longer online")
    assert server.members() == ["Alice"] and _errors(window) == [line]
    window.flush()
    assert not kick.isEnabled()
    assert alice.state.value == "online"


def test_a_private_notice_for_a_member_who_left_is_refused_not_sent_to_everyone(
        qtbot: QtBot, window: ServerWindow, server: ChatServer, make_client) -> None:
    alice = make_client(server, "Alice")
    bob = make_client(server, "Bob")
    window.flush()
    recipient = child(window, QComboBox, "notice_recipient")
    edit = child(window, QLineEdit, "notice_edit")
    select_member(qtbot, window, "Bob")
    assert recipient.currentText() == "Bob"
    edit.setText("Please stop spamming")
    alice_notices: list[tuple[str, bool]] = []
    alice.notice_received.connect(lambda text, private: alice_notices.append((text, private)))
    _leave(qtbot, server, bob)
    # Still addressed to Bob, marked as gone; the list offers everyone and the members online.
    assert recipient.currentText() == "Bob (left)" and recipient.currentData() == "Bob"
    assert [recipient.itemText(i) for i in range(recipient.count())] == ["everyone", "Alice", "Bob (left)"]
    qtbot.mouseClick(child(window, QPushButton, "notice_send_button"), Qt.MouseButton.LeftButton)
    line = wait_log(qtbot, window, "Notice not sent")
    assert line.endswith("  Notice not sent: Bob is no longer online")
    assert edit.text() == "Please stop spamming", "a refused notice stays in the line"
    _no_notice_reached(qtbot, alice, alice_notices)
    # Choosing someone else drops the departed entry at the next change of the members.
    recipient.setCurrentIndex(recipient.findData("Alice"))
    make_client(server, "Carol")
    assert [recipient.itemText(i) for i in range(recipient.count())] == ["everyone", "Alice", "Carol"]
    assert recipient.currentText() == "Alice"


def test_the_engine_refuses_a_kick_or_a_notice_for_a_member_who_just_left(
        qtbot: QtBot, server: ChatServer, make_client) -> None:
    alice = make_client(server, "Alice")
    bob = make_client(server, "Bob")
    _leave(qtbot, server, bob)
    sent: list[tuple[str, str]] = []
    left: list[tuple[str, str, int]] = []
    server.notice_sent.connect(lambda text, to: sent.append((text, to)))
    server.member_left.connect(lambda *args: left.append(args))
    assert server.kick("Bob") is False
    assert server.send_notice("psst", to="Bob") is False
    alice_notices: list[tuple[str, bool]] = []
    alice.notice_received.connect(lambda text, private: alice_notices.append((text, private)))
    _no_notice_reached(qtbot, alice, alice_notices)
    assert sent == [] and left == [] and server.members() == ["Alice"]
