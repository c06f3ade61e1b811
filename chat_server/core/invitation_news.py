"""Invitations to a private room made while the invitee was offline: kept in the store, and told to the invitee once,
when it next joins, as the same ``invited`` news a member online is sent at once.

Only an invitation the model records (to a private room) is kept: to a public room an invitation is news and
nothing more, and anyone may join it. Only a member with a client id can be invited while offline (its name is
reserved for it), so the invitee always speaks JSON; the inviter may speak either framing.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Protocol

from chat_server import protocol as p
from chat_server.core.rooms import Changed, MemberKey, room_conversation
from chat_server.store import Store, StoreError

if TYPE_CHECKING:
    from chat_server.net.connection import ClientConnection

log = logging.getLogger(__name__)


class _Members(Protocol):
    """What of the ``ConversationHub`` this needs (named so, not imported: the hub holds this)."""

    store: Store

    def key_of(self, conn: ClientConnection) -> MemberKey: ...
    def speaks_rooms(self, conn: ClientConnection) -> bool: ...
    def room_name(self, conversation: str) -> str | None: ...


class InvitationNews:
    """Keeps the news of an invitation for an invitee who is offline, and tells it when it joins."""

    def __init__(self, hub: _Members) -> None:
        self._hub = hub

    def keep(self, changed: Changed, invitee: MemberKey, inviter: str | None) -> None:
        """After an invitation of ``invitee``, who is offline: keep its news if the invitation was recorded now (an
        invitation that stood already, or to a public room, keeps nothing)."""
        if not any(m.invited and m.member == invitee for m in changed.saved):
            return
        try:
            self._hub.store.keep_invitation_news(changed.room.id, invitee, inviter, time.time())
        except StoreError as exc:
            log.error("could not keep the news of an invitation to %s: %s", changed.room.display, exc)

    def tell(self, conn: ClientConnection) -> None:
        """Send ``conn`` (just announced) the invitations made while it was away that still stand; once: the news is
        forgotten as it is read."""
        hub = self._hub
        if not conn.member.client_id or not hub.speaks_rooms(conn):
            return
        try:
            news = hub.store.take_invitation_news(hub.key_of(conn))
        except StoreError as exc:
            log.error("could not read the invitations made while %s was away: %s", conn.name, exc)
            return
        for room, inviter, when in news:
            name = hub.room_name(room_conversation(room))
            if name is not None:  # forgetting an invitation forgets its news; a room closed since forgot both
                conn.send(p.Invited(room=name, name=conn.name, by=inviter, time=when))
