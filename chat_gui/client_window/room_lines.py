"""How the client window words what happens in rooms: one plain line per engine event, for the transcripts.

Words only (through Qt's translation functions): the window puts each line in the conversation it belongs to.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from chat_gui.client import (
    InvitationSent,
    RoomEntered,
    RoomExited,
    RoomMemberJoined,
    RoomMemberLeft,
    RoomRenamed,
    TopicChanged,
)
from chat_gui.client_window.words import counts

translate = QCoreApplication.translate


def _operator() -> str:
    return translate("RoomLines", "The server's operator")


def _count(count: int) -> str:
    return counts().members(count)


def entered_line(event: RoomEntered) -> str:
    room = event.conversation.name
    if event.created and event.private:
        return translate("RoomLines", "You created the private room: only people you invite can join {room}.").format(
            room=room)
    if event.created:
        return translate("RoomLines", "You created the room {room}.").format(room=room)
    line = translate("RoomLines", "You joined {room} · {members} online").format(
        room=room, members=_count(len(event.members)))
    if not event.topic:
        return line
    return translate("RoomLines", "{line} · Topic: {topic}").format(line=line, topic=event.topic)


def exited_line(event: RoomExited) -> str:
    room = event.conversation.name
    if event.reason == "removed":
        return translate("RoomLines", "You were removed from {room}.").format(room=room)
    if event.reason == "closed":
        return translate("RoomLines", "{room} was closed by the server's operator.").format(room=room)
    return translate("RoomLines", "You left {room}.").format(room=room)


def member_joined_line(event: RoomMemberJoined) -> str:
    return translate("RoomLines", "{name} joined {room} · {members}").format(
        name=event.name, room=event.conversation.name, members=_count(event.count))


def member_left_line(event: RoomMemberLeft) -> str:
    if event.reason == "removed":
        line = translate("RoomLines", "{name} was removed from {room} · {members}")
    elif event.reason == "closed":
        line = translate("RoomLines", "{name} is out of {room} · {members}")
    else:
        line = translate("RoomLines", "{name} left {room} · {members}")
    return line.format(name=event.name, room=event.conversation.name, members=_count(event.count))


def topic_line(event: TopicChanged) -> str:
    who = event.by or _operator()
    if not event.topic:
        return translate("RoomLines", "{who} cleared the topic of {room}.").format(
            who=who, room=event.conversation.name)
    return translate("RoomLines", "{who} set the topic of {room}: {topic}").format(
        who=who, room=event.conversation.name, topic=event.topic)


def invitation_line(event: InvitationSent, me: str) -> str:
    who = event.by or _operator()
    room = event.conversation.name
    if event.name == me:
        return translate("RoomLines", "{who} invited you to {room}: join it from Rooms…").format(who=who, room=room)
    if event.by == me:
        return translate("RoomLines", "You invited {name} to {room}.").format(name=event.name, room=room)
    return translate("RoomLines", "{who} invited {name} to {room}.").format(who=who, name=event.name, room=room)


def renamed_line(event: RoomRenamed) -> str:
    return translate("RoomLines", "The server's operator renamed {old} to {new}.").format(
        old=event.old.name, new=event.new.name)


def delivered_later_line(partner: str) -> str:
    return translate("RoomLines", "{partner} is offline: the message waits on the server and reaches them when they "
                                  "next join.").format(partner=partner)
