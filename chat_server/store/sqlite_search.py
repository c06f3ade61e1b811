"""Search in the SQLite store: the full-text index (chat_server/store/schema.py, ``SEARCH_INDEX``) asked for the
newest messages that hold some words, among those a member may read; from the store's own connection or from a
read-only one of another thread (WAL lets it read beside the writer).

With sqlite.py, the only module that imports ``sqlite3``: whatever SQLite raises leaves it as ``StoreError``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from chat_server.core.rooms import DIRECT_PREFIX
from chat_server.protocol.search import search_words
from chat_server.store import Found, SearchQuery, StoredMessage, StoreError
from chat_server.store.schema import SEARCH_TABLE

MARK_OPEN = "\x01"
MARK_CLOSE = "\x02"
"""What SQLite's highlight() puts around a matched word: control characters, which no stored text holds (they are
refused where a message is decoded), taken out again by ``marks_of``."""
SEARCH_TIMEOUT_S = 5.0
"""How long a reader waits for a lock (in WAL mode only a checkpoint restarting the log can make it wait)."""

_FAILURES = (sqlite3.Error, ValueError, OverflowError)

SENDER_FOLD_SQL = "lanchat_sender_fold"
"""The SQL function that folds a sender's name to compare it ignoring case beyond ASCII (``Élodie`` is ``élodie``),
registered on every connection that searches (``register_functions``)."""
# A sender matches in C when it is ASCII (NOCASE folds ASCII, as casefold() does there: an ASCII name never folds to
# anything else), and only a name with a character beyond ASCII (more bytes than characters) is folded in Python.
_SENDER_CLAUSE = (f"(m.sender = ? COLLATE NOCASE OR (length(CAST(m.sender AS BLOB)) > length(m.sender)"
                  f" AND {SENDER_FOLD_SQL}(m.sender) = ?))")


def _fold(name: str) -> str:
    return name.casefold()


def register_functions(db: sqlite3.Connection) -> None:
    """Make ``db`` able to search: the functions the queries call."""
    db.create_function(SENDER_FOLD_SQL, 1, _fold, deterministic=True)


def match_expression(words: tuple[str, ...]) -> str:
    """The FTS5 query for messages that hold all of ``words``: each word quoted as a string (its quotes doubled), so
    that nothing in it (``"``, ``*``, ``NEAR``, ``-``, ``AND``, ``:``, parentheses) is the query language's."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def marks_of(highlighted: str, text: str) -> tuple[tuple[int, int], ...]:
    """The [start, end) ranges of ``text`` that highlight() marked in ``highlighted`` (none if ``text`` itself holds
    a mark: then they could not be told apart)."""
    if MARK_OPEN in text or MARK_CLOSE in text:
        return ()
    pieces = highlighted.split(MARK_OPEN)
    at = len(pieces[0])
    marks: list[tuple[int, int]] = []
    for piece in pieces[1:]:
        inside, _, after = piece.partition(MARK_CLOSE)
        marks.append((at, at + len(inside)))
        at += len(inside) + len(after)
    return tuple(marks)


_COLUMNS = "m.seq, m.time, m.sender, m.text, m.client_id, m.message_id, m.conversation"


def search(db: sqlite3.Connection, query: SearchQuery) -> tuple[list[Found], bool]:
    """The newest ``query.limit`` messages ``query`` finds, newest first, and whether more (older) ones match."""
    words = search_words(" ".join(query.words))  # a word without a letter or digit would match nothing
    if not words or query.limit <= 0:
        return [], False
    readable = ["m.conversation IN (" + ", ".join("?" * len(query.readable)) + ")"] if query.readable else []
    args: list[object] = [*query.readable]
    if query.direct_of is not None:
        # Its direct conversations: direct:<a>|<b>, the two keys sorted (chat_server/core/rooms.py).
        own, theirs = f"{DIRECT_PREFIX}{query.direct_of}|", f"|{query.direct_of}"
        direct = (f"(substr(m.conversation, 1, ?) = ? OR (substr(m.conversation, 1, {len(DIRECT_PREFIX)}) = ?"
                  " AND substr(m.conversation, -?) = ?))")
        args += [len(own), own, DIRECT_PREFIX, len(theirs), theirs]
        if query.direct_since is not None:
            direct = f"({direct} AND m.time >= ?)"
            args.append(query.direct_since)
        readable.append(direct)
    if not readable:
        return [], False
    try:
        return _search(db, query, words, "(" + " OR ".join(readable) + ")", args)
    except _FAILURES as exc:
        raise StoreError(str(exc)) from exc


def _search(db: sqlite3.Connection, query: SearchQuery, words: tuple[str, ...], readable: str,
            readable_args: list[object]) -> tuple[list[Found], bool]:
    where = [f"{SEARCH_TABLE} MATCH ?", readable]
    args: list[object] = [match_expression(words), *readable_args]
    # A period is a range of seqs too (the server numbers messages in the order of their times): the index then
    # reads only that range, instead of every match newer than the period.
    low, high = _seq_at(db, query.after), _seq_at(db, query.before)
    before_seq = min(s for s in (query.before_seq, high) if s is not None) if high or query.before_seq else None
    if query.conversation is not None and _small(db, query.conversation):
        # A small conversation (a direct one, a quiet room): read it newest first and look each message up in the
        # index (a seek by rowid), rather than read every match of a common word to find the few said there.
        joined, order = f"messages AS m CROSS JOIN {SEARCH_TABLE} ON {SEARCH_TABLE}.rowid = m.seq", "m.seq"
    else:
        # The index first (CROSS JOIN keeps that order), read newest first: a page costs the matches up to its last,
        # never a sort of every match.
        joined, order = f"{SEARCH_TABLE} CROSS JOIN messages AS m ON m.seq = {SEARCH_TABLE}.rowid", \
            f"{SEARCH_TABLE}.rowid"
    for clause, value in (("m.conversation = ?", query.conversation),
                          ("m.time >= ?", query.after), ("m.time < ?", query.before),
                          (f"{order} >= ?", low), (f"{order} < ?", before_seq)):
        if value is not None:
            where.append(clause)
            args.append(value)
    if query.sender is not None:
        where.append(_SENDER_CLAUSE)
        args += [_fold(query.sender)] * 2
    args.append(query.limit + 1)
    # Ordered by the outer table's own key, which it is read in: never a sort.
    sql = (f"SELECT {_COLUMNS}, highlight({SEARCH_TABLE}, 0, '{MARK_OPEN}', '{MARK_CLOSE}') FROM {joined}"
           f" WHERE {' AND '.join(where)} ORDER BY {order} DESC LIMIT ?")
    rows = db.execute(sql, args).fetchall()
    found = [Found(StoredMessage(*row[:7]), marks_of(row[7], row[3])) for row in rows[:query.limit]]
    return found, len(rows) > query.limit


SMALL_CONVERSATION = 5000
"""A conversation of fewer messages is searched by reading it (each message a seek in the index)."""


def _small(db: sqlite3.Connection, conversation: str) -> bool:
    # A range of the (conversation, seq) index, stopped at the limit: at most that many entries read.
    count = db.execute("SELECT COUNT(*) FROM (SELECT 1 FROM messages WHERE conversation = ? LIMIT ?)",
                       (conversation, SMALL_CONVERSATION)).fetchone()[0]
    return int(count) < SMALL_CONVERSATION


def _seq_at(db: sqlite3.Connection, when: float | None) -> int | None:
    """A seq below which every message was stored before ``when`` and from which on none was, found by bisecting
    the seqs on their times (a few seeks of the primary key); None for no time."""
    if when is None:
        return None
    # Every message below ``low`` is older than ``when``; the first message from ``high`` on is not.
    # (Two subqueries: each is one seek, where MIN and MAX in one would read the whole table.)
    low, high = db.execute("SELECT COALESCE((SELECT MIN(seq) FROM messages), 1),"
                           " COALESCE((SELECT MAX(seq) FROM messages), 0) + 1").fetchone()
    while low < high:
        middle = (low + high) // 2
        seq, sent = db.execute("SELECT seq, time FROM messages WHERE seq >= ? ORDER BY seq LIMIT 1",
                               (middle,)).fetchone()
        if sent >= when:
            high = middle
        else:
            low = seq + 1
    return int(low)


class SqliteSearcher:
    """A read-only connection to the store's file, for searches in another thread than the store's (made lazily, in
    the thread that searches: a connection belongs to its thread)."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._db: sqlite3.Connection | None = None

    def search(self, query: SearchQuery) -> tuple[list[Found], bool]:
        if self._db is None:
            try:
                uri = Path(self._path).resolve().as_uri() + "?mode=ro"
                self._db = sqlite3.connect(uri, uri=True, timeout=SEARCH_TIMEOUT_S, isolation_level=None)
                register_functions(self._db)
            except _FAILURES as exc:
                raise StoreError(f"cannot read {self._path} to search it: {exc}") from exc
        return search(self._db, query)

    def close(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except _FAILURES as exc:
                raise StoreError(str(exc)) from exc
            self._db = None
