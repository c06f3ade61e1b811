"""The store failing outside a commit: a database from a newer version, a failed name lookup, and how a
client window shows a message the server could not store."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient
from chat_gui.client_window.transcript import Delivery, EntryKind
from chat_gui.client_window.window import ClientWindow
from chat_server.core.engine import ChatServer
from chat_server.store import StoredMessage, StoreError
from chat_server.store.sqlite import SCHEMA_VERSION, SqliteStore
from tests.conftest import WAIT_MS, stop_clients
from tests.integration.test_headless import start_headless

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)", "propagateSizeHints")


def _newer_database(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")


def test_a_database_from_a_newer_version_is_refused_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "chat.sqlite3"
    _newer_database(db)
    with pytest.raises(StoreError) as refused:
        SqliteStore(db)
    assert str(refused.value) == f"{db} was written by a newer version of this server"
    with sqlite3.connect(db) as check:  # not "upgraded" down
        assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1


def test_the_headless_server_says_why_it_cannot_use_the_database_and_exits_1(tmp_path: Path) -> None:
    db = tmp_path / "chat.sqlite3"
    _newer_database(db)
    process = start_headless("--port", "0", "--db", str(db))
    out, err = process.communicate(timeout=30)
    assert process.returncode == 1
    assert f"{db} was written by a newer version of this server" in err
    assert "Listening on" not in out


class _FailingLookups(SqliteStore):
    """A real store whose name lookup fails as a locked or damaged database would."""

    def name_holder(self, name: str, since: float) -> str | None:
        raise StoreError("database is locked")


@pytest.fixture
def lookup_failing_server(make_server: Callable[..., ChatServer], tmp_path: Path) -> ChatServer:
    return make_server(store=_FailingLookups(tmp_path / "chat.sqlite3"))


def test_a_failed_name_lookup_is_logged_and_the_name_is_given(
        lookup_failing_server: ChatServer, qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="chat_server")
    client = ChatClient()
    client.client_id = "id-alice-0123456789"
    try:
        with qtbot.waitSignal(client.welcomed, timeout=WAIT_MS) as welcomed:
            client.connect_to("127.0.0.1", lookup_failing_server.server_port, "alice")
        # Failing open: a store that cannot answer does not lock everyone out of chosen names.
        assert welcomed.args[0].name == "alice"
        assert [r.getMessage() for r in caplog.records] == [
            "could not look up who used the name alice: database is locked"]
    finally:
        client.abort()
        client.deleteLater()


def test_the_client_window_marks_a_message_the_server_could_not_store(
        make_server, qtbot: QtBot, tmp_path: Path) -> None:
    db = tmp_path / "chat.sqlite3"
    server = make_server(db_path=str(db))
    with sqlite3.connect(db) as conn:  # SQLite itself refuses this one text
        conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON messages WHEN NEW.text = 'refused'"
                     " BEGIN SELECT RAISE(ABORT, 'no'); END")
    window = ClientWindow(settings=QSettings(str(tmp_path / "client.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    try:
        with qtbot.waitSignal(window.client.welcomed, timeout=WAIT_MS):
            window.connect_to("127.0.0.1", server.server_port, "Alice")
        with qtbot.waitSignal(window.client.error_received, timeout=WAIT_MS) as refused:
            window.send_message("refused")
        assert refused.args[0] == "not_stored"
        with qtbot.waitSignal(window.client.message_acked, timeout=WAIT_MS):
            window.send_message("kept")
        own = [entry for entry in window.entries() if entry.kind is EntryKind.OWN]
        assert [(entry.text, entry.delivery) for entry in own] == [("refused", Delivery.REFUSED),
                                                                 ("kept", Delivery.ACKED)]
        assert own[0].delivery_text() == "✗ not sent"
        assert "You: refused (✗ not sent)" in window.transcript_lines()
        errors = [entry.text for entry in window.entries() if entry.kind is EntryKind.ERROR]
        assert len(errors) == 1 and errors[0].startswith("Not sent: the server could not store it")
    finally:
        stop_clients([window.client])


class _FailingFind(SqliteStore):
    """A real store whose look-up of an earlier copy of a message fails as a locked database's would."""

    def find(self, client_id: str, message_id: str) -> StoredMessage | None:
        raise StoreError("database is locked")


def test_a_failed_look_up_of_an_earlier_copy_is_logged_and_the_message_taken_as_new(
        make_server: Callable[..., ChatServer], qtbot: QtBot, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="chat_server")
    server = make_server(store=_FailingFind(tmp_path / "chat.sqlite3"))
    client = ChatClient()
    client.client_id = "id-alice-0123456789"
    try:
        with qtbot.waitSignal(client.welcomed, timeout=WAIT_MS):
            client.connect_to("127.0.0.1", server.server_port, "alice")
        with qtbot.waitSignal(client.message_acked, timeout=WAIT_MS) as acked:
            client.send("stored all the same")
        assert acked.args[0].seq == 1
        assert [m.text for m in server.store.recent(5)] == ["stored all the same"]
        assert [r.getMessage() for r in caplog.records] == [
            "could not look for an earlier copy of a message: database is locked"]
    finally:
        client.abort()
        client.deleteLater()
