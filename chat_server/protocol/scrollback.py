"""Scrollback (protocol version 2): a page of a conversation's stored messages before (or around) a seq.

Like IRCv3's ``chathistory BEFORE`` (and ``AROUND``): the client names a conversation (``room``, or ``to`` for
its direct messages with one member, neither for #lobby) and a sequence number; the server answers with one
``history_page`` line holding the messages oldest first, and ``more`` when there are older ones still. Pages
are cut by seq, so that two pages never overlap nor leave a gap; a page's line is kept under
``HISTORY_PAGE_MAX_BYTES`` (fewer messages when they are long: ``more`` says so). docs/protocol.md, *Scrollback*.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from chat_server.protocol.files import FileRef
from chat_server.protocol.message_base import Message

__all__ = [
    "HISTORY_PAGE_LIMIT", "HISTORY_PAGE_MAX_BYTES", "HistoryEntry", "HistoryPage", "ScrollbackRequest",
    "scrollback_fault",
]

HISTORY_PAGE_LIMIT = 100
"""The most messages one page holds: a request's default ``limit``, and the most it may ask for."""
HISTORY_PAGE_MAX_BYTES = 256 * 1024
"""The most a page's line may take (a page always holds at least one message, whatever its size: a message is at
most a line of ``--max-line-bytes``, twice that once its quotes are escaped, well under this)."""


@dataclass(frozen=True, slots=True)
class ScrollbackRequest(Message):
    """Ask for a page of one conversation's history: the messages before ``before`` (None: the newest), or
    (``around``) those around a seq, the message itself included; answered with ``HistoryPage``."""

    TYPE: ClassVar[str] = "scrollback"
    OMITTED: ClassVar[frozenset[str]] = frozenset({"room", "to", "before", "around", "id"})
    room: str | None = None  # a room the member is in (None, and no ``to``: #lobby)
    to: str | None = None  # the member whose direct messages with you are asked for (never with ``room``)
    before: int | None = None  # the page ends just before this seq (None: with the newest message)
    around: int | None = None  # instead of ``before``: about half the page before this seq, the rest from it on
    limit: int = HISTORY_PAGE_LIMIT  # 1 to HISTORY_PAGE_LIMIT (more is taken as HISTORY_PAGE_LIMIT)
    id: str | None = None  # chosen by the client, echoed in an error: it tells a refused page from other refusals

    @property
    def count(self) -> int:
        """How many messages the page may hold."""
        return min(self.limit, HISTORY_PAGE_LIMIT)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One stored message of a history page (the page says its conversation)."""

    sender: str
    text: str
    seq: int
    time: float
    file: FileRef | None = None  # the file a share shares (``text``: its caption)

    OMITTED: ClassVar[frozenset[str]] = frozenset({"file"})
    """Fields JSON leaves out while None: only a share's entry has ``file``."""


@dataclass(frozen=True, slots=True)
class HistoryPage(Message):
    """The answer to ``scrollback``: ``messages`` oldest first, all of the conversation the request named (as it
    named it; #lobby: no ``room``). ``more``: the conversation has messages before the first of them (or before
    ``before``, if there are none). For an ``around`` page, ``newer``: it has messages after the last that the page
    leaves out. ``failed``: the store could not be read (``messages`` is empty, ``more`` true: ask again later)."""

    TYPE: ClassVar[str] = "history_page"
    OMITTED: ClassVar[frozenset[str]] = frozenset({"room", "to", "before", "around", "newer", "failed"})
    room: str | None = None
    to: str | None = None
    before: int | None = None
    around: int | None = None
    messages: tuple[HistoryEntry, ...] = ()
    more: bool = False
    newer: bool = False
    failed: bool = False  # the server could not read its store: no messages, and the same request may be made again


def scrollback_fault(request: ScrollbackRequest) -> str | None:
    """What is wrong with a scrollback request beyond its fields' types (for a ``bad_message``), or None. A room's
    or a member's name is checked as every request's is (``room_invalid``, ``unknown_member``)."""
    if request.room is not None and request.to is not None:
        return "scrollback: a conversation is a room or a member, not both"
    if request.before is not None and request.around is not None:
        return "scrollback: 'before' or 'around', not both"
    for name, seq in (("before", request.before), ("around", request.around)):
        if seq is not None and seq < 1:
            return f"scrollback: field '{name}' must be a sequence number (1 or more)"
    if request.limit < 1:
        return "scrollback: field 'limit' must be 1 or more"
    return None
