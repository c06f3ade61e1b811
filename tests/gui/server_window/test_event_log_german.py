"""The German server window's event log after real events, and its banners for what the engine refused: German,
with names, addresses and message text as they are.

Set LANCHAT_GERMAN_SCREENSHOT to a file for the README's picture of the German window with its event log:

    LANCHAT_GERMAN_SCREENSHOT=docs/images/server-window-de.png \
        .venv/bin/pytest tests/gui/server_window/test_event_log_german.py -k joins
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtNetwork import QHostAddress, QTcpServer
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from chat_gui.server_window.window import ServerWindow
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from chat_server.core.rooms import Refusal, Refused
from tests.conftest import WAIT_MS
from tests.gui.translations import language
from tests.integration.test_rename import GRACE_MS, MakeRaw, MakeServer

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

README_SHOT = os.environ.get("LANCHAT_GERMAN_SCREENSHOT")


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
        if README_SHOT:
            qtbot.waitExposed(window)
            window.flush()
            window.grab().save(README_SHOT)
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


def test_a_port_already_taken_is_said_in_german_in_the_banner_and_the_log(
        qtbot: QtBot, tmp_path: Path, make_server: MakeServer) -> None:
    server = make_server()
    blocker = QTcpServer()
    assert blocker.listen(QHostAddress(QHostAddress.SpecialAddress.LocalHost), 0)
    try:
        with language("de"):
            window = _window(qtbot, server, tmp_path)
            with qtbot.waitSignal(server.stopped, timeout=WAIT_MS):
                window.stop()
            window.set_listen_options("localhost", blocker.serverPort(), 3)
            with qtbot.waitSignal(server.listen_failed, timeout=WAIT_MS) as failed:
                assert not window.start()
        error = window.findChild(QLabel, "error_label")
        assert isinstance(error, QLabel) and not error.isHidden()
        address = f"127.0.0.1:{blocker.serverPort()}"
        # The engine reports the kind; the window words it, without the system's own message.
        german = f"Kann nicht auf {address} lauschen: Dort lauscht schon ein anderes Programm (läuft der Server schon?)"
        assert error.text() == german and failed.args[0].detail not in german
        _wait_for(qtbot, window, [german])
    finally:
        blocker.close()


def test_a_refused_server_name_and_a_failed_export_are_said_in_german(
        qtbot: QtBot, tmp_path: Path, make_server: MakeServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server = make_server(name="Guter Name")
    target = tmp_path / "kein Ordner" / "sitzungen.csv"
    monkeypatch.setattr(ServerWindow, "ask_export_path", classmethod(lambda cls, parent, suggested: str(target)))
    with language("de"):
        window = _window(qtbot, server, tmp_path)
        edit = window.findChild(QLineEdit, "server_name_edit")
        assert isinstance(edit, QLineEdit)
        edit.setText("   ")
        edit.editingFinished.emit()
        assert window.export_csv() is None
        error = window.findChild(QLabel, "error_label")
        assert isinstance(error, QLabel)
        assert error.text() == "Der Name des Servers wurde nicht geändert: der Name eines Servers darf nicht leer sein"
        assert server.settings.name == "Guter Name"
        # The operating system's reason is its own (English here: the test runs under the C locale).
        _wait_for(qtbot, window, [f"Export nach {target} fehlgeschlagen: No such file or directory"])


def test_the_window_s_own_log_lines_are_german_and_so_are_the_engine_s_reasons_for_rooms(
        qtbot: QtBot, tmp_path: Path, make_server: MakeServer) -> None:
    # The engine's reasons for refusing a room action were quoted in English ("that room exists already").
    server = make_server()
    assert server.create_room("#dev") is None
    assert server.create_room("#dev") == Refused(Refusal.ROOM_EXISTS)  # a code: the window words it
    with language("de"):
        window = _window(qtbot, server, tmp_path)
        field = window.findChild(QLineEdit, "password_edit")
        assert isinstance(field, QLineEdit)
        field.setText("lass mich rein")
        field.editingFinished.emit()
        window.rooms_panel.create_requested.emit("#dev", False)
        window.rooms_panel.create_requested.emit("#team lead", False)
        window.rooms_panel.rename_requested.emit("#dev", "#lobby")
        window.rooms_panel.topic_requested.emit("#dev", "Glocke \x07")
        window.rooms_panel.invite_requested.emit("niemand", "#dev")
        _wait_for(qtbot, window, [
            "Passwort gesetzt: Neue Mitglieder müssen es angeben",
            "Raum #dev nicht erstellt: diesen Raum gibt es schon",
            "Raum #team lead nicht erstellt: ein Raumname ist # und 1 bis 32 Zeichen aus a-z, 0-9, - und _ "
            "(nicht '#team lead')",
            "Raum #dev nicht umbenannt: diesen Raum gibt es schon",
            "Thema von #dev nicht gesetzt: ein Thema darf keine Steuerzeichen enthalten",
            "niemand nicht in #dev eingeladen: niemand ist hier kein Mitglied"])
    assert server.has_password

