"""The client window end to end: a real server engine on 127.0.0.1 and client windows in one process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtNetwork import QHostAddress, QTcpServer
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ClientEnd, ClientState
from chat_gui.client_window.transcript import Delivery, Entry, EntryKind
from chat_gui.client_window.window import ClientWindow
from chat_gui.widgets.session_model import short_time
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from chat_server.core.sessions import Session
from chat_server.store.sqlite import SqliteStore
from tests.conftest import WAIT_MS, stop_clients

# The offscreen platform cannot propagate size hints or raise a window; real platforms can.
pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

FAST_RECONNECT_MS = (20, 40, 80)

WindowFactory = Callable[..., ClientWindow]


@pytest.fixture
def make_window(qtbot: QtBot, tmp_path: Path) -> Iterator[WindowFactory]:
    """Open a client window with its own settings file; connect it to ``server`` unless told not to."""
    windows: list[ClientWindow] = []

    def open_window(server: ChatServer | None = None, name: str | None = None,
                    settings_file: str | None = None) -> ClientWindow:
        path = tmp_path / (settings_file or f"client{len(windows)}.ini")
        window = ClientWindow(settings=QSettings(str(path), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.client.reconnect_delays_ms = FAST_RECONNECT_MS
        windows.append(window)
        window.show()
        if server is not None:
            with qtbot.waitSignal(window.client.welcomed, timeout=WAIT_MS):
                window.connect_to("127.0.0.1", server.server_port, name)
        return window

    yield open_window
    stop_clients(window.client for window in windows)


def last(window: ClientWindow, kind: EntryKind) -> Entry:
    entries = [entry for entry in window.entries() if entry.kind is kind]
    assert entries, f"no {kind.value} entry in {window.transcript_lines()}"
    return entries[-1]


def has_line(window: ClientWindow, text: str) -> Callable[[], None]:
    """A waitUntil check: some transcript line contains ``text``."""
    def check() -> None:
        assert any(text in line for line in window.transcript_lines()), window.transcript_lines()
    return check


def label(widget: QWidget) -> str:
    text = widget.text()  # type: ignore[attr-defined]
    return str(text).replace("&", "")


def test_three_windows_chat_status_and_exit(qtbot: QtBot, server: ChatServer, make_window: WindowFactory) -> None:
    alice = make_window(server, "Alice")
    bob = make_window(server, "Bob")
    carol = make_window(server, "Carol")
    qtbot.waitUntil(has_line(alice, "Carol joined · 3/3 online"), timeout=WAIT_MS)
    assert alice.members.names == ["Alice", "Bob", "Carol"]
    assert label(alice.members_label) == "Members · 3/3 online"
    assert "Welcome, Carol!" in carol.transcript_lines()[0]

    # Type and press Enter in one window: the box clears, the message is pending, then ACKed.
    qtbot.keyClicks(alice.message_edit, "Hello everyone")
    with qtbot.waitSignal(alice.client.message_acked, timeout=WAIT_MS) as acked:
        qtbot.keyClick(alice.message_edit, Qt.Key.Key_Return)
        assert alice.message_edit.text() == ""
        assert last(alice, EntryKind.OWN).delivery is Delivery.SENDING
    assert acked.args is not None
    ack = acked.args[0]
    mine = last(alice, EntryKind.OWN)
    assert (mine.text, mine.delivery, mine.time, mine.seq) == ("Hello everyone", Delivery.ACKED, ack.time, ack.seq)
    assert mine.rtt_ms is not None and mine.rtt_ms == pytest.approx(acked.args[1])
    clock = p.clock(ack.time)[-8:]
    assert f"✓ ACK {clock}, {mine.rtt_ms:.0f} ms" in mine.summary()

    # The other two see it with the sender's name and the server's time.
    for other in (bob, carol):
        qtbot.waitUntil(has_line(other, "Hello everyone"), timeout=WAIT_MS)
        relayed = last(other, EntryKind.OTHER)
        assert (relayed.sender, relayed.text, relayed.time) == ("Alice", "Hello everyone", ack.time)
        assert relayed.summary() == f"Alice ({clock}): Hello everyone"

    # Status: a dialog lists all three with their connect times.
    with qtbot.waitSignal(alice.client.status_received, timeout=WAIT_MS):
        alice.status_button.click()
    dialog = alice.status_dialog
    assert dialog is not None and dialog.isVisible()
    rows = {row[0]: row for row in dialog.rows()}
    assert set(rows) == {"Alice", "Bob", "Carol"}
    for session in server.cache:
        _name, address, connected, disconnected, state, messages = rows[session.name]
        assert address == f"127.0.0.1:{session.port}"
        assert connected == short_time(session.connected_at) and disconnected == "—"
        assert state == "online" and messages == str(session.messages)
    assert rows["Alice"][5] == "1"
    assert "3/3 online" in dialog.summary.text()
    dialog.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert [row[0] for row in dialog.rows()] == ["Carol", "Bob", "Alice"]

    # Exit in one window: its goodbye, the others' leave notice and count, the cache's disconnect time.
    with qtbot.waitSignal(carol.client.disconnected, timeout=WAIT_MS) as ended:
        carol.exit_button.click()
    assert ended.args is not None and ended.args[0] == ClientEnd.EXIT.value
    session = next(s for s in server.cache if s.name == "Carol")
    assert session.disconnected_at is not None and session.state == p.EndReason.EXIT.value
    goodbye = last(carol, EntryKind.GOODBYE)
    assert goodbye.text == f"Goodbye Carol! Disconnected at {p.clock(session.disconnected_at)}."
    assert carol.isVisible()
    assert carol.connect_button.isVisible() and carol.connect_button.isEnabled()
    assert label(carol.connect_button) == "Reconnect"
    assert carol.members.names == [] and not carol.exit_button.isEnabled()
    for other in (alice, bob):
        qtbot.waitUntil(has_line(other, "Carol left · 2/3 online"), timeout=WAIT_MS)
        assert "Carol" not in other.members.names
        assert label(other.members_label) == "Members · 2/3 online"
    assert not carol.client.reconnect_pending  # leaving on purpose is not a drop

    # Reconnect brings Carol back.
    with qtbot.waitSignal(carol.client.welcomed, timeout=WAIT_MS):
        carol.connect_button.click()
    assert carol.transcript_lines()[-1].startswith("Welcome back, Carol!"), carol.transcript_lines()
    qtbot.waitUntil(has_line(alice, "Carol joined · 3/3 online"), timeout=WAIT_MS)


def test_a_full_server_is_explained(qtbot: QtBot, server: ChatServer, make_window: WindowFactory) -> None:
    for name in ("Alice", "Bob", "Carol"):
        make_window(server, name)
    dave = make_window()
    with qtbot.waitSignal(dave.client.disconnected, timeout=WAIT_MS) as ended:
        dave.connect_to("127.0.0.1", server.server_port, "Dave")
    assert ended.args is not None and ended.args[0] == ClientEnd.REFUSED.value
    assert dave.state_label.text() == "The server turned you away: Server is full (3/3 online). Try again later."
    assert not dave.state_icon.pixmap().isNull()  # the warning sign
    assert dave.connect_panel.isVisible() and dave.connect_button.isEnabled()
    assert label(dave.connect_button) == "Connect"
    assert not dave.client.reconnect_pending


def test_a_taken_name_is_explained(qtbot: QtBot, server: ChatServer, make_window: WindowFactory) -> None:
    make_window(server, "Alice")
    other = make_window()
    with qtbot.waitSignal(other.client.disconnected, timeout=WAIT_MS) as ended:
        other.connect_to("127.0.0.1", server.server_port, "alice")
    assert ended.args is not None and ended.args[0] == ClientEnd.REFUSED.value
    assert other.state_label.text() == "The server turned you away: The name alice is taken; choose another."
    assert other.name_edit.selectedText() == "alice"  # ready to be typed over
    assert not other.client.reconnect_pending


def test_a_reserved_name_is_explained_and_selected_to_be_typed_over(qtbot: QtBot, server: ChatServer,
                                                                   make_window: WindowFactory) -> None:
    alice = make_window(server, "Alice")
    with qtbot.waitSignal(alice.client.disconnected, timeout=WAIT_MS):
        alice.exit_button.click()
    other = make_window()  # its own settings: another client id for the name Alice
    with qtbot.waitSignal(other.client.disconnected, timeout=WAIT_MS) as ended:
        other.connect_to("127.0.0.1", server.server_port, "Alice")
    assert ended.args is not None and ended.args[0] == ClientEnd.REFUSED.value
    assert other.state_label.text() == ("The server turned you away: The name Alice is kept for the member who "
                                        "used it in the last 24 h; choose another.")
    assert other.name_edit.selectedText() == "Alice"
    assert not other.client.reconnect_pending


def test_a_connection_lost_before_any_welcome_is_not_said_to_reconnect(qtbot: QtBot,
                                                                       make_window: WindowFactory) -> None:
    # A stand-in server that accepts and hangs up at once: the client was joining, never welcomed, so its
    # engine does not reconnect, and the window must not say it does.
    hangs_up = QTcpServer()
    assert hangs_up.listen(QHostAddress(QHostAddress.SpecialAddress.LocalHost), 0)
    hangs_up.newConnection.connect(lambda: hangs_up.nextPendingConnection().disconnectFromHost())
    window = make_window()
    try:
        with qtbot.waitSignal(window.client.disconnected, timeout=WAIT_MS) as ended:
            window.connect_to("127.0.0.1", hangs_up.serverPort(), "Alice")
        lost = f"The connection to 127.0.0.1:{hangs_up.serverPort()} was lost."
        assert ended.args == [ClientEnd.DROPPED.value, lost]
        assert not window.client.reconnect_pending
        assert window.transcript_lines() == []
        assert window.state_label.text() == lost
        assert label(window.connect_button) == "Connect" and window.connect_button.isEnabled()
    finally:
        hangs_up.close()


def test_an_invalid_name_is_refused_before_connecting(make_window: WindowFactory) -> None:
    window = make_window()
    window.name_edit.setText("bad\tname")
    window.connect_button.click()
    assert window.client.state is ClientState.OFFLINE
    assert window.state_label.text() == "That name cannot be used: a name cannot contain control characters."


def test_no_server_is_explained(qtbot: QtBot, make_server: Callable[..., ChatServer],
                                make_window: WindowFactory) -> None:
    server = make_server()
    port = server.server_port
    with qtbot.waitSignal(server.stopped, timeout=WAIT_MS):
        server.stop()
    window = make_window()
    with qtbot.waitSignal(window.client.state_changed, timeout=WAIT_MS):
        window.connect_to("127.0.0.1", port)
    assert window.progress.isVisibleTo(window)
    assert window.state_label.text() == f"Connecting to 127.0.0.1:{port}…"
    with qtbot.waitSignal(window.client.disconnected, timeout=WAIT_MS):
        pass
    assert window.state_label.text() == (
        f"Could not connect to 127.0.0.1:{port}: connection refused (is the server running?)."
    )
    assert not window.progress.isVisibleTo(window)


def test_reconnects_after_a_server_restart_and_sends_what_was_typed_once(
    qtbot: QtBot, make_server: Callable[..., ChatServer], make_window: WindowFactory
) -> None:
    first = make_server()
    port = first.server_port
    alice = make_window(first, "Alice")
    with qtbot.waitSignals([first.stopped, alice.client.disconnected], timeout=WAIT_MS):
        first.stop()
    qtbot.waitUntil(lambda: "Reconnecting in" in alice.state_label.text(), timeout=WAIT_MS)
    assert "Server is shutting down. Goodbye Alice! Disconnected at" in last(alice, EntryKind.GOODBYE).text
    assert last(alice, EntryKind.INFO).text.startswith("Reconnecting automatically")
    assert label(alice.exit_button) == "Stop reconnecting" and alice.exit_button.isEnabled()
    assert alice.windowTitle() == "LAN Chat client (offline)"

    # Typed while offline: queued in the transcript; a draft stays in the box.
    alice.send_message("sent while the server was down")
    queued = last(alice, EntryKind.OWN)
    assert queued.delivery is Delivery.QUEUED
    assert queued.summary() == "You: sent while the server was down (waiting to reconnect)"
    alice.message_edit.setText("a draft")

    second = make_server(port=port)
    relayed: list[tuple[str, str]] = []
    second.messages_relayed.connect(lambda batch: relayed.extend((m.sender, m.text) for m in batch))
    qtbot.waitUntil(lambda: queued.delivery is Delivery.ACKED, timeout=WAIT_MS)
    assert relayed == [("Alice", "sent while the server was down")]  # once
    assert queued.rtt_ms is not None
    assert any(line.startswith("Welcome back, Alice!") for line in alice.transcript_lines())
    assert alice.message_edit.text() == "a draft"
    assert alice.state_label.text() == f"Online as Alice on 127.0.0.1:{port}"
    assert alice.windowTitle() == "LAN Chat — Alice"


def test_stop_reconnecting(qtbot: QtBot, make_server: Callable[..., ChatServer], make_window: WindowFactory) -> None:
    server = make_server()
    alice = make_window(server, "Alice")
    alice.client.reconnect_delays_ms = (60_000,)
    with qtbot.waitSignal(server.stopped, timeout=WAIT_MS):
        server.stop()
    qtbot.waitUntil(lambda: alice.client.reconnect_pending, timeout=WAIT_MS)
    assert label(alice.connect_button) == "Reconnect now"
    alice.send_message("typed while reconnecting")
    typed = last(alice, EntryKind.OWN)
    assert typed.delivery is Delivery.QUEUED
    alice.exit_button.click()
    assert not alice.client.reconnect_pending
    assert alice.transcript_lines()[-1] == "Stopped reconnecting."
    assert typed.summary() == "You: typed while reconnecting (press Reconnect to send)"
    assert label(alice.connect_button) == "Reconnect" and not alice.exit_button.isEnabled()


def test_after_exit_typed_text_waits_for_reconnect_which_keeps_the_assigned_name(
        qtbot: QtBot, server: ChatServer, make_window: WindowFactory) -> None:
    first, second, third = (make_window(server) for _ in range(3))
    assert [window.client.name for window in (first, second, third)] == ["Client01", "Client02", "Client03"]
    with qtbot.waitSignal(second.client.disconnected, timeout=WAIT_MS):
        second.exit_button.click()
    qtbot.waitUntil(has_line(first, "Client02 left · 2/3 online"), timeout=WAIT_MS)

    # Typed after Exit: nothing reconnects by itself, and the line says what will send it.
    second.send_message("typed after exit")
    held = last(second, EntryKind.OWN)
    assert held.delivery is Delivery.HELD and not second.client.reconnect_pending
    assert held.summary() == "You: typed after exit (press Reconnect to send)"
    assert "it goes out once you press Reconnect" in held.tooltip()
    assert second.client.state is ClientState.OFFLINE and second.client.pending_ids == {held.message_id}

    relayed: list[tuple[str, str]] = []
    server.messages_relayed.connect(lambda batch: relayed.extend((m.sender, m.text) for m in batch))
    with qtbot.waitSignal(second.client.welcomed, timeout=WAIT_MS):
        second.connect_button.click()
    # Back under the name it had (nobody took it meanwhile), and what was typed goes out once.
    assert second.client.name == "Client02"
    assert any(line.startswith("Welcome back, Client02!") for line in second.transcript_lines())
    qtbot.waitUntil(lambda: held.delivery is Delivery.ACKED, timeout=WAIT_MS)
    assert relayed == [("Client02", "typed after exit")]
    for other in (first, third):
        qtbot.waitUntil(has_line(other, "Client02 joined · 3/3 online"), timeout=WAIT_MS)
        assert sorted(other.members.names) == ["Client01", "Client02", "Client03"]


def test_kicked_member_is_told_and_not_reconnected(qtbot: QtBot, server: ChatServer,
                                                   make_window: WindowFactory) -> None:
    alice = make_window(server, "Alice")
    bob = make_window(server, "Bob")
    with qtbot.waitSignal(bob.client.disconnected, timeout=WAIT_MS):
        server.kick("Bob")
    assert last(bob, EntryKind.GOODBYE).text.startswith("You were removed by the server operator. Goodbye Bob!")
    assert not bob.client.reconnect_pending
    qtbot.waitUntil(has_line(alice, "Bob was removed by the server operator · 1/3 online"), timeout=WAIT_MS)


def test_notices_reach_the_transcript(qtbot: QtBot, server: ChatServer, make_window: WindowFactory) -> None:
    alice = make_window(server, "Alice")
    server.send_notice("Maintenance at six")
    server.send_notice("Just for you", to="Alice")
    qtbot.waitUntil(has_line(alice, "Server notice to you: Just for you"), timeout=WAIT_MS)
    assert "Server notice: Maintenance at six" in alice.transcript_lines()


def test_the_length_limit_shows_before_sending(
    qtbot: QtBot, make_server: Callable[..., ChatServer], make_window: WindowFactory
) -> None:
    server = make_server(max_line_bytes=200)
    alice = make_window(server, "Alice")
    assert alice.client.max_line_bytes == 200
    assert not alice.limit_label.isVisibleTo(alice) and not alice.send_button.isEnabled()

    overhead = alice.client.message_bytes("")
    alice.message_edit.setText("a" * (190 - overhead))  # fits, but is close: the count is shown
    assert alice.limit_label.isVisibleTo(alice)
    assert alice.limit_label.text() == "190 of 200 bytes"
    assert alice.send_button.isEnabled()

    alice.message_edit.setText("a" * 300)
    assert alice.limit_label.isVisibleTo(alice)
    over = alice.client.message_bytes("a" * 300) - 200
    assert alice.limit_label.text() == f"⚠ A message is {over} bytes over the server's limit. (the limit is 200 bytes)"
    assert not alice.send_button.isEnabled()
    qtbot.keyClick(alice.message_edit, Qt.Key.Key_Return)
    assert alice.message_edit.text() == "a" * 300  # kept, not sent
    assert not [e for e in alice.entries() if e.kind is EntryKind.OWN]

    alice.message_edit.setText("short")
    assert not alice.limit_label.isVisibleTo(alice) and alice.send_button.isEnabled()


def test_empty_messages_are_not_sent(qtbot: QtBot, server: ChatServer, make_window: WindowFactory) -> None:
    alice = make_window(server, "Alice")
    lines = alice.transcript_lines()
    alice.message_edit.setText("   ")
    qtbot.keyClick(alice.message_edit, Qt.Key.Key_Return)
    assert alice.transcript_lines() == lines
    assert alice.client.pending == []
    assert not alice.send_button.isEnabled()


def test_unread_count_and_notification_when_not_in_front(
    qtbot: QtBot, server: ChatServer, make_window: WindowFactory
) -> None:
    alice = make_window(server, "Alice")
    bob = make_window(server, "Bob")
    alice.activateWindow()
    qtbot.waitUntil(lambda: alice.isActiveWindow() and not bob.isActiveWindow(), timeout=WAIT_MS)
    with qtbot.waitSignal(bob.notifier.notified, timeout=WAIT_MS) as notified:
        alice.send_message("Are you there?")
    assert notified.args == ["Alice (to Bob)", "Are you there?"]
    alice.send_message("Bob?")
    qtbot.waitUntil(lambda: bob.windowTitle() == "(2) LAN Chat — Bob", timeout=WAIT_MS)
    assert alice.unread == 0 and alice.windowTitle() == "LAN Chat — Alice"
    bob.activateWindow()
    qtbot.waitUntil(lambda: bob.windowTitle() == "LAN Chat — Bob", timeout=WAIT_MS)


def test_closing_the_window_exits_cleanly(qtbot: QtBot, server: ChatServer, make_window: WindowFactory) -> None:
    alice = make_window(server, "Alice")
    with qtbot.waitSignal(alice.client.disconnected, timeout=WAIT_MS) as ended:
        assert alice.quit_action.shortcut() == QKeySequence("Ctrl+Q")
        alice.quit_action.trigger()
    assert ended.args is not None and ended.args[0] == ClientEnd.EXIT.value
    qtbot.waitUntil(lambda: not alice.isVisible(), timeout=WAIT_MS)
    session = next(iter(server.cache))
    assert session.state == p.EndReason.EXIT.value and session.disconnected_at is not None


def test_connect_panel_is_remembered(qtbot: QtBot, server: ChatServer, make_window: WindowFactory) -> None:
    first = make_window(settings_file="shared.ini")
    assert (first.host_edit.text(), first.port_spin.value(), first.name_edit.text()) == ("127.0.0.1", 12345, "")
    first.port_spin.setValue(server.server_port)
    first.name_edit.setText("Alice")
    with qtbot.waitSignal(first.client.welcomed, timeout=WAIT_MS):
        first.connect_button.click()
    second = make_window(settings_file="shared.ini")
    assert (second.host_edit.text(), second.port_spin.value(), second.name_edit.text()) == (
        "127.0.0.1", server.server_port, "Alice")
    # connect_to (the launcher's way in) fills the panel but is not remembered.
    with qtbot.waitSignal(second.client.welcomed, timeout=WAIT_MS):
        second.connect_to("127.0.0.1", server.server_port, "Bob")
    third = make_window(settings_file="shared.ini")
    assert third.name_edit.text() == "Alice"


def test_online_the_connect_form_gives_way_to_the_chat(server: ChatServer, make_window: WindowFactory) -> None:
    alice = make_window(server, "Alice")
    assert not alice.connect_panel.isVisible()
    assert alice.status_button.isEnabled() and alice.exit_button.isEnabled()
    assert alice.state_label.text() == f"Online as Alice on 127.0.0.1:{server.server_port}"


def test_tab_order_follows_the_layout(make_window: WindowFactory) -> None:
    window = make_window()
    wanted = [window.host_edit, window.port_spin, window.name_edit, window.connect_button, window.message_edit,
              window.send_button, window.transcript_view, window.members_view, window.status_button,
              window.exit_button]
    chain: list[QWidget] = []
    widget: QWidget | None = window.host_edit.nextInFocusChain()
    while widget is not None and widget is not window.host_edit and len(chain) < 200:
        if widget in wanted:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    assert chain == wanted[1:]


def test_status_all_runs_lists_the_sessions_of_earlier_runs(qtbot: QtBot, qtmodeltester, make_server,
                                                            make_window: WindowFactory, tmp_path: Path) -> None:
    db = str(tmp_path / "chat.sqlite3")
    first = make_server(db_path=db)
    make_window(first, "Alice")
    with qtbot.waitSignal(first.stopped, timeout=WAIT_MS):
        first.stop()
    first.close()
    second = make_server(db_path=db)
    bob = make_window(second, "Bob")

    with qtbot.waitSignal(bob.client.status_received, timeout=WAIT_MS):
        bob.status_button.click()
    dialog = bob.status_dialog
    assert dialog is not None
    assert [row[0] for row in dialog.rows()] == ["Bob"] and len(dialog.rows()[0]) == 6, "no Run column"

    with qtbot.waitSignal(bob.client.status_received, timeout=WAIT_MS) as received:
        dialog.all_runs_check.setChecked(True)
    assert received.args is not None and received.args[0].all_runs
    rows = dialog.rows()
    assert [(row[0], row[4], row[6]) for row in rows] == [("Alice", "server stopped", str(first.run)),
                                                          ("Bob", "online", str(second.run))]
    assert "2 connections in all runs" in dialog.summary.text()
    qtmodeltester.check(dialog.model)

    with qtbot.waitSignal(bob.client.status_received, timeout=WAIT_MS):
        dialog.refresh_button.click()  # Refresh keeps the choice
    assert len(dialog.rows()) == 2


def test_the_status_dialog_pages_through_a_busy_server_newest_first(qtbot: QtBot, make_server,
                                                                     make_window: WindowFactory,
                                                                     tmp_path: Path) -> None:
    # The store of an earlier run saw 250 connections; the server sends 100 at a time, newest first.
    db = tmp_path / "chat.sqlite3"
    store = SqliteStore(db)
    store.start_run(1_700_000_000.0)
    store.commit([], [Session(id=n, host="192.0.2.9", port=n, connected_at=1_700_000_000.0 + n,
                              name=f"Old{n:03d}", disconnected_at=1_700_000_001.0 + n, end=p.EndReason.EXIT)
                      for n in range(1, 251)])
    store.close()
    server = make_server(db_path=str(db))
    bob = make_window(server, "Bob")
    with qtbot.waitSignal(bob.client.status_received, timeout=WAIT_MS):
        bob.status_button.click()
    dialog = bob.status_dialog
    assert dialog is not None
    with qtbot.waitSignal(bob.client.status_received, timeout=WAIT_MS):
        dialog.all_runs_check.setChecked(True)
    assert [row[0] for row in dialog.rows()][-2:] == ["Old250", "Bob"] and len(dialog.rows()) == 100
    assert "251 connections in all runs kept by the server · page 1 of 3 (newest first)" in dialog.summary.text()
    assert dialog.older_button.isEnabled() and not dialog.newer_button.isEnabled()
    for page in (2, 3):
        with qtbot.waitSignal(bob.client.status_received, timeout=WAIT_MS):
            dialog.older_button.click()
        assert f"page {page} of 3" in dialog.summary.text()
    assert [row[0] for row in dialog.rows()] == [f"Old{n:03d}" for n in range(1, 52)]
    assert not dialog.older_button.isEnabled() and dialog.newer_button.isEnabled()
    with qtbot.waitSignal(bob.client.status_received, timeout=WAIT_MS):
        dialog.newer_button.click()
    assert dialog.rows()[0][0] == "Old052"
