"""Every interactive widget of the client window and its dialogs has an accessible name (issue 20)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from chat_gui.client import Conversation, TrustQuestion
from chat_gui.client_window.password_dialog import PasswordDialog
from chat_gui.client_window.room_actions import RoomQuestions
from chat_gui.client_window.trust_dialog import TrustDialog
from chat_gui.client_window.window import ClientWindow
from tests.conftest import WAIT_MS
from tests.gui.accessibility import accessible_name, interactive_widgets, unnamed, unnamed_in_modal

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

FINGERPRINT = "AB:" * 31 + "CD"


def test_every_interactive_widget_of_a_connected_client_window_has_a_name(qtbot, trio):
    alice = trio[0]
    with qtbot.waitSignal(alice.client.rooms_listed, timeout=WAIT_MS):
        alice.sidebar.rooms_button.click()
    dialog = alice.pane.room_dialog
    assert dialog is not None
    dialog.name_edit.setText("dev")
    with qtbot.waitSignal(alice.client.room_entered, timeout=WAIT_MS):
        dialog.create_button.click()
    alice.open_conversation(Conversation.direct("bob"))
    with qtbot.waitSignal(alice.client.status_received, timeout=WAIT_MS):
        alice.status_button.click()
    assert alice.status_dialog is not None

    widgets = interactive_widgets(alice)
    names = {accessible_name(widget) for widget in widgets}
    assert {"Server", "Port", "Connect", "Conversations", "Transcript", "Members", "Message", "Send",
            "Status", "Exit", "Rooms…", "Conversation actions"} <= names
    assert unnamed(alice) == []
    assert unnamed(dialog) == []
    assert {"Sessions", "All runs", "Refresh"} <= {accessible_name(w) for w in interactive_widgets(alice.status_dialog)}
    assert unnamed(alice.status_dialog) == []


def test_an_offline_client_window_has_named_widgets(qtbot, tmp_path):
    window = ClientWindow(settings=QSettings(str(tmp_path / "c.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    assert window.connect_panel.isVisible() and window.server_list.view.isVisible()
    assert unnamed(window) == []


def test_the_client_windows_questions_have_named_widgets(qtbot, tmp_path):
    window = ClientWindow(settings=QSettings(str(tmp_path / "c.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    for question in (TrustQuestion("127.0.0.1", 4242, FINGERPRINT, None),
                     TrustQuestion("127.0.0.1", 4242, FINGERPRINT, "12:" * 31 + "34")):
        box = TrustDialog.build(window, question)
        qtbot.addWidget(box)
        assert unnamed(box) == []
    assert unnamed_in_modal(lambda: PasswordDialog.ask(window, "127.0.0.1:4242", "")) == []
    assert unnamed_in_modal(lambda: RoomQuestions.topic(window, "#dev", "")) == []
    assert unnamed_in_modal(lambda: RoomQuestions.member(window, "Invite", "Invite to #dev:", ["bob"])) == []
