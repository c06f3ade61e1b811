"""Schema 9 (files): a database of version 8, as the server wrote it before files came, is upgraded once: its
messages (none of them a share), rooms, markers and search index kept, the ``files`` table and ``messages.file``
added; then shares are stored and read back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from chat_server.store import FileRecord, SearchQuery, StoredMessage
from chat_server.store.schema import MIGRATE_7_TO_8, SEARCH_INDEX
from chat_server.store.sqlite import SCHEMA_VERSION, SqliteStore
from tests.server.store.test_schema_6 import (
    ALICE,
    BOB,
    HISTORY,
    MEMBERSHIPS,
    ROOMS,
    tables,
    user_version,
    version_5_database,
)

READ_MARKERS_7 = ("CREATE TABLE read_markers (member TEXT NOT NULL, conversation TEXT NOT NULL,"
                  " seq INTEGER NOT NULL, PRIMARY KEY (member, conversation)) WITHOUT ROWID;"
                  f" INSERT INTO read_markers VALUES ('{BOB}', 'room:2', 2);")


def version_8_database(path: Path) -> Path:
    """Version 5's history, with version 6's invitation news, 7's read markers and 8's search index."""
    version_5_database(path, with_news_table=True)
    db = sqlite3.connect(path)
    db.executescript(f"{READ_MARKERS_7} BEGIN; {SEARCH_INDEX} {MIGRATE_7_TO_8} COMMIT; PRAGMA user_version = 8;")
    db.close()
    return path


def _columns(path: Path, table: str) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
    finally:
        db.close()


def test_a_version_8_database_gets_files_and_keeps_its_history(tmp_path: Path) -> None:
    path = version_8_database(tmp_path / "v8.sqlite3")
    assert "files" not in tables(path) and "file" not in _columns(path, "messages")
    store = SqliteStore(path)
    assert user_version(path) == SCHEMA_VERSION == 9
    assert "files" in tables(path) and _columns(path, "messages")[-1] == "file"
    assert store.start_run(60.0) == 3 and store.last_seq() == 3
    assert store.since(0, 50) == HISTORY and all(m.file is None for m in store.since(0, 50))
    assert store.pending_for(BOB, 10) == [HISTORY[2]]
    assert store.rooms() == ROOMS and store.memberships() == MEMBERSHIPS
    assert store.read_markers(BOB) == [("room:2", 2)]
    assert store.take_invitation_news(BOB) == [(2, "alice", 51.3)]
    found, more = store.search(SearchQuery(("team",), ("room:2",)))
    assert [f.message for f in found] == [HISTORY[1]] and not more  # the index of version 8, as it was
    # Files work in the upgraded file, and a share is read back with its file.
    record = FileRecord("ab" * 16, "cd" * 32, "plan.pdf", 10, "application/pdf", "room:2", "alice", ALICE, 61.0)
    store.add_file(record)
    share = StoredMessage(4, 62.0, "alice", "the plan", ALICE, "m-4", "room:2", file=record.id)
    store.commit([share], [])
    assert store.recent_in("room:2", 2) == [HISTORY[1], share]
    assert store.file(record.id) == FileRecord("ab" * 16, "cd" * 32, "plan.pdf", 10, "application/pdf", "room:2",
                                               "alice", ALICE, 61.0, shared=True)
    store.close()

    again = SqliteStore(path)  # now of this version: opened as it is
    assert user_version(path) == SCHEMA_VERSION
    assert again.since(0, 50) == [*HISTORY, share]
    assert again.files() == [FileRecord("ab" * 16, "cd" * 32, "plan.pdf", 10, "application/pdf", "room:2", "alice",
                                        ALICE, 61.0, shared=True)]
    again.close()


def test_a_version_5_database_gets_every_version_since(tmp_path: Path) -> None:
    path = version_5_database(tmp_path / "v5.sqlite3")
    store = SqliteStore(path)
    assert user_version(path) == SCHEMA_VERSION
    assert "file" in _columns(path, "messages") and store.since(0, 50) == HISTORY and store.files() == []
    store.close()
