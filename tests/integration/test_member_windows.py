"""Several windows of one member over real sockets: one client id, two instances, one name; the others see one
member, and each window hears what the member said, read, joined and set in the other."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS
from tests.integration.test_rooms_json import MakeRaw, Member

LATE_GRACE_MS = 1000
"""A grace our raw clients' hellos beat even on a loaded machine, for the one that waits it out."""


@pytest.fixture
def server(make_server: Any) -> ChatServer:
    """Room for a member with three windows and another member."""
    server: ChatServer = make_server(max_clients=8)
    return server


def window(make_raw: MakeRaw, server: ChatServer, instance: str | None, name: str = "alice",
           client_id: str = "alice-id") -> tuple[Member, dict[str, Any]]:
    """A version-2 JSON connection of ``client_id`` as the window ``instance``: it and its welcome."""
    member = Member(make_raw(server), name)
    hello: dict[str, Any] = {"type": "hello", "version": 2, "name": name, "client_id": client_id, "last_seq": None}
    if instance is not None:
        hello["instance"] = instance
    member.send(**hello)
    welcome = member.expect(type="welcome")
    member.expect(type="joined", name=welcome["name"])
    return member, welcome


def barrier(member: Member) -> list[dict[str, Any]]:
    """Everything ``member`` was sent before the answer to a request it makes now (the server answers in order)."""
    member.send(type="rooms")
    member.expect(type="room_list")
    objects = member.objects()
    return objects[:member.seen - 1]


def said(member: Member, text: str, **where: str) -> int:
    member.send(type="chat", id=text, text=text, **where)
    return int(member.expect(type="ack", id=text)["seq"])


def test_the_others_see_one_member_and_the_last_window_to_go_is_when_it_leaves(server: ChatServer,
                                                                                make_raw: MakeRaw) -> None:
    bob, _ = window(make_raw, server, None, "bob", "bob-id")
    laptop, first = window(make_raw, server, "laptop")
    desk, second = window(make_raw, server, "desk", name="ALICE")  # the name as the first window wrote it
    assert (first["online"], first["members"]) == (2, ["bob", "alice"])
    assert (second["name"], second["online"], second["members"]) == ("alice", 2, ["bob", "alice"])
    assert server.members() == ["bob", "alice"] and server.online_count == 2  # the limit counts members
    assert [s.state for s in server.cache.snapshot()] == ["online", "online", "online"]  # a row per window
    assert [o["name"] for o in barrier(bob) if o["type"] == "joined"] == ["bob", "alice"]
    laptop.send(type="exit")
    laptop.expect(type="goodbye", reason="exit")
    assert not [o for o in barrier(bob) if o["type"] == "left"]  # alice is still here, in her other window
    assert said(desk, "still here") > 0
    desk.raw.close()
    left = bob.expect(type="left", name="alice")
    assert (left["reason"], left["online"]) == (p.EndReason.DROPPED, 1)
    assert server.members() == ["bob"]


def test_the_same_window_back_replaces_its_old_connection_and_keeps_the_other(server: ChatServer,
                                                                              make_raw: MakeRaw) -> None:
    bob, _ = window(make_raw, server, None, "bob", "bob-id")
    laptop, _ = window(make_raw, server, "laptop")
    desk, _ = window(make_raw, server, "desk")
    desk_again, _ = window(make_raw, server, "desk")
    desk.expect(type="goodbye", reason=p.EndReason.REPLACED)
    # Nobody was told anything: alice was online all along in the laptop's window.
    assert [(o["type"], o["name"]) for o in barrier(bob) if o["type"] in ("joined", "left")] == [
        ("joined", "bob"), ("joined", "alice")]
    seq = said(bob, "both of you?")
    for alice in (laptop, desk_again):
        assert alice.expect(type="message", text="both of you?")["seq"] == seq


