"""How the client window words what happens in rooms: one plain line per engine event, for the transcripts.

Words only, no Qt: the window puts each line in the conversation it belongs to.
"""

from __future__ import annotations

from chat_gui.client import (
    InvitationSent,
    RoomEntered,
    RoomExited,
    RoomMemberJoined,
    RoomMemberLeft,
    RoomRenamed,
    TopicChanged,
)

OPERATOR = "The server's operator"


def _count(count: int) -> str:
    return f"{count} member{'s' if count != 1 else ''}"


def entered_line(event: RoomEntered) -> str:
    room = event.conversation.name
    if event.created:
        kind = "private room: only people you invite can join" if event.private else "room"
        return f"You created the {kind} {room}."
    line = f"You joined {room} · {_count(len(event.members))} online"
    return f"{line} · Topic: {event.topic}" if event.topic else line


def exited_line(event: RoomExited) -> str:
    room = event.conversation.name
    if event.reason == "removed":
        return f"You were removed from {room}."
    if event.reason == "closed":
        return f"{room} was closed by the server's operator."
    return f"You left {room}."


def member_joined_line(event: RoomMemberJoined) -> str:
    return f"{event.name} joined {event.conversation.name} · {_count(event.count)}"


def member_left_line(event: RoomMemberLeft) -> str:
    verb = {"removed": "was removed from", "closed": "is out of"}.get(event.reason, "left")
    return f"{event.name} {verb} {event.conversation.name} · {_count(event.count)}"


def topic_line(event: TopicChanged) -> str:
    who = event.by or OPERATOR
    if not event.topic:
        return f"{who} cleared the topic of {event.conversation.name}."
    return f"{who} set the topic of {event.conversation.name}: {event.topic}"


def invitation_line(event: InvitationSent, me: str) -> str:
    who = event.by or OPERATOR
    room = event.conversation.name
    if event.name == me:
        return f"{who} invited you to {room}: join it from Rooms…"
    if event.by == me:
        return f"You invited {event.name} to {room}."
    return f"{who} invited {event.name} to {room}."


def renamed_line(event: RoomRenamed) -> str:
    return f"{OPERATOR} renamed {event.old.name} to {event.new.name}."


def delivered_later_line(partner: str) -> str:
    return f"{partner} is offline: the message waits on the server and reaches them when they next join."
