"""The server window with real clients over loopback: the live table, count, log, and operator controls."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtNetwork import QHostAddress, QTcpServer
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPushButton, QSpinBox, QTableView

from chat_gui.server_window.kick_dialog import KickConfirmation
from chat_gui.server_window.settings_panel import SettingsKey
from chat_gui.server_window.window import ServerWindow
from chat_gui.widgets.session_model import SORT_ROLE, Column, short_time
from chat_server.core.engine import ChatServer
from chat_server.protocol import SessionInfo
from chat_server.settings import ServerSettings
from chat_server.store import StoreError
from chat_server.store.sqlite import SqliteStore
from tests.conftest import TEST_SETTINGS, WAIT_MS

# The offscreen platform warns when a shown top-level window's size constraints change; harmless.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, settings):
    def make(server: ChatServer) -> ServerWindow:
        window = ServerWindow(server, settings)
        qtbot.addWidget(window)
        window.show()
        return window

    return make


@pytest.fixture
def window(make_window, server) -> ServerWindow:
    return make_window(server)


def child(window: ServerWindow, kind, name: str):
    widget = window.findChild(kind, name)
    assert widget is not None, f"no {kind.__name__} named {name!r}"
    return widget


def table_rows(window: ServerWindow) -> list[tuple[str, ...]]:
    """The table as the user sees it (after sorting and filtering): (name, state, messages) per row."""
    proxy = window.session_proxy
    return [tuple(proxy.index(row, col).data() for col in (Column.NAME, Column.STATE, Column.MESSAGES))
            for row in range(proxy.rowCount())]


def wait_rows(qtbot, window: ServerWindow, expected: list[tuple[str, ...]]) -> None:
    def check() -> None:
        assert table_rows(window) == expected

    qtbot.waitUntil(check, timeout=WAIT_MS)


def wait_log(qtbot, window: ServerWindow, fragment: str) -> str:
    found: list[str] = []

    def check() -> None:
        found[:] = [line for line in window.event_log.lines() if fragment in line]
        assert found, f"no log line with {fragment!r} in {window.event_log.lines()!r}"

    qtbot.waitUntil(check, timeout=WAIT_MS)
    return found[0]


def select_member(qtbot, window: ServerWindow, name: str) -> None:
    """Click the member's row in the table, as a user would."""
    table = child(window, QTableView, "table")
    proxy = window.session_proxy
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, Column.NAME).data() == name)
    rect = table.visualRect(proxy.index(row, Column.ADDRESS))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert table.selectionModel().selectedRows()[0].row() == row


def test_rows_appear_and_disconnect_times_fill_in(qtbot, window, server, make_client):
    port = server.server_port
    assert window.count_text() == f"0/3 online · listening on 127.0.0.1:{port}"
    alice = make_client(server, "Alice")
    bob = make_client(server, "Bob")
    wait_rows(qtbot, window, [("Alice", "online", "0"), ("Bob", "online", "0")])
    assert window.count_text() == f"2/3 online · listening on 127.0.0.1:{port}"
    assert window.windowTitle().startswith(f"2/3 online · listening on 127.0.0.1:{port}")
    assert child(window, QLabel, "count_label").text() == window.count_text()
    proxy = window.session_proxy
    assert proxy.index(0, Column.DISCONNECTED).data() == "—"
    assert proxy.index(0, Column.ADDRESS).data().startswith("127.0.0.1:")

    with qtbot.waitSignal(alice.disconnected, timeout=WAIT_MS):
        alice.exit()
    with qtbot.waitSignal(server.member_left, timeout=WAIT_MS):
        bob.abort()
    wait_rows(qtbot, window, [("Alice", "left", "0"), ("Bob", "dropped", "0")])
    for row in (0, 1):
        # The times themselves, not their HH:MM:SS text, which starts again at 00:00:00 after midnight.
        connected = proxy.index(row, Column.CONNECTED).data(SORT_ROLE)
        disconnected = proxy.index(row, Column.DISCONNECTED).data(SORT_ROLE)
        assert connected <= disconnected < float("inf")
        assert proxy.index(row, Column.DISCONNECTED).data() == short_time(disconnected)
    assert window.count_text() == f"0/3 online · listening on 127.0.0.1:{port}"
    wait_log(qtbot, window, "Alice left · 1 online")
    wait_log(qtbot, window, "Bob dropped (connection lost) · 0 online")
    lines = window.event_log.lines()
    assert lines.index(next(x for x in lines if "Alice joined" in x)) < lines.index(
        next(x for x in lines if "Alice left" in x))
    assert all(line[2] == ":" and line[5] == ":" for line in lines), "every line starts with HH:MM:SS"


