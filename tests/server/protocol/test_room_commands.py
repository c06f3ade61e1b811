"""Text mode's commands for rooms and direct messages, parsed into the same messages as JSON mode's requests."""

from __future__ import annotations

import pytest

from chat_server import protocol as p


@pytest.mark.parametrize(("line", "message"), [
    (b"/join #dev", p.JoinRoom(room="#dev")),
    (b"/JOIN dev", p.JoinRoom(room="#dev")),
    (b"/switch #Dev", p.SwitchRoom(room="#Dev")),
    (b"/leave", p.LeaveRoom(room=p.CURRENT_ROOM)),
    (b"/leave #dev", p.LeaveRoom(room="#dev")),
    (b"/rooms", p.RoomsRequest()),
    (b"/who", p.MembersRequest(room=p.CURRENT_ROOM)),
    (b"/who #dev", p.MembersRequest(room="#dev")),
    (b"/topic #dev Release on  Friday", p.SetTopic(room="#dev", topic="Release on  Friday")),
    (b"/topic #dev", p.TopicRequest(room="#dev")),
    (b"/topic", p.TopicRequest(room=p.CURRENT_ROOM)),
    (b"/topic #dev -", p.SetTopic(room="#dev", topic="")),
    (b"/topic #dev - done", p.SetTopic(room="#dev", topic="- done")),
    (b"/JOIN\t#Dev", p.JoinRoom(room="#Dev")),
    (b"/msg\talice \t hi\tthere", p.Chat(id="", text="hi\tthere", to="alice")),
    (b"/msg alice lunch at  noon?", p.Chat(id="", text="lunch at  noon?", to="alice")),
    (b"/create #team private", p.CreateRoom(room="#team", private=True)),
    (b"/create #team", p.CreateRoom(room="#team", private=False)),
    (b"/invite bob #team", p.Invite(room="#team", name="bob")),
    (b"/remove bob #team", p.Remove(room="#team", name="bob")),
    (b"/help", p.HelpRequest()),
    (b"//help", p.Chat(id="", text="/help")),
    (b"  //  ", p.Chat(id="", text="/")),
])
def test_each_command_is_the_request_it_names(line: bytes, message: p.Message) -> None:
    assert p.parse_text_line(line) == message


@pytest.mark.parametrize(("line", "code", "text"), [
    (b"/frobnicate now", p.ERR_UNKNOWN_COMMAND, "Unknown command /frobnicate: type /help for the commands."),
    (b"/", p.ERR_UNKNOWN_COMMAND, "Unknown command /: type /help for the commands."),
    (b"/join", p.ERR_BAD_MESSAGE, "Usage: /join #room (type /help for the commands)."),
    (b"/msg alice", p.ERR_BAD_MESSAGE, "Usage: /msg NAME text (type /help for the commands)."),
    (b"/create #team secret", p.ERR_BAD_MESSAGE, "Usage: /create #room [private] (type /help for the commands)."),
])
def test_a_wrong_command_is_one_error_naming_help(line: bytes, code: str, text: str) -> None:
    assert p.parse_text_line(line) == p.DecodeError(code, text)


def test_room_names_and_member_names_in_commands_are_checked_as_in_json_mode() -> None:
    bad_room = p.parse_text_line(b"/join #d\xc3\xa9v")
    assert isinstance(bad_room, p.DecodeError) and bad_room.code == p.ERR_ROOM_INVALID
    bad_name = p.parse_text_line(b"/msg bob:x hi")
    assert isinstance(bad_name, p.DecodeError) and bad_name.code == p.ERR_UNKNOWN_MEMBER


def test_lines_without_a_slash_are_what_they_were() -> None:
    assert p.parse_text_line(b"hello /join #dev") == p.Chat(id="", text="hello /join #dev")
    assert p.parse_text_line(b"status") == p.StatusRequest()
