"""Schema 6 (invitation_news): a database of version 5, as the server wrote it before the table came (commit
5208d65^) or in the time the table was made on every start without a version of its own, is upgraded once and keeps
its messages, rooms and memberships; a newer database is still refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from chat_server.core.rooms import LOBBY_CONVERSATION, Membership, RoomInfo, direct_conversation
from chat_server.store import StoredMessage, StoreError, client_key
from chat_server.store.sqlite import SCHEMA_VERSION, SqliteStore

ALICE, BOB = client_key("id-alice"), client_key("id-bob")

# The schema of version 5 before invitation_news (chat_server/store/schema.py at 5208d65^), with a history: two
# runs, messages in #lobby, in the private room #team and between alice and bob, one of them waiting for bob.
VERSION_5 = """
CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at REAL NOT NULL, alive_at REAL);
CREATE TABLE sessions (
    run INTEGER NOT NULL REFERENCES runs(id), id INTEGER NOT NULL, name TEXT NOT NULL, host TEXT NOT NULL,
    port INTEGER NOT NULL, connected_at REAL NOT NULL, disconnected_at REAL, state TEXT NOT NULL,
    messages INTEGER NOT NULL, client_id TEXT, name_key TEXT NOT NULL DEFAULT '',
    name_look TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (run, id));
CREATE TABLE messages (
    seq INTEGER PRIMARY KEY, time REAL NOT NULL, sender TEXT NOT NULL, text TEXT NOT NULL, client_id TEXT,
    message_id TEXT NOT NULL DEFAULT '', conversation TEXT NOT NULL DEFAULT 'room:1');
CREATE UNIQUE INDEX messages_by_client_id ON messages (client_id, message_id) WHERE client_id IS NOT NULL;
CREATE INDEX messages_by_conversation ON messages (conversation, seq);
CREATE TABLE rooms (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL, display TEXT NOT NULL, topic TEXT NOT NULL DEFAULT '',
    private INTEGER NOT NULL DEFAULT 0, owner TEXT, created_at REAL NOT NULL, closed_at REAL);
CREATE UNIQUE INDEX open_rooms_by_key ON rooms (key) WHERE closed_at IS NULL;
CREATE TABLE room_members (
    room INTEGER NOT NULL REFERENCES rooms(id), member TEXT NOT NULL, invited INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (room, member)) WITHOUT ROWID;
CREATE INDEX room_members_by_member ON room_members (member);
CREATE TABLE pending_direct (
    recipient TEXT NOT NULL, seq INTEGER NOT NULL REFERENCES messages(seq), PRIMARY KEY (recipient, seq)) WITHOUT ROWID;
CREATE INDEX sessions_by_name_key ON sessions (name_key) WHERE client_id IS NOT NULL;
CREATE INDEX sessions_by_name_look ON sessions (name_look) WHERE client_id IS NOT NULL;
CREATE INDEX sessions_by_client_id ON sessions (client_id, connected_at) WHERE client_id IS NOT NULL;
INSERT INTO runs VALUES (1, 40.0, 45.0), (2, 50.0, 58.0);
INSERT INTO sessions VALUES (2, 1, 'alice', '127.0.0.1', 5000, 51.0, 57.0, 'exit', 3, '{alice}', 'alice', 'alice', 1),
    (2, 2, 'bob', '127.0.0.1', 5002, 51.2, 52.0, 'exit', 0, '{bob}', 'bob', 'bob', 1);
INSERT INTO rooms VALUES (1, '#lobby', '#lobby', '', 0, NULL, 40.0, NULL),
    (2, '#team', '#Team', 'ship it', 1, '{alice}', 51.1, NULL);
INSERT INTO room_members VALUES (2, '{alice}', 0), (2, '{bob}', 1);
INSERT INTO messages VALUES (1, 51.5, 'alice', 'hi all', '{alice}', 'm-1', 'room:1'),
    (2, 51.6, 'alice', 'in the team', '{alice}', 'm-2', 'room:2'),
    (3, 53.0, 'alice', 'psst', '{alice}', 'm-3', '{pair}');
