"""Read markers on the wire (protocol version 2, like IRCv3 ``read-marker``): a client says how far it has read a
conversation, and the server tells every connection of that member's identity the newest seq it has read there.

The conversation is named as a chat names it: ``room`` (left out for #lobby) or ``to`` (a member's name: the direct
messages with that member), never both. Text clients have no identity: they neither send nor receive these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from chat_server.protocol.message_base import Message

__all__ = ["ERR_UNKNOWN_SEQ", "MarkRead", "ReadMarker", "mark_read_problem"]

ERR_UNKNOWN_SEQ = "unknown_seq"
"""A ``mark_read`` of a seq no stored message has (yet)."""


@dataclass(frozen=True, slots=True)
class MarkRead(Message):
    """The client has read a conversation up to ``seq`` (the seq of the newest message it has seen there)."""

    TYPE: ClassVar[str] = "mark_read"
    OMITTED: ClassVar[frozenset[str]] = frozenset({"room", "to", "id"})
    seq: int
    room: str | None = None  # the room (None: #lobby)
    to: str | None = None  # the direct messages with the member of this name (never with ``room``)
    id: str | None = None  # chosen by the client, echoed in an error: it tells a refused marker from other refusals


@dataclass(frozen=True, slots=True)
class ReadMarker(Message):
    """The member has read a conversation up to ``seq``: sent after the welcome (one per conversation it has a
    marker in) and whenever one of its connections moves a marker on."""

    TYPE: ClassVar[str] = "read_marker"
    OMITTED: ClassVar[frozenset[str]] = frozenset({"room", "to"})
    seq: int
    room: str | None = None  # the room (None: #lobby)
    to: str | None = None  # the direct messages with the member of this name, as it is called now


def mark_read_problem(message: MarkRead) -> str | None:
    """What is wrong with a ``mark_read`` beyond its fields' types (its room and name are checked as a chat's), or
    None. A seq is a message's: 1 or more."""
    if message.seq < 1:
        return "mark_read: field 'seq' must be 1 or more"
    if message.room is not None and message.to is not None:
        return "mark_read: a marker is of a room or of a member's direct messages, not both"
    return None
