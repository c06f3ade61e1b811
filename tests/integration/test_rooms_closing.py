"""A closed room's history and a private room's owner who leaves it (docs/architecture.md's decisions), over real
sockets in both framings.

A closed room's messages stay in the store until the retention deletes them, but nobody reads them through the
chat any more: not its former members (no replay, no resume, no ``history``), nor the members of a new room of
the same name. The owner of a private room who leaves it keeps its ownership: the members who stay may talk
and invite (the owner too) but not remove anyone or set the topic; back in the room, the owner may again.
"""

from __future__ import annotations

from collections.abc import Callable

from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import RawClient
from tests.integration.test_rooms_json import Member, join
from tests.integration.test_rooms_text import member as text_member

MakeRaw = Callable[[ChatServer], RawClient]


def test_a_closed_rooms_messages_are_replayed_and_resumed_to_nobody(server: ChatServer, make_raw: MakeRaw) -> None:
    alice, bob = (join(make_raw, server, n) for n in ("alice", "bob"))
    for member in (alice, bob):
        member.send(type="join", room="#dev")
        member.expect(type="room", room="#dev")
    bob.send(type="chat", id="1", text="said before", room="#dev")
    seen = alice.expect(type="message", text="said before")["seq"]
    alice.send(type="exit")
    alice.raw.wait_closed()
    bob.send(type="chat", id="2", text="said while alice was away", room="#dev")
    bob.expect(type="ack", id="2")
    assert server.close_room("#dev") is None
    bob.expect(type="left", name="bob", room="#dev", reason="closed")
    bob.send(type="chat", id="3", text="lobby line")
    last = bob.expect(type="ack", id="3")["seq"]

    back = Member(make_raw(server), "alice")  # resumes after the last message it saw of #dev
    back.send(type="hello", version=2, name="alice", client_id="id-of-alice", last_seq=seen)
    welcome = back.expect(type="welcome")
    assert welcome["rooms"] == [{"room": "#lobby", "topic": "", "private": False, "owner": None}]
    back.expect(type="message", text="lobby line")
    assert back.texts() == ["lobby line"]

    fresh = join(make_raw, server, "carol")  # the join's replay: #lobby's history only
    assert fresh.texts() == ["lobby line"]
    fresh.send(type="join", room="#DEV")  # a new room of the old name: none of the old one's messages
    assert fresh.expect(type="room")["created"] is True
    fresh.expect(type="joined", name="carol", room="#DEV")
    fresh.send(type="chat", id="4", text="new room", room="#dev")
    assert fresh.expect(type="ack", id="4")["seq"] == last + 1
    assert fresh.texts() == ["lobby line"]


def test_a_text_member_reads_nothing_of_a_closed_room(server: ChatServer, make_raw: MakeRaw) -> None:
    one = text_member(make_raw, server, "Client01")  # says 'hi' in #lobby
    one.send("/join #dev\n")
    one.wait_line("[#dev] * You created #dev: 1 member online (Client01).")
    one.send("in dev\n")
    one.wait_line("in dev ACK")
    assert server.close_room("#dev") is None
    one.wait_line("[#dev] * The server operator closed #dev")
    start = len(one.lines)
    one.send("history 5\n")  # its current room is #lobby again
    one.wait_line(lambda line: line.startswith("[history ") and line.endswith("] Client01: hi"), start)
    one.send("/join #dev\n")
    one.wait_line("[#dev] * You created #dev: 1 member online (Client01).", start)
    one.send("history 5\n")
    one.wait_line("No earlier messages.", start)
    assert not any("in dev" in line for line in one.lines[start:])


def test_a_private_rooms_owner_who_leaves_keeps_its_rights_for_its_return_json(
        server: ChatServer, make_raw: MakeRaw) -> None:
    alice, bob, carol = (join(make_raw, server, n) for n in ("alice", "bob", "carol"))
    alice.send(type="create", room="#team", private=True)
    alice.expect(type="room", room="#team")
    for name, member in (("bob", bob), ("carol", carol)):
        alice.send(type="invite", room="#team", name=name)
        member.expect(type="invited", room="#team", name=name)
        member.send(type="join", room="#team")
        member.expect(type="room", room="#team")
    alice.send(type="leave", room="#team")
    bob.expect(type="left", name="alice", room="#team", reason="left", online=2)
    bob.send(type="remove", room="#team", name="carol")
    assert bob.expect(type="error", room="#team")["code"] == p.ERR_NOT_OWNER
    bob.send(type="set_topic", room="#team", topic="mine now")
    assert bob.expect(type="error", room="#team")["code"] == p.ERR_NOT_OWNER
    bob.send(type="chat", id="1", text="still talking", room="#team")
    carol.expect(type="message", text="still talking")
    bob.send(type="invite", room="#team", name="alice")  # any member may invite the owner back
    alice.expect(type="invited", room="#team", name="alice", by="bob")
    alice.send(type="join", room="#team")
    assert alice.expect(type="room", room="#team")["owner"] == "alice"
    alice.send(type="remove", room="#team", name="carol")
    carol.expect(type="left", name="carol", room="#team", reason="removed", online=2)
    alice.send(type="set_topic", room="#team", topic="back")
    bob.expect(type="topic", room="#team", topic="back", by="alice")


def test_a_private_rooms_owner_who_leaves_keeps_its_rights_for_its_return_text(
        server: ChatServer, make_raw: MakeRaw) -> None:
    one, two = (text_member(make_raw, server, f"Client0{n}") for n in (1, 2))
    one.send("/create #team private\n/invite Client02 #team\n")
    two.wait_line("[#team] * Client01 invited Client02 (/join #team to join it)")
    two.send("/join #team\n")
    two.wait_line("[#team] * You joined #team: 2 members online (Client01, Client02).")
    one.send("/leave\n")
    two.wait_line("[#team] * Client01 left (1 member)")
    start = len(two.lines)
    two.send("/topic #team mine now\n/remove Client01 #team\n")
    two.wait_line("Error: #team: only the room's owner may do that.", start)
    assert two.lines[start:] == ["Error: #team: only the room's owner may do that."] * 2
    two.send("/invite Client01 #team\n")
    one.wait_line("[#team] * Client02 invited Client01 (/join #team to join it)")
    one.send("/join #team\n/remove Client02 #team\n")
    one.wait_line("[#team] * Client02 was removed (1 member)")
    two.wait_line("[#team] * Client02 was removed (1 member)")
