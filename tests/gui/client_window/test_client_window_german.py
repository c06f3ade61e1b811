"""The client window in German: every visible text is translated and none is clipped, offline and connected
(with a member, a room and a direct conversation), in the room dialog, Help → Keyboard shortcuts and the trust
and password dialogs.

Each scene is built twice, in English and under ``--lang de``'s catalogues, and the texts are compared where
they are (tests/gui/translations.py). Names, addresses and numbers stay as they are; so do the words German
uses as they are (translations.SAME_IN_GERMAN, and "Server": a German window says Server too).

The German connected window is saved for a look when asked:

    LANCHAT_GERMAN_SCREENSHOT=/tmp/client-de.png .venv/bin/pytest tests/gui/client_window/test_client_window_german.py
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from chat_gui.client import Conversation, TrustQuestion
from chat_gui.client.engine import ChatClient
from chat_gui.client_window.password_dialog import PasswordDialog
from chat_gui.client_window.trust_dialog import TrustDialog
from chat_gui.client_window.window import ClientWindow
from chat_gui.widgets import ShortcutsDialog
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS
from tests.gui.translations import SAME_IN_GERMAN, clipped, language, untranslated, visible_texts

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

ALLOWED = SAME_IN_GERMAN | {"Server"}
NAMES = ("LAN Chat", "alice", "bob", "#lobby", "#dev", "lobby", "dev", "127.0.0.1")
FINGERPRINT = ":".join(["AB"] * 32)
OTHER_FINGERPRINT = ":".join(["CD"] * 32)


def _connected(qtbot: QtBot, window: ClientWindow, server: ChatServer,
               make_client: Callable[..., ChatClient]) -> None:
    """alice with bob online, in #dev (in view), with a direct conversation with bob and the room menu made."""
    with qtbot.waitSignal(window.client.welcomed, timeout=WAIT_MS):
        window.connect_to("127.0.0.1", server.server_port, "alice")
    with qtbot.waitSignal(window.client.member_joined, timeout=WAIT_MS):
        make_client(server, "bob")
    with qtbot.waitSignal(window.client.room_entered, timeout=WAIT_MS):
        window.client.create_room("#dev")
    window.open_conversation(Conversation.direct("bob"))
    window.open_conversation(Conversation.room("#dev"))
    qtbot.waitUntil(lambda: window.members.names == ["alice"], timeout=WAIT_MS)
    window.room_actions.menu()  # its actions are the window's children now: walked with the rest


def _compare(english: dict[str, str], german_root: QWidget) -> None:
    german = visible_texts(german_root)
    assert len(german) == len(english) > 0
    assert untranslated(english, german, names=NAMES, allowed=ALLOWED) == []
    assert clipped(german_root) == []


def _shortcuts(qtbot: QtBot, window: ClientWindow) -> tuple[dict[str, str], ShortcutsDialog]:
    """Help → Keyboard shortcuts, shown: its texts and what each row says it does."""
    action = window.findChild(QAction, "shortcuts_action")
    assert action is not None
    action.trigger()
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    texts = visible_texts(dialog)
    texts.update({f"row{row}": what for row, (_keys, what) in enumerate(dialog.rows())})
    return texts, dialog


def test_the_offline_window_and_its_shortcuts_are_all_german(
        qtbot: QtBot, offline_window: Callable[[str], ClientWindow]) -> None:
    english_window = offline_window("en")
    english = visible_texts(english_window)
    english_shortcuts, dialog = _shortcuts(qtbot, english_window)
    dialog.close()
    with language("de"):
        german = offline_window("de")
        assert german.connect_button.text() == "&Verbinden"
        _compare(english, german)
        german_shortcuts, dialog = _shortcuts(qtbot, german)
        assert len(german_shortcuts) == len(english_shortcuts) > 8  # the headings and a row per shortcut
        assert untranslated(english_shortcuts, german_shortcuts, names=NAMES, allowed=ALLOWED) == []
        assert clipped(dialog) == []


def test_the_connected_window_and_its_room_dialog_are_all_german(
        qtbot: QtBot, offline_window: Callable[[str], ClientWindow], make_server: Callable[..., ChatServer],
        make_client: Callable[..., ChatClient]) -> None:
    english_window = offline_window("en")
    _connected(qtbot, english_window, make_server(), make_client)
    english = visible_texts(english_window)
    with qtbot.waitSignal(english_window.client.rooms_listed, timeout=WAIT_MS):
        english_window.sidebar.rooms_button.click()
    assert english_window.pane.room_dialog is not None
    english_rooms = visible_texts(english_window.pane.room_dialog)
    english_window.pane.room_dialog.close()

    with language("de"):
        window = offline_window("de")
        _connected(qtbot, window, make_server(), make_client)
        assert window.members_label.text() == "&Mitglieder · 1 online"
        _compare(english, window)
        # What the item views show (the walker reads widgets, headers and actions, not rows).
        assert window.transcript_lines(Conversation.room("#dev")) == ["Du hast den Raum #dev erstellt."]
        welcome, joined = window.transcript_lines()
        assert welcome.startswith("Willkommen, alice! Du bist im Chat auf 127.0.0.1:")
        assert joined == "bob ist beigetreten · 2/3 online"
        assert [window.members.index(row, 0).data() for row in range(window.members.rowCount())] == ["alice (du)"]
        sidebar = window.conversations
        assert [sidebar.index(row, 0).data() for row in range(sidebar.rowCount())] == [
            "Räume", "#lobby", "#dev", "Direktnachrichten", "bob"]
        with qtbot.waitSignal(window.client.rooms_listed, timeout=WAIT_MS):
            window.sidebar.rooms_button.click()
        dialog = window.pane.room_dialog
        assert dialog is not None and dialog.list_label.text() == "2 Räume"
        _compare(english_rooms, dialog)
        path = os.environ.get("LANCHAT_GERMAN_SCREENSHOT")
        if path:
            dialog.close()
            assert window.grab().save(path)
            assert dialog.grab().save(str(Path(path).with_suffix(".rooms.png")))


@pytest.mark.parametrize("known", [None, OTHER_FINGERPRINT], ids=["first-contact", "changed"])
def test_the_trust_dialog_is_all_german(qtbot: QtBot, known: str | None) -> None:
    question = TrustQuestion("127.0.0.1", 12345, FINGERPRINT, known)

    def shown() -> QDialog:
        box = TrustDialog.build(None, question)
        qtbot.addWidget(box)
        box.show()
        return box

    english = visible_texts(shown())
    with language("de"):
        _compare(english, shown())


def test_the_password_dialog_is_all_german(qtbot: QtBot) -> None:
    def shown() -> QDialog:
        dialog = PasswordDialog.build(None, "127.0.0.1:12345", "This server needs a password.")
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    english = visible_texts(shown())
    with language("de"):
        german = shown()
        assert german.windowTitle() == "Passwort für 127.0.0.1:12345"
        _compare(english, german)
