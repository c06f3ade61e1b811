"""Rooms and direct messages in JSON mode (protocol version 2), over real sockets on loopback."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pytestqt.qtbot import QtBot

from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import RawClient

MakeRaw = Callable[[ChatServer], RawClient]


class Member:
    """A raw JSON client: sends objects, waits for the objects it is sent."""

    def __init__(self, raw: RawClient, name: str) -> None:
        self.raw = raw
        self.name = name
        self.seen = 0  # objects before this index are read (``expect`` looks after it)

    def send(self, **obj: Any) -> None:
        self.raw.send(json.dumps(obj) + "\n")

    def objects(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.raw.lines if line.startswith("{")]

    def expect(self, **fields: Any) -> dict[str, Any]:
        """The next object (after those already expected) that has ``fields``; the ones skipped stay unread."""
        found: list[dict[str, Any]] = []

        def check() -> None:
            for index, obj in enumerate(self.objects()):
                if index >= self.seen and all(obj.get(k) == v for k, v in fields.items()):
                    found.append(obj)
                    self.seen = index + 1
                    return
            raise AssertionError(f"no {fields} after {self.seen} in {self.objects()}")

        self.raw.qtbot.waitUntil(check, timeout=5000)
        return found[0]

    def texts(self) -> list[str]:
        return [o["text"] for o in self.objects() if o["type"] == "message"]


def join(make_raw: MakeRaw, server: ChatServer, name: str, version: int = 2,
         client_id: str | None = None) -> Member:
    raw = make_raw(server)
    member = Member(raw, name)
    member.send(type="hello", version=version, name=name, client_id=client_id or f"id-of-{name}", last_seq=None)
    member.expect(type="joined", name=name)
    return member


def test_a_room_message_reaches_its_members_only(server: ChatServer, make_raw: MakeRaw) -> None:
    alice, bob, carol = (join(make_raw, server, n) for n in ("alice", "bob", "carol"))
    alice.send(type="join", room="#Dev")
    details = alice.expect(type="room")
    assert details == {"type": "room", "room": "#Dev", "topic": "", "private": False, "owner": "alice",
                       "members": ["alice"], "created": True}
    alice.expect(type="joined", name="alice", room="#Dev", online=1)
    bob.send(type="join", room="#dev")
    assert bob.expect(type="room")["members"] == ["alice", "bob"]
    alice.expect(type="joined", name="bob", room="#Dev", online=2)
    bob.send(type="chat", id="1", text="ship it?", room="#dev")
    ack = bob.expect(type="ack", id="1")
    assert ack["room"] == "#Dev"
    relay = alice.expect(type="message", text="ship it?")
    assert (relay["room"], relay["sender"], relay["seq"]) == ("#Dev", "bob", ack["seq"])
    carol.send(type="chat", id="2", text="lobby line")
    bob.expect(type="message", text="lobby line")
    assert "ship it?" not in carol.texts()
    carol.send(type="chat", id="3", text="let me in", room="#dev")
    error = carol.expect(type="error", id="3")
    assert error["code"] == p.ERR_NOT_IN_ROOM
    assert "let me in" not in alice.texts() + bob.texts()


def test_a_version_1_client_is_confined_to_the_lobby(server: ChatServer, make_raw: MakeRaw) -> None:
    alice = join(make_raw, server, "alice")
    old = join(make_raw, server, "old", version=1)
    assert old.objects()[0]["version"] == 1 and "rooms" not in old.objects()[0]
    alice.send(type="chat", id="1", text="psst", to="old")
    assert alice.expect(type="error", id="1")["code"] == p.ERR_UNREACHABLE
    old.send(type="join", room="#dev")
    assert old.expect(type="error")["code"] == p.ERR_NOT_ALLOWED
    alice.send(type="join", room="#dev")
    alice.expect(type="room")
    alice.send(type="chat", id="2", text="in dev", room="#dev")
    alice.send(type="chat", id="3", text="in lobby")
    old.expect(type="message", text="in lobby")
    assert old.texts() == ["in lobby"]


def test_direct_messages_reach_the_two_of_them_and_wait_for_an_offline_member(
        server: ChatServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    alice, bob, carol = (join(make_raw, server, n) for n in ("alice", "bob", "carol"))
    alice.send(type="chat", id="1", text="lunch?", to="BOB")
    ack = alice.expect(type="ack", id="1")
    assert ack["to"] == "bob" and "delivered_later" not in ack
    relay = bob.expect(type="message", text="lunch?")
    assert (relay["to"], relay["sender"]) == ("bob", "alice")
    carol.send(type="chat", id="x", text="sync")
    alice.expect(type="message", text="sync")
    bob.expect(type="message", text="sync")
    assert "lunch?" not in carol.texts()
    # bob goes away; his name stays reserved for his client id: a direct message waits for him
    bob.send(type="exit")
    bob.raw.wait_closed()
    alice.send(type="chat", id="2", text="see you Monday", to="bob")
    later = alice.expect(type="ack", id="2")
    assert later["delivered_later"] is True and later["to"] == "bob"
    alice.send(type="chat", id="3", text="hi", to="nobody")
    assert alice.expect(type="error", id="3")["code"] == p.ERR_UNKNOWN_MEMBER
    alice.send(type="chat", id="4", text="me", to="alice")
    assert alice.expect(type="error", id="4")["code"] == p.ERR_DIRECT_TO_SELF
    back = join(make_raw, server, "bob")
    back.seen = 0  # it came right after the welcome, before the history and the joined line
    waiting = back.expect(type="message", text="see you Monday")
    assert waiting.get("history") is None and waiting["to"] == "bob" and waiting["seq"] == later["seq"]
    back.send(type="exit")
    back.raw.wait_closed()
    again = join(make_raw, server, "bob")  # the same client id: nothing waits any more
    again.send(type="chat", id="5", text="done")
    again.expect(type="ack", id="5")
    assert [o for o in again.objects() if o.get("text") == "see you Monday" and not o.get("history")] == []


def test_private_rooms_need_an_invitation_and_the_owner_may_remove(server: ChatServer, make_raw: MakeRaw) -> None:
    alice, bob, carol = (join(make_raw, server, n) for n in ("alice", "bob", "carol"))
    alice.send(type="create", room="#team", private=True)
    assert alice.expect(type="room")["private"] is True
    carol.send(type="rooms")
    listing = carol.expect(type="room_list")
    assert [r["room"] for r in listing["rooms"]] == ["#lobby"]
    carol.send(type="join", room="#team")
    assert carol.expect(type="error", room="#team")["code"] == p.ERR_INVITE_ONLY
    alice.send(type="invite", room="#team", name="bob")
    invited = {"type": "invited", "room": "#team", "name": "bob", "by": "alice"}
    alice.expect(**invited)
    bob.expect(**invited)
    bob.send(type="join", room="#team")
    bob.expect(type="room", room="#team")
    alice.expect(type="joined", name="bob", room="#team")
    bob.send(type="members", room="#team")
    assert bob.expect(type="room_members") == {"type": "room_members", "room": "#team",
                                                "members": ["alice", "bob"], "offline": []}
    bob.send(type="set_topic", room="#team", topic="mine now")
    assert bob.expect(type="error", room="#team")["code"] == p.ERR_NOT_OWNER
    alice.send(type="set_topic", room="#team", topic="Plans")
    bob.expect(type="topic", room="#team", topic="Plans", by="alice")
    alice.send(type="remove", room="#team", name="bob")
    removed = {"type": "left", "name": "bob", "room": "#team", "reason": "removed", "online": 1}
    alice.expect(**removed)
    bob.expect(**removed)
    alice.send(type="chat", id="1", text="secret plan", room="#team")
    alice.expect(type="ack", id="1")
    bob.send(type="chat", id="b", text="sync")
    alice.expect(type="message", text="sync")
    assert "secret plan" not in bob.texts() + carol.texts()


def test_leaving_a_room_and_the_lobby_stays(server: ChatServer, make_raw: MakeRaw) -> None:
    alice, bob = (join(make_raw, server, n) for n in ("alice", "bob"))
    for member in (alice, bob):
        member.send(type="join", room="#dev")
        member.expect(type="room")
    bob.send(type="leave", room="#dev")
    left = {"type": "left", "name": "bob", "room": "#dev", "reason": "left", "online": 1}
    bob.expect(**left)
    alice.expect(**left)
    bob.send(type="leave", room="#lobby")
    assert bob.expect(type="error", room="#lobby")["code"] == p.ERR_LOBBY_FIXED
    alice.send(type="chat", id="1", text="after", room="#dev")
    alice.expect(type="ack", id="1")
    bob.send(type="chat", id="b", text="sync")
    alice.expect(type="message", text="sync")
    assert "after" not in bob.texts()


def test_a_member_with_a_client_id_is_back_in_its_rooms_and_replayed_only_its_conversations(
        make_server: Callable[..., ChatServer], make_raw: MakeRaw, tmp_path: Any) -> None:
    db = str(tmp_path / "chat.db")
    server = make_server(db_path=db)
    alice = join(make_raw, server, "alice")
    alice.send(type="join", room="#dev")
    alice.expect(type="room")
    alice.send(type="chat", id="1", text="dev only", room="#dev")
    alice.expect(type="ack", id="1")
    alice.send(type="chat", id="2", text="for everyone")
    alice.expect(type="ack", id="2")
    server.stop()
    server = make_server(db_path=db)
    again = join(make_raw, server, "alice")
    welcome = again.objects()[0]
    assert welcome["rooms"] == [{"room": "#lobby", "topic": "", "private": False, "owner": None},
                                {"room": "#dev", "topic": "", "private": False, "owner": "alice"}]
    history = [(o["text"], o.get("room")) for o in again.objects() if o["type"] == "message"]
    assert history == [("dev only", "#dev"), ("for everyone", None)]
    other = join(make_raw, server, "bob")
    assert [o["text"] for o in other.objects() if o["type"] == "message"] == ["for everyone"]


def test_a_resume_gets_exactly_what_it_missed_of_its_conversations_and_a_waiting_message_once(
        server: ChatServer, make_raw: MakeRaw) -> None:
    alice, bob = (join(make_raw, server, n) for n in ("alice", "bob"))
    for member in (alice, bob):
        member.send(type="join", room="#dev")
        member.expect(type="room", room="#dev")
    bob.send(type="chat", id="0", text="seen")
    last_seq = bob.expect(type="ack", id="0")["seq"]
    bob.send(type="exit")
    bob.raw.wait_closed()
    alice.send(type="chat", id="1", text="in dev", room="#dev")
    alice.send(type="chat", id="2", text="in lobby")
    alice.send(type="chat", id="3", text="for you", to="bob")
    alice.send(type="create", room="#secret", private=True)
    alice.expect(type="room", room="#secret")
    alice.send(type="chat", id="4", text="not for bob", room="#secret")
    alice.expect(type="ack", id="4")
    raw = make_raw(server)
    back = Member(raw, "bob")
    back.send(type="hello", version=2, name="bob", client_id="id-of-bob", last_seq=last_seq)
    back.expect(type="joined", name="bob")
    said = [(o["text"], o.get("room"), o.get("to")) for o in back.objects() if o["type"] == "message"]
    assert sorted(said) == sorted([("in dev", "#dev", None), ("in lobby", None, None), ("for you", None, "bob")])


def test_the_room_limits_are_settings(make_server: Callable[..., ChatServer], make_raw: MakeRaw) -> None:
    server = make_server(max_rooms=3, max_rooms_per_member=1)  # #lobby counts among the rooms
    alice, bob = (join(make_raw, server, n) for n in ("alice", "bob"))
    alice.send(type="join", room="#one")
    alice.expect(type="room", room="#one")
    alice.send(type="join", room="#two")
    assert alice.expect(type="error", room="#two")["code"] == p.ERR_TOO_MANY_JOINED
    bob.send(type="join", room="#two")
    bob.expect(type="room", room="#two")
    bob.send(type="leave", room="#two")
    bob.expect(type="left", room="#two")
    bob.send(type="join", room="#three")
    assert bob.expect(type="error", room="#three")["code"] == p.ERR_TOO_MANY_ROOMS


def test_joining_replays_the_last_messages_of_each_room_however_busy_the_others(
        make_server: Callable[..., ChatServer], make_raw: MakeRaw) -> None:
    server = make_server(history_limit=2)
    alice = join(make_raw, server, "alice")
    alice.send(type="join", room="#quiet")
    alice.expect(type="room", room="#quiet")
    alice.send(type="chat", id="q", text="quiet one", room="#quiet")
    for n in range(4):
        alice.send(type="chat", id=str(n), text=f"busy {n}")
    alice.expect(type="ack", id="3")
    alice.send(type="exit")
    alice.raw.wait_closed()
    back = join(make_raw, server, "alice")
    history = [(o["text"], o.get("room")) for o in back.objects() if o["type"] == "message"]
    assert history == [("quiet one", "#quiet"), ("busy 2", None), ("busy 3", None)]
    assert all(o["history"] for o in back.objects() if o["type"] == "message")


def test_joining_replays_the_last_direct_messages_with_each_partner(
        make_server: Callable[..., ChatServer], make_raw: MakeRaw) -> None:
    server = make_server(history_limit=1)
    alice, bob = (join(make_raw, server, n) for n in ("alice", "bob"))
    alice.send(type="chat", id="1", text="older", to="bob")
    alice.send(type="chat", id="2", text="newer", to="bob")
    alice.expect(type="ack", id="2")
    alice.send(type="chat", id="3", text="lobby")
    alice.expect(type="ack", id="3")
    for member in (alice, bob):
        member.send(type="exit")
        member.raw.wait_closed()
    back = join(make_raw, server, "alice")
    history = [(o["text"], o.get("to")) for o in back.objects() if o["type"] == "message"]
    assert history == [("newer", "bob"), ("lobby", None)]


def test_after_a_restart_offline_members_are_named_as_they_last_were(
        make_server: Callable[..., ChatServer], make_raw: MakeRaw, tmp_path: Any) -> None:
    db = str(tmp_path / "chat.db")
    server = make_server(db_path=db)
    alice, bob = (join(make_raw, server, n) for n in ("alice", "bob"))
    for member in (alice, bob):
        member.send(type="join", room="#dev")
        member.expect(type="room", room="#dev")
    alice.send(type="chat", id="1", text="psst", to="bob")
    alice.expect(type="ack", id="1")
    server.stop()
    server = make_server(db_path=db)
    back = join(make_raw, server, "alice")
    assert [(o["text"], o.get("to")) for o in back.objects() if o["type"] == "message"] == [("psst", "bob")]
    back.send(type="members", room="#dev")
    assert back.expect(type="room_members") == {"type": "room_members", "room": "#dev", "members": ["alice"],
                                                 "offline": ["bob"]}
