"""Typing and away in the client session, sans-I/O with a fake clock: the throttle, the expiry, the away book."""

from __future__ import annotations

from chat_gui.client.events import LOBBY, Conversation, StateChanged, Welcomed
from chat_gui.client.presence import (
    ACTIVE_EXPIRY_S,
    PAUSED_EXPIRY_S,
    TYPING_RESEND_S,
    AwayChanged,
    AwayReplied,
    TypingBoard,
    TypingChanged,
    TypingState,
    TypingThrottle,
)
from chat_gui.client.session import ClientSession
from chat_server import protocol as p

ACTIVE, PAUSED, DONE = TypingState.ACTIVE, TypingState.PAUSED, TypingState.DONE
DEV = Conversation.room("#dev")
BOB = Conversation.direct("bob")


def online(version: int = p.ROOMS_VERSION) -> ClientSession:
    session = ClientSession()
    session.connect("127.0.0.1", 5000, "alice")
    session.open()
    session.opened()
    rooms = (p.JoinedRoom("#lobby", "", False, None), p.JoinedRoom("#dev", "", False, None))
    session.receive(p.Welcome(name="alice", online=2, max_clients=3, members=("alice", "bob"), version=version,
                              rooms=rooms if version >= p.ROOMS_VERSION else ()), 0.0)
    return session


def test_active_is_said_at_most_every_three_seconds_per_conversation() -> None:
    throttle = TypingThrottle()
    said = [(t, throttle.notice(DEV, ACTIVE, t)) for t in (0.0, 1.0, 2.9, TYPING_RESEND_S, 4.0, 6.5)]
    assert said == [(0.0, ACTIVE), (1.0, None), (2.9, None), (3.0, ACTIVE), (4.0, None), (6.5, ACTIVE)]
    assert throttle.notice(BOB, ACTIVE, 4.0) == ACTIVE  # another conversation has its own pace


def test_paused_and_done_are_said_only_to_take_back_what_was_said() -> None:
    throttle = TypingThrottle()
    assert throttle.notice(DEV, PAUSED, 0.0) is None  # nothing said yet
    assert throttle.notice(DEV, DONE, 0.0) is None
    assert throttle.notice(DEV, ACTIVE, 1.0) == ACTIVE
    assert throttle.notice(DEV, PAUSED, 2.0) == PAUSED
    assert throttle.notice(DEV, PAUSED, 3.0) is None  # said already
    assert throttle.notice(DEV, ACTIVE, 3.5) == ACTIVE  # typing again after a pause: at once
    assert throttle.notice(DEV, DONE, 4.0) == DONE
    assert throttle.notice(DEV, DONE, 4.5) is None
    assert throttle.notice(DEV, ACTIVE, 5.0) == ACTIVE  # a new message begun: at once


def test_active_expires_after_six_seconds_and_paused_after_thirty() -> None:
    board = TypingBoard()
    assert board.heard(DEV, "bob", "active", 0.0) == [TypingChanged(DEV, ("bob",))]
    assert board.heard(DEV, "carol", "paused", 1.0) == [TypingChanged(DEV, ("bob", "carol"))]
    assert board.heard(DEV, "bob", "active", 2.0) == []  # news, nothing changed
    assert board.next_expiry() == 2.0 + ACTIVE_EXPIRY_S
    assert board.expire(2.0 + ACTIVE_EXPIRY_S - 0.01) == []
    assert board.expire(2.0 + ACTIVE_EXPIRY_S) == [TypingChanged(DEV, ("carol",))]
    assert board.next_expiry() == 1.0 + PAUSED_EXPIRY_S
    assert board.expire(1.0 + PAUSED_EXPIRY_S - 0.01) == []
    assert board.expire(1.0 + PAUSED_EXPIRY_S) == [TypingChanged(DEV, ())]
    assert board.next_expiry() is None and board.typists(DEV) == ()


def test_done_a_message_or_leaving_stops_a_typist_at_once() -> None:
    board = TypingBoard()
    board.heard(DEV, "bob", "active", 0.0)
    board.heard(BOB, "bob", "active", 0.0)
    board.heard(DEV, "carol", "active", 0.0)
    assert board.heard(DEV, "carol", "done", 1.0) == [TypingChanged(DEV, ("bob",))]
    assert board.stopped("bob", DEV) == [TypingChanged(DEV, ())]
    board.heard(DEV, "bob", "paused", 2.0)
    assert board.stopped("bob") == [TypingChanged(BOB, ()), TypingChanged(DEV, ())]
    assert board.next_expiry() is None


