"""The server's rules without sockets: the engine, who is online, names, limits, the password, the cache.

The public API is ``__all__``. ``ChatServer`` (QtCore and QtNetwork) is imported on first use: the pure
modules here (sessions, names, limits, ...) then load without Qt, and the store, which the engine imports,
can import the cache's ``Session`` without a circle through this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chat_server.core.operator_refusals import BadRoomName, BadTopic, OperatorRefusal, UnknownMember
from chat_server.core.room_events import RoomChange, RoomEvent
from chat_server.core.rooms import Refusal, Refused
from chat_server.core.sessions import Session, SessionCache

if TYPE_CHECKING:
    from chat_server.core.engine import ChatServer

__all__ = [
    "BadRoomName", "BadTopic", "ChatServer", "OperatorRefusal", "Refusal", "Refused", "RoomChange", "RoomEvent",
    "Session", "SessionCache", "UnknownMember",
]


def __getattr__(name: str) -> object:
    if name == "ChatServer":
        from chat_server.core.engine import ChatServer

        return ChatServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
