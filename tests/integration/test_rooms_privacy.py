"""The privacy property of rooms and direct messages, over real sockets: whatever members join, leave, create,
invite, remove and say, and whatever the operator removes and closes, each receives exactly the messages of the
rooms it is in when they are said, and the direct messages to it, never another's. Random runs from fixed seeds
(bounded: four members, forty steps each)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from chat_server.core.engine import ChatServer
from tests.conftest import RawClient
from tests.integration.test_rooms_json import Member, join

MakeRaw = Callable[[ChatServer], RawClient]
NAMES = ("ann", "ben", "cat", "dan")
PUBLIC = ("#r1", "#r2")
PRIVATE = "#p"  # created by ann, its owner
STEPS = 40


@dataclass
class World:
    """What the test expects, kept apart from the server: who is in which room, who may join #p."""

    rooms: dict[str, set[str]] = field(default_factory=lambda: {room: set() for room in (*PUBLIC, PRIVATE)})
    invited: set[str] = field(default_factory=set)
    expected: dict[str, set[str]] = field(default_factory=lambda: {name: set() for name in NAMES})
    joined: dict[str, set[str]] = field(default_factory=lambda: {name: set() for name in NAMES})
    existing: set[str] = field(default_factory=set)  # the public rooms made (by a join) and not closed since
    log: list[str] = field(default_factory=list)  # the steps taken, for the failure's message


def _reply(member: Member, *choices: dict[str, Any]) -> dict[str, Any]:
    """The next object matching one of ``choices``."""
    found: list[dict[str, Any]] = []

    def check() -> None:
        for index, obj in enumerate(member.objects()):
            if index >= member.seen and any(all(obj.get(k) == v for k, v in c.items()) for c in choices):
                found.append(obj)
                member.seen = index + 1
                return
        raise AssertionError(f"none of {choices} in {member.objects()[member.seen:]}")

    member.raw.qtbot.waitUntil(check, timeout=5000)
    return found[0]


def _step(server: ChatServer, rng: random.Random, members: dict[str, Member], world: World, number: int) -> None:
    name = rng.choice(NAMES)
    me = members[name]
    kind = rng.choice(["join", "join", "leave", "invite", "remove", "room", "room", "room", "direct", "lobby",
                       "operator removes", "operator closes"])
    room = rng.choice((*PUBLIC, PRIVATE))
    other = rng.choice([n for n in NAMES if n != name])
    world.log.append(f"{number}: {name} {kind} {room} {other}")
    if kind == "join":
        me.send(type="join", room=room)
        reply = _reply(me, {"type": "room", "room": room}, {"type": "error", "room": room})
        may = room != PRIVATE or name in world.invited or name in world.rooms[room]
        assert (reply["type"] == "room") == may, (name, room, reply)
        if may:
            world.existing.add(room)
            world.rooms[room].add(name)
            world.joined[name].add(room)
            world.invited.discard(name)
    elif kind == "leave":
        me.send(type="leave", room=room)
        reply = _reply(me, {"type": "left", "room": room, "name": name}, {"type": "error", "room": room})
        assert (reply["type"] == "left") == (name in world.rooms[room]), (name, room, reply)
        world.rooms[room].discard(name)
    elif kind == "invite":
        me.send(type="invite", room=PRIVATE, name=other)
        reply = _reply(me, {"type": "invited", "room": PRIVATE, "name": other}, {"type": "error", "room": PRIVATE})
        assert (reply["type"] == "invited") == (name in world.rooms[PRIVATE]), (name, other, reply)
        if reply["type"] == "invited" and other not in world.rooms[PRIVATE]:
            world.invited.add(other)
    elif kind == "remove":
        me.send(type="remove", room=PRIVATE, name=other)
        reply = _reply(me, {"type": "left", "room": PRIVATE, "name": other}, {"type": "error", "room": PRIVATE})
        owner = name == "ann" and name in world.rooms[PRIVATE]
        there = other in world.rooms[PRIVATE] or other in world.invited
        assert (reply["type"] == "left") == (owner and there), (name, other, reply)
        if reply["type"] == "left":
            world.rooms[PRIVATE].discard(other)
            world.invited.discard(other)
    elif kind == "operator removes":
        there = other in world.rooms[room] or (room == PRIVATE and other in world.invited)
        assert (server.remove_from_room(other, room) is None) == there, (other, room)
        world.rooms[room].discard(other)
        if room == PRIVATE:
            world.invited.discard(other)
    elif kind == "operator closes":
        assert (server.close_room(room) is None) == (room == PRIVATE or room in world.existing), room
        world.rooms[room] = set()
        world.existing.discard(room)
    else:
        text = f"m-{number}-{kind}"
        target: dict[str, str] = {"room": room} if kind == "room" else {"to": other} if kind == "direct" else {}
        me.send(type="chat", id=str(number), text=text, **target)
        reply = _reply(me, {"type": "ack", "id": str(number)}, {"type": "error", "id": str(number)})
        if kind == "room":
            assert (reply["type"] == "ack") == (name in world.rooms[room]), (name, room, reply)
            receivers = world.rooms[room] - {name} if reply["type"] == "ack" else set()
        else:
            assert reply["type"] == "ack", reply
            receivers = {other} if kind == "direct" else set(NAMES) - {name}
        for receiver in receivers:
            world.expected[receiver].add(text)
    if not world.rooms[PRIVATE]:
        _reopen_private(members, world)


def _reopen_private(members: dict[str, Member], world: World) -> None:
    """A private room its last member leaves is closed: ann makes it again (and owns it again)."""
    ann = members["ann"]
    ann.send(type="create", room=PRIVATE, private=True)
    _reply(ann, {"type": "room", "room": PRIVATE})
    world.rooms[PRIVATE] = {"ann"}
    world.joined["ann"].add(PRIVATE)
    world.invited.clear()


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_each_member_receives_exactly_the_messages_of_its_rooms_and_its_direct_ones(
        make_server: Callable[..., ChatServer], make_raw: MakeRaw, qtbot: QtBot, seed: int) -> None:
    server = make_server(max_clients=0, rate_per_s=0.0)
    members = {name: join(make_raw, server, name) for name in NAMES}
    world = World()
    _reopen_private(members, world)
    rng = random.Random(seed)
    for number in range(STEPS):
        _step(server, rng, members, world, number)
    for name, member in members.items():  # everything said before a member's sync line reached the others first
        member.send(type="chat", id="sync", text=f"sync-{name}")
    def synced(member: Member, name: str) -> Callable[[], bool]:
        return lambda: set(member.texts()) >= {f"sync-{n}" for n in NAMES if n != name}

    for name, member in members.items():
        qtbot.waitUntil(synced(member, name), timeout=5000)
    for name, member in members.items():
        said = [o for o in member.objects() if o["type"] == "message" and o["text"].startswith("m-")]
        received = {o["text"] for o in said if not o.get("history")}
        assert received == world.expected[name], (name, received ^ world.expected[name], world.log)
        # Joining a room replays its recent messages: only ever of a room it joined.
        assert {o["room"] for o in said if o.get("history")} <= world.joined[name], (name, world.log)
