"""The client session's rooms and direct messages (protocol version 2), sans-I/O: wire messages in, events out."""

from __future__ import annotations

from chat_gui.client import (
    LOBBY,
    Acked,
    ChatMessage,
    Conversation,
    InvitationSent,
    NoticeReceived,
    RoomEntered,
    RoomExited,
    RoomMemberJoined,
    RoomMemberLeft,
    RoomMembersListed,
    RoomRenamed,
    RoomsListed,
    RoomState,
    RoomSummary,
    TopicChanged,
    Welcomed,
)
from chat_gui.client.rooms import room_problem
from chat_gui.client.session import ClientSession
from chat_server import protocol as p

DEV, TEAM = Conversation.room("#dev"), Conversation.room("#team")


def joined_rooms(*names: str) -> tuple[p.JoinedRoom, ...]:
    """The welcome's rooms, public, without topics or owners."""
    return tuple(p.JoinedRoom(name, "", False, None) for name in names)


def online(version: int = p.ROOMS_VERSION, rooms: tuple[str, ...] = ("#lobby", "#Dev")) -> ClientSession:
    session = ClientSession("id-alice")
    session.connect("127.0.0.1", 4000, "alice")
    session.open()
    session.opened()
    listed = joined_rooms(*rooms) if version >= p.ROOMS_VERSION else ()
    out = session.receive(p.Welcome(name="alice", online=2, max_clients=0, members=("alice", "bob"),
                                    version=version, rooms=listed), 0.0)
    assert any(isinstance(event, Welcomed) for event in out)
    return session


def test_a_conversation_is_a_room_compared_in_lower_case_or_a_member() -> None:
    assert Conversation.room("#Dev") == DEV and Conversation.room("#Dev").name == "#Dev"
    assert hash(Conversation.room("#Dev")) == hash(DEV)
    assert Conversation.direct("bob") != Conversation.direct("Bob")
    assert Conversation.direct("dev") != Conversation.room("dev")
    assert LOBBY.is_room and not Conversation.direct("bob").is_room and str(LOBBY) == "#lobby"


def test_the_welcome_of_a_version_2_server_lists_the_rooms_lobby_first() -> None:
    session = ClientSession("id")
    session.connect("127.0.0.1", 4000, "alice")
    session.open()
    session.opened()
    rooms = (p.JoinedRoom("#lobby", "all hands", False, None), p.JoinedRoom("#Team", "", True, "bob"),
             p.JoinedRoom("#Dev", "builds", False, "carol"))
    out = session.receive(p.Welcome(name="alice", online=1, max_clients=0, version=2, rooms=rooms), 0)
    welcome = next(event for event in out if isinstance(event, Welcomed))
    assert welcome.rooms == (LOBBY, DEV, TEAM) and welcome.has_rooms
    assert [room.name for room in welcome.rooms] == ["#lobby", "#Dev", "#Team"]  # shown as the server names it
    assert welcome.room_states == (RoomState(LOBBY, "all hands", False, None), RoomState(DEV, "builds", False, "carol"),
                                   RoomState(TEAM, "", True, "bob"))
    assert session.rooms.available and session.rooms.joined == [LOBBY, DEV, TEAM]
    assert session.rooms.state(TEAM) == RoomState(TEAM, "", True, "bob")
    assert session.rooms.state(Conversation.room("#ops")) is None


def test_what_the_welcome_says_of_a_room_is_kept_true_by_the_servers_news() -> None:
    session = ClientSession("id")
    session.connect("127.0.0.1", 4000, "alice")
    session.open()
    session.opened()
    session.receive(p.Welcome(name="alice", online=2, max_clients=0, members=("alice", "Client02"), version=2,
                              rooms=(p.JoinedRoom("#lobby", "", False, None),
                                     p.JoinedRoom("#team", "plans", True, "Client02"))), 0)
    # The owner chose a name with a late hello; the operator sets the topic, then renames the room.
    session.receive(p.Renamed(old="Client02", new="bob", time=1.0), 0)
    session.receive(p.Topic(room="#team", topic="frozen", by=None, time=2.0), 0)
    session.receive(p.RoomRenamed(old="#team", new="#Crew", time=3.0), 0)
    crew = Conversation.room("#crew")
    assert session.rooms.joined == [LOBBY, crew] and session.rooms.state(TEAM) is None
    state = session.rooms.state(crew)
    assert state == RoomState(crew, "frozen", True, "bob") and state.conversation.name == "#Crew"
    # Joining again answers with the room as it is now; leaving forgets it.
    session.receive(p.RoomDetails(room="#Crew", topic="thawed", private=True, owner="bob", members=("alice",)), 0)
    assert session.rooms.state(crew) == RoomState(crew, "thawed", True, "bob")
    session.receive(p.Left(name="alice", reason="left", online=1, time=4.0, room="#Crew"), 0)
    assert session.rooms.state(crew) is None and session.rooms.joined == [LOBBY]


