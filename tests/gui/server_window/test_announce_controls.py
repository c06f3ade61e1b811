"""The server window's name field and "Announce on the network" box (issue 19): they reach the engine at once,
the window remembers them, a bad name is refused, and unticking the box withdraws the announcement."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from chat_gui.server_window.settings_panel import SettingsKey
from chat_gui.server_window.window import ServerWindow
from chat_server.assembly import ServerAdvertising
from chat_server.core import ChatServer
from chat_server.net.announcer import host_label
from chat_server.settings import default_server_name

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")
REGISTERED_S = 10.0


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot: QtBot, settings: QSettings) -> Callable[[ChatServer], ServerWindow]:
    def make(server: ChatServer) -> ServerWindow:
        window = ServerWindow(server, settings)
        qtbot.addWidget(window)
        window.show()
        return window

    return make


def _name_edit(window: ServerWindow) -> QLineEdit:
    edit = window.findChild(QLineEdit, "server_name_edit")
    assert isinstance(edit, QLineEdit)
    return edit


def _announce_check(window: ServerWindow) -> QCheckBox:
    check = window.findChild(QCheckBox, "announce_check")
    assert isinstance(check, QCheckBox)
    return check


def _type_name(edit: QLineEdit, name: str) -> None:
    edit.setText(name)
    edit.editingFinished.emit()


def test_the_fields_show_the_engine_s_settings_and_change_them(
        make_server: Callable[..., ChatServer], make_window: Callable[[ChatServer], ServerWindow],
        settings: QSettings) -> None:
    server = make_server()
    window = make_window(server)
    assert _name_edit(window).text() == default_server_name()
    assert _announce_check(window).isChecked()
    _type_name(_name_edit(window), "  Second floor ")
    assert server.settings.name == "Second floor"
    _announce_check(window).setChecked(False)
    assert not server.settings.advertise
    assert settings.value(SettingsKey.NAME) == "Second floor"
    assert str(settings.value(SettingsKey.ANNOUNCE)).lower() == "false"


def test_the_window_remembers_them_for_the_next_run(
        make_server: Callable[..., ChatServer], make_window: Callable[[ChatServer], ServerWindow],
        settings: QSettings) -> None:
    settings.setValue(SettingsKey.NAME, "Kept from last time")
    settings.setValue(SettingsKey.ANNOUNCE, False)
    server = make_server()
    window = make_window(server)
    assert (_name_edit(window).text(), _announce_check(window).isChecked()) == ("Kept from last time", False)
    assert (server.settings.name, server.settings.advertise) == ("Kept from last time", False)


def test_a_name_given_on_the_command_line_wins_over_the_remembered_one(
        make_server: Callable[..., ChatServer], make_window: Callable[[ChatServer], ServerWindow],
        settings: QSettings) -> None:
    settings.setValue(SettingsKey.NAME, "Kept from last time")
    server = make_server(name="From --name")
    window = make_window(server)
    assert _name_edit(window).text() == "From --name"
    assert server.settings.name == "From --name"


def test_a_name_that_cannot_be_announced_is_refused_and_undone(
        make_server: Callable[..., ChatServer], make_window: Callable[[ChatServer], ServerWindow]) -> None:
    server = make_server(name="Good name")
    window = make_window(server)
    _type_name(_name_edit(window), "   ")
    error = window.findChild(QLabel, "error_label")
    assert isinstance(error, QLabel)
    assert error.isVisible()
    assert error.text() == "The server's name was not changed: a server's name cannot be empty"
    assert _name_edit(window).text() == "Good name" and server.settings.name == "Good name"
    _type_name(_name_edit(window), "Better name")
    assert not error.isVisible() and server.settings.name == "Better name"


def test_unticking_the_box_withdraws_the_announcement_and_ticking_it_announces_again(
        make_server: Callable[..., ChatServer], make_window: Callable[[ChatServer], ServerWindow]) -> None:
    server = make_server(advertise_loopback=True, name="Window test")
    advertising = ServerAdvertising(server)
    try:
        window = make_window(server)
        first = advertising.announcer
        assert first is not None and first.wait_registered(REGISTERED_S)
        _announce_check(window).setChecked(False)
        assert advertising.announcer is None
        assert first.wait(), "the goodbye was not sent within 1 s"
        _announce_check(window).setChecked(True)
        again = advertising.announcer
        assert again is not None and again is not first and again.wait_registered(REGISTERED_S)
        assert again.service_name == f"Window test ({host_label()}:{server.server_port})._lanchat._tcp.local."
    finally:
        advertising.close()


def test_closing_the_window_withdraws_the_announcement(
        qtbot: QtBot, make_server: Callable[..., ChatServer],
        make_window: Callable[[ChatServer], ServerWindow]) -> None:
    server = make_server(advertise_loopback=True, name="Closing window")
    advertising = ServerAdvertising(server)
    try:
        window = make_window(server)
        announcer = advertising.announcer
        assert announcer is not None and announcer.wait_registered(REGISTERED_S)
        with qtbot.waitSignal(server.stopped, timeout=5000):
            window.close()
        assert advertising.announcer is None
        assert announcer.wait(), "the goodbye was not sent within 1 s"
    finally:
        advertising.close()
