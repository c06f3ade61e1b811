"""The client window's "Servers on this network": the model, and the live list with real zeroconf on 127.0.0.1."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from pytestqt.qtbot import QtBot

from chat_gui.client import KnownServers, ServerBrowser
from chat_gui.client.engine import ClientState
from chat_gui.client_window.server_list import Column, ServerListModel
from chat_gui.client_window.server_rows import RecentServer
from chat_gui.client_window.window import ClientWindow
from chat_server.core.engine import ChatServer
from chat_server.protocol.discovery import Announcement
from tests.conftest import WAIT_MS, stop_clients
from tests.gui.announcing import LOST_MS, unique
from tests.integration.test_headless import read_port, start_headless, stop_process

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

SERVER_FOUND_MS = 20000  # a headless server starts, probes for its name (about 1.5 s) and announces itself
PINNED = ":".join(["AB"] * 32)
FORGED = ":".join(["CD"] * 32)


def texts(model: ServerListModel, row: int) -> list[str]:
    return [model.index(row, column).data() for column in Column]


def test_the_model_shows_each_server_and_marks_the_suspicious_one(qtbot: QtBot, qtmodeltester) -> None:
    pinned = {("192.0.2.7", 4242): PINNED}
    model = ServerListModel(lambda host, port: pinned.get((host, port)))
    warning = QPixmap(8, 8)
    warning.fill(QColor("orange"))
    model.warning_icon = QIcon(warning)
    qtmodeltester.check(model)  # and it keeps watching every change below
    model.set_recent([RecentServer("192.0.2.9", 5000, False, "Old lab")])
    forged = Announcement(name="Team", host="192.0.2.7", port=4242, version=2, tls=True, fingerprint=FORGED,
                          password=True, online=3, limit=50)
    model.found(forged)
    model.found(Announcement(name="Open", host="192.0.2.8", port=4242, version=2, tls=False, fingerprint=None,
                             password=False, online=0, limit=0))
    assert texts(model, 0) == ["Old lab", "192.0.2.9:5000", "none", "", "not seen now"]
    assert texts(model, 1) == ["Team", "192.0.2.7:4242", "⚠ TLS CD:CD:CD:CD…", "yes", "3/50"]
    assert texts(model, 2) == ["Open", "192.0.2.8:4242", "none", "no", "0"]
    tooltip = model.index(1, Column.ONLINE).data(Qt.ItemDataRole.ToolTipRole)
    assert f"announcement gives the certificate SHA-256 {FORGED}" in tooltip and PINNED in tooltip
    assert model.index(1, Column.NAME).data(Qt.ItemDataRole.DecorationRole).cacheKey() == model.warning_icon.cacheKey()
    assert model.index(2, Column.NAME).data(Qt.ItemDataRole.DecorationRole) is None

    model.found(Announcement(name="Team", host="192.0.2.7", port=4242, version=2, tls=True, fingerprint=PINNED,
                             password=True, online=4, limit=50))
    assert texts(model, 1) == ["Team", "192.0.2.7:4242", "TLS AB:AB:AB:AB…", "yes", "4/50"]
    model.lost("192.0.2.7:4242")
    model.lost("192.0.2.9:5000")  # not live: nothing to lose
    assert [texts(model, row)[0] for row in range(model.rowCount())] == ["Old lab", "Open"]
    model.set_recent([RecentServer("192.0.2.8", 4242, False, "Open"), RecentServer("192.0.2.1", 1, True, "New")])
    assert [texts(model, row)[0] for row in range(model.rowCount())] == ["Open", "New"]  # "Old lab" forgotten


@pytest.fixture
def make_window(qtbot: QtBot, tmp_path: Path) -> Iterator[Callable[[], ClientWindow]]:
    windows: list[ClientWindow] = []

    def open_window() -> ClientWindow:
        settings = QSettings(str(tmp_path / "client.ini"), QSettings.Format.IniFormat)
        window = ClientWindow(settings=settings, browser=ServerBrowser(interfaces=["127.0.0.1"]))
        window.client.known_servers = KnownServers(tmp_path / "known_servers.json")
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        return window

    yield open_window
    stop_clients(window.client for window in windows)
    for window in windows:
        window.server_list.set_active(False)


def row_of(window: ClientWindow, port: int) -> int | None:
    return window.server_list.model.state.index_of(f"127.0.0.1:{port}")


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., tuple[subprocess.Popen[str], int]]]:
    """A real headless server announcing itself on 127.0.0.1 (``--advertise``)."""
    processes: list[subprocess.Popen[str]] = []

    def start(*args: str) -> tuple[subprocess.Popen[str], int]:
        process = start_headless("--port", "0", "--advertise", "--db", ":memory:", *args,
                                 env={"XDG_DATA_HOME": str(tmp_path / "xdg")})
        processes.append(process)
        return process, read_port(process)

    yield start
    for process in processes:
        stop_process(process)


def test_the_list_shows_a_server_that_starts_connects_from_it_and_drops_it_when_it_stops(
        qtbot: QtBot, start_server: Callable[..., tuple[subprocess.Popen[str], int]],
        make_window: Callable[[], ClientWindow]) -> None:
    window = make_window()
    browser = window.browser
    assert browser is not None
    qtbot.waitUntil(lambda: browser.running, timeout=WAIT_MS)  # once the event loop has run
    name, other_name = unique("Team chat"), unique("Other")
    chat, port = start_server("--name", name, "--max-clients", "50")
    other, other_port = start_server("--name", other_name)
    model = window.server_list.model
    qtbot.waitUntil(lambda: row_of(window, port) is not None and row_of(window, other_port) is not None,
                    timeout=SERVER_FOUND_MS)
    row = row_of(window, port)
    assert row is not None
    assert texts(model, row) == [name, f"127.0.0.1:{port}", "none", "no", "0/50"]
    assert window.server_list.isVisible()

    # Enter on the row connects, filling the address in (the name field is the user's own and stays).
    window.name_edit.setText("Alice")
    window.server_list.view.setCurrentIndex(model.index(row, 0))
    with qtbot.waitSignal(window.client.welcomed, timeout=WAIT_MS):
        qtbot.keyClick(window.server_list.view, Qt.Key.Key_Return)
    assert (window.host_edit.text(), window.port_spin.value(), window.tls_check.isChecked()) == (
        "127.0.0.1", port, False)
    assert window.client.name == "Alice"
    assert not window.server_list.isVisible() and not browser.running  # no asking while connected

    with qtbot.waitSignal(window.client.state_changed, timeout=WAIT_MS,
                          check_params_cb=lambda state: state == ClientState.OFFLINE.value):
        window.client.exit()
    assert window.server_list.isVisible()
    qtbot.waitUntil(lambda: browser.running, timeout=WAIT_MS)

    def shown(port: int) -> list[str]:
        row = row_of(window, port)
        return [] if row is None else texts(model, row)

    # (Rows keep their place while shown; stopping the browser while connected dropped the others.)
    qtbot.waitUntil(lambda: shown(other_port) != [] and shown(port)[Column.ONLINE] == "0/50", timeout=SERVER_FOUND_MS)

    # Both stop: the one never used goes, the one just used stays as a recent one, not seen now.
    stop_process(other)
    stop_process(chat)
    qtbot.waitUntil(lambda: row_of(window, other_port) is None, timeout=LOST_MS)
    qtbot.waitUntil(lambda: shown(port)[Column.ONLINE] == "not seen now", timeout=LOST_MS)
    assert shown(port)[:2] == [name, f"127.0.0.1:{port}"]


def test_the_last_servers_used_are_remembered_and_a_double_click_connects(
        qtbot: QtBot, server: ChatServer, make_window: Callable[[], ClientWindow]) -> None:
    first = make_window()
    with qtbot.waitSignal(first.client.welcomed, timeout=WAIT_MS):
        first.host_edit.setText("127.0.0.1")
        first.port_spin.setValue(server.server_port)
        first.connect_button.click()  # typed by hand: remembered too
    first.client.exit()

    second = make_window()  # the same settings file
    model = second.server_list.model
    row = row_of(second, server.server_port)
    assert row is not None
    assert texts(model, row) == [f"127.0.0.1:{server.server_port}", f"127.0.0.1:{server.server_port}", "none", "",
                                 "not seen now"]
    second.host_edit.setText("elsewhere.invalid")
    view = second.server_list.view
    qtbot.waitExposed(second)
    rect = view.visualRect(model.index(row, Column.ADDRESS))
    with qtbot.waitSignal(second.client.welcomed, timeout=WAIT_MS):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # as a person does it
    assert second.client.port == server.server_port and second.host_edit.text() == "127.0.0.1"


def test_closing_the_window_stops_looking(qtbot: QtBot, make_window: Callable[[], ClientWindow]) -> None:
    window = make_window()
    browser = window.browser
    assert browser is not None
    qtbot.waitUntil(lambda: browser.running, timeout=WAIT_MS)
    window.close()
    assert not browser.running  # zeroconf's sockets and thread are closed
