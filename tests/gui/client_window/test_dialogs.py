"""The real password and trust dialogs (other tests replace their ``ask``), answered as a user would."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from chat_gui.client.pinning import TrustQuestion
from chat_gui.client_window.password_dialog import PasswordDialog
from chat_gui.client_window.trust_dialog import TrustDialog

# The offscreen platform cannot propagate a dialog's size hints; harmless.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

OLD = "AA:" * 31 + "AA"
NEW = "BB:" * 31 + "BB"


def _when_shown(qtbot: QtBot, answer: Callable[[QWidget], None]) -> list[dict[str, str]]:
    """Answer the next modal dialog once it is up; what each one showed (read before it is answered, as
    QInputDialog's static functions delete theirs)."""
    seen: list[dict[str, str]] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, poll)
            return
        shown = {"title": dialog.windowTitle()}
        if isinstance(dialog, QInputDialog):
            shown["label"] = dialog.labelText()
        if isinstance(dialog, QMessageBox):
            shown["text"] = dialog.text()
            shown["default"] = dialog.defaultButton().text()
        seen.append(shown)
        answer(dialog)

    QTimer.singleShot(0, poll)
    return seen


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def _type_and_accept(text: str) -> Callable[[QWidget], None]:
    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue(text)
        dialog.accept()
    return answer


def test_the_password_dialog_returns_what_was_typed_without_spaces(qtbot: QtBot, parent: QWidget) -> None:
    seen = _when_shown(qtbot, _type_and_accept("  secret  "))
    assert PasswordDialog.ask(parent, "127.0.0.1:12345", "This server needs a password.") == "secret"
    assert seen[0]["title"] == "Password for 127.0.0.1:12345"
    assert seen[0]["label"] == ("The chat server at 127.0.0.1:12345 needs a password to join.\n"
                                  "It is kept only while this window is open.")


def test_the_password_dialog_gives_none_when_cancelled_or_left_empty(qtbot: QtBot, parent: QWidget) -> None:
    _when_shown(qtbot, lambda dialog: dialog.reject())  # type: ignore[attr-defined]
    assert PasswordDialog.ask(parent, "h:1", "Wrong password.") is None
    seen = _when_shown(qtbot, _type_and_accept("   "))
    assert PasswordDialog.ask(parent, "h:1", "Wrong password; the server closed the connection.") is None
    assert seen[0]["label"].startswith("Wrong password; the server closed the connection.\n\n")


def _click(role: QMessageBox.ButtonRole) -> Callable[[QWidget], None]:
    def answer(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        button = next(b for b in box.buttons() if box.buttonRole(b) is role)
        button.click()
    return answer


def test_a_first_certificate_is_trusted_when_the_user_says_so(qtbot: QtBot, parent: QWidget) -> None:
    question = TrustQuestion("127.0.0.1", 12345, NEW, None)
    seen = _when_shown(qtbot, _click(QMessageBox.ButtonRole.AcceptRole))
    assert TrustDialog.ask(parent, question) is True
    assert seen[0]["title"] == "New server" and NEW in seen[0]["text"]
    assert seen[0]["default"] == "Trust and connect"
    _when_shown(qtbot, _click(QMessageBox.ButtonRole.RejectRole))
    assert TrustDialog.ask(parent, question) is False


def test_a_changed_certificate_is_refused_unless_accepted_on_purpose(qtbot: QtBot, parent: QWidget) -> None:
    question = TrustQuestion("127.0.0.1", 12345, NEW, OLD)
    seen = _when_shown(qtbot, _click(QMessageBox.ButtonRole.RejectRole))
    assert TrustDialog.ask(parent, question) is False
    assert seen[0]["title"] == "The server's certificate has CHANGED"
    assert f"Before: {OLD}\nNow:    {NEW}" in seen[0]["text"]
    assert seen[0]["default"] == "Do not connect"  # Enter does not accept it by accident
    _when_shown(qtbot, _click(QMessageBox.ButtonRole.DestructiveRole))
    assert TrustDialog.ask(parent, question) is True