def test_a_version_1_server_has_only_the_lobby_and_refuses_nothing_silently() -> None:
    session = online(version=1)
    assert not session.rooms.available and session.rooms.joined == [LOBBY]
    assert session.send("hi", 0.0, DEV) == (None, [])
    assert session.send("hi", 0.0, Conversation.direct("bob")) == (None, [])
    assert session.rooms.join("#dev") is None and session.rooms.list_rooms() is None
    message_id, out = session.send("hi", 0.0)
    assert out == [p.Chat(id=message_id or "", text="hi")]


def test_the_hello_says_version_2_unless_the_session_is_set_to_speak_1() -> None:
    session = ClientSession("id")
    session.connect("127.0.0.1", 4000, "alice")
    session.open()
    assert next(m for m in session.opened() if isinstance(m, p.Hello)).version == p.ROOMS_VERSION
    session.protocol_version = p.PROTOCOL_VERSION
    session.closed()
    session.open()
    assert next(m for m in session.opened() if isinstance(m, p.Hello)).version == 1


def test_messages_go_to_a_room_or_a_member_and_the_ack_says_where() -> None:
    session = online()
    room_id, room_out = session.send("ship it?", 1.0, DEV)
    assert room_out == [p.Chat(id=room_id or "", text="ship it?", room="#dev")]
    direct_id, direct_out = session.send("lunch?", 1.0, Conversation.direct("bob"))
    assert direct_out == [p.Chat(id=direct_id or "", text="lunch?", to="bob")]
    out = session.receive(p.Ack(id=room_id or "", seq=13, time=5.0, room="#Dev"), 1.5)
    assert out == [Acked(room_id or "", 13, 5.0, 500.0, DEV, False)]
    out = session.receive(p.Ack(id=direct_id or "", seq=14, time=6.0, to="bob", delivered_later=True), 2.0)
    assert out == [Acked(direct_id or "", 14, 6.0, 1000.0, Conversation.direct("bob"), True)]


def test_a_message_offline_for_a_room_waits_and_goes_to_that_room() -> None:
    session = online()
    session.closed()
    message_id, out = session.send("later", 0.0, DEV)
    assert message_id is not None and out == []
    assert session.pending == [p.Chat(id=message_id, text="later", room="#dev")]


def test_relays_say_their_conversation() -> None:
    session = online()
    relay = p.Relay(sender="bob", text="green", seq=11, time=1.0, room="#Dev")
    assert session.receive(relay, 0.0) == [ChatMessage("bob", "green", 11, 1.0, False, DEV)]
    live = p.Relay(sender="bob", text="lunch?", seq=12, time=2.0, to="alice")
    assert session.receive(live, 0.0) == [ChatMessage("bob", "lunch?", 12, 2.0, False, Conversation.direct("bob"))]
    mine = p.Relay(sender="alice", text="see you", seq=13, time=3.0, history=True, to="carol")
    assert session.receive(mine, 0.0) == [ChatMessage("alice", "see you", 13, 3.0, True, Conversation.direct("carol"))]
    lobby = p.Relay(sender="bob", text="hi all", seq=14, time=4.0)
    assert session.receive(lobby, 0.0) == [ChatMessage("bob", "hi all", 14, 4.0)]
    assert session.last_seq == 14


def test_joins_and_leaves_of_rooms_are_told_apart_from_coming_online() -> None:
    session = online()
    assert session.receive(p.Joined(name="carol", online=3, time=1.0, room="#dev"), 0) == [
        RoomMemberJoined(DEV, "carol", 3)]
    assert "carol" not in session.members  # still not online as far as the lobby knows
    assert session.receive(p.Joined(name="alice", online=3, time=1.0, room="#dev"), 0) == []
    assert session.receive(p.Left(name="carol", reason="removed", online=2, time=1.0, room="#dev"), 0) == [
        RoomMemberLeft(DEV, "carol", "removed", 2)]
    assert session.receive(p.Left(name="alice", reason="left", online=1, time=1.0, room="#dev"), 0) == [
        RoomExited(DEV, "left")]
    assert session.rooms.joined == [LOBBY]
    assert session.members == ["alice", "bob"]


