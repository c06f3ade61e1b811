"""The server window's CSV export when the file cannot be written: said in the log, nothing remembered."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from chat_gui.server_window import ServerWindow
from chat_server.engine import ChatServer
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