def test_what_one_window_says_the_other_hears_as_the_members_own(server: ChatServer, make_raw: MakeRaw) -> None:
    bob, _ = window(make_raw, server, None, "bob", "bob-id")
    laptop, _ = window(make_raw, server, "laptop")
    desk, _ = window(make_raw, server, "desk")
    seq = said(laptop, "from the laptop")
    relay = desk.expect(type="message", text="from the laptop")
    assert (relay["sender"], relay["seq"], relay.get("room"), relay.get("to")) == ("alice", seq, None, None)
    assert bob.expect(type="message", text="from the laptop")["seq"] == seq
    # A direct message from one window: the other shows it in the conversation with bob.
    seq = said(laptop, "psst bob", to="bob")
    relay = desk.expect(type="message", text="psst bob")
    assert (relay["sender"], relay["to"], relay["seq"]) == ("alice", "bob", seq)
    assert bob.expect(type="message", text="psst bob")["to"] == "bob"  # a received one names its recipient
    # And one to alice reaches both windows.
    seq = said(bob, "psst alice", to="alice")
    for alice in (laptop, desk):
        relay = alice.expect(type="message", text="psst alice")
        assert (relay["sender"], relay["to"], relay["seq"]) == ("bob", "alice", seq)
    assert [o["text"] for o in barrier(laptop) if o["type"] == "message" and o["sender"] == "alice"] == []


def test_a_room_joined_or_left_in_one_window_is_joined_or_left_in_the_other(server: ChatServer,
                                                                           make_raw: MakeRaw) -> None:
    bob, _ = window(make_raw, server, None, "bob", "bob-id")
    bob.send(type="join", room="#dev")
    bob.expect(type="room", room="#dev")
    earlier = said(bob, "before alice came", room="#dev")
    laptop, _ = window(make_raw, server, "laptop")
    desk, _ = window(make_raw, server, "desk")
    laptop.send(type="join", room="#Dev")
    asked = laptop.expect(type="room")
    told = desk.expect(type="room")
    assert told == asked == {"type": "room", "room": "#dev", "topic": "", "private": False, "owner": "bob",
                             "members": ["alice", "bob"], "created": False}
    history = desk.expect(type="message", text="before alice came")
    assert (history["history"], history["room"], history["seq"]) == (True, "#dev", earlier)
    assert bob.expect(type="joined", name="alice", room="#dev")["online"] == 2
    seq = said(bob, "welcome alice", room="#dev")
    for alice in (laptop, desk):
        assert alice.expect(type="message", text="welcome alice")["seq"] == seq
    desk.send(type="leave", room="#dev")
    for alice in (desk, laptop):
        left = alice.expect(type="left", name="alice", room="#dev")
        assert left["reason"] == p.RoomExit.LEFT
    said(bob, "gone?", room="#dev")
    for alice in (laptop, desk):
        assert "gone?" not in [o.get("text") for o in barrier(alice)]


def test_away_is_the_members_in_every_window_and_typing_is_never_told_to_its_own(server: ChatServer,
                                                                                 make_raw: MakeRaw) -> None:
    bob, _ = window(make_raw, server, None, "bob", "bob-id")
    laptop, _ = window(make_raw, server, "laptop")
    desk, _ = window(make_raw, server, "desk")
    laptop.send(type="away", message="lunch")
    laptop.expect(type="away", name="alice", message="lunch")
    desk.expect(type="away", name="alice", message="lunch")
    bob.expect(type="away", name="alice", message="lunch")
    assert [s.away for s in server.cache.snapshot() if s.name == "alice"] == ["lunch", "lunch"]
    # A window opened while away is told so too.
    phone, _ = window(make_raw, server, "phone")
    assert [(o["name"], o["message"]) for o in barrier(phone) if o["type"] == "away"] == [("alice", "lunch")]
    # bob's direct message is answered once, whichever window it reaches.
    said(bob, "are you there?", to="alice")
    bob.expect(type="away_reply", name="alice", message="lunch")
    said(bob, "hello?", to="alice")
    assert len([o for o in barrier(bob) if o["type"] == "away_reply"]) == 1
    # Back in another window: every window and bob hear it.
    desk.send(type="back")
    for member in (desk, laptop, phone, bob):
        member.expect(type="back", name="alice")
    assert [s.away for s in server.cache.snapshot() if s.name == "alice"] == [None, None, None]
    # Typing goes to bob, never to alice's other windows.
    laptop.send(type="typing", state="active")
    assert bob.expect(type="typing", name="alice")["state"] == "active"
    for alice in (desk, phone):
        assert not [o for o in barrier(alice) if o["type"] == "typing"]


