"""Read markers in the client window: the marker is sent when the conversation in view is read (throttled: one for
a burst), the unread counts follow the markers the server tells (live, and those after a welcome), the "new messages"
line stands above the first unread message until the conversation is opened again read; against a scripted server,
and two windows of one identity against the real server engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from chat_gui.client import LOBBY, Conversation
from chat_gui.client.events import ClientState
from chat_gui.client_window.conversations import MentionsRole
from chat_gui.client_window.read_tracking import newest_seq, unread_after
from chat_gui.client_window.transcript import EntryKind
from chat_gui.client_window.window import ClientWindow
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, RawClient, stop_clients
from tests.gui.client_window.test_rooms_window import DEV, action, deliver, put_behind, unread
from tests.gui.client_window.v2_server import ScriptedServer
from tests.integration.test_rooms_json import Member

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

BOB = Conversation.direct("bob")


def in_front(qtbot: QtBot, window: ClientWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)


def test_the_marker_of_what_is_read_is_sent_once_for_a_burst(
        qtbot: QtBot, scripted: ScriptedServer, open_window: Callable[..., ClientWindow]) -> None:
    window = open_window(scripted)
    in_front(qtbot, window)
    deliver(qtbot, scripted, window, *(p.Relay(sender="bob", text=f"m{n}", seq=n, time=float(n)) for n in (1, 2, 3)))
    # One line for the three:
    assert scripted.wait_for("mark_read") == [{"type": "mark_read", "seq": 3, "id": "read-marker"}]
    assert not window.read_tracking._timer.isActive()
    scripted.send(p.ReadMarker(seq=3))
    qtbot.waitUntil(lambda: window.client.read_marker(LOBBY) == 3, timeout=WAIT_MS)

    window.sidebar.select(DEV)  # read to its end: the room's newest message is marked
    deliver(qtbot, scripted, window, p.Relay(sender="bob", text="in dev", seq=4, time=4.0, room="#dev"))
    assert scripted.wait_for("mark_read", 2)[1] == {"type": "mark_read", "seq": 4, "room": "#dev", "id": "read-marker"}

    with qtbot.waitSignal(window.client.error_received, timeout=WAIT_MS):  # a marker refused: not the user's doing
        scripted.send(p.Error(p.ERR_NOT_IN_ROOM, "#dev: you are not in that room.", id="read-marker", room="#dev"))
    assert not [e for e in window.entries(DEV) + window.entries(LOBBY) if e.kind is EntryKind.ERROR]

    put_behind(qtbot, window)  # behind another window: nothing is read, nothing sent
    deliver(qtbot, scripted, window, p.Relay(sender="bob", text="later", seq=5, time=5.0, room="#dev"))
    assert not window.read_tracking._timer.isActive() and len(scripted.of("mark_read")) == 2
    assert unread(window, DEV) == 1


def test_unread_counts_follow_the_markers_told_live(
        qtbot: QtBot, scripted: ScriptedServer, open_window: Callable[..., ClientWindow]) -> None:
    window = open_window(scripted)
    put_behind(qtbot, window)
    deliver(qtbot, scripted, window,
            p.Relay(sender="bob", text="one", seq=1, time=1.0, room="#dev"),
            p.Relay(sender="bob", text="two @alice", seq=2, time=2.0, room="#dev"),
            p.Relay(sender="bob", text="three", seq=3, time=3.0, room="#dev"))
    assert unread(window, DEV) == 3 and window.conversations.index_of(DEV).data(MentionsRole) == 1
    with qtbot.waitSignal(window.client.read_marker_moved, timeout=WAIT_MS):
        scripted.send(p.ReadMarker(seq=2, room="#dev"))  # read up to "two" in another window of alice's
    assert unread(window, DEV) == 1 and window.conversations.index_of(DEV).data(MentionsRole) == 0
    assert window.windowTitle().startswith("(1) ")
    with qtbot.waitSignal(window.client.read_marker_moved, timeout=WAIT_MS):
        scripted.send(p.ReadMarker(seq=3, room="#dev"))
    assert unread(window, DEV) == 0 and not window.windowTitle().startswith("(")


def test_history_after_the_marker_is_unread_and_the_new_messages_line_stands_above_it(
        qtbot: QtBot, scripted: ScriptedServer, open_window: Callable[..., ClientWindow]) -> None:
    window = open_window(scripted)
    in_front(qtbot, window)
    scripted.send(p.ReadMarker(seq=2, room="#dev"))  # what the server sends after the welcome, before the history
    deliver(qtbot, scripted, window, *(p.Relay(sender="bob", text=f"h{n}", seq=n, time=float(n), history=True,
                                               room="#dev") for n in (1, 2, 3, 4)),
            p.Relay(sender="alice", text="mine, from another window", seq=5, time=5.0, history=True, room="#dev"))
    assert unread(window, DEV) == 2  # read elsewhere up to h2: only h3 and h4 are unread here (not alice's own)
    transcript = window.pane.transcript(DEV)
    assert [e.text for e in unread_after(transcript, 2, "alice")] == ["h3", "h4"] and newest_seq(transcript) == 5
    window.sidebar.select(DEV)
    row = window.transcript_view.new_messages_row()
    assert row is not None and window.entries(DEV)[row].text == "h3"  # the line above the first unread
    window.transcript_view.grab()  # drawn without a warning
    assert unread(window, DEV) == 0
    assert scripted.wait_for("mark_read") == [{"type": "mark_read", "seq": 5, "room": "#dev", "id": "read-marker"}]
    scripted.send(p.ReadMarker(seq=5, room="#dev"))
    qtbot.waitUntil(lambda: window.client.read_marker(DEV) == 5, timeout=WAIT_MS)
    assert window.transcript_view.new_messages_row() == row  # it stays while the room is in view
    action(window, DEV, "Mute notifications").trigger()  # (which shows the room again, not opens it)
    assert window.transcript_view.new_messages_row() == row
    window.sidebar.select(LOBBY)
    window.sidebar.select(DEV)  # opened again, everything read: the line is gone
    assert window.transcript_view.new_messages_row() is None


def test_a_second_window_of_the_identity_opens_with_what_was_read_elsewhere_read(
        qtbot: QtBot, server: ChatServer, make_raw: Callable[[ChatServer], RawClient], tmp_path: Path) -> None:
    settings = str(tmp_path / "alice.ini")  # one settings file: one client id for the name alice

    def alice_window() -> ClientWindow:
        window = ClientWindow(settings=QSettings(settings, QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.client.auto_reconnect = False
        window.show()
        with qtbot.waitSignal(window.client.welcomed, timeout=WAIT_MS):
            window.connect_to("127.0.0.1", server.server_port, "alice")
        return window

    first = alice_window()
    bob = Member(make_raw(server), "bob")
    bob.send(type="hello", version=2, name="bob", client_id="id-of-bob", last_seq=None)
    bob.expect(type="joined", name="bob")
    seqs = []

    def say(text: str) -> None:
        bob.send(type="chat", id=text, text=text, to="alice")
        seqs.append(int(bob.expect(type="ack", id=text)["seq"]))

    put_behind(qtbot, first)
    for text in ("one", "two"):
        say(text)
    qtbot.waitUntil(lambda: unread(first, BOB) == 2, timeout=WAIT_MS)
    first.sidebar.select(BOB)
    in_front(qtbot, first)  # alice reads them here: the marker goes to the server
    qtbot.waitUntil(lambda: first.client.read_marker(BOB) == seqs[1], timeout=WAIT_MS)
    first.sidebar.select(LOBBY)
    put_behind(qtbot, first)
    say("three")  # not read anywhere
    qtbot.waitUntil(lambda: unread(first, BOB) == 1, timeout=WAIT_MS)

    second = alice_window()  # the same identity in another window, open beside the first
    qtbot.waitUntil(lambda: [e.text for e in second.entries(BOB) if e.is_message] == ["one", "two", "three"],
                    timeout=WAIT_MS)
    assert first.client.state is ClientState.ONLINE and second.client.name == first.client.name == "alice"
    assert second.client.read_marker(BOB) == seqs[1]
    assert unread(second, BOB) == 1  # "three" only: "one" and "two" were read in the first window
    assert unread(second, LOBBY) == 0

    # Read in the first window while the second is open: cleared in the second, live.
    put_behind(qtbot, second)
    first.sidebar.select(BOB)
    in_front(qtbot, first)
    qtbot.waitUntil(lambda: second.client.read_marker(BOB) == seqs[2], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: unread(second, BOB) == 0, timeout=WAIT_MS)
    assert first.client.read_marker(BOB) == seqs[2] and unread(first, BOB) == 0
    stop_clients(window.client for window in (first, second))
