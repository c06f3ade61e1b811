"""What of the stored messages a member may be replayed, and how each is addressed to it: its rooms as they are
when the replay begins and its own direct messages (a version-1 member: #lobby's only).

``MemberReplies`` (chat_server/core/member_replies.py) asks; ``ConversationHub`` knows who is in which room.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from chat_server import protocol as p
from chat_server.core.conversation_hub import TRANSIENT_PREFIX, ConversationHub
from chat_server.core.rooms import DIRECT_PREFIX, LOBBY_CONVERSATION, room_conversation
from chat_server.net.connection import ClientConnection
from chat_server.store import StoredMessage, StoreError

log = logging.getLogger(__name__)


class ReplayViews:
    """The replay's questions about one member, answered from the hub's rooms and the store."""

    def __init__(self, hub: ConversationHub) -> None:
        self._hub = hub

    def view(self, conn: ClientConnection) -> MemberView:
        """What of the store ``conn`` may be replayed, and how it is addressed to it."""
        return MemberView(self._hub, conn, self.shown_to(conn))

    def shown_to(self, conn: ClientConnection) -> Callable[[StoredMessage], bool]:
        """Whether ``conn`` may be replayed a stored message: #lobby's, and (speaking rooms) those of the rooms it is
        in now and its own direct messages."""
        hub = self._hub
        if not hub.speaks_rooms(conn):
            return _in_lobby
        key = hub.key_of(conn)
        mine = {room_conversation(info.id) for info in hub.model.rooms_of(key)}
        own, theirs = f"{DIRECT_PREFIX}{key}|", f"|{key}"

        def shown(stored: StoredMessage) -> bool:
            conversation = stored.conversation
            if conversation in mine:
                return True
            return conversation.startswith(DIRECT_PREFIX) and (conversation.endswith(theirs)
                                                                or conversation.startswith(own))
        return shown

    def recent_of(self, conn: ClientConnection, limit: int) -> list[StoredMessage] | None:
        """The last ``limit`` messages of each room ``conn`` is in (#lobby too) and of each member it exchanged
        direct messages with, merged in seq order; None for a member that does not speak rooms (its history is
        #lobby's as before)."""
        hub = self._hub
        if not hub.speaks_rooms(conn):
            return None
        key = hub.key_of(conn)
        conversations = [LOBBY_CONVERSATION if info.key == p.LOBBY else room_conversation(info.id)
                         for info in hub.model.rooms_of(key)]
        merged: dict[int, StoredMessage] = {}
        try:
            if not key.startswith(TRANSIENT_PREFIX):
                conversations += hub.store.direct_conversations(key)
            for conversation in conversations:
                merged.update((m.seq, m) for m in hub.store.recent_in(conversation, limit))
        except StoreError as exc:
            log.error("could not read the history of %s: %s", conn.name, exc)
        return [merged[seq] for seq in sorted(merged)]

    def history_start(self, conn: ClientConnection, wanted: int) -> int | None:
        """Where a text member's ``history N`` begins: before the last ``wanted`` messages of its current room
        (what its other conversations said since comes with them); None if that room has none."""
        info = self._hub.model.info(conn.member.current_room or p.LOBBY)
        conversation = room_conversation(info.id) if info is not None else LOBBY_CONVERSATION
        try:
            recent = self._hub.store.recent_in(conversation, wanted)
        except StoreError as exc:
            log.error("could not read the history of %s: %s", conversation, exc)
            return None
        return recent[0].seq - 1 if recent else None


class MemberView:
    """One member's view of the stored messages, for a replay (``replies.Conversation``): its rooms as they are when
    the replay begins, and its direct messages."""

    def __init__(self, hub: ConversationHub, conn: ClientConnection, shown: Callable[[StoredMessage], bool]) -> None:
        self._hub = hub
        self._conn = conn
        self._shown = shown

    def shown(self, stored: StoredMessage) -> bool:
        return self._shown(stored)

    def fields(self, stored: StoredMessage) -> tuple[str | None, str | None]:
        return self._hub.relay_fields(stored, self._conn)


def _in_lobby(stored: StoredMessage) -> bool:
    return stored.conversation == LOBBY_CONVERSATION
