"""Protocol version 2's vocabulary (rooms and direct messages): every message round-trips in JSON, version 1's
lines are unchanged by the new fields, room and member names are checked where they are decoded, and text mode
shows each reply as docs/protocol.md says."""

from __future__ import annotations

import json

import pytest

from chat_server import protocol as p
from chat_server.protocol.jsonlines import JsonCodec

T = 1700000000.5

REQUESTS: list[p.Message] = [
    p.Chat(id="1", text="hi", room="#dev"),
    p.Chat(id="2", text="psst", to="bob"),
    p.JoinRoom(room="#dev"),
    p.CreateRoom(room="#Secret", private=True),
    p.CreateRoom(room="#open"),
    p.LeaveRoom(room="#dev"),
    p.RoomsRequest(),
    p.MembersRequest(room="#dev"),
    p.SetTopic(room="#dev", topic="Release on Friday"),
    p.SetTopic(room="#dev", topic=""),
    p.Invite(room="#secret", name="bob"),
    p.Remove(room="#secret", name="bob"),
]
REPLIES: list[p.Message] = [
    p.Welcome(name="alice", online=2, max_clients=3, members=("alice", "bob"), version=2, seq=9,
              rooms=(p.JoinedRoom("#lobby", "", False, None), p.JoinedRoom("#team", "plans", True, "alice"))),
    p.Ack(id="1", seq=10, time=T, room="#dev"),
    p.Ack(id="2", seq=11, time=T, to="bob", delivered_later=True),
    p.Relay(sender="bob", text="hi", seq=12, time=T, room="#dev"),
    p.Relay(sender="bob", text="psst", seq=13, time=T, to="alice"),
    p.Relay(sender="alice", text="old", seq=3, time=T, history=True, to="bob"),
    p.Joined(name="bob", online=3, time=T, room="#dev"),
    p.Left(name="bob", reason=p.RoomExit.REMOVED, online=2, time=T, room="#dev"),
    p.Notice(text="deploy at noon", time=T, room="#dev"),
    p.Error(code=p.ERR_INVITE_ONLY, text="that room is private", room="#secret"),
    p.RoomDetails(room="#Dev", topic="Release", private=False, owner="alice", members=("alice", "bob"),
                  created=True),
    p.RoomDetails(room="#lobby", topic="", private=False, owner=None),
    p.RoomList(rooms=(p.RoomListing("#dev", 3, "Release", False), p.RoomListing("#lobby", 5, "", False))),
    p.RoomList(),
    p.RoomMembers(room="#dev", members=("alice",), offline=("carol",)),
    p.Topic(room="#dev", topic="Release", by="alice", time=T),
    p.Topic(room="#dev", topic="", by=None, time=T),
    p.Invited(room="#secret", name="bob", by="alice", time=T),
    p.RoomRenamed(old="#dev", new="#devel", time=T),
]


@pytest.mark.parametrize("message", REQUESTS, ids=lambda m: m.TYPE)
def test_every_request_round_trips(message: p.Message) -> None:
    codec = JsonCodec([*p.CLIENT_MESSAGES, *p.ROOM_REQUESTS])
    assert codec.decode(p.encode(message).rstrip(b"\n")) == message


@pytest.mark.parametrize("message", REPLIES, ids=lambda m: m.TYPE)
def test_every_reply_round_trips_through_the_client_decoder(message: p.Message) -> None:
    decoder = p.ClientDecoder()
    assert decoder.feed(p.encode(message)) == [message]


def test_the_server_decodes_the_requests() -> None:
    events = p.ServerDecoder().feed(b'{"type":"hello","version":2}\n{"type":"join","room":"#dev"}\n')
    assert events == [p.Hello(version=2), p.JoinRoom(room="#dev")]


