"""What a version-2 welcome says of each room its member is in (topic, private, owner), over real sockets: a member
coming back knows who owns its rooms without asking the server again."""

from __future__ import annotations

from chat_server.core.engine import ChatServer
from tests.integration.test_rooms_json import MakeRaw, Member, join


def come_back(make_raw: MakeRaw, server: ChatServer, name: str, client_id: str) -> Member:
    member = Member(make_raw(server), name)
    member.send(type="hello", version=2, name=name, client_id=client_id, last_seq=None)
    return member


def test_a_member_back_gets_each_rooms_topic_privacy_and_owner_from_the_welcome_alone(
        server: ChatServer, make_raw: MakeRaw) -> None:
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    alice.send(type="create", room="#team", private=True)
    alice.expect(type="room", room="#team")
    alice.send(type="set_topic", room="#team", topic="plans")
    alice.expect(type="topic", room="#team")
    alice.send(type="invite", room="#team", name="bob")
    bob.expect(type="invited", room="#team")
    bob.send(type="join", room="#team")
    bob.expect(type="room", room="#team")
    bob.send(type="join", room="#Dev")  # public, bob its owner
    bob.expect(type="room", room="#Dev")
    assert server.create_room("#ops") is None  # the operator's: nobody owns it
    bob.send(type="join", room="#ops")
    bob.expect(type="room", room="#ops")
    assert server.set_room_topic("#lobby", "all hands") is None
    bob.expect(type="topic", room="#lobby")
    bob.send(type="exit")
    bob.raw.wait_closed()

    back = come_back(make_raw, server, "bob", "id-of-bob")
    welcome = back.expect(type="welcome")
    assert welcome["rooms"] == [
        {"room": "#lobby", "topic": "all hands", "private": False, "owner": None},
        {"room": "#Dev", "topic": "", "private": False, "owner": "bob"},
        {"room": "#ops", "topic": "", "private": False, "owner": None},
        {"room": "#team", "topic": "plans", "private": True, "owner": "alice"},
    ]
    back.expect(type="joined", name="bob")
    back.send(type="ping", token="t")  # whatever came with the welcome has come before the pong
    back.expect(type="pong", token="t")
    assert [o["type"] for o in back.objects()] == ["welcome", "joined", "pong"]  # no room reply was needed


def test_an_owner_back_under_another_name_is_named_so_in_its_own_welcome(
        server: ChatServer, make_raw: MakeRaw) -> None:
    alice = join(make_raw, server, "alice")
    alice.send(type="create", room="#team", private=True)
    alice.expect(type="room", room="#team")
    alice.send(type="exit")
    alice.raw.wait_closed()
    back = come_back(make_raw, server, "alicia", "id-of-alice")
    welcome = back.expect(type="welcome", name="alicia")
    assert welcome["rooms"] == [{"room": "#lobby", "topic": "", "private": False, "owner": None},
                                {"room": "#team", "topic": "", "private": True, "owner": "alicia"}]
    back.expect(type="joined", name="alicia")
    back.send(type="join", room="#team")  # the room reply agrees
    assert back.expect(type="room", room="#team")["owner"] == "alicia"


def test_a_version_1_member_is_welcomed_without_rooms(server: ChatServer, make_raw: MakeRaw) -> None:
    alice = join(make_raw, server, "alice")
    alice.send(type="create", room="#team", private=True)
    alice.expect(type="room", room="#team")
    old = join(make_raw, server, "old", version=1)
    assert old.objects()[0] == {"type": "welcome", "name": "old", "online": 2, "max_clients": 3,
                                "members": ["alice", "old"], "max_line_bytes": 65536, "version": 1, "seq": 0}
