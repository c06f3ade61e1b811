"""The files table in SQLite (schema 9, chat_server/store/schema.py ``FILES``): the statements of the ``Store``'s file
methods, run by ``SqliteStore`` on its connection (the writes inside its transactions, the failures made
``StoreError`` there).

With sqlite.py, one of the modules that import ``sqlite3``; the blobs themselves are blobs.py's.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from chat_server.store import FileRecord, StoredMessage

_COLUMNS = "id, sha256, name, size, mime, conversation, sender, sender_key, created, shared, downloads, expired"
"""The columns of a FileRecord, in its order."""


def _record(row: Any) -> FileRecord:
    file_id, sha256, name, size, mime, conversation, sender, sender_key, created, shared, downloads, expired = row
    return FileRecord(file_id, sha256, name, size, mime, conversation, sender, sender_key, created, bool(shared),
                      downloads, bool(expired))


def add_file(db: sqlite3.Connection, record: FileRecord) -> None:
    db.execute(f"INSERT INTO files ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (record.id, record.sha256, record.name, record.size, record.mime, record.conversation, record.sender,
                record.sender_key, record.created, int(record.shared), record.downloads, int(record.expired)))


def file(db: sqlite3.Connection, file_id: str) -> FileRecord | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM files WHERE id = ?", (file_id,)).fetchone()
    return None if row is None else _record(row)


def files(db: sqlite3.Connection) -> list[FileRecord]:
    return [_record(row) for row in db.execute(f"SELECT {_COLUMNS} FROM files ORDER BY created DESC, id")]


def shares_of(messages: Sequence[StoredMessage]) -> list[tuple[str]]:
    """The files the messages of a commit share, as the parameters of ``mark_shared`` (none, nearly always)."""
    return [(m.file,) for m in messages if m.file is not None]


def mark_shared(db: sqlite3.Connection, file_ids: Iterable[tuple[str]]) -> None:
    db.executemany("UPDATE files SET shared = 1 WHERE id = ? AND shared = 0", file_ids)


def count_download(db: sqlite3.Connection, file_id: str) -> None:
    db.execute("UPDATE files SET downloads = downloads + 1 WHERE id = ?", (file_id,))


def _expire(db: sqlite3.Connection, file_ids: list[str]) -> list[FileRecord]:
    """Expire these live files: their records as they are now, in the order given."""
    db.executemany("UPDATE files SET expired = 1 WHERE id = ?", [(file_id,) for file_id in file_ids])
    records = {record.id: record for record in (file(db, file_id) for file_id in file_ids) if record is not None}
    return [records[file_id] for file_id in file_ids if file_id in records]


def expire_files(db: sqlite3.Connection, keep_bytes: int) -> list[FileRecord]:
    live = db.execute("SELECT id, sha256, size FROM files WHERE expired = 0 ORDER BY created, id").fetchall()
    users = Counter(sha256 for _, sha256, _ in live)  # how many live records each blob has
    sizes = {str(sha256): int(size) for _, sha256, size in live}
    total = sum(sizes.values())
    gone: list[str] = []
    for file_id, sha256, _ in live:
        if total <= keep_bytes:
            break
        gone.append(str(file_id))
        users[sha256] -= 1
        if not users[sha256]:  # its blob's last live record: the blob's bytes are freed
            total -= sizes[sha256]
    return _expire(db, gone)


def expire_old_files(db: sqlite3.Connection, before: float | None, unshared_before: float) -> list[FileRecord]:
    rows = db.execute("SELECT id FROM files WHERE expired = 0 AND (created < ? OR (shared = 0 AND created < ?))"
                      " ORDER BY created, id", (before if before is not None else float("-inf"), unshared_before))
    return _expire(db, [str(file_id) for (file_id,) in rows.fetchall()])


def delete_file(db: sqlite3.Connection, file_id: str) -> FileRecord | None:
    found = db.execute("SELECT 1 FROM files WHERE id = ? AND expired = 0", (file_id,)).fetchone()
    return None if found is None else _expire(db, [file_id])[0]


def sha_in_use(db: sqlite3.Connection, sha256: str) -> bool:
    return db.execute("SELECT 1 FROM files WHERE sha256 = ? AND expired = 0 LIMIT 1", (sha256,)).fetchone() is not None


def holds_content(db: sqlite3.Connection, sender_key: str, sha256: str, size: int) -> bool:
    return db.execute("SELECT 1 FROM files WHERE sha256 = ? AND size = ? AND sender_key = ? AND expired = 0 LIMIT 1",
                      (sha256, size, sender_key)).fetchone() is not None


def member_bytes_since(db: sqlite3.Connection, sender_key: str, since: float) -> int:
    row = db.execute("SELECT COALESCE(SUM(size), 0) FROM files WHERE sender_key = ? AND created >= ?",
                     (sender_key, since)).fetchone()
    return int(row[0])


def unshared_file(db: sqlite3.Connection, sender_key: str, conversation: str, sha256: str, size: int,
                  name: str) -> FileRecord | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM files WHERE sha256 = ? AND expired = 0 AND shared = 0"
                     " AND sender_key = ? AND conversation = ? AND size = ? AND name = ? LIMIT 1",
                     (sha256, sender_key, conversation, size, name)).fetchone()
    return None if row is None else _record(row)


def stored_bytes(db: sqlite3.Connection) -> int:
    # Each blob once: the records of one digest share it (their sizes are the same, the content being).
    row = db.execute("SELECT COALESCE(SUM(size), 0) FROM (SELECT MAX(size) AS size FROM files WHERE expired = 0"
                     " GROUP BY sha256)").fetchone()
    return int(row[0])
