"""The server operator's side of rooms (the engine's methods the server window calls), over real sockets."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from chat_server.core.engine import ChatServer
from chat_server.core.operator_refusals import BadRoomName, BadTopic, UnknownMember
from chat_server.core.room_operator import RoomSummary
from chat_server.core.rooms import Refusal, Refused
from chat_server.protocol import Problem, ProblemCode
from chat_server.store import StoreError
from chat_server.store.sqlite import SqliteStore
from tests.conftest import RawClient
from tests.integration.test_rooms_json import Member, join
from tests.integration.test_rooms_text import member as text_member

MakeRaw = Callable[[ChatServer], RawClient]


def test_the_operator_sees_every_room_and_may_close_one(server: ChatServer, make_raw: MakeRaw,
                                                         qtbot: QtBot) -> None:
    alice, bob = (join(make_raw, server, n) for n in ("alice", "bob"))
    with qtbot.waitSignal(server.rooms_changed):
        alice.send(type="create", room="#team", private=True)
    alice.expect(type="room", room="#team")
    bob.send(type="join", room="#dev")
    bob.expect(type="room", room="#dev")
    assert server.rooms() == [RoomSummary("#dev", 1, 1, "", False), RoomSummary("#lobby", 2, 2, "", False),
                              RoomSummary("#team", 1, 1, "", True)]
    lobby_fixed = server.close_room("#lobby")
    assert lobby_fixed == Refused(Refusal.LOBBY_FIXED)  # a code for the window to word
    assert lobby_fixed.english == "everyone stays in #lobby"  # as the wire says it
    assert server.close_room("#team") is None
    alice.expect(type="left", name="alice", room="#team", reason="closed")
    assert [r.name for r in server.rooms()] == ["#dev", "#lobby"]
    alice.send(type="chat", id="1", text="anyone?", room="#team")
    alice.expect(type="error", id="1")


def test_the_operator_may_remove_a_member_set_a_topic_and_send_a_notice_to_a_room(
        server: ChatServer, make_raw: MakeRaw) -> None:
    alice, bob, carol = (join(make_raw, server, n) for n in ("alice", "bob", "carol"))
    for member in (alice, bob):
        member.send(type="join", room="#dev")
        member.expect(type="room", room="#dev")
    assert server.set_room_topic("#dev", "frozen") is None
    for member in (alice, bob):
        member.expect(type="topic", room="#dev", topic="frozen", by=None)
    assert server.send_notice("deploy at noon", room="#dev")
    for member in (alice, bob):
        member.expect(type="notice", room="#dev", text="deploy at noon")
    assert server.remove_from_room("bob", "#dev") is None
    for member in (alice, bob):
        member.expect(type="left", name="bob", room="#dev", reason="removed", online=1)
    nobody = server.remove_from_room("nobody", "#dev")
    assert nobody == UnknownMember("nobody") and nobody.english == "nobody is not a member here"
    bad_topic = server.set_room_topic("#dev", "ring \x07 the bell")
    assert bad_topic == BadTopic(Problem(ProblemCode.TEXT_CONTROL))
    assert bad_topic.english == "a topic cannot contain control characters"
    carol.send(type="chat", id="c", text="sync")
    for member in (alice, bob):
        member.expect(type="message", text="sync")
    assert _notices(carol) == []


def _notices(member: Member) -> list[str]:
    return [o["text"] for o in member.objects() if o["type"] in ("notice", "topic")]


def test_the_operator_may_make_a_room_with_nobody_in_it(server: ChatServer, make_raw: MakeRaw) -> None:
    alice = join(make_raw, server, "alice")
    assert server.create_room("#news") is None
    exists = server.create_room("#NEWS")
    assert exists == Refused(Refusal.ROOM_EXISTS) and exists.english == "that room exists already"
    assert server.create_room("news") == BadRoomName(Problem(ProblemCode.ROOM_INVALID, limit=32, found="'news'"))
    assert RoomSummary("#news", 0, 0, "", False) in server.rooms()
    alice.send(type="join", room="#news")
    details = alice.expect(type="room", room="#news")
    assert (details["owner"], details["members"], details["created"]) == (None, ["alice"], False)


def test_the_operator_invites_into_a_private_room_it_made(server: ChatServer, make_raw: MakeRaw) -> None:
    alice, bob = (join(make_raw, server, n) for n in ("alice", "bob"))
    assert server.create_room("#staff", private=True) is None
    alice.send(type="join", room="#staff")
    assert alice.expect(type="error", room="#staff")["code"] == "invite_only"
    assert server.invite_to_room("alice", "#staff") is None
    alice.expect(type="invited", room="#staff", name="alice", by=None)
    alice.send(type="join", room="#staff")
    assert alice.expect(type="room", room="#staff")["private"] is True
    bob.send(type="rooms")
    assert [r["room"] for r in bob.expect(type="room_list")["rooms"]] == ["#lobby"]
    assert server.invite_to_room("nobody", "#staff") == UnknownMember("nobody")


def test_the_operator_renames_a_room_its_members_are_told_in_both_framings_and_a_version_1_client_is_not(
        server: ChatServer, make_raw: MakeRaw) -> None:
    alice, bob = (join(make_raw, server, n) for n in ("alice", "bob"))
    text = text_member(make_raw, server, "Client01")
    for member in (alice, bob):
        member.send(type="join", room="#dev")
        member.expect(type="room", room="#dev")
    text.send("/join #dev\n")
    text.wait_line("[#dev] * You joined #dev: 3 members online (Client01, alice, bob).")
    assert server.rename_room("#lobby", "#hall") == Refused(Refusal.LOBBY_FIXED)
    assert server.rename_room("#nowhere", "#x") == Refused(Refusal.NO_SUCH_ROOM)
    devel = server.rename_room("#dev", "devel")
    assert isinstance(devel, BadRoomName) and devel.english == \
        "a room's name is # and 1 to 32 of a-z, 0-9, - and _ (not 'devel')"
    assert server.create_room("#ops") is None
    assert server.rename_room("#dev", "#OPS") == Refused(Refusal.ROOM_EXISTS)
    assert server.rename_room("#dev", "#Devel") is None
    for member in (alice, bob):
        renamed = member.expect(type="room_renamed")
        assert (renamed["old"], renamed["new"]) == ("#dev", "#Devel")
    text.wait_line("[#Devel] * #dev is now #Devel")
    text.send("ship it?\n")  # its current room, under its new name
    text.wait_line("ship it? ACK")
    assert alice.expect(type="message", text="ship it?")["room"] == "#Devel"
    alice.send(type="chat", id="1", text="old name", room="#dev")
    assert alice.expect(type="error", id="1")["code"] == "no_such_room"
    alice.send(type="chat", id="2", text="new name", room="#devel")
    assert bob.expect(type="message", text="new name")["room"] == "#Devel"
    text.wait_line("[#Devel] alice: new name")
    assert [r.name for r in server.rooms()] == ["#Devel", "#lobby", "#ops"]


def test_a_version_1_client_hears_nothing_of_a_rename(server: ChatServer, make_raw: MakeRaw) -> None:
    alice = join(make_raw, server, "alice")
    old = join(make_raw, server, "carol", version=1)
    alice.send(type="join", room="#dev")
    alice.expect(type="room", room="#dev")
    assert server.rename_room("#dev", "#devel") is None
    alice.expect(type="room_renamed", old="#dev", new="#devel")
    alice.send(type="chat", id="1", text="sync")
    old.expect(type="message", text="sync")
    assert [o["type"] for o in old.objects()] == ["welcome", "joined", "message"]


def test_a_renamed_room_keeps_its_name_members_and_history_across_a_restart(
        make_server: Callable[..., ChatServer], make_raw: MakeRaw, tmp_path: Path) -> None:
    db = str(tmp_path / "chat.db")
    server = make_server(db_path=db)
    alice = join(make_raw, server, "alice")
    alice.send(type="join", room="#dev")
    alice.expect(type="room", room="#dev")
    alice.send(type="chat", id="1", text="said in dev", room="#dev")
    alice.expect(type="ack", id="1")
    assert server.rename_room("#dev", "#devel") is None
    alice.expect(type="room_renamed", new="#devel")
    server.stop()
    server = make_server(db_path=db)
    again = join(make_raw, server, "alice")
    assert [room["room"] for room in again.objects()[0]["rooms"]] == ["#lobby", "#devel"]
    history = [(o["text"], o.get("room")) for o in again.objects() if o["type"] == "message"]
    assert history == [("said in dev", "#devel")]
    assert server.create_room("#dev") is None  # the old name is free


def test_the_stored_messages_of_each_open_room_are_counted_by_name(
        make_server: Callable[..., ChatServer], make_raw: MakeRaw, tmp_path: Path) -> None:
    db = str(tmp_path / "chat.db")
    server = make_server(db_path=db)
    alice, _bob = (join(make_raw, server, n) for n in ("alice", "bob"))
    for room in ("#dev", "#gone"):
        alice.send(type="join", room=room)
        alice.expect(type="room", room=room)
    for number, (text, where) in enumerate([("hi", {}), ("one", {"room": "#dev"}), ("two", {"room": "#dev"}),
                                            ("bye", {"room": "#gone"}), ("psst", {"to": "bob"})]):
        alice.send(type="chat", id=str(number), text=text, **where)
        alice.expect(type="ack", id=str(number))
    assert server.room_message_counts() == {"#lobby": 1, "#dev": 2, "#gone": 1}
    assert server.close_room("#gone") is None
    assert server.rename_room("#dev", "#Devel") is None
    assert server.room_message_counts() == {"#lobby": 1, "#Devel": 2}
    server.stop()
    assert make_server(db_path=db).room_message_counts() == {"#lobby": 1, "#Devel": 2}


class _UncountableRooms(SqliteStore):
    def room_message_counts(self) -> dict[str, int]:
        raise StoreError("disk I/O error")


def test_a_store_that_cannot_count_the_rooms_messages_gives_no_counts_and_a_log_line(
        make_server: Callable[..., ChatServer], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    server = make_server(_UncountableRooms(tmp_path / "chat.db"))
    assert server.room_message_counts() == {}
    assert "could not count the rooms' messages: disk I/O error" in caplog.text
