"""Rooms and direct messages as plain Python (issue 18): who is in which room, who may do what, and who receives a
message. No Qt, no sockets, no store: the engine loads it from the store and writes back what each call says changed.
Over 400 lines: one concern, the rules of rooms, each request beside the others it must agree with.

Members are identified by a ``MemberKey``, an opaque string the engine chooses (the digest of a client id for a
client that has one, see ``chat_server.store.client_key``). Every member online is in ``#lobby``; membership of
every other room is kept per member key, online or not. Every refusal is a value (``Refused``), never an exception.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from chat_server.settings import DEFAULT_MAX_ROOMS, DEFAULT_ROOMS_PER_MEMBER, ServerSettings

MemberKey = str

ROOM_NAME = re.compile(r"#[a-z0-9_-]{1,32}", re.ASCII | re.IGNORECASE)
"""A room's name: ``#`` and 1 to 32 of a-z, 0-9, ``-`` and ``_``, in any case."""
ROOM_KEYS_KEPT = 1024
"""How many room names' keys ``room_key`` keeps (the rooms' count is bounded by --max-rooms, 1,000 by default)."""
LOBBY = "#lobby"
LOBBY_ID = 1
"""``#lobby`` is room 1 in every store: the messages from before rooms were kept there."""
MAX_TOPIC_CHARS = 300

ROOM_PREFIX = "room:"
DIRECT_PREFIX = "direct:"
LOBBY_CONVERSATION = f"{ROOM_PREFIX}{LOBBY_ID}"
"""What a stored message records of where it was said: ``room:<id>`` or ``direct:<key>|<key>``."""


@functools.lru_cache(maxsize=ROOM_KEYS_KEPT)
def room_key(name: str) -> str | None:
    """The key a room name is compared by (its lower case), or None if it is not a room name. Asked for every
    message to a room: the answers for the names seen last are kept (a bounded cache: names come from the wire)."""
    return name.lower() if ROOM_NAME.fullmatch(name) else None


def room_conversation(room_id: int) -> str:
    return f"{ROOM_PREFIX}{room_id}"


def direct_conversation(a: MemberKey, b: MemberKey) -> str:
    """The conversation of two members, the same whichever of them writes."""
    first, second = sorted((a, b))
    return f"{DIRECT_PREFIX}{first}|{second}"


class Operator(enum.Enum):
    """The server's operator, who may do to any room what its owner may."""
    OPERATOR = "operator"


OPERATOR = Operator.OPERATOR
Actor = MemberKey | Operator


class Refusal(enum.Enum):
    """Why a request about rooms is refused: each is version 2's error code of its name in lower case."""

    ROOM_INVALID = "not a room name (# and 1-32 of a-z 0-9 - _)"
    NO_SUCH_ROOM = "no such room"
    ROOM_EXISTS = "that room exists already"
    INVITE_ONLY = "that room is private: it needs an invitation"
    NOT_IN_ROOM = "you are not in that room"
    NOT_THERE = "that member is not in that room"
    NOT_OWNER = "only the room's owner may do that"
    LOBBY_FIXED = "everyone stays in #lobby"
    TOO_MANY_ROOMS = "the server has as many rooms as it may"
    TOO_MANY_JOINED = "you are in as many rooms as you may"
    TOPIC_TOO_LONG = "that topic is too long"
    DIRECT_TO_SELF = "that is you"


@dataclass(frozen=True, slots=True)
class Refused:
    reason: Refusal

    @property
    def english(self) -> str:
        """The rooms' sentence for it (lower case, no full stop), as a refusal on the wire says it."""
        return self.reason.value


@dataclass(frozen=True, slots=True)
class RoomInfo:
    """A room as it is stored: what survives a restart besides its members."""

    id: int
    key: str  # the name in lower case: what it is looked up and compared by
    display: str  # the name as its creator wrote it
    topic: str
    private: bool
    owner: MemberKey | None  # the creator; in a private room it may remove members and set the topic
    created_at: float
    closed_at: float | None = None  # a closed room stays in the store (its id is never used again)


@dataclass(frozen=True, slots=True)
class Membership:
    """A member of a room, or (``invited``) a member key invited to a private room and not in it yet."""

    room: int
    member: MemberKey
    invited: bool = False


@dataclass(frozen=True, slots=True)
class RoomLimits:
    max_rooms: int = DEFAULT_MAX_ROOMS  # rooms on the server, #lobby included; 0 = no limit
    rooms_per_member: int = DEFAULT_ROOMS_PER_MEMBER  # rooms besides #lobby one member may be in; 0 = no limit

    @classmethod
    def of(cls, settings: ServerSettings) -> RoomLimits:
        return cls(settings.max_rooms, settings.max_rooms_per_member)


