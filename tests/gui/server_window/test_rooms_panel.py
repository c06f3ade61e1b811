"""The server window's Rooms panel with real clients over loopback: the table, the operator's room actions,
a notice to a room and the room of each message in the event log."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QSettings

from chat_gui.client import Conversation
from chat_gui.server_window.notice_bar import NoticeBar
from chat_gui.server_window.rooms_model import RoomColumn, RoomTableModel
from chat_gui.server_window.rooms_panel import RoomQuestions
from chat_gui.server_window.window import ServerWindow
from chat_server.core.engine import ChatServer
from chat_server.core.room_operator import RoomSummary
from tests.conftest import WAIT_MS

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

DEV = Conversation.room("#dev")
LOBBY = Conversation.room("#lobby")


@pytest.fixture
def window(qtbot, server, tmp_path) -> ServerWindow:
    window = ServerWindow(server, QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.show_rooms()
    return window


def rows(window: ServerWindow) -> list[tuple[str, ...]]:
    model = window.room_model
    return [tuple(model.index(row, column).data() for column in RoomColumn) for row in range(model.rowCount())]


def wait_rows(qtbot, window: ServerWindow, expected: list[tuple[str, ...]]) -> None:
    def check() -> None:
        assert rows(window) == expected

    qtbot.waitUntil(check, timeout=WAIT_MS)


def wait_log(qtbot, window: ServerWindow, line: str) -> None:
    def check() -> None:
        assert any(logged.endswith(line) for logged in window.event_log.lines()), window.event_log.lines()

    qtbot.waitUntil(check, timeout=WAIT_MS)


def enter(qtbot, client, room: str) -> None:
    with qtbot.waitSignal(client.room_entered, timeout=WAIT_MS):
        assert client.join_room(room)


def select(window: ServerWindow, room: str) -> None:
    assert window.rooms_panel.select_room(room)
    assert window.rooms_panel.selected_room() == room


def test_the_table_shows_each_room_with_members_online_topic_messages_and_privacy(
        qtbot, qtmodeltester, server: ChatServer, window: ServerWindow, make_client) -> None:
    qtmodeltester.check(window.room_model)  # and Qt's tester keeps watching every update below
    alice, bob = make_client(server, "alice"), make_client(server, "bob")
    wait_rows(qtbot, window, [("#lobby", "2", "", "0", "")])
    enter(qtbot, alice, "#dev")
    wait_rows(qtbot, window, [("#dev", "1", "", "0", ""), ("#lobby", "2", "", "0", "")])
    with qtbot.waitSignal(bob.chat_received, timeout=WAIT_MS):
        alice.send("hello all")
    with qtbot.waitSignal(alice.message_acked, timeout=WAIT_MS):
        alice.send("in dev", DEV)
    wait_rows(qtbot, window, [("#dev", "1", "", "1", ""), ("#lobby", "2", "", "1", "")])
    # #lobby's lines look as before; a room's say which room.
    wait_log(qtbot, window, "alice: hello all")
    wait_log(qtbot, window, "[#dev] alice: in dev")
    assert not any(line.endswith("] alice: hello all") for line in window.event_log.lines())
    # A direct message: who to whom, never its text.
    with qtbot.waitSignal(bob.chat_received, timeout=WAIT_MS):
        alice.send("just between us", Conversation.direct("bob"))
    wait_log(qtbot, window, "alice → bob: direct message")
    assert not any("just between us" in line for line in window.event_log.lines())
    with qtbot.waitSignal(bob.room_entered, timeout=WAIT_MS):
        assert bob.create_room("#secret", private=True)
    wait_rows(qtbot, window, [("#dev", "1", "", "1", ""), ("#lobby", "2", "", "1", ""),
                              ("#secret", "1", "", "0", "private")])
    with qtbot.waitSignal(bob.disconnected, timeout=WAIT_MS):
        bob.abort()
    # bob stays a member of #secret while away (his client id keeps it): online 0 of 1.
    wait_rows(qtbot, window, [("#dev", "1", "", "1", ""), ("#lobby", "1", "", "1", ""),
                              ("#secret", "0/1", "", "0", "private")])
    qtmodeltester.check(window.room_model)


def test_the_operator_creates_sets_the_topic_of_removes_from_and_closes_rooms(
        qtbot, monkeypatch, server: ChatServer, window: ServerWindow, make_client) -> None:
    alice = make_client(server, "alice")
    panel = window.rooms_panel
    monkeypatch.setattr(RoomQuestions, "new_room", classmethod(lambda cls, parent: ("#Ops", True)))
    panel.new_button.click()
    wait_log(qtbot, window, "#Ops created by the operator (private)")
    wait_rows(qtbot, window, [("#lobby", "1", "", "0", ""), ("#Ops", "0", "", "0", "private")])
    assert panel.selected_room() == "#Ops"  # the new room is selected
    monkeypatch.setattr(RoomQuestions, "new_room", classmethod(lambda cls, parent: ("no-hash", False)))
    panel.new_button.click()
    wait_log(qtbot, window, "Room no-hash not created: a room's name is # and 1 to 32 of a-z, 0-9, - and _"
                            " (not 'no-hash')")

    enter(qtbot, alice, "#dev")
    wait_rows(qtbot, window, [("#dev", "1", "", "0", ""), ("#lobby", "1", "", "0", ""),
                              ("#Ops", "0", "", "0", "private")])
    select(window, "#dev")
    monkeypatch.setattr(RoomQuestions, "topic", classmethod(lambda cls, parent, room, current: "release on Friday"))
    with qtbot.waitSignal(alice.topic_changed, timeout=WAIT_MS) as topic:
        panel.topic_button.click()
    assert topic.args[0].topic == "release on Friday"
    wait_log(qtbot, window, "topic of #dev set by the operator: release on Friday")
    wait_rows(qtbot, window, [("#dev", "1", "release on Friday", "0", ""), ("#lobby", "1", "", "0", ""),
                              ("#Ops", "0", "", "0", "private")])

    # A notice to the room, from the notice bar (selecting the room chose it as the recipient).
    bar = window.findChild(NoticeBar)
    assert bar is not None
    assert bar.recipient() == "#dev" and bar.rooms() == ["#dev", "#Ops"]
    bar.text_edit.setText("server restarts at noon")
    with qtbot.waitSignal(alice.room_notice_received, timeout=WAIT_MS) as notice:
        bar.send_button.click()
    assert notice.args[0].text == "server restarts at noon" and notice.args[0].conversation == DEV
    wait_log(qtbot, window, "Notice to #dev: server restarts at noon")

    offered: list[list[str]] = []

    def pick_alice(cls, parent, room: str, members: list[str]) -> str:
        offered.append(members)
        return "alice"

    monkeypatch.setattr(RoomQuestions, "member", classmethod(pick_alice))
    with qtbot.waitSignal(alice.room_exited, timeout=WAIT_MS) as exited:
        panel.remove_button.click()
    assert (exited.args[0].conversation, exited.args[0].reason) == (DEV, "removed")
    assert offered == [["alice"]]  # the room's members were offered
    wait_log(qtbot, window, "alice removed from #dev by the operator")
    wait_rows(qtbot, window, [("#dev", "0", "release on Friday", "0", ""), ("#lobby", "1", "", "0", ""),
                              ("#Ops", "0", "", "0", "private")])

    enter(qtbot, alice, "#dev")
    select(window, "#dev")
    monkeypatch.setattr(RoomQuestions, "close_room", classmethod(lambda cls, parent, room: True))
    with qtbot.waitSignal(alice.room_exited, timeout=WAIT_MS) as exited:
        panel.close_button.click()
    assert (exited.args[0].conversation, exited.args[0].reason) == (DEV, "closed")
    wait_log(qtbot, window, "#dev closed by the operator")
    wait_rows(qtbot, window, [("#lobby", "1", "", "0", ""), ("#Ops", "0", "", "0", "private")])
    assert bar.rooms() == ["#Ops"]

    select(window, "#Ops")  # the private room the operator made: the way in is its invitation
    assert panel.invite_button.isEnabled()
    monkeypatch.setattr(RoomQuestions, "invitee", classmethod(lambda cls, parent, room: "alice"))
    with qtbot.waitSignal(alice.invitation_sent, timeout=WAIT_MS):
        panel.invite_button.click()
    wait_log(qtbot, window, "alice invited to #Ops by the operator")
    enter(qtbot, alice, "#ops")
    wait_rows(qtbot, window, [("#lobby", "1", "", "0", ""), ("#Ops", "1", "", "0", "private")])
    monkeypatch.setattr(RoomQuestions, "invitee", classmethod(lambda cls, parent, room: "nobody"))
    panel.invite_button.click()
    wait_log(qtbot, window, "nobody not invited to #Ops: nobody is not a member here")

    select(window, "#lobby")  # #lobby cannot be closed, nor anyone removed from it
    assert not panel.close_button.isEnabled() and not panel.remove_button.isEnabled()
    assert not panel.invite_button.isEnabled()  # only a private room records invitations
    assert panel.topic_button.isEnabled()


def test_the_operator_renames_a_room_and_its_member_follows(
        qtbot, monkeypatch, server: ChatServer, window: ServerWindow, make_client) -> None:
    alice = make_client(server, "alice")
    panel = window.rooms_panel
    enter(qtbot, alice, "#dev")
    wait_rows(qtbot, window, [("#dev", "1", "", "0", ""), ("#lobby", "1", "", "0", "")])
    select(window, "#lobby")
    assert not panel.rename_button.isEnabled() and panel.rename_button.toolTip() == "#lobby keeps its name"
    select(window, "#dev")
    assert panel.rename_button.isEnabled()
    asked: list[str] = []

    def answer(name: str) -> classmethod:
        def new_name(cls, parent, room: str) -> str:
            asked.append(room)
            return name
        return classmethod(new_name)

    monkeypatch.setattr(RoomQuestions, "new_name", answer("#Devel"))
    with qtbot.waitSignal(alice.room_renamed, timeout=WAIT_MS) as renamed:
        panel.rename_button.click()
    assert (renamed.args[0].old, renamed.args[0].new) == (DEV, Conversation.room("#Devel"))
    assert alice.rooms == [Conversation.room("#lobby"), Conversation.room("#Devel")]
    wait_log(qtbot, window, "#dev renamed to #Devel by the operator")
    wait_rows(qtbot, window, [("#Devel", "1", "", "0", ""), ("#lobby", "1", "", "0", "")])
    assert panel.selected_room() == "#Devel"  # the renamed room stays selected
    monkeypatch.setattr(RoomQuestions, "new_name", answer("#lobby"))
    panel.rename_button.click()
    wait_log(qtbot, window, "Room #Devel not renamed: that room exists already")
    monkeypatch.setattr(RoomQuestions, "new_name", answer("devel"))
    panel.rename_button.click()
    wait_log(qtbot, window, "Room #Devel not renamed: a room's name is # and 1 to 32 of a-z, 0-9, - and _"
                            " (not 'devel')")
    assert asked == ["#dev", "#Devel", "#Devel"]
    assert [r.name for r in server.rooms()] == ["#Devel", "#lobby"]


def test_the_messages_column_starts_from_the_stored_counts_read_once_and_keeps_counting(
        qtbot, qtmodeltester, monkeypatch, server: ChatServer, make_client, tmp_path) -> None:
    alice, bob = make_client(server, "alice"), make_client(server, "bob")
    enter(qtbot, alice, "#dev")
    for text, where in (("one", DEV), ("two", DEV), ("hi", LOBBY), ("psst", Conversation.direct("bob"))):
        with qtbot.waitSignal(alice.message_acked, timeout=WAIT_MS):
            alice.send(text, where)
    reads: list[dict[str, int]] = []
    stored = server.store.room_message_counts

    def counted() -> dict[str, int]:
        reads.append(stored())
        return reads[-1]

    monkeypatch.setattr(server.store, "room_message_counts", counted)
    window = ServerWindow(server, QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.show_rooms()
    qtmodeltester.check(window.room_model)
    assert len(reads) == 1  # one query for every room, when the window opens
    wait_rows(qtbot, window, [("#dev", "1", "", "2", ""), ("#lobby", "2", "", "1", "")])
    with qtbot.waitSignal(bob.chat_received, timeout=WAIT_MS):
        alice.send("for all")
    with qtbot.waitSignal(alice.message_acked, timeout=WAIT_MS):
        alice.send("three", DEV)
    wait_rows(qtbot, window, [("#dev", "1", "", "3", ""), ("#lobby", "2", "", "2", "")])
    assert server.rename_room("#dev", "#Devel") is None  # the count goes with the room
    wait_rows(qtbot, window, [("#Devel", "1", "", "3", ""), ("#lobby", "2", "", "2", "")])
    assert len(reads) == 1


def test_the_model_keeps_rows_in_place_when_rooms_come_and_go(qtmodeltester) -> None:
    model = RoomTableModel()
    qtmodeltester.check(model)

    def room(name: str, online: int = 0, members: int = 0, topic: str = "") -> RoomSummary:
        return RoomSummary(name, members, online, topic, False)

    model.update([room("#a"), room("#lobby", 2, 2)])
    inserted: list[int] = []
    removed: list[int] = []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append(first))
    model.rowsRemoved.connect(lambda parent, first, last: removed.append(first))
    model.update([room("#b", 1, 1, "bees"), room("#lobby", 3, 3)])
    assert (removed, inserted) == ([0], [0])
    model.count("#B", 4)
    model.update([room("#b", 1, 1, "bees"), room("#c"), room("#lobby", 3, 3)])
    assert inserted == [0, 1]
    assert [[model.index(row, column).data() for column in RoomColumn] for row in range(3)] == [
        ["#b", "1", "bees", "4", ""], ["#c", "0", "", "0", ""], ["#lobby", "3", "", "0", ""]]
    qtmodeltester.check(model)


def test_rooms_scene(qtbot, server: ChatServer, window: ServerWindow, make_client) -> None:
    """The README's picture of the Rooms tab; saved only when asked:

        LANCHAT_ROOMS_SCREENSHOT=docs/images/server-rooms.png .venv/bin/pytest -k rooms_scene \\
            tests/gui/server_window/test_rooms_panel.py
    """
    alice, bob, dave = (make_client(server, name) for name in ("Alice", "Bob", "Dave"))
    for client, room in ((alice, "#dev"), (bob, "#dev"), (dave, "#design")):
        enter(qtbot, client, room)
    with qtbot.waitSignal(alice.room_entered, timeout=WAIT_MS):
        assert alice.create_room("#leads", private=True)
    with qtbot.waitSignal(alice.topic_changed, timeout=WAIT_MS):
        assert alice.set_topic("#dev", "Release 2.4 on Friday")
    for sender, receiver, text, where in ((alice, bob, "Build is green again.", DEV),
                                          (bob, alice, "Merging the rooms branch now.", DEV),
                                          (dave, alice, "Lunch at noon?", Conversation.room("#lobby")),
                                          (alice, dave, "Could you review my change?", Conversation.direct("Dave"))):
        with qtbot.waitSignal(receiver.chat_received, timeout=WAIT_MS):
            sender.send(text, where)
    with qtbot.waitSignal(alice.room_notice_received, timeout=WAIT_MS):
        assert server.send_notice("Backups run at 18:00", room="#dev")
    wait_rows(qtbot, window, [("#design", "1", "", "0", ""), ("#dev", "2", "Release 2.4 on Friday", "2", ""),
                              ("#leads", "1", "", "0", "private"), ("#lobby", "3", "", "1", "")])
    wait_log(qtbot, window, "[#dev] Bob: Merging the rooms branch now.")
    wait_log(qtbot, window, "Alice → Dave: direct message")
    select(window, "#dev")
    path = os.environ.get("LANCHAT_ROOMS_SCREENSHOT")
    if path:
        window.resize(980, 740)
        window.flush()
        assert window.grab().save(path)