@pytest.mark.parametrize(("message", "line"), [
    (p.Ack(id="1", seq=2, time=T), {"type": "ack", "id": "1", "seq": 2, "time": T}),
    (p.Relay(sender="bob", text="hi", seq=2, time=T),
     {"type": "message", "sender": "bob", "text": "hi", "seq": 2, "time": T}),
    (p.Joined(name="bob", online=2, time=T), {"type": "joined", "name": "bob", "online": 2, "time": T}),
    (p.Left(name="bob", reason="exit", online=1, time=T),
     {"type": "left", "name": "bob", "reason": "exit", "online": 1, "time": T}),
    (p.Notice(text="n", time=T), {"type": "notice", "text": "n", "time": T, "private": False}),
    (p.Error(code="bad_message", text="x"), {"type": "error", "code": "bad_message", "text": "x", "id": None}),
    (p.Welcome(name="a", online=1, max_clients=3, members=("a",)),
     {"type": "welcome", "name": "a", "online": 1, "max_clients": 3, "members": ["a"], "max_line_bytes": 65536,
      "version": 1, "seq": 0}),
])
def test_version_1_lines_are_unchanged_by_the_new_fields(message: p.Message, line: dict[str, object]) -> None:
    encoded = p.encode(message)
    assert json.loads(encoded) == line
    assert list(json.loads(encoded)) == list(line)  # the same fields in the same order


def test_the_new_fields_are_written_only_when_set() -> None:
    assert json.loads(p.encode(p.Ack(id="1", seq=2, time=T, to="bob", delivered_later=True))) == {
        "type": "ack", "id": "1", "seq": 2, "time": T, "to": "bob", "delivered_later": True}
    assert json.loads(p.encode(p.Relay(sender="b", text="t", seq=2, time=T, history=True, room="#dev"))) == {
        "type": "message", "sender": "b", "text": "t", "seq": 2, "time": T, "history": True, "room": "#dev"}


def test_a_version_2_welcome_lists_each_room_with_its_topic_privacy_and_owner() -> None:
    welcome = p.Welcome(name="alice", online=2, max_clients=3, members=("alice", "bob"), version=2, seq=12,
                        rooms=(p.JoinedRoom("#lobby", "", False, None), p.JoinedRoom("#team", "plans", True, "bob")))
    assert json.loads(p.encode(welcome))["rooms"] == [
        {"room": "#lobby", "topic": "", "private": False, "owner": None},
        {"room": "#team", "topic": "plans", "private": True, "owner": "bob"}]


def test_a_welcome_whose_rooms_are_not_rooms_is_not_taken() -> None:
    line = (b'{"type":"welcome","name":"a","online":1,"max_clients":0,"version":2,'
            b'"rooms":[{"room":"#dev","topic":"","private":false}]}\n')
    [decoded] = p.ClientDecoder().feed(line)
    assert isinstance(decoded, p.DecodeError)
    assert decoded.text == "welcome: field 'rooms' must be a list of rooms"


def _decode(obj: dict[str, object]) -> p.Message | p.DecodeError:
    return JsonCodec([*p.CLIENT_MESSAGES, *p.ROOM_REQUESTS]).decode(json.dumps(obj).encode())


@pytest.mark.parametrize(("obj", "code", "chat_id"), [
    ({"type": "chat", "id": "5", "text": "hi", "room": "dev"}, p.ERR_ROOM_INVALID, "5"),
    ({"type": "chat", "id": "5", "text": "hi", "room": "#" + "a" * 33}, p.ERR_ROOM_INVALID, "5"),
    ({"type": "chat", "id": "5", "text": "hi", "room": "#dév"}, p.ERR_ROOM_INVALID, "5"),
    ({"type": "chat", "id": "5", "text": "hi", "room": "#dev", "to": "bob"}, p.ERR_BAD_MESSAGE, "5"),
    ({"type": "chat", "id": "5", "text": "hi", "to": "bob:x"}, p.ERR_UNKNOWN_MEMBER, "5"),
    ({"type": "chat", "id": "5", "text": "hi", "to": ""}, p.ERR_UNKNOWN_MEMBER, "5"),
    ({"type": "chat", "id": "5", "text": "hi", "room": 7}, p.ERR_BAD_MESSAGE, None),
    ({"type": "join", "room": "#a b"}, p.ERR_ROOM_INVALID, None),
    ({"type": "join"}, p.ERR_BAD_MESSAGE, None),
    ({"type": "invite", "room": "#dev", "name": "[server]"}, p.ERR_UNKNOWN_MEMBER, None),
    ({"type": "set_topic", "room": "#dev", "topic": "x" * 301}, p.ERR_TOPIC_TOO_LONG, None),
    ({"type": "set_topic", "room": "#dev", "topic": "two\nlines"}, p.ERR_MESSAGE_INVALID, None),
])
def test_bad_rooms_names_and_topics_are_errors_where_they_are_decoded(
        obj: dict[str, object], code: str, chat_id: str | None) -> None:
    decoded = _decode(obj)
    assert isinstance(decoded, p.DecodeError)
    assert (decoded.code, decoded.id) == (code, chat_id)


