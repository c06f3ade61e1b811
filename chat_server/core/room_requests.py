"""Members' requests about rooms carried out: join, create, leave, the room list, members, topics, invitations and
removal; each answered (or refused) in the member's framing, its news sent to the room's members online.

The rules are ``Conversations``' (chat_server/core/rooms.py); who is online and what is stored go through the
``ConversationHub`` (chat_server/core/conversation_hub.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from chat_server import protocol as p
from chat_server.core.conversation_hub import (
    INVITATION_BURST,
    INVITATIONS_PER_MINUTE,
    ConversationHub,
    needs_version_2,
    refusal_error,
)
from chat_server.core.file_relays import share_relay
from chat_server.core.limits import TokenBucket
from chat_server.core.room_events import RoomChange, RoomEvent, out_of
from chat_server.core.rooms import Changed, MemberKey, Refusal, Refused, RoomInfo, room_conversation
from chat_server.net.connection import ClientConnection
from chat_server.store import StoreError

log = logging.getLogger(__name__)


class RoomRequests:
    """Carries out what members ask about rooms (``Step.ROOMS``)."""

    def __init__(self, hub: ConversationHub) -> None:
        self._hub = hub

    def request(self, conn: ClientConnection, request: p.Message) -> None:
        """Carry out a member's request about rooms; every answer and refusal is sent from here."""
        room = getattr(request, "room", None)
        if not self._hub.speaks_rooms(conn):
            conn.reply(needs_version_2(None, room))
            return
        key, now = self._hub.key_of(conn), time.time()
        if room == p.CURRENT_ROOM:  # text mode's /leave, /who and /topic without a room
            room = conn.member.current_room or p.LOBBY
            kind = type(request) if isinstance(request, (p.LeaveRoom, p.TopicRequest)) else p.MembersRequest
            request = kind(room=room)
        if isinstance(request, p.HelpRequest):
            conn.reply(p.Banner(text=p.help_text()))
        elif isinstance(request, p.SwitchRoom):
            self._switch(conn, key, request.room)
        elif isinstance(request, (p.JoinRoom, p.CreateRoom)):
            self._join(conn, key, request, now)
        elif isinstance(request, p.LeaveRoom):
            if conn.member.current_room is not None and p.room_key(conn.member.current_room) == p.room_key(room or ""):
                conn.member.current_room = None  # back to #lobby (a refusal changes nothing it could write to)
            left = self._result(conn, request.room, self._hub.model.leave(key, request.room, now),
                                lambda changed: p.Left(name=conn.name, reason=p.RoomExit.LEFT,
                                                       online=self._hub.count(changed.room), time=now,
                                                       room=changed.room.display),
                                also=[conn, *self._hub.online.get(key, ())])  # its other windows are out too
            if left is not None:
                self._report(*out_of(RoomChange.LEFT, left.room, None, conn.name))
        elif isinstance(request, p.RoomsRequest):
            conn.reply(p.RoomList(rooms=tuple(p.RoomListing(r.display, r.members, r.topic, r.private)
                                              for r in self._hub.model.listing(key))))
        elif isinstance(request, p.MembersRequest):
            self._members(conn, key, request.room)
        elif isinstance(request, p.TopicRequest):
            self._show_topic(conn, key, request.room)
        elif isinstance(request, p.SetTopic):
            topic = self._result(conn, request.room, self._hub.model.set_topic(key, request.room, request.topic),
                                 lambda changed: p.Topic(room=changed.room.display, topic=changed.room.topic,
                                                         by=conn.name, time=now))
            if topic is not None:
                self._report(RoomEvent(RoomChange.TOPIC, topic.room.display, by=conn.name, topic=topic.room.topic))
        elif isinstance(request, (p.Invite, p.Remove)):
            self._invite_or_remove(conn, key, request, now)
        elif isinstance(request, p.MarkRead):
            self._hub.read_markers.mark(conn, request)

    def _switch(self, conn: ClientConnection, key: MemberKey, room: str) -> None:
        """Text mode's ``/switch``: the lines it types go to ``room`` from now on (it must be in it)."""
        info = next((r for r in self._hub.model.rooms_of(key) if r.key == p.room_key(room)), None)
        if info is None:
            known = self._hub.model.members(key, room)
            refusal = Refusal.NOT_IN_ROOM if isinstance(known, list) else known.reason
            conn.reply(refusal_error(Refused(refusal), room))
            return
        conn.member.current_room = None if info.key == p.LOBBY else info.display
        conn.reply(p.Notice(text=f"Lines you type now go to {info.display}.", time=time.time(), private=True))

    def _join(self, conn: ClientConnection, key: MemberKey, request: p.JoinRoom | p.CreateRoom, now: float) -> None:
        if isinstance(request, p.CreateRoom):
            result = self._hub.model.create(key, request.room, request.private, now)
        else:
            result = self._hub.model.join(key, request.room, now)
        if isinstance(result, Refused):
            conn.reply(refusal_error(result, request.room))
            return
        self._hub.save(result)
        info = result.room
        created = bool(result.saved_rooms)
        if conn.output_framing is p.Framing.TEXT:  # /join makes it the room typed lines go to
            conn.member.current_room = None if info.key == p.LOBBY else info.display
        details = p.RoomDetails(room=info.display, topic=info.topic, private=info.private,
                                owner=self._hub.name_of(info.owner) if info.owner else None,
                                members=tuple(self._hub.online_names(info)), created=created)
        conn.reply(details)
        if not result.saved:  # it was in the room already
            return
        # The member's other windows are in the room too now: they get what this one got, as news.
        windows = [other for other in self._hub.online.get(key, ()) if other is not conn and
                   self._hub.speaks_rooms(other)]
        if conn.output_framing is p.Framing.JSON or windows:
            self._hub.commit_now()
        if conn.output_framing is p.Framing.JSON:
            self._send_room_history(conn, info)
        for window in windows:
            window.send(details)
            if window.output_framing is p.Framing.JSON:
                self._send_room_history(window, info, reply=False)
        joined = p.Joined(name=conn.name, online=self._hub.count(info), time=now, room=info.display)
        self._hub.tell_room(info, joined, skip_text=conn)
        self._report(RoomEvent(RoomChange.CREATED, info.display, by=conn.name, private=info.private) if created
                     else RoomEvent(RoomChange.JOINED, info.display, member=conn.name))

    def _send_room_history(self, conn: ClientConnection, info: RoomInfo, reply: bool = True) -> None:
        """The room's recent messages for a member who joined it: a reply to its request (``reply``), or news to
        another window of it."""
        if self._hub.history_limit <= 0:
            return
        try:
            recent = self._hub.store.recent_in(room_conversation(info.id), self._hub.history_limit)
        except StoreError as exc:
            log.error("could not read the history of %s: %s", info.display, exc)
            return
        send = conn.reply if reply else conn.send
        for stored in recent:
            relay = p.Relay(sender=stored.sender, text=stored.text, seq=stored.seq, time=stored.time, history=True,
                            room=info.display)
            send(relay if stored.file is None else share_relay(relay, self._hub.file_ref(stored.file), False))

    def _members(self, conn: ClientConnection, key: MemberKey, room: str) -> None:
        keys = self._hub.model.members(key, room)
        if isinstance(keys, Refused):
            conn.reply(refusal_error(keys, room))
            return
        info = self._hub.model.info(room)
        here = [c for k in keys for c in self._hub.online.get(k, ())[:1]]
        if conn.output_framing is p.Framing.TEXT:  # text members see who is away here (JSON ones are told)
            online = sorted(p.away_label(c.name, self._hub.away_note(c)) for c in here)
        else:
            online = sorted(c.name for c in here)
        offline = sorted(self._hub.name_of(k) for k in keys if k not in self._hub.online)
        conn.reply(p.RoomMembers(room=info.display if info else room, members=tuple(online), offline=tuple(offline)))

    def _show_topic(self, conn: ClientConnection, key: MemberKey, room: str) -> None:
        """Text mode's ``/topic [#room]``: the topic, to whoever may see the room's members (a private room's)."""
        keys = self._hub.model.members(key, room)
        info = self._hub.model.info(room)
        if isinstance(keys, Refused) or info is None:
            conn.reply(refusal_error(keys if isinstance(keys, Refused) else Refused(Refusal.NO_SUCH_ROOM), room))
            return
        if info.topic:
            conn.reply(p.Banner(text=f"[{info.display}] Topic: {info.topic}"))
        else:
            conn.reply(p.Banner(text=f"[{info.display}] No topic (/topic {info.display} text sets one)."))

    def _invite_or_remove(self, conn: ClientConnection, key: MemberKey, request: p.Invite | p.Remove,
                          now: float) -> None:
        if isinstance(request, p.Invite):
            bucket = self._hub.invitations.get(key)
            if bucket is None:
                bucket = self._hub.invitations[key] = TokenBucket(INVITATIONS_PER_MINUTE / 60, INVITATION_BURST, now)
            if bucket.take(1, now) < 1:
                wait = max(1, round(bucket.wait_s(now)))
                conn.reply(p.Error(p.ERR_TOO_MANY_INVITATIONS,
                                   f"{request.room}: too many invitations: try again in {wait} s.", room=request.room))
                return
        found = self._hub.lookup(request.name)
        if found is None:
            conn.reply(p.Error(p.ERR_UNKNOWN_MEMBER, f"{request.name} is not a member here.", room=request.room))
            return
        other, conns = found
        name = conns[0].name if conns else self._hub.names.get(other, request.name)
        if isinstance(request, p.Invite):
            invited = self._result(conn, request.room, self._hub.model.invite(key, other, request.room),
                                   lambda changed: p.Invited(room=changed.room.display, name=name, by=conn.name,
                                                             time=now),
                                   also=[conn, *conns], members=False)
            if invited is not None:
                if not any(self._hub.speaks_rooms(c) for c in conns):  # not told now: when it next joins
                    self._hub.invitation_news.keep(invited, other, conn.name)
                self._report(RoomEvent(RoomChange.INVITED, invited.room.display, by=conn.name, member=name))
        else:
            in_room = self._hub.model.members(key, request.room)
            was_member = isinstance(in_room, list) and other in in_room
            removed = self._result(conn, request.room, self._hub.model.remove(key, other, request.room, now),
                                   lambda changed: p.Left(name=name, reason=p.RoomExit.REMOVED,
                                                          online=self._hub.count(changed.room), time=now,
                                                          room=changed.room.display),
                                   also=[conn, *conns], members=was_member)
            if removed is not None:
                self._report(*out_of(RoomChange.REMOVED, removed.room, conn.name, name) if was_member
                             else (RoomEvent(RoomChange.UNINVITED, removed.room.display, by=conn.name, member=name),))

    def _result(self, conn: ClientConnection, room: str, result: Changed | Refused,
                news: Callable[[Changed], p.Message], also: list[ClientConnection] | None = None,
                members: bool = True) -> Changed | None:
        """Send a request's refusal to ``conn``, or save its change and send ``news`` of it to the room's members
        online (``members``) and to ``also``; ``conn`` is answered first, in the order of its requests. The change
        carried out, or None (refused)."""
        if isinstance(result, Refused):
            conn.reply(refusal_error(result, room))
            return None
        self._hub.save(result)
        message = news(result)
        also = also or []
        in_room = self._hub.room_conns(result.room) if members else []
        told: set[int] = set()
        if conn in also or conn in in_room:
            conn.reply(message)
            told.add(id(conn))
        targets = [*in_room, *also]
        for other in targets:
            if id(other) not in told and self._hub.speaks_rooms(other):
                told.add(id(other))
                other.send(message)
        return result

    def _report(self, *events: RoomEvent) -> None:
        for event in events:
            self._hub.room_event(event)
