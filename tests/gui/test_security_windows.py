"""TLS, the password and names through the windows: what the operator and the members see and do."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient, ClientState
from chat_gui.client.pinning import KnownServers, TrustQuestion
from chat_gui.client_window.password_dialog import PasswordDialog
from chat_gui.client_window.transcript import EntryKind
from chat_gui.client_window.trust_dialog import TrustDialog
from chat_gui.client_window.window import ClientWindow
from chat_gui.server_window.window import ServerWindow
from chat_gui.widgets.session_model import Column
from chat_server.core.engine import ChatServer
from chat_server.store.sqlite import SqliteStore
from tests.conftest import TEST_SETTINGS, WAIT_MS, RawClient, stop_clients

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")


@pytest.fixture
def engine(qtbot: QtBot, tmp_path: Path) -> Iterator[ChatServer]:
    """A server engine not yet listening: the server window starts it, with a data folder for a certificate."""
    server = ChatServer(replace(TEST_SETTINGS, tls_folder=str(tmp_path / "data")), SqliteStore())
    yield server
    if server.is_listening or server.online_count:
        with qtbot.waitSignal(server.stopped, timeout=WAIT_MS):
            server.stop()
    server.deleteLater()


@pytest.fixture
def server_window(qtbot: QtBot, engine: ChatServer, tmp_path: Path) -> ServerWindow:
    window = ServerWindow(engine, QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.set_listen_options("127.0.0.1", 0, 3)
    window.show()
    return window


@pytest.fixture
def client_window(qtbot: QtBot, tmp_path: Path) -> Iterator[Callable[..., ClientWindow]]:
    windows: list[ClientWindow] = []

    def make(settings_file: str = "client.ini") -> ClientWindow:
        window = ClientWindow(settings=QSettings(str(tmp_path / settings_file), QSettings.Format.IniFormat))
        window.client.known_servers = KnownServers(tmp_path / "known_servers.json")
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    stop_clients(window.client for window in windows)


def find(window: object, kind: type, name: str) -> Any:
    widget = window.findChild(kind, name)  # type: ignore[attr-defined]
    assert widget is not None, f"no {kind.__name__} named {name!r}"
    return widget


def connect_by_hand(qtbot: QtBot, window: ClientWindow, port: int, name: str = "", tls: bool = False) -> None:
    """Fill the connect panel and press Connect, as a user does."""
    window.host_edit.setText("127.0.0.1")
    window.port_spin.setValue(port)
    window.name_edit.setText(name)
    window.tls_check.setChecked(tls)
    qtbot.mouseClick(window.connect_button, Qt.MouseButton.LeftButton)


def test_tls_from_the_server_windows_box_to_a_client_window_that_pins_the_fingerprint(
        qtbot: QtBot, engine: ChatServer, server_window: ServerWindow,
        client_window: Callable[..., ClientWindow], monkeypatch: pytest.MonkeyPatch) -> None:
    qtbot.mouseClick(find(server_window, QCheckBox, "tls_check"), Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(engine.listening_changed, timeout=WAIT_MS):
        qtbot.mouseClick(find(server_window, QPushButton, "start_button"), Qt.MouseButton.LeftButton)
    fingerprint = engine.tls_fingerprint
    assert engine.tls and len(fingerprint.split(":")) == 32
    shown = find(server_window, QLabel, "fingerprint_label")
    assert shown.isVisible() and fingerprint in shown.text()
    assert "encrypted (TLS)" in find(server_window, QLabel, "state_label").text()
    assert not find(server_window, QCheckBox, "tls_check").isEnabled()  # it applies at Start

    questions: list[TrustQuestion] = []
    answers = [False, True, False]  # cancel the first time, trust the second, refuse the changed one

    def ask(cls: type, parent: object, question: TrustQuestion) -> bool:
        questions.append(question)
        return answers.pop(0)

    monkeypatch.setattr(TrustDialog, "ask", classmethod(ask))
    alice = client_window()
    first_contact = TrustQuestion("127.0.0.1", engine.server_port, fingerprint, None)
    # Asked after the handshake was declined (a person must not hold it up), not during it.
    with qtbot.waitSignal(alice.client.disconnected, timeout=WAIT_MS) as declined:
        connect_by_hand(qtbot, alice, engine.server_port, "alice", tls=True)
    assert declined.args[0] == "untrusted"
    qtbot.waitUntil(lambda: questions == [first_contact], timeout=WAIT_MS)
    assert alice.state_label.text() == (f"Not connected: the certificate of 127.0.0.1:{engine.server_port} was "
                                        f"not accepted (SHA-256 {fingerprint}).")
    assert alice.client.known_servers.get("127.0.0.1", engine.server_port) is None
    # Trusted on the second try: remembered, and the window connects again by itself.
    with qtbot.waitSignal(alice.client.welcomed, timeout=WAIT_MS):
        qtbot.mouseClick(alice.connect_button, Qt.MouseButton.LeftButton)
    assert questions == [first_contact, first_contact]
    assert alice.client.server_fingerprint == fingerprint
    assert alice.client.known_servers.get("127.0.0.1", engine.server_port) == fingerprint
    assert any(f"Trusted the certificate of 127.0.0.1:{engine.server_port} (SHA-256 {fingerprint})" in line
               for line in alice.transcript_lines())
    with qtbot.waitSignal(alice.client.message_acked, timeout=WAIT_MS):
        alice.send_message("over TLS from a window")
    assert engine.store.recent(1)[0].text == "over TLS from a window"

    # The server is later seen with another certificate: refused loudly, nothing sent, no reconnecting.
    alice.client.known_servers.remember("127.0.0.1", engine.server_port, "00:11:22")
    with qtbot.waitSignal(alice.client.disconnected, timeout=WAIT_MS):
        alice.client.abort()
    with qtbot.waitSignal(alice.client.disconnected, timeout=WAIT_MS) as refused:
        qtbot.mouseClick(alice.connect_button, Qt.MouseButton.LeftButton)
    assert refused.args[0] == "untrusted"
    qtbot.waitUntil(lambda: len(questions) == 3, timeout=WAIT_MS)
    assert questions[-1].changed and questions[-1].known == "00:11:22"
    assert any("DIFFERENT certificate" in line for line in alice.transcript_lines())
    state = alice.state_label.text()
    assert "DIFFERENT certificate" in state and "00:11:22" in state and fingerprint in state
    assert not alice.client.reconnect_pending


def test_a_warning_when_the_chat_would_be_readable_by_anyone_on_the_network(server_window: ServerWindow) -> None:
    warning = find(server_window, QLabel, "warning_label")
    assert not warning.isVisible()
    hosts = find(server_window, QComboBox, "host_combo")
    hosts.setCurrentIndex(hosts.findData("any"))
    assert warning.isVisible()
    assert warning.text() == ("Listening on all interfaces without TLS lets anyone on your network read the chat: "
                              "tick TLS to encrypt it.")
    find(server_window, QCheckBox, "tls_check").setChecked(True)
    assert not warning.isVisible()
    find(server_window, QCheckBox, "tls_check").setChecked(False)
    hosts.setCurrentIndex(hosts.findData("127.0.0.1"))
    assert not warning.isVisible()


def test_the_operator_sets_a_password_and_a_client_window_asks_for_it(
        qtbot: QtBot, engine: ChatServer, server_window: ServerWindow,
        client_window: Callable[..., ClientWindow], monkeypatch: pytest.MonkeyPatch) -> None:
    assert server_window.start()
    field = find(server_window, QLineEdit, "password_edit")
    assert field.echoMode() is QLineEdit.EchoMode.Password
    field.setFocus()
    qtbot.keyClicks(field, "let me in")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert engine.has_password and engine.settings.password == "let me in"
    assert "password required" in find(server_window, QLabel, "state_label").text()
    qtbot.waitUntil(lambda: any("Password set: new members must give it" in line
                                for line in server_window.event_log.lines()), timeout=WAIT_MS)
    netcat = RawClient(qtbot, engine.server_port)
    netcat.wait_line("This chat server needs a password: type it and press Enter.")
    netcat.close()

    asked: list[tuple[str, str]] = []
    answers = iter(["guess", "let me in", None])

    def ask(cls: type, parent: object, address: str, reason: str) -> str | None:
        asked.append((address, reason))
        return next(answers)

    monkeypatch.setattr(PasswordDialog, "ask", classmethod(ask))
    bob = client_window()
    with qtbot.waitSignal(bob.client.welcomed, timeout=10_000):
        connect_by_hand(qtbot, bob, engine.server_port, "bob")
    address = f"127.0.0.1:{engine.server_port}"
    assert asked == [(address, "This server needs a password."),
                     (address, "Wrong password; the server closed the connection.")]
    assert bob.client.name == "bob" and bob.client.password == "let me in"

    # Reconnecting after a drop needs no new question: the window keeps the password while it is open.
    with qtbot.waitSignal(bob.client.welcomed, timeout=WAIT_MS):
        bob.client.abort()
    assert len(asked) == 2

    # The password changes; a window that is asked and cancels says what to do.
    engine.set_password("changed")
    with qtbot.waitSignal(bob.client.disconnected, timeout=WAIT_MS):
        bob.client.exit()
    with qtbot.waitSignal(bob.client.disconnected, timeout=WAIT_MS):
        qtbot.mouseClick(bob.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(asked) == 3, timeout=WAIT_MS)
    assert asked[-1] == (address, "Wrong password; the server closed the connection.")
    assert bob.state_label.text() == "This server needs a password: press Connect to give it."
    assert bob.client.state is ClientState.OFFLINE and not bob.client.reconnect_pending


def test_another_window_with_the_same_name_is_the_same_member_and_a_client_without_windows_takes_it_over(
        qtbot: QtBot, engine: ChatServer, server_window: ServerWindow,
        client_window: Callable[..., ClientWindow]) -> None:
    assert server_window.start()
    first = client_window("shared.ini")
    with qtbot.waitSignal(first.client.welcomed, timeout=WAIT_MS):
        connect_by_hand(qtbot, first, engine.server_port, "alice")
    assert first.client.client_id == first.identities.for_name("Alice")  # remembered for the name
    second = client_window("shared.ini")  # the same user: the same remembered identity, another window
    with qtbot.waitSignal(second.client.welcomed, timeout=WAIT_MS):
        connect_by_hand(qtbot, second, engine.server_port, "alice")
    assert second.client.client_id == first.client.client_id and second.client.name == "alice"
    assert first.client.state is ClientState.ONLINE and engine.members() == ["alice"]
    proxy = server_window.session_proxy

    def table_shows(*expected: tuple[str, str]) -> Callable[[], None]:
        def check() -> None:
            rows = sorted((proxy.index(row, Column.NAME).data(), proxy.index(row, Column.STATE).data())
                          for row in range(proxy.rowCount()))
            assert rows == sorted(expected)
        return check

    qtbot.waitUntil(table_shows(("alice", "online"), ("alice", "online")), timeout=WAIT_MS)
    # A client of that identity that says no window (a script, an older client) is the same client back: it takes
    # the name over from both windows, which say so and do not reconnect.
    script = ChatClient()
    script.client_id = first.client.client_id
    script.session.instance = None
    with qtbot.waitSignal(first.client.disconnected, timeout=WAIT_MS) as ended, \
            qtbot.waitSignal(second.client.disconnected, timeout=WAIT_MS), \
            qtbot.waitSignal(script.welcomed, timeout=WAIT_MS):
        script.connect_to("127.0.0.1", engine.server_port, "alice")
    assert ended.args[0] == "replaced"
    for window in (first, second):
        assert window.state_label.text() == ("You joined again from another window or computer, so this one was "
                                             "disconnected. Press Reconnect to chat here instead.")
        goodbye = [entry.text for entry in window.entries() if entry.kind is EntryKind.GOODBYE]
        assert goodbye and goodbye[-1].startswith("You connected again from elsewhere, so this connection is closed.")
        assert not window.client.reconnect_pending and window.client.state is ClientState.OFFLINE
    qtbot.waitUntil(lambda: any("alice connected again: its old connection is closed · 0 online" in line
                                for line in server_window.event_log.lines()), timeout=WAIT_MS)
    qtbot.waitUntil(table_shows(("alice", "online"), ("alice", "reconnected"), ("alice", "reconnected")),
                    timeout=WAIT_MS)
    script.abort()
    # Without a name, a window does not use a name's identity.
    third = client_window("shared.ini")
    with qtbot.waitSignal(third.client.welcomed, timeout=WAIT_MS):
        connect_by_hand(qtbot, third, engine.server_port)
    assert third.client.client_id != first.client.client_id
