"""Typing notices relayed: to the conversation's other members online that speak version 2 in JSON, never stored.

A notice is fire-and-forget (IRCv3 ``+typing``): it is never acknowledged nor answered, so one that cannot be
relayed (over the member's rate, for a conversation it is not in, to a member offline, from a client that does not
speak version 2) is dropped without a word. The rate keeps it from becoming a flood channel: a client that follows
the protocol sends one every 3 s per conversation while its member types, and a ``paused`` or ``done`` after.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from chat_server import protocol as p
from chat_server.core.conversation_hub import ConversationHub
from chat_server.core.limits import TokenBucket
from chat_server.core.rooms import LOBBY_CONVERSATION, Refused
from chat_server.net.connection import ClientConnection

TYPING_PER_S = 2.0
TYPING_BURST = 6
"""Typing notices one connection may send: a burst of 6, then 2 a second; the rest are dropped."""


def reads_presence(conn: ClientConnection) -> bool:
    """A JSON member that said version 2: it is sent typing notices and away news (text members never are)."""
    return conn.framing is p.Framing.JSON and conn.member.version >= p.ROOMS_VERSION and not conn.member.over


class TypingRelay:
    """Relays members' typing notices (``Step.TYPING``) within the rate, to whom they concern only."""

    def __init__(self, hub: ConversationHub, holder_of: Callable[[str], ClientConnection | None]) -> None:
        """``holder_of(name)``: the connection holding a name online (or one that looks the same), or None."""
        self._hub = hub
        self._holder_of = holder_of
        self._buckets: dict[int, TokenBucket] = {}  # session id -> its rate (forgotten when it departs)
        self.relayed = 0  # notices relayed (to one member or more), for the tests
        self.dropped = 0  # notices dropped, for the tests

    def typing(self, conn: ClientConnection, notice: p.Typing) -> None:
        if not reads_presence(conn) or not self._within_rate(conn):
            self.dropped += 1
            return
        if notice.to is not None:
            targets, message = self._direct(conn, notice)
        else:
            targets, message = self._room(conn, notice)
        if not targets or message is None:
            self.dropped += 1
            return
        self.relayed += 1
        data = p.encode(message, p.Framing.JSON)
        for target in targets:
            target.send_bytes(data)

    def depart(self, conn: ClientConnection) -> None:
        self._buckets.pop(conn.session.id, None)

    def _within_rate(self, conn: ClientConnection) -> bool:
        now = time.monotonic()
        bucket = self._buckets.get(conn.session.id)
        if bucket is None:
            bucket = self._buckets[conn.session.id] = TokenBucket(TYPING_PER_S, TYPING_BURST, now)
        return bucket.take(1, now) == 1

    def _room(self, conn: ClientConnection, notice: p.Typing) -> tuple[list[ClientConnection], p.Message | None]:
        """The room's other members who read presence, and what they are sent; none if ``conn`` is not in it."""
        key = self._hub.key_of(conn)
        conversation = self._hub.model.room_message_conversation(key, notice.room or p.LOBBY)
        if isinstance(conversation, Refused):
            return [], None
        audience = self._hub.room_audience(conversation) or []
        targets = [c for c in audience if reads_presence(c) and self._hub.key_of(c) != key]
        room = None if conversation == LOBBY_CONVERSATION else self._hub.room_name(conversation)
        return targets, p.MemberTyping(name=conn.name, state=notice.state, room=room)

    def _direct(self, conn: ClientConnection, notice: p.Typing) -> tuple[list[ClientConnection], p.Message | None]:
        """The partner's connections that read presence (none if it is offline, or is ``conn``'s member)."""
        holder = self._holder_of(p.normalize_name(notice.to or ""))
        if holder is None or not holder.member.announced:
            return [], None
        key, partner = self._hub.key_of(conn), self._hub.key_of(holder)
        if partner == key:
            return [], None
        targets = [c for c in self._hub.online.get(partner, ()) if reads_presence(c)]
        return targets, p.MemberTyping(name=conn.name, state=notice.state, to=holder.name)