def test_a_read_marker_moved_in_one_window_is_told_to_the_other(server: ChatServer, make_raw: MakeRaw) -> None:
    bob, _ = window(make_raw, server, None, "bob", "bob-id")
    laptop, _ = window(make_raw, server, "laptop")
    desk, _ = window(make_raw, server, "desk")
    seq = said(bob, "read me")
    laptop.send(type="mark_read", seq=seq)
    assert laptop.expect(type="read_marker") == {"type": "read_marker", "seq": seq}
    assert desk.expect(type="read_marker") == {"type": "read_marker", "seq": seq}


def test_an_operators_notice_or_kick_reaches_every_window(server: ChatServer, make_raw: MakeRaw) -> None:
    bob, _ = window(make_raw, server, None, "bob", "bob-id")
    laptop, _ = window(make_raw, server, "laptop")
    desk, _ = window(make_raw, server, "desk")
    assert server.send_notice("a word, alice", to="alice")
    for alice in (laptop, desk):
        assert alice.expect(type="notice")["text"] == "a word, alice"
    assert server.kick("alice")
    for alice in (laptop, desk):
        alice.expect(type="goodbye", reason=p.EndReason.KICKED)
    left = bob.expect(type="left", name="alice")
    assert left["reason"] == p.EndReason.KICKED
    assert [o["name"] for o in barrier(bob) if o["type"] == "left"] == ["alice"]  # told once


def test_a_window_back_after_a_drop_gets_what_its_members_other_window_said_meanwhile(
        server: ChatServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    bob, _ = window(make_raw, server, None, "bob", "bob-id")
    laptop, _ = window(make_raw, server, "laptop")
    desk, _ = window(make_raw, server, "desk")
    seen = said(desk, "before the drop")
    said(desk, "its ack was lost")  # the desk's own, after the seq it says it saw: it sends it again itself
    desk.raw.close()
    qtbot.waitUntil(lambda: [s.state for s in server.cache.snapshot()].count("online") == 2, timeout=WAIT_MS)
    meanwhile = said(laptop, "while the desk was away")
    desk_again = Member(make_raw(server), "alice")
    desk_again.send(type="hello", version=2, name="alice", client_id="alice-id", last_seq=seen, instance="desk")
    desk_again.expect(type="welcome")
    desk_again.expect(type="joined", name="alice")  # after what it missed
    assert [(o["sender"], o["text"], o["seq"], o.get("history")) for o in desk_again.objects()
            if o["type"] == "message"] == [("alice", "while the desk was away", meanwhile, True)]
    assert [(o["type"], o["name"]) for o in barrier(bob) if o["type"] in ("joined", "left")] == [
        ("joined", "bob"), ("joined", "alice")]  # alice never left: she was online in the laptop's window


def test_a_late_hello_without_a_name_keeps_its_assigned_name_beside_another_window_holding_its_earlier_one(
        make_server: Any, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server: ChatServer = make_server(max_clients=8, join_grace_ms=LATE_GRACE_MS)
    laptop = Member(make_raw(server), "?")
    laptop.send(type="hello", version=2, name=None, client_id="alice-id", last_seq=None, instance="laptop")
    first = laptop.expect(type="welcome")["name"]
    with qtbot.waitSignal(server.member_joined, timeout=WAIT_MS) as announced:  # announced before its hello
        late = Member(make_raw(server), "?")
    assigned = announced.args[0]
    assert assigned != first
    late.send(type="hello", version=2, name=None, client_id="alice-id", last_seq=None, instance="desk")
    welcome = late.expect(type="welcome")
    assert (welcome["name"], welcome["members"]) == (assigned, [first, assigned])
    assert not [o for o in late.objects() if o["type"] == "error"] and not late.raw.closed
    assert server.members() == [first, assigned]


def test_the_member_limit_counts_members_and_a_full_server_refuses_another_window_too(
        make_server: Any, make_raw: MakeRaw) -> None:
    server: ChatServer = make_server(max_clients=3)
    window(make_raw, server, None, "bob", "bob-id")
    window(make_raw, server, "laptop")
    window(make_raw, server, "desk")  # alice's second window: still two members of three
    _, welcome = window(make_raw, server, None, "carol", "carol-id")
    assert (welcome["online"], welcome["max_clients"], server.online_count) == (3, 3, 3)
    # Full: the door cannot tell another window of alice from a stranger before its hello.
    phone = make_raw(server)
    phone.wait_closed()
    assert phone.lines == ["[refused: full] Server is full (3/3 online). Try again later."]