def test_refusals_show_when_over_the_limit(qtbot, make_server, make_window, make_client, make_raw):
    server = make_server(max_clients=1)
    window = make_window(server)
    make_client(server, "Alice")
    raw = make_raw(server)
    raw.wait_line(lambda line: line.startswith("[refused: full] Server is full"))
    wait_rows(qtbot, window, [("Alice", "online", "0"), ("—", "refused: full", "0")])
    line = wait_log(qtbot, window, "Refused 127.0.0.1:")
    assert "Server is full (1/1 online)" in line
    assert window.count_text().startswith("1/1 online")


def test_messages_count_in_the_table_and_show_in_the_log(qtbot, window, server, make_client):
    alice = make_client(server, "Alice")
    bob = make_client(server, "Bob")
    with qtbot.waitSignal(bob.chat_received, timeout=WAIT_MS):
        alice.send("Hello Bob")
    with qtbot.waitSignal(alice.chat_received, timeout=WAIT_MS):
        bob.send("Hi Alice")
    with qtbot.waitSignal(bob.chat_received, timeout=WAIT_MS):
        alice.send("How are you?")
    wait_rows(qtbot, window, [("Alice", "online", "2"), ("Bob", "online", "1")])
    wait_log(qtbot, window, "Alice: Hello Bob")
    wait_log(qtbot, window, "Bob: Hi Alice")
    assert window.message_rate() > 0
    qtbot.waitUntil(lambda: child(window, QLabel, "total_label").text() == "2 sessions · 3 messages",
                    timeout=WAIT_MS)


def test_kick_disconnects_the_selected_member(qtbot, window, server, make_client, monkeypatch):
    monkeypatch.setattr(KickConfirmation, "ask", classmethod(lambda cls, parent, name: True))  # the operator: yes
    alice = make_client(server, "Alice")
    bob = make_client(server, "Bob")
    wait_rows(qtbot, window, [("Alice", "online", "0"), ("Bob", "online", "0")])
    kick = child(window, QPushButton, "kick_button")
    assert not kick.isEnabled(), "nothing selected, nobody to kick"
    select_member(qtbot, window, "Bob")
    assert kick.isEnabled()
    assert child(window, QComboBox, "notice_recipient").currentText() == "Bob"
    with qtbot.waitSignal(alice.member_left, timeout=WAIT_MS), \
            qtbot.waitSignal(bob.disconnected, timeout=WAIT_MS) as bob_end:
        qtbot.mouseClick(kick, Qt.MouseButton.LeftButton)
    assert bob_end.args[0] == "kicked"
    wait_rows(qtbot, window, [("Alice", "online", "0"), ("Bob", "kicked", "0")])
    wait_log(qtbot, window, "Bob was kicked · 1 online")
    assert not kick.isEnabled(), "the selected row has ended: Kick is off"
    assert server.members() == ["Alice"]


