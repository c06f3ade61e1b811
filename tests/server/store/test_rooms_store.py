"""Rooms in the SQLite store (issue 18): a database made before rooms keeps its history in #lobby, and rooms,
memberships and waiting direct messages are kept on a real file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from chat_server.core.rooms import LOBBY_CONVERSATION, Changed, Conversations, Membership, RoomInfo, direct_conversation
from chat_server.store import StoredMessage, StoreError, client_key
from chat_server.store.sqlite import SCHEMA_VERSION, SqliteStore

# The schema of version 4, as chat_server/store/sqlite.py wrote it before rooms (commit 08fee3c), with a history.
VERSION_4 = """
CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at REAL NOT NULL, alive_at REAL);
CREATE TABLE sessions (
    run INTEGER NOT NULL REFERENCES runs(id), id INTEGER NOT NULL, name TEXT NOT NULL, host TEXT NOT NULL,
    port INTEGER NOT NULL, connected_at REAL NOT NULL, disconnected_at REAL, state TEXT NOT NULL,
    messages INTEGER NOT NULL, client_id TEXT, name_key TEXT NOT NULL DEFAULT '',
    name_look TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (run, id));
CREATE TABLE messages (
    seq INTEGER PRIMARY KEY, time REAL NOT NULL, sender TEXT NOT NULL, text TEXT NOT NULL, client_id TEXT,
    message_id TEXT NOT NULL DEFAULT '');
CREATE UNIQUE INDEX messages_by_client_id ON messages (client_id, message_id) WHERE client_id IS NOT NULL;
CREATE INDEX sessions_by_name_key ON sessions (name_key) WHERE client_id IS NOT NULL;
CREATE INDEX sessions_by_name_look ON sessions (name_look) WHERE client_id IS NOT NULL;
INSERT INTO runs VALUES (1, 40.0, 45.0), (2, 50.0, 58.0);
INSERT INTO sessions VALUES (2, 1, 'alice', '127.0.0.1', 5000, 51.0, 52.0, 'exit', 2, '{key}', 'alice', 'alice', 1);
INSERT INTO messages VALUES (1, 51.5, 'alice', 'hi', '{key}', 'm-1'), (2, 51.6, 'alice', 'still here', '{key}', 'm-2'),
    (3, 53.0, 'Client01', 'from netcat', NULL, '');
