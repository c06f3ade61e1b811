"""Typing and away on the wire: their checks (states, conversations, lengths, one line), text commands, lines."""

from __future__ import annotations

import json

import pytest

from chat_server import protocol as p
from chat_server.protocol.jsonlines import JsonCodec

SERVER_SIDE = JsonCodec(p.CLIENT_MESSAGES)
CLIENT_SIDE = JsonCodec(p.SERVER_MESSAGES)


def decode(**obj: object) -> p.Message | p.DecodeError:
    return SERVER_SIDE.decode(json.dumps(obj).encode())


@pytest.mark.parametrize("state", ["active", "paused", "done"])
def test_each_typing_state_is_taken(state: str) -> None:
    assert decode(type="typing", state=state, room="#Dev") == p.Typing(state=state, room="#Dev")
    assert decode(type="typing", state=state, to="bob") == p.Typing(state=state, to="bob")
    assert decode(type="typing", state=state) == p.Typing(state=state)  # #lobby


@pytest.mark.parametrize(("obj", "code", "text"), [
    ({"state": "typing"}, "bad_message", "typing: 'state' is one of active, paused, done (not 'typing')"),
    ({"state": "ACTIVE"}, "bad_message", "typing: 'state' is one of active, paused, done (not 'ACTIVE')"),
    ({"state": 1}, "bad_message", "typing: field 'state' must be a string"),
    ({}, "bad_message", "typing: missing field 'state'"),
    ({"state": "active", "room": "#dev", "to": "bob"}, "bad_message", "typing: a room or a member, not both"),
    ({"state": "active", "room": "dev"}, "room_invalid",
     "Not done: a room's name is # and 1 to 32 of a-z, 0-9, - and _ (not 'dev')."),
    ({"state": "active", "to": "a:b"}, "unknown_member", "Not done: no member can be called 'a:b'."),
])
def test_a_bad_typing_notice_is_a_value(obj: dict[str, object], code: str, text: str) -> None:
    assert decode(type="typing", **obj) == p.DecodeError(code, text)


def test_an_away_message_is_one_line_of_at_most_the_limit() -> None:
    assert decode(type="away", message="lunch") == p.SetAway(message="lunch")
    assert decode(type="away") == p.SetAway(message="")
    assert decode(type="away", message="x" * p.MAX_AWAY_LENGTH) == p.SetAway(message="x" * p.MAX_AWAY_LENGTH)
    assert decode(type="away", message="x" * (p.MAX_AWAY_LENGTH + 1)) == p.DecodeError(
        "away_too_long", f"Not done: an away message is at most {p.MAX_AWAY_LENGTH} characters.")
    assert decode(type="away", message="two\nlines") == p.DecodeError(
        "message_invalid", "Not done: an away message is one line.")
    assert decode(type="away", message="a\u202eb") == p.DecodeError(
        "message_invalid", "Not done: an away message cannot contain bidirectional overrides (U+202E).")
    assert decode(type="back") == p.Back()


def test_the_servers_presence_events_round_trip_and_leave_out_what_is_unset() -> None:
    events = [p.MemberTyping(name="alice", state="active", room="#dev"), p.MemberTyping(name="alice", state="done"),
              p.MemberTyping(name="alice", state="paused", to="bob"),
              p.MemberAway(name="alice", message="lunch", time=1.5), p.MemberBack(name="alice", time=2.0),
              p.AwayReply(name="alice", message="", time=3.0)]
    lines = [p.encode_json(event) for event in events]
    assert lines[1] == b'{"type":"typing","name":"alice","state":"done"}\n'
    assert lines[3] == b'{"type":"away","name":"alice","message":"lunch","time":1.5}\n'
    assert [CLIENT_SIDE.decode(line.rstrip(b"\n")) for line in lines] == events


@pytest.mark.parametrize(("blank", "why"), [
    ("\n", "one line"), ("\r\n", "one line"), ("  \n  ", "one line"),
    ("\u2028", "one line (no line or paragraph separators)"),
])
def test_a_blank_away_message_is_still_one_line(blank: str, why: str) -> None:
    """An empty or blank away message is allowed, but not a line break in it (the review of issue 21)."""
    refused = p.DecodeError("message_invalid", f"Not done: an away message is {why}.")
    assert decode(type="away", message=blank) == refused
    assert decode(type="away", message="   ") == p.SetAway(message="   ")


def test_a_status_row_says_away_only_when_it_is() -> None:
    row = p.SessionInfo("alice", "127.0.0.1", 5, 1.0, None, "online", 2)
    assert "away" not in p.to_json(p.StatusReport(online=1, max_clients=3, started_at=0.0, sessions=(row,)))[
        "sessions"][0]
    away = p.SessionInfo("alice", "127.0.0.1", 5, 1.0, None, "online", 2, away="lunch")
    report = p.StatusReport(online=1, max_clients=3, started_at=0.0, sessions=(away,))
    assert p.to_json(report)["sessions"][0]["away"] == "lunch"
    assert CLIENT_SIDE.decode(p.encode_json(report).rstrip(b"\n")) == report


@pytest.mark.parametrize(("away", "cell"), [
    (None, "online"), ("", "online, away"), ("lunch", "online, away: lunch"),
    ("back in twenty minutes or so", "online, away: back in twenty minu…"),
])
def test_the_status_table_shows_away_in_the_state_column(away: str | None, cell: str) -> None:
    row = p.SessionInfo("alice", "127.0.0.1", 5, 1.0, None, "online", 2, away=away)
    table = p.status_table(p.StatusReport(online=1, max_clients=3, started_at=0.0, sessions=(row,)))
    assert table.splitlines()[2].rsplit("  ", 1)[0].rstrip().endswith(f"  {cell}")


@pytest.mark.parametrize(("line", "parsed"), [
    (b"/away lunch", p.SetAway(message="lunch")),
    (b"/AWAY  gone   fishing  ", p.SetAway(message="gone   fishing")),
    (b"/away", p.SetAway(message="")),
    (b"/back", p.Back()),
    (b"/back now", p.DecodeError("bad_message", "Usage: /back (type /help for the commands).")),
    (b"/away " + b"x" * 201, p.DecodeError("away_too_long", "Not done: an away message is at most 200 characters.")),
])
def test_text_modes_away_and_back(line: bytes, parsed: object) -> None:
    assert p.parse_text_line(line) == parsed


def test_help_names_away_and_back_and_the_away_reply_is_one_line() -> None:
    assert [line.split()[0] for line in p.help_text().splitlines() if line.startswith(("/away", "/back"))] == \
        ["/away", "/back"]
    assert p.render_text(p.AwayReply(name="alice", message="lunch", time=0.0)) == "[direct] alice is away: lunch"
    assert p.render_text(p.AwayReply(name="alice", message="", time=0.0)) == "[direct] alice is away"
    assert p.render_text(p.MemberTyping(name="alice", state="active")) is None  # never sent to text members
    assert p.away_label("alice", "lunch") == "alice (away: lunch)"
    assert p.away_label("alice", "") == "alice (away)"
    assert p.away_label("alice", None) == "alice"


def test_a_client_refuses_a_typing_notice_in_a_state_it_does_not_know() -> None:
    line = b'{"type":"typing","name":"alice","state":"dancing","room":"#dev"}'
    assert CLIENT_SIDE.decode(line) == p.DecodeError(
        "bad_message", "typing: 'state' is one of active, paused, done (not 'dancing')")