def test_room_replies_become_events() -> None:
    session = online()
    details = p.RoomDetails(room="#Release", topic="Friday", private=True, owner="alice", members=("alice",),
                            created=True)
    release = Conversation.room("#release")
    assert session.rooms.create("#Release", True) is not None  # asked here: not news from another window
    assert session.receive(details, 0) == [RoomEntered(release, "Friday", True, "alice", ("alice",), True)]
    assert session.rooms.joined == [LOBBY, DEV, release]
    listing = p.RoomList(rooms=(p.RoomListing("#dev", 2, "", False), p.RoomListing("#ops", 5, "pager", False)))
    assert session.receive(listing, 0) == [RoomsListed((RoomSummary("#dev", 2, "", False, True),
                                                        RoomSummary("#ops", 5, "pager", False, False)))]
    members = p.RoomMembers(room="#dev", members=("alice", "bob"), offline=("carol",))
    assert session.receive(members, 0) == [RoomMembersListed(DEV, ("alice", "bob"), ("carol",))]
    assert session.receive(p.Topic(room="#dev", topic="frozen", by=None, time=1.0), 0) == [
        TopicChanged(DEV, "frozen", None)]
    assert session.receive(p.Invited(room="#team", name="alice", by="bob", time=1.0), 0) == [
        InvitationSent(Conversation.room("#team"), "alice", "bob")]
    renamed = session.receive(p.RoomRenamed(old="#dev", new="#devel", time=1.0), 0)
    assert renamed == [RoomRenamed(DEV, Conversation.room("#devel"))]
    assert session.rooms.joined == [LOBBY, Conversation.room("#devel"), release]
    notice = session.receive(p.Notice(text="deploy at noon", time=1.0, room="#devel"), 0)
    assert notice == [NoticeReceived("deploy at noon", False, Conversation.room("#devel"))]


def test_a_room_this_window_did_not_ask_for_is_news_of_another_window_of_the_member() -> None:
    session = online()
    ops, team = Conversation.room("#ops"), Conversation.room("#team")
    assert session.rooms.join("#Ops") == p.JoinRoom(room="#Ops")
    assert session.receive(p.RoomDetails(room="#ops", topic="", private=False, owner=None, members=("alice",)), 0) \
        == [RoomEntered(ops, "", False, None, ("alice",), False, elsewhere=False)]
    # Another connection of alice's created #team, then joined #ops again: neither was asked here.
    team_made = p.RoomDetails(room="#team", topic="", private=True, owner="alice", members=("alice",), created=True)
    assert session.receive(team_made, 0) == [RoomEntered(team, "", True, "alice", ("alice",), True, elsewhere=True)]
    assert session.rooms.joined == [LOBBY, DEV, ops, team]
    again = p.RoomDetails(room="#ops", topic="", private=False, owner=None, members=("alice",))
    assert session.receive(again, 0) == [  # the answer to this window's join came already
        RoomEntered(ops, "", False, None, ("alice",), False, elsewhere=True)]
    # A join refused (its error names the room) is answered: a later room of that name is another window's.
    assert session.rooms.join("#secret") is not None
    session.receive(p.Error(p.ERR_INVITE_ONLY, "#secret: that room is private.", room="#secret"), 0)
    secret = p.RoomDetails(room="#secret", topic="", private=True, owner="bob", members=("alice", "bob"))
    assert session.receive(secret, 0) == [
        RoomEntered(Conversation.room("#secret"), "", True, "bob", ("alice", "bob"), False, elsewhere=True)]
    # A request of a connection that ended is never answered on the next one.
    assert session.rooms.create("#later", False) is not None
    session.closed()
    session.reconnect()
    session.open()
    session.opened()
    session.receive(p.Welcome(name="alice", online=1, max_clients=0, version=2, rooms=joined_rooms("#lobby")), 0)
    later = p.RoomDetails(room="#later", topic="", private=False, owner="alice", members=("alice",), created=True)
    assert session.receive(later, 0) == [
        RoomEntered(Conversation.room("#later"), "", False, "alice", ("alice",), True, elsewhere=True)]


def test_requests_are_the_protocols_messages() -> None:
    rooms = online().rooms
    assert rooms.join("#dev") == p.JoinRoom(room="#dev")
    assert rooms.join("dev") is None  # not a room's name: nothing is sent
    assert rooms.create("#team", True) == p.CreateRoom(room="#team", private=True)
    assert rooms.leave("#dev") == p.LeaveRoom(room="#dev")
    assert rooms.leave("#Lobby") is None
    assert rooms.list_rooms() == p.RoomsRequest()
    assert rooms.members("#dev") == p.MembersRequest(room="#dev")
    assert rooms.set_topic("#dev", "hi") == p.SetTopic(room="#dev", topic="hi")
    assert rooms.invite("#team", "bob") == p.Invite(room="#team", name="bob")
    assert rooms.remove("#team", "bob") == p.Remove(room="#team", name="bob")


def test_a_room_name_problem_is_a_sentence() -> None:
    assert room_problem("#dev-2_x") is None
    problem = room_problem("dev")
    assert problem is not None and problem[0].isupper() and problem.endswith(".") and "'dev'" in problem