PRAGMA user_version = 4;
""".replace("{key}", client_key("id-alice"))


def version_4_database(path: Path) -> Path:
    db = sqlite3.connect(path)
    db.executescript(VERSION_4)
    db.close()
    return path


def test_a_version_4_database_keeps_its_history_and_finds_it_all_in_the_lobby(tmp_path: Path) -> None:
    path = version_4_database(tmp_path / "v4.sqlite3")
    store = SqliteStore(path)
    assert store.start_run(60.0) == 3 and store.last_seq() == 3
    key = client_key("id-alice")
    history = [StoredMessage(1, 51.5, "alice", "hi", key, "m-1"), StoredMessage(2, 51.6, "alice", "still here", key,
               "m-2"), StoredMessage(3, 53.0, "Client01", "from netcat")]
    assert store.recent(50) == history == store.since(0, 50) == store.recent_in(LOBBY_CONVERSATION, 50)
    assert {m.conversation for m in history} == {LOBBY_CONVERSATION}
    assert store.find(key, "m-2") == history[1]
    assert store.name_holder("alice", since=0.0) == key
    assert [s.name for s in store.past_sessions()] == ["alice"]
    # #lobby is room 1, as old as the oldest run; nobody is a stored member of it (everyone online is in it).
    assert store.rooms() == [RoomInfo(1, "#lobby", "#lobby", "", False, None, 40.0)]
    assert store.memberships() == []
    store.commit([StoredMessage(4, 61.0, "alice", "after", key, "m-3")], [])
    store.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    again = SqliteStore(path)  # opening a database of this version changes nothing
    assert again.recent(50) == [*history, StoredMessage(4, 61.0, "alice", "after", key, "m-3")]
    assert again.rooms() == [RoomInfo(1, "#lobby", "#lobby", "", False, None, 40.0)]
    again.close()


def test_a_migration_cut_off_after_its_new_column_is_finished_on_the_next_start(tmp_path: Path) -> None:
    path = version_4_database(tmp_path / "v4.sqlite3")
    db = sqlite3.connect(path)
    db.execute(f"ALTER TABLE messages ADD COLUMN conversation TEXT NOT NULL DEFAULT '{LOBBY_CONVERSATION}'")
    db.commit()  # the server was killed here: the column is there, the version still says 4
    db.close()
    store = SqliteStore(path)
    assert [m.text for m in store.recent_in(LOBBY_CONVERSATION, 50)] == ["hi", "still here", "from netcat"]
    store.close()


def test_a_new_database_has_the_lobby_made_now(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "new.sqlite3")
    [lobby] = store.rooms()
    assert (lobby.id, lobby.key, lobby.closed_at) == (1, "#lobby", None) and lobby.created_at > 1e9
    store.close()


def test_rooms_and_memberships_as_the_model_changes_them_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "chat.sqlite3"
    store = SqliteStore(path)
    model = Conversations.load(store.rooms(), store.memberships())
    for change in (model.join("k-alice", "#Dev", 1.0), model.join("k-bob", "#dev", 2.0),
                   model.create("k-alice", "#secret", private=True, now=3.0),
                   model.invite("k-alice", "k-bob", "#secret"), model.invite("k-alice", "k-carol", "#secret"),
                   model.join("k-bob", "#secret", 4.0),
                   model.set_topic("k-bob", "#dev", "standup at 10"), model.join("k-carol", "#gone", 5.0),
                   model.close("#gone", 6.0), model.leave("k-bob", "#dev", 7.0)):
        assert isinstance(change, Changed), change
        store.change_rooms(change.saved_rooms, change.saved, change.forgotten)
    store.close()
    again = SqliteStore(path)
    assert [(r.id, r.display, r.topic, r.private, r.owner, r.closed_at) for r in again.rooms()] == [
        (1, "#lobby", "", False, None, None), (2, "#Dev", "standup at 10", False, "k-alice", None),
        (3, "#secret", "", True, "k-alice", None), (4, "#gone", "", False, "k-carol", 6.0)]
    assert again.memberships() == [Membership(2, "k-alice"), Membership(3, "k-alice"), Membership(3, "k-bob"),
                                   Membership(3, "k-carol", invited=True)]
    loaded = Conversations.load(again.rooms(), again.memberships())
    assert loaded.listing("k-carol") == model.listing("k-carol") and loaded.listing("k-bob") == model.listing("k-bob")
    remade = loaded.join("k-dave", "#gone", 8.0)
    assert isinstance(remade, Changed) and remade.room.id == 5  # never room 4 again
    again.close()


def test_a_direct_message_waits_for_its_recipient_until_delivered_and_no_longer(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "chat.sqlite3")
    pair = direct_conversation("k-alice", "k-bob")
    store.commit([StoredMessage(1, 1.0, "alice", "psst", "c-a", "1", pair),
                  StoredMessage(2, 2.0, "alice", "hello all", "c-a", "2"),
                  StoredMessage(3, 3.0, "alice", "are you there?", "c-a", "3", pair)], [],
                 pending=[("k-bob", 1), ("k-bob", 3)])
    assert [m.text for m in store.pending_for("k-bob", 10)] == ["psst", "are you there?"]
    assert [m.text for m in store.pending_for("k-bob", 1)] == ["psst"]
    assert store.pending_for("k-alice", 10) == []
    assert [m.text for m in store.recent_in(pair, 10)] == ["psst", "are you there?"]
    assert [m.text for m in store.recent_in(LOBBY_CONVERSATION, 10)] == ["hello all"]
    store.delivered("k-bob", 1)
    assert [m.seq for m in store.pending_for("k-bob", 10)] == [3]
    store.delivered("k-bob", 3)
    assert store.pending_for("k-bob", 10) == []
    store.close()


def test_a_waiting_direct_message_pruned_for_its_age_waits_no_more(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "chat.sqlite3")
    store.start_run(1.0)
    pair = direct_conversation("k-alice", "k-bob")
    store.commit([StoredMessage(1, 1.0, "alice", "old", None, "", pair),
                  StoredMessage(2, 100.0, "alice", "new", None, "", pair)], [], pending=[("k-bob", 1), ("k-bob", 2)])
    assert store.prune(50.0) == (0, 1)
    assert [m.text for m in store.pending_for("k-bob", 10)] == ["new"]
    store.close()


def test_the_room_methods_of_a_closed_store_raise_store_error_only(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "chat.sqlite3")
    store.close()
    calls = {
        "rooms": store.rooms, "memberships": store.memberships, "recent_in": lambda: store.recent_in("room:1", 5),
        "change_rooms": lambda: store.change_rooms([], [Membership(1, "k")], []),
        "pending_for": lambda: store.pending_for("k", 5), "delivered": lambda: store.delivered("k", 5),
        "room_message_counts": store.room_message_counts,
        "commit": lambda: store.commit([], [], pending=[("k", 1)]),
    }
    for name, call in calls.items():
        with pytest.raises(StoreError, match="closed database") as refused:
            call()
        assert isinstance(refused.value.__cause__, sqlite3.ProgrammingError), name


def test_two_open_rooms_cannot_share_a_name_but_a_closed_one_gives_its_name_up(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "chat.sqlite3")
    store.change_rooms([RoomInfo(2, "#dev", "#dev", "", False, "k", 1.0, closed_at=2.0)], [], [])
    store.change_rooms([RoomInfo(3, "#dev", "#Dev", "", False, "k", 3.0)], [], [])
    with pytest.raises(StoreError, match="UNIQUE"):
        store.change_rooms([RoomInfo(4, "#dev", "#DEV", "", False, "k", 4.0)], [], [])
    assert [r.id for r in store.rooms()] == [1, 2, 3]
    store.close()


def test_the_messages_of_each_room_are_counted_in_one_query_and_direct_ones_not(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "chat.sqlite3")
    assert store.room_message_counts() == {}
    pair = direct_conversation("k-alice", "k-bob")
    store.commit([StoredMessage(1, 1.0, "alice", "hi", None, "", LOBBY_CONVERSATION),
                  StoredMessage(2, 2.0, "alice", "in dev", None, "", "room:2"),
                  StoredMessage(3, 3.0, "bob", "also in dev", None, "", "room:2"),
                  StoredMessage(4, 4.0, "alice", "psst", None, "", pair),
                  StoredMessage(5, 5.0, "bob", "in room 12", None, "", "room:12"),
                  StoredMessage(6, 6.0, "bob", "hello", None, "", LOBBY_CONVERSATION)], [])
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)  # what reaches SQLite: one statement, not one per room
    assert store.room_message_counts() == {LOBBY_CONVERSATION: 2, "room:2": 2, "room:12": 1}
    assert len(statements) == 1 and "GROUP BY conversation" in statements[0]
    store.close()
