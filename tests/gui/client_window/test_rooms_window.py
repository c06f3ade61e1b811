"""The client window's conversations against a server that speaks rooms (a scripted one, over a real socket):
the sidebar, unread counts, notifications, the room dialog, a direct conversation opened from the member list."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from chat_gui.client import LOBBY, Conversation
from chat_gui.client_window.conversations import UnreadRole
from chat_gui.client_window.transcript import Delivery, EntryKind
from chat_gui.client_window.window import ClientWindow
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, stop_clients
from tests.gui.client_window.v2_server import ScriptedServer

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

DEV, OPS = Conversation.room("#dev"), Conversation.room("#ops")
BOB = Conversation.direct("bob")


def sidebar_rows(window: ClientWindow) -> list[str]:
    model = window.conversations
    return [str(model.index(row).data()) for row in range(model.rowCount())]


def unread(window: ClientWindow, conversation: Conversation) -> int:
    return int(window.conversations.index_of(conversation).data(UnreadRole))


def put_behind(qtbot: QtBot, window: ClientWindow) -> QWidget:
    """Another window in front: ``window`` is behind it (what a member does while waiting for messages)."""
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: other.isActiveWindow() and not window.isActiveWindow(), timeout=WAIT_MS)
    return other


def action(window: ClientWindow, conversation: Conversation, text: str) -> QAction:
    """The action of a conversation's sidebar menu that says ``text``."""
    found = [a for a in window.sidebar.menu_for(conversation).actions() if a.text().replace("&", "") == text]
    assert len(found) == 1, text
    return found[0]


def deliver(qtbot: QtBot, server: ScriptedServer, window: ClientWindow, *messages: p.Relay) -> None:
    with qtbot.waitSignals([window.client.chat_received] * len(messages), timeout=WAIT_MS):
        server.send(*messages)


def test_the_sidebar_lists_the_welcomes_rooms_and_each_keeps_its_transcript(
        qtbot: QtBot, scripted: ScriptedServer, open_window: Callable[..., ClientWindow]) -> None:
    window = open_window(scripted)
    assert scripted.of("hello")[0]["version"] == p.ROOMS_VERSION
    assert sidebar_rows(window) == ["Rooms", "#lobby", "#dev", "#ops"]
    assert window.pane.current == LOBBY and window.sidebar.rooms_button.isEnabled()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)

    deliver(qtbot, scripted, window, p.Relay(sender="bob", text="build is green", seq=1, time=1.0, room="#dev"),
            p.Relay(sender="carol", text="morning", seq=2, time=2.0))
    assert [entry.text for entry in window.entries(DEV)] == ["build is green"]
    assert "morning" in [entry.text for entry in window.entries(LOBBY)]
    assert "build is green" not in [entry.text for entry in window.entries(LOBBY)]
    assert unread(window, DEV) == 1 and unread(window, LOBBY) == 0  # the lobby is in view
    assert window.windowTitle() == "(1) LAN Chat — alice"

    # Switching shows the room's own transcript, reads it, and what is typed goes there.
    window.sidebar.select(DEV)
    assert window.transcript_view.model() is window.pane.transcript(DEV)
    assert unread(window, DEV) == 0 and window.windowTitle() == "LAN Chat — alice"
    assert window.message_edit.placeholderText() == "Message #dev and press Enter"
    message_id = window.send_message("ship it?")
    chat = scripted.wait_for("chat")[0]
    assert chat == {"type": "chat", "id": message_id, "text": "ship it?", "room": "#dev"}
    with qtbot.waitSignal(window.client.message_acked, timeout=WAIT_MS):
        scripted.send(p.Ack(id=str(message_id), seq=3, time=3.0, room="#dev"))
    own = [entry for entry in window.entries(DEV) if entry.kind is EntryKind.OWN]
    assert [(entry.text, entry.delivery, entry.seq) for entry in own] == [("ship it?", Delivery.ACKED, 3)]
    assert all(entry.kind is not EntryKind.OWN for entry in window.entries(LOBBY))


