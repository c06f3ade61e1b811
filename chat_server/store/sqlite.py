"""The store in SQLite (WAL mode): history and sessions survive restarts and SIGKILL.

Over 400 lines: every statement of the ``Store`` interface (history, sessions, rooms, markers, search's index) against
one connection, with the migrations run when the file is opened: the whole of what is written, in one place.

With its search (sqlite_search.py), its files' statements (sqlite_files.py) and its log's checkpoints
(wal_checkpoints.py), the only module that imports ``sqlite3``: whatever SQLite raises leaves it as ``StoreError``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from chat_server.core.names import name_keys
from chat_server.core.rooms import DIRECT_PREFIX, LOBBY, LOBBY_ID, ROOM_PREFIX, Membership, RoomInfo
from chat_server.core.sessions import Session
from chat_server.protocol import ONLINE, EndReason, SessionInfo
from chat_server.store import FileRecord, Found, Searcher, SearchQuery, StoredMessage, StoreError, client_key
from chat_server.store import sqlite_files as files_table
from chat_server.store.schema import (
    DROP_INSERT_TRIGGER,
    INSERT_LOBBY,
    MIGRATE_1_TO_2,
    MIGRATE_2_TO_3,
    MIGRATE_3_TO_4,
    MIGRATE_4_TO_5,
    MIGRATE_7_TO_8,
    MIGRATE_8_TO_9,
    NAME_INDEX,
    SCHEMA,
    SCHEMA_VERSION,
    SEARCH_INDEX,
    SEARCH_MERGING,
    SEARCH_TABLE,
)
from chat_server.store.sqlite_search import SqliteSearcher, register_functions, search
from chat_server.store.wal_checkpoints import WRITER_CHECKPOINT_PAGES, WalCheckpointer

log = logging.getLogger(__name__)

_T = TypeVar("_T")

MEMORY = ":memory:"
DATABASE_MODE = 0o600
"""The database holds every message and who sent it: readable by its owner only (SQLite gives its -wal and
-shm files the same mode)."""



def _name_key_sql(name: str, folded: int) -> str:
    return name_keys(name)[1 if folded else 0]


def _client_key_sql(client_id: str | None) -> str | None:
    return None if client_id is None else client_key(client_id)


def _create_private(path: Path) -> None:
    """Create the database file readable by its owner only, or make an existing one so."""
    if os.name != "posix":
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, DATABASE_MODE)
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077 and path.stat().st_uid == os.getuid():
            log.warning("%s could be read by other users: making it readable by you only", path)
            for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                if file.exists():
                    file.chmod(DATABASE_MODE)
        return
    os.close(fd)


_MESSAGE_COLUMNS = "seq, time, sender, text, client_id, message_id, conversation, file"
"""The columns of a StoredMessage, in its order."""
_INDEX_TEXT = f"INSERT INTO {SEARCH_TABLE} (rowid, text) VALUES (?, ?)"

_SESSION_COLUMNS = "name, host, port, connected_at, disconnected_at, state, messages, run, attempts"
"""The columns of a SessionInfo, in its order."""


_FAILURES = (sqlite3.Error, ValueError, OverflowError)
"""What SQLite raises: its own errors, and a value it cannot take (a lone surrogate, an integer over 64 bits)."""


class SqliteStore:
    """History and the connection cache of every run in one SQLite file (or in memory)."""

    def __init__(self, path: str | Path = MEMORY, synchronous: str = "NORMAL") -> None:
        self.path = str(path)
        try:
            if self.path != MEMORY:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                _create_private(Path(self.path))
        except OSError as exc:
            raise StoreError(f"cannot use {self.path} as the chat database: {exc.strerror or exc}") from exc
        try:
            # Autocommit mode: transactions are begun and committed explicitly below.
            self._db = sqlite3.connect(self.path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            if self.path != MEMORY:  # the log is checkpointed by a thread of its own (wal_checkpoints.py says why)
                self._db.execute(f"PRAGMA wal_autocheckpoint={WRITER_CHECKPOINT_PAGES}")
            # NORMAL in WAL mode: a commit survives the process being killed; FULL also
            # survives a power cut, at the price of an fsync per commit.
            self._db.execute(f"PRAGMA synchronous={'FULL' if synchronous.upper() == 'FULL' else 'NORMAL'}")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(f"{self.path} was written by a newer version of this server")
            self._db.create_function("lanchat_name_key", 2, _name_key_sql, deterministic=True)
            self._db.create_function("lanchat_client_key", 1, _client_key_sql, deterministic=True)
            register_functions(self._db)
            if version == 1:
                self._db.executescript(MIGRATE_1_TO_2)
            if 1 <= version <= 2:
                # The ids replaced by their digests must not linger in freed pages.
                self._db.execute("PRAGMA secure_delete=ON")
                self._db.executescript(f"BEGIN; {MIGRATE_2_TO_3} COMMIT;")
                self._db.execute("PRAGMA secure_delete=OFF")
            if 1 <= version <= 3:
                self._db.executescript(MIGRATE_3_TO_4)
            if 1 <= version <= 4 and not self._has_column("messages", "conversation"):
                self._db.executescript(MIGRATE_4_TO_5)
            if 1 <= version <= 8 and not self._has_column("messages", "file"):
                self._db.executescript(MIGRATE_8_TO_9)
            self._db.executescript(SCHEMA + NAME_INDEX)
            if not self._has_table(SEARCH_TABLE):  # a new file, or one from before search: index what it holds
                self._db.executescript(f"BEGIN; {SEARCH_INDEX} {MIGRATE_7_TO_8} COMMIT;")
            elif version == SCHEMA_VERSION:
                self._db.execute(DROP_INSERT_TRIGGER)
            self._db.execute(SEARCH_MERGING)
            self._db.execute(INSERT_LOBBY, (LOBBY_ID, LOBBY, LOBBY, time.time()))
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except _FAILURES as exc:
            raise StoreError(f"cannot use {self.path} as the chat database: {exc}") from exc
        self.run = 0
        self._checkpoints = WalCheckpointer(self.path) if self.path != MEMORY else None

    def start_run(self, started_at: float) -> int:
        with self._transaction():
            # What a killed run left open ended when that run was last seen alive (or, for a run from before
            # heartbeats were written, when this one starts).
            self._db.execute(
                "UPDATE sessions SET state = ?, disconnected_at = MAX(connected_at, COALESCE("
                " (SELECT alive_at FROM runs WHERE runs.id = sessions.run), ?)) WHERE state = ?",
                (EndReason.SERVER_STOPPED.value, started_at, ONLINE),
            )
            cursor = self._db.execute("INSERT INTO runs (started_at, alive_at) VALUES (?, ?)",
                                      (started_at, started_at))
        self.run = int(cursor.lastrowid or 0)
        return self.run

    def heartbeat(self, now: float) -> None:
        with self._transaction():
            self._db.execute("UPDATE runs SET alive_at = ? WHERE id = ?", (now, self.run))
        if self._checkpoints is not None:  # (what other writes than commits left in the log goes back too)
            self._checkpoints.written()

    def last_seq(self) -> int:
        return int(self._one("SELECT COALESCE(MAX(seq), 0) FROM messages")[0])

    def commit(self, messages: Sequence[StoredMessage], sessions: Iterable[Session],
               pending: Sequence[tuple[str, int]] = (), counts: Sequence[Session] = ()) -> None:
        with self._transaction():
            if messages:
                self._db.executemany(
                    "INSERT INTO messages (seq, time, sender, text, client_id, message_id, conversation, file)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [(m.seq, m.time, m.sender, m.text, m.client_id, m.message_id, m.conversation, m.file)
                     for m in messages],
                )
                # Indexed for search in the same transaction (schema.py's SEARCH_INDEX says why not by a trigger).
                self._db.executemany(_INDEX_TEXT, [(m.seq, m.text) for m in messages])
                shares = files_table.shares_of(messages)
                if shares:  # a shared file is marked in its message's transaction: never one without the other
                    files_table.mark_shared(self._db, shares)
            if pending:
                self._db.executemany("INSERT INTO pending_direct (recipient, seq) VALUES (?, ?)", pending)
            self._db.executemany(
                "INSERT OR REPLACE INTO sessions (run, id, name, host, port, connected_at, disconnected_at, state,"
                " messages, client_id, name_key, name_look, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(self.run, s.id, s.name, s.host, s.port, s.connected_at, s.disconnected_at, s.state, s.messages,
                  s.client_id, *reversed(name_keys(s.name)), s.attempts) for s in sessions],
            )
            if counts:  # an UPDATE of a column no index holds: REPLACE would rewrite the row in all four indexes
                self._db.executemany("UPDATE sessions SET messages = ? WHERE run = ? AND id = ?",
                                     [(s.messages, self.run, s.id) for s in counts])
        if self._checkpoints is not None:
            self._checkpoints.written()

    def name_holder(self, name: str, since: float) -> str | None:
        look, folded = name_keys(name)
        row = self._one(
            "SELECT client_id FROM sessions WHERE (name_key = ? OR name_look = ?) AND client_id IS NOT NULL"
            " AND (disconnected_at IS NULL OR disconnected_at >= ?)"
            " ORDER BY COALESCE(disconnected_at, 1e300) DESC LIMIT 1", (folded, look, since),
        )
        return str(row[0]) if row else None

    def find(self, client_id: str, message_id: str) -> StoredMessage | None:
        row = self._one(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages"
            " WHERE client_id = ? AND message_id = ?", (client_id, message_id),
        )
        return StoredMessage(*row) if row else None

    def recent(self, limit: int) -> list[StoredMessage]:
        rows = self._all(f"SELECT {_MESSAGE_COLUMNS} FROM messages ORDER BY seq DESC LIMIT ?", (limit,))
        return [StoredMessage(*row) for row in reversed(rows)]

    def since(self, seq: int, limit: int) -> list[StoredMessage]:
        rows = self._all(f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit))
        return [StoredMessage(*row) for row in rows]

    def recent_in(self, conversation: str, limit: int) -> list[StoredMessage]:
        rows = self._all(f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation = ? ORDER BY seq DESC LIMIT ?",
                         (conversation, limit))
        return [StoredMessage(*row) for row in reversed(rows)]

    def before_in(self, conversation: str, before: int, limit: int) -> list[StoredMessage]:
        rows = self._all(f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation = ? AND seq < ?"
                         " ORDER BY seq DESC LIMIT ?", (conversation, before, limit))
        return [StoredMessage(*row) for row in reversed(rows)]

    def after_in(self, conversation: str, after: int, limit: int) -> list[StoredMessage]:
        rows = self._all(f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation = ? AND seq > ?"
                         " ORDER BY seq LIMIT ?", (conversation, after, limit))
        return [StoredMessage(*row) for row in rows]

    def last_name(self, member: str) -> str | None:
        row = self._one("SELECT name FROM sessions WHERE client_id = ? ORDER BY connected_at DESC LIMIT 1", (member,))
        return None if row is None else str(row[0])

    def direct_conversations(self, member: str) -> list[str]:
        # A range of the (conversation, seq) index: the direct conversations, then the member's among them.
        first, last = DIRECT_PREFIX, DIRECT_PREFIX[:-1] + chr(ord(DIRECT_PREFIX[-1]) + 1)
        rows = self._all("SELECT DISTINCT conversation FROM messages WHERE conversation >= ? AND conversation < ?",
                         (first, last))
        own, theirs = f"{DIRECT_PREFIX}{member}|", f"|{member}"
        return sorted(c for (c,) in rows if c.startswith(own) or c.endswith(theirs))

    def room_message_counts(self) -> dict[str, int]:
        # A range of the (conversation, seq) index: the rooms' conversations, counted in one pass.
        first, last = ROOM_PREFIX, ROOM_PREFIX[:-1] + chr(ord(ROOM_PREFIX[-1]) + 1)
        rows = self._all("SELECT conversation, COUNT(*) FROM messages WHERE conversation >= ? AND conversation < ?"
                         " GROUP BY conversation", (first, last))
        return {str(conversation): int(count) for conversation, count in rows}

    def rooms(self) -> list[RoomInfo]:
        rows = self._all("SELECT id, key, display, topic, private, owner, created_at, closed_at FROM rooms ORDER BY id")
        return [RoomInfo(id, key, display, topic, bool(private), owner, created_at, closed_at)
                for id, key, display, topic, private, owner, created_at, closed_at in rows]

    def memberships(self) -> list[Membership]:
        rows = self._all("SELECT room, member, invited FROM room_members"
                         " WHERE room IN (SELECT id FROM rooms WHERE closed_at IS NULL) ORDER BY room, member")
        return [Membership(room, member, bool(invited)) for room, member, invited in rows]

    def change_rooms(self, rooms: Iterable[RoomInfo], saved: Iterable[Membership],
                     forgotten: Iterable[Membership]) -> None:
        with self._transaction():
            self._db.executemany(
                # An upsert, not INSERT OR REPLACE: that would delete another open room of the same name.
                "INSERT INTO rooms (id, key, display, topic, private, owner, created_at, closed_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET key = excluded.key,"
                " display = excluded.display, topic = excluded.topic, private = excluded.private,"
                " owner = excluded.owner, created_at = excluded.created_at, closed_at = excluded.closed_at",
                [(r.id, r.key, r.display, r.topic, int(r.private), r.owner, r.created_at, r.closed_at)
                 for r in rooms],
            )
            forgotten = list(forgotten)
            self._db.executemany("DELETE FROM room_members WHERE room = ? AND member = ? AND invited = ?",
                                 [(m.room, m.member, int(m.invited)) for m in forgotten])
            self._db.executemany("DELETE FROM invitation_news WHERE room = ? AND member = ?",
                                 [(m.room, m.member) for m in forgotten if m.invited])
            self._db.executemany("INSERT OR REPLACE INTO room_members (room, member, invited) VALUES (?, ?, ?)",
                                 [(m.room, m.member, int(m.invited)) for m in saved])

    def keep_invitation_news(self, room: int, member: str, inviter: str | None, time: float) -> None:
        with self._transaction():
            self._db.execute("INSERT OR REPLACE INTO invitation_news (room, member, inviter, time) VALUES (?, ?, ?, ?)",
                             (room, member, inviter, time))

    def take_invitation_news(self, member: str) -> list[tuple[int, str | None, float]]:
        with self._transaction():
            rows = self._db.execute("SELECT room, inviter, time FROM invitation_news WHERE member = ?"
                                    " ORDER BY time, room", (member,)).fetchall()
            if rows:
                self._db.execute("DELETE FROM invitation_news WHERE member = ?", (member,))
        return [(int(room), None if inviter is None else str(inviter), float(when)) for room, inviter, when in rows]

    def keep_read_marker(self, member: str, conversation: str, seq: int) -> tuple[int, bool]:
        with self._transaction():
            changed = self._db.execute(
                "INSERT INTO read_markers (member, conversation, seq) VALUES (?, ?, ?) ON CONFLICT (member,"
                " conversation) DO UPDATE SET seq = excluded.seq WHERE excluded.seq > read_markers.seq",
                (member, conversation, seq)).rowcount
            kept = self._db.execute("SELECT seq FROM read_markers WHERE member = ? AND conversation = ?",
                                    (member, conversation)).fetchone()[0]
        return int(kept), changed > 0

    def read_markers(self, member: str) -> list[tuple[str, int]]:
        rows = self._all("SELECT conversation, seq FROM read_markers WHERE member = ? ORDER BY conversation",
                         (member,))
        return [(str(conversation), int(seq)) for conversation, seq in rows]

    def pending_for(self, member: str, limit: int) -> list[StoredMessage]:
        rows = self._all(f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE seq IN (SELECT seq FROM pending_direct"
                         " WHERE recipient = ? ORDER BY seq LIMIT ?) ORDER BY seq", (member, limit))
        return [StoredMessage(*row) for row in rows]

    def delivered(self, member: str, through_seq: int) -> None:
        with self._transaction():
            self._db.execute("DELETE FROM pending_direct WHERE recipient = ? AND seq <= ?", (member, through_seq))

    def past_sessions(self) -> list[SessionInfo]:
        rows = self._all(f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE run < ? ORDER BY run, id", (self.run,))
        return [SessionInfo(*row) for row in rows]

    def session_count(self, run: int | None) -> int:
        if run is None:
            return int(self._one("SELECT COUNT(*) FROM sessions")[0])
        return int(self._one("SELECT COUNT(*) FROM sessions WHERE run = ?", (run,))[0])

    def sessions_page(self, run: int | None, offset: int, limit: int) -> list[SessionInfo]:
        where, args = ("", ()) if run is None else ("WHERE run = ?", (run,))
        rows = self._all(
            f"SELECT {_SESSION_COLUMNS} FROM sessions {where} ORDER BY run DESC, id DESC LIMIT ? OFFSET ?",
            (*args, limit, offset),
        )
        return [SessionInfo(*row) for row in reversed(rows)]

    def forget_session(self, session_id: int) -> None:
        with self._transaction():
            self._db.execute("DELETE FROM sessions WHERE run = ? AND id = ?", (self.run, session_id))

    def prune(self, before: float) -> tuple[int, int]:
        with self._transaction():
            sessions = self._db.execute(
                "DELETE FROM sessions WHERE disconnected_at IS NOT NULL AND disconnected_at < ? AND run < ?",
                (before, self.run),
            ).rowcount
            # The newest message stays whatever its age: the sequence numbers go on from it.
            messages = self._db.execute(
                "DELETE FROM messages WHERE time < ? AND seq < (SELECT MAX(seq) FROM messages)", (before,),
            ).rowcount
            # A direct message deleted for its age waits no more.
            self._db.execute("DELETE FROM pending_direct WHERE seq NOT IN (SELECT seq FROM messages)")
        return sessions, messages

    def search(self, query: SearchQuery) -> tuple[list[Found], bool]:
        return search(self._db, query)

    def searcher_factory(self) -> Callable[[], Searcher] | None:
        if self.path == MEMORY:
            return None
        path = self.path
        return lambda: SqliteSearcher(path)

    def add_file(self, record: FileRecord) -> None:
        with self._transaction():
            files_table.add_file(self._db, record)

    def file(self, file_id: str) -> FileRecord | None:
        return self._read(files_table.file, file_id)

    def files(self) -> list[FileRecord]:
        return self._read(files_table.files)

    def share_file(self, file_id: str) -> None:
        with self._transaction():
            files_table.mark_shared(self._db, [(file_id,)])

    def count_download(self, file_id: str) -> None:
        with self._transaction():
            files_table.count_download(self._db, file_id)

    def expire_files(self, keep_bytes: int) -> list[FileRecord]:
        with self._transaction():
            return files_table.expire_files(self._db, keep_bytes)

    def expire_old_files(self, before: float | None, unshared_before: float) -> list[FileRecord]:
        with self._transaction():
            return files_table.expire_old_files(self._db, before, unshared_before)

    def delete_file(self, file_id: str) -> FileRecord | None:
        with self._transaction():
            return files_table.delete_file(self._db, file_id)

    def sha_in_use(self, sha256: str) -> bool:
        return self._read(files_table.sha_in_use, sha256)

    def holds_content(self, sender_key: str, sha256: str, size: int) -> bool:
        return self._read(files_table.holds_content, sender_key, sha256, size)

    def member_bytes_since(self, sender_key: str, since: float) -> int:
        return self._read(files_table.member_bytes_since, sender_key, since)

    def unshared_file(self, sender_key: str, conversation: str, sha256: str, size: int,
                      name: str) -> FileRecord | None:
        return self._read(files_table.unshared_file, sender_key, conversation, sha256, size, name)

    def stored_bytes(self) -> int:
        return self._read(files_table.stored_bytes)

    def close(self) -> None:
        if self._checkpoints is not None:
            self._checkpoints.close()
        try:
            self._db.close()
        except _FAILURES as exc:
            raise StoreError(str(exc)) from exc

    def _has_table(self, table: str) -> bool:
        return self._db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone() is not None

    def _has_column(self, table: str, column: str) -> bool:
        return any(row[1] == column for row in self._db.execute(f"PRAGMA table_info({table})"))

    def _read(self, query: Callable[..., _T], *args: object) -> _T:
        """What a read of another module (sqlite_files.py) returns; what SQLite raised in it as StoreError."""
        try:
            return query(self._db, *args)
        except _FAILURES as exc:
            raise StoreError(str(exc)) from exc

    def _one(self, sql: str, args: tuple[object, ...] = ()) -> Any:
        """The first row of a query (None if it has none)."""
        try:
            return self._db.execute(sql, args).fetchone()
        except _FAILURES as exc:
            raise StoreError(str(exc)) from exc

    def _all(self, sql: str, args: tuple[object, ...] = ()) -> list[Any]:
        try:
            return self._db.execute(sql, args).fetchall()
        except _FAILURES as exc:
            raise StoreError(str(exc)) from exc

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """BEGIN ... COMMIT, or ROLLBACK if the body raised; what SQLite raised in it leaves as StoreError."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        try:
            self._db.execute("BEGIN")
        except _FAILURES as exc:
            raise StoreError(str(exc)) from exc

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        try:
            self._db.execute("COMMIT" if kind is None else "ROLLBACK")
        except _FAILURES as exc:
            if kind is None:
                # A COMMIT that fails (an I/O error, a full disk) leaves the transaction open: every later
                # BEGIN would fail and nothing would be stored again. Roll it back; the batch is refused.
                self._roll_back()
                raise StoreError(str(exc)) from exc
            # The rollback failed too: the body's error (below) is the one to report.
        if isinstance(value, _FAILURES):
            raise StoreError(str(value)) from value

    def _roll_back(self) -> None:
        if self._db.in_transaction:
            with contextlib.suppress(*_FAILURES):  # nothing more to try: the COMMIT's error is the one reported
                self._db.execute("ROLLBACK")