def test_room_names_are_any_case_and_compared_in_lower_case() -> None:
    assert _decode({"type": "join", "room": "#Dev_2-x"}) == p.JoinRoom(room="#Dev_2-x")
    assert p.room_key("#Dev_2-x") == "#dev_2-x"
    assert p.room_problem("#" + "a" * 32) is None
    assert p.room_problem("#") is not None


@pytest.mark.parametrize(("message", "line"), [
    (p.Relay(sender="alice", text="hi", seq=1, time=T), "alice: hi"),
    (p.Relay(sender="alice", text="hi", seq=1, time=T, room="#dev"), "[#dev] alice: hi"),
    (p.Relay(sender="alice", text="hi", seq=1, time=T, to="bob"), "[direct] alice: hi"),
    (p.Ack(id="", seq=1, time=T, text="hi", to="bob"), "hi ACK"),
    (p.Ack(id="", seq=1, time=T, text="hi", to="bob", delivered_later=True), "hi ACK (delivered later)"),
    (p.Joined(name="bob", online=3, time=T, room="#dev"), "[#dev] * bob joined (3 members)"),
    (p.Left(name="bob", reason=p.RoomExit.LEFT, online=1, time=T, room="#dev"), "[#dev] * bob left (1 member)"),
    (p.Left(name="bob", reason=p.RoomExit.REMOVED, online=2, time=T, room="#dev"),
     "[#dev] * bob was removed (2 members)"),
    (p.Left(name="bob", reason=p.RoomExit.CLOSED, online=0, time=T, room="#dev"),
     "[#dev] * The server operator closed #dev"),
    (p.Notice(text="deploy", time=T, room="#dev"), "[#dev] [server] deploy"),
    (p.RoomDetails(room="#dev", topic="Release", private=False, owner="alice", members=("alice", "bob")),
     "[#dev] * You joined #dev: 2 members online (alice, bob). Topic: Release"),
    (p.RoomDetails(room="#team", topic="", private=True, owner="alice", members=("alice",), created=True),
     "[#team] * You created the private room #team: 1 member online (alice)."),
    (p.RoomMembers(room="#dev", members=("alice", "bob"), offline=("carol",)),
     "[#dev] 3 members: online: alice, bob; offline: carol"),
    (p.Topic(room="#dev", topic="Release", by="alice", time=T), "[#dev] * alice set the topic: Release"),
    (p.Topic(room="#dev", topic="", by=None, time=T), "[#dev] * The server operator cleared the topic"),
    (p.Invited(room="#team", name="bob", by="alice", time=T), "[#team] * alice invited bob (/join #team to join it)"),
    (p.RoomRenamed(old="#dev", new="#devel", time=T), "[#devel] * #dev is now #devel"),
    (p.RoomList(rooms=(p.RoomListing("#dev", 3, "Release", False), p.RoomListing("#lobby", 12, "", False))),
     "Rooms: 2\n#dev        3  public   Release\n#lobby     12  public"),
    (p.RoomList(), "No rooms."),
])
def test_text_mode_shows_each_line_as_documented(message: p.Message, line: str) -> None:
    assert p.render_text(message) == line


def test_replayed_direct_messages_name_their_recipient_in_text_mode() -> None:
    replay = p.Relay(sender="alice", text="old", seq=3, time=T, history=True, to="bob")
    assert p.render_text(replay) == f"[history {p.clock(T)}] [direct to bob] alice: old"
