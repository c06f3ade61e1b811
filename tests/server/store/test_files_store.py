"""The files of schema 9 in the SQLite store: records kept and read back, a share marked in its message's own
transaction, downloads counted, quotas and totals (each content counted once), expiry of the oldest, of the old and
of the never shared, the operator's delete; and a message's file carried by every read of the history."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from chat_server.core.rooms import LOBBY_CONVERSATION, direct_conversation
from chat_server.store import FileRecord, StoredMessage, StoreError, client_key
from chat_server.store.sqlite import SqliteStore

ALICE, BOB = client_key("id-alice"), client_key("id-bob")
SHA_A, SHA_B, SHA_C = (hashlib.sha256(content).hexdigest() for content in (b"a", b"b", b"c"))
DIRECT = direct_conversation(ALICE, BOB)


def _file(number: int, sha256: str = SHA_A, size: int = 100, created: float | None = None,
          key: str = ALICE, **changes: object) -> FileRecord:
    record = FileRecord(f"{number:032x}", sha256, f"file{number}.txt", size, "text/plain", "room:2", "alice", key,
                        float(number) if created is None else created)
    return replace(record, **changes)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "chat.sqlite3")
    store.start_run(1.0)
    yield store
    store.close()


def test_a_record_is_kept_and_read_back(store: SqliteStore, tmp_path: Path) -> None:
    record = _file(1, name="Résumé.pdf", mime="application/pdf", conversation=DIRECT)
    store.add_file(record)
    assert store.file(record.id) == record
    assert store.file("f" * 32) is None
    store.close()
    again = SqliteStore(tmp_path / "chat.sqlite3")  # durable
    assert again.file(record.id) == record
    again.close()


def test_an_id_is_never_reused(store: SqliteStore) -> None:
    store.add_file(_file(1))
    with pytest.raises(StoreError, match="UNIQUE constraint failed"):
        store.add_file(_file(1, sha256=SHA_B))
    assert store.file(_file(1).id) == _file(1)


def test_files_are_listed_newest_first_with_all_they_came_to(store: SqliteStore) -> None:
    for number in (2, 1, 3):
        store.add_file(_file(number))
    store.share_file(_file(1).id)
    store.count_download(_file(1).id)
    store.count_download(_file(1).id)
    store.delete_file(_file(3).id)
    assert store.files() == [_file(3, expired=True), _file(2), _file(1, shared=True, downloads=2)]


def test_a_commit_marks_the_file_its_message_shares(store: SqliteStore) -> None:
    store.add_file(_file(1))
    store.add_file(_file(2))
    share = StoredMessage(1, 10.0, "alice", "the report", ALICE, "m1", "room:2", file=_file(1).id)
    store.commit([share, StoredMessage(2, 11.0, "bob", "thanks", BOB, "m2", "room:2")], [])
    assert store.file(_file(1).id) == _file(1, shared=True)
    assert store.file(_file(2).id) == _file(2)  # not shared: no message names it
    assert store.recent_in("room:2", 10)[0] == share


def test_a_refused_commit_marks_no_share(store: SqliteStore) -> None:
    store.add_file(_file(1))
    store.commit([StoredMessage(1, 10.0, "alice", "x", ALICE, "m1")], [])
    with pytest.raises(StoreError, match="UNIQUE constraint failed"):  # a resend under the same id: refused whole
        store.commit([StoredMessage(2, 11.0, "alice", "", ALICE, "m1", "room:2", file=_file(1).id)], [])
    assert store.file(_file(1).id) == _file(1)  # the share's transaction rolled back with its message


def test_every_read_of_the_history_carries_the_file(store: SqliteStore) -> None:
    store.add_file(_file(1, conversation=DIRECT))
    messages = [StoredMessage(1, 10.0, "alice", "hi", ALICE, "m1", LOBBY_CONVERSATION),
                StoredMessage(2, 11.0, "alice", "", ALICE, "m2", DIRECT, file=_file(1).id),
                StoredMessage(3, 12.0, "alice", "and", ALICE, "m3", DIRECT)]
    store.commit(messages, [], pending=[(BOB, 2)])
    shared = messages[1]
    assert store.recent(3) == messages and store.since(0, 10) == messages
    assert store.find(ALICE, "m2") == shared
    assert store.recent_in(DIRECT, 10) == messages[1:]
    assert store.before_in(DIRECT, 3, 10) == [shared]
    assert store.after_in(DIRECT, 1, 10) == messages[1:]
    assert store.pending_for(BOB, 10) == [shared]


def test_downloads_are_counted(store: SqliteStore) -> None:
    store.add_file(_file(1))
    for _ in range(3):
        store.count_download(_file(1).id)
    store.count_download("f" * 32)  # none such: nothing happens
    assert store.file(_file(1).id).downloads == 3  # type: ignore[union-attr]


def test_a_members_bytes_are_counted_from_a_time(store: SqliteStore) -> None:
    store.add_file(_file(1, size=100, created=10.0))
    store.add_file(_file(2, size=200, created=20.0))
    store.add_file(_file(3, size=400, created=30.0, key=BOB))
    store.add_file(_file(4, size=800, created=40.0, expired=True))  # an expired upload was uploaded all the same
    assert store.member_bytes_since(ALICE, 0.0) == 1100
    assert store.member_bytes_since(ALICE, 20.0) == 1000
    assert store.member_bytes_since(ALICE, 41.0) == 0
    assert store.member_bytes_since(BOB, 0.0) == 400
    assert store.member_bytes_since("nobody", 0.0) == 0


def test_stored_bytes_count_each_content_once_and_only_live_ones(store: SqliteStore) -> None:
    assert store.stored_bytes() == 0
    store.add_file(_file(1, SHA_A, 100))
    store.add_file(_file(2, SHA_A, 100, conversation=DIRECT))  # the same content shared elsewhere: one blob
    store.add_file(_file(3, SHA_B, 250))
    store.add_file(_file(4, SHA_C, 1000, expired=True))
    assert store.stored_bytes() == 350
    assert store.sha_in_use(SHA_A) and store.sha_in_use(SHA_B) and not store.sha_in_use(SHA_C)


def test_the_oldest_files_expire_to_fit_a_total(store: SqliteStore) -> None:
    store.add_file(_file(1, SHA_A, 100, created=10.0))
    store.add_file(_file(2, SHA_B, 200, created=20.0))
    store.add_file(_file(3, SHA_A, 100, created=30.0))  # SHA_A again: its blob stays while this one lives
    store.add_file(_file(4, SHA_C, 300, created=40.0))
    assert store.stored_bytes() == 600
    assert store.expire_files(600) == []
    # 500: file 1 expires, but its content lives on in file 3: then file 2 goes too (400).
    assert store.expire_files(500) == [_file(1, SHA_A, 100, created=10.0, expired=True),
                                       _file(2, SHA_B, 200, created=20.0, expired=True)]
    assert store.stored_bytes() == 400 and store.sha_in_use(SHA_A) and not store.sha_in_use(SHA_B)
    assert store.expire_files(0) == [_file(3, SHA_A, 100, created=30.0, expired=True),
                                     _file(4, SHA_C, 300, created=40.0, expired=True)]
    assert store.stored_bytes() == 0 and store.expire_files(0) == []


def test_old_files_and_uploads_never_shared_expire(store: SqliteStore) -> None:
    store.add_file(_file(1, created=10.0, shared=True))
    store.add_file(_file(2, created=20.0))  # never shared
    store.add_file(_file(3, created=30.0, shared=True))
    store.add_file(_file(4, created=40.0))  # never shared, recent
    assert store.expire_old_files(None, unshared_before=35.0) == [_file(2, created=20.0, expired=True)]
    assert store.expire_old_files(25.0, unshared_before=35.0) == [_file(1, created=10.0, shared=True, expired=True)]
    assert store.expire_old_files(None, unshared_before=35.0) == []
    assert [f.id for f in store.files() if not f.expired] == [_file(4).id, _file(3).id]


def test_the_operator_deletes_a_file_and_its_record_stays_expired(store: SqliteStore) -> None:
    store.add_file(_file(1, shared=True))
    assert store.delete_file(_file(1).id) == _file(1, shared=True, expired=True)
    assert store.file(_file(1).id) == _file(1, shared=True, expired=True)
    assert store.delete_file(_file(1).id) is None  # once
    assert store.delete_file("f" * 32) is None
    assert not store.sha_in_use(SHA_A)


def test_a_failing_store_says_so_as_store_error(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "chat.sqlite3")
    store.close()
    for call in (lambda: store.file("0" * 32), store.files, store.stored_bytes, lambda: store.sha_in_use(SHA_A),
                 lambda: store.member_bytes_since(ALICE, 0.0), lambda: store.add_file(_file(1)),
                 lambda: store.expire_files(0), lambda: store.delete_file("0" * 32)):
        with pytest.raises(StoreError):
            call()


def test_the_tables_indexes_serve_the_questions_asked(store: SqliteStore) -> None:
    plans = {
        "SELECT 1 FROM files WHERE sha256 = ? AND expired = 0 LIMIT 1": "live_files_by_sha256",
        "SELECT COALESCE(SUM(size), 0) FROM files WHERE sender_key = ? AND created >= ?": "files_by_sender",
        "SELECT id, sha256, size FROM files WHERE expired = 0 ORDER BY created, id": "live_files_by_age",
    }
    db = store._db
    for sql, index in plans.items():
        plan = " ".join(str(row[-1]) for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", ("x", 1.0)[:sql.count("?")]))
        assert index in plan, (sql, plan)
