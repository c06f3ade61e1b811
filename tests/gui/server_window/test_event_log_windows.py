"""The server window's event log when a member opens and closes another window: its own lines, apart from the
member's join and leave (which the other members are told of once), in English and in German."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.conftest import WAIT_MS
from tests.gui.server_window.test_event_log_german import _wait_for, _window
from tests.gui.translations import language
from tests.integration.test_names import _client, _join
from tests.integration.test_rename import MakeServer

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.mark.parametrize(("lang", "lines"), [
    ("en", ["alice joined · 1 online", "alice opened another window · 2 windows open",
            "One window: alice left · 1 window still open", "alice left · 0 online"]),
    ("de", ["alice ist beigetreten · 1 online", "alice hat ein weiteres Fenster geöffnet · 2 Fenster offen",
            "Ein Fenster: alice ist gegangen · noch 1 Fenster offen", "alice ist gegangen · 0 online"]),
])
def test_another_window_opened_and_closed_has_its_own_lines_in_the_log(
        qtbot: QtBot, tmp_path: Path, make_server: MakeServer, lang: str, lines: list[str]) -> None:
    server = make_server()
    with language(lang):
        window = _window(qtbot, server, tmp_path)
        first, second = _client("alice-id"), _client("alice-id")  # one member, two windows (two instances)
        _join(qtbot, server, first, "alice")
        with qtbot.waitSignal(server.window_opened, timeout=WAIT_MS) as opened:
            _join(qtbot, server, second, "alice")
        assert opened.args == ["alice", 2]
        with qtbot.waitSignal(server.window_closed, timeout=WAIT_MS) as closed:
            second.exit()
        assert closed.args == ["alice", "exit", 1]
        with qtbot.waitSignal(server.member_left, timeout=WAIT_MS):
            first.exit()
        _wait_for(qtbot, window, lines)
