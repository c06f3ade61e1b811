"""The engine's ``room_event`` signal: what happened to a room and who did it, for the members' requests in both
framings and for the operator's, over real sockets."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from chat_server.core import RoomChange, RoomEvent
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, RawClient
from tests.integration.test_rooms_json import join
from tests.integration.test_rooms_text import member as text_member

MakeRaw = Callable[[ChatServer], RawClient]


def recorder(server: ChatServer) -> list[RoomEvent]:
    events: list[RoomEvent] = []
    server.room_event.connect(events.append)
    return events


def wait_events(qtbot: QtBot, events: list[RoomEvent], count: int) -> None:
    qtbot.waitUntil(lambda: len(events) >= count, timeout=WAIT_MS)


def test_members_requests_are_reported_with_who_did_what_in_both_framings(
        qtbot: QtBot, server: ChatServer, make_raw: MakeRaw) -> None:
    events = recorder(server)
    text = text_member(make_raw, server, "Client01")
    alice, bob = (join(make_raw, server, n) for n in ("alice", "bob"))
    alice.send(type="create", room="#team", private=True)
    alice.send(type="invite", room="#team", name="bob")
    alice.send(type="invite", room="#team", name="Client01")
    alice.send(type="remove", room="#team", name="Client01")  # an invitation withdrawn
    alice.send(type="set_topic", room="#team", topic="plans")
    alice.expect(type="topic", room="#team")
    bob.send(type="join", room="#team")
    bob.expect(type="room", room="#team")
    alice.send(type="remove", room="#team", name="bob")
    alice.expect(type="left", name="bob", room="#team")
    text.send("/join #dev\n")
    text.wait_line(lambda line: line.startswith("[#dev] * You created #dev"))
    text.send("/topic #dev -\n")  # cleared (alone, /topic #dev shows the topic)
    text.wait_line("[#dev] * Client01 cleared the topic")
    text.send("/leave #dev\n")
    text.wait_line("[#dev] * Client01 left (0 members)")
    alice.send(type="leave", room="#team")  # its last member: a private room closes
    alice.expect(type="left", name="alice", room="#team")
    wait_events(qtbot, events, 12)
    assert events == [
        RoomEvent(RoomChange.CREATED, "#team", by="alice", private=True),
        RoomEvent(RoomChange.INVITED, "#team", by="alice", member="bob"),
        RoomEvent(RoomChange.INVITED, "#team", by="alice", member="Client01"),
        RoomEvent(RoomChange.UNINVITED, "#team", by="alice", member="Client01"),
        RoomEvent(RoomChange.TOPIC, "#team", by="alice", topic="plans"),
        RoomEvent(RoomChange.JOINED, "#team", member="bob"),
        RoomEvent(RoomChange.REMOVED, "#team", by="alice", member="bob"),
        RoomEvent(RoomChange.CREATED, "#dev", by="Client01"),
        RoomEvent(RoomChange.TOPIC, "#dev", by="Client01"),
        RoomEvent(RoomChange.LEFT, "#dev", member="Client01"),
        RoomEvent(RoomChange.LEFT, "#team", member="alice"),
        RoomEvent(RoomChange.CLOSED, "#team", member="alice"),
    ]


def test_refusals_report_nothing_and_a_member_without_a_client_id_leaves_its_rooms_when_it_goes(
        qtbot: QtBot, server: ChatServer, make_raw: MakeRaw) -> None:
    events = recorder(server)
    text = text_member(make_raw, server, "Client01")
    alice = join(make_raw, server, "alice")
    alice.send(type="join", room="not a room")
    alice.expect(type="error", code="room_invalid")
    alice.send(type="leave", room="#lobby")
    alice.expect(type="error", code="lobby_fixed")
    text.send("/join #dev\n")
    text.wait_line(lambda line: line.startswith("[#dev] * You created #dev"))
    alice.send(type="join", room="#dev")
    alice.expect(type="room", room="#dev")
    text.send("exit\n")
    alice.expect(type="left", name="Client01", room="#dev")
    wait_events(qtbot, events, 3)
    assert events == [RoomEvent(RoomChange.CREATED, "#dev", by="Client01"),
                      RoomEvent(RoomChange.JOINED, "#dev", member="alice"),
                      RoomEvent(RoomChange.LEFT, "#dev", member="Client01")]


def test_the_operators_actions_are_reported_with_nobody_as_who(server: ChatServer, make_raw: MakeRaw) -> None:
    events = recorder(server)
    alice = join(make_raw, server, "alice")
    assert server.create_room("#staff", private=True) is None
    assert server.invite_to_room("alice", "#staff") is None
    assert server.remove_from_room("alice", "#staff") is None  # only invited: the invitation is withdrawn
    assert server.invite_to_room("alice", "#staff") is None
    alice.send(type="join", room="#staff")
    alice.expect(type="room", room="#staff")
    assert server.set_room_topic("#staff", "ops only") is None
    assert server.rename_room("#staff", "#ops") is None
    assert server.rename_room("#ops", "#lobby") is not None  # refused: nothing reported
    assert server.remove_from_room("alice", "#ops") is None  # its last member: the private room closes
    assert server.create_room("#news") is None
    assert server.close_room("#news") is None
    assert events == [
        RoomEvent(RoomChange.CREATED, "#staff", private=True),
        RoomEvent(RoomChange.INVITED, "#staff", member="alice"),
        RoomEvent(RoomChange.UNINVITED, "#staff", member="alice"),
        RoomEvent(RoomChange.INVITED, "#staff", member="alice"),
        RoomEvent(RoomChange.JOINED, "#staff", member="alice"),
        RoomEvent(RoomChange.TOPIC, "#staff", topic="ops only"),
        RoomEvent(RoomChange.RENAMED, "#ops", old="#staff"),
        RoomEvent(RoomChange.REMOVED, "#ops", member="alice"),
        RoomEvent(RoomChange.CLOSED, "#ops", member="alice"),
        RoomEvent(RoomChange.CREATED, "#news"),
        RoomEvent(RoomChange.CLOSED, "#news"),
    ]
