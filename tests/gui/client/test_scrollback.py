"""The client session's scrollback, sans-I/O: which page it asks for, and what a page becomes."""

from __future__ import annotations

from chat_gui.client import LOBBY, ChatMessage, Conversation, HistoryPageReceived, Welcomed
from chat_gui.client.scrollback import SCROLLBACK_ID
from chat_gui.client.session import ClientSession
from chat_server import protocol as p

DEV = Conversation.room("#dev")
BOB = Conversation.direct("bob")


def online(version: int = p.ROOMS_VERSION) -> ClientSession:
    session = ClientSession("id-alice")
    session.connect("127.0.0.1", 4000, "alice")
    session.open()
    session.opened()
    rooms = (p.JoinedRoom("#lobby", "", False, None), p.JoinedRoom("#Dev", "", False, None))
    out = session.receive(p.Welcome(name="alice", online=2, max_clients=0, members=("alice", "bob"), version=version,
                                    rooms=rooms if version >= p.ROOMS_VERSION else ()), 0.0)
    assert any(isinstance(event, Welcomed) for event in out)
    return session


def test_the_first_request_is_for_the_newest_then_before_the_oldest_held() -> None:
    session = online()
    scrollback = session.scrollback
    assert scrollback.older(DEV, session.rooms) == p.ScrollbackRequest(room="#dev", id=SCROLLBACK_ID)
    assert scrollback.older(DEV, session.rooms) is None  # one page on its way at a time
    session.receive(p.Relay(sender="bob", text="hi", seq=40, time=1.0, history=True, room="#Dev"), 0.0)
    session.receive(p.Relay(sender="bob", text="yo", seq=30, time=1.0, history=True, room="#Dev"), 0.0)
    session.receive(p.Ack(id="x", seq=12, time=1.0), 0.0)  # #lobby's: not the room's
    assert scrollback.oldest(DEV) == 30 and scrollback.oldest(LOBBY) == 12
    out = session.receive(p.HistoryPage(room="#Dev", messages=(p.HistoryEntry("bob", "early", 7, 2.0),), more=True),
                          0.0)
    assert out == [HistoryPageReceived(DEV, (ChatMessage("bob", "early", 7, 2.0, True, DEV),), True)]
    assert isinstance(out[0], HistoryPageReceived) and out[0].conversation.name == "#Dev"  # as the server names it
    assert scrollback.older(DEV, session.rooms) == p.ScrollbackRequest(room="#dev", before=7, id=SCROLLBACK_ID)
    assert scrollback.older(LOBBY, session.rooms) == p.ScrollbackRequest(before=12, id=SCROLLBACK_ID)
    assert scrollback.older(BOB, session.rooms) == p.ScrollbackRequest(to="bob", id=SCROLLBACK_ID)


def test_a_page_without_more_ends_the_asking() -> None:
    session = online()
    scrollback = session.scrollback
    assert scrollback.older(LOBBY, session.rooms) is not None
    session.receive(p.HistoryPage(messages=(p.HistoryEntry("bob", "first", 1, 2.0),), more=False), 0.0)
    assert scrollback.at_beginning(LOBBY) and scrollback.oldest(LOBBY) == 1
    assert scrollback.older(LOBBY, session.rooms) is None
    scrollback.forget(LOBBY)
    assert scrollback.older(LOBBY, session.rooms) == p.ScrollbackRequest(id=SCROLLBACK_ID)


def test_a_direct_page_is_the_conversation_with_that_member() -> None:
    session = online()
    out = session.receive(p.HistoryPage(to="bob", messages=(p.HistoryEntry("alice", "mine", 3, 1.0),
                                                            p.HistoryEntry("bob", "his", 4, 1.0))), 0.0)
    assert out == [HistoryPageReceived(BOB, (ChatMessage("alice", "mine", 3, 1.0, True, BOB),
                                             ChatMessage("bob", "his", 4, 1.0, True, BOB)), False)]


def test_an_around_page_does_not_move_the_oldest_held() -> None:
    session = online()
    scrollback = session.scrollback
    session.receive(p.Relay(sender="bob", text="hi", seq=500, time=1.0, history=True), 0.0)
    assert scrollback.around(LOBBY, 20, session.rooms, limit=10) == p.ScrollbackRequest(
        around=20, limit=10, id=SCROLLBACK_ID)
    out = session.receive(p.HistoryPage(around=20, messages=(p.HistoryEntry("bob", "x", 20, 1.0),), more=True,
                                        newer=True), 0.0)
    assert isinstance(out[0], HistoryPageReceived) and out[0].around == 20 and out[0].newer
    assert scrollback.oldest(LOBBY) == 500 and not scrollback.at_beginning(LOBBY)


