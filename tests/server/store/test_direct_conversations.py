"""The direct conversations a member took part in, from the SQLite store (what its history on joining reads)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chat_server.core.rooms import direct_conversation, room_conversation
from chat_server.store import StoredMessage, StoreError
from chat_server.store.sqlite import SqliteStore

A, B, C = "a" * 64, "b" * 64, "c" * 64


def test_a_members_direct_conversations_are_those_it_is_in_whichever_side(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "chat.sqlite3")
    store.commit([StoredMessage(1, 1.0, "ann", "to ben", None, "", direct_conversation(A, B)),
                  StoredMessage(2, 2.0, "cat", "to ann", None, "", direct_conversation(C, A)),
                  StoredMessage(3, 3.0, "ben", "to cat", None, "", direct_conversation(B, C)),
                  StoredMessage(4, 4.0, "ann", "in a room", None, "", room_conversation(2)),
                  StoredMessage(5, 5.0, "ann", "again", None, "", direct_conversation(B, A))], [])
    assert store.direct_conversations(A) == sorted([direct_conversation(A, B), direct_conversation(A, C)])
    assert store.direct_conversations(C) == sorted([direct_conversation(A, C), direct_conversation(B, C)])
    assert store.direct_conversations("d" * 64) == []
    store.close()
    with pytest.raises(StoreError, match="closed database"):
        store.direct_conversations(A)


def test_a_members_last_name_is_that_of_its_latest_session(tmp_path: Path) -> None:
    from chat_server.core.sessions import SessionCache  # the sessions as the engine records them

    store = SqliteStore(tmp_path / "chat.sqlite3")
    store.start_run(10.0)
    cache = SessionCache(10.0)
    first = cache.open("127.0.0.1", 5000, 11.0)
    first.name, first.client_id = "alice", A
    second = cache.open("127.0.0.1", 5001, 12.0)
    second.name, second.client_id = "alicia", A
    store.commit([], [first, second])
    assert store.last_name(A) == "alicia"
    assert store.last_name(B) is None
