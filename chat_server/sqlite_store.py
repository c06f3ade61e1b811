"""The store in SQLite (WAL mode): history and sessions survive restarts and SIGKILL."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from chat_server.names import name_key
from chat_server.protocol import ONLINE, EndReason, SessionInfo
from chat_server.sessions import Session
from chat_server.store import StoredMessage

MEMORY = ":memory:"
SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    run INTEGER NOT NULL REFERENCES runs(id),
    id INTEGER NOT NULL,
    name TEXT NOT NULL,
    host TEXT NOT NULL,
    port INTEGER NOT NULL,
    connected_at REAL NOT NULL,
    disconnected_at REAL,
    state TEXT NOT NULL,
    messages INTEGER NOT NULL,
    client_id TEXT,
    name_key TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (run, id)
);
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY,
    time REAL NOT NULL,
    sender TEXT NOT NULL,
    text TEXT NOT NULL,
    client_id TEXT,
    message_id TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX IF NOT EXISTS messages_by_client_id
    ON messages (client_id, message_id) WHERE client_id IS NOT NULL;
"""

# What version 1 lacked: the client id of each session, and its name folded for the reservation lookup.
_MIGRATE_1_TO_2 = """
ALTER TABLE sessions ADD COLUMN client_id TEXT;
ALTER TABLE sessions ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
"""

_NAME_INDEX = """
CREATE INDEX IF NOT EXISTS sessions_by_name_key ON sessions (name_key) WHERE client_id IS NOT NULL;
"""


class StoreError(Exception):
    """The database cannot be opened or is not ours; the text says why in plain words."""


class SqliteStore:
    """History and the connection cache of every run in one SQLite file (or in memory)."""

    def __init__(self, path: str | Path = MEMORY, synchronous: str = "NORMAL") -> None:
        self.path = str(path)
        if self.path != MEMORY:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            # Autocommit mode: transactions are begun and committed explicitly below.
            self._db = sqlite3.connect(self.path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a commit survives the process being killed; FULL also
            # survives a power cut, at the price of an fsync per commit.
            self._db.execute(f"PRAGMA synchronous={'FULL' if synchronous.upper() == 'FULL' else 'NORMAL'}")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(f"{self.path} was written by a newer version of this server")
            if version == 1:
                self._db.executescript(_MIGRATE_1_TO_2)
            self._db.executescript(_SCHEMA + _NAME_INDEX)
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot use {self.path} as the chat database: {exc}") from exc
        self.run = 0

    def start_run(self, started_at: float) -> int:
        with self._transaction():
            self._db.execute(
                "UPDATE sessions SET state = ?, disconnected_at = ? WHERE state = ?",
                (EndReason.SERVER_STOPPED.value, started_at, ONLINE),
            )
            cursor = self._db.execute("INSERT INTO runs (started_at) VALUES (?)", (started_at,))
        self.run = int(cursor.lastrowid or 0)
        return self.run

    def last_seq(self) -> int:
        return int(self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM messages").fetchone()[0])

    def commit(self, messages: Sequence[StoredMessage], sessions: Iterable[Session]) -> None:
        with self._transaction():
            if messages:
                self._db.executemany(
                    "INSERT INTO messages (seq, time, sender, text, client_id, message_id) VALUES (?, ?, ?, ?, ?, ?)",
                    [(m.seq, m.time, m.sender, m.text, m.client_id, m.message_id) for m in messages],
                )
            self._db.executemany(
                "INSERT OR REPLACE INTO sessions (run, id, name, host, port, connected_at, disconnected_at, state,"
                " messages, client_id, name_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(self.run, s.id, s.name, s.host, s.port, s.connected_at, s.disconnected_at, s.state, s.messages,
                  s.client_id, name_key(s.name)) for s in sessions],
            )

    def name_holder(self, name: str, since: float) -> str | None:
        row = self._db.execute(
            "SELECT client_id FROM sessions WHERE name_key = ? AND client_id IS NOT NULL"
            " AND (disconnected_at IS NULL OR disconnected_at >= ?)"
            " ORDER BY COALESCE(disconnected_at, 1e300) DESC LIMIT 1", (name_key(name), since),
        ).fetchone()
        return str(row[0]) if row else None

    def find(self, client_id: str, message_id: str) -> StoredMessage | None:
        row = self._db.execute(
            "SELECT seq, time, sender, text, client_id, message_id FROM messages"
            " WHERE client_id = ? AND message_id = ?", (client_id, message_id),
        ).fetchone()
        return StoredMessage(*row) if row else None

    def recent(self, limit: int) -> list[StoredMessage]:
        rows = self._db.execute(
            "SELECT seq, time, sender, text, client_id, message_id FROM messages ORDER BY seq DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [StoredMessage(*row) for row in reversed(rows)]

    def since(self, seq: int, limit: int) -> list[StoredMessage]:
        rows = self._db.execute(
            "SELECT seq, time, sender, text, client_id, message_id FROM messages WHERE seq > ? ORDER BY seq LIMIT ?",
            (seq, limit),
        ).fetchall()
        return [StoredMessage(*row) for row in rows]

    def past_sessions(self) -> list[SessionInfo]:
        rows = self._db.execute(
            "SELECT name, host, port, connected_at, disconnected_at, state, messages, run FROM sessions"
            " WHERE run < ? ORDER BY run, id", (self.run,),
        ).fetchall()
        return [SessionInfo(*row) for row in rows]

    def close(self) -> None:
        self._db.close()

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """BEGIN ... COMMIT, or ROLLBACK if the body raised."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN")

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")