def test_notice_to_everyone_and_to_the_selected_member(qtbot, window, server, make_client):
    alice = make_client(server, "Alice")
    bob = make_client(server, "Bob")
    wait_rows(qtbot, window, [("Alice", "online", "0"), ("Bob", "online", "0")])
    edit = child(window, QLineEdit, "notice_edit")
    recipient = child(window, QComboBox, "notice_recipient")
    assert [recipient.itemText(i) for i in range(recipient.count())] == ["everyone", "Alice", "Bob"]
    assert recipient.currentText() == "everyone"

    edit.setText("Maintenance at 18:00")
    with qtbot.waitSignal(alice.notice_received, timeout=WAIT_MS) as to_alice, \
            qtbot.waitSignal(bob.notice_received, timeout=WAIT_MS) as to_bob:
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert to_alice.args == to_bob.args == ["Maintenance at 18:00", False]
    assert edit.text() == "", "a sent notice clears the line"
    wait_log(qtbot, window, "Notice to everyone: Maintenance at 18:00")

    select_member(qtbot, window, "Alice")
    assert recipient.currentText() == "Alice"
    edit.setText("Please stop spamming")
    alice_notices: list[tuple[str, bool]] = []
    bob_notices: list[tuple[str, bool]] = []
    alice.notice_received.connect(lambda text, private: alice_notices.append((text, private)))
    bob.notice_received.connect(lambda text, private: bob_notices.append((text, private)))
    qtbot.mouseClick(child(window, QPushButton, "notice_send_button"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: alice_notices == [("Please stop spamming", True)], timeout=WAIT_MS)
    wait_log(qtbot, window, "Notice to Alice: Please stop spamming")
    # Bob's ping round-trip proves anything sent to him before it has arrived: he got no notice.
    with qtbot.waitSignal(bob.status_received, timeout=WAIT_MS):
        bob.request_status()
    assert bob_notices == []


def test_stop_and_start_again(qtbot, window, server, make_client):
    alice = make_client(server, "Alice")
    stop = child(window, QPushButton, "stop_button")
    start = child(window, QPushButton, "start_button")
    port_spin = child(window, QSpinBox, "port_spin")
    assert not start.isEnabled() and stop.isEnabled() and not port_spin.isEnabled()
    with qtbot.waitSignal(server.stopped, timeout=WAIT_MS), \
            qtbot.waitSignal(alice.disconnected, timeout=WAIT_MS) as alice_end:
        qtbot.mouseClick(stop, Qt.MouseButton.LeftButton)
    assert alice_end.args[0] == "server stopped"
    assert not server.is_listening
    assert start.isEnabled() and not stop.isEnabled() and port_spin.isEnabled()
    assert window.count_text() == "0/3 online · not listening"
    wait_rows(qtbot, window, [("Alice", "server stopped", "0")])
    wait_log(qtbot, window, "Stopped listening; disconnecting 1 member")

    port_spin.setValue(0)
    child(window, QSpinBox, "max_spin").setValue(5)
    with qtbot.waitSignal(server.listening_changed, timeout=WAIT_MS):
        qtbot.mouseClick(start, Qt.MouseButton.LeftButton)
    assert server.is_listening and server.max_clients == 5
    assert window.count_text() == f"0/5 online · listening on 127.0.0.1:{server.server_port}"
    wait_log(qtbot, window, f"Listening on 127.0.0.1:{server.server_port} (at most 5 members; not encrypted)")
    make_client(server, "Bob")
    wait_rows(qtbot, window, [("Alice", "server stopped", "0"), ("Bob", "online", "0")])


def test_a_port_in_use_is_shown_and_the_controls_stay_usable(qtbot, window, server):
    blocker = QTcpServer()
    assert blocker.listen(QHostAddress(QHostAddress.SpecialAddress.LocalHost), 0)
    try:
        with qtbot.waitSignal(server.stopped, timeout=WAIT_MS):
            window.stop()
        window.set_listen_options("localhost", blocker.serverPort(), 3)
        error = child(window, QLabel, "error_label")
        assert error.isHidden()
        with qtbot.waitSignal(server.listen_failed, timeout=WAIT_MS):
            assert not window.start()
        assert not error.isHidden()
        assert f"Cannot listen on 127.0.0.1:{blocker.serverPort()}" in error.text()
        assert "address is already in use" in error.text().lower()
        assert child(window, QPushButton, "start_button").isEnabled()
        assert child(window, QSpinBox, "port_spin").isEnabled()
        wait_log(qtbot, window, "Cannot listen on 127.0.0.1:")

        window.set_listen_options("localhost", 0, 3)  # the user picks another port
        assert window.start()
        assert error.isHidden()
    finally:
        blocker.close()


def test_export_csv_writes_the_whole_cache(qtbot, window, server, make_client, tmp_path, monkeypatch):
    alice = make_client(server, "Alice")
    make_client(server, "Bob")
    with qtbot.waitSignal(alice.message_acked, timeout=WAIT_MS):
        alice.send("hi")
    with qtbot.waitSignal(alice.disconnected, timeout=WAIT_MS):
        alice.exit()
    target = tmp_path / "out" / "sessions.csv"
    target.parent.mkdir()
    asked: list[str] = []

    def ask(cls, parent, suggested):
        asked.append(suggested)
        return str(target)

    monkeypatch.setattr(ServerWindow, "ask_export_path", classmethod(ask))
    qtbot.mouseClick(child(window, QPushButton, "export_button"), Qt.MouseButton.LeftButton)
    assert asked and asked[0].endswith(".csv")
    with open(target, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["name"], r["host"], r["state"], r["messages"]) for r in rows] == [
        ("Alice", "127.0.0.1", "exit", "1"), ("Bob", "127.0.0.1", "online", "0")]
    assert rows[0]["disconnected_at"] and not rows[1]["disconnected_at"]
    assert int(rows[0]["port"]) > 0
    wait_log(qtbot, window, f"Exported 2 sessions to {target}")

    monkeypatch.setattr(ServerWindow, "ask_export_path", classmethod(lambda cls, parent, suggested: None))
    assert window.export_csv() is None, "a cancelled dialog writes nothing"


