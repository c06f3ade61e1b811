"""The server window: a CSV export that cannot be written, a click in the timeline, the table's context menu."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QComboBox, QMenu, QTableView
from pytestqt.qtbot import QtBot

from chat_gui.server_window.kick_dialog import KickConfirmation
from chat_gui.server_window.window import ServerWindow
from chat_gui.widgets.session_model import Column
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_an_export_that_cannot_be_written_is_reported_and_not_remembered(
        qtbot: QtBot, server: ChatServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat)
    window = ServerWindow(server, settings)
    qtbot.addWidget(window)
    window.show()
    target = tmp_path / "no such folder" / "sessions.csv"
    monkeypatch.setattr(ServerWindow, "ask_export_path", classmethod(lambda cls, parent, suggested: str(target)))
    assert window.export_csv() is None
    expected = f"Could not export to {target}: No such file or directory"

    def reported() -> None:  # the log shows its lines in batches
        lines = [line for line in window.event_log.lines() if "xport" in line]
        assert len(lines) == 1 and lines[0].endswith(f"  {expected}"), lines

    qtbot.waitUntil(reported, timeout=WAIT_MS)
    assert not target.exists()
    # The folder that failed is not offered next time.
    asked: list[str] = []
    monkeypatch.setattr(ServerWindow, "ask_export_path",
                        classmethod(lambda cls, parent, suggested: asked.append(suggested)))
    assert window.export_csv() is None
    assert asked and not asked[0].startswith(str(target.parent))


def test_clicking_a_members_bar_in_the_timeline_selects_its_row_in_the_table(
        qtbot: QtBot, server: ChatServer, make_client, tmp_path: Path) -> None:
    window = ServerWindow(server, QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    make_client(server, "Alice")
    make_client(server, "Bob")
    bob = next(session.id for session in server.cache if session.name == "Bob")
    window.flush()  # the queued changes reach the table and the timeline now
    rect = window.timeline.bar_rect(bob)
    assert rect is not None
    table = window.findChild(QTableView, "table")
    assert table is not None and not table.selectionModel().selectedRows()
    qtbot.mouseClick(window.timeline.viewport(), Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    selected = table.selectionModel().selectedRows()
    assert [index.siblingAtColumn(Column.NAME).data() for index in selected] == ["Bob"]


def _context_menu(qtbot: QtBot, table: QTableView, name: str) -> QMenu | None:
    """Right-click the member's row (after selecting it with a left click); the menu that pops up, if any."""
    proxy = table.model()
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, Column.NAME).data() == name)
    pos = table.visualRect(proxy.index(row, Column.ADDRESS)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    QApplication.sendEvent(table.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                                                                 table.viewport().mapToGlobal(pos)))
    popup = QApplication.activePopupWidget()
    return popup if isinstance(popup, QMenu) else None


# A popup menu on the offscreen platform can neither raise itself nor grab the keyboard; harmless.
@pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise|grabbing the keyboard)")
def test_the_tables_context_menu_kicks_or_addresses_a_notice_to_the_member(
        qtbot: QtBot, server: ChatServer, make_client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(KickConfirmation, "ask", classmethod(lambda cls, parent, name: True))  # the operator: yes
    window = ServerWindow(server, QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    make_client(server, "Alice")
    bob = make_client(server, "Bob")
    window.flush()
    table = window.findChild(QTableView, "table")
    recipient = window.findChild(QComboBox, "notice_recipient")
    assert table is not None and recipient is not None

    menu = _context_menu(qtbot, table, "Bob")
    assert menu is not None
    assert [action.text() for action in menu.actions()] == ["Kick", "Send a notice to this member"]
    menu.actions()[1].trigger()
    menu.close()
    assert recipient.currentText() == "Bob"

    menu = _context_menu(qtbot, table, "Bob")
    assert menu is not None
    with qtbot.waitSignal(bob.disconnected, timeout=WAIT_MS) as ended:
        menu.actions()[0].trigger()
    menu.close()
    assert ended.args[0] == "kicked"
    window.flush()
    assert _context_menu(qtbot, table, "Bob") is None  # no menu for a member who is gone
