"""Presence on the wire (protocol version 2): typing notices and away (their checks: presence_checks.py).

Typing notices are fire-and-forget: the server relays them to the conversation's other members that speak
version 2 in JSON and never stores, acknowledges or answers them. Away is a member's state for its session: set
with ``away``, cleared with ``back``, told to the version-2 JSON members as events of the same names.
See docs/protocol.md, *Typing and away*.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from chat_server.protocol.message_base import Message

__all__ = [
    "ERR_AWAY_TOO_LONG", "MAX_AWAY_LENGTH", "PRESENCE_EVENTS", "PRESENCE_REQUESTS", "AwayReply", "Back", "MemberAway",
    "MemberBack", "MemberTyping", "SetAway", "Typing", "TypingState", "away_label",
]

MAX_AWAY_LENGTH = 200
"""The most characters of an away message."""
ERR_AWAY_TOO_LONG = "away_too_long"


class TypingState(StrEnum):
    """What a typing notice says (IRCv3 ``+typing``'s states)."""

    ACTIVE = "active"  # typing now: sent at most every 3 s while it goes on; a receiver forgets it after 6 s
    PAUSED = "paused"  # stopped typing with text in the field; a receiver forgets it after 30 s
    DONE = "done"  # the field was cleared or the message sent


# --- client to server -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Typing(Message):
    """The member types in a conversation: a room (None: #lobby) or a direct conversation with ``to``."""

    TYPE: ClassVar[str] = "typing"
    OMITTED: ClassVar[frozenset[str]] = frozenset({"room", "to"})
    state: str
    room: str | None = None
    to: str | None = None


@dataclass(frozen=True, slots=True)
class SetAway(Message):
    """The member is away, with a message (may be empty); text mode: ``/away [message]``."""

    TYPE: ClassVar[str] = "away"
    message: str = ""


@dataclass(frozen=True, slots=True)
class Back(Message):
    """The member is back; text mode: ``/back``."""

    TYPE: ClassVar[str] = "back"


# --- server to client -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemberTyping(Message):
    """``name`` types in a conversation you are in: a room (None: #lobby), or a direct one (``to``: you)."""

    TYPE: ClassVar[str] = "typing"
    OMITTED: ClassVar[frozenset[str]] = frozenset({"room", "to"})
    name: str
    state: str
    room: str | None = None
    to: str | None = None


@dataclass(frozen=True, slots=True)
class MemberAway(Message):
    """``name`` is away since ``time``, with ``message`` (you too: the answer to your ``away``)."""

    TYPE: ClassVar[str] = "away"
    name: str
    message: str
    time: float


@dataclass(frozen=True, slots=True)
class MemberBack(Message):
    """``name`` is back (you too: the answer to your ``back``)."""

    TYPE: ClassVar[str] = "back"
    name: str
    time: float


@dataclass(frozen=True, slots=True)
class AwayReply(Message):
    """Your direct message went to ``name``, away since ``time`` with ``message``: once per away period."""

    TYPE: ClassVar[str] = "away_reply"
    name: str
    message: str
    time: float


PRESENCE_REQUESTS: tuple[type[Message], ...] = (Typing, SetAway, Back)
PRESENCE_EVENTS: tuple[type[Message], ...] = (MemberTyping, MemberAway, MemberBack, AwayReply)

def away_label(name: str, message: str | None) -> str:
    """A member's name as text mode's ``/who`` shows it: ``alice (away: lunch)``, ``alice (away)``, ``alice``."""
    if message is None:
        return name
    return f"{name} (away: {message})" if message else f"{name} (away)"
