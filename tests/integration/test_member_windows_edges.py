"""Several windows of one member at the edges, over real sockets: behind a password, beside a window refused in
its hello or one speaking version 1, at the server's stop, in a private room, and away while a window goes."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS
from tests.integration.test_member_windows import barrier, said, window
from tests.integration.test_rooms_json import MakeRaw, Member

PASSWORD = "pw"


@pytest.fixture
def server(make_server: Any) -> ChatServer:
    """Room for a member with three windows and two others."""
    server: ChatServer = make_server(max_clients=8)
    return server


def window_behind_password(make_raw: MakeRaw, server: ChatServer, instance: str, name: str = "alice",
                           client_id: str = "alice-id", version: int = 2) -> tuple[Member, dict[str, Any]]:
    """A JSON connection that gives the password in its hello, as the window ``instance``: it and its welcome."""
    member = Member(make_raw(server), name)
    member.send(type="hello", version=version, name=name, client_id=client_id, last_seq=None, instance=instance,
                password=PASSWORD)
    welcome = member.expect(type="welcome")
    member.expect(type="joined", name=welcome["name"])
    return member, welcome


def until_pong(member: Member, token: str) -> list[dict[str, Any]]:
    """Everything ``member`` was sent before the pong to a ping it sends now (a version-1 window's barrier)."""
    member.send(type="ping", token=token)
    member.expect(type="pong", token=token)
    return member.objects()[:member.seen - 1]


def presence(member: Member) -> list[tuple[str, str, int]]:
    return [(o["type"], o["name"], o["online"]) for o in barrier(member)
            if o["type"] in ("joined", "left") and "room" not in o]


def test_behind_a_password_a_refused_or_version_1_window_changes_no_count(make_server: Any,
                                                                           make_raw: MakeRaw) -> None:
    server: ChatServer = make_server(max_clients=8, password=PASSWORD)
    bob, _ = window_behind_password(make_raw, server, "b", "bob", "bob-id")
    laptop, first = window_behind_password(make_raw, server, "laptop")
    desk, second = window_behind_password(make_raw, server, "desk", name="Alice")
    assert (first["online"], second["online"], second["name"]) == (2, 2, "alice")
    refused = Member(make_raw(server), "alice")
    refused.send(type="hello", version=99, name="alice", client_id="alice-id", last_seq=None, instance="phone",
                 password=PASSWORD)
    assert refused.expect(type="error")["code"] == p.ERR_VERSION
    old, third = window_behind_password(make_raw, server, "old", version=1)
    assert (third["name"], third["online"], third["members"]) == ("alice", 2, ["bob", "alice"])
    for gone in (laptop, old):
        gone.send(type="exit")
        gone.expect(type="goodbye", reason=p.EndReason.EXIT)
    _, carol = window_behind_password(make_raw, server, "c", "carol", "carol-id")
    assert (carol["online"], carol["members"]) == (3, ["bob", "alice", "carol"])
    assert presence(bob) == [("joined", "bob", 1), ("joined", "alice", 2), ("joined", "carol", 3)]
    desk.raw.close()
    assert bob.expect(type="left", name="alice")["online"] == 2
    assert server.members() == ["bob", "carol"]


def test_a_version_1_window_is_sent_neither_direct_messages_nor_rooms_nor_away(server: ChatServer,
                                                                               make_raw: MakeRaw) -> None:
    bob, _ = window(make_raw, server, None, "bob", "bob-id")
    old = Member(make_raw(server), "alice")
    old.send(type="hello", version=1, name="alice", client_id="alice-id", last_seq=None, instance="old")
    old.expect(type="welcome")
    desk, _ = window(make_raw, server, "desk")
    seq = said(bob, "psst", to="alice")
    assert desk.expect(type="message", text="psst")["seq"] == seq
    desk.send(type="join", room="#dev")
    desk.expect(type="room", room="#dev")
    desk.send(type="away", message="lunch")
    desk.expect(type="away", name="alice")
    seq = said(bob, "lobby line")
    assert old.expect(type="message", text="lobby line")["seq"] == seq
    assert [o["type"] for o in until_pong(old, "t") if o["type"] not in ("welcome", "joined")] == ["message"]


def test_the_stop_tells_the_engine_each_member_left_once(make_server: Any, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server: ChatServer = make_server(max_clients=8)
    left: list[tuple[str, str, int]] = []
    server.member_left.connect(lambda name, reason, online: left.append((name, reason, online)))
    window(make_raw, server, None, "bob", "bob-id")
    window(make_raw, server, "laptop")
    window(make_raw, server, "desk")
    with qtbot.waitSignal(server.stopped, timeout=WAIT_MS):
        server.stop()
    assert sorted(name for name, _, _ in left) == ["alice", "bob"]


def test_a_private_rooms_invitation_removal_and_closing_reach_every_window(server: ChatServer,
                                                                           make_raw: MakeRaw) -> None:
    bob, _ = window(make_raw, server, None, "bob", "bob-id")
    laptop, _ = window(make_raw, server, "laptop")
    desk, _ = window(make_raw, server, "desk")
    bob.send(type="create", room="#team", private=True)
    bob.expect(type="room", room="#team")
    earlier = said(bob, "earlier", room="#team")
    bob.send(type="invite", room="#team", name="alice")
    for alice in (laptop, desk):
        alice.expect(type="invited", room="#team", name="alice", by="bob")
    laptop.send(type="join", room="#team")
    laptop.expect(type="room", room="#team")
    told = desk.expect(type="room", room="#team")
    assert (told["members"], told["private"]) == (["alice", "bob"], True)
    assert desk.expect(type="message", text="earlier", room="#team")["seq"] == earlier
    assert [(o["name"], o["online"]) for o in barrier(bob) if o["type"] == "joined" and o.get("room")] == [
        ("bob", 1), ("alice", 2)]  # the member joined once
    desk.send(type="members", room="#team")
    assert desk.expect(type="room_members")["members"] == ["alice", "bob"]
    bob.send(type="remove", room="#team", name="alice")
    for alice in (laptop, desk):
        left = alice.expect(type="left", name="alice", room="#team")
        assert (left["reason"], left["online"]) == (p.RoomExit.REMOVED, 1)
    said(bob, "secret", room="#team")
    for alice in (laptop, desk):
        assert "secret" not in [o.get("text") for o in barrier(alice)]
    bob.send(type="invite", room="#team", name="alice")
    laptop.expect(type="invited", room="#team")
    desk.send(type="join", room="#team")
    for alice in (desk, laptop):
        alice.expect(type="room", room="#team")
    assert server.close_room("#team") is None
    for member in (laptop, desk, bob):
        member.expect(type="left", room="#team")


def test_the_member_stays_away_when_the_window_that_set_it_goes(server: ChatServer, make_raw: MakeRaw) -> None:
    bob, _ = window(make_raw, server, None, "bob", "bob-id")
    laptop, _ = window(make_raw, server, "laptop")
    desk, _ = window(make_raw, server, "desk")
    laptop.send(type="away", message="lunch")
    desk.expect(type="away", name="alice", message="lunch")
    laptop.send(type="exit")
    laptop.expect(type="goodbye")
    said(bob, "there?", to="alice")
    assert bob.expect(type="away_reply", name="alice")["message"] == "lunch"
    online = [(s.name, s.away) for s in server.status_report().sessions if s.state == p.ONLINE]
    assert online == [("bob", None), ("alice", "lunch")]
    desk.send(type="exit")
    desk.expect(type="goodbye")
    phone, _ = window(make_raw, server, "phone")  # the member's last window went: so did its away
    assert not [o for o in barrier(phone) if o["type"] == "away"]
    said(bob, "now?", to="alice")
    assert not [o for o in barrier(bob) if o["type"] == "away_reply" and o["message"] != "lunch"]
    assert len([o for o in barrier(bob) if o["type"] == "away_reply"]) == 1
