"""What the server operator does to rooms (from the server window): the room list as the operator sees it, closing a
room, renaming one, taking a member out of one, setting a topic, a notice to a room's members.

The operator may do to any room what its owner may (``OPERATOR`` in chat_server/core/rooms.py). Every method answers
with a refusal as a value (chat_server/core/operator_refusals.py: a code and its values, for the window to word), or
None when it was done; the members concerned are told as for a member's request.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from chat_server import protocol as p
from chat_server.core.conversation_hub import ConversationHub
from chat_server.core.operator_refusals import BadRoomName, BadTopic, OperatorRefusal, UnknownMember
from chat_server.core.room_events import RoomChange, RoomEvent, out_of
from chat_server.core.rooms import OPERATOR, Refusal, Refused


@dataclass(frozen=True, slots=True)
class RoomSummary:
    """A room as the server window lists it."""

    name: str
    members: int  # in it (#lobby: online)
    online: int  # of them online
    topic: str
    private: bool


class RoomOperator:
    """The operator's side of rooms, over the ``ConversationHub``."""

    def __init__(self, hub: ConversationHub) -> None:
        self._hub = hub

    def rooms(self) -> list[RoomSummary]:
        """Every room, private ones too, by name."""
        hub = self._hub
        summaries = []
        for listing in hub.model.listing(OPERATOR):
            info = hub.model.info(listing.display)
            online = len(hub.room_conns(info)) if info is not None and info.key != p.LOBBY else listing.members
            summaries.append(RoomSummary(listing.display, listing.members, online, listing.topic, listing.private))
        return summaries

    def create(self, room: str, private: bool) -> OperatorRefusal | None:
        """Make a room with no owner and nobody in it."""
        fault = p.room_fault(room)
        if fault is not None:
            return BadRoomName(fault)
        result = self._hub.model.create(OPERATOR, room, private, time.time())
        if isinstance(result, Refused):
            return result
        self._hub.save(result)
        self._hub.room_event(RoomEvent(RoomChange.CREATED, result.room.display, private=private))
        return None

    def close(self, room: str) -> OperatorRefusal | None:
        """Close a room: its members online are told they are out of it (reason ``closed``)."""
        hub = self._hub
        info = hub.model.info(room)
        members = hub.room_conns(info) if info is not None else []
        result = hub.model.close(room, time.time())
        if isinstance(result, Refused):
            return result
        hub.save(result)
        now = time.time()
        for conn in members:
            if conn.member.current_room is not None and p.room_key(conn.member.current_room) == result.room.key:
                conn.member.current_room = None  # a text member's lines go to #lobby again
            conn.send(p.Left(name=conn.name, reason=p.RoomExit.CLOSED, online=0, time=now, room=result.room.display))
        hub.room_event(RoomEvent(RoomChange.CLOSED, result.room.display))
        return None

    def rename(self, room: str, new_name: str) -> OperatorRefusal | None:
        """Give a room another name: its members online are told (``room_renamed``); a text member whose current
        room it is keeps typing into it under its new name."""
        fault = p.room_fault(new_name)
        if fault is not None:
            return BadRoomName(fault)
        hub = self._hub
        before = hub.model.info(room)
        result = hub.model.rename(room, new_name)
        if isinstance(result, Refused):
            return result
        if before is None or not result.saved_rooms:
            return None  # the name it has already
        hub.save(result)
        renamed = p.RoomRenamed(old=before.display, new=result.room.display, time=time.time())
        for conn in hub.room_conns(result.room):
            if conn.member.current_room is not None and p.room_key(conn.member.current_room) == before.key:
                conn.member.current_room = result.room.display
            conn.send(renamed)
        hub.room_event(RoomEvent(RoomChange.RENAMED, result.room.display, old=before.display))
        return None

    def invite(self, name: str, room: str) -> OperatorRefusal | None:
        """Invite the member called ``name`` to a room (the way into a private room the operator made); it is
        told if online (``by`` null)."""
        hub = self._hub
        found = hub.lookup(name)
        if found is None:
            return UnknownMember(name)
        key, conns = found
        result = hub.model.invite(OPERATOR, key, room)
        if isinstance(result, Refused):
            return result
        hub.save(result)
        if not any(hub.speaks_rooms(c) for c in conns):  # not told now: when it next joins
            hub.invitation_news.keep(result, key, None)
        invited = p.Invited(room=result.room.display, name=conns[0].name if conns else hub.name_of(key), by=None,
                            time=time.time())
        for conn in conns:
            if hub.speaks_rooms(conn):
                conn.send(invited)
        hub.room_event(RoomEvent(RoomChange.INVITED, result.room.display, member=invited.name))
        return None

    def remove(self, name: str, room: str) -> OperatorRefusal | None:
        """Take the member called ``name`` out of a room (or withdraw its invitation)."""
        hub = self._hub
        found = hub.lookup(name)
        if found is None:
            return UnknownMember(name)
        key, conns = found
        result = hub.model.remove(OPERATOR, key, room, time.time())
        if isinstance(result, Refused):
            return result
        hub.save(result)
        left = p.Left(name=conns[0].name if conns else name, reason=p.RoomExit.REMOVED,
                      online=hub.count(result.room), time=time.time(), room=result.room.display)
        for conn in [*hub.room_conns(result.room), *conns]:
            if hub.speaks_rooms(conn):
                conn.send(left)
        if any(not membership.invited for membership in result.forgotten):
            events = out_of(RoomChange.REMOVED, result.room, None, left.name)
        else:
            events = (RoomEvent(RoomChange.UNINVITED, result.room.display, member=left.name),)
        for event in events:
            hub.room_event(event)
        return None

    def set_topic(self, room: str, topic: str) -> OperatorRefusal | None:
        """Set any room's topic (``#lobby``'s too); its members online are told (``by`` null)."""
        fault = p.text_fault(topic) if topic.strip() else None
        if fault is not None:
            return BadTopic(fault)
        hub = self._hub
        result = hub.model.set_topic(OPERATOR, room, topic.strip())
        if isinstance(result, Refused):
            return result
        hub.save(result)
        hub.tell_room(result.room, p.Topic(room=result.room.display, topic=result.room.topic, by=None,
                                           time=time.time()))
        hub.room_event(RoomEvent(RoomChange.TOPIC, result.room.display, topic=result.room.topic))
        return None

    def notice(self, room: str, text: str) -> OperatorRefusal | None:
        """A notice to the members online of one room (``#lobby``: to everyone who speaks rooms)."""
        hub = self._hub
        info = hub.model.info(room)
        if info is None:
            return Refused(Refusal.NO_SUCH_ROOM)
        hub.tell_room(info, p.Notice(text=text, time=time.time(), room=info.display))
        return None