def test_online_only_filter(qtbot, window, server, make_client):
    alice = make_client(server, "Alice")
    make_client(server, "Bob")
    with qtbot.waitSignal(alice.disconnected, timeout=WAIT_MS):
        alice.exit()
    wait_rows(qtbot, window, [("Alice", "left", "0"), ("Bob", "online", "0")])
    child(window, QCheckBox, "online_only_check").setChecked(True)
    assert table_rows(window) == [("Bob", "online", "0")]
    make_client(server, "Carol")
    wait_rows(qtbot, window, [("Bob", "online", "0"), ("Carol", "online", "0")])


def test_table_sorts_by_a_clicked_column(qtbot, window, server, make_client):
    for name in ("carol", "Alice", "Bob"):
        make_client(server, name)
    wait_rows(qtbot, window, [("carol", "online", "0"), ("Alice", "online", "0"), ("Bob", "online", "0")])
    table = child(window, QTableView, "table")
    header = table.horizontalHeader()
    center = QPoint(header.sectionViewportPosition(Column.NAME) + header.sectionSize(Column.NAME) // 2,
                    header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert [row[0] for row in table_rows(window)] == ["Alice", "Bob", "carol"]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert [row[0] for row in table_rows(window)] == ["carol", "Bob", "Alice"]


def test_log_keeps_the_newest_lines_only(qtbot, window, server, make_client):
    child(window, QSpinBox, "log_limit_spin").setValue(10)
    alice = make_client(server, "Alice")
    for i in range(15):
        alice.send(f"message {i}")
    wait_log(qtbot, window, "Alice: message 14")
    assert len(window.event_log.lines()) == 10
    assert window.event_log.lines()[-1].endswith("Alice: message 14")
    assert window.event_log.lines()[0].endswith("Alice: message 5")
    qtbot.mouseClick(child(window, QPushButton, "clear_log_button"), Qt.MouseButton.LeftButton)
    assert window.event_log.lines() == []


def test_settings_are_remembered_between_runs(qtbot, settings, make_window, qapp):
    server = ChatServer(TEST_SETTINGS, SqliteStore())
    first = make_window(server)
    assert child(first, QSpinBox, "port_spin").value() == 0, "no remembered value: the engine's settings"
    # A host other than the default, still on loopback (tests never listen beyond it): Linux routes 127/8 there.
    first.set_listen_options("127.0.0.2", 0, 7)
    child(first, QSpinBox, "log_limit_spin").setValue(250)
    child(first, QCheckBox, "online_only_check").setChecked(True)
    assert first.start()
    first.resize(700, 500)  # within the offscreen screen (800 x 800): a geometry that does not fit is not restored
    with qtbot.waitSignal(server.stopped, timeout=WAIT_MS):
        first.close()  # stops the server, then closes
    qtbot.waitUntil(lambda: not first.isVisible(), timeout=WAIT_MS)
    assert settings.value(SettingsKey.HOST) == "127.0.0.2"
    assert int(settings.value(SettingsKey.MAX_CLIENTS)) == 7

    second_server = ChatServer(ServerSettings(host="127.0.0.1", port=4321, max_clients=2), SqliteStore())
    second = make_window(second_server)
    assert child(second, QComboBox, "host_combo").currentData() == "127.0.0.2"
    assert child(second, QSpinBox, "max_spin").value() == 7
    assert child(second, QSpinBox, "port_spin").value() == 0
    assert child(second, QSpinBox, "log_limit_spin").value() == 250
    assert second.event_log.limit == 250
    assert child(second, QCheckBox, "online_only_check").isChecked()
    assert abs(second.width() - 700) <= 10 and abs(second.height() - 500) <= 40, "geometry restored"
    second.set_listen_options("127.0.0.1", 4321, 2)  # command-line options override remembered ones
    assert child(second, QComboBox, "host_combo").currentData() == "127.0.0.1"
    assert child(second, QSpinBox, "port_spin").value() == 4321
    server.deleteLater()
    second_server.deleteLater()


def test_closing_the_window_says_goodbye_to_members(qtbot, window, server, make_client):
    alice = make_client(server, "Alice")
    with qtbot.waitSignal(server.stopped, timeout=WAIT_MS), \
            qtbot.waitSignal(alice.disconnected, timeout=WAIT_MS) as alice_end:
        window.close()
    assert alice_end.args[0] == "server stopped"
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)


def test_bad_remembered_values_fall_back_to_the_engine_settings(settings, make_window):
    settings.setValue(SettingsKey.PORT, "not a port")
    settings.setValue(SettingsKey.MAX_CLIENTS, -4)
    settings.setValue(SettingsKey.LOG_LIMIT, 10**9)
    settings.setValue(SettingsKey.GEOMETRY, "garbage")
    server = ChatServer(ServerSettings(host="any", port=4321, max_clients=2), SqliteStore())
    window = make_window(server)
    assert child(window, QComboBox, "host_combo").currentData() == "any"
    assert child(window, QSpinBox, "port_spin").value() == 4321
    assert child(window, QSpinBox, "max_spin").value() == 2
    assert window.event_log.limit == 1000
    server.deleteLater()


