"""What happened to a room, as the engine reports it to its observers (the server window's event log): one frozen
value per change, with the names of the members concerned, never the text of a message."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chat_server.core.rooms import RoomInfo


class RoomChange(enum.Enum):
    """What a ``RoomEvent`` says happened."""

    CREATED = "created"
    JOINED = "joined"
    LEFT = "left"  # a member left it (or, without a client id, went offline)
    REMOVED = "removed"  # a member was taken out of it
    INVITED = "invited"
    UNINVITED = "uninvited"  # an invitation was withdrawn
    TOPIC = "topic"
    RENAMED = "renamed"
    CLOSED = "closed"  # by the operator, or (``by`` None and ``member`` set) a private room its last member left


@dataclass(frozen=True, slots=True)
class RoomEvent:
    """One change to a room. ``by``: the member who did it, by name (None: the server's operator, or nobody, as
    for a private room closed when its last member left); ``member``: the member it was done to or who did it
    alone (joined, left); ``room``: the room's name now (after a rename, the new one)."""

    change: RoomChange
    room: str
    by: str | None = None
    member: str | None = None
    private: bool = False  # CREATED: a private room
    topic: str = ""  # TOPIC: the topic set ("" cleared it)
    old: str = ""  # RENAMED: the name it had


def out_of(change: RoomChange, info: RoomInfo, by: str | None, member: str) -> tuple[RoomEvent, ...]:
    """A member out of a room (``LEFT`` or ``REMOVED``), and the room closed if that closed it (the last member of a
    private room)."""
    out = RoomEvent(change, info.display, by=by, member=member)
    return (out,) if info.closed_at is None else (out, RoomEvent(RoomChange.CLOSED, info.display, member=member))
