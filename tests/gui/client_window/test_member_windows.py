"""Two client windows of one member (the same name and client id, each its own instance) and a third member, against
the real server engine on 127.0.0.1: what is read, said, joined, left and set away in one window shows in the other,
and the other members see one member throughout."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from chat_gui.client import LOBBY, ClientState, Conversation
from chat_gui.client_window.away_control import AUTO_AWAY_AFTER_S, IdleWatch
from chat_gui.client_window.transcript import Delivery, EntryKind
from chat_gui.client_window.window import ClientWindow
from tests.conftest import WAIT_MS
from tests.gui.client_window.conftest import Windows
from tests.gui.client_window.test_presence_window import member_row
from tests.gui.client_window.test_read_markers_window import in_front
from tests.gui.client_window.test_rooms_window import action, put_behind, sidebar_rows, unread

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

DEV, OPS = Conversation.room("#dev"), Conversation.room("#ops")
CAROL, ALICE = Conversation.direct("carol"), Conversation.direct("alice")


def messages(window: ClientWindow, conversation: Conversation) -> list[tuple[EntryKind, str, str]]:
    return [(entry.kind, entry.sender, entry.text) for entry in window.entries(conversation) if entry.is_message]


def joined_lines(window: ClientWindow, name: str) -> list[str]:
    return [line for line in window.transcript_lines() if line.startswith(f"{name} joined")]


def test_both_windows_are_one_member_for_the_others(qtbot: QtBot, windows: Windows) -> None:
    a, b, carol = windows
    assert a.client.name == b.client.name == "alice"
    assert a.client.state is b.client.state is ClientState.ONLINE  # the second did not replace the first
    assert a.members.names == b.members.names == ["alice", "carol"]
    assert len(joined_lines(carol, "alice")) == 1  # the second window was not announced


def test_what_is_read_in_one_window_is_read_in_the_other(qtbot: QtBot, windows: Windows) -> None:
    a, b, carol = windows
    b.open_conversation(CAROL)  # b looks elsewhere: the lobby's messages count unread there
    put_behind(qtbot, a)
    for text in ("one", "two"):
        carol.send_message(text)
    qtbot.waitUntil(lambda: unread(a, LOBBY) == 2 and unread(b, LOBBY) == 2, timeout=WAIT_MS)

    in_front(qtbot, a)  # alice reads them in a: b's count follows
    qtbot.waitUntil(lambda: unread(b, LOBBY) == 0, timeout=WAIT_MS)
    put_behind(qtbot, a)
    for text in ("three", "four"):
        carol.send_message(text)
    qtbot.waitUntil(lambda: unread(a, LOBBY) == 2 and unread(b, LOBBY) == 2, timeout=WAIT_MS)

    b.sidebar.select(LOBBY)  # opened in b (behind): the line stands above the first message alice has not read
    row = b.transcript_view.new_messages_row()
    assert row is not None and b.entries(LOBBY)[row].text == "three"
    assert unread(b, LOBBY) == 2

    in_front(qtbot, a)  # read in a: b's count goes to 0 live, the title with it
    qtbot.waitUntil(lambda: unread(b, LOBBY) == 0, timeout=WAIT_MS)
    assert not b.windowTitle().startswith("(")
    b.sidebar.select(CAROL)
    b.sidebar.select(LOBBY)  # opened again with everything read (elsewhere): no line
    assert b.transcript_view.new_messages_row() is None


def test_what_one_window_says_shows_in_the_other_as_its_own(qtbot: QtBot, windows: Windows) -> None:
    a, b, carol = windows
    put_behind(qtbot, b)
    with qtbot.waitSignals([a.client.message_acked, b.client.chat_received, carol.client.chat_received],
                           timeout=WAIT_MS):
        a.send_message("hello from a")
    assert messages(b, LOBBY) == [(EntryKind.OWN, "alice", "hello from a")]
    assert b.entries(LOBBY)[-1].delivery is Delivery.ACKED
    assert messages(carol, LOBBY) == [(EntryKind.OTHER, "alice", "hello from a")]
    assert unread(b, LOBBY) == 0 and not b.windowTitle().startswith("(")  # the member's own: never unread

    with qtbot.waitSignal(b.client.room_entered, timeout=WAIT_MS):
        a.client.join_room("#dev")
    with qtbot.waitSignal(b.client.chat_received, timeout=WAIT_MS):
        a.send_message("in dev")
    assert messages(b, DEV) == [(EntryKind.OWN, "alice", "in dev")]
    assert messages(b, LOBBY) == [(EntryKind.OWN, "alice", "hello from a")]  # nowhere else

    a.open_conversation(CAROL)
    with qtbot.waitSignals([b.client.chat_received, carol.client.chat_received], timeout=WAIT_MS):
        a.send_message("lunch?")
    assert messages(b, CAROL) == [(EntryKind.OWN, "alice", "lunch?")]  # with carol, not with alice
    assert ALICE not in b.pane.model.conversations
    assert messages(carol, ALICE) == [(EntryKind.OTHER, "alice", "lunch?")]

    carol.open_conversation(ALICE)
    with qtbot.waitSignals([a.client.chat_received, b.client.chat_received], timeout=WAIT_MS):
        carol.send_message("yes, at noon")
    expected = [(EntryKind.OWN, "alice", "lunch?"), (EntryKind.OTHER, "carol", "yes, at noon")]
    assert messages(a, CAROL) == expected and messages(b, CAROL) == expected
    assert unread(b, CAROL) == 1
    assert b.entries(CAROL)[-1].seq == a.entries(CAROL)[-1].seq


def test_a_room_joined_in_one_window_is_added_to_the_other_which_stays_where_it_was(
        qtbot: QtBot, windows: Windows) -> None:
    a, b, _carol = windows
    b.open_conversation(CAROL)
    with qtbot.waitSignal(b.client.room_entered, timeout=WAIT_MS):
        a.client.join_room("#ops")  # created, since there is none
    assert a.pane.current == OPS  # asked there: a goes into it
    assert "#ops" in sidebar_rows(b) and b.pane.current == CAROL  # news here: b stays where it was
    assert b.client.rooms == a.client.rooms == [LOBBY, OPS]
    assert b.transcript_lines(OPS) == ["You created the room #ops."]

    with qtbot.waitSignal(b.client.room_exited, timeout=WAIT_MS):
        action(a, OPS, "Leave #ops").trigger()
    assert "#ops" not in sidebar_rows(b) and b.pane.current == CAROL
    assert b.client.rooms == [LOBBY]
    assert "#ops" not in sidebar_rows(a)


def test_closing_one_window_leaves_the_other_connected_and_the_member_online(
        qtbot: QtBot, windows: Windows) -> None:
    a, b, carol = windows
    with qtbot.waitSignal(a.client.disconnected, timeout=WAIT_MS):
        a.close()
    assert a.client.state is ClientState.OFFLINE
    with qtbot.waitSignal(carol.client.chat_received, timeout=WAIT_MS):  # after whatever a's exit made the server say
        b.send_message("still here")
    assert b.client.state is ClientState.ONLINE
    assert not [line for line in carol.transcript_lines() if line.startswith("alice left")]
    assert carol.members.names == ["carol", "alice"]
    assert messages(carol, LOBBY) == [(EntryKind.OTHER, "alice", "still here")]

    with qtbot.waitSignal(b.client.disconnected, timeout=WAIT_MS):  # the last window goes: now alice leaves
        b.close()
    qtbot.waitUntil(lambda: carol.members.names == ["carol"], timeout=WAIT_MS)
    assert len([line for line in carol.transcript_lines() if line.startswith("alice left")]) == 1


def test_away_set_in_one_window_shows_in_the_other(qtbot: QtBot, windows: Windows) -> None:
    a, b, carol = windows
    assert not b.away.back_action.isEnabled()
    a.away.set_away("lunch")  # as the Away menu does
    qtbot.waitUntil(lambda: b.client.away_message == "lunch", timeout=WAIT_MS)
    assert b.away.back_action.isEnabled()  # the menu follows
    assert member_row(b, "alice") == "alice (you) · away: lunch"
    qtbot.waitUntil(lambda: member_row(carol, "alice") == "alice · away: lunch", timeout=WAIT_MS)
    qtbot.keyClick(b.message_edit, Qt.Key.Key_A)  # set by hand with a message: input elsewhere leaves it
    assert b.client.away_message == "lunch"

    b.away.back_action.trigger()  # back, said in b: a follows
    qtbot.waitUntil(lambda: a.client.away_message is None, timeout=WAIT_MS)
    assert not a.away.back_action.isEnabled()
    qtbot.waitUntil(lambda: member_row(carol, "alice") == "alice", timeout=WAIT_MS)

    # a, left idle, goes away by itself; alice types in b: she is back everywhere.
    now = [1000.0]
    a.away.clock = lambda: now[0]
    a.away.idle = IdleWatch(now[0])
    now[0] += AUTO_AWAY_AFTER_S
    a.away.check()
    qtbot.waitUntil(lambda: b.client.away_message == "", timeout=WAIT_MS)
    assert member_row(b, "alice") == "alice (you) · away"
    qtbot.keyClick(b.message_edit, Qt.Key.Key_B)
    qtbot.waitUntil(lambda: a.client.away_message is None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: member_row(carol, "alice") == "alice", timeout=WAIT_MS)
    assert b.client.away_message is None


def test_a_message_from_the_other_window_keeps_this_one_from_going_away(qtbot: QtBot, windows: Windows) -> None:
    a, b, carol = windows
    now = [1000.0]
    b.away.clock = lambda: now[0]
    b.away.idle = IdleWatch(now[0])
    now[0] += AUTO_AWAY_AFTER_S - 1  # b untouched for almost ten minutes, while alice writes in a
    with qtbot.waitSignals([b.client.chat_received, carol.client.chat_received], timeout=WAIT_MS):
        a.send_message("busy in a")
    now[0] += 2
    b.away.check()
    assert b.client.away_message is None
    now[0] += AUTO_AWAY_AFTER_S  # ten minutes more without anything anywhere: away
    b.away.check()
    assert b.client.away_message == ""
    qtbot.waitUntil(lambda: a.client.away_message == "", timeout=WAIT_MS)
