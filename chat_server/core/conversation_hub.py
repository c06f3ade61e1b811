"""Rooms and direct messages carried out for the members online: their requests, who a message goes to, what
each member may be replayed.

``Conversations`` (chat_server/core/rooms.py) holds the rules; this gives it the members online (by member key),
writes what it changed to the store, and answers in each member's framing. A member speaks rooms if it is a text
member or said protocol version 2 in its hello; a version-1 member is confined to #lobby: it is sent nothing else.
A member's key is the digest of its client id; a member without one has a key for this connection only, and its
rooms end with it (they are never stored).

Over 400 lines: who is in which conversation, and how each message of it is addressed to each reader, are asked
together for every message; split, each would ask the other.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from chat_server import protocol as p
from chat_server.core.invitation_news import InvitationNews
from chat_server.core.limits import TokenBucket
from chat_server.core.read_markers import ReadMarkers
from chat_server.core.room_events import RoomChange, RoomEvent, out_of
from chat_server.core.rooms import (
    DIRECT_PREFIX,
    LOBBY_CONVERSATION,
    OPERATOR,
    Changed,
    Conversations,
    MemberKey,
    Refusal,
    Refused,
    RoomInfo,
    RoomLimits,
    room_conversation,
)
from chat_server.net.connection import ClientConnection
from chat_server.settings import ServerSettings
from chat_server.store import Store, StoredMessage, StoreError

log = logging.getLogger(__name__)

TRANSIENT_PREFIX = "session:"
"""The key of a member without a client id: ``session:<run>:<session id>``, for this connection only. Session ids
start again at 1 each run, so the run's number keeps the key (and the direct conversations named after it) from
being an earlier run's connection's."""
INVITATIONS_PER_MINUTE = 10
INVITATION_BURST = 5
"""Invitations one member may send: a burst of 5, then 10 a minute."""
PENDING_BATCH = 1000
"""Direct messages that waited for a member, read from the store at once when it joins."""

ERRORS: dict[Refusal, str] = {
    Refusal.ROOM_INVALID: p.ERR_ROOM_INVALID,
    Refusal.NO_SUCH_ROOM: p.ERR_NO_SUCH_ROOM,
    Refusal.ROOM_EXISTS: p.ERR_ROOM_EXISTS,
    Refusal.INVITE_ONLY: p.ERR_INVITE_ONLY,
    Refusal.NOT_IN_ROOM: p.ERR_NOT_IN_ROOM,
    Refusal.NOT_THERE: p.ERR_NOT_THERE,
    Refusal.NOT_OWNER: p.ERR_NOT_OWNER,
    Refusal.LOBBY_FIXED: p.ERR_LOBBY_FIXED,
    Refusal.TOO_MANY_ROOMS: p.ERR_TOO_MANY_ROOMS,
    Refusal.TOO_MANY_JOINED: p.ERR_TOO_MANY_JOINED,
    Refusal.TOPIC_TOO_LONG: p.ERR_TOPIC_TOO_LONG,
    Refusal.DIRECT_TO_SELF: p.ERR_DIRECT_TO_SELF,
}
"""Each refusal of the rooms' rules as the protocol's error code."""


def refusal_error(refused: Refused, room: str | None, chat_id: str | None = None) -> p.Error:
    what = f"{room}: " if room else ""
    verb = "Not sent: " if chat_id is not None else ""
    return p.Error(ERRORS[refused.reason], f"{verb}{what}{refused.reason.value}.", id=chat_id, room=room)


class ConversationHub:
    """The rooms and direct messages of the members online, over ``Conversations`` and the store."""

    def __init__(self, store: Store, settings: ServerSettings, commit_now: Callable[[], None],
                 holder_of: Callable[[str], ClientConnection | None], run: int) -> None:
        """``commit_now()`` stores what is gathered (a member's messages before a reply that may show them);
        ``holder_of(name)`` is the connection holding a name online (or one that looks the same); ``run`` is this
        run's number in the store (see ``key_of``)."""
        self.store = store
        self._run = run
        self.commit_now = commit_now
        self._holder_of = holder_of
        self.history_limit = settings.history_limit
        self._reservation_s = settings.name_reservation_s
        try:
            rooms = store.rooms()
            self.model = Conversations.load(rooms, store.memberships(), RoomLimits.of(settings))
        except StoreError as exc:
            log.error("could not read the rooms from the store (starting with #lobby only): %s", exc)
            rooms, self.model = [], Conversations(RoomLimits.of(settings))
        # The open rooms by the conversation their messages are stored under (``room:<id>``).
        self._rooms: dict[str, RoomInfo] = {room_conversation(info.id): info for info in rooms
                                            if info.closed_at is None}
        self.online: dict[MemberKey, list[ClientConnection]] = {}
        self._room_conns: dict[str, list[ClientConnection]] = {}  # conversation -> its members online who read rooms
        self.names: dict[MemberKey, str] = {}  # the name a member key was last seen (or addressed) under
        self.invitations: dict[MemberKey, TokenBucket] = {}
        self.invitation_news = InvitationNews(self)  # for an invitee offline, told when it next joins
        self.read_markers = ReadMarkers(self, refusal_error)  # how far each member identity has read each conversation
        self.rooms_changed: Callable[[], None] = lambda: None  # the engine's signals: that rooms changed, and how
        self.room_event: Callable[[RoomEvent], None] = lambda event: None
        self.arrived: Callable[[ClientConnection], None] = lambda conn: None  # presence (typing, away) is told
        self.departed: Callable[[ClientConnection], None] = lambda conn: None  # when a member comes and goes
        self.away_note: Callable[[ClientConnection], str | None] = lambda conn: None  # its away message, or None
        self.file_ref: Callable[[str], p.FileRef | None] = lambda file_id: None  # a shared file's (FileRequests.ref)

    # --- who is who -------------------------------------------------------------------------------

    def key_of(self, conn: ClientConnection) -> MemberKey:
        return conn.member.client_id or f"{TRANSIENT_PREFIX}{self._run}:{conn.session.id}"

    @staticmethod
    def speaks_rooms(conn: ClientConnection) -> bool:
        """A text member, or a JSON member that said version 2: it may use rooms and be sent their messages."""
        return conn.framing is not p.Framing.JSON or conn.member.version >= p.ROOMS_VERSION

    def arrive(self, conn: ClientConnection) -> None:
        """``conn`` was announced: it is online (in #lobby), and direct messages to it are delivered live."""
        key = self.key_of(conn)
        self._room_conns.clear()
        self.online.setdefault(key, []).append(conn)
        self.names[key] = self.online[key][0].name  # its first window's (not a late hello's refused as another)
        self.model.arrive(key)
        self.arrived(conn)

    def renamed(self, conn: ClientConnection) -> None:
        self.names[self.key_of(conn)] = conn.name

    def depart(self, conn: ClientConnection) -> None:
        """``conn`` is gone. A member without a client id leaves its rooms with its connection."""
        self.departed(conn)
        self._remove(conn, self.key_of(conn))

    def moved(self, conn: ClientConnection, old_key: MemberKey) -> None:
        """``conn``, online under ``old_key``, has a client id now (a hello after it was announced as a text member):
        it is that identity from now on; what it had under its connection's key ends as if it had left."""
        self.departed(conn)
        self._remove(conn, old_key)
        self.arrive(conn)

    def _remove(self, conn: ClientConnection, key: MemberKey) -> None:
        conns = self.online.get(key)
        if conns is None or conn not in conns:
            return
        conns.remove(conn)
        self._room_conns.clear()
        if conns:
            return
        del self.online[key]
        self.model.depart(key)
        if key.startswith(TRANSIENT_PREFIX):
            now = time.time()
            for info in self.model.rooms_of(key)[1:]:
                changed = self.model.leave(key, info.key, now)
                if isinstance(changed, Changed):
                    self.save(changed)
                    for event in out_of(RoomChange.LEFT, changed.room, None, conn.name):
                        self.room_event(event)
                    self.tell_room(changed.room, p.Left(name=conn.name, reason=p.RoomExit.LEFT,
                                                         online=self.count(changed.room), time=now,
                                                         room=changed.room.display))
            self.names.pop(key, None)
            self.invitations.pop(key, None)

    def name_of(self, key: MemberKey) -> str:
        """The name a member key was last seen under: online, or in its latest stored session (``?``: none)."""
        name = self.names.get(key)
        if name is None and not key.startswith(TRANSIENT_PREFIX):
            try:
                name = self.store.last_name(key)
            except StoreError as exc:
                log.error("could not look up a member's last name: %s", exc)
            if name is not None:
                self.names[key] = name
        return name or "?"

    def joined_rooms(self, conn: ClientConnection) -> tuple[p.JoinedRoom, ...]:
        """The rooms ``conn`` is in, #lobby first, with their topics and owners, for its welcome (none for a
        version-1 member). A room it owns names it as it is called now (its hello may have chosen a new name)."""
        if not self.speaks_rooms(conn):
            return ()
        key = self.key_of(conn)
        return tuple(p.JoinedRoom(info.display, info.topic, info.private,
                                  None if info.owner is None else conn.name if info.owner == key
                                  else self.name_of(info.owner))
                     for info in self.model.rooms_of(key))

    def lookup(self, name: str) -> tuple[MemberKey, list[ClientConnection]] | None:
        """The member called ``name``: online (by how names look), or offline with the name reserved for its
        client id; None if nobody is."""
        wanted = p.normalize_name(name)
        holder_conn = self._holder_of(wanted)
        if holder_conn is not None and holder_conn.member.announced and not holder_conn.member.over:
            key = self.key_of(holder_conn)
            return key, self.online.get(key, [holder_conn])
        try:
            holder = self.store.name_holder(wanted, time.time() - self._reservation_s) if self._reservation_s else None
        except StoreError as exc:
            log.error("could not look up who used the name %s: %s", wanted, exc)
            return None
        if holder is None:
            return None
        self.names.setdefault(holder, wanted)
        return holder, self.online.get(holder, [])

    # --- chats ---------------------------------------------------------------------------------------

    def room_chat(self, conn: ClientConnection, chat_id: str, room: str) -> str | None:
        """The conversation a chat to ``room`` is stored in, or None (refused: the error is sent)."""
        if not self.speaks_rooms(conn):
            conn.reply(needs_version_2(chat_id, room))
            return None
        conversation = self.model.room_message_conversation(self.key_of(conn), room)
        if isinstance(conversation, Refused):
            conn.reply(refusal_error(conversation, room, chat_id))
            return None
        return conversation

    def direct_chat(self, conn: ClientConnection, chat: p.Chat) -> str | None:
        """The conversation a direct message is stored in, or None (refused: the error is sent)."""
        if not self.speaks_rooms(conn):
            conn.reply(needs_version_2(chat.id, None))
            return None
        to = chat.to or ""
        found = self.lookup(to)
        if found is None:
            conn.reply(p.Error(p.ERR_UNKNOWN_MEMBER, f"Not sent: {to} is not a member here.", id=chat.id))
            return None
        key, conns = found
        if conns and not any(self.speaks_rooms(c) for c in conns):
            conn.reply(p.Error(p.ERR_UNREACHABLE, f"Not sent: {to}'s client cannot receive direct messages.",
                               id=chat.id))
            return None
        delivery = self.model.direct_message(self.key_of(conn), key)
        if isinstance(delivery, Refused):
            conn.reply(refusal_error(delivery, None, chat.id))
            return None
        return delivery.conversation

    def waiting_recipient(self, stored: StoredMessage, sender: ClientConnection) -> MemberKey | None:
        """The member key a direct message from ``sender`` waits for (its recipient is offline), or None."""
        if not stored.conversation.startswith(DIRECT_PREFIX):
            return None
        recipient = self._partner(stored.conversation, self.key_of(sender))
        return None if recipient is None or recipient in self.online else recipient

    def recipients(self, stored: StoredMessage, sender: ClientConnection) -> Iterable[ClientConnection]:
        """The connections online a direct message goes to (never the sender); a room's: ``room_audience``."""
        keys = stored.conversation[len(DIRECT_PREFIX):].split("|")
        return [c for k in keys for c in self.online.get(k, ()) if c is not sender and self.speaks_rooms(c)]

    def room_audience(self, conversation: str) -> list[ClientConnection] | None:
        """The members online who read rooms of the room ``conversation`` is (its sender included), or None if it
        is not an open room. The same list until it changes (who arrives, departs, joins, leaves or reads how)."""
        conns = self._room_conns.get(conversation)  # asked per message: the kept list first
        if conns is not None:
            return conns
        info = self._room_of(conversation)
        return self.room_conns(info) if info is not None else None

    def forget_routes(self) -> None:
        """Who is in a room or online, or how a member reads, changed: the rooms' members are looked up again."""
        self._room_conns.clear()

    def partner_named(self, key: MemberKey, name: str) -> MemberKey | None:
        """Whom ``key`` means by ``name`` for its direct messages: the member so called here now (``lookup``), else
        the partner so called (by its last name) of a direct conversation ``key`` had, neither online nor keeping
        its name any more: its messages are still ``key``'s to read. None if neither."""
        found = self.lookup(name)
        if found is not None:
            return found[0]
        try:
            conversations = self.store.direct_conversations(key)
        except StoreError as exc:
            log.error("could not read the direct conversations of a member: %s", exc)
            return None
        wanted = p.name_key(name)
        for conversation in conversations:
            partner = self._partner(conversation, key)
            if partner is not None and p.name_key(self.name_of(partner)) == wanted:
                return partner
        return None

    def relay_fields(self, stored: StoredMessage, viewer: ClientConnection) -> tuple[str | None, str | None]:
        """The ``room`` and ``to`` of a message as ``viewer`` is sent it."""
        conversation = stored.conversation
        if conversation == LOBBY_CONVERSATION:
            return None, None
        if conversation.startswith(DIRECT_PREFIX):
            viewer_key = self.key_of(viewer)
            sender_key = self._sender_key(stored)
            if sender_key == viewer_key or (sender_key is None and stored.sender == viewer.name):
                partner = self._partner(conversation, viewer_key)
                return None, self.name_of(partner) if partner else "?"
            return None, viewer.name
        info = self._room_of(conversation)
        return (info.display if info is not None else "#?"), None

    def ack_fields(self, stored: StoredMessage, sender: ClientConnection) -> tuple[str | None, str | None, bool]:
        if not stored.conversation.startswith(DIRECT_PREFIX):
            return *self.relay_fields(stored, sender), False
        partner = self._partner(stored.conversation, self.key_of(sender))
        return None, self.name_of(partner) if partner else "?", self.waiting_recipient(stored, sender) is not None

    def deliver_waiting(self, conn: ClientConnection) -> set[int]:
        """Send ``conn`` the direct messages that waited for it; their seqs. They wait no more once their bytes
        have left the server for ``conn``'s socket: a member that drops before that gets them on its next join."""
        key = self.key_of(conn)
        if key.startswith(TRANSIENT_PREFIX) or not self.speaks_rooms(conn):
            return set()
        try:
            waiting = self.store.pending_for(key, PENDING_BATCH)
        except StoreError as exc:
            log.error("could not read the direct messages waiting for %s: %s", conn.name, exc)
            return set()
        for stored in waiting:
            conn.send(p.Relay(sender=stored.sender, text=stored.text, seq=stored.seq, time=stored.time, to=conn.name,
                              file=self.file_ref(stored.file) if stored.file else None))  # (it reads version 2)
        if waiting:
            through = waiting[-1].seq
            conn.when_written(lambda: self._delivered(key, through))
        return {stored.seq for stored in waiting}

    def _delivered(self, key: MemberKey, through_seq: int) -> None:
        try:
            self.store.delivered(key, through_seq)
        except StoreError as exc:
            log.error("could not note the direct messages delivered to %s: %s", self.names.get(key, key), exc)

    # --- inside ----------------------------------------------------------------------------------------

    def save(self, changed: Changed) -> None:
        self._room_conns.clear()
        for info in changed.saved_rooms:
            if info.closed_at is None:
                self._rooms[room_conversation(info.id)] = info
            else:
                self._rooms.pop(room_conversation(info.id), None)
        saved = [m for m in changed.saved if not m.member.startswith(TRANSIENT_PREFIX)]
        forgotten = [m for m in changed.forgotten if not m.member.startswith(TRANSIENT_PREFIX)]
        if changed.saved_rooms or saved or forgotten:
            try:
                self.store.change_rooms(changed.saved_rooms, saved, forgotten)
            except StoreError as exc:
                log.error("could not store a change of %s: %s", changed.room.display, exc)
        if changed.saved_rooms or changed.saved or changed.forgotten:
            self.rooms_changed()

    def room_name(self, conversation: str) -> str | None:
        """The name of the open room (``#lobby`` too) whose messages are stored under ``conversation``, or None."""
        return info.display if (info := self._rooms.get(conversation)) is not None else None

    def _room_of(self, conversation: str) -> RoomInfo | None:
        return self._rooms.get(conversation)

    def room_conns(self, info: RoomInfo) -> list[ClientConnection]:
        """The room's members online who read rooms; kept until someone arrives, departs, joins or leaves."""
        conns = self._room_conns.get(conversation := room_conversation(info.id))
        if conns is None:
            keys = self.model.members(OPERATOR, info.key)
            conns = self._room_conns[conversation] = [] if isinstance(keys, Refused) else [
                c for k in keys for c in self.online.get(k, ()) if self.speaks_rooms(c)]
        return conns

    def online_names(self, info: RoomInfo) -> list[str]:
        return sorted({c.name for c in self.room_conns(info)})

    def count(self, info: RoomInfo) -> int:
        keys = self.model.members(OPERATOR, info.key)
        return 0 if isinstance(keys, Refused) else len(keys)

    def tell_room(self, info: RoomInfo, message: p.Message, skip_text: ClientConnection | None = None) -> None:
        encoded: dict[p.Framing, bytes] = {}  # each framing's line, encoded once
        for conn in self.room_conns(info):
            framing = conn.output_framing
            if conn is skip_text and framing is p.Framing.TEXT:
                continue  # a text member's answer (``You joined``) said it
            data = encoded.get(framing)
            if data is None:
                data = encoded[framing] = p.encode(message, framing)
            conn.send_bytes(data)

    def _sender_key(self, stored: StoredMessage) -> MemberKey | None:
        return stored.client_id.split("\x00", 1)[0] if stored.client_id else None

    @staticmethod
    def _partner(conversation: str, key: MemberKey | None) -> MemberKey | None:
        first, _, second = conversation[len(DIRECT_PREFIX):].partition("|")
        if key == first:
            return second
        if key == second:
            return first
        return None


def needs_version_2(chat_id: str | None, room: str | None) -> p.Error:
    return p.Error(p.ERR_NOT_ALLOWED, f"Rooms and direct messages need protocol version {p.ROOMS_VERSION}.",
                   id=chat_id, room=room)