INSERT INTO pending_direct VALUES ('{bob}', 3);
PRAGMA user_version = 5;
""".replace("{alice}", ALICE).replace("{bob}", BOB).replace("{pair}", direct_conversation(ALICE, BOB))

HISTORY = [StoredMessage(1, 51.5, "alice", "hi all", ALICE, "m-1", LOBBY_CONVERSATION),
           StoredMessage(2, 51.6, "alice", "in the team", ALICE, "m-2", "room:2"),
           StoredMessage(3, 53.0, "alice", "psst", ALICE, "m-3", direct_conversation(ALICE, BOB))]
ROOMS = [RoomInfo(1, "#lobby", "#lobby", "", False, None, 40.0),
         RoomInfo(2, "#team", "#Team", "ship it", True, ALICE, 51.1)]
MEMBERSHIPS = sorted([Membership(2, ALICE), Membership(2, BOB, invited=True)], key=lambda m: m.member)  # by key


def version_5_database(path: Path, with_news_table: bool = False) -> Path:
    db = sqlite3.connect(path)
    db.executescript(VERSION_5)
    if with_news_table:  # made by a start of the code that had the table but no version for it
        db.executescript("CREATE TABLE invitation_news (room INTEGER NOT NULL REFERENCES rooms(id),"
                         " member TEXT NOT NULL, inviter TEXT, time REAL NOT NULL,"
                         " PRIMARY KEY (room, member)) WITHOUT ROWID;"
                         f" INSERT INTO invitation_news VALUES (2, '{BOB}', 'alice', 51.3);")
    db.close()
    return path


def user_version(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute("PRAGMA user_version").fetchone()[0])
    finally:
        db.close()


def tables(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    finally:
        db.close()


def test_a_version_5_database_gets_the_invitation_news_table_and_keeps_its_messages_and_rooms(tmp_path: Path) -> None:
    path = version_5_database(tmp_path / "v5.sqlite3")
    assert "invitation_news" not in tables(path)
    store = SqliteStore(path)
    assert user_version(path) == SCHEMA_VERSION
    assert [t for t in tables(path) if not t.startswith("messages_text")] == [
        "files", "invitation_news", "messages", "pending_direct", "read_markers", "room_members", "rooms", "runs",
        "sessions"]
    assert store.start_run(60.0) == 3 and store.last_seq() == 3
    assert store.since(0, 50) == HISTORY
    assert store.recent_in("room:2", 50) == [HISTORY[1]]
    assert store.pending_for(BOB, 10) == [HISTORY[2]]
    assert store.rooms() == ROOMS and store.memberships() == MEMBERSHIPS
    assert store.last_name(ALICE) == "alice"
    # The new table works: the news of bob's invitation is kept, then taken once.
    store.keep_invitation_news(2, BOB, "alice", 61.0)
    store.close()

    again = SqliteStore(path)  # a database of this version: opened as it is
    assert user_version(path) == SCHEMA_VERSION
    assert again.since(0, 50) == HISTORY and again.rooms() == ROOMS
    assert again.take_invitation_news(BOB) == [(2, "alice", 61.0)]
    assert again.take_invitation_news(BOB) == []
    again.close()


def test_a_version_5_database_that_has_the_table_already_keeps_what_it_holds(tmp_path: Path) -> None:
    path = version_5_database(tmp_path / "v5.sqlite3", with_news_table=True)
    store = SqliteStore(path)
    assert user_version(path) == SCHEMA_VERSION
    assert store.since(0, 50) == HISTORY and store.memberships() == MEMBERSHIPS
    assert store.take_invitation_news(BOB) == [(2, "alice", 51.3)]
    store.close()


def test_a_database_of_a_newer_version_is_refused_and_left_at_its_version(tmp_path: Path) -> None:
    path = version_5_database(tmp_path / "newer.sqlite3")
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError) as refused:
        SqliteStore(path)
    assert str(refused.value) == f"{path} was written by a newer version of this server"
    assert user_version(path) == SCHEMA_VERSION + 1 and "invitation_news" not in tables(path)
