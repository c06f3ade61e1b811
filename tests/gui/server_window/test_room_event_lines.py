"""The event log's line for each change to a room (``room_event_line``), and the log of a real server's rooms."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from chat_gui.client import Conversation
from chat_gui.server_window.event_log import EventKind
from chat_gui.server_window.event_reports import room_event_line
from chat_gui.server_window.window import ServerWindow
from chat_server.core import RoomChange, RoomEvent
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.mark.parametrize(("event", "kind", "line"), [
    (RoomEvent(RoomChange.CREATED, "#dev", by="alice", private=True), EventKind.SERVER,
     "#dev created by alice (private)"),
    (RoomEvent(RoomChange.CREATED, "#news"), EventKind.SERVER, "#news created by the operator"),
    (RoomEvent(RoomChange.JOINED, "#dev", member="alice"), EventKind.JOIN, "alice joined #dev"),
    (RoomEvent(RoomChange.LEFT, "#dev", member="alice"), EventKind.LEAVE, "alice left #dev"),
    (RoomEvent(RoomChange.REMOVED, "#dev", by="alice", member="bob"), EventKind.LEAVE,
     "bob removed from #dev by alice"),
    (RoomEvent(RoomChange.INVITED, "#team", member="bob"), EventKind.JOIN, "bob invited to #team by the operator"),
    (RoomEvent(RoomChange.UNINVITED, "#team", by="alice", member="bob"), EventKind.LEAVE,
     "bob's invitation to #team withdrawn by alice"),
    (RoomEvent(RoomChange.TOPIC, "#dev", by="alice", topic="Friday"), EventKind.SERVER,
     "topic of #dev set by alice: Friday"),
    (RoomEvent(RoomChange.TOPIC, "#dev"), EventKind.SERVER, "topic of #dev cleared by the operator"),
    (RoomEvent(RoomChange.RENAMED, "#devel", old="#dev"), EventKind.SERVER, "#dev renamed to #devel by the operator"),
    (RoomEvent(RoomChange.CLOSED, "#dev"), EventKind.LEAVE, "#dev closed by the operator"),
    (RoomEvent(RoomChange.CLOSED, "#team", member="alice"), EventKind.LEAVE, "#team closed: its last member left"),
])
def test_each_change_to_a_room_has_its_line(event: RoomEvent, kind: EventKind, line: str) -> None:
    assert room_event_line(event) == (kind, line)


def test_the_log_shows_what_members_do_to_rooms_and_direct_messages_without_their_text(
        qtbot, server: ChatServer, make_client, tmp_path) -> None:
    window = ServerWindow(server, QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    alice, bob = make_client(server, "alice"), make_client(server, "bob")
    with qtbot.waitSignal(alice.room_entered, timeout=WAIT_MS):
        assert alice.create_room("#team", private=True)
    with qtbot.waitSignal(bob.invitation_sent, timeout=WAIT_MS):
        assert alice.invite("#team", "bob")
    with qtbot.waitSignal(alice.room_member_joined, timeout=WAIT_MS):
        assert bob.join_room("#team")
    with qtbot.waitSignal(bob.topic_changed, timeout=WAIT_MS):
        assert alice.set_topic("#team", "plans for Friday")
    with qtbot.waitSignal(bob.chat_received, timeout=WAIT_MS):
        alice.send("the secret plan", Conversation.direct("bob"))
    with qtbot.waitSignal(alice.room_member_left, timeout=WAIT_MS):
        assert bob.leave_room("#team")
    with qtbot.waitSignal(bob.disconnected, timeout=WAIT_MS):
        bob.abort()
    with qtbot.waitSignal(alice.message_acked, timeout=WAIT_MS):
        alice.send("for when you are back", Conversation.direct("bob"))  # waits for bob: still who to whom

    expected = ["#team created by alice (private)", "bob invited to #team by alice", "bob joined #team",
                "topic of #team set by alice: plans for Friday", "alice → bob: direct message", "bob left #team",
                "alice → bob: direct message"]

    def check() -> None:
        lines = [line.split("  ", 1)[1] for line in window.event_log.lines()]
        assert [line for line in lines if line in expected] == expected, lines

    qtbot.waitUntil(check, timeout=WAIT_MS)
    assert not any("secret plan" in line or "when you are back" in line for line in window.event_log.lines())