def test_all_runs_shows_earlier_runs_from_the_store(qtbot, make_server, make_window, make_client, tmp_path,
                                                    monkeypatch, settings):
    db = str(tmp_path / "chat.sqlite3")
    first = make_server(db_path=db)
    alice = make_client(first, "Alice")
    with qtbot.waitSignal(alice.message_acked, timeout=WAIT_MS):
        alice.send("from the first run")
    with qtbot.waitSignal(first.stopped, timeout=WAIT_MS):
        first.stop()
    first.close()

    second = make_server(db_path=db)
    window = make_window(second)
    make_client(second, "Bob")
    wait_rows(qtbot, window, [("Bob", "online", "0")])
    combo = child(window, QComboBox, "runs_combo")
    table = child(window, QTableView, "table")
    assert combo.currentText() == "This run" and table.isColumnHidden(Column.RUN)

    combo.setCurrentIndex(combo.findText("All runs"))
    assert table_rows(window) == [("Alice", "server stopped", "1"), ("Bob", "online", "0")]
    proxy = window.session_proxy
    assert [proxy.index(row, Column.RUN).data() for row in range(2)] == [str(first.run), str(second.run)]
    assert second.run == first.run + 1 and not table.isColumnHidden(Column.RUN)
    select_member(qtbot, window, "Alice")
    assert not child(window, QPushButton, "kick_button").isEnabled(), "an earlier run's session cannot be kicked"

    target = tmp_path / "all.csv"
    monkeypatch.setattr(ServerWindow, "ask_export_path", classmethod(lambda cls, parent, suggested: str(target)))
    assert window.export_csv() == 2
    with open(target, newline="", encoding="utf-8") as f:
        assert [(r["name"], r["run"]) for r in csv.DictReader(f)] == [("Alice", str(first.run)),
                                                                      ("Bob", str(second.run))]

    combo.setCurrentIndex(combo.findText("This run"))
    assert table_rows(window) == [("Bob", "online", "0")] and table.isColumnHidden(Column.RUN)
    window.save_settings()
    assert str(settings.value(SettingsKey.ALL_RUNS)).lower() == "false"


def test_the_table_keeps_the_newest_ended_sessions_and_counts_the_rest(qtbot, make_window, make_server, make_raw):
    server = make_server(cache_ended_sessions=2, join_grace_ms=0)
    window = make_window(server)
    for number in range(1, 5):
        raw = make_raw(server)
        raw.wait_line(f"Welcome Client{number:02d}! Type a message, 'status' or 'exit'.")
        raw.close()
        qtbot.waitUntil(lambda number=number: server.cache.total == number and not server.cache.online(),
                        timeout=WAIT_MS)
    wait_rows(qtbot, window, [("Client03", "dropped", "0"), ("Client04", "dropped", "0")])
    qtbot.waitUntil(lambda: child(window, QLabel, "total_label").text()
                    == "4 sessions (2 oldest not listed) · 0 messages", timeout=WAIT_MS)


def test_the_window_follows_settings_the_engine_changes(window, server, qtbot) -> None:
    assert window.count_text() == f"0/3 online · listening on 127.0.0.1:{server.server_port}"
    server.set_max_clients(7)
    assert window.count_text() == f"0/7 online · listening on 127.0.0.1:{server.server_port}"
    assert window.windowTitle().startswith("0/7 online · ")
    server.set_password("let me in")
    assert "password required" in child(window, QLabel, "state_label").text()
    server.set_password("")
    assert "password required" not in child(window, QLabel, "state_label").text()


class _UnreadablePastRuns(SqliteStore):
    """A real store whose earlier runs cannot be read, as a damaged database's would not be."""

    def past_sessions(self) -> list[SessionInfo]:
        raise StoreError("database disk image is malformed")


def test_all_runs_says_when_the_store_cannot_read_earlier_runs(qtbot, make_server, make_window):
    server = make_server(store=_UnreadablePastRuns())
    window = make_window(server)
    combo = child(window, QComboBox, "runs_combo")
    combo.setCurrentIndex(combo.findText("All runs"))
    qtbot.waitUntil(lambda: len(window.event_log.lines()) > 0, timeout=WAIT_MS)
    assert window.event_log.lines()[-1].endswith(
        "Could not read earlier runs from the database: database disk image is malformed")
    assert table_rows(window) == []
