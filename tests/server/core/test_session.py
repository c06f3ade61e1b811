"""MemberSession: every state's answer to every event, and each transition, without sockets."""

from __future__ import annotations

import pytest

from chat_server import protocol as p
from chat_server.core.session import HELLO_AGAIN, MemberSession, Refusal, State, Step
from chat_server.store import client_key

EVERY_EVENT: list[p.Event] = [
    p.Hello(name="alice"), p.PasswordAttempt("pw"), p.Chat(text="hi", id="1"), p.StatusRequest(),
    p.HistoryRequest(), p.TelnetReply(b"\xff\xfc\x01"), p.Exit(), p.Ping(token="t"), p.Pong(token="t"),
    p.DecodeError(p.ERR_BAD_MESSAGE, "bad"),
]


def _member() -> MemberSession:
    session = MemberSession()
    assert session.announce()
    return session


def test_a_member_is_told_what_each_event_means() -> None:
    session = _member()
    steps = [session.receive(event) for event in EVERY_EVENT]
    assert steps == [Step.HELLO, Step.NOT_ALLOWED, Step.CHAT, Step.STATUS, Step.HISTORY, Step.TELNET, Step.EXIT,
                     Step.PING, Step.IGNORE, Step.DECODE_ERROR]
    assert session.state is State.MEMBER


def test_a_joining_member_is_announced_by_anything_but_a_hello() -> None:
    session = MemberSession()
    assert session.state is State.JOINING and not session.announced
    assert [session.receive(event) for event in EVERY_EVENT] == [Step.HELLO] + [Step.ANNOUNCE] * 9
    assert session.announce() and session.state is State.MEMBER and session.announced
    assert not session.announce()  # once


def test_at_the_password_prompt_only_the_password_telnet_and_bad_input_count() -> None:
    for event in EVERY_EVENT[2:]:
        session = MemberSession(password_required=True, now=5.0)
        expected = {p.TelnetReply: Step.TELNET, p.DecodeError: Step.DECODE_ERROR}.get(type(event), Step.IGNORE)
        assert session.receive(event) is expected
        assert session.state is State.AWAITING_PASSWORD and session.awaiting_since == 5.0
        assert not session.announce()  # no announcement before the password


def test_a_text_password_is_checked_and_what_follows_waits_for_the_check() -> None:
    session = MemberSession(password_required=True, now=5.0)
    assert session.receive(p.PasswordAttempt(" pw ")) is Step.CHECK_PASSWORD
    assert session.state is State.CHECKING_PASSWORD and session.attempt == " pw " and session.awaiting_since is None
    session.wait([p.Chat(text="one", id="1")])
    assert session.receive(p.Chat(text="two", id="2")) is Step.WAIT
    assert session.waiting_count == 2
    assert session.admit() == (None, [p.Chat(text="one", id="1"), p.Chat(text="two", id="2")])
    assert session.state is State.JOINING and session.attempt is None and session.waiting_count == 0
    assert session.admit() is None  # only a session checking its password is admitted


def test_a_json_hello_carries_the_password_and_comes_back_after_the_check() -> None:
    session = MemberSession(password_required=True)
    hello = p.Hello(name="alice", password="pw")
    assert session.receive(hello) is Step.CHECK_PASSWORD
    assert session.admit() == (hello, [])


def test_a_hello_without_a_password_at_the_prompt_is_refused() -> None:
    session = MemberSession(password_required=True)
    assert session.receive(p.Hello(name="alice")) is Step.PASSWORD_MISSING
    assert session.state is State.AWAITING_PASSWORD and session.awaiting_since is None


def test_a_hello_gives_the_client_id_digest_the_resume_point_and_the_name_asked_for() -> None:
    session = MemberSession()
    assert session.hello(p.Hello(name="Alice", client_id="abc", last_seq=7), newest_seq=9, name="Client01") == "Alice"
    assert session.hello_done and session.client_id == client_key("abc") and session.resume_from == 7
    assert session.hello(p.Hello(name="Bob"), newest_seq=9, name="Alice") is HELLO_AGAIN
    assert session.client_id == client_key("abc")  # a refused second hello changes nothing


def test_a_last_seq_beyond_the_newest_stored_one_is_not_resumed_from() -> None:
    session = MemberSession()
    assert session.hello(p.Hello(last_seq=10), newest_seq=9, name="Client01") is None
    assert session.resume_from is None


@pytest.mark.parametrize(("hello", "reason", "code"), [
    (p.Hello(name="alice", version=3), p.EndReason.ERROR, p.ERR_VERSION),
    (p.Hello(name="Server"), p.EndReason.REFUSED_NAME, p.ERR_NAME_INVALID),
    (p.Hello(name="x" * 40), p.EndReason.REFUSED_NAME, p.ERR_NAME_INVALID),
])
def test_a_hello_the_server_does_not_take_is_a_refusal_with_its_end(hello: p.Hello, reason: p.EndReason,
                                                                    code: str) -> None:
    verdict = MemberSession().hello(hello, newest_seq=0, name="Client01")
    assert isinstance(verdict, Refusal) and verdict.reason is reason and verdict.error.code == code


def test_the_same_name_again_is_no_rename() -> None:
    assert MemberSession().hello(p.Hello(name="Client01"), newest_seq=0, name="Client01") is None


def test_a_hello_before_the_password_is_a_refusal_not_an_exception() -> None:
    assert MemberSession(password_required=True).hello(p.Hello(name="a"), 0, "") is HELLO_AGAIN


def test_a_session_ends_once_with_its_first_reason_and_then_takes_nothing() -> None:
    session = _member()
    assert session.end(p.EndReason.KICKED)
    assert not session.end(p.EndReason.TOO_SLOW)
    assert session.state is State.ENDING and session.end_reason is p.EndReason.KICKED and session.over
    assert session.announced  # the others were told it joined: they are told it left
    assert all(session.receive(event) is Step.OVER for event in EVERY_EVENT)
    assert session.closed() is None  # ended by the server: not dropped
    assert session.state is State.ENDED and session.end_reason is p.EndReason.KICKED
    assert session.closed() is None and not session.end(p.EndReason.EXIT)


@pytest.mark.parametrize("password_required", [False, True])
def test_a_connection_that_goes_away_first_is_dropped_once(password_required: bool) -> None:
    session = MemberSession(password_required)
    assert session.closed() is p.EndReason.DROPPED
    assert session.state is State.ENDED and session.end_reason is p.EndReason.DROPPED
    assert session.closed() is None and not session.end(p.EndReason.KICKED)


def test_a_session_ended_while_its_password_waits_forgets_what_waited() -> None:
    session = MemberSession(password_required=True)
    session.receive(p.PasswordAttempt("pw"))
    session.wait([p.Chat(text="x", id="1")])
    assert session.end(p.EndReason.TIMED_OUT)
    assert session.attempt is None and session.waiting_count == 0 and session.admit() is None
