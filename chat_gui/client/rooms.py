"""The client's side of rooms and direct messages (protocol version 2), sans-I/O like the session it belongs to.

``ClientRooms`` knows which rooms this member is in and what it knows of each (``RoomState``: topic, private,
owner: from the welcome, kept true by the server's news), says where a message was said (``conversation_of``),
turns the server's room messages into engine-level events (events.py) and makes the requests the user asks for.
ClientSession owns one and asks it; no Qt, no socket here. Against a version-1 server (no rooms in its welcome)
every request is None: such a server is only ``#lobby``.
"""

from __future__ import annotations

import dataclasses

from chat_gui.client.events import (
    LOBBY,
    Conversation,
    InvitationSent,
    RoomEntered,
    RoomExited,
    RoomMemberJoined,
    RoomMemberLeft,
    RoomMembersListed,
    RoomRenamed,
    RoomReport,
    RoomsListed,
    RoomState,
    RoomSummary,
    TopicChanged,
)
from chat_server import protocol as p

RoomReply = p.RoomDetails | p.RoomList | p.RoomMembers | p.Topic | p.Invited | p.RoomRenamed
"""The server's messages about rooms that only a version-2 session receives."""


def room_problem(name: str) -> str | None:
    """Why ``name`` cannot be a room's name, in words for people (a sentence), or None."""
    problem = p.room_problem(name)
    return None if problem is None else problem[:1].upper() + problem[1:] + "."