def test_the_session_sends_typing_throttled_only_online_with_version_2() -> None:
    session = online()
    assert session.typing(DEV, ACTIVE, 10.0) == [p.Typing(state="active", room="#dev")]
    assert session.typing(DEV, ACTIVE, 11.0) == []
    assert session.typing(LOBBY, ACTIVE, 11.0) == [p.Typing(state="active")]
    assert session.typing(BOB, ACTIVE, 11.0) == [p.Typing(state="active", to="bob")]
    assert session.typing(BOB, DONE, 12.0) == [p.Typing(state="done", to="bob")]
    assert online(version=1).typing(LOBBY, ACTIVE, 0.0) == []
    offline = ClientSession()
    assert offline.typing(LOBBY, ACTIVE, 0.0) == []


def test_the_session_reports_who_types_where_and_forgets_them_by_the_clock() -> None:
    session = online()
    assert session.receive(p.MemberTyping(name="bob", state="active", room="#dev"), 100.0) == \
        [TypingChanged(DEV, ("bob",))]
    assert session.receive(p.MemberTyping(name="bob", state="active", to="alice"), 100.0) == \
        [TypingChanged(BOB, ("bob",))]
    assert session.expire_typing(105.9) == []
    assert session.expire_typing(106.0) == [TypingChanged(DEV, ()), TypingChanged(BOB, ())]
    session.receive(p.MemberTyping(name="bob", state="paused", room="#dev"), 200.0)
    relay = p.Relay(sender="bob", text="hi", seq=1, time=0.0, room="#dev")
    assert session.receive(relay, 201.0)[1:] == [TypingChanged(DEV, ())]  # its message ends its typing
    session.receive(p.MemberTyping(name="bob", state="paused"), 300.0)
    assert session.receive(p.Left(name="bob", reason="exit", online=1, time=0.0), 301.0)[1:] == \
        [TypingChanged(LOBBY, ())]


def test_away_is_kept_said_and_said_again_after_a_reconnect() -> None:
    session = online()
    assert session.set_away("lunch") == [p.SetAway(message="lunch")]
    assert session.set_away("lunch") == []
    assert session.receive(p.MemberAway(name="alice", message="lunch", time=5.0), 0.0) == \
        [AwayChanged("alice", "lunch")]
    assert session.receive(p.MemberAway(name="bob", message="", time=5.0), 0.0) == [AwayChanged("bob", "")]
    assert session.presence.book.message("bob") == ""
    assert session.receive(p.AwayReply(name="bob", message="", time=5.0), 0.0) == \
        [AwayReplied("bob", "", 5.0, BOB)]
    ended = session.closed()
    assert AwayChanged("alice", None) in ended and AwayChanged("bob", None) in ended
    session.reconnect()
    session.open()
    session.opened()
    outputs = session.receive(p.Welcome(name="alice", online=1, max_clients=3, version=2), 0.0)
    assert isinstance(outputs[0], StateChanged) and isinstance(outputs[-2], Welcomed)
    assert outputs[-1] == p.SetAway(message="lunch")
    assert session.set_away(None) == [p.Back()]
    assert session.receive(p.MemberBack(name="bob", time=6.0), 0.0) == []  # it was not away on this connection


def test_away_set_or_ended_in_another_window_of_the_member_is_this_windows_too() -> None:
    session = online()
    assert session.receive(p.MemberAway(name="alice", message="lunch", time=5.0), 0.0) == \
        [AwayChanged("alice", "lunch")]  # from another window: nothing asked here
    assert session.presence.away_message == "lunch" and session.presence.away_elsewhere
    assert session.set_away("lunch") == []  # the member is away so already; now this window's own
    assert not session.presence.away_elsewhere
    assert session.receive(p.MemberBack(name="alice", time=6.0), 0.0) == [AwayChanged("alice", None)]
    assert session.presence.away_message is None and session.presence.away_elsewhere
    assert session.set_away(None) == []  # back already: nothing to say
    # This window's own away comes back as its answer: still this window's.
    assert session.set_away("") == [p.SetAway(message="")]
    session.receive(p.MemberAway(name="alice", message="", time=7.0), 0.0)
    assert session.presence.away_message == "" and not session.presence.away_elsewhere
    # Others' away is theirs alone.
    session.receive(p.MemberAway(name="bob", message="gone", time=8.0), 0.0)
    assert session.presence.away_message == ""


def test_after_a_reconnect_only_an_away_set_here_is_said_again() -> None:
    session = online()
    session.receive(p.MemberAway(name="alice", message="lunch", time=5.0), 0.0)  # set in another window
    session.closed()
    session.reconnect()
    session.open()
    session.opened()
    outputs = session.receive(p.Welcome(name="alice", online=1, max_clients=3, version=2), 0.0)
    assert isinstance(outputs[-1], Welcomed)  # not said again: the server says it if the member is still away
    assert session.presence.away_message is None
    assert session.receive(p.MemberAway(name="alice", message="lunch", time=5.0), 0.0) == \
        [AwayChanged("alice", "lunch")]
    assert session.presence.away_message == "lunch"
