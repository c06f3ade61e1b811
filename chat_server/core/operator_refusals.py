"""Why the server operator's action on a room was not done, as a value: the rooms' own refusal (``Refused``), a room
name or a topic that breaks the protocol's rules (with the rule's ``Problem``), or a name nobody has.

The engine hands these to the server window, which words each in its language from its code and values
(chat_gui/server_window/engine_texts.py); ``english`` is the engine's own sentence, the same words a member's
refusal has on the wire. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from chat_server.core.rooms import Refused
from chat_server.protocol.problems import Problem


@dataclass(frozen=True, slots=True)
class UnknownMember:
    """No member, online or with its name kept for its client id, is called ``name``."""

    name: str

    @property
    def english(self) -> str:
        return f"{self.name} is not a member here"


@dataclass(frozen=True, slots=True)
class BadRoomName:
    """The name asked for is not a room's name: ``problem`` (``ROOM_INVALID``) says why, with its values."""

    problem: Problem

    @property
    def english(self) -> str:
        return self.problem.english


@dataclass(frozen=True, slots=True)
class BadTopic:
    """The topic breaks a rule of a message's text: ``problem`` is the rule (a ``TEXT_`` code), with its values."""

    problem: Problem

    @property
    def english(self) -> str:
        """The rule as the wire says it of a topic (``a topic cannot contain control characters``)."""
        return self.problem.english.replace("message", "topic")


OperatorRefusal = Refused | UnknownMember | BadRoomName | BadTopic
"""Every reason an operator's action on a room is not done; each has ``english``."""
