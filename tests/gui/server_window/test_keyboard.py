"""The server window by keyboard alone: the Tab order, and the shortcuts of Help → Keyboard shortcuts (issue 20)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QSpinBox

from chat_gui.server_window.kick_dialog import KickConfirmation
from chat_gui.server_window.session_table import SessionTableView
from chat_gui.server_window.window import ServerWindow
from tests.conftest import WAIT_MS
from tests.gui.keyboard import activate, open_shortcuts_list, press, tab_order

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

KEYS = [("F5", "Start listening"),
        ("Shift+F5", "Stop listening and disconnect every member"),
        ("Ctrl+1", "Go to the Connections table"),
        ("Ctrl+2", "Go to the Rooms table"),
        ("Ctrl+K", "Kick the selected member (asks first)"),
        ("Ctrl+N", "Write a notice (to whom \u201cNotice to\u201d shows)"),
        ("Return", "Send the notice (in the notice field)"),
        ("Ctrl+S", "Export the sessions shown to a CSV file"),
        ("Ctrl+Q", "Close the window (members online get a goodbye first)"),
        ("F1", "List the keyboard shortcuts")]


@pytest.fixture
def window(qtbot, server, make_client, tmp_path) -> ServerWindow:
    window = ServerWindow(server, QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    return window


def test_tab_goes_round_the_window_top_to_bottom_and_out_of_the_tables(qtbot, window, server, make_client):
    make_client(server, "alice")
    window.flush()
    qtbot.waitUntil(lambda: window.session_model.rowCount() == 1, timeout=WAIT_MS)
    notice = window.findChild(QLineEdit, "notice_edit")
    assert tab_order(qtbot, window, notice) == [
        "Notice", "Send the notice",
        # (Host, Port, TLS and Start are locked while listening; Kick until a member is selected.)
        "Max clients", "Password", "Stop", "Server name", "Announce on the network",
        "Connections", "Sessions shown", "Online only", "Export CSV…", "Connections",  # the tab bar, the table
        "Timeline", "Log lines kept", "Clear the event log", "Event log", "Notice to"]


def test_the_help_dialog_lists_the_table_the_shortcuts_are_made_from(qtbot, window):
    open_shortcuts_list(qtbot, window, KEYS)
    assert [(", ".join(s.keys), s.what) for s in window.shortcuts.shortcuts()] == KEYS
    assert window.menuBar().actions()[0].text() == "&Help"


def test_kick_notice_stop_and_start_by_keyboard(qtbot, window, server, make_client, monkeypatch):
    asked: list[str] = []

    def ask(cls: type, parent: object, name: str) -> bool:  # the operator says yes
        asked.append(name)
        return True

    monkeypatch.setattr(KickConfirmation, "ask", classmethod(ask))
    alice = make_client(server, "alice")
    bob = make_client(server, "bob")
    window.flush()
    qtbot.waitUntil(lambda: window.session_model.rowCount() == 2, timeout=WAIT_MS)
    activate(qtbot, window)

    press(window, "Ctrl+1")  # to the table, on its first row (alice); Space selects her, Down the next row
    assert QApplication.focusWidget() is window.findChild(SessionTableView, "table")
    assert window.findChild(QComboBox, "notice_recipient").currentText() == "everyone", "focus alone selects nobody"
    press(window, "Space")
    qtbot.waitUntil(lambda: window.findChild(QComboBox, "notice_recipient").currentText() == "alice")

    press(window, "Ctrl+N")  # a notice to the member selected
    assert QApplication.focusWidget() is window.findChild(QLineEdit, "notice_edit")
    for key in "hi":
        press(window, key)
    with qtbot.waitSignal(alice.notice_received, timeout=WAIT_MS) as notice:
        press(window, "Return")
    assert notice.args == ["hi", True]

    press(window, "Ctrl+1")
    press(window, "Down")  # bob
    qtbot.waitUntil(lambda: window.findChild(QComboBox, "notice_recipient").currentText() == "bob")
    with qtbot.waitSignal(bob.disconnected, timeout=WAIT_MS) as bob_end:
        press(window, "Ctrl+K")
    assert asked == ["bob"] and bob_end.args[0] == "kicked"

    with qtbot.waitSignal(server.stopped, timeout=WAIT_MS):
        press(window, "Shift+F5")
    assert not server.is_listening
    window.findChild(QSpinBox, "port_spin").setValue(0)
    with qtbot.waitSignal(server.listening_changed, timeout=WAIT_MS):
        press(window, "F5")
    assert server.is_listening

    press(window, "Ctrl+2")
    assert QApplication.focusWidget() is window.rooms_panel.table
