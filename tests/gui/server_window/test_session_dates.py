"""Sessions not from today show their date in full, in the server window's table and the Status dialog
(issue 20, defect 8); the CSV export says when in ISO 8601 with the UTC offset."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QTableView
from pytestqt.qtbot import QtBot

from chat_gui.server_window.window import ServerWindow
from chat_gui.widgets import StatusDialog
from chat_gui.widgets.session_model import SORT_ROLE, Column
from chat_server.protocol import SessionInfo, StatusReport
from tests.conftest import WAIT_MS
from tests.gui.server_window.test_server_window import child, wait_rows

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

DAY = 86400.0
TIMES = (Column.CONNECTED, Column.DISCONNECTED)


def _dated(t: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t))


def _fits(table: QTableView, column: int) -> bool:
    """Whether the column is as wide as its texts need (nothing cut short with '…')."""
    return table.columnWidth(column) >= table.sizeHintForColumn(column)


def test_an_earlier_runs_sessions_show_their_date_and_time_in_full(qtbot: QtBot, make_server, make_client,
                                                                 tmp_path: Path) -> None:
    db = str(tmp_path / "chat.sqlite3")
    first = make_server(db_path=db)
    alice = make_client(first, "Alice")
    with qtbot.waitSignal(alice.disconnected, timeout=WAIT_MS):
        alice.exit()
    with qtbot.waitSignal(first.stopped, timeout=WAIT_MS):
        first.stop()
    first.close()
    with sqlite3.connect(db) as con:  # that run was two days ago
        con.execute("UPDATE sessions SET connected_at = connected_at - ?, disconnected_at = disconnected_at - ?",
                    (2 * DAY, 2 * DAY))
    con.close()

    second = make_server(db_path=db)
    window = ServerWindow(second, QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    make_client(second, "Bob")
    wait_rows(qtbot, window, [("Bob", "online", "0")])
    table = child(window, QTableView, "table")
    narrow = [table.columnWidth(column) for column in TIMES]
    runs = child(window, QComboBox, "runs_combo")
    runs.setCurrentIndex(runs.findText("All runs"))
    wait_rows(qtbot, window, [("Alice", "left", "0"), ("Bob", "online", "0")])

    proxy = window.session_proxy
    alice_times = [proxy.index(0, column).data(SORT_ROLE) for column in TIMES]
    assert [proxy.index(0, column).data() for column in TIMES] == [_dated(t) for t in alice_times]
    bob_connected = proxy.index(1, Column.CONNECTED).data(SORT_ROLE)
    assert proxy.index(1, Column.CONNECTED).data() == time.strftime("%H:%M:%S", time.localtime(bob_connected))
    assert all(_fits(table, column) for column in TIMES), "the date and the time both show"

    runs.setCurrentIndex(runs.findText("This run"))  # only today's times: the columns narrow again
    assert [table.columnWidth(column) for column in TIMES] == narrow


def test_the_status_dialog_shows_the_date_of_a_session_not_from_today(qtbot: QtBot) -> None:
    now = time.time()
    old = SessionInfo("Alice", "127.0.0.1", 50001, now - 3 * DAY, now - 3 * DAY + 90, "exit", 2, run=1)
    today = SessionInfo("Bob", "127.0.0.1", 50002, now, None, "online", 0, run=2)
    dialog = StatusDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_report(StatusReport(online=1, max_clients=3, started_at=now, sessions=(old, today), run=2,
                                    all_runs=True))
    rows = dialog.rows()
    assert rows[0][2:4] == (_dated(old.connected_at), _dated(old.disconnected_at or 0))
    assert rows[1][2:4] == (time.strftime("%H:%M:%S", time.localtime(now)), "—")
    assert all(_fits(dialog.table, column) for column in TIMES)
