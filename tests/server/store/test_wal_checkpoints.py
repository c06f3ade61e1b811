"""The store's write-ahead log is checkpointed by a thread of its own, never by a commit (which would make that pass's
ACKs wait for the copy and the disk's sync)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from chat_server.core.rooms import LOBBY_CONVERSATION
from chat_server.store import StoredMessage, client_key
from chat_server.store.sqlite import SqliteStore
from chat_server.store.wal_checkpoints import WRITER_CHECKPOINT_PAGES

ALICE = client_key("id-alice")
WAIT_S = 10.0


def in_file_alone(path: Path) -> int:
    """How many messages the database file holds without its log (what checkpoints copied into it)."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'messages'").fetchone() is None:
            return 0  # not even the tables are in the file yet
        return int(db.execute("SELECT COUNT(*) FROM messages").fetchone()[0])
    finally:
        db.close()


MESSAGES = [StoredMessage(seq, 100.0 + seq, "alice", f"message {seq} " + "words " * 40, ALICE, str(seq),
                          LOBBY_CONVERSATION) for seq in range(1, 3001)]
"""Over 1,000 pages of log in 300 commits: SQLite's own default would have made one of them checkpoint."""


def commit_in_passes(store: SqliteStore) -> None:
    for first in range(0, len(MESSAGES), 10):  # commits of ten, as the passes of a busy chat would make them
        store.commit(MESSAGES[first:first + 10], [])


def test_commits_are_copied_into_the_file_by_the_thread(tmp_path: Path) -> None:
    path = tmp_path / "chat.sqlite3"
    store = SqliteStore(path)
    checkpoints = store._checkpoints
    assert checkpoints is not None and checkpoints.running
    store.start_run(1.0)
    commit_in_passes(store)
    while in_file_alone(path) < len(MESSAGES):  # (a checkpoint that began mid-way: the last commit asked for another)
        checkpoints.checkpointed.clear()
        assert checkpoints.checkpointed.wait(WAIT_S)
    assert in_file_alone(path) == len(MESSAGES)
    store.close()
    assert not checkpoints.running


def test_the_writer_does_not_checkpoint_a_log_of_ordinary_size_itself(tmp_path: Path) -> None:
    path = tmp_path / "chat.sqlite3"
    store = SqliteStore(path)
    assert store._one("PRAGMA wal_autocheckpoint")[0] == WRITER_CHECKPOINT_PAGES
    assert store._checkpoints is not None
    store._checkpoints.close()  # the thread stopped: nothing copies the log back now
    store.start_run(1.0)
    commit_in_passes(store)
    assert in_file_alone(path) == 0  # SQLite's default (1,000 pages) would have; a commit waited for it then
    store.close()
    assert in_file_alone(path) == len(MESSAGES)  # the writer's close copies what the log holds


def test_a_store_in_memory_has_no_log_to_checkpoint() -> None:
    store = SqliteStore()
    assert store._checkpoints is None
    store.close()
