"""The server window, its dialogs (kick, rooms, keyboard shortcuts) and the Status dialog in German: every text a
user sees is translated (but names, numbers and words German shares with English), and every label and button
has room for its text.

Set LANCHAT_SCREENSHOT_DIR to a folder to save pictures of the window and dialogs in both languages there
(the README's picture of the German window, with its event log, is made by test_event_log_german.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QTableView, QWidget

from chat_gui.server_window.kick_dialog import KickConfirmation
from chat_gui.server_window.rooms_panel import RoomQuestions
from chat_gui.server_window.window import ServerWindow
from chat_gui.widgets import Column, ShortcutsDialog, StatusDialog
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS
from tests.gui.translations import clipped, language, untranslated, visible_texts

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", r"does not support raise\(\)")

SHOTS = os.environ.get("LANCHAT_SCREENSHOT_DIR")


def _save(widget: QWidget, name: str) -> None:
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def _modal_texts(ask: Callable[[], object], name: str) -> dict[str, str]:
    """The texts of the modal dialog ``ask`` opens (then cancelled), as visible_texts gives them."""
    texts: dict[str, str] = {}

    def read_and_cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None, f"{name}: no dialog opened"
        texts.update(visible_texts(dialog))
        _save(dialog, name)
        problems.extend(clipped(dialog))
        dialog.close()

    problems: list[str] = []
    QTimer.singleShot(0, read_and_cancel)
    ask()
    assert problems == [], f"{name}: {problems}"
    return {f"{name}/{key}": text for key, text in texts.items()}


def _scene(qtbot, server: ChatServer, tmp_path: Path, tag: str) -> tuple[ServerWindow, dict[str, str]]:
    """A server window on ``server`` with alice selected, and every text of it and its dialogs."""
    window = ServerWindow(server, QSettings(str(tmp_path / f"{tag}.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.flush()
    window.session_proxy.sort(0)
    texts = visible_texts(window)
    proxy = window.session_proxy
    texts.update({f"state/{row}": str(proxy.index(row, Column.STATE).data()) for row in range(proxy.rowCount())})
    texts.update({f"row-tip/{row}": str(proxy.index(row, Column.NAME).data(Qt.ItemDataRole.ToolTipRole)).split("\n")[0]
                  for row in range(proxy.rowCount())})
    _save(window, f"server-window-connections-{tag}")
    connections = window.findChild(QTableView, "table")
    assert connections is not None
    connections.selectRow(0)  # alice: Kick and its tooltip name her
    window.flush()
    texts.update({f"selected/{key}": text for key, text in visible_texts(window).items()})
    window.show_rooms()
    window.rooms_panel.select_room("#dev")
    texts.update({f"rooms/{key}": text for key, text in visible_texts(window).items()})
    _save(window, f"server-window-{tag}")

    kick = KickConfirmation.build(window, "alice")
    kick.show()
    texts.update({f"kick/{key}": text for key, text in visible_texts(kick).items()})
    assert clipped(kick) == []
    _save(kick, f"kick-{tag}")
    kick.close()

    status = StatusDialog(window)
    status.show_report(server.status_report())
    status.show()
    qtbot.waitExposed(status)
    texts.update({f"status/{key}": text for key, text in visible_texts(status).items()})
    assert clipped(status) == []
    _save(status, f"status-{tag}")
    status.close()

    help_action = window.findChild(QAction, "shortcuts_action")
    assert help_action is not None
    help_action.trigger()  # Help → Keyboard shortcuts
    shortcuts = window.findChild(ShortcutsDialog)
    assert shortcuts is not None
    qtbot.waitExposed(shortcuts)
    texts.update({f"shortcuts/{key}": text for key, text in visible_texts(shortcuts).items()})
    texts.update({f"shortcuts/row{row}": what for row, (_keys, what) in enumerate(shortcuts.rows())})
    assert clipped(shortcuts) == []
    table = shortcuts.table  # every row in view, and each column as wide as its widest text
    assert not table.verticalScrollBar().isVisible() and not table.horizontalScrollBar().isVisible()
    assert all(table.columnWidth(column) >= table.sizeHintForColumn(column) for column in (0, 1))
    _save(shortcuts, f"shortcuts-{tag}")
    shortcuts.close()

    texts.update(_modal_texts(lambda: RoomQuestions.new_room(window), "new-room"))
    texts.update(_modal_texts(lambda: RoomQuestions.topic(window, "#dev", ""), "topic"))
    texts.update(_modal_texts(lambda: RoomQuestions.member(window, "#dev", ["alice"]), "remove"))
    texts.update(_modal_texts(lambda: RoomQuestions.invitee(window, "#dev"), "invite"))
    texts.update(_modal_texts(lambda: RoomQuestions.new_name(window, "#dev"), "rename"))
    texts.update(_modal_texts(lambda: RoomQuestions.close_room(window, "#dev"), "close-room"))
    return window, texts


def test_the_server_window_and_its_dialogs_are_all_german_and_nothing_is_clipped(qtbot, make_server, make_client,
                                                                                   tmp_path):
    server = make_server(db_path=str(tmp_path / "chat.sqlite3"))
    for name in ("alice", "bob", "carol"):
        make_client(server, name)
    assert server.kick("carol")  # a session that ended: its state is worded in the table too
    assert server.create_room("#dev") is None
    qtbot.waitUntil(lambda: server.online_count == 2, timeout=WAIT_MS)

    english_window, english = _scene(qtbot, server, tmp_path, "en")
    assert english_window.windowTitle().endswith("LAN Chat Server")
    with language("de"):
        german_window, german = _scene(qtbot, server, tmp_path, "de")

    address = f"127.0.0.1:{server.server_port}"
    names = ["alice", "bob", "#dev", "#lobby", server.settings.name, address, "127.0.0.1", "SHA-256", "CSV",
             "DNS-SD", "LAN", "main.py discover", "--retention-days", "--password-file", "$LANCHAT_PASSWORD"]
    assert untranslated(english, german, names) == []
    assert german_window.windowTitle() == f"2/3 online · erreichbar unter {address} — LAN-Chat-Server"
    assert len(german) > 150  # the walk saw the whole window and every dialog
    assert [german[f"state/{row}"] for row in range(3)] == ["online", "online", "hinausgeworfen"]
    assert german["row-tip/0"] == f"alice von {german_window.session_model.index(0, Column.ADDRESS).data()} (Lauf 1)"
    assert clipped(german_window) == []
    assert clipped(english_window) == []
    assert german["QStatusBar0/rate_label:text"] == "· 0,0 Nachr./s"  # German numbers
    # Both fit beside a client window on a 1024x768 screen: tests/gui/test_small_screen.py checks it in English and
    # in German (the German window needed 671 px with its first, longer words and one row of listening controls).


def test_the_message_rate_stays_german_when_the_clock_ticks(qtbot, make_server, tmp_path: Path) -> None:
    # The once-a-second tick wrote "· 0.0 msg/s" over the German "· 0,0 Nachr./s" (an untranslated f-string).
    server = make_server(max_clients=3)
    with language("de"):
        window = ServerWindow(server, QSettings(str(tmp_path / "tick.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.show()
        rate = window.findChild(QWidget, "rate_label")
        assert rate is not None
        with qtbot.waitSignal(window._tick_timer.timeout, timeout=WAIT_MS):
            pass
        assert rate.text() == "· 0,0 Nachr./s"  # type: ignore[attr-defined]