@dataclass(slots=True)
class _Room:
    info: RoomInfo
    members: set[MemberKey] = field(default_factory=set)
    invited: set[MemberKey] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Changed:
    """A request carried out, and what the store must now hold: rooms to save (created, changed or closed),
    memberships to save and to forget. ``room`` is the room the request was about, as it is now."""

    room: RoomInfo
    saved_rooms: tuple[RoomInfo, ...] = ()
    saved: tuple[Membership, ...] = ()
    forgotten: tuple[Membership, ...] = ()


@dataclass(frozen=True, slots=True)
class Listing:
    """A room as the room list shows it to one member."""

    display: str
    members: int
    topic: str
    private: bool


@dataclass(frozen=True, slots=True)
class Delivery:
    """Who gets a message: ``now``, the members online it goes to (never the sender); ``later``, a member
    offline that gets a direct message when it next joins."""

    conversation: str
    now: frozenset[MemberKey]
    later: frozenset[MemberKey] = frozenset()


class Conversations:
    """Every room, its members and invitations, and who is online: the rules of rooms and direct messages."""

    def __init__(self, limits: RoomLimits = RoomLimits()) -> None:
        self.limits = limits
        self._rooms: dict[str, _Room] = {}
        self._by_id: dict[int, _Room] = {}
        self._joined: dict[MemberKey, set[int]] = {}  # member -> rooms besides #lobby it is in
        self._online: set[MemberKey] = set()
        self._next_id = LOBBY_ID + 1
        self._add(_Room(RoomInfo(LOBBY_ID, LOBBY, LOBBY, "", False, None, 0.0)))

    @classmethod
    def load(cls, rooms: Iterable[RoomInfo], memberships: Iterable[Membership],
             limits: RoomLimits = RoomLimits()) -> Conversations:
        """The rooms as the store holds them (``#lobby`` among them, or made if missing)."""
        model = cls(limits)
        for info in rooms:
            model._next_id = max(model._next_id, info.id + 1)
            if info.closed_at is None:
                model._add(_Room(info))
        for membership in memberships:
            room = model._by_id.get(membership.room)
            if room is None or room.info.id == LOBBY_ID:
                continue
            if membership.invited:
                room.invited.add(membership.member)
            else:
                model._enter(room, membership.member)
        return model

    # Who is online: every member online is in #lobby.

    def arrive(self, member: MemberKey) -> None:
        self._online.add(member)

    def depart(self, member: MemberKey) -> None:
        self._online.discard(member)

    # What members ask.

    def join(self, member: MemberKey, name: str, now: float) -> Changed | Refused:
        """Join the room ``name``, creating it (public, owned by ``member``) if there is none. Joining a room one
        is in already changes nothing."""
        key = room_key(name)
        if key is None:
            return Refused(Refusal.ROOM_INVALID)
        room = self._rooms.get(key)
        if room is None:
            return self.create(member, name, private=False, now=now)
        if key == LOBBY or member in room.members:
            return Changed(room.info)
        if room.info.private and member not in room.invited:
            return Refused(Refusal.INVITE_ONLY)
        if self._full_for(member):
            return Refused(Refusal.TOO_MANY_JOINED)
        used = (Membership(room.info.id, member, invited=True),) if member in room.invited else ()
        room.invited.discard(member)
        self._enter(room, member)
        return Changed(room.info, saved=(Membership(room.info.id, member),), forgotten=used)

    def create(self, by: Actor, name: str, private: bool, now: float) -> Changed | Refused:
        """Make the room ``name``: a member's, with it as owner and first member; the operator's, with no owner
        and nobody in it yet."""
        key = room_key(name)
        if key is None:
            return Refused(Refusal.ROOM_INVALID)
        if key in self._rooms:
            return Refused(Refusal.ROOM_EXISTS)
        if self.limits.max_rooms and len(self._rooms) >= self.limits.max_rooms:
            return Refused(Refusal.TOO_MANY_ROOMS)
        if by is not OPERATOR and self._full_for(by):
            return Refused(Refusal.TOO_MANY_JOINED)
        info = RoomInfo(self._next_id, key, name, "", private, None if by is OPERATOR else by, now)
        self._next_id += 1
        self._add(room := _Room(info))
        if by is OPERATOR:
            return Changed(info, saved_rooms=(info,))
        self._enter(room, by)
        return Changed(info, saved_rooms=(info,), saved=(Membership(info.id, by),))

    def leave(self, member: MemberKey, name: str, now: float) -> Changed | Refused:
        """Leave a room. A private room its last member leaves is closed: nobody could be invited to it again."""
        found = self._find(name)
        if isinstance(found, Refused):
            return found
        if found.info.id == LOBBY_ID:
            return Refused(Refusal.LOBBY_FIXED)
        if member not in found.members:
            return Refused(Refusal.NOT_IN_ROOM)
        return self._take_out(found, member, now)

    def invite(self, by: Actor, invitee: MemberKey, name: str) -> Changed | Refused:
        """Let ``invitee`` join a private room (any member of it may invite); in a public room, anyone may join
        already, and the invitation is only news for the invitee."""
        found = self._visible(by, name)
        if isinstance(found, Refused):
            return found
        if found.info.id == LOBBY_ID:
            return Refused(Refusal.LOBBY_FIXED)
        if by is not OPERATOR and by not in found.members:
            return Refused(Refusal.NOT_IN_ROOM)
        if not found.info.private or invitee in found.members or invitee in found.invited:
            return Changed(found.info)
        found.invited.add(invitee)
        return Changed(found.info, saved=(Membership(found.info.id, invitee, invited=True),))

    def remove(self, by: Actor, member: MemberKey, name: str, now: float) -> Changed | Refused:
        """Take ``member`` out of a room (and its invitation back): the owner of a private room, or the operator.
        A member removed from a public room may join it again."""
        found = self._visible(by, name)
        if isinstance(found, Refused):
            return found
        if found.info.id == LOBBY_ID:
            return Refused(Refusal.LOBBY_FIXED)
        if not self._may_rule(by, found):
            return Refused(Refusal.NOT_OWNER)
        if member in found.invited:
            found.invited.discard(member)
            return Changed(found.info, forgotten=(Membership(found.info.id, member, invited=True),))
        if member not in found.members:
            return Refused(Refusal.NOT_THERE)
        return self._take_out(found, member, now)

    def set_topic(self, by: Actor, name: str, topic: str) -> Changed | Refused:
        """Set a room's topic: any member of a public room, the owner of a private one, the operator of any
        (``#lobby``'s only the operator)."""
        found = self._visible(by, name)
        if isinstance(found, Refused):
            return found
        if len(topic) > MAX_TOPIC_CHARS:
            return Refused(Refusal.TOPIC_TOO_LONG)
        if by is not OPERATOR and found.info.id != LOBBY_ID and by not in found.members:
            return Refused(Refusal.NOT_IN_ROOM)
        if (found.info.private or found.info.id == LOBBY_ID) and not self._may_rule(by, found):
            return Refused(Refusal.NOT_OWNER)
        found.info = replace(found.info, topic=topic)
        return Changed(found.info, saved_rooms=(found.info,))

    def rename(self, name: str, new_name: str) -> Changed | Refused:
        """Give a room another name (the operator only: a room's name is what everyone types to find it, so no
        member may change it under the others). It keeps its id, and with it its members, invitations, topic and
        messages. A new spelling of the same name (``#dev`` to ``#Dev``) is a rename too; the same name changes
        nothing (``saved_rooms`` is empty)."""
        found = self._find(name)
        if isinstance(found, Refused):
            return found
        if found.info.id == LOBBY_ID:
            return Refused(Refusal.LOBBY_FIXED)
        key = room_key(new_name)
        if key is None:
            return Refused(Refusal.ROOM_INVALID)
        if key != found.info.key and key in self._rooms:
            return Refused(Refusal.ROOM_EXISTS)
        if new_name == found.info.display:
            return Changed(found.info)
        del self._rooms[found.info.key]
        found.info = replace(found.info, key=key, display=new_name)
        self._rooms[key] = found
        return Changed(found.info, saved_rooms=(found.info,))

    def close(self, name: str, now: float) -> Changed | Refused:
        """Close a room (the operator): its members are out of it; its messages stay in the store."""
        found = self._find(name)
        if isinstance(found, Refused):
            return found
        if found.info.id == LOBBY_ID:
            return Refused(Refusal.LOBBY_FIXED)
        for member in found.members:
            self._joined[member].discard(found.info.id)
        return self._closed(found, now)

    # What members see.

    def rooms_of(self, member: MemberKey) -> list[RoomInfo]:
        """The rooms ``member`` is in, ``#lobby`` first, then by name."""
        mine = [self._by_id[room].info for room in self._joined.get(member, ())]
        return [self._by_id[LOBBY_ID].info, *sorted(mine, key=lambda info: info.key)]

    def listing(self, viewer: Actor) -> list[Listing]:
        """The room list as ``viewer`` sees it, by name: every public room, and the private rooms it is in
        (the operator sees every room)."""
        return [Listing(room.info.display, self._count(room), room.info.topic, room.info.private)
                for _, room in sorted(self._rooms.items())
                if not room.info.private or viewer is OPERATOR or viewer in room.members]

    def members(self, viewer: Actor, name: str) -> list[MemberKey] | Refused:
        """The members of a room (of ``#lobby``: those online), sorted; a private room only to its members."""
        found = self._visible(viewer, name)
        if isinstance(found, Refused):
            return found
        return sorted(self._online if found.info.id == LOBBY_ID else found.members)

    def info(self, name: str) -> RoomInfo | None:
        room = self._rooms.get(room_key(name) or "")
        return room.info if room else None

    # Who receives what.

    def room_message_conversation(self, sender: MemberKey, name: str) -> str | Refused:
        """Where ``sender``'s message to a room is stored, if it may write there. What the engine asks per
        message; who gets it (``room_message``) the fan-out finds from its own list of each room's members
        online, and working it out here would cost a set of them for every message."""
        found = self._writable(sender, name)
        return found if isinstance(found, Refused) else room_conversation(found.info.id)

    def room_message(self, sender: MemberKey, name: str) -> Delivery | Refused:
        """Who gets ``sender``'s message to a room: the room's members online but the sender."""
        found = self._writable(sender, name)
        if isinstance(found, Refused):
            return found
        members = self._online if found.info.id == LOBBY_ID else found.members & self._online
        return Delivery(room_conversation(found.info.id), frozenset(members - {sender}))

    def _writable(self, sender: MemberKey, name: str) -> _Room | Refused:
        """The room ``name`` if ``sender`` may write to it: only a member of a room may (#lobby: anyone online)."""
        found = self._find(name)
        if isinstance(found, Refused):
            return found
        member = sender in self._online if found.info.id == LOBBY_ID else sender in found.members
        return found if member else Refused(Refusal.NOT_IN_ROOM)

    def direct_message(self, sender: MemberKey, recipient: MemberKey) -> Delivery | Refused:
        """Who gets a direct message: the recipient now if it is online, else when it next joins. Whether an
        offline recipient is known at all (a name reserved for a client id) is the engine's to say first."""
        if sender == recipient:
            return Refused(Refusal.DIRECT_TO_SELF)
        conversation = direct_conversation(sender, recipient)
        if recipient in self._online:
            return Delivery(conversation, frozenset({recipient}))
        return Delivery(conversation, frozenset(), later=frozenset({recipient}))

    def _add(self, room: _Room) -> None:
        self._rooms[room.info.key] = room
        self._by_id[room.info.id] = room

    def _drop(self, room: _Room) -> None:
        del self._rooms[room.info.key], self._by_id[room.info.id]

    def _enter(self, room: _Room, member: MemberKey) -> None:
        room.members.add(member)
        self._joined.setdefault(member, set()).add(room.info.id)

    def _take_out(self, room: _Room, member: MemberKey, now: float) -> Changed:
        room.members.discard(member)
        self._joined[member].discard(room.info.id)
        if room.info.private and not room.members:
            return self._closed(room, now, Membership(room.info.id, member))
        return Changed(room.info, forgotten=(Membership(room.info.id, member),))

    def _closed(self, room: _Room, now: float, *gone: Membership) -> Changed:
        """Close ``room``: out of the model, kept in the store as closed, with every membership forgotten."""
        gone += tuple(Membership(room.info.id, m) for m in sorted(room.members))
        gone += tuple(Membership(room.info.id, m, invited=True) for m in sorted(room.invited))
        self._drop(room)
        info = replace(room.info, closed_at=now)
        return Changed(info, saved_rooms=(info,), forgotten=gone)

    def _full_for(self, member: MemberKey) -> bool:
        return 0 < self.limits.rooms_per_member <= len(self._joined.get(member, ()))

    def _may_rule(self, by: Actor, room: _Room) -> bool:
        return by is OPERATOR or (room.info.private and by == room.info.owner and by in room.members)

    def _count(self, room: _Room) -> int:
        return len(self._online) if room.info.id == LOBBY_ID else len(room.members)

    def _find(self, name: str) -> _Room | Refused:
        key = room_key(name)
        if key is None:
            return Refused(Refusal.ROOM_INVALID)
        return self._rooms.get(key) or Refused(Refusal.NO_SUCH_ROOM)

    def _visible(self, viewer: Actor, name: str) -> _Room | Refused:
        """The room, unless it is private and ``viewer`` neither in it nor invited: then it is not there."""
        found = self._find(name)
        if isinstance(found, Refused) or not found.info.private or viewer is OPERATOR:
            return found
        return found if viewer in found.members or viewer in found.invited else Refused(Refusal.NO_SUCH_ROOM)

