"""Rooms and direct messages in client windows against the real server engine on 127.0.0.1 (protocol version 2):
create a room from the room dialog, join it from another window, talk there and directly, leave it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from chat_gui.client import LOBBY, ChatClient, Conversation
from chat_gui.client_window.conversations import UnreadRole
from chat_gui.client_window.transcript import Delivery, EntryKind
from chat_gui.client_window.window import ClientWindow
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, stop_clients

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

DEV = Conversation.room("#dev")


@pytest.fixture
def windows(qtbot: QtBot, server: ChatServer, tmp_path: Path) -> Iterator[tuple[ClientWindow, ClientWindow]]:
    opened: list[ClientWindow] = []
    for name in ("alice", "bob"):
        window = ClientWindow(settings=QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.show()
        opened.append(window)
        with qtbot.waitSignal(window.client.welcomed, timeout=WAIT_MS):
            window.connect_to("127.0.0.1", server.server_port, name)
    qtbot.waitUntil(lambda: opened[0].members.names == ["alice", "bob"], timeout=WAIT_MS)
    yield opened[0], opened[1]
    stop_clients(window.client for window in opened)


def rows(window: ClientWindow) -> list[str]:
    return [str(window.conversations.index(row).data()) for row in range(window.conversations.rowCount())]


def test_a_room_made_in_one_window_is_joined_in_another_and_talked_in(
        qtbot: QtBot, windows: tuple[ClientWindow, ClientWindow]) -> None:
    alice, bob = windows
    assert alice.client.has_rooms and rows(alice) == ["Rooms", "#lobby"]
    assert alice.sidebar.rooms_button.isEnabled()

    # alice creates #dev from the room dialog.
    with qtbot.waitSignal(alice.client.rooms_listed, timeout=WAIT_MS):
        alice.sidebar.rooms_button.click()
    dialog = alice.pane.room_dialog
    assert dialog is not None and dialog.visible_rooms() == ["#lobby"]
    dialog.name_edit.setText("dev")
    with qtbot.waitSignal(alice.client.room_entered, timeout=WAIT_MS):
        dialog.create_button.click()
    assert alice.pane.current == DEV and rows(alice) == ["Rooms", "#lobby", "#dev"]
    assert alice.transcript_lines(DEV) == ["You created the room #dev."]

    # bob finds it in his dialog and joins it; alice sees him come.
    with qtbot.waitSignal(bob.client.rooms_listed, timeout=WAIT_MS):
        bob.sidebar.rooms_button.click()
    bob_dialog = bob.pane.room_dialog
    assert bob_dialog is not None and bob_dialog.visible_rooms() == ["#dev", "#lobby"]
    bob_dialog.table.selectRow(0)
    with qtbot.waitSignals([bob.client.room_entered, alice.client.room_member_joined], timeout=WAIT_MS):
        bob_dialog.join_button.click()
    assert bob.pane.current == DEV
    assert alice.transcript_lines(DEV)[-1] == "bob joined #dev · 2 members"

    # bob looks at #lobby; alice says something in #dev: it lands in bob's #dev, unread, and nowhere else.
    bob.sidebar.select(LOBBY)
    with qtbot.waitSignals([alice.client.message_acked, bob.client.chat_received], timeout=WAIT_MS):
        alice.send_message("ship it?")
    mine = [entry for entry in alice.entries(DEV) if entry.kind is EntryKind.OWN]
    assert [(entry.text, entry.delivery) for entry in mine] == [("ship it?", Delivery.ACKED)]
    assert [(entry.sender, entry.text) for entry in bob.entries(DEV) if entry.is_message] == [("alice", "ship it?")]
    assert all(entry.text != "ship it?" for entry in bob.entries(LOBBY) + alice.entries(LOBBY))
    assert bob.conversations.index_of(DEV).data(UnreadRole) == 1

    # bob writes to alice directly, from the member list.
    bob.members_view.doubleClicked.emit(bob.members.index(bob.members.names.index("alice")))
    alice_direct, bob_direct = Conversation.direct("bob"), Conversation.direct("alice")
    assert bob.pane.current == bob_direct
    with qtbot.waitSignals([bob.client.message_acked, alice.client.chat_received], timeout=WAIT_MS):
        bob.send_message("lunch?")
    assert rows(alice)[-2:] == ["Direct messages", "bob"]
    assert [(entry.sender, entry.text) for entry in alice.entries(alice_direct)] == [("bob", "lunch?")]
    assert [entry.text for entry in bob.entries(bob_direct) if entry.kind is EntryKind.OWN] == ["lunch?"]
    assert all(entry.text != "lunch?" for entry in alice.entries(DEV) + alice.entries(LOBBY))

    # alice leaves #dev from the sidebar's menu: it closes for her, and bob is told.
    with qtbot.waitSignals([alice.client.room_exited, bob.client.room_member_left], timeout=WAIT_MS):
        [leave] = [a for a in alice.sidebar.menu_for(DEV).actions() if a.text() == "Leave #dev"]
        leave.trigger()
    assert "#dev" not in rows(alice) and alice.transcript_lines(LOBBY)[-1] == "You left #dev."
    assert bob.transcript_lines(DEV)[-1] == "alice left #dev · 1 member"


def test_a_direct_message_to_a_member_away_waits_and_history_comes_back_per_conversation(
        qtbot: QtBot, windows: tuple[ClientWindow, ClientWindow], server: ChatServer) -> None:
    alice, bob = windows
    with qtbot.waitSignal(alice.client.room_entered, timeout=WAIT_MS):
        assert alice.client.join_room("#dev")
    with qtbot.waitSignal(bob.client.room_entered, timeout=WAIT_MS):
        assert bob.client.join_room("#dev")
    alice.open_conversation(Conversation.direct("bob"))
    with qtbot.waitSignals([alice.client.message_acked, bob.client.chat_received], timeout=WAIT_MS):
        alice.send_message("before you go")

    # bob leaves the chat; alice writes to him anyway, and in #dev.
    with qtbot.waitSignal(alice.client.member_left, timeout=WAIT_MS):
        bob.exit_button.click()
    with qtbot.waitSignal(alice.client.message_acked, timeout=WAIT_MS) as acked:
        alice.send_message("see you tomorrow")
    assert acked.args is not None and acked.args[0].delivered_later
    assert alice.transcript_lines(Conversation.direct("bob"))[-1] == (
        "bob is offline: the message waits on the server and reaches them when they next join.")
    alice.sidebar.select(DEV)
    with qtbot.waitSignal(alice.client.message_acked, timeout=WAIT_MS):
        alice.send_message("notes are up")

    # bob comes back: each conversation gets what it missed, in its own transcript.
    with qtbot.waitSignal(bob.client.welcomed, timeout=WAIT_MS):
        bob.connect_button.click()
    direct = Conversation.direct("alice")

    def back() -> None:
        assert [entry.text for entry in bob.entries(direct) if entry.is_message] == [
            "before you go", "see you tomorrow"]
        assert [entry.text for entry in bob.entries(DEV) if entry.is_message] == ["notes are up"]
    qtbot.waitUntil(back, timeout=WAIT_MS)
    assert all(entry.text not in ("see you tomorrow", "notes are up") for entry in bob.entries(LOBBY))
    assert "#dev" in rows(bob)


def test_rooms_scene(qtbot: QtBot, make_server: Callable[..., ChatServer], make_client: Callable[..., ChatClient],
                     tmp_path: Path) -> None:
    """The README's picture of the client window with rooms, against the real server; saved only when asked:

        LANCHAT_ROOMS_SCREENSHOT=docs/images/client-rooms.png \\
            .venv/bin/pytest tests/gui/client_window/test_rooms_live.py -k scene
    """
    server = make_server(max_clients=4)
    bob, carol, dave = make_client(server, "Bob"), make_client(server, "Carol"), make_client(server, "Dave")
    for client, rooms in ((bob, ("#dev", "#design")), (carol, ("#design",)), (dave, ("#dev",))):
        for room in rooms:
            with qtbot.waitSignal(client.room_entered, timeout=WAIT_MS):
                assert client.join_room(room)
    window = ClientWindow(settings=QSettings(str(tmp_path / "alice.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(900, 560)
    window.show()
    try:
        with qtbot.waitSignal(window.client.welcomed, timeout=WAIT_MS):
            window.connect_to("127.0.0.1", server.server_port, "Alice")
        for room in ("#dev", "#design", "#release"):
            with qtbot.waitSignal(window.client.room_entered, timeout=WAIT_MS):
                assert window.client.join_room(room)
        with qtbot.waitSignal(window.client.member_left, timeout=WAIT_MS):
            dave.exit()  # still in #dev (kept for his client id), offline
        window.sidebar.select(Conversation.room("#dev"))
        with qtbot.waitSignal(window.client.topic_changed, timeout=WAIT_MS):
            assert bob.set_topic("#dev", "Release on Friday")

        def said(client: ChatClient, text: str, to: Conversation) -> None:
            with qtbot.waitSignal(window.client.chat_received, timeout=WAIT_MS):
                client.send(text, to)

        said(bob, "Morning! Is the build on main green?", DEV)
        with qtbot.waitSignal(window.client.message_acked, timeout=WAIT_MS):
            window.send_message("All green. Tagging the release candidate now.")
        said(carol, "Logo v3 is on the share.", Conversation.room("#design"))
        said(bob, "Great, I'll write the notes.", DEV)
        said(carol, "Can you review my branch today?", Conversation.direct("Alice"))
        said(carol, "Colours are final too.", Conversation.room("#design"))
        said(bob, "Lunch at 12:30, anyone?", LOBBY)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
        assert rows(window) == ["Rooms", "#lobby", "#design", "#dev", "#release", "Direct messages", "Carol"]
        unread = [window.conversations.index_of(c).data(UnreadRole)
                  for c in (LOBBY, Conversation.room("#design"), DEV, Conversation.direct("Carol"))]
        assert unread == [1, 2, 0, 1]
        assert window.pane.header.text() == "#dev · Release on Friday"
        qtbot.waitUntil(lambda: [(m.name, m.online) for m in window.members.members] == [
            ("Alice", True), ("Bob", True), ("Dave", False)], timeout=WAIT_MS)
        assert window.members_label.text() == "&Members · 2 online, 1 offline"
        path = os.environ.get("LANCHAT_ROOMS_SCREENSHOT")
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            assert window.grab().save(path)
    finally:
        stop_clients([window.client])


def test_an_invitation_to_a_private_room_is_joined_from_the_room_dialog(
        qtbot: QtBot, windows: tuple[ClientWindow, ClientWindow]) -> None:
    alice, bob = windows
    team = Conversation.room("#team")
    with qtbot.waitSignal(bob.client.room_entered, timeout=WAIT_MS):
        assert bob.client.create_room("#team", private=True)
    with qtbot.waitSignal(alice.client.rooms_listed, timeout=WAIT_MS):
        alice.sidebar.rooms_button.click()
    dialog = alice.pane.room_dialog
    assert dialog is not None and dialog.visible_rooms() == ["#lobby"]  # a private room is not listed to others

    # bob invites alice: she is told, and the open dialog asks again and shows the room she may join now.
    with qtbot.waitSignals([alice.client.invitation_sent, alice.client.rooms_listed], timeout=WAIT_MS):
        assert bob.client.invite("#team", "alice")
    assert alice.transcript_lines(LOBBY)[-1] == "bob invited you to #team: join it from Rooms…"
    assert bob.transcript_lines(team)[-1] == "You invited alice to #team."
    assert dialog.visible_rooms() == ["#lobby", "#team"]
    assert (dialog.model.index(1, 0).data(), dialog.model.index(1, 1).data()) == ("#team (private, invited)", "")
    with qtbot.waitSignals([alice.client.room_entered, bob.client.room_member_joined], timeout=WAIT_MS):
        dialog.table.doubleClicked.emit(dialog.proxy.index(1, 0))
    assert alice.pane.current == team and "#team" in rows(alice)

    # Listed now as a room she is in (the server lists private rooms to their members).
    with qtbot.waitSignal(alice.client.rooms_listed, timeout=WAIT_MS):
        dialog.refresh_button.click()
    assert dialog.model.index(1, 0).data() == "#team (private, joined)"
