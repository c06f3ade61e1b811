"""The client window's validation sentences in its language: the connect panel's refused name, the message box's
limit label and the room dialog's refused room name are German in a German window (none of the protocol's
English inside), and read as before in an English one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from chat_gui.client_window.window import ClientWindow
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS
from tests.gui.translations import language

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

BIDI_TEXT = "hi \u202eevil"
ENGLISH = {
    "name": "That name cannot be used: a name cannot contain ':'.",
    "limit": "⚠ A message cannot contain bidirectional overrides (U+202E).",
    "room": "⚠ A room's name is # and 1 to 32 of a-z, 0-9, - and _ (not '#team lead').",
}


def _problems(qtbot: QtBot, window: ClientWindow, server: ChatServer) -> dict[str, str]:
    """The three sentences: a name with ':' refused at Connect, a message with a bidi override, a room name with
    a space (in the room dialog, once connected)."""
    window.name_edit.setText("al:ice")
    window.connect_button.click()
    said = {"name": window.state_label.text()}
    with qtbot.waitSignal(window.client.welcomed, timeout=WAIT_MS):
        window.connect_to("127.0.0.1", server.server_port, "alice")
    window.message_edit.setText(BIDI_TEXT)
    assert window.limit_label.isVisible()
    said["limit"] = window.limit_label.text().rsplit(" (", 1)[0]  # without the limit (in the locale's digits)
    with qtbot.waitSignal(window.client.rooms_listed, timeout=WAIT_MS):
        window.sidebar.rooms_button.click()
    dialog = window.pane.room_dialog
    assert dialog is not None
    dialog.name_edit.setText("team lead")
    assert dialog.problem_label.isVisible() and not dialog.create_button.isEnabled()
    said["room"] = dialog.problem_label.text()
    return said


def test_an_english_window_says_the_protocols_sentences(
        qtbot: QtBot, offline_window: Callable[[str], ClientWindow], make_server: Callable[..., ChatServer]) -> None:
    assert _problems(qtbot, offline_window("en"), make_server()) == ENGLISH


def test_a_german_window_says_them_in_german(
        qtbot: QtBot, offline_window: Callable[[str], ClientWindow], make_server: Callable[..., ChatServer]) -> None:
    with language("de"):
        said = _problems(qtbot, offline_window("de"), make_server())
    assert said["name"] == "Dieser Name kann nicht verwendet werden: ein Name darf keinen Doppelpunkt (:) enthalten."
    assert said["room"] == "⚠ Ein Raumname ist # und 1 bis 32 Zeichen aus a-z, 0-9, - und _ (nicht '#team lead')."
    assert said["limit"] == "⚠ Eine Nachricht darf keine Zeichen enthalten, die die Schreibrichtung umkehren (U+202E)."
    for english in ("name", "message", "cannot", "room", "characters"):
        assert all(english not in text.split() for text in said.values()), (english, said)


def _too_long(qtbot: QtBot, window: ClientWindow, server: ChatServer) -> tuple[int, str]:
    """How many bytes over the server's limit of 200 a message of 300 letters is, and the limit label's text."""
    with qtbot.waitSignal(window.client.welcomed, timeout=WAIT_MS):
        window.connect_to("127.0.0.1", server.server_port, "alice")
    window.message_edit.setText("a" * 300)
    assert window.limit_label.isVisible() and not window.send_button.isEnabled()
    return window.client.message_bytes("a" * 300) - 200, window.limit_label.text()


def test_an_over_long_message_is_worded_in_the_window_s_language(
        qtbot: QtBot, offline_window: Callable[[str], ClientWindow], make_server: Callable[..., ChatServer]) -> None:
    over, english = _too_long(qtbot, offline_window("en"), make_server(max_line_bytes=200))
    assert english == f"⚠ A message is {over} bytes over the server's limit. (the limit is 200 bytes)"
    with language("de"):
        over, german = _too_long(qtbot, offline_window("de"), make_server(max_line_bytes=200))
    assert german == (f"⚠ Eine Nachricht liegt {over} Bytes über der Grenze des Servers."
                      " (die Grenze liegt bei 200 Bytes)")
