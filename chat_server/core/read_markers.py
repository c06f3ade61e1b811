"""Read markers carried out (like IRCv3 ``read-marker``): how far each member identity has read each of its
conversations, kept in the store per member key (the digest of its client id), moved on by a ``mark_read`` and told
to every connection of that identity: all of them right after its welcome, and each change as it happens.

A member without a client id has no identity beyond its connection, so it has no markers: its ``mark_read`` is
refused. Only a conversation of the member's is marked (#lobby, a room it is in, its direct messages with a member
known here, or one it had direct messages with) and only up to a seq that is stored; a marker never goes back.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from chat_server import protocol as p
from chat_server.core.rooms import (
    DIRECT_PREFIX,
    LOBBY_CONVERSATION,
    Conversations,
    MemberKey,
    Refused,
    direct_conversation,
    room_conversation,
)
from chat_server.store import Store, StoreError

if TYPE_CHECKING:
    from chat_server.net.connection import ClientConnection

log = logging.getLogger(__name__)

UNKNOWN_NAME = "?"
"""What the hub calls a member it knows no name of (one without a client id that has left): no marker names it."""


class _Members(Protocol):
    """What of the ``ConversationHub`` this needs (named so, not imported: the hub holds this)."""

    store: Store
    model: Conversations
    online: dict[MemberKey, list[ClientConnection]]

    def key_of(self, conn: ClientConnection) -> MemberKey: ...
    def speaks_rooms(self, conn: ClientConnection) -> bool: ...
    def room_name(self, conversation: str) -> str | None: ...
    def name_of(self, key: MemberKey) -> str: ...
    def partner_named(self, key: MemberKey, name: str) -> MemberKey | None: ...


class ReadMarkers:
    """Moves a member's read markers on and tells its connections."""

    def __init__(self, hub: _Members, refusal_error: Callable[[Refused, str | None], p.Error]) -> None:
        """``refusal_error(refused, room)``: a refusal of the rooms' rules as the error sent for it (the hub's)."""
        self._hub = hub
        self._refusal_error = refusal_error

    def mark(self, conn: ClientConnection, request: p.MarkRead) -> None:
        """Carry out ``conn``'s ``mark_read``: keep the marker (the larger one) and tell the identity's connections
        if it moved; the requester is always answered, with the marker kept or an error."""
        hub = self._hub
        if not conn.member.client_id:
            self._refuse(conn, request, p.Error(p.ERR_NOT_ALLOWED, "Read markers need a client id.", room=request.room))
            return
        key = hub.key_of(conn)
        conversation = self._conversation(conn, key, request)
        if conversation is None:
            return
        try:
            newest = hub.store.last_seq()
            if request.seq > newest:
                self._refuse(conn, request, p.Error(
                    p.ERR_UNKNOWN_SEQ, f"Not done: no message has the seq {request.seq}.", room=request.room))
                return
            kept, moved = hub.store.keep_read_marker(key, conversation, request.seq)
        except StoreError as exc:
            log.error("could not keep a read marker of %s: %s", conn.name, exc)
            self._refuse(conn, request, p.Error(
                p.ERR_NOT_STORED, "Not done: the server could not store your read marker.", room=request.room))
            return
        marker = self._marker(key, conversation, kept)
        if marker is None:  # pragma: no cover - the conversation was just found to be the member's
            return
        conn.reply(marker)
        if moved:
            for other in hub.online.get(key, ()):
                if other is not conn and hub.speaks_rooms(other):
                    other.send(marker)

    @staticmethod
    def _refuse(conn: ClientConnection, request: p.MarkRead, error: p.Error) -> None:
        """Refuse ``request`` with ``error``, which carries the request's ``id``."""
        conn.reply(dataclasses.replace(error, id=request.id))

    def tell(self, conn: ClientConnection) -> None:
        """Send ``conn`` (just announced) its identity's markers of the conversations it still has."""
        hub = self._hub
        if not conn.member.client_id or not hub.speaks_rooms(conn):
            return
        key = hub.key_of(conn)
        try:
            markers = hub.store.read_markers(key)
        except StoreError as exc:
            log.error("could not read the read markers of %s: %s", conn.name, exc)
            return
        for conversation, seq in markers:
            marker = self._marker(key, conversation, seq)
            if marker is not None:
                conn.send(marker)

    def _conversation(self, conn: ClientConnection, key: MemberKey, request: p.MarkRead) -> str | None:
        """The conversation a ``mark_read`` names, if it is the member's; else None (the error is sent)."""
        hub = self._hub
        if request.to is not None:
            partner = hub.partner_named(key, request.to)
            if partner is None:
                self._refuse(conn, request,
                             p.Error(p.ERR_UNKNOWN_MEMBER, f"Not done: {request.to} is not a member here."))
                return None
            if partner == key:
                self._refuse(conn, request, p.Error(p.ERR_DIRECT_TO_SELF, "Not done: that is you."))
                return None
            return direct_conversation(key, partner)
        if request.room is None:
            return LOBBY_CONVERSATION
        conversation = hub.model.room_message_conversation(key, request.room)
        if isinstance(conversation, Refused):
            self._refuse(conn, request, self._refusal_error(conversation, request.room))
            return None
        return conversation

    def _marker(self, key: MemberKey, conversation: str, seq: int) -> p.ReadMarker | None:
        """The marker as the member is told it, or None if the conversation is no longer one of its own (a room it
        left, or one closed)."""
        hub = self._hub
        if conversation == LOBBY_CONVERSATION:
            return p.ReadMarker(seq=seq)
        if conversation.startswith(DIRECT_PREFIX):
            first, _, second = conversation[len(DIRECT_PREFIX):].partition("|")
            if key not in (first, second):
                return None
            partner = hub.name_of(second if key == first else first)
            return None if partner == UNKNOWN_NAME else p.ReadMarker(seq=seq, to=partner)
        name = hub.room_name(conversation)
        if name is None or all(room_conversation(info.id) != conversation for info in hub.model.rooms_of(key)):
            return None
        return p.ReadMarker(seq=seq, room=name)