def test_a_dropped_connection_forgets_the_page_on_its_way_and_another_server_everything() -> None:
    session = online()
    scrollback = session.scrollback
    session.receive(p.Relay(sender="bob", text="hi", seq=9, time=1.0), 0.0)
    assert scrollback.older(LOBBY, session.rooms) is not None
    session.closed()
    assert scrollback.older(LOBBY, session.rooms) == p.ScrollbackRequest(before=9, id=SCROLLBACK_ID)
    session.connect("127.0.0.1", 4001, "alice")
    assert scrollback.oldest(LOBBY) is None


def test_a_version_1_server_has_no_scrollback() -> None:
    session = online(version=p.PROTOCOL_VERSION)
    assert session.scrollback.older(LOBBY, session.rooms) is None
    assert session.scrollback.around(LOBBY, 3, session.rooms) is None


def test_the_window_may_name_the_seq_to_page_before() -> None:
    session = online()
    session.receive(p.Relay(sender="bob", text="hi", seq=9, time=1.0, room="#Dev"), 0.0)
    assert session.scrollback.older(DEV, session.rooms, before=55) == p.ScrollbackRequest(
        room="#dev", before=55, id=SCROLLBACK_ID)


def test_a_failed_page_is_reported_and_may_be_asked_for_again() -> None:
    session = online()
    session.receive(p.Relay(sender="bob", text="hi", seq=9, time=1.0), 0.0)
    assert session.scrollback.older(LOBBY, session.rooms) == p.ScrollbackRequest(before=9, id=SCROLLBACK_ID)
    out = session.receive(p.HistoryPage(before=9, more=True, failed=True), 0.0)
    assert out == [HistoryPageReceived(LOBBY, (), True, before=9, failed=True)]
    assert not session.scrollback.at_beginning(LOBBY)
    assert session.scrollback.older(LOBBY, session.rooms) == p.ScrollbackRequest(before=9, id=SCROLLBACK_ID)


def test_a_refused_page_is_reported_failed_and_its_conversation_may_be_asked_again() -> None:
    """The server answers a scrollback it refuses (a partner gone, a room left) with an error that carries the
    request's id, never with a page: the page is reported failed, as one the store could not read."""
    session = online()
    assert session.scrollback.older(BOB, session.rooms, before=50) == p.ScrollbackRequest(
        to="bob", before=50, id=SCROLLBACK_ID)
    assert session.scrollback.older(DEV, session.rooms, before=70) is not None
    out = session.receive(p.Error(p.ERR_NOT_IN_ROOM, "You are not in #dev.", id=SCROLLBACK_ID, room="#dev"), 0.0)
    # (no ProblemReported: the server's words are not a transcript line)
    assert out[1:] == [HistoryPageReceived(DEV, (), True, 70, None, False, True, refused=True)]
    out = session.receive(p.Error(p.ERR_UNKNOWN_MEMBER, "bob is not a member here.", id=SCROLLBACK_ID), 0.0)
    assert out[1:] == [HistoryPageReceived(BOB, (), True, 50, None, False, True, refused=True)]
    assert not session.scrollback.loading(BOB) and not session.scrollback.loading(DEV)
    assert session.scrollback.older(BOB, session.rooms, before=50) is not None
    # An error without the id is somebody else's (a chat refused): no page is taken for failed.
    assert [type(e).__name__ for e in session.receive(p.Error(p.ERR_UNKNOWN_MEMBER, "no."), 0.0)] == [
        "ErrorReceived", "ProblemReported"]
    assert session.scrollback.loading(BOB)


def test_a_room_left_or_gone_at_a_welcome_loads_again_from_its_newest_once_rejoined() -> None:
    """The window drops a room's transcript when it is left (and a direct conversation's when it is closed:
    ``ChatClient.forget_scrollback``); rejoined, it holds only its newest messages, so the beginning once reached
    must not stop scrolling up from loading."""
    session = online()
    assert session.scrollback.older(DEV, session.rooms, before=10) is not None
    session.receive(p.HistoryPage(room="#dev", before=10, messages=(p.HistoryEntry("bob", "first", 3, 1.0),),
                                  more=False), 0.0)
    assert session.scrollback.at_beginning(DEV)
    session.receive(p.Left(name="alice", room="#dev", reason="left", online=1, time=2.0), 0.0)
    assert not session.scrollback.at_beginning(DEV) and session.scrollback.oldest(DEV) is None
    assert session.scrollback.older(DEV, session.rooms, before=900) == p.ScrollbackRequest(
        room="#dev", before=900, id=SCROLLBACK_ID)
    session.receive(p.HistoryPage(room="#dev", before=900, messages=(), more=False), 0.0)
    assert session.scrollback.at_beginning(DEV)
    session.closed()
    session.connect("127.0.0.1", 4000, "alice")  # the same server; #dev left meanwhile (not in the welcome)
    session.open()
    session.opened()
    session.receive(p.Welcome(name="alice", online=2, max_clients=0, members=("alice", "bob"), version=p.ROOMS_VERSION,
                              rooms=(p.JoinedRoom("#lobby", "", False, None),)), 0.0)
    assert not session.scrollback.at_beginning(DEV)
    assert session.scrollback.older(DEV, session.rooms, before=950) is not None
