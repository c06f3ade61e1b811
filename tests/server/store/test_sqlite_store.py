"""The SQLite store on a real file: what one run writes, the next run reads."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from chat_server.core.sessions import SessionCache
from chat_server.protocol import EndReason
from chat_server.store import StoredMessage, StoreError, client_key
from chat_server.store.sqlite import SCHEMA_VERSION, SqliteStore


def test_a_second_run_finds_history_and_closes_sessions_a_killed_run_left_open(tmp_path: Path) -> None:
    path = tmp_path / "chat.sqlite3"
    first = SqliteStore(path)
    assert first.start_run(100.0) == 1 and first.last_seq() == 0
    cache = SessionCache(100.0)
    alice, bob = cache.open("127.0.0.1", 5000, 101.0), cache.open("127.0.0.1", 5001, 102.0)
    alice.name, bob.name, alice.messages = "alice", "bob", 2
    cache.close(bob, EndReason.EXIT, 103.0)
    first.commit([StoredMessage(1, 101.5, "alice", "one", "c-a", "1"),
                  StoredMessage(2, 101.6, "alice", "two", "c-a", "2")], [alice, bob])
    first.commit([StoredMessage(3, 102.5, "bob", "three")], [])
    first.heartbeat(150.0)
    # Killed: never closed. It was last seen alive at 150.

    second = SqliteStore(path)
    assert second.start_run(200.0) == 2
    assert second.last_seq() == 3
    assert [m.text for m in second.recent(2)] == ["two", "three"]
    assert [m.seq for m in second.since(1, 10)] == [2, 3]
    assert second.find("c-a", "2") == StoredMessage(2, 101.6, "alice", "two", "c-a", "2")
    assert second.find("c-b", "2") is None
    [old_alice, old_bob] = second.past_sessions()
    assert (old_alice.name, old_alice.state, old_alice.disconnected_at, old_alice.messages, old_alice.run) == (
        "alice", "server stopped", 150.0, 2, 1)
    assert (old_bob.state, old_bob.disconnected_at) == ("exit", 103.0)
    second.close()
    first.close()


def test_wal_mode_and_a_database_that_is_not_ours(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "chat.sqlite3")
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match=r"cannot use .*junk\.sqlite3 as the chat database"):
        SqliteStore(junk)


def test_a_resend_cannot_be_stored_twice(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "chat.sqlite3")
    store.start_run(1.0)
    store.commit([StoredMessage(1, 1.0, "a", "x", "c", "1")], [])
    with pytest.raises(StoreError, match="UNIQUE constraint failed") as refused:
        store.commit([StoredMessage(2, 1.0, "a", "x", "c", "1")], [])
    assert isinstance(refused.value.__cause__, sqlite3.IntegrityError)
    assert store.last_seq() == 1  # the failed transaction left nothing behind
    store.close()


def test_a_value_sqlite_cannot_take_is_a_store_error_and_leaves_nothing_behind(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "chat.sqlite3")
    store.start_run(1.0)
    with pytest.raises(StoreError):
        store.commit([StoredMessage(1, 1.0, "a", "ok"), StoredMessage(2, 1.0, "a", "\ud800")], [])
    with pytest.raises(StoreError):
        store.commit([StoredMessage(2**63, 1.0, "a", "too big a seq")], [])
    assert store.last_seq() == 0 and store.recent(5) == []
    store.close()


def test_a_failed_commit_leaves_no_transaction_open_and_the_next_batch_is_stored(tmp_path: Path) -> None:
    # COMMIT itself can fail (a full disk, an I/O error); the transaction must not stay open after it, or
    # every later BEGIN fails ("cannot start a transaction within a transaction") and nothing is stored again.
    store = SqliteStore(tmp_path / "chat.sqlite3")
    store.start_run(1.0)
    refuse = {"COMMIT": True}

    def authorizer(action: int, arg1: str | None, *_: object) -> int:
        if action == sqlite3.SQLITE_TRANSACTION and arg1 == "COMMIT" and refuse["COMMIT"]:
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    store._db.set_authorizer(authorizer)
    with pytest.raises(StoreError, match="not authorized"):
        store.commit([StoredMessage(1, 1.0, "a", "lost with its commit")], [])
    refuse["COMMIT"] = False
    store.commit([StoredMessage(1, 2.0, "a", "stored")], [])
    assert [m.text for m in store.recent(5)] == ["stored"] and store.last_seq() == 1
    store.close()


def test_every_method_of_a_closed_store_raises_store_error_only(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "chat.sqlite3")
    store.start_run(1.0)
    store.close()
    session = SessionCache(1.0).open("127.0.0.1", 1, 1.0)
    calls = {
        "start_run": lambda: store.start_run(2.0), "heartbeat": lambda: store.heartbeat(2.0),
        "last_seq": store.last_seq, "commit": lambda: store.commit([StoredMessage(1, 1.0, "a", "x")], [session]),
        "find": lambda: store.find("c", "1"), "recent": lambda: store.recent(5), "since": lambda: store.since(0, 5),
        "name_holder": lambda: store.name_holder("alice", 0.0), "past_sessions": store.past_sessions,
        "session_count": lambda: store.session_count(None), "sessions_page": lambda: store.sessions_page(1, 0, 5),
        "forget_session": lambda: store.forget_session(1), "prune": lambda: store.prune(2.0),
    }
    for name, call in calls.items():
        with pytest.raises(StoreError, match="closed database") as refused:
            call()
        assert isinstance(refused.value.__cause__, sqlite3.ProgrammingError), name


def test_memory_store_starts_empty_each_time() -> None:
    store = SqliteStore(":memory:")
    assert store.start_run(1.0) == 1 and store.recent(50) == [] and store.past_sessions() == []
    store.close()


def test_the_name_holder_is_the_client_id_that_used_the_name_last_within_the_time(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "chat.sqlite3")
    store.start_run(100.0)
    cache = SessionCache(100.0)
    first, second, anonymous, online = (cache.open("127.0.0.1", port, 100.0) for port in (1, 2, 3, 4))
    first.name, first.client_id = "Alice", "id-1"
    second.name, second.client_id = "alice", "id-2"
    anonymous.name = "bob"
    online.name, online.client_id = "carol", "id-3"
    cache.close(first, EndReason.EXIT, 110.0)
    cache.close(second, EndReason.DROPPED, 120.0)
    cache.close(anonymous, EndReason.EXIT, 130.0)
    store.commit([], [first, second, anonymous, online])
    assert store.name_holder("ALICE", since=115.0) == "id-2"  # the last to use it, whatever the case
    assert store.name_holder("alice", since=125.0) is None  # not used since
    assert store.name_holder("bob", since=0.0) is None  # used without a client id
    assert store.name_holder("carol", since=10_000.0) == "id-3"  # still online
    store.close()


def test_a_version_1_database_gains_the_client_id_and_keeps_its_sessions(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at REAL NOT NULL);
        CREATE TABLE sessions (run INTEGER NOT NULL REFERENCES runs(id), id INTEGER NOT NULL, name TEXT NOT NULL,
            host TEXT NOT NULL, port INTEGER NOT NULL, connected_at REAL NOT NULL, disconnected_at REAL,
            state TEXT NOT NULL, messages INTEGER NOT NULL, PRIMARY KEY (run, id));
        CREATE TABLE messages (seq INTEGER PRIMARY KEY, time REAL NOT NULL, sender TEXT NOT NULL, text TEXT NOT NULL,
            client_id TEXT, message_id TEXT NOT NULL DEFAULT '');
        INSERT INTO runs VALUES (1, 50.0);
        INSERT INTO sessions VALUES (1, 1, 'alice', '127.0.0.1', 5000, 51.0, 52.0, 'exit', 3);
        PRAGMA user_version = 1;
    """)
    db.close()
    store = SqliteStore(path)
    assert store.start_run(60.0) == 2
    [old] = store.past_sessions()
    assert (old.name, old.state, old.messages, old.run) == ("alice", "exit", 3, 1)
    assert store.name_holder("alice", since=0.0) is None  # version 1 knew no client ids
    cache = SessionCache(60.0)
    session = cache.open("127.0.0.1", 5001, 61.0)
    session.name, session.client_id = "alice", "id-9"
    store.commit([], [session])
    assert store.name_holder("alice", since=0.0) == "id-9"
    store.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_version_2_database_keeps_only_digests_of_client_ids_and_gains_lookalike_keys(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite3"
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at REAL NOT NULL);
        CREATE TABLE sessions (run INTEGER NOT NULL REFERENCES runs(id), id INTEGER NOT NULL, name TEXT NOT NULL,
            host TEXT NOT NULL, port INTEGER NOT NULL, connected_at REAL NOT NULL, disconnected_at REAL,
            state TEXT NOT NULL, messages INTEGER NOT NULL, client_id TEXT, name_key TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (run, id));
        CREATE TABLE messages (seq INTEGER PRIMARY KEY, time REAL NOT NULL, sender TEXT NOT NULL, text TEXT NOT NULL,
            client_id TEXT, message_id TEXT NOT NULL DEFAULT '');
        INSERT INTO runs VALUES (1, 50.0);
        INSERT INTO sessions VALUES (1, 1, 'Alice', '127.0.0.1', 5000, 51.0, 52.0, 'exit', 1, 'raw-id-1', 'alice');
        INSERT INTO sessions VALUES (1, 2, 'bob', '127.0.0.1', 5001, 51.0, NULL, 'online', 0, NULL, 'bob');
        INSERT INTO messages VALUES (1, 51.5, 'Alice', 'hi', 'raw-id-1', 'm-1');
        PRAGMA user_version = 2;
    """)
    db.close()
    store = SqliteStore(path)
    store.start_run(60.0)
    assert store.name_holder("\u0430lice", since=0.0) == client_key("raw-id-1")  # Cyrillic a: the same name
    assert store.find(client_key("raw-id-1"), "m-1") == StoredMessage(1, 51.5, "Alice", "hi", client_key("raw-id-1"),
                                                                      "m-1")
    assert store.find("raw-id-1", "m-1") is None
    bob = next(s for s in store.past_sessions() if s.name == "bob")
    assert (bob.state, bob.disconnected_at) == ("server stopped", 60.0)  # no heartbeat before version 3
    store.close()
    raw = b"".join(file.read_bytes() for file in tmp_path.glob("v2.sqlite3*"))
    assert b"raw-id-1" not in raw


def test_a_count_only_change_updates_the_count_and_leaves_the_rest_of_the_row(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "chat.sqlite3")
    run = store.start_run(100.0)
    cache = SessionCache(100.0)
    alice = cache.open("127.0.0.1", 5000, 101.0)
    alice.name, alice.client_id = "alice", "c-a"
    store.commit([], [alice])
    alice.messages = 7
    alice.name = "not written"  # a count-only write must not carry other columns along
    store.commit([StoredMessage(1, 101.5, "alice", "one", "c-a", "1")], [], counts=[alice])
    [row] = store.sessions_page(run, 0, 10)
    assert (row.name, row.messages, row.state, row.connected_at) == ("alice", 7, "online", 101.0)
    store.close()
