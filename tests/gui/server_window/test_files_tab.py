"""The server window's Files tab and the event log's share lines, against the real server engine with members over
raw JSON connections (loopback): a share is listed (name, size, sender, conversation, time, downloads) and logged,
a download counted, and Delete (asked first) expires the file: its row stays greyed and a download is refused."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from chat_gui.server_window.files_model import FileColumn
from chat_gui.server_window.files_panel import FileQuestions
from chat_gui.server_window.window import ServerWindow
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, RawClient
from tests.integration.test_files import PDF, fetch, refusal, share
from tests.integration.test_rooms_json import join

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")


def file_rows(window: ServerWindow) -> list[list[str]]:
    model = window.files_tab.model
    return [[str(model.index(row, column).data()) for column in FileColumn] for row in range(model.rowCount())]


def logged(window: ServerWindow, line: str) -> bool:
    window.flush()
    return any(shown.endswith(line) for shown in window.event_log.lines())


def test_a_share_is_listed_and_logged_counted_and_deleted(
        qtbot: QtBot, qtmodeltester: ModelTester, make_server: Callable[..., ChatServer],
        make_raw: Callable[[ChatServer], RawClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = make_server(db_path=str(tmp_path / "chat.sqlite3"))
    window = ServerWindow(server, QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtmodeltester.check(window.files_tab.model)
    alice, bob = (join(make_raw, server, name) for name in ("alice", "bob"))
    now = time.strftime("%H:%M", time.localtime())

    report_id, _ack = share(qtbot, server, alice, PDF)
    qtbot.waitUntil(lambda: logged(window, f"alice shared report.pdf ({len(PDF) / 1000:.1f} KB) in #lobby"),
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(file_rows(window)) == 1, timeout=WAIT_MS)
    assert [line for line in window.event_log.lines() if "alice" in line and "joined" not in line] == [
        line for line in window.event_log.lines() if line.endswith("alice shared report.pdf (102.4 KB) in #lobby")
    ], "one line for a share, not a message line with no text beside it"
    [row] = file_rows(window)
    assert row[:4] + row[5:] == ["report.pdf", "102.4 KB", "alice", "#lobby", "0"]
    assert row[FileColumn.TIME].startswith(now[:2])  # today's: the time of day only

    fetch(qtbot, server, bob, report_id)
    qtbot.waitUntil(lambda: file_rows(window)[0][FileColumn.DOWNLOADS] == "1", timeout=WAIT_MS)

    share(qtbot, server, alice, b"just for you\n", "for-bob.txt", to="bob")
    qtbot.waitUntil(lambda: logged(window, "alice shared a file with bob"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(file_rows(window)) == 2, timeout=WAIT_MS)
    newest = file_rows(window)[0]
    assert newest[:4] == ["for-bob.txt", "13 B", "alice", "alice → bob"]

    panel = window.files_tab.panel
    asked: list[str] = []

    def delete(cls: object, parent: object, name: str, size: str) -> bool:
        asked.append(f"{name} ({size})")
        return True
    monkeypatch.setattr(FileQuestions, "delete", classmethod(delete))
    assert not panel.delete_button.isEnabled()  # nothing selected
    assert panel.select_file(report_id)
    assert panel.delete_button.isEnabled()
    panel.delete_button.click()
    assert asked == ["report.pdf (102.4 KB)"]
    qtbot.waitUntil(lambda: logged(window, "report.pdf deleted by the operator"), timeout=WAIT_MS)
    expired = window.files_tab.model.index(1, FileColumn.NAME)
    assert expired.data() == "report.pdf" and expired.data(Qt.ItemDataRole.FontRole).italic()
    assert "Expired" in expired.data(Qt.ItemDataRole.ToolTipRole)
    assert not panel.delete_button.isEnabled()  # gone already
    assert refusal(bob, report_id)["code"] == "file_expired"
    panel.delete_requested.emit(report_id)  # (as if asked twice: the engine has nothing more to delete)
    assert logged(window, "report.pdf could not be deleted: it is no longer on the server")


def test_deleting_asks_first_and_a_no_keeps_the_file(
        qtbot: QtBot, make_server: Callable[..., ChatServer], make_raw: Callable[[ChatServer], RawClient],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = make_server(db_path=str(tmp_path / "chat.sqlite3"))
    window = ServerWindow(server, QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    alice = join(make_raw, server, "alice")
    file_id, _ack = share(qtbot, server, alice, PDF)
    qtbot.waitUntil(lambda: window.files_tab.model.rowCount() == 1, timeout=WAIT_MS)
    monkeypatch.setattr(FileQuestions, "delete", classmethod(lambda cls, parent, name, size: False))
    assert window.files_tab.panel.select_file(file_id)
    window.files_tab.panel.delete_button.click()
    assert [row.expired for row in server.files()] == [False]
    assert not window.files_tab.model.files()[0].expired
    assert not window.files_tab.panel.select_file("0" * 32)  # no such row
