"""The client window by keyboard alone: the Tab order, and the shortcuts of Help → Keyboard shortcuts (issue 20)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from chat_gui.client import LOBBY, ClientState, Conversation
from chat_gui.client_window.transcript import EntryKind
from chat_gui.client_window.window import ClientWindow
from tests.conftest import WAIT_MS
from tests.gui.keyboard import activate, open_shortcuts_list, press, tab_order

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

KEYS = [("Return", "Send the message (in the message field)"),
        ("Ctrl+Return", "Send the message"),
        ("Ctrl+L", "Go to the message field"),
        ("Ctrl+PgDown", "Next conversation"),
        ("Ctrl+PgUp", "Previous conversation"),
        ("Ctrl+R", "Find, join or create a room (Rooms…)"),
        ("Ctrl+F", "Search the messages (Esc closes the search)"),
        ("Ctrl+I", "Ask the server who has connected (Status)"),
        ("Return", "Save the file of the card selected in the transcript (Menu: Open, Cancel)"),
        ("Ctrl+D", "Leave the chat, or stop reconnecting (Exit); the window stays open"),
        ("Ctrl+Q", "Leave the chat and close the window"),
        ("F1", "List the keyboard shortcuts")]
DEV = Conversation.room("#dev")


def test_tab_order_offline_and_connected(qtbot, tmp_path, trio):
    offline = ClientWindow(settings=QSettings(str(tmp_path / "c.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(offline)
    offline.show()
    # (Status and Exit are off while offline; Send until something is typed.)
    assert tab_order(qtbot, offline, offline.host_edit) == [
        "Server", "Port", "Name", "TLS", "Connect", "Servers on this network", "Message", "Send",
        "Conversations", "Rooms…", "Conversation actions", "Transcript", "Members"]
    alice = trio[0]
    alice.message_edit.setText("draft")
    assert tab_order(qtbot, alice, alice.message_edit) == [
        "Message", "Send", "Share a file", "Conversations", "Rooms…", "Conversation actions", "Transcript", "Members",
        "Status", "Exit"]


def test_the_help_dialog_lists_the_table_the_shortcuts_are_made_from(qtbot, tmp_path):
    window = ClientWindow(settings=QSettings(str(tmp_path / "c.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    open_shortcuts_list(qtbot, window, KEYS)
    assert [action.text() for action in window.menuBar().actions()] == ["&Away", "&Help"]  # Help last, as usual


def test_conversations_send_status_and_exit_by_keyboard(qtbot, trio):
    alice, bob, _carol = trio
    with qtbot.waitSignal(alice.client.room_entered, timeout=WAIT_MS):
        alice.client.join_room("#dev")
    alice.open_conversation(Conversation.direct("bob"))
    alice.open_conversation(LOBBY)
    activate(qtbot, alice)
    press(alice, "Ctrl+L")
    assert QApplication.focusWidget() is alice.message_edit

    seen = []
    for key in ["Ctrl+PgDown"] * 3 + ["Ctrl+PgUp"] * 2 + ["Ctrl+PgDown"]:
        press(alice, key)
        seen.append(alice.pane.current)
    assert seen == [DEV, Conversation.direct("bob"), LOBBY, Conversation.direct("bob"), DEV, Conversation.direct("bob")]
    assert QApplication.focusWidget() is alice.message_edit, "the focus stays where it was"

    for key in "yo":
        press(alice, key)
    with qtbot.waitSignal(bob.client.chat_received, timeout=WAIT_MS) as relay:
        press(alice, "Ctrl+Return")
    assert (relay.args[0].text, relay.args[0].conversation) == ("yo", Conversation.direct("alice"))
    assert [entry.text for entry in alice.entries(Conversation.direct("bob")) if entry.kind is EntryKind.OWN] == ["yo"]

    with qtbot.waitSignal(alice.client.status_received, timeout=WAIT_MS):
        press(alice, "Ctrl+I")
    assert alice.status_dialog is not None and alice.status_dialog.isVisible()
    activate(qtbot, alice)
    with qtbot.waitSignal(alice.client.disconnected, timeout=WAIT_MS):
        press(alice, "Ctrl+D")
    assert alice.client.state is ClientState.OFFLINE and alice.isVisible()
