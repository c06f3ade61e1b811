"""The scrollback vocabulary: ``scrollback`` and ``history_page`` on the wire, and text mode's ``/history``."""

from __future__ import annotations

import json

import pytest

from chat_server import protocol as p
from chat_server.protocol.jsonlines import JsonCodec

SERVER_SIDE = JsonCodec(p.CLIENT_MESSAGES)
CLIENT_SIDE = JsonCodec(p.SERVER_MESSAGES)


def decode(**obj: object) -> p.Message | p.DecodeError:
    return SERVER_SIDE.decode(json.dumps({"type": "scrollback", **obj}).encode())


def test_a_request_round_trips_and_leaves_its_defaults_out() -> None:
    assert p.encode(p.ScrollbackRequest()) == b'{"type":"scrollback","limit":100}\n'
    request = p.ScrollbackRequest(room="#dev", before=120, limit=50)
    assert p.encode(request) == b'{"type":"scrollback","room":"#dev","before":120,"limit":50}\n'
    assert SERVER_SIDE.decode(p.encode(request).rstrip(b"\n")) == request
    assert decode(to="bob", around=7) == p.ScrollbackRequest(to="bob", around=7)
    assert decode(limit=1000).count == p.HISTORY_PAGE_LIMIT  # type: ignore[union-attr]


def test_a_page_round_trips_with_its_messages_oldest_first() -> None:
    page = p.HistoryPage(room="#dev", before=120, messages=(p.HistoryEntry("alice", "hi", 3, 1.5),
                                                            p.HistoryEntry("bob", "yo", 9, 2.0)), more=True)
    line = p.encode(page)
    assert json.loads(line) == {"type": "history_page", "room": "#dev", "before": 120, "more": True, "messages": [
        {"sender": "alice", "text": "hi", "seq": 3, "time": 1.5},
        {"sender": "bob", "text": "yo", "seq": 9, "time": 2.0}]}
    assert CLIENT_SIDE.decode(line.rstrip(b"\n")) == page
    assert p.encode(p.HistoryPage()) == b'{"type":"history_page","messages":[],"more":false}\n'


@pytest.mark.parametrize(("fields", "code", "text"), [
    ({"room": "#dev", "to": "bob"}, p.ERR_BAD_MESSAGE, "scrollback: a conversation is a room or a member, not both"),
    ({"before": 3, "around": 4}, p.ERR_BAD_MESSAGE, "scrollback: 'before' or 'around', not both"),
    ({"before": 0}, p.ERR_BAD_MESSAGE, "scrollback: field 'before' must be a sequence number (1 or more)"),
    ({"around": -5}, p.ERR_BAD_MESSAGE, "scrollback: field 'around' must be a sequence number (1 or more)"),
    ({"limit": 0}, p.ERR_BAD_MESSAGE, "scrollback: field 'limit' must be 1 or more"),
    ({"before": "3"}, p.ERR_BAD_MESSAGE, "scrollback: field 'before' must be an integer or null"),
    ({"before": 2**64}, p.ERR_BAD_MESSAGE, "scrollback: field 'before' is out of range"),
    ({"limit": True}, p.ERR_BAD_MESSAGE, "scrollback: field 'limit' must be an integer"),
    ({"room": "##dev"}, p.ERR_ROOM_INVALID, "Not done: a room's name is # and 1 to 32 of a-z, 0-9, - and _ "
                                            "(not '##dev')."),
    ({"to": "[x]"}, p.ERR_UNKNOWN_MEMBER, "Not done: no member can be called '[x]'."),
])
def test_a_bad_request_is_an_error_value(fields: dict[str, object], code: str, text: str) -> None:
    assert decode(**fields) == p.DecodeError(code, text)


def test_a_page_with_a_malformed_message_is_refused_by_the_client() -> None:
    line = b'{"type":"history_page","messages":[{"sender":"a","text":"hi","seq":"3","time":1}],"more":false}'
    error = CLIENT_SIDE.decode(line)
    assert error == p.DecodeError(p.ERR_BAD_MESSAGE, "history_page: field 'messages' must be a list of messages")


@pytest.mark.parametrize(("line", "expected"), [
    ("/history", p.ScrollbackRequest(room=p.CURRENT_ROOM, limit=p.HISTORY_COUNT)),
    ("/history 5", p.ScrollbackRequest(room=p.CURRENT_ROOM, limit=5)),
    ("/History   #Dev", p.ScrollbackRequest(room="#Dev", limit=p.HISTORY_COUNT)),
    ("/history dev\t7", p.ScrollbackRequest(room="#dev", limit=7)),
    ("/history #dev 250", p.ScrollbackRequest(room="#dev", limit=p.HISTORY_PAGE_LIMIT)),
    ("/history 99999999999999999999", p.ScrollbackRequest(room=p.CURRENT_ROOM, limit=p.HISTORY_PAGE_LIMIT)),
    ("history 5", p.HistoryRequest(5)),  # the old command, as it always was
    ("history", p.HistoryRequest()),
])
def test_text_history_commands(line: str, expected: p.Message) -> None:
    assert p.parse_text_line(line.encode()) == expected


@pytest.mark.parametrize("line", ["/history 0", "/history #a #b", "/history #a 3 4", "/history #dev x"])
def test_a_wrong_history_command_names_its_usage(line: str) -> None:
    assert p.parse_text_line(line.encode()) == p.DecodeError(
        p.ERR_BAD_MESSAGE, "Usage: /history [#room] [N] (type /help for the commands).")


def test_a_page_in_text_mode_is_the_history_lines() -> None:
    entries = (p.HistoryEntry("alice", "hi", 3, 0.0), p.HistoryEntry("bob", "yo", 4, 0.0))
    stamp = p.clock(0.0)
    assert p.render_text(p.HistoryPage(room="#dev", messages=entries)) == (
        f"[history {stamp}] [#dev] alice: hi\n[history {stamp}] [#dev] bob: yo")
    assert p.render_text(p.HistoryPage(messages=entries[:1])) == f"[history {stamp}] alice: hi"
    assert p.render_text(p.HistoryPage(room="#dev")) == "No earlier messages."
    assert "/history [#room] [N]" in p.help_text()


def test_a_failed_page_says_so_in_both_framings() -> None:
    failed = p.HistoryPage(room="#dev", before=9, more=True, failed=True)
    assert json.loads(p.encode(failed)) == {"type": "history_page", "room": "#dev", "before": 9, "messages": [],
                                            "more": True, "failed": True}
    assert CLIENT_SIDE.decode(p.encode(failed).rstrip(b"\n")) == failed
    assert p.render_text(failed) == "Error: Not loaded: the server could not read its messages. Try again later."
