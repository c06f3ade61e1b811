"""A file deleted in the server window's Files tab, seen from a client window (real server and client engines over
loopback): bob's card of it says expired once the server refuses it, and has no buttons left."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from chat_gui.client import TransferProblem
from chat_gui.client_window import file_dialogs
from chat_gui.client_window.transcript_cards import CardAction, card_actions
from chat_gui.client_window.window import ClientWindow
from chat_gui.server_window.files_panel import FileQuestions
from chat_gui.server_window.window import ServerWindow
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, stop_clients
from tests.gui.client_window.conftest import TRANSFER_WAIT_MS, connected_window
from tests.gui.client_window.test_file_sharing_window import cards, click_card

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")


def test_a_file_deleted_in_the_files_tab_says_expired_on_the_card(
        qtbot: QtBot, make_server: Callable[..., ChatServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = make_server(db_path=str(tmp_path / "chat.sqlite3"))
    window = ServerWindow(server, QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    opened: list[ClientWindow] = []
    alice, bob = (connected_window(qtbot, server.server_port, tmp_path / f"{name}.ini", name, opened)
                  for name in ("alice", "bob"))
    try:
        report = tmp_path / "report.pdf"
        report.write_bytes(b"%PDF-1.4\n" + b"x" * 1_234_000)
        alice.files.share(report)
        qtbot.waitUntil(lambda: len(cards(bob)) == 1 and window.files_tab.model.rowCount() == 1,
                        timeout=TRANSFER_WAIT_MS)
        [entry] = cards(bob)
        assert entry.card is not None and entry.card.file is not None
        assert [row.name for row in window.files_tab.model.files()] == ["report.pdf"]

        monkeypatch.setattr(FileQuestions, "delete", classmethod(lambda cls, parent, name, size: True))
        assert window.files_tab.panel.select_file(entry.card.file.id)
        window.files_tab.panel.delete_button.click()
        qtbot.waitUntil(lambda: window.files_tab.model.files()[0].expired, timeout=WAIT_MS)

        monkeypatch.setattr(file_dialogs.SaveDialog, "ask", classmethod(lambda cls, parent, name: tmp_path / "r.pdf"))
        with qtbot.waitSignal(bob.client.transfer_failed, timeout=TRANSFER_WAIT_MS) as failed:
            click_card(qtbot, bob, entry, CardAction.SAVE)
        assert failed.args[0].reason is TransferProblem.EXPIRED
        assert entry.card.expired and card_actions(entry.card) == []
        assert bob.transcript_lines()[-1].endswith("File report.pdf (1.2 MB · PDF document) · expired")
        assert not (tmp_path / "r.pdf").exists()
    finally:
        stop_clients(made.client for made in opened)
