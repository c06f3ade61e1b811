"""Fixtures shared by the client window's tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
import shiboken6
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from chat_gui.client_window.window import ClientWindow
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, stop_clients
from tests.gui.client_window.v2_server import ScriptedServer

TRANSFER_WAIT_MS = 30_000
"""A transfer of tens of megabytes on a loaded machine."""


def connected_window(qtbot: QtBot, port: int, settings: Path, name: str, opened: list[ClientWindow]) -> ClientWindow:
    """A client window with its settings in ``settings``, shown and welcomed as ``name`` by the server on ``port``
    (loopback), that never reconnects by itself; added to ``opened`` (whose clients the fixture stops)."""
    window = ClientWindow(settings=QSettings(str(settings), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.client.auto_reconnect = False
    window.show()
    opened.append(window)
    with qtbot.waitSignal(window.client.welcomed, timeout=WAIT_MS):
        window.connect_to("127.0.0.1", port, name)
    return window


@pytest.fixture
def trio(qtbot: QtBot, server: ChatServer, tmp_path: Path) -> Iterator[list[ClientWindow]]:
    """alice, bob and carol: three client windows connected to ``server``, each seeing all three."""
    opened: list[ClientWindow] = []
    for name in ("alice", "bob", "carol"):
        connected_window(qtbot, server.server_port, tmp_path / f"{name}.ini", name, opened)
    qtbot.waitUntil(lambda: opened[0].members.names == ["alice", "bob", "carol"], timeout=WAIT_MS)
    yield opened
    stop_clients(window.client for window in opened)


@pytest.fixture
def offline_window(qtbot: QtBot, tmp_path: Path) -> Iterator[Callable[[str], ClientWindow]]:
    """Open a client window (``tag``: its settings file), shown and offline, that never reconnects by itself."""
    windows: list[ClientWindow] = []

    def make(tag: str) -> ClientWindow:
        window = ClientWindow(settings=QSettings(str(tmp_path / f"{tag}.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.client.auto_reconnect = False
        window.show()
        windows.append(window)
        return window

    yield make
    stop_clients(window.client for window in windows if shiboken6.isValid(window.client))


@pytest.fixture
def scripted(qtbot: QtBot) -> Iterator[ScriptedServer]:
    """A scripted server that speaks rooms (#lobby, #dev, #ops), on a real socket."""
    server = ScriptedServer(qtbot, rooms=("#lobby", "#dev", "#ops"))
    yield server
    server.close()


@pytest.fixture
def open_window(qtbot: QtBot, tmp_path: Path) -> Iterator[Callable[..., ClientWindow]]:
    """Open a client window speaking version 2, connected to a scripted server as ``name`` (alice)."""
    windows: list[ClientWindow] = []

    def make(server: ScriptedServer, name: str = "alice") -> ClientWindow:
        window = ClientWindow(settings=QSettings(str(tmp_path / f"c{len(windows)}.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.client.auto_reconnect = False
        window.client.protocol_version = p.ROOMS_VERSION
        windows.append(window)
        window.show()
        with qtbot.waitSignal(window.client.welcomed, timeout=WAIT_MS):
            window.connect_to("127.0.0.1", server.port, name)
        return window

    yield make
    for window in windows:
        window.client.auto_reconnect = False
        window.client.abort()
    stop_clients(window.client for window in windows)


class Windows(NamedTuple):
    """Two client windows of alice (one member: the same name and client id, each its own instance) and carol's."""

    a: ClientWindow  # alice's first window
    b: ClientWindow  # alice's second window: the same settings (so the same client id), another instance
    carol: ClientWindow


@pytest.fixture
def windows(qtbot: QtBot, server: ChatServer, tmp_path: Path) -> Iterator[Windows]:
    """carol, then alice in two windows, connected to ``server``; carol sees one alice."""
    opened: list[ClientWindow] = []
    carol = connected_window(qtbot, server.server_port, tmp_path / "carol.ini", "carol", opened)
    a, b = (connected_window(qtbot, server.server_port, tmp_path / "alice.ini", "alice", opened) for _ in range(2))
    assert a.client.client_id == b.client.client_id and a.client.session.instance != b.client.session.instance
    qtbot.waitUntil(lambda: carol.members.names == ["carol", "alice"], timeout=WAIT_MS)
    yield Windows(a, b, carol)
    stop_clients(made.client for made in opened)


class Pair(NamedTuple):
    """alice and bob, each in a client window, and their server."""

    alice: ClientWindow
    bob: ClientWindow
    server: ChatServer


@pytest.fixture
def pair(qtbot: QtBot, make_server: Callable[..., ChatServer], tmp_path: Path) -> Iterator[Pair]:
    """alice and bob in client windows on a server that keeps its files beside its database in ``tmp_path``; each
    window's cache folder (thumbnails, Open) and pending transfers in ``tmp_path`` too."""
    server = make_server(db_path=str(tmp_path / "chat.sqlite3"))
    opened: list[ClientWindow] = []
    for name in ("alice", "bob"):
        window = connected_window(qtbot, server.server_port, tmp_path / f"{name}.ini", name, opened)
        window.files.cache_folder = tmp_path / f"{name}-cache"
        window.client.files.folder = tmp_path / f"{name}-data"
    qtbot.waitUntil(lambda: opened[0].members.names == ["alice", "bob"], timeout=WAIT_MS)
    yield Pair(opened[0], opened[1], server)
    stop_clients(window.client for window in opened)
