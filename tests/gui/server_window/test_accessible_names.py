"""Every interactive widget of the server window and its dialogs has an accessible name (issue 20)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QPushButton

from chat_gui.server_window.kick_dialog import KickConfirmation
from chat_gui.server_window.rooms_panel import RoomQuestions
from chat_gui.server_window.window import ServerWindow
from tests.conftest import WAIT_MS
from tests.gui.accessibility import accessible_name, interactive_widgets, unnamed, unnamed_in_modal

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def busy_window(qtbot, server, make_client, tmp_path) -> ServerWindow:
    """The server window with two members online and a room, its tables filled."""
    assert server.create_room("#dev") is None
    window = ServerWindow(server, QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    make_client(server, "alice")
    make_client(server, "bob")
    window.flush()
    qtbot.waitUntil(lambda: window.session_model.rowCount() == 2, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "#dev" in [room.name for room in window.room_model.rooms()], timeout=WAIT_MS)
    return window


def test_every_interactive_widget_of_the_server_window_has_a_name(busy_window):
    widgets = interactive_widgets(busy_window)
    # The walk really reaches both tabs, the tables, the timeline and the notice bar.
    names = {accessible_name(widget) for widget in widgets}
    assert {"Host", "Connections", "Rooms", "Timeline", "Event log", "Notice to", "Notice", "Kick"} <= names
    assert len(widgets) >= 25
    assert unnamed(busy_window) == []


def test_a_combo_box_is_not_named_by_its_value(busy_window):
    """Without its own name a combo box is announced as the item chosen ("everyone"), which says nothing."""
    recipient = busy_window.findChild(QPushButton, "notice_send_button").parentWidget().recipient_combo
    assert recipient.currentText() == "everyone"
    assert accessible_name(recipient) == "Notice to"
    recipient.setAccessibleName("")
    assert unnamed(busy_window) == ["notice_recipient < NoticeBar < QWidget < ServerWindow (QComboBox)"]


def test_the_server_windows_dialogs_have_named_widgets(qtbot, busy_window):
    box = KickConfirmation.build(busy_window, "alice")
    qtbot.addWidget(box)
    assert unnamed(box) == []
    assert unnamed_in_modal(lambda: RoomQuestions.new_room(busy_window)) == []
    assert unnamed_in_modal(lambda: RoomQuestions.topic(busy_window, "#dev", "")) == []
    assert unnamed_in_modal(lambda: RoomQuestions.member(busy_window, "#dev", ["alice", "bob"])) == []
    assert unnamed_in_modal(lambda: RoomQuestions.close_room(busy_window, "#dev")) == []
