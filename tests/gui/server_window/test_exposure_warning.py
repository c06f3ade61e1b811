"""The server window's warning that the chat is readable by anyone on the network: the decision, and the label
while listening. No test listens on every interface: the engine below reports the host it would have."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from chat_gui.server_window.listen_controls import EXPOSED_AT_START, EXPOSED_NOW, exposure_warning_text
from chat_gui.server_window.window import ServerWindow
from chat_server.core.engine import ChatServer
from chat_server.store.sqlite import SqliteStore
from tests.conftest import TEST_SETTINGS, WAIT_MS

T = TypeVar("T", bound=QObject)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

ALL_INTERFACES = ["0.0.0.0", "::", "any", "ANY", "*", "", " 0.0.0.0 "]
ONE_INTERFACE = ["127.0.0.1", "::1", "localhost", "192.168.1.20", "fe80::1"]


def test_the_two_warnings_word_for_word() -> None:
    assert EXPOSED_NOW == ("Anyone on your network can read this chat: the server listens on all interfaces "
                           "without TLS. Stop, tick TLS and Start again to encrypt it.")
    assert EXPOSED_AT_START == ("Listening on all interfaces without TLS lets anyone on your network read the "
                                "chat: tick TLS to encrypt it.")


@pytest.mark.parametrize("host", ALL_INTERFACES)
def test_all_interfaces_without_tls_is_warned_of(host: str) -> None:
    assert exposure_warning_text(listening=True, host=host, tls=False) == EXPOSED_NOW
    assert exposure_warning_text(listening=False, host=host, tls=False) == EXPOSED_AT_START


@pytest.mark.parametrize("host", ALL_INTERFACES + ONE_INTERFACE)
def test_tls_needs_no_warning(host: str) -> None:
    assert exposure_warning_text(listening=True, host=host, tls=True) == ""
    assert exposure_warning_text(listening=False, host=host, tls=True) == ""


@pytest.mark.parametrize("host", ONE_INTERFACE)
def test_one_interface_needs_no_warning(host: str) -> None:
    assert exposure_warning_text(listening=True, host=host, tls=False) == ""
    assert exposure_warning_text(listening=False, host=host, tls=False) == ""


class ReportedHost(ChatServer):
    """Listens on loopback like any test engine, but reports ``reported_host`` as where it listens."""

    reported_host = "0.0.0.0"

    @property
    def server_host(self) -> str:
        return self.reported_host


@pytest.fixture
def engine(qtbot: QtBot, tmp_path: Path) -> Iterator[ReportedHost]:
    settings = replace(TEST_SETTINGS, tls_folder=str(tmp_path / "data"))  # a certificate for TLS
    server = ReportedHost(settings, SqliteStore())
    yield server
    if server.is_listening:
        with qtbot.waitSignal(server.stopped, timeout=WAIT_MS):
            server.stop()
    server.deleteLater()


def _window(qtbot: QtBot, engine: ChatServer, tmp_path: Path) -> ServerWindow:
    window = ServerWindow(engine, QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.set_listen_options("127.0.0.1", 0, 3)  # what it really listens on
    window.show()
    return window


def _find(window: ServerWindow, kind: type[T], name: str) -> T:
    widget = window.findChild(kind, name)
    assert widget is not None, f"no {kind.__name__} named {name!r}"
    return widget


def _start(qtbot: QtBot, window: ServerWindow, engine: ChatServer) -> None:
    with qtbot.waitSignal(engine.listening_changed, timeout=WAIT_MS):
        qtbot.mouseClick(_find(window, QPushButton, "start_button"), Qt.MouseButton.LeftButton)


def test_the_label_warns_while_listening_on_all_interfaces_without_tls(
        qtbot: QtBot, engine: ReportedHost, tmp_path: Path) -> None:
    window = _window(qtbot, engine, tmp_path)
    warning = _find(window, QLabel, "warning_label")
    assert not warning.isVisible()  # 127.0.0.1 chosen: nothing to warn of yet
    _start(qtbot, window, engine)
    assert engine.is_listening and engine.server_host == "0.0.0.0" and not engine.tls
    assert warning.isVisible() and warning.text() == EXPOSED_NOW
    assert window.exposure_warning() == EXPOSED_NOW


def test_no_label_while_listening_on_all_interfaces_with_tls(
        qtbot: QtBot, engine: ReportedHost, tmp_path: Path) -> None:
    window = _window(qtbot, engine, tmp_path)
    _find(window, QCheckBox, "tls_check").setChecked(True)
    _start(qtbot, window, engine)
    assert engine.tls
    warning = _find(window, QLabel, "warning_label")
    assert not warning.isVisible() and window.exposure_warning() == ""


def test_no_label_while_listening_on_loopback(qtbot: QtBot, engine: ReportedHost, tmp_path: Path) -> None:
    engine.reported_host = "127.0.0.1"
    window = _window(qtbot, engine, tmp_path)
    _start(qtbot, window, engine)
    assert not _find(window, QLabel, "warning_label").isVisible() and window.exposure_warning() == ""