def test_switching_keeps_each_transcripts_scroll_position(
        qtbot: QtBot, scripted: ScriptedServer, open_window: Callable[..., ClientWindow]) -> None:
    window = open_window(scripted)
    long = [p.Relay(sender="bob", text=f"line {n} " * 8, seq=n, time=float(n), room="#dev") for n in range(1, 61)]
    deliver(qtbot, scripted, window, *long)
    window.sidebar.select(DEV)
    bar = window.transcript_view.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == bar.maximum()  # a new conversation opens at its newest line
    bar.setValue(bar.maximum() // 3)
    kept = bar.value()
    assert not window.transcript_view.follow
    window.sidebar.select(LOBBY)
    assert window.transcript_view.model() is window.transcript
    window.sidebar.select(DEV)
    assert bar.value() == kept and not window.transcript_view.follow
    window.sidebar.select(OPS)
    window.sidebar.select(DEV)
    bar.setValue(bar.maximum())
    assert window.transcript_view.follow


def test_notifications_only_for_direct_messages_and_the_selected_room_when_behind(
        qtbot: QtBot, scripted: ScriptedServer, open_window: Callable[..., ClientWindow]) -> None:
    window = open_window(scripted)
    put_behind(qtbot, window)
    notified: list[tuple[str, str]] = []
    window.notifier.notified.connect(lambda title, text: notified.append((title, text)))
    window.sidebar.select(DEV)
    deliver(qtbot, scripted, window,
            p.Relay(sender="bob", text="in ops", seq=1, time=1.0, room="#ops"),
            p.Relay(sender="bob", text="in dev", seq=2, time=2.0, room="#dev"),
            p.Relay(sender="bob", text="lunch?", seq=3, time=3.0, to="alice"))
    assert notified == [("bob in #dev (to alice)", "in dev"), ("bob (direct message to alice)", "lunch?")]
    assert (unread(window, OPS), unread(window, DEV), unread(window, BOB)) == (1, 1, 1)
    assert sidebar_rows(window) == ["Rooms", "#lobby", "#dev", "#ops", "Direct messages", "bob"]
    assert window.pane.current == DEV  # a direct message opens its conversation without taking the view

    # Muted from the sidebar's menu: the selected room no longer notifies, and its count leaves the title.
    action(window, DEV, "Mute notifications").trigger()
    assert window.pane.is_muted(DEV) and window.windowTitle().startswith("(2) ")
    deliver(qtbot, scripted, window, p.Relay(sender="bob", text="quiet", seq=4, time=4.0, room="#dev"))
    assert len(notified) == 2 and unread(window, DEV) == 2
    assert window.pane.muted_rooms.of(f"127.0.0.1:{scripted.port}") == ["#dev"]
    action(window, DEV, "Unmute notifications").trigger()  # the menu offers the other way now
    assert not window.pane.is_muted(DEV) and window.pane.muted_rooms.of(f"127.0.0.1:{scripted.port}") == []

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    assert unread(window, DEV) == 0 and unread(window, OPS) == 1
    window.sidebar.select(BOB)
    assert unread(window, BOB) == 0 and [e.text for e in window.entries(BOB)] == ["lunch?"]


def test_a_member_double_clicked_opens_a_direct_conversation(
        qtbot: QtBot, scripted: ScriptedServer, open_window: Callable[..., ClientWindow]) -> None:
    window = open_window(scripted)
    names = window.members.names
    assert names == ["alice", "bob", "carol"]
    own = window.members.index(0)
    window.members_view.doubleClicked.emit(own)  # oneself: nothing
    assert window.pane.current == LOBBY
    bob = window.members.index(1)
    rect = window.members_view.visualRect(bob)
    assert rect.isValid(), rect
    viewport = window.members_view.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())  # a double click starts with a press
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.pane.current == BOB and sidebar_rows(window)[-2:] == ["Direct messages", "bob"]
    assert window.transcript_view.model() is window.pane.transcript(BOB)
    message_id = window.send_message("lunch?")
    assert scripted.wait_for("chat")[0] == {"type": "chat", "id": message_id, "text": "lunch?", "to": "bob"}
    with qtbot.waitSignal(window.client.message_acked, timeout=WAIT_MS):
        scripted.send(p.Ack(id=str(message_id), seq=9, time=9.0, to="bob", delivered_later=True))
    lines = window.transcript_lines(BOB)
    assert lines[-1] == ("bob is offline: the message waits on the server and reaches them when they next join.")
    # The partner's new name: the conversation follows, and stays in view.
    with qtbot.waitSignal(window.client.member_renamed, timeout=WAIT_MS):
        scripted.send(p.Renamed(old="bob", new="robert", time=10.0))
    robert = Conversation.direct("robert")
    assert window.pane.current == robert and sidebar_rows(window)[-1] == "robert"
    assert window.transcript_lines(robert)[-1] == lines[-1]
    assert window.pane.header.text() == "Direct messages with robert: only the two of you see them"
    # Closing a direct conversation from its menu brings the lobby back.
    window.sidebar.menu_for(robert).actions()[0].trigger()
    assert window.pane.current == LOBBY and "robert" not in sidebar_rows(window)
    assert window.pane.header.text() == "#lobby"


