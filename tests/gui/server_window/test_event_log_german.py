"""The German server window's event log after real events: its lines are German, names and text as they are."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from chat_gui.server_window.window import ServerWindow
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS
from tests.gui.translations import language
from tests.integration.test_rename import GRACE_MS, MakeRaw, MakeServer

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _texts(window: ServerWindow) -> list[str]:
    """The log's lines without their time (``12:00:01  alice joined`` → ``alice joined``)."""
    return [line.split("  ", 1)[1] for line in window.event_log.lines()]


def _wait_for(qtbot: QtBot, window: ServerWindow, expected: list[str]) -> None:
    """Wait until the log has each of ``expected`` as a whole line, in that order."""
    def check() -> None:
        texts = _texts(window)
        assert all(line in texts for line in expected), texts
        assert [texts.index(line) for line in expected] == sorted(texts.index(line) for line in expected), texts

    qtbot.waitUntil(check, timeout=WAIT_MS)


def _window(qtbot: QtBot, server: ChatServer, tmp_path: Path) -> ServerWindow:
    window = ServerWindow(server, QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_german_event_log_words_joins_renames_leaves_kicks_notices_and_rooms_in_german(
        qtbot: QtBot, tmp_path: Path, make_server: MakeServer, make_client, make_raw: MakeRaw) -> None:
    server = make_server(join_grace_ms=GRACE_MS)
    with language("de"):
        window = _window(qtbot, server, tmp_path)
        alice = make_client(server, "alice")
        make_client(server, "bob")
        with qtbot.waitSignal(server.member_joined, timeout=WAIT_MS) as joined:
            late = make_raw(server)  # announced under its assigned name after the grace, then renamed
        assigned = joined.args[0]
        with qtbot.waitSignal(server.member_renamed, timeout=WAIT_MS):
            late.send(p.encode(p.Hello(name="Rita")))
        assert server.send_notice("Wartung um 18 Uhr")
        assert server.send_notice("Bitte langsamer", to="alice")
        assert server.create_room("#dev") is None
        with qtbot.waitSignal(server.member_left, timeout=WAIT_MS):
            assert server.kick("bob")
        with qtbot.waitSignal(server.member_left, timeout=WAIT_MS):
            alice.exit()
        _wait_for(qtbot, window, [
            "alice ist beigetreten · 1 online",
            "bob ist beigetreten · 2 online",
            f"{assigned} ist beigetreten · 3 online",
            f"{assigned} heißt jetzt Rita",
            "Hinweis an alle: Wartung um 18 Uhr",
            "Hinweis an alice: Bitte langsamer",
            "der Betreiber hat #dev erstellt",
            "bob wurde hinausgeworfen · 2 online",
            "alice ist gegangen · 1 online",
        ])
        with qtbot.waitSignal(server.stopped, timeout=WAIT_MS):
            window.stop()
        _wait_for(qtbot, window, ["Nicht mehr erreichbar; 1 Mitglied wird getrennt",
                                  "Rita getrennt (Server gestoppt) · 0 online"])
        assert window.start()
        _wait_for(qtbot, window, [f"Erreichbar unter 127.0.0.1:{server.server_port} "
                                  f"(höchstens {server.max_clients} Mitglieder; unverschlüsselt)"])
    # The English catalogue again: the same kinds of lines in English, as before.
    make_client(server, "carol")
    _wait_for(qtbot, window, ["carol joined · 1 online"])
