"""The words of room events in the client window's transcripts."""

from __future__ import annotations

from chat_gui.client import (
    Conversation,
    InvitationSent,
    RoomEntered,
    RoomExited,
    RoomMemberJoined,
    RoomMemberLeft,
    RoomRenamed,
    TopicChanged,
)
from chat_gui.client_window import room_lines

DEV = Conversation.room("#Dev")


def test_entering_a_room() -> None:
    assert room_lines.entered_line(RoomEntered(DEV, "", False, "bob", ("alice",), True)) == "You created the room #Dev."
    assert room_lines.entered_line(RoomEntered(DEV, "", False, "bob", ("alice", "bob"), False)) == (
        "You joined #Dev · 2 members online")
    assert room_lines.entered_line(RoomEntered(DEV, "ship", False, None, ("alice",), False)) == (
        "You joined #Dev · 1 member online · Topic: ship")


def test_leaving_a_room_each_way() -> None:
    assert room_lines.exited_line(RoomExited(DEV, "left")) == "You left #Dev."
    assert room_lines.exited_line(RoomExited(DEV, "removed")) == "You were removed from #Dev."
    assert room_lines.exited_line(RoomExited(DEV, "closed")) == "#Dev was closed by the server's operator."
    assert room_lines.member_joined_line(RoomMemberJoined(DEV, "bob", 1)) == "bob joined #Dev · 1 member"
    assert room_lines.member_left_line(RoomMemberLeft(DEV, "bob", "left", 0)) == "bob left #Dev · 0 members"
    assert room_lines.member_left_line(RoomMemberLeft(DEV, "bob", "closed", 0)) == "bob is out of #Dev · 0 members"


def test_topics_invitations_and_renames() -> None:
    assert room_lines.topic_line(TopicChanged(DEV, "", "bob")) == "bob cleared the topic of #Dev."
    assert room_lines.topic_line(TopicChanged(DEV, "frozen", None)) == (
        "The server's operator set the topic of #Dev: frozen")
    assert room_lines.invitation_line(InvitationSent(DEV, "bob", "alice"), "alice") == "You invited bob to #Dev."
    assert room_lines.invitation_line(InvitationSent(DEV, "bob", None), "carol") == (
        "The server's operator invited bob to #Dev.")
    assert room_lines.invitation_line(InvitationSent(DEV, "alice", "bob"), "alice") == (
        "bob invited you to #Dev: join it from Rooms…")
    assert room_lines.renamed_line(RoomRenamed(DEV, Conversation.room("#devel"))) == (
        "The server's operator renamed #Dev to #devel.")