def test_the_room_dialog_lists_filters_joins_and_creates(
        qtbot: QtBot, qtmodeltester, scripted: ScriptedServer, open_window: Callable[..., ClientWindow]) -> None:
    window = open_window(scripted)
    window.sidebar.rooms_button.click()
    dialog = window.pane.room_dialog
    assert dialog is not None and dialog.isVisible()
    scripted.wait_for("rooms")
    assert dialog.list_label.text() == "Loading the room list…"
    with qtbot.waitSignal(window.client.rooms_listed, timeout=WAIT_MS):
        scripted.send(p.RoomList(rooms=(
            p.RoomListing("#lobby", 3, "", False), p.RoomListing("#dev", 2, "builds", False),
            p.RoomListing("#design", 4, "logos and colours", False), p.RoomListing("#ops", 1, "", False))))
    qtmodeltester.check(dialog.model)
    assert dialog.visible_rooms() == ["#design", "#dev", "#lobby", "#ops"]
    assert dialog.list_label.text() == "4 rooms"
    assert dialog.model.index(1, 0).data() == "#dev (joined)"
    dialog.filter_edit.setText("LOGOS")
    assert dialog.visible_rooms() == ["#design"]
    dialog.table.selectRow(0)
    assert dialog.join_button.isEnabled() and dialog.join_button.text() == "&Join"
    dialog.join_button.click()
    assert scripted.wait_for("join")[0] == {"type": "join", "room": "#design"}
    with qtbot.waitSignal(window.client.room_entered, timeout=WAIT_MS):
        scripted.send(p.RoomDetails(room="#design", topic="logos and colours", private=False, owner="carol",
                                    members=("alice", "carol")))
    design = Conversation.room("#design")
    assert window.pane.current == design and "#design" in sidebar_rows(window)
    assert window.transcript_lines(design) == ["You joined #design · 2 members online · Topic: logos and colours"]

    # A room this member is in already is opened, not joined again.
    dialog.filter_edit.clear()
    dialog.table.selectRow(1)
    assert dialog.join_button.text() == "&Open"
    dialog.join_button.click()
    assert window.pane.current == DEV and len(scripted.of("join")) == 1

    # Create: the name is checked as it is typed; the # may be left out.
    dialog.name_edit.setText("team lead")
    assert not dialog.create_button.isEnabled() and dialog.problem_label.isVisible()
    assert dialog.problem_label.text() == (
        "⚠ A room's name is # and 1 to 32 of a-z, 0-9, - and _ (not '#team lead').")
    dialog.name_edit.setText("team")
    assert dialog.create_button.isEnabled() and not dialog.problem_label.isVisible()
    dialog.private_check.setChecked(True)
    dialog.create_button.click()
    assert scripted.wait_for("create")[0] == {"type": "create", "room": "#team", "private": True}
    assert dialog.name_edit.text() == "" and not dialog.private_check.isChecked()
    with qtbot.waitSignal(window.client.room_entered, timeout=WAIT_MS):
        scripted.send(p.RoomDetails(room="#team", topic="", private=True, owner="alice", members=("alice",),
                                    created=True))
    team = Conversation.room("#team")
    assert window.pane.current == team
    assert window.transcript_lines(team) == ["You created the private room: only people you invite can join #team."]


def test_room_events_are_worded_in_their_room(
        qtbot: QtBot, scripted: ScriptedServer, open_window: Callable[..., ClientWindow]) -> None:
    window = open_window(scripted)
    with qtbot.waitSignal(window.client.room_renamed, timeout=WAIT_MS):
        scripted.send(p.Joined(name="carol", online=3, time=1.0, room="#dev"),
                      p.Topic(room="#dev", topic="release Friday", by="carol", time=1.0),
                      p.Left(name="bob", reason="removed", online=2, time=1.0, room="#dev"),
                      p.Invited(room="#team", name="alice", by="carol", time=1.0),
                      p.Notice(text="deploy at noon", time=1.0, room="#dev"),
                      p.RoomRenamed(old="#dev", new="#devel", time=1.0))
    devel = Conversation.room("#devel")
    assert "#devel" in sidebar_rows(window) and "#dev" not in sidebar_rows(window)
    assert window.transcript_lines(devel) == [
        "carol joined #dev · 3 members", "carol set the topic of #dev: release Friday",
        "bob was removed from #dev · 2 members", "Server notice: deploy at noon",
        "The server's operator renamed #dev to #devel."]
    assert window.conversations.index_of(devel).data(Qt.ItemDataRole.ToolTipRole) == "#devel: release Friday"
    assert "carol invited you to #team: join it from Rooms…" in window.transcript_lines(LOBBY)

    # Leaving from the sidebar's menu asks the server; the room goes when the server says it is left.
    window.sidebar.select(devel)
    action(window, devel, "Leave #devel").trigger()
    assert scripted.wait_for("leave")[0] == {"type": "leave", "room": "#devel"}
    with qtbot.waitSignal(window.client.room_exited, timeout=WAIT_MS):
        scripted.send(p.Left(name="alice", reason="left", online=1, time=2.0, room="#devel"))
    assert "#devel" not in sidebar_rows(window) and window.pane.current == LOBBY
    assert window.transcript_lines(LOBBY)[-1] == "You left #devel."
    assert window.sidebar.menu_for(LOBBY).actions()[-1].text() == "Mute notifications"  # the lobby cannot be left