class ClientRooms:
    """The rooms this member is in, as the server last said."""

    def __init__(self) -> None:
        self.available = False  # the server speaks version 2 with this client
        self._rooms: dict[Conversation, RoomState] = {}  # key-equal -> the room as the server names it, and its state
        # The rooms this window asked to join or create and has no answer for yet: a ``room`` for any other is news
        # of another connection of this member (another window) joining or creating it.
        self._asked: set[Conversation] = set()

    @property
    def joined(self) -> list[Conversation]:
        """The rooms this member is in, ``#lobby`` first (only ``#lobby`` against a version-1 server)."""
        return [LOBBY, *sorted((state.conversation for room, state in self._rooms.items() if room != LOBBY),
                               key=lambda room: room.key)]

    def state(self, conversation: Conversation) -> RoomState | None:
        """What this member knows of a room it is in (None: it is not in it, or the server has no rooms)."""
        return self._rooms.get(conversation)

    def welcomed(self, welcome: p.Welcome) -> tuple[RoomState, ...]:
        """A welcome: the rooms it lists, with their topics and owners (none from a version-1 server, which has only
        #lobby)."""
        self.available = welcome.version >= p.ROOMS_VERSION
        self._asked.clear()  # a request of an earlier connection is answered on that one or never
        if not self.available:
            self._rooms = {}
            return ()
        states = [RoomState(Conversation.room(room.room), room.topic, room.private, room.owner)
                  for room in welcome.rooms]
        self._rooms = {state.conversation: state for state in states}
        self._rooms.setdefault(LOBBY, RoomState(LOBBY))
        return tuple(self._rooms[room] for room in self.joined)

    def member_renamed(self, old: str, new: str) -> None:
        """A member announced under its assigned name chose another: so is the owner of the rooms it owns called."""
        for room, state in self._rooms.items():
            if state.owner == old:
                self._rooms[room] = dataclasses.replace(state, owner=new)

    # --- where a message was said -----------------------------------------------------------

    def conversation_of(self, me: str, sender: str, room: str | None, to: str | None) -> Conversation:
        """A relay's conversation: its room, or the direct conversation with the other member (for a message
        this member sent, replayed, ``to`` is the partner; for one it received, the sender is)."""
        if room is not None:
            return self._named(Conversation.room(room))
        if to is not None:
            return Conversation.direct(to if sender == me else sender)
        return LOBBY

    def _named(self, conversation: Conversation) -> Conversation:
        state = self._rooms.get(conversation)
        return conversation if state is None else state.conversation

    # --- the server's messages -----------------------------------------------------------------

    def joined_event(self, me: str, joined: p.Joined) -> list[RoomReport]:
        """A ``joined`` with a room: another member joined one of this member's rooms (this member's own join
        was reported by the ``room`` before it)."""
        assert joined.room is not None
        room = self._named(Conversation.room(joined.room))
        if joined.name == me:
            return []
        return [RoomMemberJoined(room, joined.name, joined.online)]

    def left_event(self, me: str, left: p.Left) -> list[RoomReport]:
        """A ``left`` with a room: this member is out of it, or another member is."""
        assert left.room is not None
        room = self._named(Conversation.room(left.room))
        if left.name == me:
            self._rooms.pop(room, None)
            return [RoomExited(room, left.reason)]
        return [RoomMemberLeft(room, left.name, left.reason, left.online)]

    def reply(self, reply: RoomReply) -> list[RoomReport]:
        match reply:
            case p.RoomDetails(room=name, topic=topic, private=private, owner=owner, members=members,
                               created=created):
                room = Conversation.room(name)
                elsewhere = room not in self._asked
                self._asked.discard(room)
                self._rooms.pop(room, None)
                self._rooms[room] = RoomState(room, topic, private, owner)
                return [RoomEntered(room, topic, private, owner, members, created, elsewhere)]
            case p.RoomList(rooms=listing):
                return [RoomsListed(tuple(
                    RoomSummary(entry.room, entry.members, entry.topic, entry.private,
                                Conversation.room(entry.room) in self._rooms)
                    for entry in listing))]
            case p.RoomMembers(room=name, members=online, offline=offline):
                return [RoomMembersListed(self._named(Conversation.room(name)), online, offline)]
            case p.Topic(room=name, topic=topic, by=by):
                room = self._named(Conversation.room(name))
                state = self._rooms.get(room)
                if state is not None:
                    self._rooms[room] = dataclasses.replace(state, topic=topic)
                return [TopicChanged(room, topic, by)]
            case p.Invited(room=name, name=invitee, by=by):
                return [InvitationSent(Conversation.room(name), invitee, by)]
            case p.RoomRenamed(old=old, new=new):
                before, after = self._named(Conversation.room(old)), Conversation.room(new)
                state = self._rooms.pop(before, None) or RoomState(after)
                self._rooms[after] = dataclasses.replace(state, conversation=after)
                return [RoomRenamed(before, after)]
        return []

    # --- requests ---------------------------------------------------------------------------------

    def chat(self, message_id: str, text: str, conversation: Conversation) -> p.Chat | None:
        """The chat line for ``conversation`` (None: rooms or direct messages on a version-1 server)."""
        if conversation == LOBBY:
            return p.Chat(id=message_id, text=text)
        if not self.available:
            return None
        if conversation.is_room:
            return p.Chat(id=message_id, text=text, room=conversation.name)
        return p.Chat(id=message_id, text=text, to=conversation.name)

    def join(self, name: str) -> p.JoinRoom | None:
        if not self.available or room_problem(name) is not None:
            return None
        self._asked.add(Conversation.room(name))
        return p.JoinRoom(room=name)

    def create(self, name: str, private: bool) -> p.CreateRoom | None:
        if not self.available or room_problem(name) is not None:
            return None
        self._asked.add(Conversation.room(name))
        return p.CreateRoom(room=name, private=private)

    def refused(self, name: str) -> None:
        """An error named the room ``name``: a join or create of it asked here is answered (refused)."""
        self._asked.discard(Conversation.room(name))

    def leave(self, name: str) -> p.LeaveRoom | None:
        return p.LeaveRoom(room=name) if self.available and Conversation.room(name) != LOBBY else None

    def list_rooms(self) -> p.RoomsRequest | None:
        return p.RoomsRequest() if self.available else None

    def members(self, name: str) -> p.MembersRequest | None:
        return p.MembersRequest(room=name) if self.available else None

    def set_topic(self, name: str, topic: str) -> p.SetTopic | None:
        return p.SetTopic(room=name, topic=topic) if self.available else None

    def invite(self, name: str, member: str) -> p.Invite | None:
        return p.Invite(room=name, name=member) if self.available else None

    def remove(self, name: str, member: str) -> p.Remove | None:
        return p.Remove(room=name, name=member) if self.available else None
