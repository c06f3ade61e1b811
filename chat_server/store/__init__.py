"""What the server keeps across restarts: the interface the engine uses, with no SQL in it.

``SqliteStore`` (chat_server/store/sqlite.py) is the implementation; another backend only
has to provide these methods, and raise ``StoreError`` (and nothing else) for every failure of the store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from chat_server.core.rooms import LOBBY_CONVERSATION, Membership, RoomInfo
from chat_server.core.sessions import Session
from chat_server.protocol import SessionInfo

__all__ = ["FileRecord", "Found", "SearchQuery", "Searcher", "Store", "StoreError", "StoredMessage", "client_key",
           "text_bound_client_id"]


class StoreError(Exception):
    """The store cannot do what was asked: it cannot be opened, is not ours, refuses a write or cannot be read.

    Every ``Store`` method raises this for every failure of the store, whatever the backend, so that callers
    catch this one class (and never a backend's own, such as ``sqlite3.Error``). The text says why in plain words.
    """


def text_bound_client_id(client_id: str, text: str, file: str | None = None) -> str:
    """The client id a message is kept under when its id was already used by this client id for another text.

    A resend has the same id and the same text; another text under a used id comes from a second client
    presenting the same client id. Binding the id to the text keeps both messages, and still recognises
    a resend of either.
    """
    bound = text if file is None else f"{text}\x00{file}"  # a share: its file too (its text is often empty)
    return f"{client_id}\x00{hashlib.sha256(bound.encode('utf-8')).hexdigest()}"


def client_key(client_id: str) -> str:
    """What the server keeps of a client id: a digest, so that the store never holds the id itself.

    The id is what a client proves it is the same client with (its resends, its reserved name):
    whoever has read the database still cannot present it.
    """
    return hashlib.sha256(client_id.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class StoredMessage:
    """One chat message in the history."""

    seq: int
    time: float
    sender: str
    text: str
    client_id: str | None = None  # with message_id: recognises a resend after a reconnect
    message_id: str = ""
    conversation: str = LOBBY_CONVERSATION  # where it was said: a room or two members (chat_server/core/rooms.py)
    file: str | None = None  # a share: the id of the file it shares (a ``FileRecord``'s)


@dataclass(frozen=True, slots=True)
class FileRecord:
    """A file a member uploaded, complete and verified, for one conversation: its content is the blob of its
    ``sha256`` (chat_server/store/blobs.py), which other records may share (the same content is stored once)."""

    id: str  # 128 random bits as hex: unguessable, never reused
    sha256: str
    name: str  # made safe (protocol/file_names.py)
    size: int
    mime: str  # found from the content (protocol/file_types.py)
    conversation: str  # where it may be shared, and who may then download it
    sender: str  # the uploader's name then
    sender_key: str  # the uploader's member key (or a key of its connection): its quota, and whose it is to share
    created: float  # when the upload was complete
    shared: bool = False  # a message sharing it is stored (only then may others download it)
    downloads: int = 0
    expired: bool = False  # its content is gone (too old, beyond the total, or deleted): the record stays for cards


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A search of the stored messages' text, confined to what one member may read.

    ``words`` are matched as words (each one quoted: never the index's query syntax), all of them, ignoring case
    and accents. A message is readable if its conversation is one of ``readable`` (rooms), or a direct conversation
    of the member key ``direct_of`` (None: none is). The filters narrow that down."""

    words: tuple[str, ...]
    readable: tuple[str, ...]
    direct_of: str | None = None
    direct_since: float | None = None  # its direct messages only from this time on (a key kept for one connection)
    conversation: str | None = None  # only this conversation (one the member may read, or nothing is found)
    sender: str | None = None  # only messages of this sender's name (compared ignoring case)
    after: float | None = None  # sent at or after this time
    before: float | None = None  # sent before this time
    before_seq: int | None = None  # only messages before this one: the next page
    limit: int = 50


@dataclass(frozen=True, slots=True)
class Found:
    """A message a search found, and where its text holds the matched words: [start, end) in characters."""

    message: StoredMessage
    marks: tuple[tuple[int, int], ...] = ()


class Searcher(Protocol):
    """Searches the store from another thread than its own: made in the thread that uses it, closed by it."""

    def search(self, query: SearchQuery) -> tuple[list[Found], bool]:
        """As ``Store.search``."""
        ...

    def close(self) -> None: ...


class Store(Protocol):
    """The durable side of the server: message history and the connection cache of every run.

    Every method raises ``StoreError`` when the store fails (closed, full, locked, damaged, or a value it cannot
    take); the server is given its store ready made (``SqliteStore(path)``), and closes it with ``close``.
    """

    def start_run(self, started_at: float) -> int:
        """Begin a run: close what a killed run left open (as 'server stopped' when that run was last seen
        alive, see ``heartbeat``) and return the new run's number."""
        ...

    def heartbeat(self, now: float) -> None:
        """Note that this run is alive at ``now``: if it is killed, its sessions are closed at the last such time."""
        ...

    def last_seq(self) -> int:
        """The highest sequence number stored (0 for none)."""
        ...

    def commit(self, messages: Sequence[StoredMessage], sessions: Iterable[Session],
               pending: Sequence[tuple[str, int]] = (), counts: Sequence[Session] = ()) -> None:
        """Write new messages and changed sessions in one transaction; durable on return. ``pending``: the
        direct messages (recipient's member key, seq) among them that wait for their recipient to join.
        ``counts``: sessions already written whose only change since is their count of messages."""
        ...

    def find(self, client_id: str, message_id: str) -> StoredMessage | None:
        """The message a client already sent under this id, if stored."""
        ...

    def recent(self, limit: int) -> list[StoredMessage]:
        """The newest ``limit`` messages, oldest first."""
        ...

    def since(self, seq: int, limit: int) -> list[StoredMessage]:
        """Messages after ``seq``, oldest first, at most ``limit``."""
        ...

    def name_holder(self, name: str, since: float) -> str | None:
        """The client id that last used ``name`` (compared ignoring case) in a session that was still
        open at ``since`` or began after it; None if no client id did."""
        ...

    def past_sessions(self) -> list[SessionInfo]:
        """Sessions of earlier runs, oldest first."""
        ...

    def session_count(self, run: int | None) -> int:
        """How many sessions the run ``run`` has (None: every run)."""
        ...

    def sessions_page(self, run: int | None, offset: int, limit: int) -> list[SessionInfo]:
        """At most ``limit`` sessions of the run ``run`` (None: of every run), skipping the ``offset`` newest;
        oldest first."""
        ...

    def recent_in(self, conversation: str, limit: int) -> list[StoredMessage]:
        """The newest ``limit`` messages of one conversation, oldest first."""
        ...

    def before_in(self, conversation: str, before: int, limit: int) -> list[StoredMessage]:
        """The newest ``limit`` messages of one conversation with a seq below ``before``, oldest first (scrollback)."""
        ...

    def after_in(self, conversation: str, after: int, limit: int) -> list[StoredMessage]:
        """The oldest ``limit`` messages of one conversation with a seq above ``after``, oldest first."""
        ...

    def last_name(self, member: str) -> str | None:
        """The name the member key ``member`` had in its latest session, or None if it has none."""
        ...

    def direct_conversations(self, member: str) -> list[str]:
        """The conversations of direct messages ``member`` (a member key) took part in, sorted."""
        ...

    def room_message_counts(self) -> dict[str, int]:
        """How many messages each room's conversation (``room:<id>``) holds, for every room that has any: one query,
        grouped by conversation."""
        ...

    def rooms(self) -> list[RoomInfo]:
        """Every room, closed ones too (their ids are never used again), by id; ``#lobby`` is room 1."""
        ...

    def memberships(self) -> list[Membership]:
        """Who is in (or invited to) which room, for the open rooms."""
        ...

    def change_rooms(self, rooms: Iterable[RoomInfo], saved: Iterable[Membership],
                     forgotten: Iterable[Membership]) -> None:
        """In one transaction: save rooms (new, changed or closed), save memberships (a member replaces its
        invitation) and forget memberships (a forgotten invitation's news too)."""
        ...

    def keep_invitation_news(self, room: int, member: str, inviter: str | None, time: float) -> None:
        """``member`` (a member key, offline) was invited to ``room`` by ``inviter`` (a name; None: the operator):
        keep it until ``take_invitation_news``. Forgetting the invitation (``change_rooms``) forgets its news."""
        ...

    def take_invitation_news(self, member: str) -> list[tuple[int, str | None, float]]:
        """The invitations ``member`` was not told of, as (room, inviter, time), oldest first; they are forgotten
        as they are read (in one transaction)."""
        ...

    def keep_read_marker(self, member: str, conversation: str, seq: int) -> tuple[int, bool]:
        """``member`` (a member key) has read ``conversation`` up to ``seq``: keep the larger of this and the marker
        it had (a marker never goes back); the marker kept, and whether it moved."""
        ...

    def read_markers(self, member: str) -> list[tuple[str, int]]:
        """Every read marker of ``member`` (a member key), as (conversation, seq), by conversation."""
        ...

    def pending_for(self, member: str, limit: int) -> list[StoredMessage]:
        """Direct messages waiting for ``member`` (a member key), oldest first, at most ``limit``."""
        ...

    def delivered(self, member: str, through_seq: int) -> None:
        """The direct messages waiting for ``member`` up to ``through_seq`` have reached it: they wait no more."""
        ...

    def forget_session(self, session_id: int) -> None:
        """Delete a session of this run (a refusal now counted in another row)."""
        ...

    def prune(self, before: float) -> tuple[int, int]:
        """Delete the sessions of earlier runs that ended before ``before`` and the messages sent before it
        (never the newest message: the sequence goes on from it); how many of each were deleted."""
        ...

    def search(self, query: SearchQuery) -> tuple[list[Found], bool]:
        """The newest ``query.limit`` messages that hold all of ``query.words`` among those ``query`` may read,
        newest first, and whether there are more (older) ones."""
        ...

    def searcher_factory(self) -> Callable[[], Searcher] | None:
        """What makes a ``Searcher`` for another thread (a read-only connection to the same file), or None if
        the store cannot be read from another thread (in memory): then ``search`` it in its own."""
        ...

    # Files (schema 9). A record's content is a blob the caller keeps (chat_server/store/blobs.py): when a method
    # expires records, the caller deletes the blob of each digest no live record uses any more (``sha_in_use``).

    def add_file(self, record: FileRecord) -> None:
        """Keep the record of a complete, verified upload (its id is new)."""
        ...

    def file(self, file_id: str) -> FileRecord | None:
        """The file of this id, expired or not; None if there is none."""
        ...

    def files(self) -> list[FileRecord]:
        """Every file record, expired ones and those not shared yet too, newest first."""
        ...

    def share_file(self, file_id: str) -> None:
        """A message sharing the file is stored (``commit`` does this itself for the messages it stores)."""
        ...

    def count_download(self, file_id: str) -> None:
        """One more download of the file."""
        ...

    def expire_files(self, keep_bytes: int) -> list[FileRecord]:
        """Expire the oldest live files until the content of those left takes at most ``keep_bytes`` (each digest
        counted once); the records expired, oldest first."""
        ...

    def expire_old_files(self, before: float | None, unshared_before: float) -> list[FileRecord]:
        """Expire the live files created before ``before`` (None: none for their age), and those never shared that
        were created before ``unshared_before``; the records expired, oldest first."""
        ...

    def delete_file(self, file_id: str) -> FileRecord | None:
        """Expire one file (the operator deleted it: its record stays, so that its cards say so); the record
        expired, or None if there is no such file or it had expired already."""
        ...

    def sha_in_use(self, sha256: str) -> bool:
        """Whether a live (not expired) file has this content: then its blob must stay."""
        ...

    def holds_content(self, sender_key: str, sha256: str, size: int) -> bool:
        """Whether the member key ``sender_key`` has a live file of this content (it uploaded it: it has the bytes)."""
        ...

    def member_bytes_since(self, sender_key: str, since: float) -> int:
        """How many bytes of files the member key ``sender_key`` uploaded from ``since`` on (its quota)."""
        ...

    def unshared_file(self, sender_key: str, conversation: str, sha256: str, size: int,
                      name: str) -> FileRecord | None:
        """The live file of this member for this conversation, with this content and name, not shared yet (an upload
        asked for again before its share), or None."""
        ...

    def stored_bytes(self) -> int:
        """How many bytes the content of the live files takes (each digest counted once)."""
        ...

    def close(self) -> None: ...