def test_a_version_1_session_offers_only_the_lobby(qtbot: QtBot, server: ChatServer, tmp_path: Path) -> None:
    window = ClientWindow(settings=QSettings(str(tmp_path / "c.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.client.protocol_version = 1  # as an older server would answer: version 1, no rooms
    window.show()
    try:
        with qtbot.waitSignal(window.client.welcomed, timeout=WAIT_MS):
            window.connect_to("127.0.0.1", server.server_port, "alice")
        assert sidebar_rows(window) == ["Rooms", "#lobby"]
        assert not window.sidebar.rooms_button.isEnabled()
        assert "protocol version 1" in window.sidebar.rooms_button.toolTip()
        assert not window.client.has_rooms and not window.client.request_rooms()
        window.members_view.doubleClicked.emit(window.members.index(0))  # oneself: nothing
        assert window.transcript_lines()[-1].startswith("Welcome, alice!")
    finally:
        stop_clients([window.client])


def test_the_engines_room_requests_reach_the_server_and_its_answers_come_back(
        qtbot: QtBot, scripted: ScriptedServer, open_window: Callable[..., ClientWindow]) -> None:
    window = open_window(scripted)
    client = window.client
    assert client.has_rooms and client.rooms == [LOBBY, DEV, OPS]
    assert client.request_room_members("#dev") and client.set_topic("#dev", "ship it")
    assert client.invite("#dev", "carol") and client.remove_member("#dev", "carol")
    assert not client.leave_room("#lobby") and not client.join_room("not a room")
    scripted.wait_for("remove")
    assert [obj for obj in scripted.received if obj["type"] not in ("hello",)] == [
        {"type": "members", "room": "#dev"}, {"type": "set_topic", "room": "#dev", "topic": "ship it"},
        {"type": "invite", "room": "#dev", "name": "carol"}, {"type": "remove", "room": "#dev", "name": "carol"}]
    with qtbot.waitSignal(client.room_members_listed, timeout=WAIT_MS) as listed:
        scripted.send(p.RoomMembers(room="#dev", members=("alice", "bob"), offline=("carol",)))
    assert listed.args is not None
    assert (listed.args[0].conversation, listed.args[0].online, listed.args[0].offline) == (
        DEV, ("alice", "bob"), ("carol",))

    # Double-clicking a room in the dialog joins it.
    window.sidebar.rooms_button.click()
    dialog = window.pane.room_dialog
    assert dialog is not None
    with qtbot.waitSignal(client.rooms_listed, timeout=WAIT_MS):
        scripted.send(p.RoomList(rooms=(p.RoomListing("#qa", 2, "", False),)))
    dialog.refresh_button.click()
    assert dialog.list_label.text() == "Loading the room list…"
    scripted.wait_for("rooms", 2)
    dialog.table.doubleClicked.emit(dialog.proxy.index(0, 0))
    assert scripted.wait_for("join")[-1] == {"type": "join", "room": "#qa"}


def test_a_room_the_welcome_no_longer_lists_is_closed(
        qtbot: QtBot, scripted: ScriptedServer, open_window: Callable[..., ClientWindow]) -> None:
    window = open_window(scripted)
    window.sidebar.select(OPS)
    assert scripted.socket is not None
    with qtbot.waitSignal(window.client.disconnected, timeout=WAIT_MS):
        scripted.socket.abort()
    scripted.rooms = ("#lobby", "#dev")  # removed from #ops while away
    with qtbot.waitSignal(window.client.welcomed, timeout=WAIT_MS):
        window.connect_to("127.0.0.1", scripted.port, "alice")
    assert sidebar_rows(window) == ["Rooms", "#lobby", "#dev"] and window.pane.current == LOBBY
    assert window.transcript_lines(LOBBY)[-1] == "You are no longer in #ops."
