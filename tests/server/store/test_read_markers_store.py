"""Read markers in the store (schema 7): kept per member key and conversation, never moved back, and a database of
version 6 (before the table) opens with everything it held."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from chat_server.core.rooms import LOBBY_CONVERSATION, direct_conversation
from chat_server.store import client_key
from chat_server.store.sqlite import SCHEMA_VERSION, SqliteStore
from tests.server.store.test_schema_6 import ALICE, BOB, HISTORY, MEMBERSHIPS, ROOMS, VERSION_5, tables, user_version

VERSION_6 = VERSION_5.replace("PRAGMA user_version = 5;", """
CREATE TABLE invitation_news (room INTEGER NOT NULL REFERENCES rooms(id), member TEXT NOT NULL, inviter TEXT,
    time REAL NOT NULL, PRIMARY KEY (room, member)) WITHOUT ROWID;
INSERT INTO invitation_news VALUES (2, '{bob}', 'alice', 51.3);
PRAGMA user_version = 6;
""".replace("{bob}", BOB))


def test_a_marker_is_kept_per_member_and_conversation() -> None:
    store = SqliteStore()
    pair = direct_conversation(ALICE, BOB)
    assert store.keep_read_marker(ALICE, LOBBY_CONVERSATION, 3) == (3, True)
    assert store.keep_read_marker(ALICE, "room:2", 2) == (2, True)
    assert store.keep_read_marker(BOB, LOBBY_CONVERSATION, 1) == (1, True)
    assert store.keep_read_marker(BOB, pair, 5) == (5, True)
    assert store.read_markers(ALICE) == [("room:1", 3), ("room:2", 2)]
    assert store.read_markers(BOB) == [(pair, 5), ("room:1", 1)]
    assert store.read_markers(client_key("someone else")) == []
    store.close()


def test_a_marker_never_goes_back() -> None:
    store = SqliteStore()
    assert store.keep_read_marker(ALICE, LOBBY_CONVERSATION, 7) == (7, True)
    assert store.keep_read_marker(ALICE, LOBBY_CONVERSATION, 4) == (7, False)
    assert store.keep_read_marker(ALICE, LOBBY_CONVERSATION, 7) == (7, False)
    assert store.keep_read_marker(ALICE, LOBBY_CONVERSATION, 9) == (9, True)
    assert store.read_markers(ALICE) == [(LOBBY_CONVERSATION, 9)]
    store.close()


def test_markers_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "chat.sqlite3"
    store = SqliteStore(path)
    store.keep_read_marker(ALICE, "room:2", 12)
    store.close()
    again = SqliteStore(path)
    assert again.read_markers(ALICE) == [("room:2", 12)]
    again.close()


def test_a_version_6_database_gets_the_table_and_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "v6.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(VERSION_6)
    db.close()
    assert "read_markers" not in tables(path)
    store = SqliteStore(path)
    assert user_version(path) == SCHEMA_VERSION >= 7
    assert "read_markers" in tables(path)
    assert store.start_run(60.0) == 3 and store.last_seq() == 3
    assert store.since(0, 50) == HISTORY
    assert store.rooms() == ROOMS and store.memberships() == MEMBERSHIPS
    assert store.pending_for(BOB, 10) == [HISTORY[2]]
    assert store.take_invitation_news(BOB) == [(2, "alice", 51.3)]
    assert store.read_markers(ALICE) == []
    assert store.keep_read_marker(ALICE, "room:2", 2) == (2, True)
    store.close()
    again = SqliteStore(path)
    assert again.read_markers(ALICE) == [("room:2", 2)] and again.since(0, 50) == HISTORY
    again.close()
